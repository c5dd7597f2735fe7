#!/usr/bin/env bash
# Install what is missing, build Release, run the whole ctest suite; then build with
# AddressSanitizer + UndefinedBehaviorSanitizer and run the unit and MPI tests again.
# Usage: scripts/test.sh [extra ctest arguments]     (KINMAP_SKIP_SANITIZERS=1 skips the second pass)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/env.sh"

bash "$here/install-deps.sh"

build="${KINMAP_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    "-DMPIEXEC_PREFLAGS=${KINMAP_MPIEXEC_PREFLAGS}" -DKINMAP_PYTHON="$KINMAP_PYTHON"
cmake --build "$build" -j "$(nproc)"
cmake --install "$build" --component python  # the Python module: /usr/bin/python3 -c "import kinmap"
(cd "$build" && ctest --output-on-failure --timeout 600 "$@")

if [ "${KINMAP_SKIP_SANITIZERS:-0}" != "1" ]; then
    asan="${KINMAP_ASAN_BUILD_DIR:-$root/build-asan}"
    cmake -S "$root" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKINMAP_SANITIZE=ON \
        -DKINMAP_BUILD_BENCH=OFF "-DMPIEXEC_PREFLAGS=${KINMAP_MPIEXEC_PREFLAGS}" \
        -DKINMAP_PYTHON="$KINMAP_PYTHON"
    cmake --build "$asan" -j "$(nproc)"
    # Open MPI keeps allocations until exit by design: leak reports there are not ours.
    export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    (cd "$asan" && ctest --output-on-failure --timeout 600 -L "unit|mpi" -LE regression "$@")
fi
