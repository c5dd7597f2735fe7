#!/usr/bin/python3
"""kinmap from Python, notebook style (run cell by cell, or as a script):
CO oxidation on Pt(111) (`data/models/co_oxidation_pt111.toml`, energies from DFT), the O
binding energy made 0.2 eV weaker with Model.with_energies, and the shift of the TOF over the
model's (T, p_CO) sweep plotted to a PNG.

    /usr/bin/python3 docs/python_example.py [OUT.png]    # default out/python_example_tof_shift.png

Needs the module installed by scripts/demo.sh or scripts/test.sh (or PYTHONPATH=build/apps/python).
"""
# %% Load the model and solve one point
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import kinmap  # noqa: E402

root = pathlib.Path(__file__).resolve().parents[1]
out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path("python_example_tof_shift.png")  # in the current directory
model = kinmap.Model(root / "data" / "models" / "co_oxidation_pt111.toml")
print(model, "species", model.species, "gases", model.gases)
point = model.solve(T_K=600.0, p_CO_g=0.01)
print("at 600 K, p_CO = 0.01 bar:", point.status, "TOF %.4g 1/s" % point.tof,
      "theta_O %.3g" % point.coverage["O_s"], "DRC", np.round(point.drc, 3))

# %% The O binding energy 0.2 eV weaker: G(O*) from 1.62 to 1.82 eV
G_O = 1.62  # the model's [species] O_s = { G_eV = 1.62 }
weaker = model.with_energies(O_s=G_O + 0.2)
print("same point, weaker O*:", weaker.solve(T_K=600.0, p_CO_g=0.01).tof)

# %% Both maps in-process (threads, no MPI): xarray Datasets like open_map of a run's file
base = model.map(progress=True)
shifted = weaker.map(progress=True)
ok = (base.status == 0) & (shifted.status == 0)
shift = np.log10(shifted.tof / base.tof).where(ok)

# %% Plot log10 TOF and its shift
fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
np.log10(base.tof).plot(ax=a, x="x", cmap="viridis", cbar_kwargs={"label": "log10 TOF [1/s]"})
a.set_title("Pt(111), G(O*) = %.2f eV" % G_O)
limit = float(np.nanmax(np.abs(shift.values)))
shift.plot(ax=b, x="x", cmap="RdBu_r", vmin=-limit, vmax=limit,
           cbar_kwargs={"label": "log10 TOF(G + 0.2 eV) / TOF(G)"})
b.set_title("TOF shift with O* bound 0.2 eV weaker")
for ax in (a, b):
    ax.set_yscale("log")
    ax.set_xlabel("T [K]")
    ax.set_ylabel("p_CO [bar]")
out.parent.mkdir(parents=True, exist_ok=True)
fig.savefig(out, dpi=120)
print("wrote", out, "- shift from %.2f to %.2f decades" % (float(np.nanmin(shift)), float(np.nanmax(shift))))
