// Issue 12.11 (and the warnings of 12.1, 12.7, 12.8): valid models that are probably not what
// was meant read with located warnings, collected with the model for the caller to print.
#include <catch2/catch.hpp>
#include <string>

#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;

namespace {

const std::string kEnergies =
    "[model]\n"                                                  // 1
    "name = \"w\"\n"                                             // 2
    "temperature_K = 500.0\n"                                    // 3
    "tof_of = \"CO2_g\"\n"                                       // 4
    "[sites]\n"                                                  // 5
    "s = 1.0\n"                                                  // 6
    "[pressures]\n"                                              // 7
    "CO2_g = 0.0\n"                                              // 8
    "O2_g = 0.1\n"                                               // 9
    "CO_g = 0.1\n"                                               // 10
    "[species]\n"                                                // 11
    "CO_g = { G_eV = 0.0 }\n"                                    // 12
    "O2_g = { G_eV = 0.0 }\n"                                    // 13
    "CO2_g = { G_eV = -3.0 }\n"                                  // 14
    "CO_s = { G_eV = -1.5 }\n"                                   // 15
    "O_s = { G_eV = -1.0 }\n"                                    // 16
    "CO-O_2s = { E_eV = -1.9, frequencies_cm = [-450.0, 300.0] }\n"  // 17
    "H2O_s = { G_eV = -0.3 }\n"                                  // 18
    "[[step]]\n"                                                 // 19
    "equation = \"CO_g + *_s -> CO_s\"\n"                        // 20
    "[[step]]\n"                                                 // 21
    "equation = \"O2_g + 2*_s -> 2O_s\"\n"                       // 22
    "kf = 1e8\n"                                                 // 23
    "kr = 1e-3\n"                                                // 24
    "[[step]]\n"                                                 // 25
    "equation = \"CO_s + O_s <-> CO-O_2s -> CO2_g + 2*_s\"\n"   // 26
    "[sweep]\n"                                                  // 27
    "x = { temperature = true, from = 400.0, to = 600.0, points = 3, scale = \"linear\" }\n";  // 28

}  // namespace

TEST_CASE("Unused species, imaginary modes and explicit steps on a T axis are located warnings",
          "[mechanism][warnings]") {
    const ModelFile model = parse_model(kEnergies, "w.toml");
    const Mechanism& m = model.mechanism;
    REQUIRE(model.warnings.size() == 3);
    // Read order: [species] (the TS's imaginary mode, then the unused species), then [sweep].
    CHECK(model.warnings[0].key == "species.CO-O_2s.frequencies_cm");
    CHECK(model.warnings[0].where.line == 17);
    CHECK(model.warnings[0].where.column == 44);
    CHECK(model.warnings[0].message.find("imaginary mode -450") != std::string::npos);
    CHECK(model.warnings[1].key == "species.H2O_s");
    CHECK(model.warnings[1].where.line == 18);
    CHECK(model.warnings[1].where.column == 1);
    CHECK(model.warnings[1].message.find("not a species of any step") != std::string::npos);
    CHECK(model.warnings[2].key == "sweep.x.temperature");
    CHECK(model.warnings[2].where.line == 28);
    CHECK(model.warnings[2].where.column == 21);
    CHECK(model.warnings[2].message.find("step(s) 2") != std::string::npos);
    CHECK(model.warnings[0].text() ==
          "w.toml:17:44: species.CO-O_2s.frequencies_cm: " + model.warnings[0].message);
    // The imaginary mode is gone; the real one stays.
    const Species& ts = m.species[static_cast<std::size_t>(m.find_species("CO-O_2s"))];
    CHECK(ts.frequencies_cm == std::vector<double>{300.0});
}

TEST_CASE("A second imaginary mode, or one on an adsorbate, is an error with a hint",
          "[mechanism][errors]") {
    std::string two = kEnergies;
    two.replace(two.find("[-450.0, 300.0]"), 15, "[-450.0, -30.0]");
    try {
        parse_model(two, "w.toml");
        FAIL("two imaginary modes accepted");
    } catch (const InputError& e) {
        CHECK(e.where().line == 17);
        CHECK(e.where().column == 52);
        CHECK(e.key() == "species.CO-O_2s.frequencies_cm");
        CHECK(e.message().find("exactly one") != std::string::npos);
    }
}

TEST_CASE("A transition state below its initial state is a located warning",
          "[kinetics][warnings]") {
    // G(IS) of step 3 = -2.5 eV; the TS's harmonic G at 500 K is about -1.9 + 0.02: above IS.
    // Moved to -2.8 eV it lies below the IS, and the max rule makes the step barrierless.
    std::string below = kEnergies;
    below.replace(below.find("E_eV = -1.9"), 11, "E_eV = -2.8");
    const ModelFile model = parse_model(below, "w.toml");
    const Mechanism& m = model.mechanism;
    const std::vector<Warning> w = model_warnings(model);
    REQUIRE(w.size() == 4);
    CHECK(w[3].key == "step[3].equation");
    CHECK(w[3].where.line == 25);
    CHECK(w[3].message.find("lies below its initial state") != std::string::npos);
    const std::vector<StepEnergies> e = step_energies(m, m.temperature_K);
    CHECK(e[2].ts_below);
    CHECK(e[2].Ga_forward == 0.0);
    CHECK(e[2].Ga_reverse == Approx(-2.5 - -3.0).epsilon(1e-15));
    CHECK(model_warnings(parse_model(kEnergies, "w.toml")).size() == 3);
}
