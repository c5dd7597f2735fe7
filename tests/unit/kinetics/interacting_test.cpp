// Coverage-dependent interactions (DESIGN §11): the free energies G_i(θ) and every rate
// constant against the §11 formulas written out again here by hand (to 1e-12), on every branch
// of every response function including inside the smoothing window; second_order differential
// energies against central differences of the integral energy E(θ); detailed balance at any θ;
// the continuation strength; and the zero-coverage limit against rate_constants().
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "../../support/interaction_models.hpp"
#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/interacting.hpp"
#include "kinmap/kinetics/mass_action.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;
using namespace kinmap::test;

namespace {

constexpr double kCutoff = 0.25, kSmoothing = 0.05, kSlope = 1.3;

// f(t) of DESIGN §11, written out independently of ResponseFunction.
double f_hand(const std::string& response, double t) {
    const double m = kSlope, c = kCutoff;
    if (response == "linear") return t > 0.0 ? m : 0.0;
    if (response == "piecewise_linear") return t > c ? m * (t - c) / t : 0.0;
    const double x0 = c - kSmoothing, x1 = c + kSmoothing, alpha = m / (2.0 * (x1 - x0));
    if (t <= x0) return 0.0;
    if (t <= x1) return alpha * (t - x0) * (t - x0) / t;
    return m * (t - c) / t;
}

std::string extra_for(const std::string& response) {
    std::string extra = "slope = 1.3\n";
    if (response != "linear") extra += "cutoff = 0.25\n";
    if (response == "smooth_piecewise_linear") extra += "smoothing = 0.05\n";
    return extra;
}

struct Setup {
    ModelFile model;
    Conditions conditions;
    RateConstants k;
    int co, o, free_site;  // state positions
    int s_co, s_o, s_ts_oo, s_ts_coo;  // species indices
};

Setup setup(const std::string& order, const std::string& response, double T = 500.0) {
    Setup s{parse_model(co_oxidation_interacting(co_interactions(order, response, extra_for(response)), T), "int.toml"),
            {}, {}, 0, 0, 0, 0, 0, 0, 0};
    const Mechanism& m = s.model.mechanism;
    s.conditions = make_conditions(s.model, {{"p_O2_g", 0.2}, {"p_CO_g", 0.05}});
    s.k = rate_constants(m, s.conditions);
    s.s_co = m.find_species("CO_s");
    s.s_o = m.find_species("O_s");
    s.s_ts_oo = m.find_species("O-O_2s");
    s.s_ts_coo = m.find_species("CO-O_2s");
    s.co = m.surface_position(s.s_co);
    s.o = m.surface_position(s.s_o);
    s.free_site = m.surface_position(m.find_species("*_s"));
    return s;
}

// The resolved ε of the model by hand: geometric mixing, intermediate_state with w = 0.5.
const double kEpsCoCo = 2.0, kEpsOO = 2.5, kEpsCoO = std::sqrt(2.0 * 2.5);
// CO-O_2s: IS = CO + O (weight 1 − w), FS = CO2_g + 2*_s (no adsorbates).
const double kEpsTsCoo_Co = 0.5 * (kEpsCoCo + kEpsCoO), kEpsTsCoo_O = 0.5 * (kEpsCoO + kEpsOO);
// O-O_2s: IS = O2_g + 2*_s, FS = 2 O (weight w, multiplicity 2).
const double kEpsTsOo_Co = 0.5 * 2.0 * kEpsCoO, kEpsTsOo_O = 0.5 * 2.0 * kEpsOO;

struct HandEnergies {
    double co, o, ts_oo, ts_coo;
};

HandEnergies first_order_hand(const std::string& response, double t_co, double t_o) {
    const double f = f_hand(response, t_co + t_o);
    return {-1.3 + f * (kEpsCoCo * t_co + kEpsCoO * t_o), -1.0 + f * (kEpsCoO * t_co + kEpsOO * t_o),
            0.3 + f * (kEpsTsOo_Co * t_co + kEpsTsOo_O * t_o),
            -1.2 + f * (kEpsTsCoo_Co * t_co + kEpsTsCoo_O * t_o)};
}

// E(θ) of second_order with the transition state `ts_row` as a coordinate of its own
// (CatMAP's template: transition states are species of the site type with coverage 0).
double integral_energy(const std::string& response, double t_co, double t_o, double t_ts, double g0_ts,
                       double eps_ts_co, double eps_ts_o) {
    const double f = f_hand(response, 2.0 * (t_co + t_o + t_ts));
    const double q = kEpsCoCo * t_co * t_co + kEpsOO * t_o * t_o + 2.0 * kEpsCoO * t_co * t_o +
                     2.0 * t_ts * (eps_ts_co * t_co + eps_ts_o * t_o);
    return -1.3 * t_co - 1.0 * t_o + g0_ts * t_ts + 0.5 * f * f * q;
}

// kB·T/h·exp(−(G‡ − G)/kB·T) with G‡ the highest of the three.
void hand_constants(double g_is, double g_ts, double g_fs, double T, double& kf, double& kr) {
    const double kT = constants::kB_eV_per_K * T;
    const double top = std::max({g_is, g_ts, g_fs});
    kf = kT / constants::h_eV_s * std::exp(-(top - g_is) / kT);
    kr = kT / constants::h_eV_s * std::exp(-(top - g_fs) / kT);
}

void check_constants(const InteractingKinetics& kin, const std::vector<double>& theta, const HandEnergies& e, double T) {
    std::vector<double> kf, kr;
    kin.constants_at(theta.data(), kf, kr);
    REQUIRE(kf.size() == 3);
    const double nan = std::nan("");
    const double steps[3][3] = {{0.0, nan, e.co}, {0.0, e.ts_oo, 2.0 * e.o}, {e.co + e.o, e.ts_coo, -3.0}};
    for (int j = 0; j < 3; ++j) {
        double hf, hr;
        const double ts = std::isnan(steps[j][1]) ? -1e300 : steps[j][1];
        hand_constants(steps[j][0], ts, steps[j][2], T, hf, hr);
        INFO("step " << j + 1);
        CHECK(std::abs(kf[static_cast<std::size_t>(j)] - hf) <= 1e-12 * hf);
        CHECK(std::abs(kr[static_cast<std::size_t>(j)] - hr) <= 1e-12 * hr);
        // Detailed balance at this θ: kf/kr = exp(−(G_FS − G_IS)/kB·T).
        const double kT = constants::kB_eV_per_K * T;
        const double ratio = kf[static_cast<std::size_t>(j)] / kr[static_cast<std::size_t>(j)];
        CHECK(std::abs(ratio - std::exp(-(steps[j][2] - steps[j][0]) / kT)) <= 1e-12 * ratio);
    }
}

}  // namespace

