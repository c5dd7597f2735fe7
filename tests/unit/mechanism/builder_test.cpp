// The format-free ModelBuilder used without any TOML, as another reader would use it, and the
// table of axis kinds: names parsed once, axes resolved against a mechanism.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "kinmap/mechanism/axis.hpp"
#include "kinmap/mechanism/builder.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;

namespace {

// A location in some non-TOML source, e.g. a Python call site.
Origin at(int line, int column, const std::string& key) {
    return {{"script.py", line, column}, key};
}

template <class T>
Given<T> given(T value, int line, int column, const std::string& key) {
    return {value, at(line, column, key)};
}

// CO oxidation with explicit constants, built step by step; `third` is the third equation.
ModelBuilder co_oxidation(const std::string& third = "CO_s + O_s <-> CO-O_2s -> CO2_g + 2*_s") {
    ModelBuilder b(ModelSource{"script.py", ""});
    b.set_model(given<std::string>("co", 1, 1, "model.name"),
                given(500.0, 2, 1, "model.temperature_K"));
    b.add_site(given<std::string>("s", 3, 1, "sites.s"), given(1.0, 3, 5, "sites.s"));
    b.end_sites(at(3, 1, "sites"));
    int line = 10;
    for (const std::string& eq :
         {std::string("CO_g + *_s -> CO_s"), std::string("O2_g + 2*_s -> 2O_s"), third}) {
        const std::string prefix = "step[" + std::to_string(line - 9) + "]";
        StepRatesInput rates;
        rates.kf = given(1e8, line, 30, prefix + ".kf");
        rates.kr = given(1e-5, line, 40, prefix + ".kr");
        b.add_step(given(eq, line, 12, prefix + ".equation"), rates, {"script.py", line, 1},
                   prefix);
        ++line;
    }
    return b;
}

}  // namespace

TEST_CASE("A model built through the builder without TOML is complete and usable",
          "[mechanism][builder]") {
    ModelBuilder b = co_oxidation();
    b.end_steps();
    b.set_tof_of(given<std::string>("CO2_g", 1, 20, "model.tof_of"));
    b.set_pressure(given<std::string>("CO2_g", 4, 1, "pressures.CO2_g"),
                   given(0.01, 4, 9, "pressures.CO2_g"));
    b.end_species();
    AxisInput x;
    x.table = at(20, 5, "sweep.x");
    x.pressure = given<std::string>("O2_g", 20, 18, "sweep.x.pressure");
    x.from = given(1e-4, 20, 30, "sweep.x.from");
    x.to = given(10.0, 20, 40, "sweep.x.to");
    x.points = given(5LL, 20, 50, "sweep.x.points");
    b.set_sweep(x, std::nullopt, at(19, 1, "sweep"));
    b.set_solver(SolverInput{});
    const ModelFile model = b.finish();

    const Mechanism& m = model.mechanism;
    CHECK(m.name == "co");
    CHECK(m.species.size() == 7);
    CHECK(m.steps.size() == 3);
    CHECK(m.species[static_cast<std::size_t>(m.tof_of)].name == "CO2_g");
    CHECK(m.sites[0].free_species == m.find_species("*_s"));
    CHECK(*model.base.pressure_bar[static_cast<std::size_t>(m.find_gas("CO2_g"))] == 0.01);
    REQUIRE(model.sweep);
    CHECK(model.sweep->x.name() == "p_O2_g");
    CHECK(model.sweep->x.ref.kind == AxisKind::pressure);
    CHECK(model.sweep->x.ref.index == m.find_gas("O2_g"));
    CHECK(model.sweep->y.kind == AxisKind::none);
    CHECK(model.source.path == "script.py");
}

