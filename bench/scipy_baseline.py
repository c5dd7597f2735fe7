#!/usr/bin/env python3
"""The way users compute a microkinetic map today, as a baseline for kinmap: per point,
SciPy solve_ivp(LSODA) with the analytic Jacobian from a clean surface to t_end, then fsolve
on the steady-state equations (one site balance replacing the free-site row), over
multiprocessing.Pool.map. Reads the same TOML model file (explicit kf/kr) and grid.

Usage: scipy_baseline.py MODEL.toml [--processes N] [--nx N --ny N]
Prints one line: points, seconds, points/s, processes.
"""
import argparse
import multiprocessing
import re
import time
import tomllib

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve


def parse_model(path, nx, ny):
    with open(path, "rb") as f:
        m = tomllib.load(f)
    steps = []
    species = []
    for st in m["step"]:
        parts = re.split(r"<->|->", st["equation"])
        sides = [parts[0], parts[-1]]
        parsed = []
        for side in sides:
            terms = {}
            for term in side.split("+"):
                term = term.strip()
                mt = re.match(r"^(\d*)\s*(\S+)$", term)
                coeff = int(mt.group(1)) if mt.group(1) else 1
                name = mt.group(2)
                terms[name] = terms.get(name, 0) + coeff
                if name not in species:
                    species.append(name)
            parsed.append(terms)
        steps.append((parsed[0], parsed[1], st["kf"], st["kr"]))
    surface = [s for s in species if not s.endswith("_g")]
    gases = [s for s in species if s.endswith("_g")]
    sweep = m["sweep"]

    def axis(a, n):
        pts = n or a["points"]
        if a.get("scale", "log") == "log":
            return np.geomspace(a["from"], a["to"], pts)
        return np.linspace(a["from"], a["to"], pts)

    xs, ys = axis(sweep["x"], nx), axis(sweep["y"], ny)
    return dict(steps=steps, surface=surface, gases=gases, pressures=m.get("pressures", {}),
                x_gas=sweep["x"]["pressure"], y_gas=sweep["y"]["pressure"], xs=xs, ys=ys,
                tof_of=m["model"]["tof_of"], t_end=m.get("solver", {}).get("t_end_s", 10.0))


MODEL = None


def solve_point(args):
    px, py = args
    m = MODEL
    p = dict(m["pressures"])
    p[m["x_gas"]] = px
    p[m["y_gas"]] = py
    idx = {s: i for i, s in enumerate(m["surface"])}
    n = len(idx)
    compiled = []
    for lhs, rhs, kf, kr in m["steps"]:
        kfe, kre = kf, kr
        for s, c in lhs.items():
            if s.endswith("_g"):
                kfe *= p[s] ** c
        for s, c in rhs.items():
            if s.endswith("_g"):
                kre *= p[s] ** c
        f_terms = [(idx[s], c) for s, c in lhs.items() if s in idx]
        r_terms = [(idx[s], c) for s, c in rhs.items() if s in idx]
        nu = np.zeros(n)
        for s, c in lhs.items():
            if s in idx:
                nu[idx[s]] -= c
        for s, c in rhs.items():
            if s in idx:
                nu[idx[s]] += c
        g = sum(c for s, c in rhs.items() if s == m["tof_of"]) - sum(c for s, c in lhs.items() if s == m["tof_of"])
        compiled.append((kfe, kre, f_terms, r_terms, nu, g))

    def rates(theta):
        out = []
        for kfe, kre, ft, rt, nu, g in compiled:
            rf = kfe * np.prod([theta[i] ** c for i, c in ft]) if ft else kfe
            rr = kre * np.prod([theta[i] ** c for i, c in rt]) if rt else kre
            out.append((rf, rr))
        return out

    def f(t, theta):
        d = np.zeros(n)
        for (rf, rr), (_, _, _, _, nu, _) in zip(rates(theta), compiled):
            d += nu * (rf - rr)
        return d

    def jac(t, theta):
        J = np.zeros((n, n))
        for kfe, kre, ft, rt, nu, g in compiled:
            for k_eff, terms, sign in ((kfe, ft, 1.0), (kre, rt, -1.0)):
                for a, (i, c) in enumerate(terms):
                    d = k_eff * c * theta[i] ** (c - 1)
                    for b, (j, cj) in enumerate(terms):
                        if b != a:
                            d *= theta[j] ** cj
                    J[:, i] += sign * nu * d
        return J

    free = [idx[s] for s in m["surface"] if s.startswith("*_")]
    theta0 = np.zeros(n)
    for i in free:
        theta0[i] = 1.0
    sol = solve_ivp(f, (0.0, m["t_end"]), theta0, method="LSODA", jac=jac, rtol=1e-6, atol=1e-12)
    y = sol.y[:, -1]

    def steady(theta):
        r = f(0.0, theta)
        r[free[0]] = theta.sum() - 1.0
        return r

    def steady_jac(theta):
        J = jac(0.0, theta)
        J[free[0], :] = 1.0
        return J

    theta = fsolve(steady, y, fprime=steady_jac, xtol=1e-12)
    tof = sum(g * (rf - rr) for (rf, rr), (_, _, _, _, _, g) in zip(rates(theta), compiled))
    return tof


def init(model):
    global MODEL
    MODEL = model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--processes", type=int, default=multiprocessing.cpu_count())
    ap.add_argument("--nx", type=int, default=0)
    ap.add_argument("--ny", type=int, default=0)
    args = ap.parse_args()
    model = parse_model(args.model, args.nx, args.ny)
    points = [(x, y) for x in model["xs"] for y in model["ys"]]
    t0 = time.perf_counter()
    with multiprocessing.Pool(args.processes, initializer=init, initargs=(model,)) as pool:
        tofs = pool.map(solve_point, points, chunksize=max(1, len(points) // (8 * args.processes)))
    dt = time.perf_counter() - t0
    print("scipy points %d seconds %.3f points_per_s %.1f processes %d finite_tof %d"
          % (len(points), dt, len(points) / dt, args.processes, int(np.isfinite(tofs).sum())))


if __name__ == "__main__":
    main()
