// Issue 15: [descriptors], [scaling], per-step bep and [[surfaces]] (DESIGN §10) as read and
// validated: every rejected input is an InputError at the file, line, column and key of the
// text at fault, `kinmap check` exits 2 on one, and prints each species' energy with where it
// comes from.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "../../support/descriptor_model.hpp"
#include "../../support/run_command.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/kinetics/thermo.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;
using namespace kinmap::test;

namespace {

// `text` with the first occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

struct Place {
    int line;
    int column;
};

// Line (1-based) of the first line holding `line_fragment`, and the column of `token` in it.
Place place(const std::string& text, const std::string& line_fragment, const std::string& token) {
    const auto at = text.find(line_fragment);
    REQUIRE(at != std::string::npos);
    const auto begin = text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
    const auto column = text.find(token, begin);
    REQUIRE(column != std::string::npos);
    int line = 1;
    for (std::size_t i = 0; i < begin; ++i) line += text[i] == '\n';
    return {line, static_cast<int>(column - begin) + 1};
}

void require_located(const std::string& text, const std::string& line_fragment,
                     const std::string& token, const std::string& key, const std::string& fragment) {
    const Place p = place(text, line_fragment, token);
    try {
        parse_model(text, "m.toml");
        FAIL("no InputError; expected " << key << " at " << p.line << ":" << p.column);
    } catch (const InputError& error) {
        INFO(error.what());
        CHECK(error.where().file == "m.toml");
        CHECK(error.where().line == p.line);
        CHECK(error.where().column == p.column);
        CHECK(error.key() == key);
        CHECK(std::string(error.what()).find(fragment) != std::string::npos);
    }
}

const std::string kSweep =
    "[sweep]\n"
    "x = { descriptor = \"E_O\", from = -1.0, to = 3.0, points = 5 }\n"
    "y = { descriptor = \"E_CO\", from = -0.5, to = 4.0, points = 4 }\n";

}  // namespace

TEST_CASE("DESIGN 10's model reads: descriptors in file order with scaling rows and bep and surfaces and axes",
          "[mechanism][descriptors]") {
    std::string text = replaced(descriptor_model(kSweep), "\"O-O_2s\" = { E_O = 1.432, const = 3.190 }\n", "");
    text = replaced(text, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                    "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { alpha = 0.7, beta = 1.1 }\n");
    text += "\n[[surfaces]]\nname = \"Pt\"\nE_CO = 1.70\nE_O = 1.62\n\n[[surfaces]]\nname = \"Au\"\nE_O = 2.9\nE_CO = 2.6\n";
    const ModelFile model = parse_model(text, "m.toml");
    const Mechanism& m = model.mechanism;
    REQUIRE(m.descriptors.size() == 2);
    CHECK(m.descriptors[0].name == "E_O");  // file order, not toml++'s key order
    CHECK(m.descriptors[0].value == 1.62);
    CHECK(m.descriptors[1].name == "E_CO");
    const Species& ts = m.species[static_cast<std::size_t>(m.find_species("O-CO_2s"))];
    REQUIRE(ts.scaling);
    CHECK(ts.scaling->constant == 1.833);
    CHECK(ts.scaling->terms.size() == 2);
    const Species& oo = m.species[static_cast<std::size_t>(m.find_species("O-O_2s"))];
    CHECK(oo.bep_step == 1);
    REQUIRE(m.steps[1].bep);
    CHECK(m.steps[1].bep->alpha == 0.7);
    CHECK(m.steps[1].bep->beta == 1.1);
    CHECK(m.steps[1].source == Step::Source::species_energies);
    REQUIRE(model.surfaces.size() == 2);
    CHECK(model.surfaces[0].name == "Pt");
    CHECK(model.surfaces[0].values == std::vector<double>{1.62, 1.70});
    CHECK(model.surfaces[1].values == std::vector<double>{2.9, 2.6});
    REQUIRE(model.sweep);
    CHECK(model.sweep->x.kind == AxisKind::descriptor);
    CHECK(model.sweep->x.name() == "E_O");
    CHECK(model.sweep->x.units() == "eV");
    CHECK(!model.sweep->x.log_scale);  // a descriptor axis is linear unless `scale` says otherwise
    CHECK(model.sweep->y.name() == "E_CO");
    CHECK(model.sweep->y.ref.index == 1);
    CHECK(model.warnings.empty());

    // --set E_O and the defaults: the conditions carry every descriptor's value.
    const Conditions defaults = make_conditions(model, {});
    CHECK(defaults.descriptor_eV == std::vector<double>{1.62, 1.70});
    const Conditions set = make_conditions(model, {{"E_CO", 0.25}, {"p_O2_g", 0.1}, {"T_K", 450.0}});
    CHECK(set.descriptor_eV == std::vector<double>{1.62, 0.25});
    CHECK(set.temperature_K == 450.0);

    // The bep transition state: E(TS) = E(IS) + alpha (E(FS) - E(IS)) + beta, energies E_eV
    // of the gas and the scaled O_s (no thermochemistry for the TS: G = E).
    const std::vector<SpeciesEnergy> e = species_energies(m, 500.0, {1.0, 2.0});
    const double e_is = 5.42, e_fs = 2.0 * 1.0;
    CHECK(e[static_cast<std::size_t>(m.find_species("O-O_2s"))].G == e_is + 0.7 * (e_fs - e_is) + 1.1);
    CHECK(e[static_cast<std::size_t>(m.find_species("O-O_2s"))].source == EnergySource::bep);
    CHECK(e[static_cast<std::size_t>(m.find_species("O_s"))].source == EnergySource::descriptor);
    CHECK(e[static_cast<std::size_t>(m.find_species("O-CO_2s"))].source == EnergySource::scaling);
}

