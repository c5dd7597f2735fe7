#!/usr/bin/env python3
"""Never lose a run: kill -9 of the whole mpirun at random moments, SIGTERM to the ranks, a
deadline, one rank killed, and a resume against a changed model — each followed by --resume,
whose results (DESIGN §6: tof, coverage, rates, status) must equal an uninterrupted run bitwise.

Usage: resilience.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import time

from common import check, finish, same_results, sized_model


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def kill_tree(pid):
    """SIGKILL mpirun and every process below it at once. Open MPI starts the ranks in their
    own process groups, so killing mpirun's group alone would leave them running."""
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [c for p in frontier for c in children(p)]
        tree += frontier
    for p in reversed(tree):
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass


def main():
    kinmap, model, work, mpiexec = sys.argv[1:5]
    preflags = [f for f in sys.argv[5:] if f]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rng = random.Random(20261124)

    # A map big enough to take ~2.5 s on 2 ranks, so that there is a "mid-run".
    big = os.path.join(work, "big.toml")
    sized_model(kinmap, model, big, mpiexec, preflags, 2.5)

    def run(out, *extra, ranks=2):
        return [mpiexec, "-n", str(ranks)] + preflags + [kinmap, "run", big, "-o", out] + list(extra)

    reference_path = os.path.join(work, "reference.h5")
    r = subprocess.run(run(reference_path), capture_output=True, text=True)
    check(r.returncode == 0, "uninterrupted run succeeds (%s)" % r.stderr[-300:])

    def wait_for(path, timeout=30.0):
        t0 = time.time()
        while not os.path.exists(path) and time.time() - t0 < timeout:
            time.sleep(0.01)

    def resume_to_end(out, label):
        r = subprocess.run(run(out, "--resume"), capture_output=True, text=True)
        check(r.returncode == 0, "%s: --resume completes (exit %d, %s)" % (label, r.returncode, "\n".join(l for l in r.stderr.splitlines() if l.startswith("[rank"))))
        check(os.path.exists(out) and not os.path.exists(out + ".partial") and not os.path.exists(out + ".journal"),
              "%s: output committed, checkpoint removed" % label)
        if os.path.exists(out):
            check(same_results(out, reference_path), "%s: results bitwise equal to the uninterrupted run" % label)

    # kill -9 of the whole job (mpirun and every rank) at random moments.
    for trial in range(6):
        out = os.path.join(work, "kill9_%d.h5" % trial)
        p = subprocess.Popen(run(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_for(out + ".journal")
        time.sleep(rng.uniform(0.0, 0.8))
        kill_tree(p.pid)
        p.wait()
        time.sleep(0.2)
        check(not os.path.exists(out), "kill -9 trial %d: no final file from a killed run" % trial)
        resume_to_end(out, "kill -9 trial %d" % trial)

    # SIGTERM to the ranks (what Slurm does before the kill): exit 3, then resume.
    out = os.path.join(work, "sigterm.h5")
    p = subprocess.Popen(run(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for(out + ".journal")
    time.sleep(0.3)
    for child in children(p.pid):
        os.kill(child, signal.SIGTERM)
    _, err = p.communicate()
    check(p.returncode == 3, "SIGTERM to the ranks: exit 3 (got %d)" % p.returncode)
    check("--resume" in err, "SIGTERM: the message says how to continue")
    resume_to_end(out, "SIGTERM")

    # --deadline: exit 3, then resume on a different rank count and schedule.
    out = os.path.join(work, "deadline.h5")
    r = subprocess.run(run(out, "--deadline", "0.3"), capture_output=True, text=True)
    check(r.returncode == 3, "--deadline: exit 3 (got %d)" % r.returncode)
    r = subprocess.run(run(out, "--resume", "--schedule", "cyclic", ranks=3), capture_output=True, text=True)
    check(r.returncode == 0, "--deadline: resume on 3 ranks, cyclic")
    check(same_results(out, reference_path), "--deadline: results bitwise equal after resume on 3 ranks")

    # One rank dies: the job ends rather than hangs, and --resume recovers.
    out = os.path.join(work, "rank_dies.h5")
    p = subprocess.Popen(run(out, ranks=3), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for(out + ".journal")
    time.sleep(0.3)
    ranks = children(p.pid)
    if ranks:
        os.kill(ranks[-1], signal.SIGKILL)
    try:
        p.wait(timeout=60)
        ended = True
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        ended = False
    check(ended and p.returncode != 0, "a killed rank ends the whole job (exit %s)" % p.returncode)
    resume_to_end(out, "rank killed")

    # Resume against a changed model: refused with exit 2, nothing overwritten.
    out = os.path.join(work, "changed.h5")
    r = subprocess.run(run(out, "--deadline", "0.2"), capture_output=True, text=True)
    journal_before = open(out + ".journal", "rb").read()
    partial_before = open(out + ".partial", "rb").read()
    changed = os.path.join(work, "changed.toml")
    with open(changed, "w") as f:
        f.write(open(big).read().replace("kr = 1.3081000299027e-5", "kr = 1.3e-5"))
    r = subprocess.run([mpiexec, "-n", "2"] + preflags + [kinmap, "run", changed, "-o", out, "--resume"],
                       capture_output=True, text=True)
    check(r.returncode == 2, "resume with a changed model: exit 2 (got %d)" % r.returncode)
    check("different model" in r.stderr, "resume with a changed model: the message says why")
    check(open(out + ".journal", "rb").read() == journal_before and open(out + ".partial", "rb").read() == partial_before,
          "resume with a changed model: checkpoint untouched")
    r = subprocess.run(run(out), capture_output=True, text=True)
    check(r.returncode == 2 and "--resume" in r.stderr, "a new run over an interrupted one is refused")

    return finish()


if __name__ == "__main__":
    sys.exit(main())
