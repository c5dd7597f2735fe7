// Rate control from the Jacobian against central finite differences of the solver's own TOF,
// the sum rule, and the Pt(100) degrees of rate control against the long-double reference.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "../../support/co_oxidation_reference.hpp"
#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;

namespace {

// The model with its constants at `c` frozen as explicit kf/kr, so that they can be scaled.
Mechanism frozen(const Mechanism& m, const Conditions& c) {
    const RateConstants k = rate_constants(m, c);
    Mechanism out = m;
    for (std::size_t s = 0; s < out.steps.size(); ++s) {
        out.steps[s].source = Step::Source::explicit_constants;
        out.steps[s].kf = k.kf[s];
        out.steps[s].kr = k.kr[s];
    }
    out.temperature_K = c.temperature_K;
    return out;
}

double tof_of(const Mechanism& m, const SolverSettings& settings, const Conditions& c) {
    SteadySolver solver(m, settings);
    const PointResult r = solver.solve(c);
    REQUIRE(r.status == Status::ok);
    return r.tof;
}

// Central difference of ln TOF over ln(factor) = ±h, scaling constants with `scale`.
template <class Scale>
double dlntof(const Mechanism& m, const SolverSettings& settings, const Conditions& c, double h,
              Scale scale) {
    Mechanism up = m, down = m;
    Conditions cu = c, cd = c;
    scale(up, cu, std::exp(h));
    scale(down, cd, std::exp(-h));
    return (std::log(std::abs(tof_of(up, settings, cu))) - std::log(std::abs(tof_of(down, settings, cd)))) / (2.0 * h);
}

// A model with interactions cannot be frozen (explicit constants are coverage independent):
// its rate control is checked against differences of the solver's TOF in the model itself.
// G0 of an adsorbate up by δ (trc), G0 of a transition state that is the top of its step by a
// margin down by kB·T·δ (drc: kf and kr scale together at every state), ln p (orders), T (Ea).
void shift_energy(ModelFile& model, int species, double delta_eV) {
    Species& sp = model.mechanism.species[static_cast<std::size_t>(species)];
    if (sp.G_eV) sp.G_eV = *sp.G_eV + delta_eV;
    else if (sp.E_eV) sp.E_eV = *sp.E_eV + delta_eV;  // G(T) = E + a correction independent of E
    else FAIL("species without an energy of its own");
}

double interacting_dlntof(const ModelFile& base, const Conditions& c, double h,
                          const std::function<void(ModelFile&, Conditions&, double)>& change) {
    ModelFile up = base, down = base;
    Conditions cu = c, cd = c;
    change(up, cu, h);
    change(down, cd, -h);
    return (std::log(std::abs(tof_of(up.mechanism, up.solver, cu))) -
            std::log(std::abs(tof_of(down.mechanism, down.solver, cd)))) / (2.0 * h);
}

void check_interacting(const ModelFile& model, const Conditions& c, const PointResult& r) {
    const Mechanism& m = model.mechanism;
    const double kT = constants::kB_eV_per_K * c.temperature_K;
    // δ = 1e-4 (eV, ln p): truncation ~δ² ≈ 1e-8; but the TOF of each solve is only as exact as
    // its convergence (the relative residual test passes at rtol = 1e-8, and Newton usually
    // ends far below it), which bounds a central difference's error by ~rtol/(2δ) = 5e-5 in
    // the worst case. 1e-5 absolute: on the syngas model one solve pair returns bitwise the same
    // TOF for a sensitivity of 4e-6 (CH3CHO*), i.e. below what its convergence resolves.
    const double h = 1e-4;
    const double margin = 1e-5;
    for (std::size_t i = 0; i < m.surface.size(); ++i) {
        const int species = m.surface[i];
        if (m.species[static_cast<std::size_t>(species)].kind == SpeciesKind::free_site) continue;
        const double fd = -kT * interacting_dlntof(model, c, h, [&](ModelFile& mm, Conditions&, double d) { shift_energy(mm, species, d); });
        INFO("trc of " << m.species[static_cast<std::size_t>(species)].name);
        CHECK(r.trc[i] == Approx(fd).margin(margin));
    }
    // The top state at the steady state: G(TS) − max(G(IS), G(FS)) with the state's
    // interaction energies (transition states have none of their own in the output, so keep a
    // margin of 0.2 eV over the zero-coverage difference plus the adsorbates' shifts).
    const std::vector<StepEnergies> e = step_energies(m, c.temperature_K);
    double shift = 0.0;
    for (double v : r.interaction_energy_eV) shift = std::max(shift, std::abs(v));
    double sum = 0.0;
    for (std::size_t j = 0; j < m.steps.size(); ++j) {
        sum += r.drc[j];
        const int ts = m.steps[j].transition_state;
        if (ts < 0 || !(e[j].G_ts > std::max(e[j].G_is, e[j].G_fs) + 0.2 + 4.0 * shift)) continue;
        const double fd = interacting_dlntof(model, c, h, [&](ModelFile& mm, Conditions&, double d) { shift_energy(mm, ts, -kT * d); });
        INFO("drc of step " << j + 1);
        CHECK(r.drc[j] == Approx(fd).margin(margin));
    }
    CHECK(sum == Approx(1.0).margin(1e-9));
    for (std::size_t q = 0; q < m.gases.size(); ++q) {
        if (c.pressure_bar[q] == 0.0) continue;
        const double fd = interacting_dlntof(model, c, h, [&](ModelFile&, Conditions& cc, double d) { cc.pressure_bar[q] *= std::exp(d); });
        CHECK(r.orders[q] == Approx(fd).margin(margin));
    }
    const double fd_T = interacting_dlntof(model, c, 1e-2, [&](ModelFile&, Conditions& cc, double d) { cc.temperature_K += d; });
    CHECK(r.ea_app_eV == Approx(kT * c.temperature_K * fd_T).margin(1e-5));
}

struct Sample {
    std::string model;
    std::vector<AxisValue> at;
};

}  // namespace

