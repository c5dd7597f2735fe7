// Issue 20: electrochemistry with the computational hydrogen electrode (DESIGN §12). Reservoir
// and transition-state free energies against the §12 formulas, rate constants by hand, the
// per-step β, kf = kr at the equilibrium potential, the Tafel slope, ∂ln TOF/∂U against central
// differences of the solver's own TOF, the electron rate and current density, located errors.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "../../support/model_text.hpp"
#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/electrochemistry.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"

using namespace kinmap;
using namespace kinmap::test;

namespace {

const double kB = constants::kB_eV_per_K;

// Acidic hydrogen evolution on SHE: Volmer (its own β = 0.4), Heyrovsky (the default β = 0.5),
// Tafel (chemical, named transition state). Line numbers are stated where tests edit it.
const std::string kHer =
    "[model]\n"                                           // 1
    "name = \"her\"\n"                                    // 2
    "temperature_K = 300.0\n"                             // 3
    "tof_of = \"H2_g\"\n"                                 // 4
    "[sites]\n"                                           // 5
    "s = 1.0\n"                                           // 6
    "[electrochemistry]\n"                                // 7
    "reference = \"SHE\"\n"                               // 8
    "potential_V = -0.1\n"                                // 9
    "beta = 0.5\n"                                        // 10
    "pH = 3.0\n"                                          // 11
    "pH_slope_eV = \"kT\"\n"                              // 12
    "site_density_per_cm2 = 1.5e15\n"                     // 13
    "[pressures]\n"                                       // 14
    "H2_g = 1.0\n"                                        // 15
    "[species]\n"                                         // 16
    "H2_g = { G_eV = 0.0 }\n"                             // 17
    "H_s = { G_eV = -0.09 }\n"                            // 18
    "\"H-H_2s\" = { G_eV = 0.45 }\n"                      // 19
    "[[step]]\n"                                          // 20
    "equation = \"H_g + ele_g + *_s -> H_s\"\n"           // 21
    "Ga_echem_eV = 0.2\n"                                 // 22
    "beta = 0.4\n"                                        // 23
    "[[step]]\n"                                          // 24
    "equation = \"H_s + H_g + ele_g -> H2_g + *_s\"\n"    // 25
    "Ga_echem_eV = 0.6\n"                                 // 26
    "[[step]]\n"                                          // 27
    "equation = \"2H_s <-> H-H_2s -> H2_g + 2*_s\"\n"     // 28
    "[sweep]\n"                                           // 29
    "x = { potential = true, from = -0.4, to = 0.1, points = 3 }\n"  // 30
    "y = { pH = true, from = 0.0, to = 14.0, points = 3 }\n";        // 31

// Oxygen reduction's first step alone on RHE, with a named transition state (line 17).
const std::string kOne =
    "[model]\n"                                           // 1
    "name = \"one\"\n"                                    // 2
    "temperature_K = 298.15\n"                            // 3
    "tof_of = \"O2_g\"\n"                                 // 4
    "[sites]\n"                                           // 5
    "s = 1.0\n"                                           // 6
    "[electrochemistry]\n"                                // 7
    "reference = \"RHE\"\n"                               // 8
    "potential_V = 0.9\n"                                 // 9
    "beta = 0.45\n"                                       // 10
    "[pressures]\n"                                       // 11
    "O2_g = 1.0\n"                                        // 12
    "[species]\n"                                         // 13
    "pe_g = { G_eV = 0.1 }\n"                             // 14
    "O2_g = { G_eV = 4.92 }\n"                            // 15
    "OOH_s = { G_eV = 3.92 }\n"                           // 16
    "\"O2-pe_s\" = { G_eV = 4.7 }\n"                      // 17
    "[[step]]\n"                                          // 18
    "equation = \"O2_g + pe_g + *_s <-> O2-pe_s -> OOH_s\"\n"  // 19
    "prefactor_per_s = 1e9\n";                            // 20

std::string edit(const std::string& text, int line, const std::string& replacement) {
    std::string out;
    int n = 1;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        out += n == line ? replacement : text.substr(start, end - start);
        out += '\n';
        start = end + 1;
        ++n;
    }
    return out;
}

