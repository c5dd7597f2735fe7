#!/usr/bin/python3
"""Hash the results (DESIGN §6) and the deterministic diagnostics of map files, one line per
file: a refactor that must not change results compares these lines before and after.
Usage: /usr/bin/python3 bench/results_hash.py MAP.h5..."""
import hashlib, sys, h5py, numpy as np
NAMES = ["x", "y", "tof", "coverage", "rates", "status", "drc", "trc", "orders", "ea_app_eV",
         "residual", "ode_steps", "newton_iterations", "descriptor_sensitivity"]
for path in sys.argv[1:]:
    with h5py.File(path, "r") as f:
        parts = []
        for n in NAMES:
            if n in f:
                a = np.ascontiguousarray(f[n][...])
                parts.append(f"{n}={hashlib.sha256(a.tobytes()).hexdigest()[:16]}")
        print(path.split("/")[-1], " ".join(parts))