TEST_CASE("first_order G_i(θ) and every rate constant equal the §11 formulas on every branch of "
          "every response", "[kinetics][interactions]") {
    struct Case {
        std::string response;
        std::vector<double> totals;  // θ_CO + θ_O on each branch
    };
    // smooth: below x0 = 0.2, inside (0.2, 0.3] on both sides of c, above x1; piecewise: below
    // and above c; linear: any.
    const std::vector<Case> cases = {{"linear", {0.05, 0.6, 0.97}},
                                     {"piecewise_linear", {0.1, 0.24, 0.26, 0.8}},
                                     {"smooth_piecewise_linear", {0.1, 0.2, 0.21, 0.25, 0.29, 0.3, 0.31, 0.9}}};
    for (const Case& c : cases) {
        const Setup s = setup("first_order", c.response);
        InteractingKinetics kin(s.model.mechanism);
        kin.set_conditions(s.conditions, s.k);
        for (double total : c.totals) {
            for (double share : {0.0, 0.3, 1.0}) {
                const double t_co = share * total, t_o = total - t_co;
                INFO(c.response << " θ_CO " << t_co << " θ_O " << t_o);
                std::vector<double> theta(3);
                theta[static_cast<std::size_t>(s.co)] = t_co;
                theta[static_cast<std::size_t>(s.o)] = t_o;
                theta[static_cast<std::size_t>(s.free_site)] = 1.0 - total;
                Eigen::VectorXd G;
                Eigen::MatrixXd dG;
                kin.free_energies(theta.data(), G, &dG);
                const HandEnergies e = first_order_hand(c.response, t_co, t_o);
                CHECK(std::abs(G[s.s_co] - e.co) <= 1e-12);
                CHECK(std::abs(G[s.s_o] - e.o) <= 1e-12);
                CHECK(std::abs(G[s.s_ts_oo] - e.ts_oo) <= 1e-12);
                CHECK(std::abs(G[s.s_ts_coo] - e.ts_coo) <= 1e-12);
                check_constants(kin, theta, e, 500.0);
                // The interaction energies of the output: G − G0 per state species, 0 for *.
                std::vector<double> de(3);
                kin.interaction_energies(theta.data(), de.data());
                CHECK(std::abs(de[static_cast<std::size_t>(s.co)] - (e.co + 1.3)) <= 1e-12);
                CHECK(std::abs(de[static_cast<std::size_t>(s.o)] - (e.o + 1.0)) <= 1e-12);
                CHECK(de[static_cast<std::size_t>(s.free_site)] == 0.0);
                // ∂G/∂θ against central differences of the hand formulas (away from kinks).
                const double h = 1e-7;
                for (int col : {s.co, s.o}) {
                    const double t_co_p = t_co + (col == s.co ? h : 0.0), t_o_p = t_o + (col == s.o ? h : 0.0);
                    const double t_co_m = t_co - (col == s.co ? h : 0.0), t_o_m = t_o - (col == s.o ? h : 0.0);
                    if (t_co_m < 0.0 || t_o_m < 0.0) continue;
                    const HandEnergies up = first_order_hand(c.response, t_co_p, t_o_p);
                    const HandEnergies dn = first_order_hand(c.response, t_co_m, t_o_m);
                    const bool kink = std::abs(total - kCutoff) < 2 * h || std::abs(total - 0.2) < 2 * h ||
                                      std::abs(total - 0.3) < 2 * h;
                    if (kink) continue;
                    CHECK(dG(s.s_co, col) == Approx((up.co - dn.co) / (2 * h)).margin(1e-6));
                    CHECK(dG(s.s_o, col) == Approx((up.o - dn.o) / (2 * h)).margin(1e-6));
                    CHECK(dG(s.s_ts_coo, col) == Approx((up.ts_coo - dn.ts_coo) / (2 * h)).margin(1e-6));
                }
            }
        }
    }
}

