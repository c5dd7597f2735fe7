// Issue 15: volcano maps through [scaling] and bep (DESIGN §10) are the same computation as
// the energies set explicitly, bit for bit, and ∂ln TOF/∂descriptor from the analytic rate
// control equals central differences of the solver's own TOF.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "../../support/descriptor_model.hpp"
#include "../../support/sweep_sink.hpp"
#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/record.hpp"
#include "kinmap/sweep/serial_sweep.hpp"

using namespace kinmap;
using namespace kinmap::test;

namespace {

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same_bits(a[i], b[i])) return false;
    }
    return true;
}

// TOF, coverages, rates, status and the status bits of two results are the same doubles.
void require_same(const PointResult& a, const PointResult& b) {
    CHECK(a.status == b.status);
    CHECK(a.stable == b.stable);
    CHECK(same_bits(a.tof, b.tof));
    CHECK(same_bits(a.coverage, b.coverage));
    CHECK(same_bits(a.rates, b.rates));
    CHECK(same_bits(a.residual, b.residual));
    CHECK(a.ode_steps == b.ode_steps);
    CHECK(a.newton_iterations == b.newton_iterations);
}

// The energy of `species` from its scaling row at descriptor values D, in the builder's term
// order (the arithmetic of rate_constants; the test is that nothing else differs).
double scaled(const Species& species, const std::vector<double>& D) {
    double value = species.scaling->constant;
    for (const auto& [d, coefficient] : species.scaling->terms) value += coefficient * D[static_cast<std::size_t>(d)];
    return value;
}

// The model of `scaled_model` without descriptors: every scaled species gets G_eV = its
// scaled energy at D, printed to 17 digits (an exact round trip).
ModelFile explicit_model(const Mechanism& scaled_model, const std::vector<double>& D) {
    std::string species = "[species]\n" + kDescriptorGases;
    for (const Species& sp : scaled_model.species) {
        if (!sp.scaling) continue;
        char line[128];
        std::snprintf(line, sizeof line, "\"%s\" = { G_eV = %.17g }\n", sp.name.c_str(), scaled(sp, D));
        species += line;
    }
    return parse_model(descriptor_head("") + species + "\n" + descriptor_steps(), "explicit.toml");
}

}  // namespace

TEST_CASE("A descriptor map through scaling rows equals bitwise the points with the energies set "
          "explicitly", "[steady][descriptors]") {
    struct Map {
        const char* sweep;
        const char* other;  //!< the other axis's --set name, or ""
    };
    const std::vector<Map> maps = {
        {"[sweep]\nx = { descriptor = \"E_O\", from = -1.0, to = 3.0, points = 7 }\n"
         "y = { descriptor = \"E_CO\", from = -0.5, to = 4.0, points = 6 }\n", ""},
        {"[sweep]\nx = { descriptor = \"E_CO\", from = 0.5, to = 2.5, points = 5 }\n"
         "y = { temperature = true, from = 400.0, to = 700.0, points = 4 }\n", "T_K"},
        {"[sweep]\nx = { pressure = \"O2_g\", from = 1e-3, to = 10.0, points = 5 }\n"
         "y = { descriptor = \"E_O\", from = 0.0, to = 2.5, points = 5 }\n", "p_O2_g"},
    };
    for (const Map& map : maps) {
        const ModelFile model = parse_model(descriptor_model(map.sweep), "scaled.toml");
        const Mechanism& m = model.mechanism;
        const Grid grid = make_grid(model);
        const GridConditions conditions(model, grid);
        // The map as `kinmap run` computes it (the serial sweep's records) ...
        testing::CollectingSink sink;
        run_sweep_serial(model, grid, PointList::all(grid.size()), sink, SweepOptions());
        REQUIRE(static_cast<std::int64_t>(sink.values.size()) == grid.size());
        int ok = 0;
        for (std::int64_t k = 0; k < grid.size(); ++k) {
            const Conditions c = conditions.at(k);
            INFO(map.sweep << "point " << k << ": E_O = " << c.descriptor_eV[0] << ", E_CO = "
                           << c.descriptor_eV[1] << ", T = " << c.temperature_K);
            SteadySolver solver(m, model.solver);
            const PointResult scaled_result = solver.solve(c);
            // ... and one by one from a model with those energies written out.
            const ModelFile plain = explicit_model(m, c.descriptor_eV);
            std::vector<AxisValue> set;
            if (std::string(map.other) == "T_K") set.push_back({"T_K", c.temperature_K});
            if (std::string(map.other) == "p_O2_g") set.push_back({"p_O2_g", c.pressure_bar[static_cast<std::size_t>(m.find_gas("O2_g"))]});
            SteadySolver plain_solver(plain.mechanism, plain.solver);
            const PointResult plain_result = plain_solver.solve(make_conditions(plain, set));
            require_same(scaled_result, plain_result);
            const std::vector<double>& rec = sink.values.at(k);
            CHECK(same_bits(rec[RecordLayout::kTof], plain_result.tof));
            CHECK(rec[RecordLayout::kStatus] == static_cast<double>(static_cast<int>(plain_result.status)));
            CHECK(scaled_result.descriptor_sensitivity.size() == (scaled_result.status == Status::ok ? 2u : 0u));
            CHECK(plain_result.descriptor_sensitivity.empty());
            ok += scaled_result.status == Status::ok;
        }
        CHECK(ok == grid.size());
    }
}

