// `kinmap check` and `kinmap point` as a user runs them: JSON parsed and compared with the
// library's own result; exit codes and error messages for bad input.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../../support/run_command.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;
using kinmap_test::run_command;

namespace {

const std::string kModel = std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml";
const std::string kBinary = KINMAP_BINARY;

}  // namespace

TEST_CASE("point --json prints exactly the library's result as one JSON object", "[app]") {
    for (auto [p_o2, p_co] : {std::pair{0.3, 0.01}, std::pair{1e-3, 2.0}}) {
        const auto run = run_command(kBinary + " point " + kModel + " --set p_O2_g=" +
                                     std::to_string(p_o2) + " --set p_CO_g=" + std::to_string(p_co) +
                                     " --json");
        REQUIRE(run.exit_code == 0);
        const auto j = nlohmann::json::parse(run.out);  // throws if stdout holds anything else

        const Mechanism m = read_model_file(kModel);
        SteadySolver solver(m);
        const PointResult r = solver.solve(
            make_conditions(m, {{"p_O2_g", std::stod(std::to_string(p_o2))},
                                {"p_CO_g", std::stod(std::to_string(p_co))}}));
        CHECK(j.at("status") == "OK");
        // JSON numbers round-trip doubles exactly: the values must be bitwise equal.
        CHECK(j.at("tof").get<double>() == r.tof);
        CHECK(j.at("residual").get<double>() == r.residual);
        CHECK(j.at("stable").get<bool>() == r.stable);
        CHECK(j.at("ode_steps").get<long>() == r.ode_steps);
        CHECK(j.at("newton_iterations").get<int>() == r.newton_iterations);
        REQUIRE(j.at("rates").size() == r.rates.size());
        for (std::size_t s = 0; s < r.rates.size(); ++s) CHECK(j.at("rates")[s].get<double>() == r.rates[s]);
        REQUIRE(j.at("coverage").size() == m.surface.size());
        for (std::size_t i = 0; i < m.surface.size(); ++i) {
            const std::string name = m.species[static_cast<std::size_t>(m.surface[i])].name;
            CHECK(j.at("coverage").at(name).get<double>() == r.coverage[i]);
        }
        CHECK(j.contains("drc"));
        CHECK(j.contains("trc"));
    }
}

TEST_CASE("point without a pressure for a gas exits 2 naming the gas", "[app]") {
    const auto run = run_command(kBinary + " point " + kModel + " --set p_O2_g=0.1 --json");
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err.find("[rank 0]") != std::string::npos);
    CHECK(run.err.find("CO_g") != std::string::npos);
}

TEST_CASE("point with a malformed --set exits 2 naming the argument", "[app]") {
    const auto bad_value = run_command(kBinary + " point " + kModel + " --set p_O2_g=abc --set p_CO_g=1");
    CHECK(bad_value.exit_code == 2);
    CHECK(bad_value.err.find("p_O2_g") != std::string::npos);
    const auto unknown = run_command(kBinary + " point " + kModel + " --set p_N2_g=1 --set p_O2_g=1 --set p_CO_g=1");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("N2_g") != std::string::npos);
}

TEST_CASE("check lists the rate constants and exits 0 for a valid model", "[app]") {
    const auto run = run_command(kBinary + " check " + kModel);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("CO_s") != std::string::npos);
    CHECK(run.out.find("9.02357e+07") != std::string::npos);
}

TEST_CASE("check of a broken model exits 2 with file, line and column", "[app]") {
    const std::string path = "/tmp/kinmap_check_broken.toml";
    {
        std::ofstream out(path);
        out << "[model]\nname = \"x\"\ntemperature_K = 500.0\ntof_of = \"CO_g\"\n\n[sites]\ns = 1.0\n\n"
               "[[step]]\nequation = \"CO_g + *_s -> CO_s\"\nkf = 1.0\nkr = -2.0\n";
    }
    const auto run = run_command(kBinary + " check " + path);
    CHECK(run.exit_code == 2);
    CHECK(run.err.find(path + ":12:") != std::string::npos);
    std::remove(path.c_str());
}

TEST_CASE("an unknown subcommand or option is a usage error with exit 2", "[app]") {
    CHECK(run_command(kBinary + " frobnicate").exit_code == 2);
    CHECK(run_command(kBinary + " point " + kModel + " --bogus").exit_code == 2);
    CHECK(run_command(kBinary + " --help").exit_code == 0);
}
