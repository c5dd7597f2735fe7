// Fold points of CO/Pt(100) along pCO against the independent double roots of the
// one-variable reduction (tests/support/co_oxidation_reference.hpp: extrema of P(θ_O)).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "../../support/co_oxidation_reference.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/fold.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;

TEST_CASE("Folds along pCO of CO/Pt(100) are the double roots of the reduction to 1e-8",
          "[steady][fold]") {
    const ModelFile model =
        read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    SteadySolver solver(model.mechanism, model.solver);
    AllStatesSearch search(model.mechanism, model.solver);
    for (const double p_o2 : {1e-3, 1e-2, 0.3}) {
        const auto expected = kinmap_test::co_oxidation_folds_p_co(p_o2);
        INFO("pO2 = " << p_o2);
        // The reduction has two folds; only the upper one lies in the map's 1e-4 … 10 bar.
        REQUIRE(expected.size() == 2);
        REQUIRE(expected[0] < 1e-4L);
        REQUIRE(expected[1] > 1e-4L);
        FoldSearch folds(
            solver, search,
            [&](double p_co) {
                return make_conditions(model, {{"p_O2_g", p_o2}, {"p_CO_g", p_co}});
            },
            true);
        const std::vector<FoldPoint> found = folds.along(1e-4, 10.0, 41);
        REQUIRE(found.size() == 1);
        CHECK(std::abs(found[0].value - static_cast<double>(expected[1])) <
              1e-8 * static_cast<double>(expected[1]));
        // A fold is where the reactive state and the saddle meet: θ_O of the double root.
        const auto roots_below =
            kinmap_test::co_oxidation_steady_states(p_o2, 0.999 * found[0].value);
        CHECK(roots_below.size() == 3);
        CHECK(kinmap_test::co_oxidation_steady_states(p_o2, 1.001 * found[0].value).size() == 1);
    }
    // Over a wider range both folds, ascending.
    const double p_o2 = 1e-2;
    const auto expected = kinmap_test::co_oxidation_folds_p_co(p_o2);
    FoldSearch folds(
        solver, search,
        [&](double p_co) {
            return make_conditions(model, {{"p_O2_g", p_o2}, {"p_CO_g", p_co}});
        },
        true);
    const std::vector<FoldPoint> found = folds.along(1e-10, 10.0, 45);
    REQUIRE(found.size() == 2);
    for (std::size_t f = 0; f < 2; ++f) {
        CHECK(std::abs(found[f].value - static_cast<double>(expected[f])) <
              1e-8 * static_cast<double>(expected[f]));
    }
}
