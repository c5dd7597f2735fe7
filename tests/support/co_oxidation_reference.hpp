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

}  // namespace kinmap_test