TEST_CASE("A bep step equals bitwise the equivalent scaling row of its transition state",
          "[steady][descriptors]") {
    // O2_g at G_eV = 4.5 and alpha = 1/2, beta = 1: E(TS) = 4.5 + (2 E_O - 4.5)/2 + 1 =
    // E_O + 3.25, exact in binary on a grid of halves, as is the scaling row's 3.25 + 1·E_O.
    const std::string sweep =
        "[sweep]\nx = { descriptor = \"E_O\", from = -1.0, to = 3.0, points = 9 }\n"
        "y = { descriptor = \"E_CO\", from = -0.5, to = 3.5, points = 5 }\n";
    std::string base = descriptor_model(sweep);
    const std::string o2 = "O2_g = { E_eV = 5.42, frequencies_cm = [1580.0], rotational_constants_cm = "
                           "[1.4377], symmetry = 2, spin_multiplicity = 3 }\n";
    base.replace(base.find(o2), o2.size(), "O2_g = { G_eV = 4.5 }\n");
    std::string with_bep = base;
    const std::string row = "\"O-O_2s\" = { E_O = 1.432, const = 3.190 }\n";
    with_bep.replace(with_bep.find(row), row.size(), "");
    const std::string eq = "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n";
    with_bep.replace(with_bep.find(eq), eq.size(), eq + "bep = { alpha = 0.5, beta = 1.0 }\n");
    std::string with_row = base;
    with_row.replace(with_row.find(row), row.size(), "\"O-O_2s\" = { E_O = 1.0, const = 3.25 }\n");

    const ModelFile a = parse_model(with_bep, "bep.toml");
    const ModelFile b = parse_model(with_row, "row.toml");
    REQUIRE(a.mechanism.steps[1].bep);
    const Grid grid = make_grid(a);
    const GridConditions ca(a, grid), cb(b, grid);
    SteadySolver sa(a.mechanism, a.solver), sb(b.mechanism, b.solver);
    for (std::int64_t k = 0; k < grid.size(); ++k) {
        const Conditions c = ca.at(k);
        INFO("E_O = " << c.descriptor_eV[0] << ", E_CO = " << c.descriptor_eV[1]);
        const RateConstants ka = rate_constants(a.mechanism, c), kb = rate_constants(b.mechanism, cb.at(k));
        CHECK(same_bits(ka.kf, kb.kf));
        CHECK(same_bits(ka.kr, kb.kr));
        CHECK(same_bits(ka.dlnkf_dD, kb.dlnkf_dD));
        CHECK(same_bits(ka.dlnkr_dD, kb.dlnkr_dD));
        const PointResult ra = sa.solve(c), rb = sb.solve(cb.at(k));
        require_same(ra, rb);
        CHECK(same_bits(ra.drc, rb.drc));
        CHECK(same_bits(ra.descriptor_sensitivity, rb.descriptor_sensitivity));
    }
}

