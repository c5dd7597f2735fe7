#!/usr/bin/env python3
"""Issue 12.4: a run whose points fail cannot be misread. A model whose solver may take only 10
ODE steps per point (so that most points end ODE_FAIL) must: store NaN in /tof, /coverage and
/rates wherever the status is not OK; print a warning on stderr naming how many points failed;
exit 1 (after writing the map) when more than --max-failed-fraction failed, and 0 when the
fraction allows it; and give the same counts on 2 ranks and after a resume.

Usage: failed_points.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import os
import re
import subprocess
import sys

import h5py
import numpy as np

from common import check, finish, same_results, setup


def main():
    kinmap, model, work, mpiexec, preflags = setup()
    text = open(model).read()
    text = re.sub(r"points = \d+", "points = 9", text)
    assert "max_ode_steps" not in text and "max_rungs" not in text
    if "[solver]" in text:
        text = text.replace("[solver]", "[solver]\nmax_ode_steps = 10\nmax_rungs = 1", 1)
    else:
        text += "\n[solver]\nmax_ode_steps = 10\nmax_rungs = 1\n"
    bad = os.path.join(work, "starved.toml")
    with open(bad, "w") as f:
        f.write(text)

    out = os.path.join(work, "starved.h5")
    run = subprocess.run([kinmap, "run", bad, "-o", out], capture_output=True, text=True)
    check(run.returncode == 1, "a map with most points failed exits 1 (got %d)" % run.returncode)
    check(os.path.exists(out), "the map is still written when too many points failed")
    with h5py.File(out, "r") as f:
        status = f["status"][...]
        failed = status != 0
        n_failed = int(failed.sum())
        check(n_failed > 0.5 * status.size, "most points failed (%d of %d)" % (n_failed, status.size))
        check(np.isnan(f["tof"][...][failed]).all(), "/tof is NaN at every failed point")
        check(np.isnan(f["coverage"][...][failed]).all(), "/coverage is NaN at every failed point")
        check(np.isnan(f["rates"][...][failed]).all(), "/rates is NaN at every failed point")
        ok = ~failed
        if ok.any():
            check(np.isfinite(f["coverage"][...][ok]).all(), "/coverage is finite at OK points")
    m = re.search(r"warning: (\d+) of (\d+) points", run.stderr)
    check(m is not None and int(m.group(1)) == n_failed and int(m.group(2)) == status.size,
          "stderr names the number of failed points (%s)" % run.stderr.strip().splitlines()[-3:])
    check("max-failed-fraction" in run.stderr, "stderr says which setting made the run fail")

    out2 = os.path.join(work, "starved_tolerated.h5")
    cmd = [mpiexec, "-n", "2"] + preflags + [kinmap, "run", bad, "-o", out2, "--max-failed-fraction", "1"]
    run2 = subprocess.run(cmd, capture_output=True, text=True)
    check(run2.returncode == 0, "--max-failed-fraction 1 tolerates the failures (exit %d)" % run2.returncode)
    check("warning: %d of %d points" % (n_failed, status.size) in run2.stderr,
          "the warning is printed on 2 ranks too, once")
    check(run2.stderr.count("did not reach an OK steady state") == 1, "the warning is printed once")
    check(same_results(out, out2), "results bitwise equal at 1 and 2 ranks")

    # A resumed run counts the checkpointed failures too.
    out3 = os.path.join(work, "starved_resumed.h5")
    run3 = subprocess.run([kinmap, "run", bad, "-o", out3, "--deadline", "1e-9"], capture_output=True, text=True)
    run3 = subprocess.run([kinmap, "run", bad, "-o", out3, "--resume"], capture_output=True, text=True)
    check(run3.returncode == 1 and ("warning: %d of %d points" % (n_failed, status.size)) in run3.stderr,
          "a resumed run reports every failed point (exit %d): %s" % (run3.returncode, run3.stderr.strip()))

    good = os.path.join(work, "good.h5")
    text_ok = re.sub(r"points = \d+", "points = 5", open(model).read())
    good_model = os.path.join(work, "good.toml")
    with open(good_model, "w") as f:
        f.write(text_ok)
    run4 = subprocess.run([kinmap, "run", good_model, "-o", good], capture_output=True, text=True)
    check(run4.returncode == 0 and "did not reach" not in run4.stderr, "a map without failures: exit 0, no warning")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
