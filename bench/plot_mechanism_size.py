#!/usr/bin/python3
"""Log-log plot of per-point cost against state size from family_bench's CSV
(docs/mechanism_size.csv -> docs/mechanism_size.png), with the fitted growth exponents.

Usage: /usr/bin/python3 bench/plot_mechanism_size.py [CSV] [PNG]
"""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def fit_exponent(n, us, n_min):
    """Least-squares slope of log(us) against log(n) over n >= n_min."""
    pts = [(math.log(a), math.log(b)) for a, b in zip(n, us) if a >= n_min]
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sum((p[0] - mx) ** 2 for p in pts)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    docs = os.path.join(here, "..", "docs")
    csv_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(docs, "mechanism_size.csv")
    png_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(docs, "mechanism_size.png")
    rows = list(csv.DictReader(open(csv_path, encoding="utf-8")))
    fig, ax = plt.subplots(figsize=(7.0, 5.0))
    styles = {("chain", "dense"): ("tab:blue", "o", "-"), ("chain", "sparse"): ("tab:blue", "s", "--"),
              ("network", "dense"): ("tab:red", "o", "-"), ("network", "sparse"): ("tab:red", "s", "--")}
    for shape in ("chain", "network"):
        sel = [r for r in rows if r["shape"] == shape]
        n = [int(r["n_state"]) for r in sel]
        for way in ("dense", "sparse"):
            us = [float(r[f"{way}_us_per_point"]) for r in sel]
            colour, marker, line = styles[(shape, way)]
            slope = fit_exponent(n, us, 16)
            ax.plot(n, us, color=colour, marker=marker, linestyle=line,
                    label=f"{shape}, {way} LU (slope {slope:.2f} for N ≥ 16)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks([2, 4, 8, 16, 32, 60])
    ax.set_xticklabels(["2", "4", "8", "16", "32", "60"])
    ax.set_xlabel("state size N (surface species incl. free site)")
    ax.set_ylabel("µs per point (median of rounds)")
    ax.set_title("kinmap per-point cost vs mechanism size\n(6×6 pressure grid, one point at a time, "
                 "shared 2-core box)", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)
    print(f"wrote {png_path}")


if __name__ == "__main__":
    main()
