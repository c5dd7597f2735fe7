#!/usr/bin/env python3
"""plots/heatmap.py states what is in the file (issue 12.3): colour limits come from the data
(a DRC of ±9 is drawn as ±9, not clipped at ±1), signed quantities get limits symmetric about
0, clipping happens only when asked for (--limits, --percentile) and is then marked by an
arrow, NOT_RUN and failed points are counted apart, NaN coverages of failed points are not
drawn as a surface, and the title names the model's conditions. On a descriptor map (issue
15) the axes read E_O [eV] and every surface of the model's [[surfaces]] inside the map is
marked and labelled on every heatmap (checked on the matplotlib figures and in --dump-limits).

A map file with known values is written with h5py in the layout of DESIGN §6 (so the expected
limits are the closed-form extremes of those values), and a real small map from `kinmap run`
is drawn as well, whose limits must contain every finite value of the file.

Usage: plots.py KINMAP MODEL WORKDIR [MPIEXEC...]
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
HEATMAP = os.path.join(HERE, "..", "..", "plots", "heatmap.py")
LABELS = ["OK", "ODE_FAIL", "NEWTON_FAIL", "NOT_STEADY", "NONFINITE", "TIMEOUT", "NOT_RUN"]
MODEL_TOML = """[model]
name = "h2-o2-synthetic"
temperature_K = 550.0
tof_of = "H2O_g"

[sites]
s = 1.0

[pressures]
H2O_g = 0.02
O2_g = 0.5
"""


DESCRIPTOR_TOML = MODEL_TOML + """
[descriptors]
E_O = 1.62
E_CO = 1.70

[[surfaces]]
name = "Pt"
E_O = 1.62
E_CO = 1.70

[[surfaces]]
name = "Au"
E_O = 2.61
E_CO = 3.04

[[surfaces]]
name = "Re"   # outside the map (its cells start at E_O = -1.25): not drawn
E_O = -1.5
E_CO = 0.5