TEST_CASE("dlnk/dD of rate_constants equals central differences of ln k over the descriptors",
          "[kinetics][descriptors]") {
    // Every top of the max rule: TS above both ends, TS below (E_O low: O-O* under O2_g), and
    // an adsorption step without TS whose top switches between IS and FS.
    std::string text = descriptor_model();
    const std::string eq = "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n";
    const std::string row = "\"O-O_2s\" = { E_O = 1.432, const = 3.190 }\n";
    text.replace(text.find(row), row.size(), "");
    text.replace(text.find(eq), eq.size(), eq + "bep = { alpha = 0.7, beta = 0.3 }\n");
    const ModelFile model = parse_model(text, "m.toml");
    const Mechanism& m = model.mechanism;
    const std::size_t n = m.steps.size();
    for (const std::vector<double>& D : {std::vector<double>{1.62, 1.70}, std::vector<double>{-1.0, 2.5},
                                         std::vector<double>{3.0, -0.5}}) {
        Conditions c = make_conditions(model, {});
        c.descriptor_eV = D;
        const RateConstants k = rate_constants(m, c);
        REQUIRE(k.dlnkf_dD.size() == n * 2);
        for (std::size_t d = 0; d < 2; ++d) {
            const double h = 1e-6;
            Conditions up = c, down = c;
            up.descriptor_eV[d] += h;
            down.descriptor_eV[d] -= h;
            const RateConstants ku = rate_constants(m, up), kd = rate_constants(m, down);
            for (std::size_t j = 0; j < n; ++j) {
                INFO("D = " << D[0] << ", " << D[1] << "; descriptor " << d << ", step " << j + 1);
                const double fd_f = (std::log(ku.kf[j]) - std::log(kd.kf[j])) / (2 * h);
                const double fd_r = (std::log(ku.kr[j]) - std::log(kd.kr[j])) / (2 * h);
                CHECK(k.dlnkf_dD[j + d * n] == Approx(fd_f).margin(1e-5));
                CHECK(k.dlnkr_dD[j + d * n] == Approx(fd_r).margin(1e-5));
            }
        }
    }
    // Without descriptors the derivatives are empty (every shipped model).
    Conditions c;
    c.temperature_K = 500.0;
    c.pressure_bar.assign(3, 1.0);
    const ModelFile plain = parse_model(descriptor_head("") + "[species]\n" + kDescriptorGases +
                                            "CO_s = { G_eV = 1.7 }\nO_s = { G_eV = 1.6 }\n\"O-O_2s\" = { G_eV = 5.5 }\n"
                                            "\"O-CO_2s\" = { G_eV = 4.0 }\n\n" + descriptor_steps(),
                                        "plain.toml");
    const RateConstants kp = rate_constants(plain.mechanism, c);
    CHECK(kp.dlnkf_dD.empty());
    CHECK(kp.dlnkr_dD.empty());
}

TEST_CASE("dlnTOF/dD from the analytic rate control equals central differences of the solver's "
          "TOF down to a poisoned surface", "[steady][descriptors][rate-control]") {
    const ModelFile model = parse_model(descriptor_model(), "m.toml");
    const Mechanism& m = model.mechanism;
    SteadySolver solver(m, model.solver);
    const double kT = constants::kB_eV_per_K * m.temperature_K;
    // A step of 1e-4 in ln k (as the rate-control test takes): 1e-4·kB·T in a descriptor.
    const double h = 1e-4 * kT;
    struct Sample {
        double e_o, e_co;
        bool poisoned;  //!< θ* < 1e-20 expected
    };
    const std::vector<Sample> samples = {
        {1.62, 1.70, false}, {1.0, 1.2, false}, {2.4, 2.2, false}, {-1.0, 1.7, false}, {2.5, -0.5, true}};
    const int free_site = m.surface_position(m.find_species("*_s"));
    for (const Sample& s : samples) {
        INFO("E_O = " << s.e_o << ", E_CO = " << s.e_co);
        Conditions c = make_conditions(model, {{"E_O", s.e_o}, {"E_CO", s.e_co}});
        const PointResult r = solver.solve(c);
        REQUIRE(r.status == Status::ok);
        if (s.poisoned) CHECK(r.coverage[static_cast<std::size_t>(free_site)] < 1e-20);
        REQUIRE(r.descriptor_sensitivity.size() == 2);
        for (std::size_t d = 0; d < 2; ++d) {
            Conditions up = c, down = c;
            up.descriptor_eV[d] += h;
            down.descriptor_eV[d] -= h;
            const PointResult ru = solver.solve(up), rd = solver.solve(down);
            REQUIRE(ru.status == Status::ok);
            REQUIRE(rd.status == Status::ok);
            const double fd = (std::log(ru.tof) - std::log(rd.tof)) / (2.0 * h);
            INFO("descriptor " << m.descriptors[d].name << ": analytic " << r.descriptor_sensitivity[d]
                               << ", central difference " << fd);
            CHECK(r.descriptor_sensitivity[d] == Approx(fd).epsilon(1e-6));
        }
    }
}
