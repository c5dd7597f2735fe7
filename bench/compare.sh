#!/usr/bin/env bash
# kinmap against the SciPy baseline users run today, side by side in one run, same model,
# same grid, same cores: points/s per core and the ratio.
# Usage: bench/compare.sh [MODEL.toml] [--nx N --ny N]   (needs a Release build in build/)
#        bench/compare.sh --all                           (every shipped model, its own grid)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
if [ "${1:-}" = "--all" ]; then
    for m in "$root"/data/models/*.toml; do echo "== $(basename "$m")"; bash "$0" "$m"; done
    exit 0
fi
model="${1:-$root/data/models/co_oxidation_pt100.toml}"
shift || true
nx=0; ny=0
while [ $# -gt 0 ]; do
    case "$1" in --nx) nx="$2"; shift 2;; --ny) ny="$2"; shift 2;; *) shift;; esac
done
cores=$(nproc)
work=$(mktemp -d)
grid_model="$work/model.toml"
cp "$model" "$grid_model"
if [ "$nx" -gt 0 ]; then
    "$KINMAP_PYTHON" - "$grid_model" "$nx" "$ny" <<'PY'
import re, sys
path, nx, ny = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
text = open(path).read()
lines = text.splitlines()
for i, l in enumerate(lines):
    if l.startswith("x = {"): lines[i] = re.sub(r"points = \d+", "points = %d" % nx, l)
    if l.startswith("y = {"): lines[i] = re.sub(r"points = \d+", "points = %d" % ny, l)
open(path, "w").write("\n".join(lines) + "\n")
PY
fi
echo "model $model, $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
out="$work/map.h5"
kin=$(mpiexec -n "$cores" --oversubscribe --bind-to none "$root/build/apps/kinmap/kinmap" run "$grid_model" -o "$out" 2>&1 | grep "points/s")
echo "kinmap $kin"
if ! grep -q -E "^kf *=" "$grid_model"; then
    # The baseline evaluates explicit kf/kr; models with energies would need kinmap's
    # thermochemistry re-implemented in Python, which is not what users' scripts do either.
    echo "scipy: skipped (the baseline needs explicit kf/kr; this model gives energies)"
    rm -rf "$work"
    exit 0
fi
scipy=$("$KINMAP_PYTHON" "$root/bench/scipy_baseline.py" "$grid_model" --processes "$cores")
echo "$scipy"
"$KINMAP_PYTHON" - "$scipy" "$kin" "$cores" <<'PY'
import re, sys
scipy, kin, cores = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = float(re.search(r"points_per_s ([\d.]+)", scipy).group(1))
k = float(re.search(r"([\d.]+) points/s", kin).group(1))
print("points/s per core: scipy %.1f, kinmap %.1f; ratio kinmap/scipy = %.0fx (same grid, %d processes each)"
      % (s / cores, k / cores, k / s, cores))
PY
rm -rf "$work"
