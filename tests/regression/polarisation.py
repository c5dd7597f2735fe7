#!/usr/bin/python3
"""plots/polarisation.py reads the Tafel slope off a potential map (issue 20), and
plots/heatmap.py labels potential axes in V vs the model's reference.

A synthetic map with j = j0·exp(−β·U/(kB·T)) (known closed form: b = −1000·kB·T·ln 10/β mV/dec)
is written with h5py in the layout of DESIGN §6, and the shipped hydrogen-evolution model's
potential × pH map from `kinmap run` is drawn: there the slope far from equilibrium is the
Heyrovsky-limited closed form (β = 0.5: 2·kB·T·ln 10), the sign of the current flips at the
equilibrium potential, and the heatmap's axes read "U [V vs SHE]" and "pH".

Usage: polarisation.py KINMAP MODEL WORKDIR [MPIEXEC...]
"""
import json
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

from common import check, finish

HERE = os.path.dirname(os.path.abspath(__file__))
POL = os.path.join(HERE, "..", "..", "plots", "polarisation.py")
HEATMAP = os.path.join(HERE, "..", "..", "plots", "heatmap.py")
KB = 8.617333262145179e-05


def synthetic(path, beta, T):
    U = np.linspace(-0.5, 0.0, 11)
    pH = np.array([0.0, 7.0])
    j = 1e-3 * np.exp(-beta * U[:, None] / (KB * T)) * np.ones((1, 2))
    with h5py.File(path, "w") as f:
        for name, values, q, units in (("x", U, "U_V", "V"), ("y", pH, "pH", "1")):
            d = f.create_dataset(name, data=values)
            d.attrs["name"] = q
            d.attrs["units"] = units
            d.attrs["scale"] = "linear"
        f.create_dataset("status", data=np.zeros((11, 2), dtype=np.uint8))
        f.create_dataset("current_density_mA_cm2", data=j)
        f.create_dataset("electron_rate", data=j * 4.16)
        g = f.create_group("model")
        g.attrs["toml"] = '[electrochemistry]\nreference = "SHE"\n'
    return U


def main():
    kinmap, model, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    T = 298.15
    for beta in (0.5, 0.35):
        path = os.path.join(work, "synthetic_%g.h5" % beta)
        synthetic(path, beta, T)
        out = os.path.join(work, "synthetic_%g.json" % beta)
        run = subprocess.run(["/usr/bin/python3", POL, path, "--at", "7", "--fit=-0.5:0", "--json", out],
                             capture_output=True, text=True)
        check(run.returncode == 0, "polarisation.py on the synthetic map: %s" % run.stderr)
        expected = -1e3 * KB * T * np.log(10.0) / beta
        with open(out) as fh:
            result = json.load(fh)
        check(abs(result["tafel_mV_per_dec"] - expected) < 1e-6 * abs(expected),
              "beta %g: fitted Tafel slope %r vs closed form %r mV/dec" % (beta, result["tafel_mV_per_dec"], expected))
        check(all(abs(s - expected) < 1e-6 * abs(expected) for s in result["slopes_mV_per_dec"]),
              "beta %g: every interval's slope is the closed form" % beta)
        check(result["at"] == 7.0 and result["reference"] == "SHE", "the line and the reference")
        check("Tafel slope %.2f mV/dec" % expected in run.stdout, "printed slope: %s" % run.stdout[-200:])

    # The shipped HER model's map.
    mapfile = os.path.join(work, "her.h5")
    run = subprocess.run([kinmap, "run", model, "-o", mapfile], capture_output=True, text=True)
    check(run.returncode == 0, "kinmap run %s: %s" % (model, run.stderr))
    with h5py.File(mapfile, "r") as f:
        U = f["x"][...]
        pH = f["y"][...]
        j = f["current_density_mA_cm2"][...]
        e = f["electron_rate"][...]
        tof = f["tof"][...]
        check(f["x"].attrs["name"] in ("U_V", b"U_V") and f["x"].attrs["units"] in ("V", b"V"), "x is U_V in V")
        check(np.array_equal(np.sign(e), np.sign(tof)), "the electron rate has the sign of the H2 TOF")
        # Equilibrium at U = -kB*T*ln10*pH (H2 at 1 bar): reduction below, oxidation above.
        for k, value in enumerate(pH):
            u_eq = -KB * 298.15 * np.log(10.0) * value
            below = U < u_eq - 0.02
            above = U > u_eq + 0.02
            check((j[below, k] > 0).all() and (j[above, k] < 0).all(),
                  "pH %g: reduction below and oxidation above U_eq = %.3f V" % (value, u_eq))
    out = os.path.join(work, "her_line.json")
    run = subprocess.run(["/usr/bin/python3", POL, mapfile, "--at", "0", "--fit=-0.9:-0.6", "--json", out,
                          "-o", os.path.join(work, "her_pol.png")], capture_output=True, text=True)
    check(run.returncode == 0, "polarisation.py on the HER map: %s" % run.stderr)
    with open(out) as fh:
        result = json.load(fh)
    # Far below equilibrium the Heyrovsky step (β = 0.5) limits: b = −2·kB·T·ln 10 per V.
    heyrovsky = -1e3 * KB * 298.15 * np.log(10.0) / 0.5
    check(abs(result["tafel_mV_per_dec"] - heyrovsky) < 0.02 * abs(heyrovsky),
          "HER Tafel slope %r vs Heyrovsky-limited %r mV/dec (2 %%)" % (result["tafel_mV_per_dec"], heyrovsky))
    check(os.path.getsize(os.path.join(work, "her_pol.png")) > 1000, "the polarisation plot")

    # heatmap.py: potential axes in V vs the reference, pH without units.
    sys.path.insert(0, os.path.join(HERE, "..", "..", "plots"))
    import heatmap  # noqa: E402
    check(heatmap.pretty("U_V", heatmap.electrode_units({"electrochemistry": {"reference": "SHE"}}, "U_V", "V")) == "U [V vs SHE]",
          "U_V label on SHE")
    check(heatmap.pretty("U_V", heatmap.electrode_units({}, "U_V", "V")) == "U [V vs RHE]", "U_V label defaults to RHE")
    check(heatmap.pretty("pH", heatmap.electrode_units(None, "pH", "1")) == "pH", "pH label")
    check(not heatmap.is_descriptor("U_V") and not heatmap.is_descriptor("pH"), "U_V and pH are no descriptors")
    prefix = os.path.join(work, "her")
    run = subprocess.run(["/usr/bin/python3", HEATMAP, mapfile, "-o", prefix], capture_output=True, text=True)
    check(run.returncode == 0 and os.path.getsize(prefix + "_tof.png") > 1000, "heatmap.py draws the HER map: %s" % run.stderr)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
