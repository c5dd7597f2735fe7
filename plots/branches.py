#!/usr/bin/env python3
"""The TOF of every steady state along one grid line of a map computed with every steady state
(kinmap run --all-states, DESIGN §8): the S-curve of a hysteresis experiment. Stable states are
filled markers joined along each branch, unstable states open markers; the fold points of /fold
on that line are marked. The line is x = x[INDEX] (the y axis varies; --along x: y = y[INDEX]).

Writes PREFIX_branches.png; --dump JSON writes what was drawn (per grid value the stable and
unstable TOFs, and the folds).

Usage: plots/branches.py MAP.h5 [--index I] [--along y|x] [-o PREFIX] [--dump JSON]
Needs numpy, h5py and matplotlib (Debian: python3-numpy python3-h5py python3-matplotlib).
"""
import argparse
import json
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="kinmap map file written with --all-states")
    parser.add_argument("--along", choices=("y", "x"), default="y", help="the axis that varies along the line")
    parser.add_argument("--index", type=int, help="grid index of the line on the other axis (default: the middle)")
    parser.add_argument("-o", "--prefix", help="output prefix (default: the file name without .h5)")
    parser.add_argument("--dump", metavar="JSON", help="write the plotted values to this file")
    args = parser.parse_args(argv)
    with h5py.File(args.file, "r") as f:
        if "states_tof" not in f:
            parser.error("%s has no /states_tof: run kinmap run --all-states" % args.file)
        x, y = f["x"][...], f["y"][...]
        tof = f["states_tof"][...]
        stable = f["states_stable"][...]
        n = f["n_states"][...].astype(int)
        fold = {k: f["fold"][k][...] for k in ("x", "y")} if "fold" in f else {"x": np.array([]), "y": np.array([])}
        name = {a: text(f[a].attrs.get("name", a)) for a in ("x", "y")}
        units = {a: text(f[a].attrs.get("units", "")) for a in ("x", "y")}
        scale = {a: text(f[a].attrs.get("scale", "linear")) for a in ("x", "y")}
        tof_of = text(f.attrs.get("tof_of", ""))
    other = "x" if args.along == "y" else "y"
    axis, fixed = (y, x) if args.along == "y" else (x, y)
    index = len(fixed) // 2 if args.index is None else args.index
    if not 0 <= index < len(fixed):
        parser.error("--index must be in 0 .. %d" % (len(fixed) - 1))
    take = (lambda a: a[index]) if args.along == "y" else (lambda a: a[:, index])
    line_tof, line_stable, line_n = take(tof), take(stable), take(n)
    dumped = {"along": name[args.along], "at": {name[other]: float(fixed[index])}, "values": [], "folds": []}
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    # Branches: at each value the stable states in the file's order (ascending TOF); a branch
    # is the k-th lowest stable TOF, drawn where it exists.
    points = []
    for p, v in enumerate(axis):
        k = line_n[p]
        st = [float(line_tof[p, s]) for s in range(k) if line_stable[p, s] == 1]
        un = [float(line_tof[p, s]) for s in range(k) if line_stable[p, s] == 0]
        points.append((v, st, un))
        dumped["values"].append({"value": float(v), "stable": st, "unstable": un})
    floor = 1e-30
    lowest = [(v, max(st[0], floor)) for v, st, _ in points if st]
    highest = [(v, max(st[-1], floor)) for v, st, _ in points if len(st) >= 2]
    top = [(v, max(st[-1], floor)) for v, st, _ in points if len(st) == 1]
    for series, label in ((lowest, "stable (lowest TOF)"), (highest, "stable (higher TOF)")):
        if series:
            ax.plot([s[0] for s in series], [s[1] for s in series], "o-", ms=4, label=label)
    del top
    uv = [(v, max(t, floor)) for v, _, un in points for t in un]
    if uv:
        ax.plot([s[0] for s in uv], [s[1] for s in uv], "o", mfc="none", color="0.3", ms=5, label="unstable")
    on_line = np.isclose(fold[other], fixed[index], rtol=1e-12, atol=0) if len(fold[other]) else np.array([], bool)
    for v in fold[args.along][on_line]:
        ax.axvline(v, color="#d62728", linewidth=1.0, linestyle="--")
        dumped["folds"].append(float(v))
    if len(dumped["folds"]):
        ax.plot([], [], color="#d62728", linestyle="--", label="fold")
    if scale[args.along] == "log":
        ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("%s [%s]" % (name[args.along], units[args.along]))
    ax.set_ylabel("TOF of %s [1/s per site]" % tof_of)
    ax.set_title("every steady state at %s = %.4g %s" % (name[other], fixed[index], units[other]), fontsize=9)
    ax.legend(fontsize=8)
    prefix = args.prefix or os.path.splitext(args.file)[0]
    fig.tight_layout()
    fig.savefig(prefix + "_branches.png", dpi=130)
    plt.close(fig)
    if args.dump:
        with open(args.dump, "w") as out:
            json.dump(dumped, out, indent=1)
    print(prefix + "_branches.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
