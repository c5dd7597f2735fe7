#!/usr/bin/env python3
"""Plots of a kinmap scaling study (kinmap scaling ... -o SCALING.h5).

Writes PREFIX_speedup.png (speedup against ranks with the ideal line; simulated rank counts
dashed), PREFIX_efficiency.png (parallel and load-balance efficiency) and PREFIX_busy.png
(per-rank compute and wait seconds of the largest measured run of each schedule).
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

        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        top = max(ranks)
        ax.plot([1, top], [1, top], "k:", label="ideal")
        for m, sch in keys:
            sel = [i for i in range(len(ranks)) if mode[i] == m and schedule[i] == sch]
            meas = sorted((ranks[i], speedup[i]) for i in sel if not simulated[i])
            sim = sorted((ranks[i], speedup[i]) for i in sel if simulated[i])
            line, = ax.plot(*zip(*meas), "o-", label="%s %s" % (m, sch)) if meas else (None,)
            if sim and line is not None:
                ax.plot(*zip(*([meas[-1]] + sim)), "--", color=line.get_color(), label="%s %s (simulated)" % (m, sch))
        ax.axvline(cores, color="0.6", lw=0.8)
        ax.text(cores, 1, " physical cores", color="0.4", fontsize=8, rotation=90, va="bottom")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log", base=2)
        ax.set_xlabel("ranks")
        ax.set_ylabel("speedup against 1 rank")
        ax.set_title("Scaling on %s (ranks beyond %d cores are oversubscribed)" % (host, cores), fontsize=9)
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
        ax.set_ylabel("efficiency")
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
