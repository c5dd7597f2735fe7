#!/usr/bin/env python3
"""Coverage-dependent interactions (DESIGN §11) through the whole application: a small CO
oxidation model with [interactions] (written here) run at 1, 2 and 3 ranks under every schedule
gives bitwise identical results, /interaction_energy_eV and /interaction_continuation included;
`kinmap point --json` has the same /interaction_energy_eV; an interrupted run resumed from its
journal and a sharded run merged equal the single run bitwise; `kinmap check` prints the ε
matrix and the warnings; heatmap.py draws the interaction energies; a model without
[interactions] has neither variable.

Usage: interactions.py KINMAP UNUSED_MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import json
import os
import subprocess
import sys

import h5py
import numpy as np

from common import RESULTS, bits, check, finish, setup

MODEL = """[model]
name = "co-oxidation-interacting"
temperature_K = 450.0
tof_of = "CO2_g"
[sites]
s = 1.0
[pressures]
CO2_g = 0.01
[species]
CO_g = { G_eV = 0.0 }
O2_g = { G_eV = 0.0 }
CO2_g = { G_eV = -3.0 }
CO_s = { G_eV = -1.3 }
O_s = { G_eV = -1.0 }
"O-O_2s" = { G_eV = 0.3 }
"CO-O_2s" = { G_eV = -1.2 }
[[step]]
equation = "CO_g + *_s -> CO_s"
[[step]]
equation = "O2_g + 2*_s <-> O-O_2s -> 2O_s"
[[step]]
equation = "CO_s + O_s <-> CO-O_2s -> CO2_g + 2*_s"
[sweep]
x = { pressure = "O2_g", from = 1e-6, to = 10.0, points = %d }
y = { pressure = "CO_g", from = 1e-6, to = 10.0, points = %d }
[interactions]
model = "%s"
response = "smooth_piecewise_linear"
cutoff = 0.25
smoothing = 0.05
[interactions.eps]
"CO_s|CO_s" = 3.248
"O_s|O_s" = 3.405
"""

FIELDS = RESULTS + ["interaction_energy_eV", "interaction_continuation"]


def main():
    kinmap, _, work, mpiexec, preflags = setup()
    model = os.path.join(work, "interacting.toml")
    with open(model, "w") as f:
        f.write(MODEL % (9, 8, "first_order"))

    outputs = {}
    for ranks in (1, 2, 3):
        for schedule in ("dynamic", "block", "cyclic"):
            out = os.path.join(work, "map_%d_%s.h5" % (ranks, schedule))
            cmd = [mpiexec, "-n", str(ranks)] + preflags + [kinmap, "run", model, "-o", out, "--schedule", schedule]
            run = subprocess.run(cmd, capture_output=True, text=True)
            check(run.returncode == 0, "%d ranks %s: exit %d %s" % (ranks, schedule, run.returncode, run.stderr[-300:]))
            outputs[(ranks, schedule)] = out
    reference = outputs[(1, "dynamic")]
    with h5py.File(reference, "r") as ref:
        for name in FIELDS:
            check(name in ref, "the map file has /%s" % name)
        data = {name: ref[name][...] for name in FIELDS if name in ref}
        check(ref["interaction_energy_eV"].dims[2][0].name == "/species", "interaction_energy_eV is [x, y, species]")
        check(int((ref["status"][...] == 0).sum()) == ref["status"].size, "every point OK")
        species = [s.decode() if isinstance(s, bytes) else s for s in ref["species"][...]]
        energy = data["interaction_energy_eV"]
        for s, name in enumerate(species):
            if name.startswith("*_"):
                check(np.all(energy[:, :, s] == 0.0), "no interaction energy of the free site")
        check(float(np.nanmax(energy)) > 0.1, "repulsion raises G somewhere on the map (max %g eV)" % np.nanmax(energy))
        x, y = ref["x"][...], ref["y"][...]
        xname, yname = ref["x"].attrs["name"], ref["y"].attrs["name"]
    for key, out in outputs.items():
        with h5py.File(out, "r") as f:
            for name in FIELDS:
                check(np.array_equal(bits(f[name][...]), bits(data[name])), "%s bitwise at %d ranks %s" % (name, key[0], key[1]))

    for i, j in [(0, 0), (4, 3), (8, 7), (2, 6)]:
        cmd = [kinmap, "point", model, "--set", "%s=%r" % (xname, float(x[i])), "--set", "%s=%r" % (yname, float(y[j])), "--json"]
        run = subprocess.run(cmd, capture_output=True, text=True)
        check(run.returncode == 0, "point (%d, %d) exit %d" % (i, j, run.returncode))
        point = json.loads(run.stdout)
        check(point["tof"] == data["tof"][i, j], "point tof at (%d, %d)" % (i, j))
        check(isinstance(point.get("interaction_energy_eV"), dict) or isinstance(point.get("interaction_energy_eV"), list),
              "point --json has interaction_energy_eV")
        values = point["interaction_energy_eV"]
        got = [values[name] for name in species] if isinstance(values, dict) else values
        check(got == list(data["interaction_energy_eV"][i, j]), "point interaction_energy_eV at (%d, %d)" % (i, j))
        check(point["interaction_continuation"] == int(data["interaction_continuation"][i, j]),
              "point interaction_continuation at (%d, %d)" % (i, j))

    # Shards and merge.
    shards = []
    for k in range(3):
        path = os.path.join(work, "shard%d.h5" % k)
        r = subprocess.run([mpiexec, "-n", str(k + 1)] + preflags + [kinmap, "run", model, "-o", path, "--shard", "%d/3" % k],
                           capture_output=True, text=True)
        check(r.returncode == 0, "shard %d/3: %s" % (k, r.stderr[-300:]))
        shards.append(path)
    merged = os.path.join(work, "merged.h5")
    r = subprocess.run([kinmap, "merge", merged] + shards, capture_output=True, text=True)
    check(r.returncode == 0, "merge: %s" % r.stderr[-300:])
    with h5py.File(merged, "r") as f:
        for name in FIELDS:
            check(name in f and np.array_equal(bits(f[name][...]), bits(data[name])), "merged %s bitwise" % name)

    # Interrupted at a deadline and resumed from the journal: the same results.
    big = os.path.join(work, "big.toml")
    with open(big, "w") as f:
        f.write(MODEL % (60, 60, "second_order"))
    whole = os.path.join(work, "big_whole.h5")
    r = subprocess.run([kinmap, "run", big, "-o", whole], capture_output=True, text=True)
    check(r.returncode == 0, "big map: %s" % r.stderr[-300:])
    part = os.path.join(work, "big_resumed.h5")
    r = subprocess.run([kinmap, "run", big, "-o", part, "--deadline", "0.05"], capture_output=True, text=True)
    interrupted = r.returncode == 3
    check(r.returncode in (0, 3), "deadline run exit %d" % r.returncode)
    if interrupted:
        check(os.path.exists(part + ".journal"), "the journal is kept")
    r = subprocess.run([kinmap, "run", big, "-o", part, "--resume"], capture_output=True, text=True)
    check(r.returncode == 0, "resume: %s" % r.stderr[-300:])
    with h5py.File(whole, "r") as a, h5py.File(part, "r") as b:
        for name in FIELDS:
            check(np.array_equal(bits(a[name][...]), bits(b[name][...])), "resumed %s bitwise (interrupted: %s)" % (name, interrupted))
        check(int((a["status"][...] == 0).sum()) == a["status"].size, "second_order map: every point OK")

    # kinmap check: the parameters, the ε matrix, and warnings with numbers.
    r = subprocess.run([kinmap, "check", model], capture_output=True, text=True)
    check(r.returncode == 0, "check exit %d" % r.returncode)
    check("interactions" in r.stdout and "eps on site type s" in r.stdout and "3.2480" in r.stdout and "3.3256" in r.stdout,
          "check prints the resolved ε (geometric mixing 3.3256)")
    check("falls below its initial state" in r.stderr, "check warns of a barrier that becomes negative: %s" % r.stderr[-400:])
    # Here |G − G0| stays below 3 eV (0.75·3.405 at a full monolayer of O); with ε(CO|CO) = 5
    # it reaches 0.75·5 = 3.75 eV at a full monolayer of CO.
    check("interaction energy of" not in r.stderr, "no large-energy warning below 3 eV")
    strong = os.path.join(work, "strong.toml")
    with open(strong, "w") as f:
        f.write((MODEL % (3, 3, "first_order")).replace('"CO_s|CO_s" = 3.248', '"CO_s|CO_s" = 5.0'))
    r = subprocess.run([kinmap, "check", strong], capture_output=True, text=True)
    check(r.returncode == 0 and "interaction energy of CO_s reaches 3.750 eV at theta(CO_s) = 1.00" in r.stderr,
          "check warns of an interaction energy beyond 3 eV: %s" % r.stderr[-400:])

    # The heatmap script draws one panel per adsorbate.
    prefix = os.path.join(work, "plot")
    r = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "..", "plots", "heatmap.py"),
                        reference, "-o", prefix], capture_output=True, text=True)
    check(r.returncode == 0, "heatmap.py: %s" % r.stderr[-300:])
    path = prefix + "_interaction_energy.png"
    check(os.path.exists(path) and os.path.getsize(path) > 1000, "heatmap draws %s" % path)

    # Without [interactions]: no such variable, no such JSON key.
    plain = os.path.join(work, "plain.toml")
    with open(plain, "w") as f:
        f.write((MODEL % (3, 3, "first_order")).split("[interactions]")[0])
    out = os.path.join(work, "plain.h5")
    r = subprocess.run([kinmap, "run", plain, "-o", out], capture_output=True, text=True)
    check(r.returncode == 0, "plain run")
    with h5py.File(out, "r") as f:
        check("interaction_energy_eV" not in f and "interaction_continuation" not in f, "no interaction variables without [interactions]")
    r = subprocess.run([kinmap, "point", plain, "--set", "p_O2_g=0.1", "--set", "p_CO_g=0.1", "--json"], capture_output=True, text=True)
    check("interaction_energy_eV" not in json.loads(r.stdout), "no interaction key in point --json without [interactions]")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
