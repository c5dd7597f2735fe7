// Every steady state (DESIGN §8) against independent solutions: the one-variable reduction of
// CO/Pt(100) (tests/support/co_oxidation_reference.hpp, every root by sign changes in long
// double), and a mechanism that is linear in the coverages (one steady state, solved here by a
// direct linear solve).
#include <Eigen/Dense>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "../../support/co_oxidation_reference.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;

namespace {

double rel(long double a, double b) {
    return std::abs(static_cast<double>(a) - b) /
           std::max(std::abs(static_cast<double>(a)), 1e-300);
}

}  // namespace

TEST_CASE("Every steady state of CO/Pt(100) on a 13x13 map is found, classified and ordered",
          "[steady][all_states]") {
    const ModelFile model =
        read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    const Mechanism& m = model.mechanism;
    const auto co = static_cast<std::size_t>(m.surface_position(m.find_species("CO_s")));
    const auto o = static_cast<std::size_t>(m.surface_position(m.find_species("O_s")));
    const auto free_sites = static_cast<std::size_t>(m.surface_position(m.find_species("*_s")));
    SteadySolver solver(m, model.solver);
    AllStatesSearch search(m, model.solver);
    int bistable = 0, monostable = 0;
    const int n = 13;
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            const double p_o2 = std::pow(10.0, -4.0 + 5.0 * i / (n - 1));
            const double p_co = std::pow(10.0, -4.0 + 5.0 * j / (n - 1));
            const auto roots = kinmap_test::co_oxidation_steady_states(p_o2, p_co);
            PointResult r =
                solver.solve(make_conditions(model, {{"p_O2_g", p_o2}, {"p_CO_g", p_co}}));
            search.find(solver, r);
            INFO("pO2=" << p_o2 << " pCO=" << p_co << " roots=" << roots.size()
                        << " states=" << r.states.size());
            REQUIRE(r.all_states);
            REQUIRE(r.states.size() == roots.size());
            (roots.size() >= 3 ? bistable : monostable)++;
            // The reference roots come in ascending θ_O; with three, the middle one is the
            // saddle. Match each root to the state nearest in θ_CO, θ_O.
            for (std::size_t k = 0; k < roots.size(); ++k) {
                const auto& root = roots[k];
                std::size_t best = 0;
                double best_distance = 1e300;
                for (std::size_t s = 0; s < r.states.size(); ++s) {
                    const double d = rel(root.co, r.states[s].coverage[co]) +
                                     rel(root.o, r.states[s].coverage[o]);
                    if (d < best_distance) {
                        best_distance = d;
                        best = s;
                    }
                }
                const SteadyState& state = r.states[best];
                INFO("root " << k << " o=" << static_cast<double>(root.o) << " state " << best);
                CHECK(rel(root.tof, state.tof) < 1e-9);
                CHECK(rel(root.co, state.coverage[co]) < 1e-9);
                CHECK(rel(root.o, state.coverage[o]) < 1e-9);
                CHECK(rel(root.free_sites, state.coverage[free_sites]) < 1e-9);
                CHECK(state.residual <= model.solver.rtol);
                const bool saddle = roots.size() == 3 && k == 1;
                CHECK(state.stable == !saddle);
            }
            // Order: stable first, each group by ascending TOF (distinct TOFs here).
            for (std::size_t s = 1; s < r.states.size(); ++s) {
                CHECK(!state_before(r.states[s], r.states[s - 1]));
                if (r.states[s].stable == r.states[s - 1].stable &&
                    std::abs(r.states[s].tof - r.states[s - 1].tof) >
                        1e-6 * std::abs(r.states[s].tof)) {
                    CHECK(r.states[s - 1].tof < r.states[s].tof);
                }
                CHECK((r.states[s - 1].stable || !r.states[s].stable));
            }
            // The clean-surface answer is marked, with the top-level values.
            REQUIRE(r.status == Status::ok);
            REQUIRE(r.clean_state >= 0);
            const SteadyState& clean = r.states[static_cast<std::size_t>(r.clean_state)];
            CHECK(clean.tof == r.tof);
            CHECK(clean.coverage == r.coverage);
            CHECK(clean.stable);
        }
    }
    // The grid must cross the bistable band, or the test would not test it.
    CHECK(bistable > 10);
    CHECK(monostable > 10);
}