void expect_error(const std::string& text, int line, int column, const std::string& key,
                  const std::string& fragment) {
    try {
        parse_model(text, "m.toml");
        FAIL("no InputError, expected one at " << line << ":" << column << " " << key);
    } catch (const InputError& e) {
        INFO(e.what());
        CHECK(e.where().line == line);
        CHECK(e.where().column == column);
        CHECK(e.key() == key);
        CHECK(std::string(e.what()).find(fragment) != std::string::npos);
    }
}

double G_of(const ModelFile& model, const std::vector<SpeciesEnergy>& g, const char* name) {
    return g[static_cast<std::size_t>(model.mechanism.find_species(name))].G;
}

}  // namespace

TEST_CASE("reservoir free energies follow DESIGN 12 at sample U and pH", "[electrochemistry]") {
    const ModelFile her = parse_model(kHer, "her.toml");
    const Mechanism& m = her.mechanism;
    for (const double T : {300.0, 350.0}) {
        for (const ElectrodeState& e : {ElectrodeState{-0.3, 0.0}, ElectrodeState{0.25, 7.0}, ElectrodeState{-1.0, 13.0}}) {
            const auto g = species_energies(m, T, {}, e);
            const double slope = kB * T * std::log(10.0);  // pH_slope_eV = "kT"
            CHECK(G_of(her, g, "ele_g") == Approx(-e.potential_V).margin(1e-15));
            CHECK(G_of(her, g, "H_g") == Approx(0.5 * 0.0 - slope * e.pH).margin(1e-14));
        }
    }
    // A numeric slope and OH_g = G(H2O_g) − G(H_g) in an alkaline Volmer step.
    // Edited from the bottom up, so that the line numbers above each edit stay those of kHer.
    std::string alkaline = edit(kHer, 25, "equation = \"H_s + H2O_g + ele_g -> H2_g + OH_g + *_s\"");
    alkaline = edit(alkaline, 21, "equation = \"H2O_g + ele_g + *_s -> H_s + OH_g\"");
    alkaline = edit(alkaline, 17, "H2_g = { G_eV = 0.0 }\nH2O_g = { G_eV = -0.7 }");
    alkaline = edit(alkaline, 15, "H2_g = 1.0\nH2O_g = 1.0");
    alkaline = edit(alkaline, 12, "pH_slope_eV = 0.0592");
    const ModelFile alk = parse_model(alkaline, "alk.toml");
    const auto g = species_energies(alk.mechanism, 300.0, {}, ElectrodeState{-0.8, 12.5});
    CHECK(alk.mechanism.find_species("H_g") < 0);  // OH_g needs no H_g species of its own
    CHECK(G_of(alk, g, "OH_g") == Approx(-0.7 + 0.0592 * 12.5).margin(1e-14));
    CHECK(G_of(alk, g, "ele_g") == Approx(0.8).margin(1e-15));
    // pe_g on RHE: G = G_eV − U.
    const ModelFile one = parse_model(kOne, "one.toml");
    const auto gp = species_energies(one.mechanism, 298.15, {}, ElectrodeState{0.7, 0.0});
    CHECK(G_of(one, gp, "pe_g") == Approx(0.1 - 0.7).margin(1e-15));
}

