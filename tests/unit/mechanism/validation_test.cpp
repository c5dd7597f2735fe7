// Issue 12.1's validation part, 12.10 and 13.6: every input that `check` used to accept and
// `run` then failed on at a point (or that crashed the TOML parser) is an InputError at read
// time, with the file, line, column and key of the offending text. Uses only parse_model,
// InputError and Axis::values, so it builds against ed53b36 too (where it fails).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "../../support/model_text.hpp"

using namespace kinmap;

using namespace kinmap::test;  // kValid, with_line, require_error

TEST_CASE("Inputs that run used to fail on at a point are located errors at read time",
          "[mechanism][errors][preflight]") {
    SECTION("a temperature axis on a model whose steps all have explicit kf/kr") {
        require_error(with_line(22, "x = { temperature = true, from = 400.0, to = 600.0, points = 3, scale = \"linear\" }"), {22, 21, "sweep.x.temperature"}, "explicit kf/kr");
    }
    SECTION("an energy axis on a model whose steps all have explicit kf/kr") {
        require_error(with_line(23, "y = { energy = \"CO_s\", from = 1.0, to = 2.0, points = 3, scale = \"linear\" }"), {23, 16, "sweep.y.energy"}, "changes nothing");
    }
    SECTION("a log pressure axis whose values overflow (to 1e308)") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 1e308, points = 5 }"), {22, 44, "sweep.x.to"}, "outside the valid range");
    }
    SECTION("a log pressure axis from 1e-300 to 1e300") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-300, to = 1e300, points = 5 }"), {22, 46, "sweep.x.to"}, "outside the valid range");
    }
    SECTION("a negative bound on a log axis") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = -1e-4, to = 10.0, points = 5 }"), {22, 33, "sweep.x.from"}, "log axis");
    }
    SECTION("a zero upper bound on a log axis") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 0.0, points = 5 }"), {22, 44, "sweep.x.to"}, "log axis");
    }
    SECTION("a negative pressure on a linear axis") {
        require_error(with_line(23, "y = { pressure = \"CO_g\", from = -1.0, to = 1.0, points = 3, scale = \"linear\" }"), {23, 33, "sweep.y.from"}, ">= 0");
    }
    SECTION("a temperature axis reaching 0 K") {
        require_error(with_line(22, "x = { temperature = true, from = 0.0, to = 600.0, points = 3, scale = \"linear\" }"), {22, 34, "sweep.x.from"}, "> 0 K");
    }
    SECTION("points < 1") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = -3 }"), {22, 59, "sweep.x.points"}, "between");
    }
    SECTION("from == to with several points") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 0.1, to = 0.1, points = 5 }"), {22, 43, "sweep.x.to"}, "from == to");
    }
    SECTION("points = 1 with a different to") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 0.1, to = 10.0, points = 1 }"), {22, 43, "sweep.x.to"}, "one-point axis");
    }
    SECTION("a NaN bound") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = nan, points = 5 }"), {22, 44, "sweep.x.to"}, "finite");
    }
    SECTION("an infinite bound") {
        require_error(with_line(22, "x = { pressure = \"O2_g\", from = 1e-4, to = inf, points = 5 }"), {22, 44, "sweep.x.to"}, "finite");
    }
    SECTION("a fixed pressure above 1e10 bar") {
        require_error(with_line(8, "CO2_g = 1e20"), {8, 9, "pressures.CO2_g"}, "1e10");
    }

}

TEST_CASE("A one-point axis may omit `to`", "[mechanism][sweep]") {
    const ModelFile model = parse_model(with_line(22, "x = { pressure = \"O2_g\", from = 0.1, points = 1 }"), "m.toml");
    CHECK(model.sweep->x.values() == std::vector<double>{0.1});
    CHECK(model.sweep->x.to == 0.1);
}

TEST_CASE("A [sweep] with only x is a 1-D sweep: y is one point named none", "[mechanism][sweep]") {
    const ModelFile model = parse_model(with_line(23, ""), "m.toml");
    REQUIRE(model.sweep);
    CHECK(model.sweep->y.name() == "none");
    CHECK(model.sweep->y.units() == "1");
    CHECK(model.sweep->y.points == 1);
    CHECK(model.sweep->y.values() == std::vector<double>{0.0});
    require_error(with_line(22, ""), {23, 5, "sweep.x"}, "1-D");  // y alone
}

TEST_CASE("Log grids put exact decades on the grid", "[mechanism][sweep]") {
    // Issue 12.9: 1e-4 .. 10 in 41 points stored 0.09999999999999998 for 0.1.
    Axis a;
    a.kind = AxisKind::pressure;
    a.from = 1e-4;
    a.to = 10.0;
    a.points = 41;
    a.log_scale = true;
    const std::vector<double> v = a.values();
    const std::vector<double> decades = {1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0};
    for (std::size_t k = 0; k < decades.size(); ++k) CHECK(v[8 * k] == decades[k]);
    // 1e-6 .. 10 in 29 points (co_oxidation_pt111): a decade every 4 points.
    a.from = 1e-6;
    a.points = 29;
    const std::vector<double> w = a.values();
    const std::vector<double> decades6 = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0};
    for (std::size_t k = 0; k < decades6.size(); ++k) CHECK(w[4 * k] == decades6[k]);
    // Between decades: 10^(i/8) within rounding, increasing.
    for (std::size_t i = 0; i + 1 < v.size(); ++i) CHECK(v[i] < v[i + 1]);
    CHECK(v[1] == Approx(std::pow(10.0, -4.0 + 1.0 / 8.0)).epsilon(1e-15));
}

TEST_CASE("Deeply nested keys, tables and arrays are refused before the TOML parser recurses",
          "[mechanism][errors]") {
    // Issue 13.6: 50,000 nested dotted keys crashed toml++ (SIGSEGV).
    std::string dotted = "a";
    for (int i = 0; i < 50000; ++i) dotted += ".a";
    require_error(dotted + " = 1\n" + kValid, {1, 1, ""}, "dotted key");
    std::string arrays = "[model]\nx = ";
    for (int i = 0; i < 50000; ++i) arrays += "[";
    require_error(arrays + "\n", {2, 5 + 32, ""}, "nested");
    std::string tables = "x = ";
    for (int i = 0; i < 50000; ++i) tables += "{ a = ";
    require_error(tables + "\n", {1, 5 + 6 * 32, ""}, "nested");
    // Ordinary models, with dotted keys in strings and numbers, still parse.
    CHECK_NOTHROW(parse_model(kValid + "# a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g.h\n", "m.toml"));
}
