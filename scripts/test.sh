#!/usr/bin/env bash
# Install what is missing, build Release, run the whole ctest suite.
# Usage: scripts/test.sh [extra ctest arguments]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/env.sh"

bash "$here/install-deps.sh"

build="${KINMAP_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    "-DMPIEXEC_PREFLAGS=${KINMAP_MPIEXEC_PREFLAGS}" -DKINMAP_PYTHON="$KINMAP_PYTHON"
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure --timeout 600 "$@"
