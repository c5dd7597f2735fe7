#!/usr/bin/env python3
"""Shards: kinmap run --shard K/N for every K, then kinmap merge, equals a single run bitwise
in the results; merge refuses a missing shard, a duplicate and a shard of another input; and
kinmap info summarises the merged file.

Usage: shards.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import os
import shutil
import subprocess
import sys

from common import check, finish, same_results


def main():
    kinmap, model, work, mpiexec = sys.argv[1:5]
    pre = [f for f in sys.argv[5:] if f]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    def run(*args, ranks=2):
        return subprocess.run([mpiexec, "-n", str(ranks)] + pre + [kinmap] + list(args), capture_output=True, text=True)

    single = os.path.join(work, "single.h5")
    check(run("run", model, "-o", single).returncode == 0, "single run")
    shards = []
    for k in range(3):
        path = os.path.join(work, "shard%d.h5" % k)
        r = run("run", model, "-o", path, "--shard", "%d/3" % k, "--schedule", ["dynamic", "block", "cyclic"][k], ranks=k + 1)
        check(r.returncode == 0, "shard %d/3: %s" % (k, r.stderr[-300:]))
        shards.append(path)
    merged = os.path.join(work, "merged.h5")
    r = subprocess.run([kinmap, "merge", merged] + shards[::-1], capture_output=True, text=True)
    check(r.returncode == 0, "merge: %s" % r.stderr)
    check(same_results(single, merged), "merged results equal the single run bitwise")

    r = subprocess.run([kinmap, "merge", os.path.join(work, "m2.h5")] + shards[:2], capture_output=True, text=True)
    check(r.returncode == 2 and "2 of 3" in r.stderr, "a missing shard is refused")
    check(not os.path.exists(os.path.join(work, "m2.h5")) and not os.path.exists(os.path.join(work, "m2.h5.partial")), "nothing left by a refused merge")
    r = subprocess.run([kinmap, "merge", os.path.join(work, "m3.h5"), shards[0], shards[0], shards[1]], capture_output=True, text=True)
    check(r.returncode == 2 and "twice" in r.stderr, "a duplicate shard is refused")
    other = os.path.join(work, "other.toml")
    with open(other, "w") as f:
        f.write(open(model).read().replace("temperature_K = ", "temperature_K = 1", 1))
    other_shard = os.path.join(work, "other1.h5")
    run("run", other, "-o", other_shard, "--shard", "1/3")
    r = subprocess.run([kinmap, "merge", os.path.join(work, "m4.h5"), shards[0], other_shard, shards[2]], capture_output=True, text=True)
    check(r.returncode == 2 and "different model" in r.stderr, "a shard of another input is refused: %s" % r.stderr)
    r = run("run", model, "-o", os.path.join(work, "bad.h5"), "--shard", "3/3")
    check(r.returncode == 2, "--shard 3/3 is bad input")

    r = subprocess.run([kinmap, "info", merged], capture_output=True, text=True)
    check(r.returncode == 0 and "status: OK=" in r.stdout and "input hash" in r.stdout and "tof:" in r.stdout, "info: %s" % r.stdout)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