TEST_CASE("second_order differential energies are ∂E/∂θ of the integral energy, for adsorbates "
          "and transition states", "[kinetics][interactions]") {
    for (const std::string response : {"linear", "piecewise_linear", "smooth_piecewise_linear"}) {
        const Setup s = setup("second_order", response);
        InteractingKinetics kin(s.model.mechanism);
        kin.set_conditions(s.conditions, s.k);
        // 2θ_tot on each branch: smooth below 0.2, inside the window (0.2, 0.3], above.
        for (double total : {0.05, 0.105, 0.12, 0.14, 0.4}) {
            const double t_co = 0.35 * total, t_o = total - t_co;
            INFO(response << " θ_tot " << total);
            std::vector<double> theta(3);
            theta[static_cast<std::size_t>(s.co)] = t_co;
            theta[static_cast<std::size_t>(s.o)] = t_o;
            theta[static_cast<std::size_t>(s.free_site)] = 1.0 - total;
            Eigen::VectorXd G;
            Eigen::MatrixXd dG;
            kin.free_energies(theta.data(), G, &dG);
            const double h = 1e-6;  // truncation ~h²·E‴ ≈ 1e-11, rounding ~1e-16/h = 1e-10
            auto E = [&](double a, double b, double ts, double g0_ts, double e1, double e2) {
                return integral_energy(response, a, b, ts, g0_ts, e1, e2);
            };
            const double dE_co = (E(t_co + h, t_o, 0, 0, 0, 0) - E(t_co - h, t_o, 0, 0, 0, 0)) / (2 * h);
            const double dE_o = (E(t_co, t_o + h, 0, 0, 0, 0) - E(t_co, t_o - h, 0, 0, 0, 0)) / (2 * h);
            CHECK(G[s.s_co] == Approx(dE_co).margin(1e-8));
            CHECK(G[s.s_o] == Approx(dE_o).margin(1e-8));
            const double dE_coo = (E(t_co, t_o, h, -1.2, kEpsTsCoo_Co, kEpsTsCoo_O) -
                                   E(t_co, t_o, -h, -1.2, kEpsTsCoo_Co, kEpsTsCoo_O)) / (2 * h);
            const double dE_oo = (E(t_co, t_o, h, 0.3, kEpsTsOo_Co, kEpsTsOo_O) -
                                  E(t_co, t_o, -h, 0.3, kEpsTsOo_Co, kEpsTsOo_O)) / (2 * h);
            CHECK(G[s.s_ts_coo] == Approx(dE_coo).margin(1e-8));
            CHECK(G[s.s_ts_oo] == Approx(dE_oo).margin(1e-8));
            // The closed form G_k = G0_k + f²·S_k + 2f·f′·Q by hand (f′ by a central
            // difference of f_hand) to 1e-9, and the rate constants from these energies.
            const double t = 2.0 * total;
            const double f = f_hand(response, t);
            const double df = (f_hand(response, t + 1e-7) - f_hand(response, t - 1e-7)) / 2e-7;
            const double q = kEpsCoCo * t_co * t_co + kEpsOO * t_o * t_o + 2.0 * kEpsCoO * t_co * t_o;
            const double s_co = kEpsCoCo * t_co + kEpsCoO * t_o, s_o = kEpsCoO * t_co + kEpsOO * t_o;
            CHECK(G[s.s_co] == Approx(-1.3 + f * f * s_co + 2 * f * df * q).margin(1e-8));
            CHECK(G[s.s_o] == Approx(-1.0 + f * f * s_o + 2 * f * df * q).margin(1e-8));
            check_constants(kin, theta, {G[s.s_co], G[s.s_o], G[s.s_ts_oo], G[s.s_ts_coo]}, 500.0);
            // The Hessian ∂G_k/∂θ_a against central differences of G.
            for (int col : {s.co, s.o}) {
                std::vector<double> up = theta, dn = theta;
                up[static_cast<std::size_t>(col)] += h;
                dn[static_cast<std::size_t>(col)] -= h;
                Eigen::VectorXd Gp, Gm;
                kin.free_energies(up.data(), Gp, nullptr);
                kin.free_energies(dn.data(), Gm, nullptr);
                for (int species : {s.s_co, s.s_o, s.s_ts_oo, s.s_ts_coo}) {
                    CHECK(dG(species, col) == Approx((Gp[species] - Gm[species]) / (2 * h)).margin(1e-6));
                }
            }
        }
    }
}

