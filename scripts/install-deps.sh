#!/usr/bin/env bash
# Install kinmap's build, test and plot dependencies from Debian 12's apt.
# Idempotent: installs only packages that are missing. Needs root (or sudo).
set -euo pipefail

packages=(
    build-essential cmake pkg-config git procps
    openmpi-bin libopenmpi-dev
    libhdf5-openmpi-dev hdf5-tools
    libeigen3-dev libboost-dev libsuitesparse-dev
    catch2 libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
    python3 python3-dev pybind11-dev python3-pytest
    python3-numpy python3-h5py python3-matplotlib
    python3-scipy python3-xarray python3-h5netcdf
    slurm-wlm munge
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
