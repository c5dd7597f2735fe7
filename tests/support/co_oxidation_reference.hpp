#pragma once
// Independent steady states of the CO-oxidation model (data/models/co_oxidation_pt100.toml),
// derived by hand and solved in long double by bisection, sharing no code with kinmap.
//
// With x = θ*, c = θ_CO, o = θ_O and
//   r1 = k1·pCO·x − k1r·c,   r2 = k2·pO2·x² − k2r·o²,   r3 = k3·c·o − k3r·pCO2·x²,
// a steady state satisfies dc/dt = r1 − r3 = 0, do/dt = 2·r2 − r3 = 0 and c + o + x = 1.
// For fixed x, r1 = r3 with o = 1 − x − c is the quadratic
//   k3·c² − B·c + C = 0,   B = k3·(1 − x) + k1r,   C = k1·pCO·x + k3r·pCO2·x²,
// whose two roots give two branches c±(x); on each, the steady states are the zeros of
//   g(x) = 2·r2 − r3 over 0 < x < 1 with 0 <= c <= 1 − x. TOF = r3 = r1 = 2·r2.
#include <cmath>
#include <vector>

namespace kinmap_test {

struct CoOxidationConstants {
    long double k1 = 9.0235665702533e7L, k1r = 1.3081000299027e-5L;
    long double k2 = 1.6630285069182e7L, k2r = 4.3590263268081e-9L;
    long double k3 = 1.2211523229673e9L, k3r = 1.4803439985645e-6L;
    long double p_co2 = 0.01L;
};

struct CoOxidationState {
    long double free_sites, co, o, tof;
};

inline std::vector<CoOxidationState> co_oxidation_steady_states(long double p_o2, long double p_co,
                                                                 const CoOxidationConstants& k = {}) {
    auto branch = [&](long double x, int which, long double& c) {
        const long double b = k.k3 * (1.0L - x) + k.k1r;
        const long double cc = k.k1 * p_co * x + k.k3r * k.p_co2 * x * x;
        const long double disc = b * b - 4.0L * k.k3 * cc;
        if (disc < 0.0L) return false;
        const long double small = 2.0L * cc / (b + std::sqrt(disc));
        c = which == 0 ? small : cc / (k.k3 * small);
        return std::isfinite(static_cast<double>(c)) && c >= 0.0L && c <= 1.0L - x;
    };
    auto g = [&](long double x, long double c) {
        const long double o = 1.0L - x - c;
        const long double r2 = k.k2 * p_o2 * x * x - k.k2r * o * o;
        const long double r3 = k.k3 * c * o - k.k3r * k.p_co2 * x * x;
        return 2.0L * r2 - r3;
    };
    std::vector<CoOxidationState> states;
    for (int which = 0; which < 2; ++which) {
        // Scan log x from 1e-40 to 1 finely, bisect every sign change of g on this branch.
        const int n = 40000;
        long double x_prev = 0.0L, g_prev = 0.0L;
        bool have_prev = false;
        for (int i = 0; i <= n; ++i) {
            const long double x = std::pow(10.0L, -40.0L + 40.0L * i / n) * (1.0L - 1e-15L);
            long double c = 0.0L;
            if (!branch(x, which, c)) {
                have_prev = false;
                continue;
            }
            const long double gx = g(x, c);
            if (have_prev && ((g_prev < 0) != (gx < 0))) {
                long double lo = x_prev, hi = x;
                long double g_lo = g_prev;
                for (int it = 0; it < 200; ++it) {
                    const long double mid = std::sqrt(lo * hi);
                    long double cm = 0.0L;
                    if (!branch(mid, which, cm)) break;
                    const long double gm = g(mid, cm);
                    if ((gm < 0) == (g_lo < 0)) {
                        lo = mid;
                        g_lo = gm;
                    } else {
                        hi = mid;
                    }
                }
                const long double xr = std::sqrt(lo * hi);
                long double cr = 0.0L;
                if (branch(xr, which, cr)) {
                    const long double o = 1.0L - xr - cr;
                    const long double tof = k.k3 * cr * o - k.k3r * k.p_co2 * xr * xr;
                    states.push_back({xr, cr, o, tof});
                }
            }
            x_prev = x;
            g_prev = gx;
            have_prev = true;
        }
    }
    return states;
}

}  // namespace kinmap_test
