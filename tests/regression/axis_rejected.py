#!/usr/bin/env python3
"""Issue 14.3: an axis that the model cannot support is an input error found when the model is
read, before any point is solved: `check` and `run` at 1, 2 and 3 ranks exit 2 within seconds
with one message located at the axis (FILE:LINE:COLUMN: KEY), no rank left waiting, and the
output path untouched. Cases: a temperature axis on a model whose constants are all explicit,
an energy axis on a species no step takes its constants from, a pressure axis on a gas that is
not in the model; and the same axes given to `point --set`.

Usage: axis_rejected.py KINMAP MODEL WORKDIR MPIEXEC [MPIEXEC_PREFLAGS...]
"""
import os
import subprocess
import sys
import time

from common import check, finish, setup

# Seconds a rejected run may take, all ranks: reading a model is milliseconds; a rank left
# waiting in a collective would run into this.
LIMIT_S = 30


def variant(model_text, axis_line, axis_value, extra_pressure):
    """The model with its `[sweep] x` line replaced by `axis_line` and `extra_pressure` added
    to [pressures]; returns (text, line, column) of `axis_value` in the new axis line."""
    lines = model_text.split("\n")
    x = next(i for i, l in enumerate(lines) if l.startswith("x = {"))
    lines[x] = axis_line
    text = "\n".join(lines).replace("CO2_g = 0.01", "CO2_g = 0.01\n" + extra_pressure, 1)
    new_lines = text.split("\n")
    line = next(i for i, l in enumerate(new_lines) if l == axis_line)
    return text, line + 1, axis_line.index(axis_value) + 1


def main():
    kinmap, model, work, mpiexec, preflags = setup()
    model_text = open(model).read()
    cases = [
        ("temperature", 'x = { temperature = true, from = 400.0, to = 600.0, points = 3, scale = "linear" }',
         "true", "O2_g = 0.1", "sweep.x.temperature", "every step has explicit kf/kr", "T_K=600"),
        ("energy", 'x = { energy = "CO_s", from = 1.0, to = 2.0, points = 3 }',
         '"CO_s"', "O2_g = 0.1", "sweep.x.energy", "no step takes its rate constants from the free energy of CO_s",
         "G_CO_s=1.5"),
        ("unknown_gas", 'x = { pressure = "N2_g", from = 1e-4, to = 10.0, points = 5 }',
         '"N2_g"', "O2_g = 0.1", "sweep.x.pressure", "'N2_g' is not a gas of the model", "p_N2_g=0.1"),
    ]

    def timed(cmd):
        t0 = time.monotonic()
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT_S)
            return r.returncode, r.stderr, time.monotonic() - t0
        except subprocess.TimeoutExpired as e:
            return None, (e.stderr or b"").decode() if isinstance(e.stderr, bytes) else (e.stderr or ""), LIMIT_S

    for name, axis_line, value, pressure, key, message, set_arg in cases:
        text, line, column = variant(model_text, axis_line, value, pressure)
        path = os.path.join(work, name + ".toml")
        with open(path, "w") as f:
            f.write(text)
        located = "%s:%d:%d: %s: %s" % (path, line, column, key, message)

        rc, err, seconds = timed([kinmap, "check", path])
        check(rc == 2 and located in err,
              "%s: check exits 2 with '%s' (%r, %r)" % (name, located, rc, err))

        for n in (1, 2, 3):
            out_dir = os.path.join(work, "%s_%d" % (name, n))
            os.makedirs(out_dir)
            out = os.path.join(out_dir, "map.h5")
            rc, err, seconds = timed([mpiexec, "-n", str(n)] + preflags + [kinmap, "run", path, "-o", out])
            errors = [l for l in err.splitlines() if "error:" in l]
            check(rc == 2, "%s: run at %d ranks exits 2 (%r) in %.1f s" % (name, n, rc, seconds))
            check(len(errors) == 1 and errors[0].startswith("[rank 0] error: ") and located in errors[0],
                  "%s: run at %d ranks prints one located error (%r)" % (name, n, errors))
            check(os.listdir(out_dir) == [], "%s: run at %d ranks leaves the output path untouched (%r)"
                  % (name, n, os.listdir(out_dir)))

        # The same axis through --set on the shipped model, located on the command line.
        rc, err, seconds = timed([kinmap, "point", model, "--set", "p_O2_g=0.1", "--set", "p_CO_g=0.1",
                                  "--set", set_arg])
        check(rc == 2 and "<command line>:1:3: --set " + set_arg.split("=")[0] + ": " in err,
              "%s: point --set %s exits 2, located (%r, %r)" % (name, set_arg, rc, err))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