TEST_CASE("electrochemical kf and kr equal hand-computed values (Ga_echem_eV, named TS, prefactor)",
          "[electrochemistry]") {
    const ModelFile her = parse_model(kHer, "her.toml");
    const Mechanism& m = her.mechanism;
    const double T = 300.0, kT = kB * T, A = kB * T / constants::h_eV_s;
    for (const double U : {-0.5, -0.1, 0.2}) {
        for (const double pH : {0.0, 9.0}) {
            const Conditions c = make_conditions(her, {{"U_V", U}, {"pH", pH}});
            const RateConstants k = rate_constants(m, c);
            const double gH = -kB * T * std::log(10.0) * pH, gE = -U, gHs = -0.09;
            // Volmer: IS H_g + ele_g + *, FS H_s; Ga = 0.2, β = 0.4.
            double is = gH + gE, fs = gHs;
            double ts = std::max({0.2 + 0.4 * fs + 0.6 * is, is, fs});
            CHECK(k.kf[0] == Approx(A * std::exp(-(ts - is) / kT)).epsilon(1e-12));
            CHECK(k.kr[0] == Approx(A * std::exp(-(ts - fs) / kT)).epsilon(1e-12));
            // Heyrovsky: IS H_s + H_g + ele_g, FS H2_g + *; Ga = 0.6, β = 0.5 (the default).
            is = gHs + gH + gE;
            fs = 0.0;
            ts = std::max({0.6 + 0.5 * fs + 0.5 * is, is, fs});
            CHECK(k.kf[1] == Approx(A * std::exp(-(ts - is) / kT)).epsilon(1e-12));
            CHECK(k.kr[1] == Approx(A * std::exp(-(ts - fs) / kT)).epsilon(1e-12));
            // Tafel is chemical: no potential or pH in it.
            CHECK(k.kf[2] == Approx(A * std::exp(-(0.45 + 0.18) / kT)).epsilon(1e-12));
            CHECK(k.dlnkf_dU[2] == 0.0);
        }
    }
    // A named transition state: G_TS(U) = G_TS − (1 − β)·U; prefactor_per_s replaces kB·T/h.
    const ModelFile one = parse_model(kOne, "one.toml");
    const double T1 = 298.15, kT1 = kB * T1;
    for (const double U : {0.3, 0.9, 1.2}) {
        const RateConstants k = rate_constants(one.mechanism, make_conditions(one, {{"U_V", U}}));
        const double is = 4.92 + 0.1 - U, fs = 3.92, ts = std::max({4.7 - 0.55 * U, is, fs});
        CHECK(k.kf[0] == Approx(1e9 * std::exp(-(ts - is) / kT1)).epsilon(1e-12));
        CHECK(k.kr[0] == Approx(1e9 * std::exp(-(ts - fs) / kT1)).epsilon(1e-12));
    }
}

TEST_CASE("a step's own beta changes only that step", "[electrochemistry]") {
    const ModelFile a = parse_model(kHer, "a.toml");
    const ModelFile b = parse_model(edit(kHer, 23, "beta = 0.7"), "b.toml");
    const ModelFile c = parse_model(edit(kHer, 23, ""), "c.toml");  // Volmer takes the default
    for (const double U : {-0.3, 0.0}) {
        const RateConstants ka = rate_constants(a.mechanism, make_conditions(a, {{"U_V", U}}));
        const RateConstants kb = rate_constants(b.mechanism, make_conditions(b, {{"U_V", U}}));
        const RateConstants kc = rate_constants(c.mechanism, make_conditions(c, {{"U_V", U}}));
        CHECK(ka.kf[0] != kb.kf[0]);
        CHECK(ka.kf[0] != kc.kf[0]);
        for (std::size_t j = 1; j < 3; ++j) {
            CHECK(std::memcmp(&ka.kf[j], &kb.kf[j], sizeof(double)) == 0);
            CHECK(std::memcmp(&ka.kr[j], &kb.kr[j], sizeof(double)) == 0);
            CHECK(std::memcmp(&ka.kf[j], &kc.kf[j], sizeof(double)) == 0);
            CHECK(std::memcmp(&ka.dlnkf_dU[j], &kb.dlnkf_dU[j], sizeof(double)) == 0);
        }
    }
}

TEST_CASE("at the equilibrium potential of a one-step model kf = kr", "[electrochemistry]") {
    const ModelFile one = parse_model(kOne, "one.toml");
    const auto limits = limiting_potentials(one.mechanism);
    REQUIRE(limits.size() == 1);
    // ΔG(U) = 3.92 − (4.92 + 0.1 − U): zero at U = 1.1 V, slope +1 (a reduction).
    CHECK(limits[0].U_L_V == Approx(1.1).epsilon(1e-12));
    CHECK(limits[0].slope_eV_per_V == Approx(1.0).epsilon(1e-12));
    const RateConstants k = rate_constants(one.mechanism, make_conditions(one, {{"U_V", limits[0].U_L_V}}));
    CHECK(k.kf[0] == Approx(k.kr[0]).epsilon(1e-12));
    const PathLimitingPotential path = path_limiting_potential(limits);
    REQUIRE(path.high_V);
    CHECK_FALSE(path.low_V);
    CHECK(*path.high_V == limits[0].U_L_V);
}