[[surfaces]]
name = "Ni"   # no E_CO: not drawn
E_O = 0.35
"""
DESCRIPTOR_AXES = (("E_O", "eV", np.linspace(-1.0, 3.0, 9)), ("E_CO", "eV", np.linspace(-0.5, 4.0, 7)))


def write_map(path, nx=9, ny=7, axes=None, model_toml=MODEL_TOML):
    """A T x p(H2_g) map with DRC in [-9, 9], orders in [-2.5, 3], coverages in (0, 1], one
    failed point (NaN coverage, as helper C's runs write it) and a NOT_RUN row."""
    x = np.linspace(400.0, 800.0, nx)
    y = np.logspace(-4, 2, ny)
    u = np.linspace(-1.0, 1.0, nx)[:, None] * np.ones(ny)[None, :]
    v = np.ones(nx)[:, None] * np.linspace(0.0, 1.0, ny)[None, :]
    species = ["*_s", "H_s", "O_s"]
    steps = ["H2_g + 2*_s -> 2H_s", "O2_g + 2*_s -> 2O_s", "2H_s + O_s -> H2O_g + 3*_s"]
    gases = ["H2_g", "O2_g", "H2O_g"]
    status = np.zeros((nx, ny), dtype=np.uint8)
    status[2, 3] = LABELS.index("NEWTON_FAIL")
    status[:, ny - 1] = LABELS.index("NOT_RUN")
    bad = status != 0
    theta_h = 0.2 + 0.6 * v
    theta_o = 1e-6 * 10 ** (4 * (u + 1) / 2)  # 1e-6 ... 1e-2
    coverage = np.stack([1 - theta_h - theta_o, theta_h, theta_o], axis=-1)
    drc = np.stack([9.0 * u, -3.0 * u, 1.0 - 6.0 * u], axis=-1)  # |DRC| up to 9 (u = ±1)
    trc = np.stack([np.full((nx, ny), np.nan), 2.0 * u, -1.5 + 0 * u], axis=-1)
    orders = np.stack([0.5 + 2.5 * u, -2.5 * v, 0 * u], axis=-1)  # -2.5 ... 3
    tof = 10.0 ** (3 * u + 2 * v)
    ea = 0.5 + u
    # Values at points that are not OK: what a run writes there (NaN), and one point that
    # still holds garbage (an old file), which must not enter the limits either.
    for a in (coverage, drc, trc, orders):
        a[bad] = np.nan
    tof[bad] = np.nan
    ea[bad] = np.nan
    drc[0, ny - 1, 0] = 500.0  # a NOT_RUN point with garbage: not a result
    with h5py.File(path, "w") as f:
        f.attrs["tof_of"] = "H2O_g"
        f.attrs["schema_version"] = 1
        named = (("x", x, "T_K", "K", "linear"), ("y", y, "p_H2_g", "bar", "log"))
        if axes is not None:
            named = tuple((a, values, q, u, "linear") for a, (q, u, values) in zip(("x", "y"), axes))
        for name, values, quantity, units, scale in named:
            d = f.create_dataset(name, data=values)
            d.attrs["name"], d.attrs["units"], d.attrs["scale"] = quantity, units, scale
        f.create_dataset("species", data=np.array(species, dtype=h5py.string_dtype()))
        f.create_dataset("step", data=np.array(steps, dtype=h5py.string_dtype()))
        f.create_dataset("gas", data=np.array(gases, dtype=h5py.string_dtype()))
        f.create_dataset("tof", data=tof)
        f.create_dataset("coverage", data=coverage)
        f.create_dataset("rates", data=np.zeros((nx, ny, 3)))
        f.create_dataset("drc", data=drc)
        f.create_dataset("trc", data=trc)
        f.create_dataset("orders", data=orders)
        f.create_dataset("ea_app_eV", data=ea)
        s = f.create_dataset("status", data=status)
        s.attrs["labels"] = np.array(LABELS, dtype=h5py.string_dtype())
        f.create_dataset("wall_time_s", data=np.where(status == 6, 0.0, 1e-4 * (1 + v)))
        g = f.create_group("model")
        g.attrs["toml"] = model_toml
    ok = status == 0
    return {"drc": np.abs(drc[ok]).max(), "orders": np.abs(orders[ok]).max(), "trc": np.abs(trc[ok][..., 1:]).max(),
            "tof": (np.log10(tof[ok]).min(), np.log10(tof[ok]).max()), "failed": int((bad & (status != 6)).sum()),
            "not_run": int((status == 6).sum()), "theta_o": (theta_o[ok].min(), theta_o[ok].max())}


def heatmap(work, path, name, *extra):
    prefix = os.path.join(work, name)
    limits = prefix + "_limits.json"
    r = subprocess.run([sys.executable, HEATMAP, path, "-o", prefix, "--dump-limits", limits] + list(extra),
                       capture_output=True, text=True)
    check(r.returncode == 0, "heatmap.py %s %s exits 0: %s" % (name, " ".join(extra), r.stderr[-800:]))
    if r.returncode != 0 or not os.path.exists(limits):
        return prefix, None
    with open(limits) as f:
        return prefix, json.load(f)


def close(a, b):
    return abs(a - b) <= 1e-12 * max(1.0, abs(b))


def every_state(kinmap, work):
    """Issue 18: a 9x9 CO/Pt(100) map with every steady state: heatmap.py shades the bistable
    region and draws /fold (what it drew, in --dump-limits, is what the file holds); branches.py
    draws every state along one line, the stable ones as the file flags them."""
    text = open(os.path.join(HERE, "..", "..", "data", "models", "co_oxidation_pt100.toml")).read()
    path = os.path.join(work, "pt100_9.toml")
    open(path, "w").write(text.replace("points = 41", "points = 9"))
    out = os.path.join(work, "states.h5")
    r = subprocess.run([kinmap, "run", path, "-o", out, "--all-states"], capture_output=True, text=True)
    check(r.returncode == 0, "kinmap run --all-states: %s" % r.stderr[-300:])
    dump = os.path.join(work, "states_limits.json")
    r = subprocess.run([sys.executable, HEATMAP, out, "-o", os.path.join(work, "states"), "--dump-limits", dump],
                       capture_output=True, text=True)
    check(r.returncode == 0, "heatmap.py on an all-states map: %s" % r.stderr[-300:])
    with h5py.File(out, "r") as f:
        n_stable = f["n_stable"][...]
        stable = f["states_stable"][...]
        fold_n = len(f["fold"]["x"][...])
        curves = len(set(int(c) for c in f["fold"]["curve"][...]))
        x = f["x"][...]
    drawn = json.load(open(dump)).get("multistability")
    check(drawn == {"bistable_points": int((n_stable >= 2).sum()), "fold_points": fold_n, "fold_curves": curves}
          and drawn["bistable_points"] > 0 and fold_n > 0,
          "heatmap shades the bistable points and draws the fold curves of the file (%s)" % drawn)
    branches = os.path.join(HERE, "..", "..", "plots", "branches.py")
    index = int(np.nonzero((n_stable >= 2).any(axis=1))[0][0])
    bdump = os.path.join(work, "branches.json")
    r = subprocess.run([sys.executable, branches, out, "--index", str(index), "-o", os.path.join(work, "states"),
                        "--dump", bdump], capture_output=True, text=True)
    check(r.returncode == 0 and os.path.exists(os.path.join(work, "states_branches.png")),
          "branches.py draws the S-curve: %s" % r.stderr[-300:])
    b = json.load(open(bdump))
    check([len(v["stable"]) for v in b["values"]] == [int(c) for c in (stable[index] == 1).sum(axis=1)],
          "branches.py draws every stable state of the line")
    check(b["at"] == {"p_O2_g": float(x[index])} and len(b["folds"]) >= 1, "branches.py marks the line's folds (%s)" % b["folds"])
    # A default map has neither.
    plain = os.path.join(work, "plain_limits.json")
    r = subprocess.run([kinmap, "run", path, "-o", os.path.join(work, "plain.h5")], capture_output=True, text=True)
    r = subprocess.run([sys.executable, HEATMAP, os.path.join(work, "plain.h5"), "-o", os.path.join(work, "plain"),
                        "--dump-limits", plain], capture_output=True, text=True)
    check(r.returncode == 0 and "multistability" not in json.load(open(plain)), "a default map: no bistable shading")


def main():
    kinmap, model, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    path = os.path.join(work, "synthetic.h5")
    known = write_map(path)
    prefix, lim = heatmap(work, path, "default")
    if lim is not None:
        for q in ("drc", "trc", "orders"):
            all_ = lim[q]["all"]
            check(close(all_["vmax"], known[q]) and close(all_["vmin"], -known[q]),
                  "%s limits symmetric at ±max|value| = ±%g: got %r" % (q, known[q], (all_["vmin"], all_["vmax"])))
            check(all_["extend"] == "neither" and all_["n_clipped_low"] == 0 and all_["n_clipped_high"] == 0,
                  "%s: nothing clipped by default" % q)
        check(close(lim["drc"]["all"]["vmax"], 9.0), "DRC of 9 drawn up to 9, not clipped at 1")
        check(close(lim["tof"]["vmin"], known["tof"][0]) and close(lim["tof"]["vmax"], known["tof"][1]),
              "log10 TOF limits are the data's extremes %r: got %r" % (known["tof"], (lim["tof"]["vmin"], lim["tof"]["vmax"])))
        check(lim["status"]["failed"] == known["failed"] and lim["status"]["not_run"] == known["not_run"],
              "failed (%d) and NOT_RUN (%d) counted apart: %r" % (known["failed"], known["not_run"], lim["status"]))
        check(lim["coverage"]["O_s"]["n_finite"] == int(np.prod((9, 7))) - known["failed"] - known["not_run"],
              "NaN coverages of failed points are not drawn as values")
    for suffix in ("tof", "coverage", "status", "wall_time", "drc", "trc", "orders", "ea_app"):
        p = "%s_%s.png" % (prefix, suffix)
        check(os.path.exists(p) and os.path.getsize(p) > 1000, "drew %s" % p)

    # Clipping on request is marked: --limits and --percentile set extend arrows.
    _, lim = heatmap(work, path, "clipped", "--limits", "drc=-1:1", "--limits", "orders=:2")
    if lim is not None:
        check(lim["drc"]["all"]["vmin"] == -1.0 and lim["drc"]["all"]["vmax"] == 1.0, "--limits drc=-1:1 used")
        check(lim["drc"]["all"]["extend"] == "both", "clipped DRC colour bar has arrows at both ends")
        check(lim["orders"]["all"]["vmax"] == 2.0 and lim["orders"]["all"]["extend"] == "max",
              "orders clipped above 2 only: %r" % lim["orders"]["all"])
    _, lim = heatmap(work, path, "percentile", "--percentile", "90")
    if lim is not None:
        check(lim["drc"]["all"]["vmax"] < 9.0 and lim["drc"]["all"]["extend"] == "both"
              and close(lim["drc"]["all"]["vmax"], -lim["drc"]["all"]["vmin"]),
              "--percentile 90: symmetric limits inside ±9 with arrows: %r" % lim["drc"]["all"])

    # Log coverages: limits from the positive data.
    _, lim = heatmap(work, path, "logcov", "--log-coverage")
    if lim is not None:
        c = lim["coverage"]["O_s"]
        check(close(c["vmin"], np.log10(known["theta_o"][0])) and close(c["vmax"], np.log10(known["theta_o"][1])),
              "log10 θ(O_s) limits %r from the data" % ((c["vmin"], c["vmax"]),))

    # The title: the model's name, temperature and fixed pressures (not the swept one).
    sys.path.insert(0, os.path.join(HERE, "..", "..", "plots"))
    try:
        import heatmap as hm
        with h5py.File(path, "r") as f:
            title = hm.model_title(f)
        check("h2-o2-synthetic" in title and "p(O2_g) = 0.5 bar" in title and "p(H2O_g) = 0.02 bar" in title
              and "T = " not in title and "p(H2_g)" not in title,
              "title names model and fixed conditions, not swept ones: %r" % title)
        r = hm.color_limits(np.array([np.nan, np.inf, -np.inf, -0.5, 0.25]), signed=True)
        check(r["vmin"] == -0.5 and r["vmax"] == 0.5 and r["extend"] == "neither", "NaN/inf ignored: %r" % r)
    except ImportError as e:
        check(False, "heatmap.py importable: %s" % e)

    # A descriptor (volcano) map: axes labelled in eV, the surfaces inside the map marked and
    # labelled on every heatmap, those outside or without both descriptors not.
    vpath = os.path.join(work, "volcano.h5")
    write_map(vpath, axes=DESCRIPTOR_AXES, model_toml=DESCRIPTOR_TOML)
    _, lim = heatmap(work, vpath, "volcano")
    if lim is not None:
        surf = lim.get("surfaces", {})
        check(surf.get("axes") == ["E_O", "E_CO"] and surf.get("listed") == ["Pt", "Au", "Re"],
              "surfaces with both descriptors listed: %r" % surf)
        marked = surf.get("marked", {})
        for suffix, panels in (("tof", 1), ("coverage", 3), ("status", 1), ("wall_time", 1), ("drc", 3),
                               ("trc", 2), ("orders", 3), ("ea_app", 1)):
            got = marked.get("volcano_%s.png" % suffix)
            check(got == [["Pt", "Au"]] * panels, "%s: Pt and Au marked on each of %d map panels: %r"
                  % (suffix, panels, got))
    # The same seen on the matplotlib figure itself: markers and labels at the surfaces' points,
    # axis labels in eV with the subscript, the axis limits kept to the map.
    try:
        import heatmap as hm
        import matplotlib.pyplot as plt
        with h5py.File(vpath, "r") as f:
            grid = hm.Grid(f)
            fig, ax = plt.subplots()
            grid.draw(ax, np.zeros((9, 7)))
            marks = {}
            grid.mark_surfaces("probe", marks)
            points = {l.get_gid(): tuple(l.get_xydata()[0]) for l in ax.lines if (l.get_gid() or "").startswith("surface:")}
            labels = sorted(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("surface-label:"))
            check(points == {"surface:Pt": (1.62, 1.70), "surface:Au": (2.61, 3.04)},
                  "markers at Pt (1.62, 1.70) and Au (2.61, 3.04): %r" % points)
            check(labels == ["Au", "Pt"], "markers labelled with the surface names: %r" % labels)
            check(ax.get_xlabel() == r"$E_{\mathrm{O}}$ [eV]" and ax.get_ylabel() == r"$E_{\mathrm{CO}}$ [eV]",
                  "descriptor axes labelled in eV: %r, %r" % (ax.get_xlabel(), ax.get_ylabel()))
            check(abs(ax.get_xlim()[0] - grid.xe[0]) < 1e-12 and abs(ax.get_ylim()[1] - grid.ye[-1]) < 1e-12,
                  "axis limits stay those of the map: %r %r" % (ax.get_xlim(), ax.get_ylim()))
            plt.close(fig)
        with h5py.File(path, "r") as f:  # a T x p map: no descriptors, nothing marked
            check(hm.Grid(f).surfaces == [], "no surfaces on a temperature x pressure map")
    except ImportError as e:
        check(False, "heatmap.py importable: %s" % e)

    # A real map: the shipped temperature x pressure model's rate control reaches ~±2; the
    # limits contain every finite value of the file.
    out = os.path.join(work, "real.h5")
    r = subprocess.run([kinmap, "run", model, "-o", out], capture_output=True, text=True)
    check(r.returncode == 0, "kinmap run %s: %s" % (model, r.stderr[-500:]))
    if r.returncode == 0:
        _, lim = heatmap(work, out, "real")
        with h5py.File(out, "r") as f:
            for q, name in (("drc", "drc"), ("trc", "trc"), ("orders", "orders")):
                data = f[name][...]
                top = float(np.nanmax(np.abs(data)))
                if lim is not None:
                    check(lim[q]["all"]["vmax"] >= top and lim[q]["all"]["vmin"] <= -top,
                          "%s of %s: limits %r contain max|value| %g" % (q, os.path.basename(model),
                                                                         (lim[q]["all"]["vmin"], lim[q]["all"]["vmax"]), top))

    # A 1-D sweep (only [sweep] x): kinmap writes /y of one point named "none"; the script draws
    # the curves of TOF and coverages against x besides the one-row maps.
    import re
    one_d = os.path.join(work, "one_d.toml")
    with open(model) as src, open(one_d, "w") as dst:
        text = src.read()
        y_line = re.search(r"\ny = \{[^\n]*\}", text).group(0)
        gas = re.search(r'pressure = "([^"]+)"', y_line)
        text = text.replace(y_line, "\n")
        if gas:  # the gas that y swept needs a fixed pressure now
            text = text.replace("[pressures]", "[pressures]\n%s = 0.1" % gas.group(1), 1)
        dst.write(text)
    out = os.path.join(work, "one_d.h5")
    r = subprocess.run([kinmap, "run", one_d, "-o", out], capture_output=True, text=True)
    check(r.returncode == 0, "kinmap run of a 1-D sweep: %s" % r.stderr[-500:])
    if r.returncode == 0:
        heatmap(work, out, "one_d")
        check(os.path.exists(os.path.join(work, "one_d_profile.png")), "a 1-D map is also drawn as curves")
    every_state(kinmap, work)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
