#!/usr/bin/env python3
"""The Slurm scripts on a real single-node Slurm (scripts/slurm/local-cluster.sh): a map as
one batch job; a job stopped by the pre-kill signal (sent as Slurm sends it) that exits 3 and
is continued by submitting it again; and a job array of shards merged. Every result equals a
direct run bitwise. Exits 77 (ctest: skipped) with the reason when Slurm cannot start here.

Usage: slurm.py KINMAP MODEL WORKDIR REPO
"""
import os
import re
import shutil
import subprocess
import sys
import time

from common import check, finish, same_results as same


def main():
    kinmap, model, work, repo = [os.path.abspath(a) for a in sys.argv[1:5]]
    cluster = os.path.join(repo, "scripts", "slurm", "local-cluster.sh")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, KINMAP_SLURM_DIR=os.path.join(work, "cluster"), KINMAP=kinmap, KINMAP_REQUEUE="0")
    start = subprocess.run(["bash", cluster, "start"], capture_output=True, text=True, env=env)
    if start.returncode != 0:
        print("SKIPPED: " + (start.stderr.strip() or "local-cluster.sh start failed"), flush=True)
        return 77
    env["SLURM_CONF"] = re.search(r"SLURM_CONF=(\S+)", start.stdout).group(1)
    try:
        def sbatch(*args):
            return subprocess.Popen(["sbatch", "--wait", "-D", work] + list(args), env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        big = os.path.join(work, "big.toml")
        with open(big, "w") as f:
            f.write(open(model).read().replace("points = 41", "points = 400"))
        direct = os.path.join(work, "direct.h5")
        r = subprocess.run([kinmap, "run", big, "-o", direct], capture_output=True, text=True)
        check(r.returncode == 0, "direct run")

        # One batch job.
        out = os.path.join(work, "job.h5")
        p = sbatch("-n", "2", os.path.join(repo, "scripts/slurm/kinmap.sbatch"), big, out)
        p.communicate(timeout=300)
        check(p.returncode == 0, "kinmap.sbatch completes (exit %s)" % p.returncode)
        check(os.path.exists(out) and same(out, direct), "batch job result equals the direct run bitwise")

        # The pre-kill signal, delivered as Slurm does (to the batch shell), then resubmission.
        out = os.path.join(work, "signalled.h5")
        p = sbatch("-n", "2", os.path.join(repo, "scripts/slurm/kinmap.sbatch"), big, out)
        t0 = time.time()
        while not os.path.exists(out + ".journal") and time.time() - t0 < 120:
            time.sleep(0.05)
        time.sleep(0.5)
        jobs = subprocess.run(["squeue", "-h", "-o", "%i"], capture_output=True, text=True, env=env).stdout.split()
        for job in jobs:
            subprocess.run(["scancel", "--batch", "--signal=USR1", job], env=env)
        p.communicate(timeout=300)
        check(p.returncode == 3, "a signalled job exits 3 (got %s)" % p.returncode)
        check(os.path.exists(out + ".journal") and not os.path.exists(out), "the checkpoint is kept, no final file")
        p = sbatch("-n", "2", os.path.join(repo, "scripts/slurm/kinmap.sbatch"), big, out)
        p.communicate(timeout=300)
        check(p.returncode == 0, "the resubmitted job resumes and completes (exit %s)" % p.returncode)
        check(os.path.exists(out) and same(out, direct), "resumed result equals the direct run bitwise")

        # A job array of 3 shards, then merge.
        prefix = os.path.join(work, "map")
        p = sbatch("--array=0-2", "-n", "1", os.path.join(repo, "scripts/slurm/kinmap-array.sbatch"), big, prefix)
        p.communicate(timeout=300)
        check(p.returncode == 0, "the job array completes (exit %s)" % p.returncode)
        shards = [prefix + ".shard%d.h5" % k for k in range(3)]
        merged = os.path.join(work, "merged.h5")
        r = subprocess.run([kinmap, "merge", merged] + shards, capture_output=True, text=True)
        check(r.returncode == 0 and same(merged, direct), "merged shards equal the direct run bitwise")
    finally:
        subprocess.run(["bash", cluster, "stop"], env=env)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
