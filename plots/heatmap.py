#!/usr/bin/env python3
"""Heatmaps of a kinmap map file (kinmap run ... -o OUT.h5).

Writes PREFIX_tof.png (log10 TOF), PREFIX_coverage.png (one panel per surface species),
PREFIX_interaction_energy.png (G − G0 per adsorbate, for a model with [interactions]),
PREFIX_status.png (solver status per point), PREFIX_wall_time.png (cost per point, where the
slow points cluster) and the rate control: PREFIX_drc.png (per step), PREFIX_trc.png (per
adsorbate), PREFIX_orders.png (per gas) and PREFIX_ea_app.png (apparent activation energy, for
models with energies). Axes are logarithmic where the sweep axis is, labelled with the axis
quantity and units; every figure names the model, its temperature and its fixed pressures.
Descriptor axes (a model's [descriptors], DESIGN §10) are labelled as energies, e.g. E_O [eV]
with the subscript set; where both axes of a 2-D map (or the axis of a 1-D map) are descriptors
that the model's optional [[surfaces]] table gives values for (name = "Pt", E_O = 1.62, ...),
every heatmap marks and labels each surface's point, as CatMAP's volcano plots do.

Colour limits come from the data, never from a fixed range: signed quantities (DRC, TRC,
orders) get limits symmetric about 0 over the largest finite |value|, so a DRC of 9 is drawn
as 9. Only --limits or --percentile clip, and where they do the colour bar ends in an arrow.
Points whose status is not OK are drawn hatched black ("failed"), points never computed (NOT_RUN)
hatched grey, with a legend; neither is ever drawn as a value. --dump-limits writes the limits
used, per figure and panel, as JSON, and the surfaces marked on each figure.

A map computed with every steady state (kinmap run --all-states, DESIGN §8) has the bistable
region (n_stable >= 2) shaded and the fold curves of /fold drawn over the TOF map; the counts
drawn go to --dump-limits as "multistability". plots/branches.py draws the states along one line.

Needs numpy, h5py and matplotlib (Debian: python3-numpy python3-h5py python3-matplotlib);
Python >= 3.11 for tomllib (the title; without it the title names only the file).
"""
import argparse
import json
import math
import os
import re
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm, Normalize  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

try:
    import tomllib
except ImportError:  # Python < 3.11: titles without the model's conditions
    tomllib = None

