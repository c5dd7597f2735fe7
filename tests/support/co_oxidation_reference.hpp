#pragma once
// Independent steady states of the CO-oxidation model (data/models/co_oxidation_pt100.toml),
// derived by hand and solved in long double by bisection, sharing no code with kinmap.
//
// With x = θ*, c = θ_CO, o = θ_O and
//   r1 = k1·pCO·x − k1r·c,   r2 = k2·pO2·x² − k2r·o²,   r3 = k3·c·o − k3r·pCO2·x²,
// a steady state satisfies dc/dt = r1 − r3 = 0, do/dt = 2·r2 − r3 = 0 and x + c + o = 1.
// For a given o, r1 = r3 gives c·(k3·o + k1r) = k1·pCO·x + k3r·pCO2·x², and with the site
// balance x + c = 1 − o this is a quadratic in x with positive coefficients,
//   α·x² + β·x − (1 − o) = 0,   α = k3r·pCO2/D,  β = 1 + k1·pCO/D,  D = k3·o + k1r,
// whose one non-negative root x = 2(1 − o)/(β + sqrt(β² + 4α(1 − o))) is free of cancellation,
// as is c = (k1·pCO·x + k3r·pCO2·x²)/D. Every steady state is then a zero of
//   h(o) = 2·r2 − r3   over 0 < o < 1,
// found by scanning log o and bisecting each sign change. TOF = r3 = r1 = 2·r2.
#include <algorithm>
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
    auto state = [&](long double o) {
        const long double d = k.k3 * o + k.k1r;
        const long double alpha = k.k3r * k.p_co2 / d;
        const long double beta = 1.0L + k.k1 * p_co / d;
        const long double x = 2.0L * (1.0L - o) / (beta + std::sqrt(beta * beta + 4.0L * alpha * (1.0L - o)));
        const long double c = (k.k1 * p_co * x + k.k3r * k.p_co2 * x * x) / d;
        const long double tof = k.k3 * c * o - k.k3r * k.p_co2 * x * x;
        return CoOxidationState{x, c, o, tof};
    };
    auto h = [&](long double o) {
        const CoOxidationState s = state(o);
        const long double r2 = k.k2 * p_o2 * s.free_sites * s.free_sites - k.k2r * o * o;
        return 2.0L * r2 - s.tof;
    };
    std::vector<CoOxidationState> states;
    const int n = 20000;
    long double o_prev = 0.0L, h_prev = 0.0L;
    for (int i = 0; i <= n; ++i) {
        const long double o = std::pow(10.0L, -80.0L + 80.0L * i / n) * (1.0L - 1e-18L);
        const long double ho = h(o);
        if (i > 0 && ((h_prev < 0) != (ho < 0))) {
            long double lo = o_prev, hi = o, h_lo = h_prev;
            for (int it = 0; it < 300; ++it) {
                const long double mid = std::sqrt(lo * hi);
                if (mid <= lo || mid >= hi) break;
                const long double hm = h(mid);
                if ((hm < 0) == (h_lo < 0)) {
                    lo = mid;
                    h_lo = hm;
                } else {
                    hi = mid;
                }
            }
            states.push_back(state(std::sqrt(lo * hi)));
        }
        o_prev = o;
        h_prev = ho;
    }
    return states;
}

// Fold points along pCO at fixed pO2, independently of kinmap: for a given θ_O = o, h(o, pCO)
// decreases strictly with pCO (more CO: fewer free sites, less O2 adsorption, more reaction),
// so the steady states of the whole pCO line form one curve pCO = P(o), P found by bisection
// in ln pCO. A fold (two states meeting) is a local extremum of P: found by a scan of ln o and
// a golden-section search, whose error δ in o moves P by only O(δ²).
inline long double co_oxidation_h(long double o, long double p_o2, long double p_co,
                                  const CoOxidationConstants& k = {}) {
    const long double d = k.k3 * o + k.k1r;
    const long double alpha = k.k3r * k.p_co2 / d;
    const long double beta = 1.0L + k.k1 * p_co / d;
    const long double x = 2.0L * (1.0L - o) / (beta + std::sqrt(beta * beta + 4.0L * alpha * (1.0L - o)));
    const long double c = (k.k1 * p_co * x + k.k3r * k.p_co2 * x * x) / d;
    const long double tof = k.k3 * c * o - k.k3r * k.p_co2 * x * x;
    return 2.0L * (k.k2 * p_o2 * x * x - k.k2r * o * o) - tof;
}

// P(o): the pCO at which θ_O = o is a steady state (NaN if outside 1e-30 … 1e10 bar).
inline long double co_oxidation_p_co_of_o(long double o, long double p_o2) {
    long double lo = std::log(1e-30L), hi = std::log(1e10L);
    if (!(co_oxidation_h(o, p_o2, std::exp(lo)) > 0 && co_oxidation_h(o, p_o2, std::exp(hi)) < 0)) return NAN;
    for (int it = 0; it < 200; ++it) {
        const long double mid = 0.5L * (lo + hi);
        if (mid <= lo || mid >= hi) break;
        (co_oxidation_h(o, p_o2, std::exp(mid)) > 0 ? lo : hi) = mid;
    }
    return std::exp(0.5L * (lo + hi));
}

// Every fold along pCO at `p_o2`: the local extrema of P over 1e-30 < o < 1, ascending in pCO.
inline std::vector<long double> co_oxidation_folds_p_co(long double p_o2) {
    const int n = 3000;
    auto o_at = [&](long double t) { return std::pow(10.0L, -30.0L + 30.0L * t / n) * (1.0L - 1e-18L); };
    std::vector<long double> folds;
    long double p_prev2 = NAN, p_prev = NAN;
    for (int i = 0; i <= n; ++i) {
        const long double p = co_oxidation_p_co_of_o(o_at(i), p_o2);
        if (i >= 2 && std::isfinite(p) && std::isfinite(p_prev) && std::isfinite(p_prev2) &&
            (p_prev - p_prev2) * (p - p_prev) < 0) {
            // Golden section on ln o over [i − 2, i] for the extremum of ln P.
            const long double sign = p_prev > p ? 1.0L : -1.0L;  // +1: a maximum
            auto f = [&](long double t) { return sign * std::log(co_oxidation_p_co_of_o(o_at(t), p_o2)); };
            long double a = i - 2, b = i;
            const long double g = (std::sqrt(5.0L) - 1.0L) / 2.0L;
            long double c = b - g * (b - a), d = a + g * (b - a);
            long double fc = f(c), fd = f(d);
            for (int it = 0; it < 200 && b - a > 1e-12L; ++it) {
                if (fc > fd) {
                    b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c);
                } else {
                    a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d);
                }
            }
            folds.push_back(co_oxidation_p_co_of_o(o_at(0.5L * (a + b)), p_o2));
        }
        p_prev2 = p_prev;
        p_prev = p;
    }
    std::sort(folds.begin(), folds.end());
    return folds;
}

}  // namespace kinmap_test
