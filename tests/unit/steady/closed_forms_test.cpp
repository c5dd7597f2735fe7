// Steady states and transients against closed forms derived in each test.
#include <catch2/catch.hpp>
#include <cmath>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/mass_action.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/ode/transient.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;

namespace {

// Ethylene oxide binds almost irreversibly (kr = 1e-20 /s) and isomerises to acetaldehyde
// only with a free neighbour site: a surface with ~1e-28 free sites.
constexpr const char* kDeepPoison = R"(
[model]
name = "deep-poison"
temperature_K = 500.0
tof_of = "CH3CHO_g"

[sites]
s = 1.0

[pressures]
C2H4O_g = 1.0
CH3CHO_g = 0.0

[[step]]
equation = "C2H4O_g + *_s -> C2H4O_s"
kf = 1e8
kr = 1e-20

[[step]]
equation = "C2H4O_s + *_s -> CH3CHO_g + 2*_s"
kf = 1e3
kr = 0.0
)";

// A adsorbs on one site and isomerises on the surface: A_g + * <-> A*, A* <-> B*.
constexpr const char* kAdsorptionIsomer = R"(
[model]
name = "adsorption-isomerisation"
temperature_K = 300.0
tof_of = "CO_g"

[sites]
s = 1.0

[pressures]
CO_g = 0.2

[[step]]
equation = "CO_g + *_s -> CO_s"
kf = 50.0
kr = 3.0

[[step]]
equation = "CO_s -> OC_s"
kf = 7.0
kr = 2.0
)";

double at(const PointResult& r, const Mechanism& m, const char* name) {
    return r.coverage[static_cast<std::size_t>(m.surface_position(m.find_species(name)))];
}

}  // namespace

TEST_CASE("A surface with 1e-28 free sites gets its TOF to 1e-8 of the closed form",
          "[steady][deep]") {
    const ModelFile model = parse_model(kDeepPoison, "deep.toml");
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    const PointResult r = solver.solve(make_conditions(model, {}));
    REQUIRE(r.status == Status::ok);

    // A balance: kf·p·θ* − kr·θA − k2·θA·θ* = 0 with θA = 1 − θ* gives
    // k2·θ*² + b·θ* − kr = 0, b = kf·p + kr − k2, whose positive root in cancellation-free
    // form is θ* = 2·kr / (b + sqrt(b² + 4·k2·kr)); TOF = k2·θA·θ*.
    const double kf = 1e8, kr = 1e-20, k2 = 1e3, p = 1.0;
    const double b = kf * p + kr - k2;
    const double free_sites = 2.0 * kr / (b + std::sqrt(b * b + 4.0 * k2 * kr));
    const double tof = k2 * (1.0 - free_sites) * free_sites;
    REQUIRE(free_sites < 1e-25);
    CHECK(at(r, m, "*_s") == Approx(free_sites).epsilon(1e-8));
    CHECK(r.tof == Approx(tof).epsilon(1e-8));
    CHECK(r.residual <= model.solver.rtol);
}

TEST_CASE("A state an absolute residual test accepts is rejected by the relative test",
          "[steady][deep]") {
    const ModelFile model = parse_model(kDeepPoison, "deep.toml");
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    const PointResult right = solver.solve(make_conditions(model, {}));
    REQUIRE(right.status == Status::ok);

    // θ* = 1e-40 instead of ~1e-28: every |dθ/dt| is ~1e-20, far below any absolute
    // tolerance, yet the TOF there is 1e12 times too small.
    Eigen::VectorXd wrong = solver.clean_surface();
    const int free_pos = m.surface_position(m.find_species("*_s"));
    const int a_pos = m.surface_position(m.find_species("C2H4O_s"));
    wrong[free_pos] = 1e-40;
    wrong[a_pos] = 1.0 - 1e-40;
    std::vector<double> dtheta(2);
    solver.kinetics().derivative(wrong.data(), dtheta.data());
    const double absolute = std::max(std::abs(dtheta[0]), std::abs(dtheta[1]));
    CHECK(absolute < 1e-12);  // an absolute test ‖f‖ < 1e-12 would accept this state

    PointResult wrong_result;
    solver.fill_result(wrong, wrong_result);
    CHECK(wrong_result.tof < 1e-10 * right.tof);
    CHECK(solver.relative_residual(wrong) > 0.5);  // ours rejects it: production ≠ consumption
    CHECK(right.residual <= model.solver.rtol);
}

