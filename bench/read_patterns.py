#!/usr/bin/env python3
"""How the layout of a map file serves the reads of a heatmap: a row (fixed x), a column
(fixed y) and a 64x64 tile of /tof and /coverage, from kinmap's chunked datasets and from
contiguous copies of the same data, side by side, cold (file reopened, OS cache dropped when
run as root) and warm.

Usage: read_patterns.py MAP.h5 [--repeats N]
"""
import argparse
import os
import tempfile
import time

import h5py
import numpy as np


def drop_caches():
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def timed(path, name, sel, repeats):
    best = float("inf")
    for _ in range(repeats):
        drop_caches()
        t0 = time.perf_counter()
        with h5py.File(path, "r") as f:
            f[name][sel]
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.NamedTemporaryFile(suffix=".h5", delete=False).name
    with h5py.File(args.file, "r") as src, h5py.File(tmp, "w") as dst:
        nx, ny = src["tof"].shape
        for name in ("tof", "coverage"):
            dst.create_dataset(name, data=src[name][...])  # contiguous
        chunks = {name: src[name].chunks for name in ("tof", "coverage")}
    i, j = nx // 2, ny // 2
    patterns = {"row (x fixed)": np.s_[i, :], "column (y fixed)": np.s_[:, j],
                "64x64 tile": np.s_[i:i + 64, j:j + 64]}
    cold = drop_caches()
    print("%s: %d x %d; chunks %s; %s" % (args.file, nx, ny, chunks,
                                         "cold reads (page cache dropped)" if cold else "warm reads (cannot drop the page cache)"))
    print("%-10s %-18s %14s %14s %8s" % ("dataset", "pattern", "chunked ms", "contiguous ms", "ratio"))
    for name in ("tof", "coverage"):
        for label, sel in patterns.items():
            if name == "coverage":
                sel = sel + (slice(None),)
            a = timed(args.file, name, sel, args.repeats)
            b = timed(tmp, name, sel, args.repeats)
            print("%-10s %-18s %14.3f %14.3f %8.2f" % (name, label, 1e3 * a, 1e3 * b, b / a))
    os.remove(tmp)


if __name__ == "__main__":
    main()