TEST_CASE("Tafel slope: d log10 kf/dU = -beta/(kB T ln 10) for a reduction whose TS is on top",
          "[electrochemistry]") {
    const ModelFile her = parse_model(kHer, "her.toml");
    const double T = 300.0;
    const double h = 1e-3;  // log10 kf is linear in U while the TS stays on top: no truncation error
    for (const double U : {-0.15, -0.1, -0.05}) {
        auto log10_kf = [&](double u, std::size_t j) {
            return std::log10(rate_constants(her.mechanism, make_conditions(her, {{"U_V", u}})).kf[j]);
        };
        for (const auto& [j, beta] : {std::pair<std::size_t, double>{0, 0.4}, {1, 0.5}}) {
            const double slope = (log10_kf(U + h, j) - log10_kf(U - h, j)) / (2.0 * h);
            const double expected = -beta / (kB * T * std::log(10.0));
            INFO("step " << j + 1 << " at U = " << U << ": " << slope << " vs " << expected);
            CHECK(std::abs(slope - expected) <= 1e-9 * std::abs(expected));
            const RateConstants k = rate_constants(her.mechanism, make_conditions(her, {{"U_V", U}}));
            CHECK(std::abs(k.dlnkf_dU[j] / std::log(10.0) - expected) <= 1e-12 * std::abs(expected));
        }
    }
}

TEST_CASE("dlnTOF/dU from the analytic rate control equals central differences of the solver's TOF",
          "[electrochemistry][rate-control]") {
    const ModelFile her = parse_model(kHer, "her.toml");
    const Mechanism& m = her.mechanism;
    SteadySolver solver(m, her.solver);
    const double h = 1e-4 * kB * 300.0;
    for (const auto& [U, pH] : {std::pair<double, double>{-0.3, 0.0}, {-0.2, 3.0}, {-0.6, 7.0}, {-0.1, 1.0}}) {
        INFO("U = " << U << ", pH = " << pH);
        const Conditions c = make_conditions(her, {{"U_V", U}, {"pH", pH}});
        const PointResult r = solver.solve(c);
        REQUIRE(r.status == Status::ok);
        REQUIRE(r.tof > 0.0);
        Conditions up = c, down = c;
        up.potential_V += h;
        down.potential_V -= h;
        const PointResult ru = solver.solve(up), rd = solver.solve(down);
        REQUIRE(ru.status == Status::ok);
        REQUIRE(rd.status == Status::ok);
        const double fd = (std::log(ru.tof) - std::log(rd.tof)) / (2.0 * h);
        INFO("analytic " << r.potential_sensitivity << ", central difference " << fd);
        CHECK(r.potential_sensitivity == Approx(fd).epsilon(1e-6));
        // Two electrons per H2: the electron rate is twice the TOF; the current density e·Γ·it.
        double electrons = 0.0;
        for (std::size_t j = 0; j < m.steps.size(); ++j) electrons += m.steps[j].electrons * r.rates[j];
        CHECK(r.electron_rate == electrons);
        CHECK(r.electron_rate == Approx(2.0 * r.tof).epsilon(1e-6));
        CHECK(r.current_density_mA_cm2 == Approx(constants::eV_J * 1.5e15 * r.electron_rate * 1e3).epsilon(1e-14));
    }
    // Without a site density there is no current density; without [electrochemistry] none of it.
    const ModelFile bare = parse_model(edit(kHer, 13, ""), "bare.toml");
    SteadySolver bare_solver(bare.mechanism, bare.solver);
    const PointResult rb = bare_solver.solve(make_conditions(bare, {}));
    REQUIRE(rb.status == Status::ok);
    CHECK(std::isfinite(rb.electron_rate));
    CHECK(std::isnan(rb.current_density_mA_cm2));
}

