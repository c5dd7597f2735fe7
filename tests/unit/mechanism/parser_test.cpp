// The model-file parser: the shipped model read field by field, and every validation error
// reported with the file, line, column and key path of the offending text.
#include <catch2/catch.hpp>
#include <string>

#include "kinmap/mechanism/model_file.hpp"
#include "../../support/model_text.hpp"

using namespace kinmap;

using namespace kinmap::test;  // kValid, with_line, require_error

TEST_CASE("The shipped CO-oxidation model is read field by field", "[mechanism]") {
    const ModelFile model = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    const Mechanism& m = model.mechanism;
    CHECK(m.name == "co-oxidation-pt100");
    CHECK(m.temperature_K == 500.0);
    CHECK(m.species[static_cast<std::size_t>(m.tof_of)].name == "CO2_g");
    REQUIRE(m.species.size() == 7);  // CO_g *_s CO_s O2_g O_s CO-O_2s CO2_g
    CHECK(m.species[0].name == "CO_g");
    CHECK(m.species[1].kind == SpeciesKind::free_site);
    CHECK(m.species[5].name == "CO-O_2s");
    CHECK(m.species[5].kind == SpeciesKind::transition_state);
    CHECK(m.species[5].site_count == 2);
    CHECK(m.species[5].elements == std::map<std::string, int>{{"C", 1}, {"O", 2}});
    REQUIRE(m.gases.size() == 3);
    REQUIRE(m.surface.size() == 3);
    CHECK(m.species[static_cast<std::size_t>(m.surface[0])].name == "*_s");
    CHECK(m.species[static_cast<std::size_t>(m.surface[1])].name == "CO_s");
    CHECK(m.species[static_cast<std::size_t>(m.surface[2])].name == "O_s");
    REQUIRE(m.sites.size() == 1);
    CHECK(m.sites[0].free_species == 1);
    REQUIRE(m.steps.size() == 3);
    CHECK(m.steps[1].kf == 1.6630285069182e7);
    CHECK(m.steps[1].initial.size() == 2);
    CHECK(m.steps[1].final.size() == 1);
    CHECK(m.steps[1].final[0].coefficient == 2);
    CHECK(m.steps[2].transition_state == 5);
    CHECK(model.base.pressure_bar[static_cast<std::size_t>(m.find_gas("CO2_g"))] == 0.01);
    CHECK_FALSE(model.base.pressure_bar[static_cast<std::size_t>(m.find_gas("O2_g"))].has_value());
    REQUIRE(model.sweep);
    CHECK(model.sweep->x.name() == "p_O2_g");
    CHECK(model.sweep->x.points == 41);
    CHECK(model.sweep->x.log_scale);
    CHECK(model.solver.t_end_s == 10.0);
    CHECK(model.source.text.find("Kynetix") != std::string::npos);
}

TEST_CASE("Axis values are log or linear with exact end points", "[mechanism]") {
    const ModelFile model = parse_model(kValid, "m.toml");
    const auto x = model.sweep->x.values();
    REQUIRE(x.size() == 5);
    CHECK(x.front() == 1e-4);
    CHECK(x.back() == 10.0);
    CHECK(x[1] == Approx(1e-4 * std::pow(1e5, 0.25)).epsilon(1e-14));
    CHECK(x[2] == Approx(std::sqrt(1e-4 * 10.0)).epsilon(1e-14));
    const auto y = model.sweep->y.values();
    CHECK(y == std::vector<double>{0.0, 0.5, 1.0});
    Axis one = model.sweep->x;
    one.points = 1;
    CHECK(one.values() == std::vector<double>{1e-4});
}

TEST_CASE("Several site types and multi-site adsorbates parse", "[mechanism]") {
    const std::string text =
        "[model]\nname = \"two\"\ntemperature_K = 400\ntof_of = \"H2O_g\"\n"
        "[sites]\ns = 1.0\nt = 0.5\n"
        "[[step]]\nequation = \"O2_g + *_s + *_s -> O2_2s\"\nkf = 1\nkr = 1\n"
        "[[step]]\nequation = \"H2_g + 2*_t -> 2H_t\"\nkf = 1\nkr = 1\n"
        "[[step]]\nequation = \"O2_2s + 4H_t -> 2H2O_g + 2*_s + 4*_t\"\nkf = 1\nkr = 0\n";
    const ModelFile model = parse_model(text, "two.toml");
    const Mechanism& m = model.mechanism;
    REQUIRE(m.sites.size() == 2);
    CHECK(m.sites[1].total == 0.5);
    const Species& o2 = m.species[static_cast<std::size_t>(m.find_species("O2_2s"))];
    CHECK(o2.site_count == 2);
    CHECK(o2.site_type == 0);
    CHECK(m.species[static_cast<std::size_t>(m.find_species("H_t"))].site_type == 1);
    CHECK(m.steps[0].initial.size() == 2);  // O2_g and *_s merged to coefficient 2
    CHECK(m.steps[0].initial[1].coefficient == 2);
    CHECK(m.surface.size() == 4);
}

TEST_CASE("TOML syntax errors carry toml++'s line and column", "[mechanism][errors]") {
    require_error(with_line(11, "kf = = 1"), {11, 6, ""}, "TOML syntax");
}

TEST_CASE("Missing tables and keys are reported", "[mechanism][errors]") {
    require_error(with_line(4, ""), {1, 1, "model.tof_of"}, "missing");
    require_error(with_line(1, "[modl]"), {1, 2, "modl"}, "unknown key");
    require_error(with_line(12, ""), {9, 1, "step[1].kr"}, "missing");
}

TEST_CASE("Unknown keys name their key path", "[mechanism][errors]") {
    require_error(with_line(11, "kff = 1e8\nkf = 1"), {11, 1, "step[1].kff"}, "unknown key");
    require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, pont = 5 }"),
                  {22, 50, "sweep.x.pont"});
}