TEST_CASE("A mechanism linear in the coverages has exactly one steady state everywhere",
          "[steady][all_states]") {
    // CO_g <-> CO_s <-> OC_s <-> OC_g (two isomers, one formula): every rate is first order
    // in one surface species, so the steady state solves a linear system and is unique.
    const std::string text =
        "[model]\nname = \"linear\"\ntemperature_K = 500.0\ntof_of = \"OC_g\"\n"
        "[sites]\ns = 1.0\n[pressures]\nOC_g = 0.01\n"
        "[[step]]\nequation = \"CO_g + *_s -> CO_s\"\nkf = 3.0e2\nkr = 40.0\n"
        "[[step]]\nequation = \"CO_s -> OC_s\"\nkf = 7.0\nkr = 0.5\n"
        "[[step]]\nequation = \"OC_s -> OC_g + *_s\"\nkf = 90.0\nkr = 20.0\n"
        "[sweep]\nx = { pressure = \"CO_g\", from = 1e-4, to = 10.0, points = 9, scale = \"log\" "
        "}\n"
        "y = { pressure = \"OC_g\", from = 1e-4, to = 10.0, points = 9, scale = \"log\" }\n";
    const ModelFile model = parse_model(text, "linear.toml");
    const Mechanism& m = model.mechanism;
    const auto a = static_cast<std::size_t>(m.surface_position(m.find_species("CO_s")));
    const auto b = static_cast<std::size_t>(m.surface_position(m.find_species("OC_s")));
    const auto v = static_cast<std::size_t>(m.surface_position(m.find_species("*_s")));
    SteadySolver solver(m, model.solver);
    AllStatesSearch search(m, model.solver);
    for (int i = 0; i < 9; ++i) {
        for (int j = 0; j < 9; ++j) {
            const double pa = std::pow(10.0, -4.0 + 5.0 * i / 8),
                         pb = std::pow(10.0, -4.0 + 5.0 * j / 8);
            PointResult r = solver.solve(make_conditions(model, {{"p_CO_g", pa}, {"p_OC_g", pb}}));
            search.find(solver, r);
            INFO("pA=" << pa << " pB=" << pb);
            REQUIRE(r.states.size() == 1);
            CHECK(r.states[0].stable);
            CHECK(r.clean_state == 0);
            // Unknowns (θA, θB, θ*): dθA/dt = 0, dθB/dt = 0, θA + θB + θ* = 1.
            Eigen::Matrix3d M;
            M << -(40.0 + 7.0), 0.5, 3.0e2 * pa,  //
                7.0, -(0.5 + 90.0), 20.0 * pb,    //
                1.0, 1.0, 1.0;
            const Eigen::Vector3d x = M.partialPivLu().solve(Eigen::Vector3d(0.0, 0.0, 1.0));
            CHECK(rel(x[0], r.states[0].coverage[a]) < 1e-10);
            CHECK(rel(x[1], r.states[0].coverage[b]) < 1e-10);
            CHECK(rel(x[2], r.states[0].coverage[v]) < 1e-10);
            CHECK(rel(90.0 * x[1] - 20.0 * pb * x[2], r.states[0].tof) < 1e-9);
        }
    }
}

TEST_CASE("The distinctness rule and the order of DESIGN 8", "[steady][all_states]") {
    CHECK(same_state({0.5, 0.5}, {0.5 * (1 + 5e-7), 0.5}));
    CHECK(!same_state({0.5, 0.5}, {0.5 * (1 + 2e-6), 0.5}));
    // Below 1e-12 absolute two coverages are the same whatever their ratio.
    CHECK(same_state({1e-14, 1.0}, {5e-13, 1.0}));
    CHECK(!same_state({1e-10, 1.0}, {2e-10, 1.0}));
    SteadyState stable_low{1.0, {0.2, 0.8}, {}, 0.0, true};
    SteadyState stable_high{2.0, {0.1, 0.9}, {}, 0.0, true};
    SteadyState unstable{0.5, {0.3, 0.7}, {}, 0.0, false};
    CHECK(state_before(stable_high, unstable));  // stable first whatever the TOF
    CHECK(state_before(stable_low, stable_high));
    CHECK(!state_before(stable_high, stable_low));
    // TOFs within 1e-6: the first differing coverage decides, smaller first.
    SteadyState tie_a{1.0, {0.1, 0.9}, {}, 0.0, true};
    SteadyState tie_b{1.0 + 1e-9, {0.2, 0.8}, {}, 0.0, true};
    CHECK(state_before(tie_a, tie_b));
    CHECK(!state_before(tie_b, tie_a));
}
