"""Shared by the regression scripts: pass/fail bookkeeping and bitwise comparison of results."""
import math
import os
import re
import shutil
import subprocess
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


def sized_model(kinmap, model, path, mpiexec, preflags, seconds, ranks=2):
    """Write to `path` the model with its grid (`points = 41` on both axes) grown so that a run
    on `ranks` ranks sweeps for about `seconds`, measured here: the scripts that stop a run
    midway need a mid-run, whatever this machine's speed (a fixed grid that took 10 s before
    issue 19 took 2 s after it). Returns the points per axis."""
    text = open(model).read()
    assert "points = 41" in text, "sized_model needs a model with points = 41"
    probe_points = 201

    def write(points):
        with open(path, "w") as f:
            f.write(text.replace("points = 41", "points = %d" % points))

    write(probe_points)
    probe = path + ".probe.h5"
    r = subprocess.run([mpiexec, "-n", str(ranks)] + preflags + [kinmap, "run", path, "-o", probe],
                       capture_output=True, text=True, timeout=300)
    m = re.search(r"\] (\d+) points in ([0-9.eE+-]+) s", r.stderr)
    if r.returncode != 0 or not m:
        raise RuntimeError("sized_model: the probe run failed (exit %d): %s" % (r.returncode, r.stderr[-300:]))
    os.remove(probe)
    rate = int(m.group(1)) / max(float(m.group(2)), 1e-3)
    points = int(math.sqrt(seconds * rate)) | 1
    points = min(max(points, probe_points), 1201)
    write(points)
    print("sized_model: %.0f points/s on %d ranks -> %d x %d points (~%.1f s)"
          % (rate, ranks, points, points, points * points / rate), flush=True)
    return points