TEST_CASE("Analytic rate control equals finite differences of the solver's TOF in every model",
          "[steady][rate-control]") {
    const std::string dir = std::string(KINMAP_DATA_DIR) + "/models/";
    const std::vector<Sample> samples = {
        {"co_oxidation_pt100.toml", {{"p_O2_g", 0.3}, {"p_CO_g", 0.01}}},
        {"co_oxidation_pt100.toml", {{"p_O2_g", 1e-3}, {"p_CO_g", 1.0}}},
        {"co_oxidation_pt100.toml", {{"p_O2_g", 2.0}, {"p_CO_g", 0.5}}},
        {"co_oxidation_pt111.toml", {{"T_K", 600.0}, {"p_CO_g", 0.1}}},
        {"co_oxidation_pt111.toml", {{"T_K", 450.0}, {"p_CO_g", 1e-4}}},
        {"co_oxidation_pt111_descriptors.toml", {{"E_O", 1.4}, {"E_CO", 1.9}}},
        {"syngas_rh111.toml", {{"T_K", 550.0}, {"p_CO_g", 1.0}}},
        {"co_oxidation_pt111_interactions.toml", {{"T_K", 600.0}, {"p_CO_g", 0.1}}},
        {"co_oxidation_pt111_interactions.toml", {{"T_K", 450.0}, {"p_CO_g", 1e-4}}},
        {"syngas_rh111_interactions.toml", {{"T_K", 550.0}, {"p_CO_g", 1.0}}},
        {"h2_oxidation_pt111.toml", {{"p_O2_g", 0.1}, {"p_H2_g", 0.1}}},
        // Issue 20: electrochemical models (reservoirs of activity 1; a potential and pH set).
        {"orr_pt111.toml", {{"U_V", 0.85}, {"E_OH", 0.9}}},
        {"her_pt111_she.toml", {{"U_V", -0.3}, {"pH", 2.0}}},
    };
    // Every shipped model must be sampled.
    int shipped = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) shipped += e.path().extension() == ".toml";
    std::set<std::string> sampled;
    for (const auto& s : samples) sampled.insert(s.model);
    CHECK(static_cast<int>(sampled.size()) == shipped);

    const double h = 1e-4;  // ln-step: truncation ~h² ≈ 1e-8, rounding ~1e-14/h ≈ 1e-10
    for (const Sample& sample : samples) {
        const ModelFile model_file = read_model_file(dir + sample.model);
        const Mechanism& model = model_file.mechanism;
        const SolverSettings& settings = model_file.solver;
        const Conditions c = make_conditions(model_file, sample.at);
        SteadySolver solver(model, model_file.solver);
        const PointResult r = solver.solve(c);
        REQUIRE(r.status == Status::ok);
        if (model.interactions) {
            check_interacting(model_file, c, r);
            continue;
        }
        const Mechanism m = frozen(model, c);
        Conditions cf = c;  // the frozen constants already include any energy-axis values
        cf.energy_eV.clear();
        INFO(sample.model << " TOF " << r.tof);
        double sum = 0.0;
        for (std::size_t j = 0; j < m.steps.size(); ++j) {
            const double fd = dlntof(m, settings, cf, h, [&](Mechanism& mm, Conditions&, double f) {
                mm.steps[j].kf *= f;
                mm.steps[j].kr *= f;
            });
            CHECK(r.drc[j] == Approx(fd).margin(1e-6));
            sum += r.drc[j];
        }
        CHECK(sum == Approx(1.0).margin(1e-9));  // scaling every k scales time: TOF ∝ λ
        for (std::size_t q = 0; q < m.gases.size(); ++q) {
            // A reserved reservoir (DESIGN §12) has activity 1 and no pressure: no order.
            if (m.species[static_cast<std::size_t>(m.gases[q])].reservoir != Reservoir::none) {
                CHECK(std::isnan(r.orders[q]));
                continue;
            }
            const auto& p = c.pressure_bar[q];
            if (p == 0.0) continue;  // ln p undefined
            const double fd = dlntof(m, settings, cf, h, [&](Mechanism&, Conditions& cc, double f) { cc.pressure_bar[q] *= f; });
            CHECK(r.orders[q] == Approx(fd).margin(1e-6));
        }
        for (std::size_t i = 0; i < m.surface.size(); ++i) {
            const int species = m.surface[i];
            if (m.species[static_cast<std::size_t>(species)].kind == SpeciesKind::free_site) {
                CHECK(std::isnan(r.trc[i]));
                continue;
            }
            // G_s up by δ with transition states fixed: kf of each step with s in the IS gains
            // exp(ν·δ/kB·T), kr of each step with s in the FS likewise. In units of kB·T:
            // trc = −∂ln TOF/∂(δ/kB·T).
            const double fd = -dlntof(m, settings, cf, h, [&](Mechanism& mm, Conditions&, double f) {
                for (Step& st : mm.steps) {
                    for (const StoichTerm& t : st.initial) {
                        if (t.species == species) st.kf *= std::pow(f, t.coefficient);
                    }
                    for (const StoichTerm& t : st.final) {
                        if (t.species == species) st.kr *= std::pow(f, t.coefficient);
                    }
                }
            });
            CHECK(r.trc[i] == Approx(fd).margin(1e-6));
        }
        bool energies = false;
        for (const Step& st : model.steps) energies = energies || st.source != Step::Source::explicit_constants;
        if (energies) {
            // Ea_app = kB·T²·∂ln TOF/∂T, through the temperature dependence of the constants.
            const double dT = 1e-2;
            Conditions up = c, down = c;
            up.temperature_K += dT;
            down.temperature_K -= dT;
            const double fd = constants::kB_eV_per_K * c.temperature_K * c.temperature_K *
                              (std::log(tof_of(model, settings, up)) - std::log(tof_of(model, settings, down))) / (2 * dT);
            CHECK(r.ea_app_eV == Approx(fd).margin(1e-6));
        } else {
            CHECK(std::isnan(r.ea_app_eV));
        }
    }
}

