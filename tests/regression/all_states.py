#!/usr/bin/env python3
"""Every steady state and fold lines (DESIGN §8) as users run them, on a 13x13 CO/Pt(100) map:
--all-states results (and /fold) bitwise identical at 1, 2 and 3 ranks under every schedule and
after a sharded run and merge; [solver] all_states = true is the same as the flag; the default
results are unchanged by the search; dtypes, padding and the /state scale as §8 says; xarray
opens the maps and the /fold group; the map's fold points equal `kinmap fold`'s; a sample
point equals `kinmap point --all-states --json`; the default run has none of it.

Usage: all_states.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import json
import os
import re
import subprocess
import sys

import h5py
import numpy as np
import xarray as xr

from common import RESULTS, bits, check, finish, setup

STATES = ["n_states", "n_stable", "states_tof", "states_coverage", "states_stable", "clean_state"]


def main():
    kinmap, model, work, mpiexec, pre = setup()
    text = open(model).read()
    # A 13x13 grid of the shipped model: the same axes, fewer points.
    small = re.sub(r"points = 41", "points = 13", text)
    check(small != text, "the shipped model has 41-point axes to shrink")
    small_model = os.path.join(work, "pt100_13.toml")
    open(small_model, "w").write(small)
    toml_model = os.path.join(work, "pt100_13_toml.toml")
    open(toml_model, "w").write(small.replace("[solver]\n", "[solver]\nall_states = true\n"))

    def run(*args, ranks=1):
        return subprocess.run([mpiexec, "-n", str(ranks)] + pre + [kinmap] + list(args), capture_output=True, text=True)

    outputs = {}
    for ranks in (1, 2, 3):
        for schedule in ("dynamic", "block", "cyclic"):
            out = os.path.join(work, "all_%d_%s.h5" % (ranks, schedule))
            r = run("run", small_model, "-o", out, "--schedule", schedule, "--all-states", ranks=ranks)
            check(r.returncode == 0, "--all-states at %d ranks %s: %s" % (ranks, schedule, r.stderr[-400:]))
            outputs[(ranks, schedule)] = out
    default = os.path.join(work, "default.h5")
    check(run("run", small_model, "-o", default).returncode == 0, "default run")
    # A complete map without every steady state does not answer a --resume that asks for them.
    before = open(default, "rb").read()
    r = run("run", small_model, "-o", default, "--resume", "--all-states")
    check(r.returncode == 2 and "without every steady state" in r.stderr, "--resume --all-states of a default map: %s" % r.stderr[-300:])
    check(open(default, "rb").read() == before, "the refused --resume left the default map as it was")
    from_toml = os.path.join(work, "toml.h5")
    check(run("run", toml_model, "-o", from_toml, ranks=2).returncode == 0, "[solver] all_states = true run")

    ref = outputs[(1, "dynamic")]
    with h5py.File(ref, "r") as f:
        data = {n: f[n][...] for n in RESULTS + STATES}
        fold = {n: f["fold"][n][...] for n in ("x", "y", "curve")}
        # dtypes and the state dimension scale (DESIGN §8)
        for name, dtype in (("n_states", np.uint8), ("n_stable", np.uint8), ("states_tof", np.float64),
                            ("states_coverage", np.float64), ("states_stable", np.uint8), ("clean_state", np.int8),
                            ("fold/x", np.float64), ("fold/y", np.float64), ("fold/curve", np.int32)):
            check(f[name].dtype == dtype, "%s is %s (%s)" % (name, np.dtype(dtype).name, f[name].dtype))
        check(list(f["state"][...]) == [0, 1, 2, 3], "/state is 0 .. max_states-1 (default 4)")
        nx, ny, ns = f["coverage"].shape
        check(f["states_coverage"].shape == (nx, ny, 4, ns), "states_coverage is [x, y, state, species]")
        check(f["states_tof"].shape == (nx, ny, 4) and f["states_stable"].shape == (nx, ny, 4), "[x, y, state]")
    n = data["n_states"].astype(int)
    slot = np.arange(4)[None, None, :]
    pad = slot >= n[:, :, None]
    check(bool(np.all(np.isnan(data["states_tof"][pad]))) and bool(np.all(~np.isnan(data["states_tof"][~pad]))),
          "states_tof: NaN exactly in the padding")
    check(bool(np.all(data["states_stable"][pad] == 255)) and bool(np.all(data["states_stable"][~pad] <= 1)),
          "states_stable: 255 exactly in the padding")
    check(bool(np.all(np.isnan(data["states_coverage"][pad]))), "states_coverage: NaN padding")
    check(bool(np.all(data["n_stable"] == (data["states_stable"] == 1).sum(axis=2))), "n_stable counts the stable flags")
    check(set(np.unique(n)) == {1, 3}, "one or three states on CO/Pt(100) (%s)" % sorted(set(np.unique(n))))
    bistable = int((data["n_stable"] >= 2).sum())
    check(bistable > 10, "a bistable band (%d points)" % bistable)
    ok = data["status"] == 0
    clean = data["clean_state"]
    check(bool(np.all(clean[ok] >= 0)), "the clean-surface state is marked at every OK point")
    picked = np.take_along_axis(data["states_tof"], np.maximum(clean, 0).astype(int)[:, :, None], axis=2)[:, :, 0]
    check(np.array_equal(bits(picked[ok]), bits(data["tof"][ok])), "the clean state's TOF is /tof, bitwise")
    # Stable states first, each group by ascending TOF (CO/Pt(100): TOFs far apart within a group).
    st = data["states_stable"].astype(int)
    order_ok = True
    for i in range(nx):
        for j in range(ny):
            k = n[i, j]
            s = list(st[i, j, :k])
            order_ok &= s == sorted(s, reverse=True)
            t = data["states_tof"][i, j, :k]
            for a in range(k - 1):
                if s[a] == s[a + 1]:
                    order_ok &= bool(t[a] < t[a + 1])
    check(order_ok, "stable states first, then by ascending TOF")

    for (ranks, schedule), out in outputs.items():
        with h5py.File(out, "r") as f:
            same = all(np.array_equal(bits(f[name][...]), bits(data[name])) for name in RESULTS + STATES)
            same_fold = all(np.array_equal(bits(f["fold"][k][...]), bits(fold[k])) for k in fold)
            check(same and same_fold, "results, states and /fold bitwise equal at %d ranks %s" % (ranks, schedule))
    with h5py.File(from_toml, "r") as f:
        check(all(np.array_equal(bits(f[name][...]), bits(data[name])) for name in RESULTS + STATES),
              "[solver] all_states = true gives the --all-states results")
    with h5py.File(default, "r") as f:
        check(all(np.array_equal(bits(f[name][...]), bits(data[name])) for name in RESULTS),
              "the default results are the same with and without --all-states")
        check(not any(name in f for name in STATES + ["state", "fold"]), "the default run has no state variables, no /fold")

    # Shards and merge: the same file, /fold included (computed at the merge).
    shards = []
    for k in range(2):
        path = os.path.join(work, "shard%d.h5" % k)
        r = run("run", small_model, "-o", path, "--shard", "%d/2" % k, "--all-states", ranks=k + 1)
        check(r.returncode == 0, "shard %d/2: %s" % (k, r.stderr[-300:]))
        shards.append(path)
    merged = os.path.join(work, "merged.h5")
    r = subprocess.run([kinmap, "merge", merged] + shards, capture_output=True, text=True)
    check(r.returncode == 0, "merge: %s" % r.stderr[-300:])
    with h5py.File(merged, "r") as f:
        check(all(np.array_equal(bits(f[name][...]), bits(data[name])) for name in RESULTS + STATES) and
              all(np.array_equal(bits(f["fold"][k][...]), bits(fold[k])) for k in fold),
              "merged shards equal the single run bitwise, /fold included")

    # /fold: one curve crossing the 13x13 map here (the upper fold; the lower lies below 1e-4 bar).
    check(len(fold["x"]) >= 5 and set(fold["curve"]) == {0}, "one fold curve over the map (%d points)" % len(fold["x"]))
    with h5py.File(ref, "r") as f:
        xs, ys = f["x"][...], f["y"][...]
    check(bool(np.all((fold["y"] >= ys[0]) & (fold["y"] <= ys[-1]))), "fold points inside the map")
    for p in range(0, len(fold["x"]), max(1, len(fold["x"]) // 3)):
        r = subprocess.run([kinmap, "fold", small_model, "--along", "p_CO_g", "--set", "p_O2_g=%r" % fold["x"][p], "--json"],
                           capture_output=True, text=True)
        folds = json.loads(r.stdout)["folds"] if r.returncode == 0 else []
        near = [abs(g["value"] - fold["y"][p]) / fold["y"][p] for g in folds]
        check(len(near) > 0 and min(near) < 1e-10,
              "map fold at p_O2_g=%g is kinmap fold's (%s)" % (fold["x"][p], near))

    # A bistable sample point as `kinmap point --all-states --json` reports it.
    i, j = [int(v[0]) for v in np.nonzero(data["n_stable"] >= 2)]
    r = subprocess.run([kinmap, "point", small_model, "--set", "p_O2_g=%r" % xs[i], "--set", "p_CO_g=%r" % ys[j],
                        "--all-states", "--json"], capture_output=True, text=True)
    states = json.loads(r.stdout)["states"]
    check(len(states) == n[i, j] and all(states[s]["tof"] == data["states_tof"][i, j, s] for s in range(n[i, j])) and
          [s["clean"] for s in states].index(True) == clean[i, j],
          "point --all-states --json equals the map at a bistable point")

    # xarray reads the maps with their coordinates, and the /fold group.
    ds = xr.open_dataset(ref, engine="h5netcdf")
    check(ds.states_tof.dims == ("x", "y", "state") and ds.states_coverage.dims == ("x", "y", "state", "species"),
          "xarray: states_tof and states_coverage dims")
    check(int(ds.n_stable.max()) == 2, "xarray: n_stable")
    ds.close()
    fd = xr.open_dataset(ref, engine="h5netcdf", group="fold")
    check(fd.x.dims == ("point",) and fd.sizes["point"] == len(fold["x"]), "xarray: the /fold group")
    fd.close()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
