#!/usr/bin/env python3
"""Heatmaps of a kinmap map file (kinmap run ... -o OUT.h5).

Writes PREFIX_tof.png (log10 TOF with a floor), PREFIX_coverage.png (one panel per surface
species), PREFIX_status.png (solver status per point), PREFIX_wall_time.png (cost per point,
where the slow points cluster) and the rate control: PREFIX_drc.png (per step), PREFIX_trc.png
(per adsorbate), PREFIX_orders.png (per gas) and PREFIX_ea_app.png (apparent activation energy,
for models with energies). Axes are
logarithmic where the sweep axis is, labelled with the axis quantity and units.

Needs numpy, h5py and matplotlib (Debian: python3-numpy python3-h5py python3-matplotlib).
"""
import argparse
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm  # noqa: E402


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def axis_info(f, name):
    d = f[name]
    quantity = text(d.attrs.get("name", name))
    units = text(d.attrs.get("units", ""))
    scale = text(d.attrs.get("scale", "linear"))
    return np.asarray(d[...], dtype=float), quantity, units, scale


def pretty(quantity, units):
    if quantity.startswith("p_"):
        label = "p(%s)" % quantity[2:]
    elif quantity == "T_K":
        label = "T"
    elif quantity.startswith("G_"):
        label = "G(%s)" % quantity[2:]
    else:
        label = quantity
    return "%s [%s]" % (label, units) if units else label


def edges(values, scale):
    """Cell edges around grid values: geometric means on log axes, midpoints otherwise."""
    v = np.asarray(values, dtype=float)
    if v.size == 1:
        return np.array([v[0] / 1.5, v[0] * 1.5]) if scale == "log" and v[0] > 0 else np.array([v[0] - 0.5, v[0] + 0.5])
    if scale == "log":
        lv = np.log10(v)
        mid = (lv[1:] + lv[:-1]) / 2
        return 10 ** np.concatenate([[lv[0] - (mid[0] - lv[0])], mid, [lv[-1] + (lv[-1] - mid[-1])]])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


class Grid:
    def __init__(self, f):
        self.x, self.xq, self.xu, self.xs = axis_info(f, "x")
        self.y, self.yq, self.yu, self.ys = axis_info(f, "y")
        self.xe = edges(self.x, self.xs)
        self.ye = edges(self.y, self.ys)

    def draw(self, ax, values, **kwargs):
        # values[i, j]: i along x, j along y; pcolormesh wants [row=y, column=x].
        mesh = ax.pcolormesh(self.xe, self.ye, np.asarray(values).T, shading="flat", **kwargs)
        if self.xs == "log":
            ax.set_xscale("log")
        if self.ys == "log":
            ax.set_yscale("log")
        ax.set_xlabel(pretty(self.xq, self.xu))
        ax.set_ylabel(pretty(self.yq, self.yu))
        return mesh


