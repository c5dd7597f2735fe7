#!/usr/bin/env bash
# The shipped example, end to end: install what is missing, build Release, compute the
# CO-oxidation map on 2 MPI ranks, draw the heatmaps, and print where everything is.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/env.sh"
start_ns=$(date +%s%N)

bash "$here/install-deps.sh"

build="${KINMAP_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    "-DMPIEXEC_PREFLAGS=${KINMAP_MPIEXEC_PREFLAGS}" > "$root/out-cmake.log" 2>&1 \
    || { cat "$root/out-cmake.log"; exit 1; }
rm -f "$root/out-cmake.log"
cmake --build "$build" -j "$(nproc)" --target kinmap_app kinmap_python
cmake --install "$build" --component python  # the Python module: /usr/bin/python3 -c "import kinmap"

out="$root/out"
mkdir -p "$out"
model="$root/data/models/co_oxidation_pt100.toml"
map="$out/co_oxidation_pt100.h5"
rm -f "$map" "$map.partial" "$map.journal"
mpiexec -n 2 --oversubscribe --bind-to none "$build/apps/kinmap/kinmap" run "$model" -o "$map" --progress
"$KINMAP_PYTHON" "$root/plots/heatmap.py" "$map" -o "$out/co_oxidation_pt100"

elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
echo
printf 'demo finished in %d.%03d s (install, build, run, plot)\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
echo "  map (HDF5):     $map"
echo "  heatmaps (PNG): $(ls "$out"/co_oxidation_pt100*.png | tr '\n' ' ')"
echo "  open in Python: /usr/bin/python3 -c \"import kinmap; print(kinmap.open_map('$map'))\""
