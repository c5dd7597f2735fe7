// What every implementation of the Kinetics seam must satisfy, checked through the interface
// only (so that a new kinetics, e.g. coverage-dependent interactions, is tested by adding its
// factory to `implementations()`): at random states of every shipped model,
// - derivative() is the stoichiometry times the net rates, Σ_s ν_is (r_f,s − r_r,s);
// - jacobian() and net_rate_gradients() are the central differences of derivative() and of
//   r_f − r_r;
// - rate_sensitivities() are the central differences of the rates in ln kf_s and ln kr_s;
// - log_rates() are the logarithms of rates() and its gradients the differences in ln θ;
// - gross_flux() and tof() follow from rates() and the stoichiometry;
// - clone() evaluates bit for bit as the original.
// Besides the shipped models, small models with [interactions] (DESIGN §11) in every model and
// response, on which make_kinetics gives InteractingKinetics.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "../../support/interaction_models.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/interacting.hpp"
#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/kinetics/mass_action.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/mechanism.hpp"

using namespace kinmap;

namespace {

using Factory = std::function<std::unique_ptr<Kinetics>(const Mechanism&)>;

std::vector<std::pair<std::string, Factory>> implementations() {
    return {
        {"make_kinetics", [](const Mechanism& m) { return make_kinetics(m); }},
        {"MassActionKinetics",
         [](const Mechanism& m) { return std::make_unique<MassActionKinetics>(m); }},
        {"InteractingKinetics",
         [](const Mechanism& m) -> std::unique_ptr<Kinetics> {
             if (!m.interactions) return nullptr;  // needs [interactions]
             return std::make_unique<InteractingKinetics>(m);
         }},
    };
}


std::vector<std::filesystem::path> shipped_models() {
    std::vector<std::filesystem::path> models;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(KINMAP_DATA_DIR) + "/models")) {
        if (entry.path().extension() == ".toml") models.push_back(entry.path());
    }
    return models;
}

// Every shipped model, and the interacting models of tests/support.
std::vector<std::pair<std::string, ModelFile>> contract_models() {
    std::vector<std::pair<std::string, ModelFile>> out;
    for (const auto& path : shipped_models()) out.emplace_back(path.filename().string(), read_model_file(path.string()));
    for (const char* order : {"first_order", "second_order"}) {
        for (const char* response : {"linear", "piecewise_linear", "smooth_piecewise_linear"}) {
            const std::string extra = std::string(response) == "linear" ? "" : "cutoff = 0.25\nsmoothing = 0.05\n";
            const std::string name = std::string("interacting ") + order + " " + response;
            out.emplace_back(name, parse_model(kinmap::test::co_oxidation_interacting(
                                                   kinmap::test::co_interactions(order, response, extra)),
                                               name));
        }
    }
    out.emplace_back("interacting one adsorbate", parse_model(kinmap::test::one_adsorbate(-0.5, 0.8), "one.toml"));
    return out;
}

using Vec = std::vector<double>;
Vec sized(int n) { return Vec(static_cast<std::size_t>(n), 0.0); }
double at(const Vec& v, int i) { return v[static_cast<std::size_t>(i)]; }

// |a − b| within `rel` of `scale` (plus a floor for entries that are exactly 0).
bool close(double a, double b, double scale, double rel) {
    return std::abs(a - b) <= rel * std::abs(scale) + 1e-300;
}

}  // namespace