def save(fig, path, written):
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    written.append(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="kinmap output file (HDF5)")
    parser.add_argument("-o", "--prefix", help="output prefix (default: the file name without .h5)")
    parser.add_argument("--floor", type=float, default=1e-30,
                        help="smallest TOF drawn in colour, 1/s (default 1e-30); below it, and where "
                             "the status is not OK, cells are grey")
    args = parser.parse_args(argv)

    prefix = args.prefix or os.path.splitext(args.file)[0]
    written = []
    with h5py.File(args.file, "r") as f:
        grid = Grid(f)
        tof_of = text(f.attrs.get("tof_of", ""))
        status = np.asarray(f["status"][...])
        labels = [text(s) for s in f["status"].attrs["labels"]]

        tof = np.asarray(f["tof"][...], dtype=float)
        log_tof = np.where(np.isfinite(tof) & (tof >= args.floor), np.log10(np.maximum(tof, args.floor)), np.nan)
        cmap = plt.get_cmap("viridis").copy()
        cmap.set_bad("0.75")
        fig, ax = plt.subplots(figsize=(6.4, 5.0))
        mesh = grid.draw(ax, np.ma.masked_invalid(log_tof), cmap=cmap)
        fig.colorbar(mesh, ax=ax, label="log10 TOF of %s [1/s]" % tof_of)
        ax.set_title("Turnover frequency (grey: not OK or below %g)" % args.floor)
        save(fig, prefix + "_tof.png", written)

        species = [text(s) for s in f["species"][...]]
        coverage = np.asarray(f["coverage"][...], dtype=float)
        n = len(species)
        cols = min(n, 3)
        rows = (n + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.9 * rows), squeeze=False)
        for s, name in enumerate(species):
            ax = axes[s // cols][s % cols]
            mesh = grid.draw(ax, coverage[:, :, s], cmap="magma", vmin=0.0, vmax=1.0)
            ax.set_title("θ(%s)" % name)
            fig.colorbar(mesh, ax=ax)
        for s in range(n, rows * cols):
            axes[s // cols][s % cols].axis("off")
        save(fig, prefix + "_coverage.png", written)

        colours = ["#2ca02c", "#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#bbbbbb"]
        cmap = ListedColormap(colours[: len(labels)])
        norm = BoundaryNorm(np.arange(len(labels) + 1) - 0.5, len(labels))
        fig, ax = plt.subplots(figsize=(6.4, 5.0))
        grid.draw(ax, status, cmap=cmap, norm=norm)
        present = sorted(set(int(v) for v in np.unique(status)))
        handles = [plt.Rectangle((0, 0), 1, 1, color=colours[v]) for v in present]
        ax.legend(handles, ["%s (%d)" % (labels[v], int((status == v).sum())) for v in present],
                  loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title("Solver status")
        save(fig, prefix + "_status.png", written)

        wall = np.asarray(f["wall_time_s"][...], dtype=float) * 1e6
        fig, ax = plt.subplots(figsize=(6.4, 5.0))
        finite = wall[np.isfinite(wall) & (wall > 0)]
        norm = LogNorm(vmin=finite.min(), vmax=finite.max()) if finite.size and finite.max() > finite.min() else None
        mesh = grid.draw(ax, np.ma.masked_invalid(wall), cmap="inferno", norm=norm)
        fig.colorbar(mesh, ax=ax, label="wall time per point [µs]")
        ax.set_title("Cost per point")
        save(fig, prefix + "_wall_time.png", written)

        def panels(name, labels, title, cmap, limits, out):
            data = np.asarray(f[name][...], dtype=float)
            keep = [s for s in range(len(labels)) if np.isfinite(data[:, :, s]).any()]
            if not keep:
                return
            cols = min(len(keep), 3)
            rows = (len(keep) + cols - 1) // cols
            fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.9 * rows), squeeze=False)
            for n, s in enumerate(keep):
                ax = axes[n // cols][n % cols]
                mesh = grid.draw(ax, np.ma.masked_invalid(data[:, :, s]), cmap=cmap, vmin=limits[0], vmax=limits[1])
                ax.set_title(title % (s + 1, labels[s]), fontsize=8)
                fig.colorbar(mesh, ax=ax)
            for n in range(len(keep), rows * cols):
                axes[n // cols][n % cols].axis("off")
            save(fig, out, written)

        if "drc" in f:
            steps = [text(s) for s in f["step"][...]]
            panels("drc", steps, "DRC %d: %s", "RdBu_r", (-1.0, 1.0), prefix + "_drc.png")
            panels("trc", species, "TRC %d: %s", "RdBu_r", (-1.0, 1.0), prefix + "_trc.png")
            gases = [text(s) for s in f["gas"][...]]
            panels("orders", gases, "order %d: %s", "PuOr", (-2.0, 2.0), prefix + "_orders.png")
            ea = np.asarray(f["ea_app_eV"][...], dtype=float)
            if np.isfinite(ea).any():
                fig, ax = plt.subplots(figsize=(6.4, 5.0))
                mesh = grid.draw(ax, np.ma.masked_invalid(ea), cmap="viridis")
                fig.colorbar(mesh, ax=ax, label="apparent activation energy [eV]")
                ax.set_title("Apparent activation energy")
                save(fig, prefix + "_ea_app.png", written)

    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