# Failed and NOT_RUN cells must not read as a value of any colour map used here (RdBu, PuOr,
# viridis, magma, inferno): hatched black (failed) and hatched light grey (NOT_RUN).
FAILED_COLOUR = "black"
FAILED_HATCH = "xx"
NOT_RUN_COLOUR = "0.82"
NOT_RUN_HATCH = "///"
NO_VALUE_COLOUR = "white"
# Quantities that --limits accepts, and the figure each one belongs to.
QUANTITIES = ("tof", "coverage", "drc", "trc", "orders", "ea_app", "wall_time")


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def color_limits(values, signed=False, vmin=None, vmax=None, percentile=None, positive=False):
    """Colour limits of one map, from its finite values.

    values: any array; NaN and ±inf are ignored. signed: limits symmetric about 0 over the
    largest |value| (DRC, TRC, orders). positive: only values > 0 count (a log scale).
    percentile: robust limits, the given percentile of |value| (signed) or the
    [100 − p, p] percentiles (unsigned), instead of the extremes. vmin, vmax: the user's
    limits, which win over the data. Returns a dict with vmin, vmax, extend ("neither", "min",
    "max", "both": where finite values lie outside the limits, i.e. where the map is clipped)
    and n_clipped_low, n_clipped_high, n_finite.
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    if positive:
        v = v[v > 0]
    if v.size:
        if signed:
            a = np.abs(v)
            half = float(np.percentile(a, percentile)) if percentile is not None else float(a.max())
            lo, hi = -half, half
        elif percentile is not None:
            lo, hi = float(np.percentile(v, 100.0 - percentile)), float(np.percentile(v, percentile))
        else:
            lo, hi = float(v.min()), float(v.max())
    else:
        lo, hi = (-1.0, 1.0) if signed else ((1e-3, 1.0) if positive else (0.0, 1.0))
    if vmin is not None:
        lo = float(vmin)
    if vmax is not None:
        hi = float(vmax)
    if not hi > lo:
        # A constant map (e.g. every DRC of a single-step mechanism is 1): widen so that the
        # value sits in the middle of the colour bar, not at an end.
        if positive:
            lo, hi = (lo / 2.0, lo * 2.0) if lo > 0 else (1e-3, 1.0)
        else:
            pad = max(abs(lo), abs(hi), 1.0) * 0.05
            lo, hi = lo - pad, hi + pad
    n_low = int((v < lo).sum())
    n_high = int((v > hi).sum())
    extend = {(False, False): "neither", (True, False): "min", (False, True): "max",
              (True, True): "both"}[(n_low > 0, n_high > 0)]
    return {"vmin": lo, "vmax": hi, "extend": extend, "n_clipped_low": n_low,
            "n_clipped_high": n_high, "n_finite": int(v.size), "signed": bool(signed)}


def axis_info(f, name):
    d = f[name]
    quantity = text(d.attrs.get("name", name))
    units = text(d.attrs.get("units", ""))
    scale = text(d.attrs.get("scale", "linear"))
    return np.asarray(d[...], dtype=float), quantity, units, scale


def is_descriptor(quantity):
    """A descriptor axis (DESIGN §10): any axis name that is not a pressure, a species energy
    or the temperature (nor "none", the absent y of a 1-D map)."""
    return (bool(quantity) and quantity not in ("T_K", "none") and not is_electrode(quantity)
            and not quantity.startswith(("p_", "G_")))


def is_electrode(quantity):
    """The electrode potential or the pH (DESIGN §12)."""
    return quantity in ("U_V", "pH")


def electrode_units(model, quantity, units):
    """The units a potential axis is drawn in, 'V vs RHE' or 'V vs SHE' (the model's
    [electrochemistry] reference, RHE by default); the pH has none; other axes as given."""
    if quantity == "pH":
        return ""
    if quantity != "U_V":
        return units
    reference = "RHE"
    if model is not None and isinstance(model.get("electrochemistry"), dict):
        reference = str(model["electrochemistry"].get("reference", "RHE"))
    return "V vs %s" % reference


def pretty(quantity, units):
    if quantity.startswith("p_"):
        label = "p(%s)" % quantity[2:]
    elif quantity == "T_K":
        label = "T"
    elif quantity.startswith("G_"):
        label = "G(%s)" % quantity[2:]
    elif quantity == "U_V":
        label = "U"
    elif is_descriptor(quantity) and re.fullmatch(r"[A-Za-z]+_[A-Za-z0-9]+", quantity):
        # E_O -> E with subscript O (mathtext), the way adsorption energies are written.
        head, sub = quantity.split("_", 1)
        label = r"$%s_{\mathrm{%s}}$" % (head, sub)
    else:
        label = quantity
    return "%s [%s]" % (label, units) if units else label


def model_of(f):
    """The model file's TOML, parsed from /model's toml attribute; None without one (or
    without tomllib)."""
    source = f["model"].attrs.get("toml") if "model" in f else None
    if source is None or tomllib is None:
        return None
    try:
        return tomllib.loads(text(source))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def model_surfaces(model, xq, yq):
    """[(name, x, y)] of the model's [[surfaces]] that give both axis descriptors (y is None on
    a 1-D map); empty unless the axes are descriptors."""
    if model is None or not is_descriptor(xq) or (yq and not is_descriptor(yq)):
        return []
    out = []
    for surface in model.get("surfaces", []):
        if not isinstance(surface, dict):
            continue
        x = surface.get(xq)
        y = surface.get(yq) if yq else 0.0
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            out.append((str(surface.get("name", "?")), float(x), float(y) if yq else None))
    return out


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


def model_title(f):
    """'name, T = 600 K, p(O2_g) = 0.33 bar, ...' from /model's toml attribute; swept
    quantities are left out (they are on the axes)."""
    swept = {text(f[a].attrs.get("name", "")) for a in ("x", "y") if a in f}
    model = model_of(f)
    if model is None:
        return os.path.basename(f.filename)
    head = model.get("model", {})
    parts = [str(head.get("name", os.path.basename(f.filename)))]
    if "T_K" not in swept and "temperature_K" in head:
        parts.append("T = %g K" % head["temperature_K"])
    fixed = ["p(%s) = %g bar" % (gas, p) for gas, p in model.get("pressures", {}).items()
             if "p_" + gas not in swept]
    if fixed:
        parts.append(", ".join(fixed))
    return ", ".join(parts)


class Grid:
    def __init__(self, f):
        self.x, self.xq, self.xu, self.xs = axis_info(f, "x")
        if "y" in f and text(f["y"].attrs.get("name", "y")) != "none":
            self.y, self.yq, self.yu, self.ys = axis_info(f, "y")
        else:  # a 1-D sweep (kinmap writes /y of one point named "none"): one row of cells
            self.y, self.yq, self.yu, self.ys = np.array([0.0]), "", "", "linear"
        self.xe = edges(self.x, self.xs)
        self.ye = edges(self.y, self.ys)
        model = model_of(f)
        self.xu = electrode_units(model, self.xq, self.xu)
        self.yu = electrode_units(model, self.yq, self.yu)
        self.surfaces = model_surfaces(model, self.xq, self.yq)
        self.drawn = []  # the map axes of the figure being drawn, for mark_surfaces

    def mark_surfaces(self, fig_name, marked):
        """Mark and label every surface of [[surfaces]] inside the map on each map axis drawn
        since the last call; marked[fig_name] gets, per axis, the names drawn there."""
        axes, self.drawn = self.drawn, []
        if not self.surfaces:
            return
        lo_x, hi_x = min(self.xe[0], self.xe[-1]), max(self.xe[0], self.xe[-1])
        lo_y, hi_y = min(self.ye[0], self.ye[-1]), max(self.ye[0], self.ye[-1])
        inside = [(n, x, self.y[0] if y is None else y) for n, x, y in self.surfaces
                  if lo_x <= x <= hi_x and (y is None or lo_y <= y <= hi_y)]
        outline = [patheffects.withStroke(linewidth=2.2, foreground="white")]
        names = []
        for ax in axes:
            xlim, ylim = ax.get_xlim(), ax.get_ylim()
            for name, x, y in inside:
                ax.plot([x], [y], marker="o", ms=5, mfc="white", mec="black", mew=0.9, ls="none",
                        zorder=5, gid="surface:" + name)
                ax.annotate(name, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=7,
                            zorder=6, path_effects=outline, gid="surface-label:" + name)
            ax.set_xlim(xlim)
            ax.set_ylim(ylim)
            names.append([n for n, _, _ in inside])
        marked[fig_name] = names

    def shape2d(self, values):
        a = np.ma.asanyarray(values)
        return a.reshape(len(self.x), len(self.y)) if a.ndim == 1 else a

    def draw(self, ax, values, **kwargs):
        # values[i, j]: i along x, j along y; pcolormesh wants [row=y, column=x].
        if ax not in self.drawn:
            self.drawn.append(ax)
        mesh = ax.pcolormesh(self.xe, self.ye, self.shape2d(values).T, shading="flat", **kwargs)
        if self.xs == "log":
            ax.set_xscale("log")
        if self.ys == "log":
            ax.set_yscale("log")
        ax.set_xlabel(pretty(self.xq, self.xu))
        if self.yq:
            ax.set_ylabel(pretty(self.yq, self.yu))
        else:
            ax.set_yticks([])
        return mesh


def hatch_cells(grid, ax, where, colour, hatch, hatch_colour):
    """Fill the cells where `where` holds with one colour and a hatch pattern."""
    cells = np.ma.masked_where(~where, np.zeros(where.shape))
    grid.draw(ax, cells, cmap=ListedColormap([colour]), vmin=0, vmax=1)
    if where.sum() <= 20000:  # hatching draws one polygon per cell
        ax.pcolor(grid.xe, grid.ye, cells.T, hatch=hatch, facecolor="none", edgecolor=hatch_colour, linewidth=0.0)


class Status:
    """Which points failed (status not OK, not NOT_RUN) and which were never computed."""

    def __init__(self, f):
        self.labels = [text(s) for s in f["status"].attrs["labels"]]
        self.codes = np.asarray(f["status"][...]).astype(int)
        not_run = self.labels.index("NOT_RUN") if "NOT_RUN" in self.labels else -1
        self.not_run = self.codes == not_run
        self.failed = (self.codes != 0) & ~self.not_run

    def overlay(self, grid, ax, failed=True):
        """Draw failed (unless failed=False) and NOT_RUN cells over a map; returns legend handles."""
        handles = []
        if failed and self.failed.any():
            hatch_cells(grid, ax, self.failed, FAILED_COLOUR, FAILED_HATCH, "white")
            handles.append(Patch(facecolor=FAILED_COLOUR, hatch=FAILED_HATCH, edgecolor="white",
                                 label="failed: status not OK (%d)" % self.failed.sum()))
        if self.not_run.any():
            hatch_cells(grid, ax, self.not_run, NOT_RUN_COLOUR, NOT_RUN_HATCH, "0.45")
            handles.append(Patch(facecolor=NOT_RUN_COLOUR, hatch=NOT_RUN_HATCH, edgecolor="0.45",
                                 label="NOT_RUN: not computed (%d)" % self.not_run.sum()))
        return handles

    def values(self, data):
        """data with every point that is not OK set to NaN (its value is not a result)."""
        out = np.array(data, dtype=float)
        out[self.codes != 0] = np.nan
        return out


def multistability(grid, ax, f):
    """With every steady state (kinmap run --all-states, DESIGN §8): shade the multistable
    region (n_stable >= 2) and draw the fold curves of /fold over a map. Returns the legend
    handles and what was drawn (counts), or ([], None) for a map without them."""
    if "n_stable" not in f:
        return [], None
    handles = []
    region = grid.shape2d(np.asarray(f["n_stable"][...], dtype=int)) >= 2
    if region.any():
        cells = np.ma.masked_where(~region, np.ones(region.shape))
        grid.draw(ax, cells, cmap=ListedColormap(["white"]), vmin=0, vmax=1, alpha=0.25)
        if region.sum() <= 20000:
            ax.pcolor(grid.xe, grid.ye, cells.T, hatch="...", facecolor="none", edgecolor="white", linewidth=0.0)
        handles.append(Patch(facecolor="white", alpha=0.6, hatch="...", edgecolor="0.3",
                             label="bistable: >= 2 stable states (%d)" % region.sum()))
    curves = 0
    points = 0
    if "fold" in f:
        fx, fy, fc = f["fold"]["x"][...], f["fold"]["y"][...], f["fold"]["curve"][...]
        points = len(fx)
        for c in sorted(set(int(v) for v in fc)):
            on = fc == c
            ax.plot(fx[on], fy[on] if len(grid.y) > 1 else np.zeros(on.sum()), color="#d62728", linewidth=1.6,
                    marker="." if on.sum() == 1 else None)
            curves += 1
        if points:
            handles.append(Line2D([], [], color="#d62728", linewidth=1.6, label="fold (saddle-node) curves (%d)" % curves))
    return handles, {"bistable_points": int(region.sum()), "fold_points": int(points), "fold_curves": curves}


def colorbar(fig, ax, mesh, label, limits):
    bar = fig.colorbar(mesh, ax=ax, extend=limits["extend"])
    bar.set_label(label)
    return bar


def legend(fig, handles):
    if handles:
        fig.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)


def save(fig, title, path, written, grid=None, marked=None):
    """Title, lay out and write the figure; with a grid, first mark the model's surfaces on
    every map axis of the figure (recorded in marked)."""
    if grid is not None:
        grid.mark_surfaces(os.path.basename(path), marked)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    written.append(path)


def parse_limits(items):
    out = {}
    for item in items or []:
        name, _, rest = item.partition("=")
        lo, sep, hi = rest.partition(":")
        if name not in QUANTITIES or not sep:
            raise SystemExit("heatmap.py: --limits %r: expected QUANTITY=VMIN:VMAX with QUANTITY one of %s "
                             "(either bound may be empty)" % (item, ", ".join(QUANTITIES)))
        try:
            out[name] = (float(lo) if lo else None, float(hi) if hi else None)
        except ValueError:
            raise SystemExit("heatmap.py: --limits %r: bounds must be numbers" % item)
    return out


def profile(grid, status, tof, f, species, title, tof_of, path, written):
    """A 1-D sweep also as curves: TOF and every coverage against x; failed points are gaps."""
    coverage = status.values(np.asarray(f["coverage"][...], dtype=float).reshape(len(grid.x), 1, -1))[:, 0, :]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.6, 7.0), sharex=True)
    t = np.asarray(tof, dtype=float).reshape(-1)
    top.plot(grid.x, np.where(t > 0, t, np.nan), "o-", ms=3)
    top.set_yscale("log")
    top.set_ylabel("TOF of %s [1/s per site]" % tof_of)
    for s, name in enumerate(species):
        bottom.plot(grid.x, coverage[:, s], "o-", ms=3, label=name)
    bottom.set_ylabel("coverage θ")
    bottom.set_ylim(-0.02, 1.02)
    bottom.legend(fontsize=8)
    if grid.xs == "log":
        bottom.set_xscale("log")
    bottom.set_xlabel(pretty(grid.xq, grid.xu))
    bad = np.asarray(status.failed).reshape(-1) | np.asarray(status.not_run).reshape(-1)
    for ax in (top, bottom):
        for x in grid.x[bad]:
            ax.axvline(x, color="0.6", lw=0.8, ls=":")
    if bad.any():
        top.set_title("%d points not OK (dotted lines)" % int(bad.sum()), fontsize=9)
    save(fig, title, path, written)


def interaction_energies(f, grid, status, species, title, prefix, written, marked, dumped):
    """PREFIX_interaction_energy.png: G − G0 of every adsorbate [eV] (DESIGN §11), one panel
    each, one symmetric colour range (positive = repulsive); only for a model with
    [interactions]."""
    if "interaction_energy_eV" not in f:
        return
    data = status.values(np.asarray(f["interaction_energy_eV"][...], dtype=float).reshape(len(grid.x), len(grid.y), -1))
    keep = [s for s, name in enumerate(species) if not name.startswith("*_") and np.isfinite(data[:, :, s]).any()]
    if not keep:
        return
    lim = color_limits(data[:, :, keep], signed=True)
    dumped["interaction_energy"] = {"all": lim}
    cols = min(len(keep), 3)
    rows = (len(keep) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.9 * rows + 0.4), squeeze=False)
    handles = []
    for k, s in enumerate(keep):
        ax = axes[k // cols][k % cols]
        cmap = plt.get_cmap("RdBu_r").copy()
        cmap.set_bad(NO_VALUE_COLOUR)
        mesh = grid.draw(ax, np.ma.masked_invalid(data[:, :, s]), cmap=cmap,
                         norm=Normalize(vmin=lim["vmin"], vmax=lim["vmax"]))
        handles = status.overlay(grid, ax)
        ax.set_title("interaction energy of %s" % species[s], fontsize=9)
        colorbar(fig, ax, mesh, "G(θ) − G0 of %s [eV]" % species[s], lim)
    for k in range(len(keep), rows * cols):
        axes[k // cols][k % cols].axis("off")
    legend(fig, handles)
    save(fig, title, prefix + "_interaction_energy.png", written, grid, marked)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="kinmap output file (HDF5)")
    parser.add_argument("-o", "--prefix", help="output prefix (default: the file name without .h5)")
    parser.add_argument("--floor", type=float, default=1e-30,
                        help="smallest TOF drawn, 1/s (default 1e-30); smaller and non-positive TOFs "
                             "are drawn at the lower end of the colour bar, which then has an arrow")
    parser.add_argument("--log-coverage", action="store_true",
                        help="draw log10 θ with limits from the data (default: θ on a linear 0..1 scale)")
    parser.add_argument("--limits", action="append", metavar="QUANTITY=VMIN:VMAX",
                        help="fixed colour limits for one quantity (%s; for tof and --log-coverage "
                             "in log10 units), e.g. drc=-1:1; values outside are clipped and the "
                             "colour bar gets an arrow; repeatable" % ", ".join(QUANTITIES))
    parser.add_argument("--percentile", type=float, metavar="P",
                        help="robust limits: the P-th percentile of |value| for signed quantities, "
                             "the [100-P, P] percentiles otherwise (e.g. 99); clipped ends get arrows")
    parser.add_argument("--dump-limits", metavar="JSON", help="write the colour limits used to this file")
    args = parser.parse_args(argv)
    if args.percentile is not None and not 50.0 < args.percentile <= 100.0:
        parser.error("--percentile must be in (50, 100]")
    user = parse_limits(args.limits)

    prefix = args.prefix or os.path.splitext(args.file)[0]
    written = []
    dumped = {}
    marked = {}  # figure file name -> per map axis, the surfaces marked on it

    def limits_of(quantity, values, signed=False, positive=False):
        lo, hi = user.get(quantity, (None, None))
        return color_limits(values, signed=signed, vmin=lo, vmax=hi, percentile=args.percentile,
                            positive=positive)

    with h5py.File(args.file, "r") as f:
        grid = Grid(f)
        title = model_title(f)
        status = Status(f)
        tof_of = text(f.attrs.get("tof_of", ""))
        dumped["status"] = {"failed": int(status.failed.sum()), "not_run": int(status.not_run.sum()),
                            "ok": int((status.codes == 0).sum())}

        # TOF: log10 over the OK points; TOFs below the floor (or ≤ 0) are clipped to it.
        tof = status.values(grid.shape2d(f["tof"][...]))
        with np.errstate(divide="ignore", invalid="ignore"):
            log_tof = np.where(np.isfinite(tof), np.log10(np.maximum(tof, args.floor)), np.nan)
        n_nonpositive = int((np.isfinite(tof) & (tof <= 0)).sum())
        lim = limits_of("tof", log_tof)
        if np.isfinite(tof).any() and np.nanmin(tof) < args.floor and lim["extend"] in ("neither", "max"):
            lim["extend"] = "min" if lim["extend"] == "neither" else "both"
        dumped["tof"] = lim
        cmap = plt.get_cmap("viridis").copy()
        cmap.set_bad(NO_VALUE_COLOUR)
        fig, ax = plt.subplots(figsize=(6.6, 5.2))
        mesh = grid.draw(ax, np.ma.masked_invalid(log_tof), cmap=cmap, vmin=lim["vmin"], vmax=lim["vmax"])
        colorbar(fig, ax, mesh, "log10 TOF of %s [1/s per site]" % tof_of, lim)
        handles = status.overlay(grid, ax)
        extra, drawn = multistability(grid, ax, f)
        handles += extra
        if drawn is not None:
            dumped["multistability"] = drawn
        note = "TOF of %s" % tof_of
        if n_nonpositive:
            note += " (%d points with TOF ≤ 0 drawn at the lower limit)" % n_nonpositive
        ax.set_title(note, fontsize=9)
        legend(fig, handles)
        save(fig, title, prefix + "_tof.png", written, grid, marked)

        species = [text(s) for s in f["species"][...]]
        if len(grid.y) == 1:
            profile(grid, status, tof, f, species, title, tof_of, prefix + "_profile.png", written)
        coverage = status.values(np.asarray(f["coverage"][...], dtype=float).reshape(len(grid.x), len(grid.y), -1))
        n = len(species)
        cols = min(n, 3)
        rows = (n + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.9 * rows + 0.4), squeeze=False)
        dumped["coverage"] = {}
        handles = []
        for s, name in enumerate(species):
            ax = axes[s // cols][s % cols]
            cmap = plt.get_cmap("magma").copy()
            cmap.set_bad(NO_VALUE_COLOUR)
            if args.log_coverage:
                with np.errstate(divide="ignore", invalid="ignore"):
                    values = np.where(coverage[:, :, s] > 0, np.log10(coverage[:, :, s]), -np.inf)
                values[~np.isfinite(coverage[:, :, s])] = np.nan
                lim = limits_of("coverage", values)
                if np.isneginf(values).any() and lim["extend"] in ("neither", "max"):
                    lim["extend"] = "min" if lim["extend"] == "neither" else "both"
                plotted = np.ma.masked_invalid(np.where(np.isneginf(values), lim["vmin"], values))
                label = "log10 θ(%s) [ML]" % name
            else:
                lo, hi = user.get("coverage", (0.0, 1.0))
                lim = color_limits(coverage[:, :, s], vmin=0.0 if lo is None else lo, vmax=1.0 if hi is None else hi)
                plotted = np.ma.masked_invalid(coverage[:, :, s])
                label = "θ(%s) [ML]" % name
            dumped["coverage"][name] = lim
            mesh = grid.draw(ax, plotted, cmap=cmap, vmin=lim["vmin"], vmax=lim["vmax"])
            handles = status.overlay(grid, ax)
            ax.set_title("coverage of %s" % name, fontsize=9)
            colorbar(fig, ax, mesh, label, lim)
        for s in range(n, rows * cols):
            axes[s // cols][s % cols].axis("off")
        legend(fig, handles)
        save(fig, title, prefix + "_coverage.png", written, grid, marked)

        labels = status.labels
        colours = ["#2ca02c", "#d62728", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", NOT_RUN_COLOUR]
        colours = (colours + ["#000000"] * len(labels))[: len(labels)]
        cmap = ListedColormap(colours)
        norm = BoundaryNorm(np.arange(len(labels) + 1) - 0.5, len(labels))
        fig, ax = plt.subplots(figsize=(6.8, 5.0))
        grid.draw(ax, status.codes, cmap=cmap, norm=norm)
        if status.not_run.any():
            hatch_cells(grid, ax, status.not_run, NOT_RUN_COLOUR, NOT_RUN_HATCH, "0.45")
        present = sorted(set(int(v) for v in np.unique(status.codes)))
        handles = [Patch(facecolor=colours[v], hatch=NOT_RUN_HATCH if labels[v] == "NOT_RUN" else None,
                         edgecolor="0.45" if labels[v] == "NOT_RUN" else colours[v],
                         label="%s (%d)" % (labels[v], int((status.codes == v).sum()))) for v in present]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
        ax.set_title("Solver status", fontsize=9)
        save(fig, title, prefix + "_status.png", written, grid, marked)

        wall = grid.shape2d(np.asarray(f["wall_time_s"][...], dtype=float) * 1e6)
        wall[status.not_run] = np.nan
        lo, hi = user.get("wall_time", (None, None))
        lim = color_limits(wall, vmin=lo, vmax=hi, percentile=args.percentile, positive=True)
        dumped["wall_time"] = lim
        fig, ax = plt.subplots(figsize=(6.6, 5.2))
        cmap = plt.get_cmap("inferno").copy()
        cmap.set_bad(NO_VALUE_COLOUR)
        mesh = grid.draw(ax, np.ma.masked_where(~(wall > 0), wall), cmap=cmap,
                         norm=LogNorm(vmin=lim["vmin"], vmax=lim["vmax"]))
        colorbar(fig, ax, mesh, "wall time per point [µs]", lim)
        # Failed points keep their cost (that is what this map is for); only NOT_RUN is marked.
        legend(fig, status.overlay(grid, ax, failed=False))
        ax.set_title("Cost per point", fontsize=9)
        save(fig, title, prefix + "_wall_time.png", written, grid, marked)

        def panels(name, quantity, labels, heading, cmap_name, bar_label, out):
            data = status.values(np.asarray(f[name][...], dtype=float).reshape(len(grid.x), len(grid.y), -1))
            keep = [s for s in range(len(labels)) if np.isfinite(data[:, :, s]).any()]
            if not keep:
                return
            # One symmetric range for every panel of the figure, so panels compare by colour.
            lim = limits_of(quantity, data[:, :, keep], signed=True)
            dumped[quantity] = {"all": lim}
            cols = min(len(keep), 3)
            rows = (len(keep) + cols - 1) // cols
            fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.9 * rows + 0.4), squeeze=False)
            handles = []
            for k, s in enumerate(keep):
                ax = axes[k // cols][k % cols]
                dumped[quantity][labels[s]] = color_limits(data[:, :, s], signed=True, vmin=lim["vmin"], vmax=lim["vmax"])
                cmap = plt.get_cmap(cmap_name).copy()
                cmap.set_bad(NO_VALUE_COLOUR)
                mesh = grid.draw(ax, np.ma.masked_invalid(data[:, :, s]), cmap=cmap,
                                 norm=Normalize(vmin=lim["vmin"], vmax=lim["vmax"]))
                handles = status.overlay(grid, ax)
                ax.set_title(heading % (s + 1, labels[s]), fontsize=8)
                colorbar(fig, ax, mesh, bar_label, dumped[quantity][labels[s]])
            for k in range(len(keep), rows * cols):
                axes[k // cols][k % cols].axis("off")
            legend(fig, handles)
            save(fig, title, out, written, grid, marked)

        if "drc" in f:
            steps = [text(s) for s in f["step"][...]]
            panels("drc", "drc", steps, "DRC of step %d: %s", "RdBu_r",
                   "degree of rate control ∂ln TOF/∂ln k [1]", prefix + "_drc.png")
            panels("trc", "trc", species, "TRC %d: %s", "RdBu_r",
                   "thermodynamic rate control −kBT·∂ln TOF/∂G [1]", prefix + "_trc.png")
            gases = [text(s) for s in f["gas"][...]]
            panels("orders", "orders", gases, "order %d: %s", "PuOr", "reaction order ∂ln TOF/∂ln p [1]",
                   prefix + "_orders.png")
            ea = status.values(grid.shape2d(f["ea_app_eV"][...]))
            if np.isfinite(ea).any():
                lim = limits_of("ea_app", ea)
                dumped["ea_app"] = lim
                fig, ax = plt.subplots(figsize=(6.6, 5.2))
                cmap = plt.get_cmap("viridis").copy()
                cmap.set_bad(NO_VALUE_COLOUR)
                mesh = grid.draw(ax, np.ma.masked_invalid(ea), cmap=cmap, vmin=lim["vmin"], vmax=lim["vmax"])
                colorbar(fig, ax, mesh, "apparent activation energy kB·T²·∂ln TOF/∂T [eV]", lim)
                legend(fig, status.overlay(grid, ax))
                ax.set_title("Apparent activation energy", fontsize=9)
                save(fig, title, prefix + "_ea_app.png", written, grid, marked)

        interaction_energies(f, grid, status, species, title, prefix, written, marked, dumped)

    if args.dump_limits:
        dumped["surfaces"] = {"axes": [grid.xq, grid.yq or None], "listed": [s[0] for s in grid.surfaces],
                              "marked": marked}
        with open(args.dump_limits, "w") as out:
            json.dump(dumped, out, indent=1, default=lambda v: None if isinstance(v, float) and not math.isfinite(v) else v)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