TEST_CASE("Pt(100) reactive-branch degrees of rate control equal the closed-form values",
          "[steady][rate-control]") {
    // The exact DRC from the closed form: the long-double steady state of
    // tests/support/co_oxidation_reference.hpp with k_i and k_ir scaled by exp(±h), differenced.
    const ModelFile model = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    for (auto [p_o2, p_co] : {std::pair{0.3, 0.01}, std::pair{1.0, 0.2}, std::pair{5.0, 1e-4}}) {
        const PointResult r = solver.solve(make_conditions(model, {{"p_O2_g", p_o2}, {"p_CO_g", p_co}}));
        REQUIRE(r.status == Status::ok);
        auto reactive_tof = [&](int step, long double factor) {
            kinmap_test::CoOxidationConstants k;
            long double* f[3] = {&k.k1, &k.k2, &k.k3};
            long double* b[3] = {&k.k1r, &k.k2r, &k.k3r};
            *f[step] *= factor;
            *b[step] *= factor;
            const auto roots = kinmap_test::co_oxidation_steady_states(p_o2, p_co, k);
            auto best = roots.front();
            for (const auto& s : roots) {
                if (s.co < best.co) best = s;
            }
            return best.tof;
        };
        const long double h = 1e-6L;
        for (int j = 0; j < 3; ++j) {
            const long double exact =
                (std::log(reactive_tof(j, std::exp(h))) - std::log(reactive_tof(j, std::exp(-h)))) / (2 * h);
            INFO("pO2=" << p_o2 << " pCO=" << p_co << " step " << j + 1);
            CHECK(r.drc[static_cast<std::size_t>(j)] == Approx(static_cast<double>(exact)).margin(1e-7));
        }
    }
}
