#!/usr/bin/env python3
"""kinmap run as users run it: at 1, 2 and 3 ranks under every schedule the results (DESIGN §6:
tof, coverage, rates, status) are bitwise identical; sample points equal `kinmap point --json`;
the file opens with h5py and with xarray (h5netcdf) with its coordinates; the heatmap script
draws it; a failed run leaves an existing output untouched.

Usage: run_identity.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import json
import re
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np
import xarray as xr

from common import RESULTS, bits, check, finish


def main():
    kinmap, model, work, mpiexec = sys.argv[1:5]
    preflags = [f for f in sys.argv[5:] if f]
    here = os.path.dirname(os.path.abspath(__file__))
    heatmap = os.path.join(here, "..", "..", "plots", "heatmap.py")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    outputs = {}
    for ranks in (1, 2, 3):
        for schedule in ("dynamic", "block", "cyclic"):
            out = os.path.join(work, "map_%d_%s.h5" % (ranks, schedule))
            cmd = [mpiexec, "-n", str(ranks)] + preflags + [kinmap, "run", model, "-o", out, "--schedule", schedule]
            run = subprocess.run(cmd, capture_output=True, text=True)
            check(run.returncode == 0, "%s exited %d: %s" % (" ".join(cmd), run.returncode, run.stderr))
            check(os.path.exists(out) and not os.path.exists(out + ".partial") and not os.path.exists(out + ".journal"),
                  "%s: output not committed atomically" % out)
            outputs[(ranks, schedule)] = out

    reference = outputs[(1, "dynamic")]
    with h5py.File(reference, "r") as ref:
        # A volcano model (DESIGN §10) has descriptors and ∂ln TOF/∂descriptor, also a result.
        has_descriptors = "descriptor" in ref
        results = RESULTS + (["descriptor_sensitivity"] if has_descriptors else [])
        # An electrochemical model (DESIGN §12): the electron rate, current density and
        # ∂ln TOF/∂U are results too.
        has_echem = "electron_rate" in ref
        if has_echem:
            results = results + ["electron_rate", "current_density_mA_cm2", "potential_sensitivity"]
            check("potential_sensitivity" in ref and "current_density_mA_cm2" in ref, "every electrochemistry field")
        check(("descriptor_sensitivity" in ref) == has_descriptors, "descriptor_sensitivity iff /descriptor")
        ref_data = {name: ref[name][...] for name in results}
        check(ref.attrs["schema_version"] == 1, "schema_version")
        check(int((ref["status"][...] == 0).sum()) == ref["status"].size, "not every point OK")
        for (ranks, schedule), out in outputs.items():
            with h5py.File(out, "r") as f:
                check(int(f.attrs["n_ranks"]) == ranks, "n_ranks attr of %s" % out)
                check(f.attrs["schedule"] == schedule, "schedule attr of %s" % out)
                for name in results:
                    check(np.array_equal(bits(f[name][...]), bits(ref_data[name])),
                          "%s differs bitwise between 1 rank dynamic and %d ranks %s" % (name, ranks, schedule))
                if ranks > 1:
                    # A static schedule gives every rank its share; a dynamic one gives work to
                    # whoever asks, and on an oversubscribed, loaded machine a rank that starts
                    # late may find a short map already handed out: there, at least two ranks
                    # must have computed (the work was shared at all).
                    computed = len(np.unique(f["rank"][...]))
                    if schedule == "dynamic":
                        check(computed >= 2, "%s: only one rank computed" % out)
                    else:
                        check(computed == ranks, "%s: not every rank computed" % out)

        # Sample points against kinmap point --json (same bits: JSON round-trips doubles).
        x, y = ref["x"][...], ref["y"][...]
        species = [s.decode() if isinstance(s, bytes) else s for s in ref["species"][...]]
        for i, j in [(0, 0), (len(x) // 2, len(y) // 3), (len(x) - 1, len(y) - 1), (len(x) // 3, len(y) // 2)]:
            xname = ref["x"].attrs["name"]
            yname = ref["y"].attrs["name"]
            cmd = [kinmap, "point", model, "--set", "%s=%r" % (xname, float(x[i])),
                   "--set", "%s=%r" % (yname, float(y[j])), "--json"]
            run = subprocess.run(cmd, capture_output=True, text=True)
            check(run.returncode == 0, "point at (%d, %d) exited %d" % (i, j, run.returncode))
            point = json.loads(run.stdout)
            check(point["tof"] == ref_data["tof"][i, j], "tof at (%d, %d): point %r vs run %r" % (i, j, point["tof"], ref_data["tof"][i, j]))
            for s, name in enumerate(species):
                check(point["coverage"][name] == ref_data["coverage"][i, j, s], "coverage %s at (%d, %d)" % (name, i, j))
            check(point["rates"] == list(ref_data["rates"][i, j]), "rates at (%d, %d)" % (i, j))
            check(point["drc"] == list(ref_data["drc"][i, j]), "drc at (%d, %d)" % (i, j))
            if has_echem:
                for name in ("electron_rate", "current_density_mA_cm2", "potential_sensitivity"):
                    value = ref_data[name][i, j]
                    check(point[name] == (None if np.isnan(value) else value),
                          "%s at (%d, %d): point %r vs run %r" % (name, i, j, point[name], value))
                check(point["conditions"].get(xname) == float(x[i]) or xname not in ("U_V", "pH"),
                      "point conditions carry %s" % xname)

    ds = xr.open_dataset(reference, engine="h5netcdf")
    for name in results:
        check(name in ds.data_vars, "xarray lacks %s" % name)
    if has_descriptors:
        check(ds["descriptor_sensitivity"].dims == ("x", "y", "descriptor"), "descriptor_sensitivity dims")
    check(ds["tof"].dims == ("x", "y"), "tof dims %r" % (ds["tof"].dims,))
    check(ds["coverage"].dims == ("x", "y", "species"), "coverage dims")
    check(ds["rates"].dims == ("x", "y", "step"), "rates dims")
    for coord in ("x", "y", "species", "step"):
        check(coord in ds.coords, "xarray lacks coordinate %s" % coord)
    check(np.array_equal(ds["tof"].values, ref_data["tof"], equal_nan=True), "xarray tof values")
    check([str(v) for v in ds["species"].values] == species, "species labels")
    check(ds["drc"].dims == ("x", "y", "step") and ds["trc"].dims == ("x", "y", "species"), "rate-control dims")
    check(ds["orders"].dims == ("x", "y", "gas") and ds["ea_app_eV"].dims == ("x", "y"), "orders, ea_app dims")
    ds.close()

    prefix = os.path.join(work, "plot")
    limits_path = prefix + "_limits.json"
    run = subprocess.run([sys.executable, heatmap, reference, "-o", prefix, "--dump-limits", limits_path],
                         capture_output=True, text=True)
    check(run.returncode == 0, "heatmap.py failed: %s" % run.stderr)
    for suffix in ("tof", "coverage", "status", "wall_time", "drc", "trc", "orders"):
        path = "%s_%s.png" % (prefix, suffix)
        check(os.path.exists(path) and os.path.getsize(path) > 1000, "missing or empty %s" % path)
    # The rate-control maps are drawn unclipped: symmetric limits that contain every value.
    if os.path.exists(limits_path):
        with open(limits_path) as f:
            limits = json.load(f)
        for name in ("drc", "trc", "orders"):
            finite = ref_data[name][np.isfinite(ref_data[name])]
            if finite.size and name in limits:
                lim = limits[name]["all"]
                top = float(np.abs(finite).max())
                check(lim["vmin"] == -lim["vmax"] and lim["vmax"] >= top and lim["extend"] == "neither",
                      "heatmap %s limits %r contain max|%s| = %g" % (name, (lim["vmin"], lim["vmax"]), name, top))

    # A failing run (bad model) exits 2 and leaves the existing output as it was.
    before = open(reference, "rb").read()
    bad = os.path.join(work, "bad.toml")
    with open(bad, "w") as f:
        f.write(re.sub(r"(?m)^temperature_K = .*$", "temperature_K = -1.0", open(model).read()))
    run = subprocess.run([mpiexec, "-n", "2"] + preflags + [kinmap, "run", bad, "-o", reference], capture_output=True, text=True)
    check(run.returncode == 2, "bad model: exit %d, expected 2" % run.returncode)
    check("bad.toml:" in run.stderr and "temperature_K" in run.stderr, "bad model message: %s" % run.stderr)
    check(open(reference, "rb").read() == before, "a failed run changed the existing output")

    return finish()


if __name__ == "__main__":
    sys.exit(main())