TEST_CASE("electrochemistry input errors are located at the key", "[electrochemistry][errors]") {
    expect_error(edit(kHer, 15, "H2_g = 1.0\nH_g = 1.0"), 16, 1, "pressures.H_g", "reserved reservoir");
    expect_error(edit(edit(edit(kHer, 8, "reference = \"RHE\""), 11, "#"), 12, "#"), 21, 12, "step[1].equation",
                 "needs reference = \"SHE\"");
    expect_error(edit(kHer, 8, "reference = \"NHE\""), 8, 13, "electrochemistry.reference", "unknown reference");
    expect_error(edit(kHer, 10, "beta = 1.5"), 10, 8, "electrochemistry.beta", "[0, 1]");
    expect_error(edit(kHer, 23, "beta = -0.1"), 23, 8, "step[1].beta", "[0, 1]");
    expect_error(edit(kHer, 23, "kf = 1.0"), 23, 6, "step[1].kf", "species energies");
    expect_error(edit(kHer, 28, "equation = \"2H_s <-> H-H_2s -> H2_g + 2*_s\"\nbeta = 0.3"), 29, 8,
                 "step[3].beta", "electrochemical steps only");
    expect_error(edit(kHer, 7, "[electrochemistry_off]"), 7, 2, "electrochemistry_off", "unknown key");
    expect_error(edit(edit(kOne, 8, "reference = \"SHE\""), 9, "potential_V = 0.9\npH = 2"), 20, 12,
                 "step[1].equation", "needs reference = \"RHE\"");
    expect_error(edit(kOne, 9, "potential_V = 0.9\npH = 2"), 10, 6, "electrochemistry.pH", "SHE");
    expect_error(edit(kOne, 14, "pe_g = { G_eV = 0.1, E_eV = 0.0 }"), 14, 29, "species.pe_g.E_eV", "G_eV only");
    expect_error(edit(kHer, 26, "Ga_echem_eV = 0.6\nprefactor_per_s = -1.0"), 27, 19, "step[2].prefactor_per_s", "> 0");
    expect_error(edit(kHer, 26, "Ga_echem_eV = -0.2"), 26, 15, "step[2].Ga_echem_eV", ">= 0");
    // A reservoir without [electrochemistry] (lines 7-13 gone: the step moves up by 7 lines).
    std::string none = kHer;
    for (int line = 7; line <= 13; ++line) none = edit(none, line, "#");
    expect_error(none, 21, 12, "step[1].equation", "needs an [electrochemistry] table");
    // Axes: pH on RHE, U_V without [electrochemistry], --set of a reservoir pressure.
    expect_error(kOne + "[sweep]\nx = { pH = true, from = 0.0, to = 1.0, points = 2 }\n", 22, 12, "sweep.x.pH",
                 "only on the SHE scale");
    const ModelFile co = parse_model(kValid, "co.toml");
    CHECK_THROWS_WITH(bind_axis(co.mechanism, "U_V", {"c", 1, 1}, "U_V"),
                      Catch::Contains("no [electrochemistry]"));
    const ModelFile one = parse_model(kOne, "one.toml");
    CHECK_THROWS_WITH(bind_axis(one.mechanism, "p_pe_g", {"c", 1, 1}, "p_pe_g"), Catch::Contains("reserved reservoir"));
    CHECK_THROWS_WITH(bind_axis(one.mechanism, "G_pe_g", {"c", 1, 1}, "G_pe_g"), Catch::Contains("set U_V or pH"));
}

TEST_CASE("pe and ele fragments balance CatMAP transition-state names", "[electrochemistry]") {
    const ModelFile one = parse_model(kOne, "one.toml");
    const Species& ts = one.mechanism.species[static_cast<std::size_t>(one.mechanism.find_species("O2-pe_s"))];
    CHECK(ts.elements == std::map<std::string, int>{{"H", 1}, {"O", 2}});
    const Species& ele = one.mechanism.species[static_cast<std::size_t>(one.mechanism.find_species("pe_g"))];
    CHECK(ele.elements == std::map<std::string, int>{{"H", 1}});
    CHECK(one.mechanism.steps[0].electrons == 1);
    CHECK(one.mechanism.steps[0].electrochemical);
}
