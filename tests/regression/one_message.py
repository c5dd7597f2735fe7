#!/usr/bin/env python3
"""Issues 12.12 and 13.8: under mpirun a job says things once. `point --json` prints one JSON
object; a usage error, a model error and an output error print one "[rank r] error" line each,
whole (never interleaved with another rank's), with the exit code of DESIGN §2.

Usage: one_message.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import json
import os
import subprocess
import sys

from common import check, finish, setup


def main():
    kinmap, model, work, mpiexec, preflags = setup()

    def mpirun(n, *args):
        return subprocess.run([mpiexec, "-n", str(n)] + preflags + [kinmap] + list(args),
                              capture_output=True, text=True, timeout=60)

    point = mpirun(2, "point", model, "--set", "p_O2_g=0.1", "--set", "p_CO_g=0.1", "--json")
    lines = [l for l in point.stdout.splitlines() if l.strip()]
    check(point.returncode == 0 and len(lines) == 1, "point --json on 2 ranks prints one line (%d)" % len(lines))
    if lines:
        check(json.loads(lines[0])["status"] == "OK", "and it is the point's JSON object")

    bad = os.path.join(work, "bad.toml")
    with open(bad, "w") as f:
        f.write(open(model).read().replace("temperature_K = 500.0", "temperature_K = -5.0"))
    for n in (2, 3):
        usage = mpirun(n, "run", "--no-such-flag")
        check(usage.returncode == 2 and usage.stderr.count("error:") == 1,
              "%d ranks: a usage error prints once, exit 2 (%d, %r)" % (n, usage.returncode, usage.stderr))
        wrong = mpirun(n, "run", bad, "-o", os.path.join(work, "x.h5"))
        errors = [l for l in wrong.stderr.splitlines() if "error:" in l]
        check(wrong.returncode == 2 and len(errors) == 1 and errors[0].startswith("[rank 0] error: " + bad + ":"),
              "%d ranks: a model error prints once, located, exit 2 (%d, %r)" % (n, wrong.returncode, errors))
        to_dir = mpirun(n, "run", model, "-o", work)
        errors = [l for l in to_dir.stderr.splitlines() if "error:" in l]
        check(to_dir.returncode == 2 and len(errors) == 1,
              "%d ranks: -o naming a directory prints one error, exit 2 (%d, %r)" % (n, to_dir.returncode, errors))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
