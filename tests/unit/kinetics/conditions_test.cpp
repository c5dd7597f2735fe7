// Axes bound once to the quantity they change: each kind applies to its own place in
// Conditions, and a name or value the model cannot take is refused where it was given.
#include <catch2/catch.hpp>
#include <string>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;

namespace {

constexpr const char* kModel = R"(
[model]
name = "bound"
temperature_K = 500.0
tof_of = "CO2_g"

[sites]
s = 1.0

[pressures]
CO2_g = 0.0

[species]
CO_g = { G_eV = 2.0 }
O2_g = { G_eV = 4.5 }
CO2_g = { G_eV = 1.2 }
CO_s = { G_eV = 1.70 }
O_s = { G_eV = 1.62 }
O-CO_2s = { G_eV = 4.04 }

[[step]]
equation = "CO_g + *_s -> CO_s"
kf = 1e8
kr = 1e-5

[[step]]
equation = "O2_g + 2*_s -> 2O_s"
Ga_eV = 0.8
dG_eV = -0.3

[[step]]
equation = "CO_s + O_s <-> O-CO_2s -> CO2_g + 2*_s"
)";

}  // namespace

TEST_CASE("Each bound axis kind sets its own quantity and nothing else", "[kinetics][axes]") {
    const ModelFile model = parse_model(kModel, "bound.toml");
    const Mechanism& m = model.mechanism;
    const SourceLocation where{"<command line>", 1, 1};
    const BoundAxis p_co = bind_axis(m, "p_CO_g", where, "--set p_CO_g");
    const BoundAxis temperature = bind_axis(m, "T_K", where, "--set T_K");
    const BoundAxis g_o = bind_axis(m, "G_O_s", where, "--set G_O_s");
    CHECK(p_co.ref.kind == AxisKind::pressure);
    CHECK(p_co.ref.index == m.find_gas("CO_g"));
    CHECK(g_o.ref.index == m.find_species("O_s"));

    const Conditions c = make_conditions(m, model.base,
                                         {{p_co, 0.25, where, "--set p_CO_g"},
                                          {bind_axis(m, "p_O2_g", where, "k"), 0.5, where, "k"},
                                          {temperature, 640.0, where, "--set T_K"},
                                          {g_o, 1.3, where, "--set G_O_s"},
                                          {g_o, 1.4, where, "--set G_O_s"}});
    CHECK(c.pressure_bar[static_cast<std::size_t>(m.find_gas("CO_g"))] == 0.25);
    CHECK(c.pressure_bar[static_cast<std::size_t>(m.find_gas("O2_g"))] == 0.5);
    CHECK(c.pressure_bar[static_cast<std::size_t>(m.find_gas("CO2_g"))] == 0.0);
    CHECK(c.temperature_K == 640.0);
    REQUIRE(c.energy_eV.size() == 1);  // the second G_O_s replaced the first
    CHECK(c.energy_eV[0] == std::pair<int, double>{m.find_species("O_s"), 1.4});
    // The same through names, as make_conditions(ModelFile, ...) binds them.
    const Conditions by_name =
        make_conditions(model, {{"p_CO_g", 0.25}, {"p_O2_g", 0.5}, {"T_K", 640.0}, {"G_O_s", 1.4}});
    CHECK(by_name.pressure_bar == c.pressure_bar);
    CHECK(by_name.temperature_K == c.temperature_K);
    CHECK(by_name.energy_eV == c.energy_eV);
}

TEST_CASE("An axis the model cannot take is refused where it was given", "[kinetics][axes]") {
    const ModelFile model = parse_model(kModel, "bound.toml");
    const Mechanism& m = model.mechanism;
    const SourceLocation where{"<command line>", 1, 4};
    auto message = [&](const std::string& name) {
        try {
            (void)bind_axis(m, name, where, "--set " + name);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(message("p_N2_g").find(
              "<command line>:1:4: --set p_N2_g: unknown axis: 'N2_g' is not a gas") == 0);
    CHECK(message("G_*_s").find("<command line>:1:4: --set G_*_s: unknown axis:") == 0);
    CHECK(message("x_O2_g").find("<command line>:1:4: --set x_O2_g: unknown axis (expected") == 0);
    // CO_s is in step 3, whose constants come from species energies; CO_g only in step 1 (kf/kr).
    CHECK(message("G_CO_s") == "accepted");
    CHECK(message("G_CO_g").find("no step takes its rate constants from the free energy of CO_g") !=
          std::string::npos);
    CHECK(message("T_K") == "accepted");

    const BoundAxis t = bind_axis(m, "T_K", where, "--set T_K");
    CHECK_THROWS_WITH(make_conditions(m, model.base, {{t, -1.0, where, "--set T_K"}}),
                      "<command line>:1:4: --set T_K: must be > 0 K");
    // A grid axis that the builder did not resolve is a bug, not silently a no-op.
    Axis by_hand;
    by_hand.kind = AxisKind::pressure;
    by_hand.target = "CO_g";
    CHECK_THROWS_AS(bind_axis(by_hand), Error);
}
