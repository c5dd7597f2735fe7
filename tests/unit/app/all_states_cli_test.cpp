// `kinmap point --all-states` and `kinmap fold` as a user runs them (DESIGN §8): the JSON is
// the library's answer, the fold the double root of the independent reduction.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "../../support/co_oxidation_reference.hpp"
#include "../../support/run_command.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;
using kinmap_test::run_command;

namespace {

const std::string kModel = std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml";
const std::string kBinary = KINMAP_BINARY;

double number(const nlohmann::json& v) {
    return v.is_null() ? std::nan("") : v.get<double>();
}

}  // namespace

TEST_CASE("point --all-states --json lists every state of the library, the clean one marked",
          "[app][all_states]") {
    const auto run = run_command(kBinary + " point " + kModel +
                                 " --set p_O2_g=0.01 --set p_CO_g=0.002 --all-states --json");
    REQUIRE(run.exit_code == 0);
    const auto j = nlohmann::json::parse(run.out);
    const ModelFile model = read_model_file(kModel);
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    PointResult r = solver.solve(make_conditions(model, {{"p_O2_g", 0.01}, {"p_CO_g", 0.002}}));
    AllStatesSearch(m, model.solver).find(solver, r);
    // Inside the bistable band: reactive, poisoned and the saddle between.
    REQUIRE(r.states.size() == 3);
    const nlohmann::json& states = j.at("states");
    REQUIRE(states.is_array());
    REQUIRE(states.size() == r.states.size());
    int clean = 0;
    for (std::size_t s = 0; s < r.states.size(); ++s) {
        INFO("state " << s);
        CHECK(number(states[s].at("tof")) == r.states[s].tof);
        CHECK(number(states[s].at("residual")) == r.states[s].residual);
        CHECK(states[s].at("stable").get<bool>() == r.states[s].stable);
        CHECK(states[s].at("clean").get<bool>() == (static_cast<int>(s) == r.clean_state));
        clean += states[s].at("clean").get<bool>() ? 1 : 0;
        REQUIRE(states[s].at("rates").size() == m.steps.size());
        for (std::size_t i = 0; i < m.surface.size(); ++i) {
            const std::string name = m.species[static_cast<std::size_t>(m.surface[i])].name;
            CHECK(number(states[s].at("coverage").at(name)) == r.states[s].coverage[i]);
        }
    }
    CHECK(clean == 1);
    // The clean state is the top-level answer.
    CHECK(number(states[static_cast<std::size_t>(r.clean_state)].at("tof")) == number(j.at("tof")));
}

TEST_CASE("kinmap fold --json gives the double roots of the reduction, ascending", "[app][fold]") {
    const auto run = run_command(kBinary + " fold " + kModel +
                                 " --along p_CO_g --set p_O2_g=0.1 --from 1e-10 --json");
    REQUIRE(run.exit_code == 0);
    const auto j = nlohmann::json::parse(run.out);
    CHECK(j.at("along") == "p_CO_g");
    const auto expected = kinmap_test::co_oxidation_folds_p_co(0.1L);
    REQUIRE(expected.size() == 2);
    REQUIRE(j.at("folds").size() == 2);
    for (std::size_t f = 0; f < 2; ++f) {
        const double value = number(j["folds"][f].at("value"));
        CHECK(std::abs(value - static_cast<double>(expected[f])) <
              1e-8 * static_cast<double>(expected[f]));
        CHECK(j["folds"][f].at("coverage").size() == 3);
        CHECK(number(j["folds"][f].at("tof")) > 0.0);
    }
    // In the sweep's own range (1e-4 … 10 bar) only the upper fold.
    const auto in_map =
        run_command(kBinary + " fold " + kModel + " --along p_CO_g --set p_O2_g=0.1 --json");
    REQUIRE(in_map.exit_code == 0);
    CHECK(nlohmann::json::parse(in_map.out).at("folds").size() == 1);
}

TEST_CASE("kinmap fold: an axis that is not swept needs --from and --to, exit 2", "[app][fold]") {
    const auto run = run_command(kBinary + " fold " + kModel +
                                 " --along p_CO2_g --set p_O2_g=0.1 --set p_CO_g=0.01");
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("--along") != std::string::npos);
    const auto unknown =
        run_command(kBinary + " fold " + kModel + " --along p_N2_g --from 1 --to 2");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("N2") != std::string::npos);
}
