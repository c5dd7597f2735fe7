// CO oxidation on Pt(100) against the independent long-double steady states of
// tests/support/co_oxidation_reference.hpp (relations derived there by hand).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "../../support/co_oxidation_reference.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;

namespace {

ModelFile co_model() { return read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml"); }

struct Solved {
    PointResult result;
    double co, o, free_sites;
};

Solved solve_at(SteadySolver& solver, const ModelFile& model, double p_o2, double p_co) {
    const Mechanism& m = model.mechanism;
    const Conditions c = make_conditions(model, {{"p_O2_g", p_o2}, {"p_CO_g", p_co}});
    Solved s{solver.solve(c), 0, 0, 0};
    s.co = s.result.coverage[static_cast<std::size_t>(m.surface_position(m.find_species("CO_s")))];
    s.o = s.result.coverage[static_cast<std::size_t>(m.surface_position(m.find_species("O_s")))];
    s.free_sites = s.result.coverage[static_cast<std::size_t>(m.surface_position(m.find_species("*_s")))];
    return s;
}

double rel(long double a, double b) {
    return std::abs(static_cast<double>(a) - b) / std::max(std::abs(static_cast<double>(a)), 1e-300);
}

}  // namespace

TEST_CASE("Over the whole map the clean-surface steady state is the reactive root where one exists",
          "[steady][co]") {
    const ModelFile model = co_model();
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    int reactive = 0, poisoned = 0, bistable = 0;
    const int n = 13;
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            const double p_o2 = std::pow(10.0, -4.0 + 5.0 * i / (n - 1));
            const double p_co = std::pow(10.0, -4.0 + 5.0 * j / (n - 1));
            const auto roots = kinmap_test::co_oxidation_steady_states(p_o2, p_co);
            REQUIRE(!roots.empty());
            // The reactive root has the least CO; the poisoned root the most. Where three roots
            // exist (bistable), the middle one is the unstable saddle.
            auto lowest_co = roots.front();
            for (const auto& r : roots) {
                if (r.co < lowest_co.co) lowest_co = r;
            }
            if (roots.size() >= 3) ++bistable;
            const bool has_reactive = lowest_co.co < 0.5L;
            const Solved s = solve_at(solver, model, p_o2, p_co);
            INFO("pO2=" << p_o2 << " pCO=" << p_co << " roots=" << roots.size()
                        << " status=" << std::string(to_string(s.result.status)));
            REQUIRE(s.result.status == Status::ok);
            REQUIRE(s.result.stable);
            const auto& expected = has_reactive ? lowest_co : roots.front();
            if (!has_reactive) {
                REQUIRE(roots.size() == 1);
            }
            // Away from the fold the answers agree to ~1e-13 (NUMERICS.md); 1e-9 leaves room
            // for the ill-conditioned grid points next to it.
            CHECK(rel(expected.tof, s.result.tof) < 1e-9);
            CHECK(rel(expected.co, s.co) < 1e-9);
            CHECK(rel(expected.o, s.o) < 1e-9);
            CHECK(rel(expected.free_sites, s.free_sites) < 1e-9);
            CHECK(s.result.residual <= model.solver.rtol);
            (has_reactive ? reactive : poisoned)++;
        }
    }
    // The grid must straddle the boundary, or the test would not test both branches.
    CHECK(reactive > 10);
    CHECK(poisoned > 10);
    CHECK(bistable > 5);
}

TEST_CASE("A bistable point yields the reactive branch and a poisoned point the CO-covered one",
          "[steady][co]") {
    const ModelFile model = co_model();
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    // Poisoned: pCO >> pO2. CO covers the surface and the TOF is limited by O2 adsorption on
    // the few free sites: θ_CO -> 1, θ* ≈ k1r / (k1·pCO) to first order.
    const Solved poisoned = solve_at(solver, model, 1e-3, 1.0);
    REQUIRE(poisoned.result.status == Status::ok);
    CHECK(poisoned.co > 0.999);
    CHECK(poisoned.free_sites == Approx(1.3081000299027e-5 / 9.0235665702533e7).epsilon(1e-3));
    // Reactive: pO2 >> pCO. O covers the surface, CO is consumed as fast as it adsorbs, so
    // TOF -> k1·pCO·θ* (every adsorbed CO reacts) with r1 = r3 = TOF exactly.
    const Solved reactive = solve_at(solver, model, 1.0, 1e-3);
    REQUIRE(reactive.result.status == Status::ok);
    CHECK(reactive.o > 0.5);
    CHECK(reactive.co < 1e-3);
    const double r1 = reactive.result.rates[0];
    const double r2 = reactive.result.rates[1];
    const double r3 = reactive.result.rates[2];
    CHECK(r1 == Approx(r3).epsilon(1e-12));
    CHECK(2.0 * r2 == Approx(r3).epsilon(1e-12));
    CHECK(reactive.result.tof == Approx(r3).epsilon(1e-15));
    const double sum = reactive.co + reactive.o + reactive.free_sites;
    CHECK(sum == Approx(1.0).epsilon(1e-12));  // the site balance the solver enforces
}
