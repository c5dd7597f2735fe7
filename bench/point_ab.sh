#!/usr/bin/env bash
# Per-point cost of two builds side by side in one run: bench/point_bench of build A and of
# build B, alternated N times on the same model (so that load on a shared machine hits both
# alike), each run 3 rounds over the grid; per run its best round's µs/point of the rodas4
# stepper; per build the median and the minimum over runs, and the ratios B/A. On a loaded
# machine the minimum is the steadier figure (contention only ever adds time). STEPPER = lanes
# times the sweep's lane path (point_bench --lanes-only) instead.
# Usage: bench/point_ab.sh POINT_BENCH_A POINT_BENCH_B [MODEL.toml] [N=6] [STEPPER=rodas4|lanes]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
a="$1"; b="$2"
model="${3:-$root/data/models/co_oxidation_pt100.toml}"
n="${4:-6}"
stepper="${5:-rodas4}"
flags=(--no-odeint)
[ "$stepper" = lanes ] && flags=(--lanes-only)
us() { "$1" "$model" --rounds 3 "${flags[@]}" | awk -v s="$stepper" '$1 == s { print $3 }'; }
ra=(); rb=()
for ((i = 0; i < n; ++i)); do
    ra+=("$(us "$a")"); rb+=("$(us "$b")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { printf '%s\n' "$@" | sort -g | head -1; }
ma=$(median "${ra[@]}"); mb=$(median "${rb[@]}")
na=$(minimum "${ra[@]}"); nb=$(minimum "${rb[@]}")
echo "model $(basename "$model"), $n alternated runs each, $stepper best-of-3-rounds us/point"
echo "A $a: ${ra[*]} -> median $ma, min $na"
echo "B $b: ${rb[*]} -> median $mb, min $nb"
awk -v a="$ma" -v b="$mb" -v c="$na" -v d="$nb" 'BEGIN { printf "ratio B/A: median %.3f, min %.3f\n", b / a, d / c }'
