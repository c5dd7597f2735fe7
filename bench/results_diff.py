#!/usr/bin/python3
"""How far the results of two map files of the same model and grid lie apart, one line per
result (DESIGN §6): the largest relative difference |a − b| / max(|a|, |b|) over the points
where both are finite and nonzero (0 where equal), the largest absolute difference (what
counts for rate control, whose near-zero entries are rounding noise of O(1) terms), how many
values differ in any bit, and
the points whose status differs. For a change that moves results' last bits on purpose.
Usage: /usr/bin/python3 bench/results_diff.py A.h5 B.h5"""
import sys, h5py, numpy as np
NAMES = ["tof", "coverage", "rates", "drc", "trc", "orders", "ea_app_eV", "residual",
         "descriptor_sensitivity", "ode_steps", "newton_iterations"]
a_path, b_path = sys.argv[1], sys.argv[2]
with h5py.File(a_path, "r") as fa, h5py.File(b_path, "r") as fb:
    sa, sb = fa["status"][...], fb["status"][...]
    print(f"status: {int(np.count_nonzero(sa != sb))} of {sa.size} points differ")
    for n in NAMES:
        if n not in fa or n not in fb:
            continue
        a, b = fa[n][...].astype(float), fb[n][...].astype(float)
        differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
        both = np.isfinite(a) & np.isfinite(b) & ((a != 0) | (b != 0))
        rel = np.zeros_like(a)
        rel[both] = np.abs(a[both] - b[both]) / np.maximum(np.abs(a[both]), np.abs(b[both]))
        worst = float(rel.max()) if rel.size else 0.0
        absolute = float(np.abs(a[both] - b[both]).max()) if both.any() else 0.0
        odd = int(np.count_nonzero(differ & ~both))  # e.g. NaN on one side, 0 against nonzero
        print(f"{n}: {int(np.count_nonzero(differ))} of {a.size} values differ, "
              f"max relative difference {worst:.3g}, max absolute {absolute:.3g}" + (f", {odd} not comparable" if odd else ""))
