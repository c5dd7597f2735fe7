// `kinmap check` and `kinmap point` as a user runs them: JSON parsed and compared with the
// library's own result; exit codes and error messages for bad input.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../../support/run_command.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/fields.hpp"
#include "kinmap/sweep/record.hpp"

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

        const ModelFile model = read_model_file(kModel);
    const Mechanism& m = model.mechanism;
        SteadySolver solver(m, model.solver);
        const PointResult r = solver.solve(
            make_conditions(model, {{"p_O2_g", std::stod(std::to_string(p_o2))},
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

namespace {

const std::string kH2O2 = std::string(KINMAP_DATA_DIR) + "/models/h2_oxidation_pt111.toml";

// The shipped H2 + O2 model's text with `from` replaced by `to`, written to `path`.
std::string variant(const std::string& path, const std::string& from, const std::string& to,
                    const std::string& append = "") {
    std::ifstream in(kH2O2);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(path) << text << append;
    return path;
}

// 1-based line of the first line of `path` that contains `fragment`.
int line_of(const std::string& path, const std::string& fragment) {
    std::ifstream in(path);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.find(fragment) != std::string::npos) return n;
    }
    return -1;
}

}  // namespace

TEST_CASE("check prints G(T) of every species and each step's dG and both barriers", "[app]") {
    // Issue 12.7. The model gives free energies directly (G_eV), so every number below is the
    // file's own arithmetic: step 2, O2_g + 2*_s <-> O-O_2s -> 2O_s: G(IS) = 0, G(TS) = 0.25,
    // G(FS) = 2 x -1.00, dG = -2, Ga = 0.25, reverse 2.25; step 1 has no TS: Ga = max(0, -0.18) - 0.
    const auto run = run_command(kBinary + " check " + kH2O2);
    REQUIRE(run.exit_code == 0);
    for (const char* expected : {"G(O_s) = -1.0000", "G(H-OH_2s) = -1.4600", "G(*_s) = 0.0000",
                                 "G(H2O_g) = -2.3700"}) {
        CHECK(run.out.find(expected) != std::string::npos);
    }
    CHECK(run.out.find("O2_g + 2*_s <-> O-O_2s -> 2O_s               IS    0.0000 TS    0.2500 FS   "
                       "-2.0000  dG   -2.0000  Ga    0.2500  Ga_rev    2.2500") != std::string::npos);
    CHECK(run.out.find("H2_g + 2*_s -> 2H_s                          IS    0.0000 TS         - FS   "
                       "-0.1800  dG   -0.1800  Ga    0.0000  Ga_rev    0.1800") != std::string::npos);
    CHECK(run.err.empty());  // no warnings for the shipped model
}

TEST_CASE("check warns, located, where a transition state falls below its initial state", "[app]") {
    // H-O_2s at -1.20 eV lies below H_s + O_s (-1.09 eV): the max rule makes step 3
    // barrierless forward, the kink in an Ea map that issue 12.7 describes.
    const std::string path = variant("/tmp/kinmap_check_ts_below.toml", "H-O_2s = { G_eV = -0.19 }",
                                     "H-O_2s = { G_eV = -1.20 }");
    const auto run = run_command(kBinary + " check " + path);
    CHECK(run.exit_code == 0);
    const int line = line_of(path, "equation = \"H_s + O_s <-> H-O_2s");
    CHECK(run.err.find("[rank 0] warning: " + path + ":" + std::to_string(line - 1) +
                       ":1: step[3].equation: transition state H-O_2s (G = -1.2000 eV at 500 K) "
                       "lies below its initial state (G = -1.0900 eV)") != std::string::npos);
    CHECK(run.out.find("Ga    0.0000  Ga_rev    0.4800  (TS below IS/FS") != std::string::npos);
    std::remove(path.c_str());
}

TEST_CASE("check is run's preflight: a gas without a pressure and an axis that changes nothing exit 2",
          "[app]") {
    // Issue 12.1: check accepted both; run then failed at the first point (named 0:0).
    const std::string no_p = variant("/tmp/kinmap_check_no_pressure.toml", "H2O_g = 0.001", "");
    const auto a = run_command(kBinary + " check " + no_p);
    CHECK(a.exit_code == 2);
    CHECK(a.err.find("pressures.H2O_g") != std::string::npos);
    CHECK(a.err.find(":0:0:") == std::string::npos);
    std::remove(no_p.c_str());

    const std::string t_axis = "/tmp/kinmap_check_t_axis.toml";
    {
        std::ifstream in(kModel);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto x = text.find("x = {");
        text.replace(x, text.find('\n', x) - x,
                     "x = { temperature = true, from = 400.0, to = 600.0, points = 3, scale = \"linear\" }");
        text.replace(text.find("CO2_g = 0.01"), 12, "CO2_g = 0.01\nO2_g = 0.1");  // O2 no longer swept
        std::ofstream(t_axis) << text;
    }
    const auto b = run_command(kBinary + " check " + t_axis);
    CHECK(b.exit_code == 2);
    const int line = line_of(t_axis, "x = { temperature = true");
    CHECK(b.err.find(t_axis + ":" + std::to_string(line) + ":21: sweep.x.temperature: every step has explicit kf/kr") !=
          std::string::npos);
    std::remove(t_axis.c_str());
}

TEST_CASE("point --json of a failed point does not claim stable", "[app]") {
    // Issue 12.12: a failed point printed "stable": true. One rung and two Newton iterations
    // cannot reach the O-poisoned steady state of this variant: NEWTON_FAIL.
    const std::string path = variant("/tmp/kinmap_point_failed.toml", "O_s = { G_eV = -1.00 }",
                                     "O_s = { G_eV = -3.00 }",
                                     "[solver]\nmax_rungs = 1\nnewton_max_iterations = 2\n");
    const auto run = run_command(kBinary + " point " + path +
                                 " --set p_O2_g=0.01 --set p_H2_g=0.01 --set T_K=300 --json");
    CHECK(run.exit_code == 1);
    const auto j = nlohmann::json::parse(run.out);
    CHECK(j["status"] != "OK");
    CHECK((j["stable"].is_null() || j["stable"] == false));
    CHECK(j["tof"].is_null());
    std::remove(path.c_str());
}

TEST_CASE("point --json has one key per field of the table, each the library's value", "[app][fields]") {
    const auto run = run_command(kBinary + " point " + kModel + " --set p_O2_g=0.25 --set p_CO_g=0.5 --json");
    REQUIRE(run.exit_code == 0);
    const auto j = nlohmann::json::parse(run.out);
    const ModelFile model = read_model_file(kModel);
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    const PointResult r = solver.solve(make_conditions(model, {{"p_O2_g", 0.25}, {"p_CO_g", 0.5}}));
    const RecordLayout counts = record_layout(m);
    REQUIRE(m.descriptors.empty());
    std::size_t keys = 2;  // "conditions": the inputs, and "states" (DESIGN §8): not fields
    CHECK(j.at("states").is_null());  // every state not asked for
    for (const Field& f : kFields) {
        if (!f.in_json) continue;
        if (!counts.present(f)) {  // a model without the field's feature has no such key
            CHECK_FALSE(j.contains(std::string(f.name)));
            continue;
        }
        ++keys;
        const std::string key(f.name);
        INFO("field " << key);
        REQUIRE(j.contains(key));
        std::vector<double> values(static_cast<std::size_t>(counts.count(f.extent)));
        values.resize(static_cast<std::size_t>(f.get(r, 0, values.data(), static_cast<int>(values.size()))));
        // A value as the JSON holds it, read back as a double (NaN for null).
        auto number = [&](const nlohmann::json& v) {
            if (v.is_null()) return std::nan("");
            if (f.kind == ValueKind::status) return static_cast<double>(v.get<std::string>() == "OK" ? 0 : -1);
            if (f.kind == ValueKind::flag) return v.get<bool>() ? 1.0 : 0.0;
            return v.get<double>();
        };
        auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
        const nlohmann::json& v = j.at(key);
        if (key == "wall_time_s") {  // a timing: no two solves share it
            CHECK(v.get<double>() > 0.0);
        } else if (f.extent == Extent::point) {
            CHECK(same(number(v), values[0]));
        } else if (values.empty()) {
            CHECK(v.is_null());
        } else if (f.extent == Extent::step) {
            REQUIRE(v.is_array());
            REQUIRE(v.size() == values.size());
            for (std::size_t i = 0; i < values.size(); ++i) CHECK(same(number(v[i]), values[i]));
        } else {
            const std::vector<int>& index = f.extent == Extent::species ? m.surface : m.gases;
            REQUIRE(v.is_object());
            REQUIRE(v.size() == values.size());
            for (std::size_t i = 0; i < values.size(); ++i) {
                const std::string name = m.species[static_cast<std::size_t>(index[i])].name;
                CHECK(same(number(v.at(name)), values[i]));
            }
        }
    }
    CHECK(j.size() == keys);  // and no key that is not a field
    CHECK(j.contains("conditions"));
    CHECK_FALSE(j.contains("rank"));  // a field of the map file only
}