TEST_CASE("A chemistry error raised by the builder carries the location its caller gave",
          "[mechanism][builder]") {
    // Element balance: checked by the builder, located where the caller said the equation is.
    try {
        (void)co_oxidation("CO_s + O_s <-> CO-O_2s -> CO_g + 2*_s");
        FAIL("an unbalanced step was accepted");
    } catch (const InputError& e) {
        CHECK(e.where().file == "script.py");
        CHECK(e.where().line == 12);
        CHECK(e.where().column == 12);
        CHECK(e.key() == "step[3].equation");
        CHECK(std::string(e.what()) ==
              "script.py:12:12: step[3].equation: elements do not balance: CO2 -> CO");
    }
    // A value check and an axis check, at their own origins.
    ModelBuilder b = co_oxidation();
    b.end_steps();
    try {
        b.set_pressure(given<std::string>("CO2_g", 4, 1, "pressures.CO2_g"),
                       given(-1.0, 4, 9, "pressures.CO2_g"));
        FAIL("a negative pressure was accepted");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()) == "script.py:4:9: pressures.CO2_g: must be >= 0");
    }
    b.set_tof_of(given<std::string>("CO2_g", 1, 20, "model.tof_of"));
    b.end_species();
    AxisInput t;
    t.table = at(20, 5, "sweep.x");
    t.temperature = given(true, 20, 21, "sweep.x.temperature");
    t.from = given(400.0, 20, 30, "sweep.x.from");
    t.to = given(600.0, 20, 40, "sweep.x.to");
    t.points = given(3LL, 20, 50, "sweep.x.points");
    try {
        b.set_sweep(t, std::nullopt, at(19, 1, "sweep"));
        FAIL("a temperature axis on explicit constants was accepted");
    } catch (const InputError& e) {
        CHECK(e.where().line == 20);
        CHECK(e.where().column == 21);
        CHECK(e.key() == "sweep.x.temperature");
        CHECK(e.message().find("every step has explicit kf/kr") != std::string::npos);
    }
}

TEST_CASE("Axis names are parsed once into a kind and a target", "[mechanism][axis]") {
    CHECK(parse_axis_name("p_O2_g")->kind == AxisKind::pressure);
    CHECK(parse_axis_name("p_O2_g")->target == "O2_g");
    CHECK(parse_axis_name("T_K")->kind == AxisKind::temperature);
    CHECK(parse_axis_name("T_K")->target.empty());
    CHECK(parse_axis_name("G_CO-O_2s")->kind == AxisKind::energy);
    CHECK(parse_axis_name("G_CO-O_2s")->target == "CO-O_2s");
    CHECK_FALSE(parse_axis_name("p_"));
    CHECK_FALSE(parse_axis_name("T"));
    CHECK_FALSE(parse_axis_name("none"));
    CHECK_FALSE(parse_axis_name("x_O2_g"));
    for (const AxisKindInfo& info : axis_kinds()) {
        CHECK(&axis_kind_info(info.kind) == &info);  // rows in AxisKind order
        // A descriptor's axis name is the model's own name for it: bind_axis resolves it
        // against the model (descriptors_test), parse_axis_name cannot.
        if (info.kind == AxisKind::none || info.kind == AxisKind::descriptor) continue;
        const std::string name = axis_name(info.kind, info.has_target ? "O2_g" : "");
        CHECK(parse_axis_name(name)->kind == info.kind);
    }
}

TEST_CASE("An axis resolves to the index it changes, or says why the model cannot take it",
          "[mechanism][axis]") {
    ModelBuilder b = co_oxidation();
    b.end_steps();
    const Mechanism& m = b.mechanism();
    AxisRef ref;
    CHECK(resolve_axis(m, AxisKind::pressure, "CO_g", ref).empty());
    CHECK(ref.kind == AxisKind::pressure);
    CHECK(ref.index == m.find_gas("CO_g"));
    CHECK(
        resolve_axis(m, AxisKind::pressure, "N2_g", ref).find("'N2_g' is not a gas of the model") ==
        0);
    CHECK(resolve_axis(m, AxisKind::temperature, "", ref).find("every step has explicit kf/kr") ==
          0);
    CHECK(resolve_axis(m, AxisKind::energy, "CO_s", ref).find("no step takes its rate constants") ==
          0);
    CHECK(resolve_axis(m, AxisKind::energy, "*_s", ref).find("not a species with an energy") !=
          std::string::npos);
    CHECK(axis_value_problem(AxisKind::pressure, -1.0) == "a pressure must be >= 0 bar");
    CHECK(axis_value_problem(AxisKind::temperature, 0.0) == "must be > 0 K");
    CHECK(axis_value_problem(AxisKind::energy, std::nan("")) == "value must be finite");
    CHECK(axis_value_problem(AxisKind::energy, -3.0).empty());
}