TEST_CASE("Every Kinetics implementation keeps the seam's contract on every shipped model",
          "[kinetics]") {
    REQUIRE(shipped_models().size() >= 5);
    const auto models = contract_models();
    for (const auto& [impl_name, factory] : implementations()) {
        std::mt19937_64 rng(20261202);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        int tested = 0;
        for (const auto& [model_name, model] : models) {
            INFO(impl_name << " on " << model_name);
            const Mechanism& m = model.mechanism;
            std::vector<AxisValue> pressures;
            for (int g : m.gases) {
            // Reserved reservoirs (DESIGN §12) have activity 1 and no pressure.
            if (m.species[static_cast<std::size_t>(g)].reservoir != Reservoir::none) continue;
                pressures.push_back({"p_" + m.species[static_cast<std::size_t>(g)].name,
                                     std::pow(10.0, -2.0 + 3.0 * unit(rng))});
            }
            const Conditions c = make_conditions(model, pressures);
            const RateConstants k = rate_constants(m, c);
            std::unique_ptr<Kinetics> kin = factory(m);
            if (kin == nullptr) continue;
            ++tested;
            kin->set_conditions(c, k);
            const int n = kin->n_state(), ns = kin->n_steps();
            REQUIRE(n == static_cast<int>(m.surface.size()));
            REQUIRE(ns == static_cast<int>(m.steps.size()));
            REQUIRE(kin->n_gases() == static_cast<int>(m.gases.size()));
            const Eigen::MatrixXd& nu = kin->net_change();
            REQUIRE(nu.rows() == n);
            REQUIRE(nu.cols() == ns);

            Vec theta = sized(n), f = sized(n), jac = sized(n * n), grad = sized(ns * n);
            Vec rf = sized(ns), rr = sized(ns), drf = sized(ns), drr = sized(ns), flux = sized(n);
            Vec fp = sized(n), fm = sized(n), rfp = sized(ns), rrp = sized(ns), rfm = sized(ns),
                rrm = sized(ns);
            for (int trial = 0; trial < 8; ++trial) {
                for (double& t : theta) t = std::pow(10.0, -2.0 * unit(rng));
                kin->rates(theta.data(), rf.data(), rr.data());
                kin->derivative(theta.data(), f.data());
                kin->jacobian(theta.data(), jac.data());
                kin->net_rate_gradients(theta.data(), grad.data());
                kin->rate_sensitivities(theta.data(), drf.data(), drr.data());
                kin->gross_flux(rf.data(), rr.data(), flux.data());

                // dθ/dt = ν·(rf − rr), and the gross flux Σ |ν|·(rf + rr) bounds it.
                for (int i = 0; i < n; ++i) {
                    double sum = 0.0, gross = 0.0;
                    for (int s = 0; s < ns; ++s) {
                        sum += nu(i, s) * (at(rf, s) - at(rr, s));
                        gross += std::abs(nu(i, s)) * (at(rf, s) + at(rr, s));
                    }
                    CHECK(close(at(f, i), sum, gross, 1e-13));
                    CHECK(close(at(flux, i), gross, gross, 1e-14));
                    CHECK(std::abs(at(f, i)) <= at(flux, i) * (1 + 1e-13));
                }
                // TOF = Σ_s g_s (rf_s − rr_s).
                double tof = 0.0, tof_scale = 0.0;
                const Vec& g = kin->tof_stoichiometry();
                REQUIRE(static_cast<int>(g.size()) == ns);
                for (int s = 0; s < ns; ++s) {
                    tof += at(g, s) * (at(rf, s) - at(rr, s));
                    tof_scale += std::abs(at(g, s)) * (at(rf, s) + at(rr, s));
                }
                CHECK(close(kin->tof(rf.data(), rr.data()), tof, tof_scale, 1e-14));

                // Jacobian and net-rate gradients against central differences in θ_k; the
                // tolerance is 1e-6 of the row's gross scale (truncation O(h²) with
                // h = 1e-5·θ_k, rounding ~ε·scale/h).
                for (int col = 0; col < n; ++col) {
                    const double h = 1e-5 * at(theta, col);
                    Vec xp = theta, xm = theta;
                    xp[static_cast<std::size_t>(col)] += h;
                    xm[static_cast<std::size_t>(col)] -= h;
                    const double dx = at(xp, col) - at(xm, col);
                    kin->derivative(xp.data(), fp.data());
                    kin->derivative(xm.data(), fm.data());
                    kin->rates(xp.data(), rfp.data(), rrp.data());
                    kin->rates(xm.data(), rfm.data(), rrm.data());
                    for (int row = 0; row < n; ++row) {
                        const double fd = (at(fp, row) - at(fm, row)) / dx;
                        // With state-dependent constants an entry holds r·∂ln k/∂θ, which can
                        // exceed the gross scale flux/θ many times: relative to its value too.
                        const double scale = at(flux, row) / at(theta, col) + std::abs(fd);
                        INFO("row " << row << " column " << col << ": " << at(jac, col * n + row) << " vs " << fd
                                    << " (scale " << scale << "), theta " << Catch::Detail::stringify(theta));
                        CHECK(close(at(jac, col * n + row), fd, scale, 1e-6));
                    }
                    for (int s = 0; s < ns; ++s) {
                        const double fd = ((at(rfp, s) - at(rrp, s)) - (at(rfm, s) - at(rrm, s))) / dx;
                        // With state-dependent constants the gradient holds r·∂ln k/∂θ, which
                        // can exceed r/θ many times (ε/kB·T ~ 50): relative to its value too.
                        const double scale = (at(rf, s) + at(rr, s)) / at(theta, col) + std::abs(fd);
                        INFO("step " << s << " column " << col << ": " << at(grad, col * ns + s) << " vs " << fd
                                     << " (scale " << scale << ")");
                        CHECK(close(at(grad, col * ns + s), fd, scale, 1e-6));
                    }
                }

                // Sensitivities to ln kf_s and ln kr_s: change one constant by e^{±h}.
                for (int s = 0; s < ns; ++s) {
                    for (int direction = 0; direction < 2; ++direction) {
                        const double h = 1e-5;
                        RateConstants kp = k, km = k;
                        auto& vp = direction == 0 ? kp.kf : kp.kr;
                        auto& vm = direction == 0 ? km.kf : km.kr;
                        vp[static_cast<std::size_t>(s)] *= std::exp(h);
                        vm[static_cast<std::size_t>(s)] *= std::exp(-h);
                        kin->set_conditions(c, kp);
                        kin->rates(theta.data(), rfp.data(), rrp.data());
                        kin->set_conditions(c, km);
                        kin->rates(theta.data(), rfm.data(), rrm.data());
                        const Vec& up = direction == 0 ? rfp : rrp;
                        const Vec& dn = direction == 0 ? rfm : rrm;
                        const double fd = (at(up, s) - at(dn, s)) / (2 * h);
                        const double analytic = direction == 0 ? at(drf, s) : at(drr, s);
                        const double scale = direction == 0 ? at(rf, s) : at(rr, s);
                        CHECK(close(analytic, fd, scale, 1e-8));
                    }
                }
                kin->set_conditions(c, k);

                // Log rates: ln r at u = ln θ, and ∂ln r/∂u against central differences.
                Eigen::VectorXd u(n), ln_rf, ln_rr, ln_rf_p, ln_rr_p, ln_rf_m, ln_rr_m;
                for (int i = 0; i < n; ++i) u[i] = std::log(at(theta, i));
                Eigen::MatrixXd dln_rf, dln_rr;
                kin->log_rates(u, ln_rf, ln_rr, &dln_rf, &dln_rr);
                REQUIRE(ln_rf.size() == ns);
                REQUIRE(dln_rf.rows() == ns);
                REQUIRE(dln_rf.cols() == n);
                for (int s = 0; s < ns; ++s) {
                    if (at(rf, s) > 0) CHECK(close(std::exp(ln_rf[s]), at(rf, s), at(rf, s), 1e-12));
                    if (at(rr, s) > 0) CHECK(close(std::exp(ln_rr[s]), at(rr, s), at(rr, s), 1e-12));
                }
                for (int col = 0; col < n; ++col) {
                    const double h = 1e-5;
                    Eigen::VectorXd up = u, dn = u;
                    up[col] += h;
                    dn[col] -= h;
                    kin->log_rates(up, ln_rf_p, ln_rr_p, nullptr, nullptr);
                    kin->log_rates(dn, ln_rf_m, ln_rr_m, nullptr, nullptr);
                    for (int s = 0; s < ns; ++s) {
                        if (at(rf, s) > 0) CHECK(close(dln_rf(s, col), (ln_rf_p[s] - ln_rf_m[s]) / (2 * h), 1.0, 1e-7));
                        if (at(rr, s) > 0) CHECK(close(dln_rr(s, col), (ln_rr_p[s] - ln_rr_m[s]) / (2 * h), 1.0, 1e-7));
                    }
                }

                // A clone evaluates bit for bit as the original.
                const std::unique_ptr<Kinetics> copy = kin->clone();
                Vec f2 = sized(n), jac2 = sized(n * n);
                copy->derivative(theta.data(), f2.data());
                copy->jacobian(theta.data(), jac2.data());
                CHECK(f2 == f);
                CHECK(jac2 == jac);
            }
        }
        CHECK(tested >= 7);
    }
}