TEST_CASE("Detailed balance kf/kr = exp(−ΔG(θ)/kB·T) holds at random coverages", "[kinetics][interactions]") {
    std::mt19937_64 rng(16);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (const std::string order : {"first_order", "second_order"}) {
        for (double T : {300.0, 500.0, 800.0}) {
            const Setup s = setup(order, "smooth_piecewise_linear", T);
            InteractingKinetics kin(s.model.mechanism);
            kin.set_conditions(s.conditions, s.k);
            for (int trial = 0; trial < 20; ++trial) {
                const double a = unit(rng), b = unit(rng) * (1.0 - a);
                std::vector<double> theta(3);
                theta[static_cast<std::size_t>(s.co)] = a;
                theta[static_cast<std::size_t>(s.o)] = b;
                theta[static_cast<std::size_t>(s.free_site)] = 1.0 - a - b;
                Eigen::VectorXd G;
                kin.free_energies(theta.data(), G, nullptr);
                if (order == "first_order") {
                    const HandEnergies e = first_order_hand("smooth_piecewise_linear", a, b);
                    CHECK(std::abs(G[s.s_co] - e.co) <= 1e-12);
                    CHECK(std::abs(G[s.s_o] - e.o) <= 1e-12);
                }
                check_constants(kin, theta, {G[s.s_co], G[s.s_o], G[s.s_ts_oo], G[s.s_ts_coo]}, T);
            }
        }
    }
}

TEST_CASE("Interaction strength 0 is mass action with the zero-coverage constants; the strength "
          "scales the interaction energies", "[kinetics][interactions]") {
    const Setup s = setup("first_order", "linear");
    const Mechanism& m = s.model.mechanism;
    InteractingKinetics kin(m);
    kin.set_conditions(s.conditions, s.k);
    MassActionKinetics mass(m);
    mass.set_conditions(s.conditions, s.k);
    std::vector<double> theta(3);
    theta[static_cast<std::size_t>(s.co)] = 0.4;
    theta[static_cast<std::size_t>(s.o)] = 0.3;
    theta[static_cast<std::size_t>(s.free_site)] = 0.3;
    // At zero coverage the constants are rate_constants()'s.
    std::vector<double> zero(3, 0.0), kf, kr;
    zero[static_cast<std::size_t>(s.free_site)] = 1.0;
    kin.constants_at(zero.data(), kf, kr);
    for (std::size_t j = 0; j < 3; ++j) {
        CHECK(std::abs(kf[j] - s.k.kf[j]) <= 1e-14 * s.k.kf[j]);
        CHECK(std::abs(kr[j] - s.k.kr[j]) <= 1e-14 * s.k.kr[j]);
    }
    std::vector<double> rf(3), rr(3), mf(3), mr(3), full(3), half(3);
    kin.interaction_energies(theta.data(), full.data());
    CHECK(full[static_cast<std::size_t>(s.co)] > 0.5);  // repulsive: 1.3·(2.0·0.4 + √5·0.3)
    kin.set_interaction_strength(0.0);
    kin.rates(theta.data(), rf.data(), rr.data());
    mass.rates(theta.data(), mf.data(), mr.data());
    for (std::size_t j = 0; j < 3; ++j) {
        CHECK(std::abs(rf[j] - mf[j]) <= 1e-13 * mf[j]);
        CHECK(std::abs(rr[j] - mr[j]) <= 1e-13 * mr[j]);
    }
    kin.set_interaction_strength(0.5);
    kin.interaction_energies(theta.data(), half.data());
    for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(half[i] - 0.5 * full[i]) <= 1e-15);
    // set_conditions restores the full interactions.
    kin.set_conditions(s.conditions, s.k);
    kin.interaction_energies(theta.data(), half.data());
    CHECK(half == full);
}
