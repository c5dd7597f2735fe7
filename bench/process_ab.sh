#!/usr/bin/env bash
# Whole-process parallel efficiency as a user sees it (issue 19): `kinmap run` alone against
# `mpirun -n 2 kinmap run`, start-up, I/O and shutdown included, for one or two builds side by
# side. The runs are alternated (A1 A2 B1 B2, N times) so that load on a shared machine hits
# every configuration alike; per configuration the best (minimum) wall time, since contention
# only ever adds time, and the median. Efficiency = T(1 rank) / (2 · T(2 ranks)).
# Usage: bench/process_ab.sh KINMAP_A [KINMAP_B] [--model MODEL.toml] [--points N] [--runs N]
#   default model: the shipped CO/Pt(100) at 300 x 300 points (~4 s at 30 us/point);
#   N points per axis rewrites the model's grid.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
builds=()
model="$root/data/models/co_oxidation_pt100.toml"
points=300
runs=5
while [ $# -gt 0 ]; do
    case "$1" in
        --model) model="$2"; shift 2;;
        --points) points="$2"; shift 2;;
        --runs) runs="$2"; shift 2;;
        *) builds+=("$1"); shift;;
    esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -E -e "s/points = [0-9]+/points = $points/g" "$model" > "$work/model.toml"
IFS=';' read -r -a preflags <<< "$KINMAP_MPIEXEC_PREFLAGS"
wall() {  # wall seconds of one run: $1 = binary, $2 = ranks
    rm -f "$work/map.h5" "$work/map.h5".*
    local t0 t1
    t0=$(date +%s.%N)
    if [ "$2" -eq 1 ]; then
        "$1" run "$work/model.toml" -o "$work/map.h5" > /dev/null 2>&1
    else
        mpiexec -n "$2" "${preflags[@]}" "$1" run "$work/model.toml" -o "$work/map.h5" > /dev/null 2>&1
    fi
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
declare -A times
for ((i = 0; i < runs; ++i)); do
    for b in "${!builds[@]}"; do
        for ranks in 1 2; do
            times[$b,$ranks]="${times[$b,$ranks]:-} $(wall "${builds[$b]}" "$ranks")"
        done
    done
done
stat() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "min %.3f median %.3f", v[1], m }'; }
echo "model $(basename "$model") at ${points}x${points}, $runs alternated runs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for b in "${!builds[@]}"; do
    s1=$(stat "${times[$b,1]}"); s2=$(stat "${times[$b,2]}")
    echo "${builds[$b]}"
    echo "  1 rank :${times[$b,1]} -> $s1"
    echo "  2 ranks:${times[$b,2]} -> $s2"
    awk -v a="$s1" -v b="$s2" 'BEGIN { split(a, x, " "); split(b, y, " ");
        printf "  efficiency T1/(2 T2): best %.3f, median %.3f\n", x[2] / (2 * y[2]), x[4] / (2 * y[4]) }'
done
