#!/usr/bin/env python3
"""Issue 12.5: a signal to mpirun saves the run and says so. SIGUSR1 (forwarded by Open MPI to
every rank, and what the Slurm scripts send before the kill) ends mpirun with exit 3;
SIGTERM and SIGINT save the same way, the message names the signal and says that Open MPI's
launcher itself exits 1 for them (as the README says); a resume then ends bitwise equal to an
uninterrupted run.

Usage: signals.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import os
import signal
import subprocess
import sys
import time

from common import check, finish, same_results, setup, sized_model


def main():
    kinmap, model, work, mpiexec, preflags = setup()
    big = os.path.join(work, "big.toml")
    sized_model(kinmap, model, big, mpiexec, preflags, 5.0)  # still running 1.5 s in
    reference = os.path.join(work, "reference.h5")
    run = subprocess.run([mpiexec, "-n", "2"] + preflags + [kinmap, "run", big, "-o", reference],
                         capture_output=True, text=True)
    check(run.returncode == 0, "reference run: exit %d" % run.returncode)
    skipped = 0
    for sig, expected in ((signal.SIGUSR1, 3), (signal.SIGTERM, 1), (signal.SIGINT, 1)):
        name = signal.Signals(sig).name
        out = os.path.join(work, "%s.h5" % name)
        job = subprocess.Popen([mpiexec, "-n", "2"] + preflags + [kinmap, "run", big, "-o", out],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        job.send_signal(sig)
        _, err = job.communicate(timeout=60)
        if os.path.exists(out):  # the map was finished before the signal: nothing to check
            print("skip %s: the run ended before the signal" % name)
            skipped += 1
            continue
        check(job.returncode == expected, "%s to mpirun: exit %d (expected %d)" % (name, job.returncode, expected))
        # Open MPI's launcher passes Ctrl-C (SIGINT) on to the ranks as SIGTERM.
        names = ("SIGTERM", "SIGINT") if sig == signal.SIGINT else (name,)
        check(any(("stopped by %s" % n) in err for n in names),
              "%s: the message names the signal: %s" % (name, err.strip()))
        check("continue with --resume" in err, "%s: the message says how to continue" % name)
        if expected == 1:
            check("send SIGUSR1" in err, "%s: the message says how to get exit 3 under mpirun" % name)
        resume = subprocess.run([mpiexec, "-n", "2"] + preflags + [kinmap, "run", big, "-o", out, "--resume"],
                                capture_output=True, text=True)
        check(resume.returncode == 0 and same_results(out, reference),
              "%s: the resumed run is bitwise equal to the uninterrupted one (exit %d)" % (name, resume.returncode))
    check(skipped < 3, "at least one signal arrived while the run was going (%d of 3 ended first)" % skipped)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
