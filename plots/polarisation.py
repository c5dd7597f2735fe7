#!/usr/bin/python3
"""Polarisation curve of a kinmap map with a potential axis (DESIGN §12): the current against the
electrode potential along one grid line of the other axis, on a log scale, with the Tafel
slope read off it.

    polarisation.py MAP.h5 [--at VALUE] [--fit U1:U2] [-o OUT.png] [--json OUT.json]

The potential axis (U_V) may be x or y; --at picks the grid line of the other axis nearest to
VALUE (default: its first value). The current is /current_density_mA_cm2 where the model gives
a site density, else /electron_rate (per site per second). Reduction currents are positive
(the sign of /electron_rate): the plot draws |current|, filled for reduction, open for
oxidation. The Tafel slope b = dU/dlog10|j| [mV/decade] is printed for every interval of the
line; with --fit it is also the least-squares slope over U1 <= U <= U2, otherwise the
steepest interval's (smallest |b|). OK points only.
"""
import argparse
import json
import sys

import h5py
import numpy as np

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def reference_of(f):
    if tomllib is None or "model" not in f or "toml" not in f["model"].attrs:
        return "RHE"
    try:
        model = tomllib.loads(text(f["model"].attrs["toml"]))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return "RHE"
    return str(model.get("electrochemistry", {}).get("reference", "RHE"))


def line_of(f, at):
    """(U, current, label, other axis name, other value) along the grid line nearest `at`."""
    names = {a: text(f[a].attrs.get("name", a)) for a in ("x", "y")}
    if "U_V" not in names.values():
        raise SystemExit("error: %s has no potential axis (U_V)" % f.filename)
    axis = "x" if names["x"] == "U_V" else "y"
    other = "y" if axis == "x" else "x"
    U = np.asarray(f[axis][...], dtype=float)
    values = np.asarray(f[other][...], dtype=float)
    k = 0 if at is None else int(np.argmin(np.abs(values - at)))
    density = "current_density_mA_cm2" in f and np.isfinite(f["current_density_mA_cm2"][...]).any()
    name = "current_density_mA_cm2" if density else "electron_rate"
    data = np.asarray(f[name][...], dtype=float)
    status = np.asarray(f["status"][...])
    take = (slice(None), k) if axis == "x" else (k, slice(None))
    current = np.where(status[take] == 0, data[take], np.nan)
    label = "j [mA/cm²]" if density else "electron rate [1/s per site]"
    return U, current, label, names[other], float(values[k])


def tafel_slopes(U, current):
    """b = dU/dlog10|j| [mV/dec] of each interval of the line (NaN where |j| is 0 or NaN)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logj = np.log10(np.abs(current))
        return 1e3 * np.diff(U) / np.diff(logj)


def fitted_slope(U, current, lo, hi):
    inside = (U >= lo) & (U <= hi) & np.isfinite(current) & (current != 0)
    if inside.sum() < 2:
        raise SystemExit("error: fewer than two OK points with current in %g <= U <= %g" % (lo, hi))
    slope = np.polyfit(U[inside], np.log10(np.abs(current[inside])), 1)[0]
    return 1e3 / slope


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("file")
    p.add_argument("--at", type=float, help="value of the other axis (nearest grid line)")
    p.add_argument("--fit", help="U1:U2, the potential window of the Tafel fit [V]")
    p.add_argument("-o", "--output", help="PNG to write (default MAP_polarisation.png)")
    p.add_argument("--json", help="write the line, slopes and fit as JSON here")
    args = p.parse_args(argv)
    with h5py.File(args.file, "r") as f:
        U, current, label, other, value = line_of(f, args.at)
        reference = reference_of(f)
    slopes = tafel_slopes(U, current)
    for i, b in enumerate(slopes):
        print("U %.4f .. %.4f V vs %s: Tafel slope %s mV/dec" % (U[i], U[i + 1], reference,
              "%.2f" % b if np.isfinite(b) else "-"))
    if args.fit:
        lo, hi = (float(v) for v in args.fit.split(":"))
        b = fitted_slope(U, current, min(lo, hi), max(lo, hi))
        how = "fit over %g..%g V" % (min(lo, hi), max(lo, hi))
    else:
        finite = np.isfinite(slopes)
        if not finite.any():
            raise SystemExit("error: no interval with a current on both ends")
        i = int(np.nanargmin(np.where(finite, np.abs(slopes), np.nan)))
        b = float(slopes[i])
        how = "steepest interval %.4f..%.4f V" % (U[i], U[i + 1])
    print("Tafel slope %.2f mV/dec (%s) along %s = %g" % (b, how, other, value))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.0, 4.4))
    red = np.isfinite(current) & (current > 0)
    ox = np.isfinite(current) & (current < 0)
    ax.semilogy(U, np.abs(current), "-", color="0.6", lw=1)
    ax.semilogy(U[red], current[red], "o", color="C0", label="reduction (j > 0)")
    ax.semilogy(U[ox], -current[ox], "o", mfc="none", color="C3", label="oxidation (|j|, j < 0)")
    ax.set_xlabel("U [V vs %s]" % reference)
    ax.set_ylabel("|%s" % label.replace(" [", "| ["))
    ax.set_title("%s = %g: Tafel slope %.1f mV/dec (%s)" % (other, value, b, how), fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = args.output or args.file.rsplit(".", 1)[0] + "_polarisation.png"
    fig.savefig(out, dpi=110)
    print("wrote %s" % out)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"U_V": U.tolist(), "current": [None if not np.isfinite(c) else float(c) for c in current],
                       "slopes_mV_per_dec": [None if not np.isfinite(s) else float(s) for s in slopes],
                       "tafel_mV_per_dec": b, "other": other, "at": value, "reference": reference}, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