TEST_CASE("A scaled species with a species entry adds the thermal correction of section 3",
          "[mechanism][descriptors]") {
    const std::string text = replaced(descriptor_model(), "CO2_g = {",
                                      "CO_s = { frequencies_cm = [1800.0, 400.0] }\nCO2_g = {");
    const Mechanism m = parse_model(text, "m.toml").mechanism;
    const Mechanism plain = parse_model(descriptor_model(), "m.toml").mechanism;
    const auto co = static_cast<std::size_t>(m.find_species("CO_s"));
    const double T = 500.0;
    const SpeciesEnergy with = species_energies(m, T, {1.0, 1.5})[co];
    const SpeciesEnergy without = species_energies(plain, T, {1.0, 1.5})[co];
    CHECK(without.G == 1.5);
    CHECK(with.E == 1.5);
    // The same as E_eV = 1.5 with those frequencies.
    Species as_e = m.species[co];
    as_e.scaling.reset();
    as_e.E_eV = 1.5;
    CHECK(with.G == Approx(free_energy_eV(as_e, T)).epsilon(1e-14));
    CHECK(with.G != without.G);
}

TEST_CASE("Every new validation error of DESIGN 10 is located at file:line:column:key",
          "[mechanism][descriptors][errors]") {
    const std::string base = descriptor_model(kSweep);
    SECTION("an unknown descriptor in a [scaling] row") {
        const std::string t = replaced(base, "O_s = { E_O = 1.0 }", "O_s = { E_X = 1.0 }");
        require_located(t, "O_s = { E_X", "E_X", "scaling.O_s.E_X", "unknown descriptor 'E_X'");
    }
    SECTION("a descriptor named as a species") {
        const std::string t = replaced(base, "E_CO = 1.70\n", "E_CO = 1.70\nCO_s = 1.0\n");
        require_located(t, "CO_s = 1.0", "CO_s", "descriptors.CO_s", "is a species");
    }
    SECTION("a descriptor named p_..., G_... or T_K") {
        for (const char* name : {"p_O", "G_O", "T_K"}) {
            const std::string t = replaced(base, "E_CO = 1.70\n", std::string("E_CO = 1.70\n") + name + " = 1.0\n");
            require_located(t, std::string(name) + " = 1.0", name, std::string("descriptors.") + name, "may not start");
        }
    }
    SECTION("a descriptor value that is not finite") {
        const std::string t = replaced(base, "E_O = 1.62", "E_O = nan");
        require_located(t, "E_O = nan", "nan", "descriptors.E_O", "finite");
    }
    SECTION("a species given an energy in [species] and [scaling]") {
        const std::string t = replaced(base, "CO2_g = {", "O_s = { G_eV = 1.0 }\nCO2_g = {");
        require_located(t, "O_s = { E_O = 1.0 }", "O_s", "scaling.O_s", "exactly one place");
        const std::string e = replaced(base, "CO2_g = {", "O_s = { E_eV = 1.0 }\nCO2_g = {");
        require_located(e, "O_s = { E_O = 1.0 }", "O_s", "scaling.O_s", "E_eV");
    }
    SECTION("a transition state given an energy by [scaling] and its step's bep") {
        const std::string t = replaced(base, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                                       "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { alpha = 0.7, beta = 1.1 }\n");
        require_located(t, "\"O-O_2s\" = { E_O", "\"O-O_2s\"", "scaling.O-O_2s", "bep of step[2]");
    }
    SECTION("a transition state given an energy by [species] and its step's bep") {
        std::string t = replaced(base, "\"O-O_2s\" = { E_O = 1.432, const = 3.190 }\n", "");
        t = replaced(t, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                     "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { alpha = 0.7, beta = 1.1 }\n");
        t = replaced(t, "CO2_g = {", "\"O-O_2s\" = { G_eV = 5.0 }\nCO2_g = {");
        require_located(t, "\"O-O_2s\" = { G_eV", "5.0", "species.O-O_2s.G_eV", "bep of step[2]");
    }
    SECTION("bep on a step without a named transition state") {
        const std::string t = replaced(base, "equation = \"CO_g + *_s -> CO_s\"\n",
                                       "equation = \"CO_g + *_s -> CO_s\"\nbep = { alpha = 0.5, beta = 0.2 }\n");
        require_located(t, "bep = { alpha = 0.5", "{", "step[1].bep", "name one");
    }
    SECTION("bep without alpha, and a beta that is not finite") {
        std::string t = replaced(base, "\"O-O_2s\" = { E_O = 1.432, const = 3.190 }\n", "");
        const std::string no_alpha = replaced(t, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                                              "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { beta = 1.1 }\n");
        require_located(no_alpha, "bep = { beta", "{", "step[2].bep.alpha", "missing");
        const std::string no_beta = replaced(t, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                                             "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { alpha = 0.7 }\n");
        require_located(no_beta, "bep = { alpha", "{", "step[2].bep.beta", "missing");
        const std::string inf_beta = replaced(t, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                                              "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { alpha = 0.7, beta = inf }\n");
        require_located(inf_beta, "bep = { alpha", "inf", "step[2].bep.beta", "finite");
        const std::string with_k = replaced(t, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                                            "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { alpha = 0.7, beta = 1.0 }\nkf = 1.0\nkr = 1.0\n");
        require_located(with_k, "kf = 1.0", "1.0", "step[2].kf", "not both");
    }
    SECTION("a descriptor axis on a model without that descriptor") {
        const std::string t = replaced(base, "descriptor = \"E_CO\"", "descriptor = \"E_N\"");
        require_located(t, "descriptor = \"E_N\"", "\"E_N\"", "sweep.y.descriptor", "not a descriptor");
    }
    SECTION("a descriptor axis that no [scaling] row reads") {
        std::string t = replaced(base, "E_CO = 1.70\n", "E_CO = 1.70\nE_N = 0.5\n");
        t = replaced(t, "descriptor = \"E_CO\"", "descriptor = \"E_N\"");
        require_located(t, "descriptor = \"E_N\"", "\"E_N\"", "sweep.y.descriptor", "changes nothing");
    }
    SECTION("[[surfaces]]: an unknown descriptor, a missing one, a duplicate name, no name") {
        const std::string pt = "\n[[surfaces]]\nname = \"Pt\"\nE_O = 1.62\nE_CO = 1.70\n";
        require_located(base + pt + "\n[[surfaces]]\nname = \"Au\"\nE_O = 2.9\nE_CO = 2.6\nE_N = 1.0\n",
                        "E_N = 1.0", "E_N", "surfaces[2].E_N", "unknown descriptor 'E_N'");
        // Located at the surface's [[surfaces]] header.
        require_located(base + pt + "\n[[surfaces]]\nname = \"Au\"\nE_O = 2.9\n", "[[surfaces]]\nname = \"Au\"",
                        "[[surfaces]]", "surfaces[2].E_CO", "needs a value of every descriptor");
        require_located(base + pt + "\n[[surfaces]]\nname = \"Pt\"\nE_O = 2.9\nE_CO = 2.6\n",
                        "name = \"Pt\"\nE_O = 2.9", "\"Pt\"", "surfaces[2].name", "duplicate surface 'Pt'");
        require_located(base + pt + "\n[[surfaces]]\nE_O = 2.9\nE_CO = 2.6\n", "[[surfaces]]\nE_O = 2.9",
                        "[[surfaces]]", "surfaces[2].name", "missing");
    }
    SECTION("a [scaling] row for a free site") {
        const std::string t = replaced(base, "O_s = { E_O = 1.0 }", "O_s = { E_O = 1.0 }\n\"*_s\" = { const = 0.1 }");
        require_located(t, "\"*_s\" = {", "\"*_s\"", "scaling.*_s", "free sites");
    }
}

