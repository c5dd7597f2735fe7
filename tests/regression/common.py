"""Shared by the regression scripts: pass/fail bookkeeping and bitwise comparison of results."""
import os
import shutil
import sys

import h5py
import numpy as np

# "The results" of DESIGN §6, including the rate-control maps.
RESULTS = ["tof", "coverage", "rates", "status", "drc", "trc", "orders", "ea_app_eV"]

failures = []


def check(condition, message):
    print(("ok: " if condition else "FAILED: ") + message, flush=True)
    if not condition:
        failures.append(message)


def bits(a):
    """The bytes of an array, so that NaN == NaN and -0.0 != 0.0: bitwise equality."""
    return np.ascontiguousarray(a).view(np.uint8)


def same_results(path_a, path_b, names=RESULTS):
    """Bitwise equality of the results; a volcano model's /descriptor_sensitivity is one too,
    and must then be in both files."""
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        names = list(names)
        if "descriptor_sensitivity" in a or "descriptor_sensitivity" in b:
            names.append("descriptor_sensitivity")
        for echem in ("electron_rate", "current_density_mA_cm2", "potential_sensitivity"):
            if echem in a or echem in b:
                names.append(echem)
        return all(n in a and n in b and np.array_equal(bits(a[n][...]), bits(b[n][...])) for n in names)


def finish():
    """Print the closing line and return the exit code."""
    print("%d passed, %d failed" % (0 if failures else 1, len(failures)))
    return 1 if failures else 0


def setup(argv=None):
    """The arguments every MPI regression script takes, `SCRIPT KINMAP MODEL WORKDIR MPIEXEC
    [MPIEXEC_PREFLAGS...]`, with WORKDIR emptied: (kinmap, model, work, mpiexec, preflags)."""
    argv = sys.argv if argv is None else argv
    kinmap, model, work, mpiexec = argv[1:5]
    preflags = [f for f in argv[5:] if f]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    return kinmap, model, work, mpiexec, preflags