TEST_CASE("Adsorption with isomerisation reaches the Langmuir equilibrium", "[steady][closed]") {
    const ModelFile model = parse_model(kAdsorptionIsomer, "ads.toml");
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    for (double p : {1e-6, 0.2, 30.0}) {
        const PointResult r = solver.solve(make_conditions(model, {{"p_CO_g", p}}));
        REQUIRE(r.status == Status::ok);
        // Equilibrium: θ_CO/θ* = K1·p with K1 = kf1/kr1, θ_OC/θ_CO = K2 = kf2/kr2, sum 1.
        const double K1 = 50.0 / 3.0, K2 = 7.0 / 2.0;
        const double free_sites = 1.0 / (1.0 + K1 * p + K1 * K2 * p);
        CHECK(at(r, m, "*_s") == Approx(free_sites).epsilon(1e-10));
        CHECK(at(r, m, "CO_s") == Approx(K1 * p * free_sites).epsilon(1e-10));
        CHECK(at(r, m, "OC_s") == Approx(K1 * K2 * p * free_sites).epsilon(1e-10));
        CHECK(std::abs(r.tof) <= 1e-10 * 50.0 * p);
    }
}

TEST_CASE("Langmuir adsorption from a clean surface follows 1 - exp(-(ka p + kd) t)",
          "[ode][closed]") {
    const ModelFile model = parse_model(kAdsorptionIsomer, "ads.toml");
    const Mechanism& m = model.mechanism;
    Mechanism only_adsorption = m;
    only_adsorption.steps[1].kf = 0.0;  // switch the isomerisation off
    only_adsorption.steps[1].kr = 0.0;
    MassActionKinetics law(only_adsorption);
    const double ka = 50.0, kd = 3.0, p = 0.2;
    law.set_conditions({ka, 0.0}, {kd, 0.0}, {p});
    for (auto kind : {ode::StepperKind::rodas4, ode::StepperKind::odeint}) {
        ode::Transient transient(law, kind);
        Eigen::VectorXd clean = Eigen::VectorXd::Zero(3);
        clean[m.surface_position(m.find_species("*_s"))] = 1.0;
        transient.start(clean.data(), 1e-10, 1e-14);
        const double rate = ka * p + kd;
        const double eq = ka * p / rate;
        for (double t : {0.01, 0.1, 0.5, 2.0}) {
            REQUIRE(transient.advance_to(t, 100000, Deadline()) == ode::Outcome::reached);
            const double expected = eq * (1.0 - std::exp(-rate * t));
            const double got = transient.state()[m.surface_position(m.find_species("CO_s"))];
            CHECK(got == Approx(expected).epsilon(1e-7));
            CHECK(transient.time() == t);
        }
    }
}

TEST_CASE("A <-> B relaxation follows the exponential closed form", "[ode][closed]") {
    const ModelFile model = parse_model(kAdsorptionIsomer, "ads.toml");
    const Mechanism& m = model.mechanism;
    MassActionKinetics law(m);
    const double kf = 7.0, kr = 2.0;
    law.set_conditions({0.0, kf}, {0.0, kr}, {0.2});  // adsorption off: A* <-> B* alone
    const int a = m.surface_position(m.find_species("CO_s"));
    const int b = m.surface_position(m.find_species("OC_s"));
    for (auto kind : {ode::StepperKind::rodas4, ode::StepperKind::odeint}) {
        ode::Transient transient(law, kind);
        Eigen::VectorXd start = Eigen::VectorXd::Zero(3);
        start[a] = 1.0;
        transient.start(start.data(), 1e-10, 1e-14);
        // θA(t) = θA∞ + (1 − θA∞)·exp(−(kf + kr)·t), θA∞ = kr / (kf + kr); θA + θB = 1.
        const double eq = kr / (kf + kr);
        for (double t : {0.05, 0.2, 1.0, 5.0}) {
            REQUIRE(transient.advance_to(t, 100000, Deadline()) == ode::Outcome::reached);
            const double expected = eq + (1.0 - eq) * std::exp(-(kf + kr) * t);
            CHECK(transient.state()[a] == Approx(expected).epsilon(1e-7));
            CHECK(transient.state()[a] + transient.state()[b] == Approx(1.0).epsilon(1e-14));
        }
    }
}

TEST_CASE("A point that exceeds its time limit reports TIMEOUT, not an exception",
          "[steady][timeout]") {
    ModelFile model = parse_model(kDeepPoison, "deep.toml");
    const Mechanism& m = model.mechanism;
    model.solver.point_time_limit_s = 1e-9;  // expires before the first check of the clock
    SteadySolver solver(m, model.solver);
    const PointResult r = solver.solve(make_conditions(model, {}));
    CHECK(r.status == Status::timeout);
    CHECK(std::isnan(r.tof));
    model.solver.point_time_limit_s = 0.0;  // 0 = no limit
    SteadySolver unlimited(m, model.solver);
    CHECK(unlimited.solve(make_conditions(model, {})).status == Status::ok);
}