TEST_CASE("Wrong types are reported at the value", "[mechanism][errors]") {
    require_error(with_line(3, "temperature_K = \"hot\""), {3, 17, "model.temperature_K"}, "number");
    require_error(with_line(10, "equation = 5"), {10, 12, "step[1].equation"}, "string");
    require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 5.5 }"),
                  {22, 59, "sweep.x.points"}, "integer");
}

TEST_CASE("Negative, NaN and infinite constants are rejected", "[mechanism][errors]") {
    require_error(with_line(12, "kr = -1e-5"), {12, 6, "step[1].kr"}, ">= 0");
    require_error(with_line(11, "kf = nan"), {11, 6, "step[1].kf"}, "finite");
    require_error(with_line(19, "kf = inf"), {19, 6, "step[3].kf"}, "finite");
    require_error(with_line(8, "CO2_g = -0.01"), {8, 9, "pressures.CO2_g"}, ">= 0");
}

TEST_CASE("Unbalanced equations are rejected", "[mechanism][errors]") {
    require_error(with_line(14, "equation = \"O2_g + 2*_s -> O_s\""), {14, 12, "step[2].equation"},
                  "elements do not balance");
    require_error(with_line(14, "equation = \"O2_g + *_s -> 2O_s\""), {14, 12, "step[2].equation"},
                  "sites of type s do not balance");
    require_error(with_line(18, "equation = \"CO_s + O_s <-> CO-O2_2s -> CO2_g + 2*_s\""),
                  {18, 12, "step[3].equation"}, "transition state");
    require_error(with_line(18, "equation = \"CO_s + O_s <-> CO-O_3s -> CO2_g + 2*_s\""),
                  {18, 12, "step[3].equation"}, "spans 3 sites");
}

TEST_CASE("Unknown species, sites and gases are rejected", "[mechanism][errors]") {
    require_error(with_line(10, "equation = \"CO_g + *_t -> CO_t\""), {10, 12, "step[1].equation"},
                  "site type 't'");
    require_error(with_line(8, "N2_g = 0.01"), {8, 1, "pressures.N2_g"}, "not a gas");
    require_error(with_line(4, "tof_of = \"CO_s\""), {4, 10, "model.tof_of"}, "not a gas");
    require_error(with_line(22, "x = { pressure = \"H2_g\", from = 1e-4, to = 10.0, points = 5 }"),
                  {22, 18, "sweep.x.pressure"}, "not a gas");
    require_error(with_line(10, "equation = \"CO_g + *_s -> co_s\""), {10, 12, "step[1].equation"},
                  "formula");
    require_error(with_line(6, "s = 1.0\nu = 1.0"), {7, 1, "sites.u"}, "not used");
}

TEST_CASE("Duplicate and empty steps are rejected", "[mechanism][errors]") {
    require_error(with_line(18, "equation = \"CO_s + *_s -> *_s + CO_s\""), {18, 12, "step[3].equation"},
                  "same");
    require_error(with_line(18, "equation = \"2O_s -> O2_g + 2*_s\""), {18, 12, "step[3].equation"},
                  "duplicate of step 2");
    require_error(with_line(18, "equation = \"CO_s + -> CO2_g\""), {18, 12, "step[3].equation"},
                  "empty term");
    require_error(with_line(18, "equation = \"CO_s + O_s => CO2_g + 2*_s\""), {18, 12, "step[3].equation"},
                  "expected");
}

TEST_CASE("Sweep axes are range-checked", "[mechanism][errors]") {
    require_error(with_line(22, "x = { pressure = \"O2_g\", from = 0.0, to = 10.0, points = 5 }"),
                  {22, 33, "sweep.x.from"}, "log axis");
    require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 0 }"),
                  {22, 59, "sweep.x.points"}, "between");
    require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 100000000 }"),
                  {22, 59, "sweep.x.points"}, "between");
    require_error(with_line(23, "y = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 5 }"),
                  {23, 5, "sweep.y"}, "both vary");
    require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 5, scale = \"cubic\" }"),
                  {22, 70, "sweep.x.scale"});
}

TEST_CASE("Solver settings are range-checked", "[mechanism][errors]") {
    const std::string base = kValid + "[solver]\n";  // line 24
    require_error(base + "ode_rtol = 2.0\n", {25, 12, "solver.ode_rtol"}, "< 1");
    require_error(base + "t_end_s = -1\n", {25, 11, "solver.t_end_s"}, "> 0");
    require_error(base + "stepper = \"euler\"\n", {25, 11, "solver.stepper"});
    require_error(base + "rtoll = 1e-8\n", {25, 1, "solver.rtoll"}, "unknown key");
    require_error(base + "linear_solver = \"klu\"\n", {25, 17, "solver.linear_solver"},
                  "\"auto\", \"dense\" or \"sparse\"");
    require_error(base + "linear_solver = 1\n", {25, 17, "solver.linear_solver"});
    require_error(base + "stepper = \"odeint\"\nlinear_solver = \"sparse\"\n",
                  {26, 17, "solver.linear_solver"}, "rodas4");
    CHECK(parse_model(kValid, "m.toml").solver.linear_solver == "auto");
    CHECK(parse_model(base + "linear_solver = \"sparse\"\n", "m.toml").solver.linear_solver ==
          "sparse");
    CHECK(parse_model(base + "linear_solver = \"dense\"\n", "m.toml").solver.linear_solver ==
          "dense");
    const ModelFile model = parse_model(base + "rtol = 1e-10\nstepper = \"odeint\"\n", "m.toml");
    CHECK(model.solver.rtol == 1e-10);
    CHECK(model.solver.stepper == "odeint");
}