TEST_CASE("A scaling row that no step reads is a located warning", "[mechanism][descriptors]") {
    const std::string base = descriptor_model();
    SECTION("a species of no step") {
        const std::string t = replaced(base, "O_s = { E_O = 1.0 }", "O_s = { E_O = 1.0 }\nH_s = { E_O = 0.5 }");
        const ModelFile model = parse_model(t, "m.toml");
        REQUIRE(model.warnings.size() == 1);
        const Place p = place(t, "H_s = {", "H_s");
        CHECK(model.warnings[0].text() == "m.toml:" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                                              ": scaling.H_s: 'H_s' is not a species of any step: row ignored");
    }
    SECTION("a species whose steps all have explicit constants") {
        std::string t = replaced(base, "equation = \"CO_g + *_s -> CO_s\"\n",
                                 "equation = \"CO_g + *_s -> CO_s\"\nkf = 1e8\nkr = 1.0\n");
        t = replaced(t, "equation = \"CO_s + O_s <-> O-CO_2s -> CO2_g + 2*_s\"\n",
                     "equation = \"CO_s + O_s <-> O-CO_2s -> CO2_g + 2*_s\"\nkf = 1e9\nkr = 1.0\n");
        const ModelFile model = parse_model(t, "m.toml");
        bool co = false;
        for (const Warning& w : model.warnings) {
            if (w.key == "scaling.CO_s") {
                co = true;
                const Place p = place(t, "CO_s = { E_CO", "{");
                CHECK(w.where.line == p.line);
                CHECK(w.where.column == p.column);
                CHECK(w.message.find("changes nothing") != std::string::npos);
            }
        }
        CHECK(co);
    }
}

