# Sourced by the scripts: Open MPI as root, oversubscription, and the Python that has numpy.
export OMPI_ALLOW_RUN_AS_ROOT=1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
# Ranks beyond the cores must yield the CPU rather than spin in MPI waits.
export OMPI_MCA_mpi_yield_when_idle=1
export KINMAP_MPIEXEC_PREFLAGS="--oversubscribe;--bind-to;none"
# Also in the flags CTest uses, so that ctest works from a shell without these variables.
if [ "$(id -u)" -eq 0 ]; then KINMAP_MPIEXEC_PREFLAGS="$KINMAP_MPIEXEC_PREFLAGS;--allow-run-as-root"; fi
# Debian's interpreter has python3-numpy/h5py/matplotlib; another python3 may shadow it on PATH.
export KINMAP_PYTHON=/usr/bin/python3
