// Our Eigen RODAS4 against Boost.Odeint's rosenbrock4 + rosenbrock4_controller, attempt for
// attempt, on the stiff CO-oxidation transient from a clean surface.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/mass_action.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/ode/transient.hpp"

using namespace kinmap;

TEST_CASE("The Eigen RODAS4 stepper matches odeint's rosenbrock4 step for step", "[ode]") {
    const ModelFile model = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    const Mechanism& m = model.mechanism;
    for (auto [p_o2, p_co] : {std::pair{0.1, 0.01}, std::pair{1e-3, 1.0}, std::pair{1e-4, 1e-4}}) {
        const Conditions c = make_conditions(model, {{"p_O2_g", p_o2}, {"p_CO_g", p_co}});
        const RateConstants k = rate_constants(m, c);
        MassActionKinetics law(m);
        law.set_conditions(k.kf, k.kr, c.pressure_bar);

        std::vector<double> clean(static_cast<std::size_t>(law.n_state()), 0.0);
        clean[static_cast<std::size_t>(m.surface_position(m.find_species("*_s")))] = 1.0;
        ode::Transient ours(law, ode::StepperKind::rodas4);
        ode::Transient reference(law, ode::StepperKind::odeint);
        ours.start(clean.data(), 1e-6, 1e-12);
        reference.start(clean.data(), 1e-6, 1e-12);
        // One attempt per call: the time, proposed step and state after every attempt,
        // accepted or rejected, must agree up to rounding in the LU and the substitutions
        // (relative 1e-6 on times and steps: once the state settles, the error estimate is
        // rounding noise and err^(1/4) turns its ~1e-14 differences into ~5e-7 in the step;
        // a different method or controller differs by O(1), and the counts must match exactly).
        int attempts = 0;
        while (reference.time() < 1e3 && attempts < 5000) {
            ours.advance_to(1e3, 1, Deadline());
            reference.advance_to(1e3, 1, Deadline());
            ++attempts;
            INFO("pO2=" << p_o2 << " pCO=" << p_co << " attempt " << attempts);
            REQUIRE(ours.accepted() == reference.accepted());
            REQUIRE(ours.rejected() == reference.rejected());
            REQUIRE(ours.time() == Approx(reference.time()).epsilon(1e-6).margin(1e-300));
            REQUIRE(ours.step_size() == Approx(reference.step_size()).epsilon(1e-6));
            for (int i = 0; i < law.n_state(); ++i) {
                REQUIRE(ours.state()[i] == Approx(reference.state()[i]).epsilon(1e-8).margin(1e-14));
            }
        }
        CHECK(reference.time() >= 1e3);
        CHECK(attempts > 20);
    }
}

TEST_CASE("The step loop reports a step cap and a deadline instead of running on", "[ode]") {
    const ModelFile model = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    const Mechanism& m = model.mechanism;
    const Conditions c = make_conditions(model, {{"p_O2_g", 1.0}, {"p_CO_g", 1.0}});
    const RateConstants k = rate_constants(m, c);
    MassActionKinetics law(m);
    law.set_conditions(k.kf, k.kr, c.pressure_bar);
    std::vector<double> clean(static_cast<std::size_t>(law.n_state()), 0.0);
    clean[static_cast<std::size_t>(m.surface_position(m.find_species("*_s")))] = 1.0;
    ode::Transient transient(law, ode::StepperKind::rodas4);
    transient.start(clean.data(), 1e-6, 1e-12);
    CHECK(transient.advance_to(10.0, 5, Deadline()) == ode::Outcome::step_cap);
    CHECK(transient.accepted() + transient.rejected() == 5);
    CHECK(transient.time() < 10.0);
    const Deadline past = Deadline::after(1e-9);
    while (!past.expired()) {
    }
    CHECK(transient.advance_to(10.0, 1000000, past) == ode::Outcome::timeout);
}
