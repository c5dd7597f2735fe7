#!/usr/bin/env python3
"""Plots of a kinmap scaling study (kinmap scaling ... -o SCALING.h5).

Writes PREFIX_speedup.png (speedup against ranks with the ideal line; measured points solid
with filled markers, the simulator's predictions a separate dashed series with hollow markers,
never joined to the measured one; a note where the grid is too small to measure),
PREFIX_efficiency.png (parallel and load-balance efficiency) and PREFIX_busy.png (per-rank compute and wait seconds of the largest measured run of each schedule).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def strings(d):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in d[...]]


# Below these a study measures start-up and noise rather than the sweep (MPI_Init alone costs
# ~0.3 s per process; see NUMERICS.md): the plot says so.
MIN_WALL_S = 1.0
MIN_POINTS_PER_RANK = 100


def series(mode, schedule, ranks, values, simulated):
    """Per (mode, schedule): the measured and the simulated points as separate, sorted series
    {(m, sch): {"measured": [(ranks, value)], "simulated": [(ranks, value)]}}; the two are
    never joined (a simulated speedup is a prediction, not a measurement)."""
    out = {}
    for i in range(len(ranks)):
        key = (mode[i], schedule[i])
        kind = "simulated" if simulated[i] else "measured"
        out.setdefault(key, {"measured": [], "simulated": []})[kind].append((int(ranks[i]), float(values[i])))
    for v in out.values():
        v["measured"].sort()
        v["simulated"].sort()
    return out


def too_small(mode, ranks, points, wall, simulated):
    """Warnings when the measured runs are too short or have too few points per rank to
    measure scaling (empty list when the study is large enough)."""
    notes = []
    measured = [i for i in range(len(ranks)) if not simulated[i]]
    one = [wall[i] for i in measured if int(ranks[i]) == 1]
    if one and max(one) < MIN_WALL_S:
        notes.append("1-rank wall time %.3g s < %g s: start-up and noise dominate" % (max(one), MIN_WALL_S))
    per_rank = [points[i] / ranks[i] for i in measured if ranks[i] > 1 and mode[i] == "strong"]
    if per_rank and min(per_rank) < MIN_POINTS_PER_RANK:
        notes.append("only %d points per rank at the largest count (< %d)" % (int(min(per_rank)), MIN_POINTS_PER_RANK))
    return notes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="scaling study file (HDF5, group /scaling)")
    parser.add_argument("-o", "--prefix", help="output prefix (default: file name without .h5)")
    args = parser.parse_args(argv)
    prefix = args.prefix or os.path.splitext(args.file)[0]
    written = []
    with h5py.File(args.file, "r") as f:
        g = f["scaling"]
        s = g["summary"]
        mode, schedule = strings(s["mode"]), strings(s["schedule"])
        ranks, speedup = s["ranks"][...], s["speedup"][...]
        eff, lb, simulated = s["efficiency"][...], s["load_balance"][...], s["simulated"][...]
        cores = int(g.attrs["physical_cores"])
        host = g.attrs["host"]
        host = host.decode() if isinstance(host, bytes) else host
        keys = sorted(set(zip(mode, schedule)))

        points, wall = s["points"][...], s["wall_median_s"][...]
        notes = too_small(mode, ranks, points, wall, simulated)
        measured_ranks = [int(ranks[i]) for i in range(len(ranks)) if not simulated[i]]

        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        top = max(ranks)
        ax.plot([1, top], [1, top], "k:", label="ideal")
        for (m, sch), v in sorted(series(mode, schedule, ranks, speedup, simulated).items()):
            colour = None
            if v["measured"]:
                line, = ax.plot(*zip(*v["measured"]), "o-", label="%s %s (measured)" % (m, sch))
                colour = line.get_color()
            if v["simulated"]:
                ax.plot(*zip(*v["simulated"]), "o--", color=colour, markerfacecolor="none",
                        label="%s %s (simulated)" % (m, sch))
        if measured_ranks and max(measured_ranks) > cores:
            ax.axvspan(cores, max(measured_ranks), color="0.9", zorder=0)
            ax.text(cores * 1.04, 1.05, "oversubscribed\n(measured)", color="0.4", fontsize=7, va="bottom")
        ax.axvline(cores, color="0.6", lw=0.8)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log", base=2)
        ax.set_xlabel("ranks")
        ax.set_ylabel("speedup against 1 rank")
        ax.set_title("Scaling on %s (%d physical cores); simulated: predicted from measured point costs"
                     % (host, cores), fontsize=8)
        if notes:
            ax.text(0.02, 0.98, "grid too small to measure:\n" + "\n".join(notes), transform=ax.transAxes,
                    va="top", fontsize=7, color="#b2182b",
                    bbox=dict(facecolor="#fddbc7", edgecolor="#b2182b", alpha=0.9))
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(prefix + "_speedup.png", dpi=130)
        written.append(prefix + "_speedup.png")
        plt.close(fig)

        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        for m, sch in keys:
            sel = sorted((ranks[i], eff[i], lb[i]) for i in range(len(ranks)) if mode[i] == m and schedule[i] == sch and not simulated[i])
            if sel:
                r, e, b = zip(*sel)
                line, = ax.plot(r, e, "o-", label="%s %s: parallel efficiency" % (m, sch))
                ax.plot(r, b, "s:", color=line.get_color(), label="%s %s: load balance" % (m, sch))
        ax.axhline(1.0, color="k", ls=":")
        ax.set_xscale("log", base=2)
        ax.set_ylim(0, 1.1)
        ax.set_xlabel("ranks")
        ax.set_ylabel("efficiency (measured runs only)")
        if notes:
            ax.set_title("grid too small to measure: " + "; ".join(notes), fontsize=7, color="#b2182b")
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(prefix + "_efficiency.png", dpi=130)
        written.append(prefix + "_efficiency.png")
        plt.close(fig)

        runs = g["runs"]
        rmode, rsched, rranks = strings(runs["mode"]), strings(runs["schedule"]), runs["ranks"][...]
        compute, wait = runs["compute_s"][...], runs["wait_s"][...]
        fig, axes = plt.subplots(1, len(keys), figsize=(4.2 * len(keys), 3.8), squeeze=False)
        for ax, (m, sch) in zip(axes[0], keys):
            sel = [i for i in range(len(rranks)) if rmode[i] == m and rsched[i] == sch]
            i = max(sel, key=lambda k: rranks[k])
            n = int(rranks[i])
            x = np.arange(n)
            ax.bar(x, compute[i, :n], label="compute")
            ax.bar(x, wait[i, :n], bottom=compute[i, :n], label="wait")
            ax.set_xlabel("rank")
            ax.set_ylabel("seconds")
            ax.set_title("%s %s, %d ranks" % (m, sch, n), fontsize=9)
            ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(prefix + "_busy.png", dpi=130)
        written.append(prefix + "_busy.png")
        plt.close(fig)
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
