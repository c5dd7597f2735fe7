#!/usr/bin/env python3
"""kinmap scaling at 3 ranks on a small grid: every field of the study is written (HDF5
/scaling and the CSV), the derived quantities follow their definitions from the measured
walls, simulated rows exist, and plots/scaling.py draws the file.

Usage: scaling_study.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import csv
import math
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

from common import check, finish


def main():
    kinmap, model, work, mpiexec = sys.argv[1:5]
    preflags = [f for f in sys.argv[5:] if f]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    small = os.path.join(work, "small.toml")
    with open(small, "w") as f:
        f.write(open(model).read().replace("points = 41", "points = 12"))
    out = os.path.join(work, "scaling.h5")
    cmd = [mpiexec, "-n", "3"] + preflags + [kinmap, "scaling", small, "-o", out, "--ranks", "1,2,3",
                                            "--repeats", "2", "--mode", "strong,weak",
                                            "--schedules", "dynamic,block,cyclic", "--simulate", "8,64"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    check(r.returncode == 0, "scaling exits 0: %s" % r.stderr[-500:])
    print(r.stdout)
    with h5py.File(out, "r") as f:
        g = f["scaling"]
        for attr in ("host", "physical_cores", "logical_cores", "job_ranks", "oversubscribed",
                     "mpi_library", "compiler", "compiler_flags", "latency_s", "model_hash"):
            check(attr in g.attrs, "attribute %s" % attr)
        check(int(g.attrs["job_ranks"]) == 3, "job_ranks")
        check(int(g.attrs["oversubscribed"]) == (1 if 3 > int(g.attrs["physical_cores"]) else 0), "oversubscribed flag")
        runs = g["runs"]
        for name in ("mode", "schedule", "ranks", "repeat", "points", "wall_s", "points_per_s", "compute_s", "wait_s", "io_s"):
            check(name in runs, "runs/%s" % name)
        n_runs = runs["wall_s"].shape[0]
        check(n_runs == 2 * 3 * 3 * 2, "2 modes x 3 schedules x 3 rank counts x 2 repeats = 36 runs, got %d" % n_runs)
        check(np.all(runs["wall_s"][...] > 0), "walls positive")
        ranks = runs["ranks"][...]
        compute = runs["compute_s"][...]
        for i in range(n_runs):
            n = int(ranks[i])
            check(np.all(compute[i, :n] >= 0) and np.all(np.isnan(compute[i, n:])), "per-rank compute of run %d" % i)
        modes = [m.decode() for m in runs["mode"][...]]
        points = runs["points"][...]
        for i in range(n_runs):
            expected = 144 * (int(ranks[i]) if modes[i] == "weak" else 1)
            check(points[i] == expected, "points of run %d (%s, %d ranks)" % (i, modes[i], ranks[i]))

        s = g["summary"]
        for name in ("mode", "schedule", "ranks", "points", "wall_median_s", "wall_min_s", "wall_max_s", "points_per_s",
                     "speedup", "efficiency", "load_balance", "karp_flatt", "simulated", "simulated_wall_s"):
            check(name in s, "summary/%s" % name)
        smode = [m.decode() for m in s["mode"][...]]
        ssched = [m.decode() for m in s["schedule"][...]]
        sranks, sim = s["ranks"][...], s["simulated"][...]
        s_points = s["points"][...]
        wall, speedup, eff, kf = s["wall_median_s"][...], s["speedup"][...], s["efficiency"][...], s["karp_flatt"][...]
        for i in range(len(sranks)):
            if sim[i]:
                continue
            one = [k for k in range(len(sranks)) if smode[k] == smode[i] and ssched[k] == ssched[i] and sranks[k] == 1 and not sim[k]][0]
            expect = wall[one] / wall[i] * (sranks[i] if smode[i] == "weak" else 1)
            check(math.isclose(speedup[i], expect, rel_tol=1e-12), "speedup definition, row %d" % i)
            check(math.isclose(eff[i], speedup[i] / sranks[i], rel_tol=1e-12), "efficiency definition, row %d" % i)
            if sranks[i] > 1:
                p = sranks[i]
                check(math.isclose(kf[i], (1 / speedup[i] - 1 / p) / (1 - 1 / p), rel_tol=1e-9), "Karp-Flatt, row %d" % i)
            if smode[i] == "strong":
                check(s["simulated_wall_s"][i] > 0, "simulated prediction beside measured row %d" % i)
        predicted = sorted(set((ssched[i], int(sranks[i])) for i in range(len(sranks)) if sim[i]))
        check(predicted == sorted((sch, r) for sch in ("dynamic", "block", "cyclic") for r in (8, 64)), "simulated rows %r" % predicted)
        check(g["point_costs_s"].shape[0] == 144, "per-point costs for the simulator")

    with open(os.path.join(work, "scaling.csv")) as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == len(sranks), "CSV has every summary row")
    check("oversubscribed" in rows[0] and "karp_flatt" in rows[0], "CSV columns")

    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.run([sys.executable, os.path.join(here, "..", "..", "plots", "scaling.py"), out], capture_output=True, text=True)
    check(r.returncode == 0, "scaling.py: %s" % r.stderr)
    for suffix in ("speedup", "efficiency", "busy"):
        path = os.path.join(work, "scaling_%s.png" % suffix)
        check(os.path.exists(path) and os.path.getsize(path) > 1000, "plot %s" % path)

    # The plot's series (issue 12.13): measured and simulated points are separate series, the
    # simulated rank counts (8, 64) appear only as simulated, and a 144-point grid whose 1-rank
    # run takes under a second is flagged as too small to measure.
    sys.path.insert(0, os.path.join(here, "..", "..", "plots"))
    try:
        import scaling as sc
        by_key = sc.series(smode, ssched, sranks, speedup, sim)
        for key, v in by_key.items():
            check(all(r in (1, 2, 3) for r, _ in v["measured"]), "%s: measured series holds only measured ranks %r" % (key, v["measured"]))
            if key[0] == "strong":
                check([r for r, _ in v["simulated"]] == [8, 64], "%s: simulated series is its own: %r" % (key, v["simulated"]))
        one_rank = max(wall[i] for i in range(len(sranks)) if sranks[i] == 1 and not sim[i])
        notes = sc.too_small(smode, sranks, s_points, wall, sim)
        check(bool(notes) == (one_rank < 1.0 or 144 / 3 < 100), "too-small note %r for a 1-rank wall of %g s" % (notes, one_rank))
    except ImportError as e:
        check(False, "plots/scaling.py importable: %s" % e)
    except AttributeError as e:
        check(False, "plots/scaling.py has series() and too_small(): %s" % e)

    return finish()


if __name__ == "__main__":
    sys.exit(main())
