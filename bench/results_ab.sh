#!/usr/bin/env bash
# Results of two builds compared bitwise: every shipped model run at 1 rank by kinmap binary A
# and by binary B, each file hashed by bench/results_hash.py (results and deterministic
# diagnostics), and the hash lines diffed. Exit 0 when every line is identical.
# Usage: bench/results_ab.sh KINMAP_A KINMAP_B
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for side in A B; do
    bin=$([ "$side" = A ] && echo "$1" || echo "$2")
    mkdir -p "$work/$side"
    for model in "$root"/data/models/*.toml; do
        # A model one build cannot read (a newer feature) is listed, not hashed.
        "$bin" run "$model" -o "$work/$side/$(basename "$model" .toml).h5" > /dev/null 2>&1 ||
            echo "$(basename "$model" .toml).h5 not run by this build" >> "$work/$side.missing"
    done
    { "$KINMAP_PYTHON" "$root/bench/results_hash.py" "$work/$side"/*.h5; cat "$work/$side.missing" 2>/dev/null || true; } |
        sort > "$work/$side.txt"
done
cat "$work/B.txt"
if diff "$work/A.txt" "$work/B.txt"; then
    echo "bitwise identical: $(wc -l < "$work/B.txt") models"
else
    echo "DIFFERENT (lines above: < A, > B)"
    exit 1
fi