TEST_CASE("Setting an unknown descriptor is an unknown axis naming the model's descriptors",
          "[mechanism][descriptors][errors]") {
    const ModelFile model = parse_model(descriptor_model(), "m.toml");
    // A known one binds by its own name, to its index.
    const BoundAxis e_co = bind_axis(model.mechanism, "E_CO", {"<command line>", 1, 1}, "--set E_CO");
    CHECK(e_co.ref.kind == AxisKind::descriptor);
    CHECK(e_co.ref.index == 1);
    CHECK(axis_name(AxisKind::descriptor, "E_CO") == "E_CO");
    CHECK_FALSE(parse_axis_name("E_CO"));  // without a model it names nothing
    try {
        bind_axis(model.mechanism, "E_X", {"<command line>", 1, 2}, "--set E_X");
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("<command line>:1:2: --set E_X: unknown axis (expected") == 0);
        CHECK(std::string(e.what()).find("E_O, E_CO") != std::string::npos);
    }
}

TEST_CASE("kinmap check exits 2 at the location of a bad descriptor model and prints each energy "
          "and its origin for a good one", "[mechanism][descriptors][app]") {
    const std::string binary = KINMAP_BINARY;
    const std::string bad = "/tmp/kinmap_descriptors_bad.toml";
    const std::string bad_text = replaced(descriptor_model(), "O_s = { E_O = 1.0 }", "O_s = { E_X = 1.0 }");
    std::ofstream(bad) << bad_text;
    const auto run = kinmap_test::run_command(binary + " check " + bad);
    CHECK(run.exit_code == 2);
    const Place p = place(bad_text, "O_s = { E_X", "E_X");
    CHECK(run.err.find(bad + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                       ": scaling.O_s.E_X: unknown descriptor") != std::string::npos);
    std::remove(bad.c_str());

    const std::string good = "/tmp/kinmap_descriptors_good.toml";
    std::string text = replaced(descriptor_model(), "\"O-O_2s\" = { E_O = 1.432, const = 3.190 }\n", "");
    text = replaced(text, "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n",
                    "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\nbep = { alpha = 0.5, beta = 2.0 }\n");
    std::ofstream(good) << text;
    const auto ok = kinmap_test::run_command(binary + " check " + good);
    CHECK(ok.exit_code == 0);
    for (const char* expected : {"G(O_s) = 1.6200  E = 1.6200  from descriptor E_O",
                                 "G(CO_s) = 1.7000  E = 1.7000  from descriptor E_CO",
                                 "from [scaling]", "from bep of step 2", "from [species] E_eV",
                                 "E_O              1.6200"}) {
        INFO(expected);
        CHECK(ok.out.find(expected) != std::string::npos);
    }
    // bep: E(TS) = 5.42 + 0.5 (3.24 - 5.42) + 2.0 = 6.33 eV.
    CHECK(ok.out.find("G(O-O_2s) = 6.3300") != std::string::npos);
    // A TS below its initial state is flagged: beta = -1.5 puts O-O* at 2.83 eV < G(O2_g).
    const std::string below = "/tmp/kinmap_descriptors_below.toml";
    std::ofstream(below) << replaced(text, "beta = 2.0", "beta = -1.5");
    const auto flagged = kinmap_test::run_command(binary + " check " + below);
    CHECK(flagged.exit_code == 0);
    CHECK(flagged.out.find("(TS below IS/FS: barrierless, see warning)") != std::string::npos);
    CHECK(flagged.err.find("step[2].equation: transition state O-O_2s") != std::string::npos);
    const auto point = kinmap_test::run_command(binary + " point " + good + " --set E_O=1.2 --set E_CO=1.4 --json");
    CHECK(point.exit_code == 0);
    std::remove(good.c_str());
    std::remove(below.c_str());
}
