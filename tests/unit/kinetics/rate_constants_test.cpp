// Rate constants from energies against values computed by hand here, from CODATA 2018 exact
// constants typed in this file (not kinmap's), within 1e-12 relative.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>
#include <string>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/kinetics/thermo.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;

namespace {

constexpr long double kB = 1.380649e-23L;          // J/K
constexpr long double h = 6.62607015e-34L;         // J s
constexpr long double e = 1.602176634e-19L;        // J/eV
constexpr long double amu = 1.66053906660e-27L;    // kg
constexpr long double c_cm = 2.99792458e10L;       // cm/s
constexpr long double pi = 3.141592653589793238L;

constexpr const char* kModel = R"(
[model]
name = "energies"
temperature_K = 550.0
tof_of = "CO2_g"

[sites]
s = 1.0

[pressures]
CO_g = 0.1
O2_g = 0.2
CO2_g = 0.0

[species]
CO_g = { E_eV = 2.74, frequencies_cm = [2170.0], rotational_constants_cm = [1.9313] }
O2_g = { G_eV = 4.5 }
CO2_g = { G_eV = 1.2 }
CO_s = { G_eV = 1.70 }
O_s = { G_eV = 1.62 }
O-CO_2s = { G_eV = 4.04 }

[[step]]
equation = "CO_g + *_s -> CO_s"
site_area_m2 = 7.0e-20
sticking = 0.5
dG_eV = -0.9

[[step]]
equation = "O2_g + 2*_s -> 2O_s"
Ga_eV = 0.8
dG_eV = -0.3

[[step]]
equation = "CO_s + O_s <-> O-CO_2s -> CO2_g + 2*_s"
)";

// G(CO_g) of kModel [eV] by hand: ideal gas, rigid rotor (B = 1.9313 1/cm, σ = 1), one
// harmonic mode of 2170 1/cm, E = 2.74 eV, p° = 1 bar.
long double g_co_by_hand(long double T) {
    const long double kT = kB * T;
    const long double mass = (12.011L + 15.999L) * amu;
    const long double q_trans_per_volume = std::pow(2.0L * pi * mass * kT / (h * h), 1.5L);
    const long double g_trans = -kT * std::log(q_trans_per_volume * kT / 1e5L);
    const long double q_rot = kT / (h * c_cm * 1.9313L);
    const long double hv = h * c_cm * 2170.0L;
    const long double g_vib = hv / 2 + kT * std::log(1.0L - std::exp(-hv / kT));
    return 2.74L + (g_trans - kT * std::log(q_rot) + g_vib) / e;
}

}  // namespace

TEST_CASE("Rate constants from step and species energies equal hand-computed values",
          "[kinetics][energies]") {
    const ModelFile model = parse_model(kModel, "energies.toml");
    const Mechanism& m = model.mechanism;
    const Conditions c = make_conditions(model, {});
    const RateConstants k = rate_constants(m, c);
    const long double T = 550.0L;
    const long double kT_eV = kB * T / e;
    const long double prefactor = kB * T / h;

    // Collision theory: s·A·p°/sqrt(2π m kB T), p° = 1e5 Pa, m(CO) = 12.011 + 15.999 amu.
    const long double m_co = (12.011L + 15.999L) * amu;
    const long double kf1 = 0.5L * 7.0e-20L * 1e5L / std::sqrt(2.0L * pi * m_co * kB * T);
    CHECK(k.kf[0] == Approx(static_cast<double>(kf1)).epsilon(1e-12));
    // Every species of steps 1 and 2 has an energy: ΔG = G(FS) − G(IS) from them (issue 12.8),
    // not the contradicting dG_eV = -0.9 and -0.3 of the file.
    const long double dG1 = 1.70L - g_co_by_hand(T);
    CHECK(k.kr[0] == Approx(static_cast<double>(kf1 * std::exp(dG1 / kT_eV))).epsilon(1e-12));

    // Transition-state theory with a step barrier; reverse from K = exp(−ΔG/kB·T),
    // ΔG = 2·1.62 − 4.5 eV from the species.
    const long double kf2 = prefactor * std::exp(-0.8L / kT_eV);
    CHECK(k.kf[1] == Approx(static_cast<double>(kf2)).epsilon(1e-12));
    CHECK(k.kr[1] == Approx(static_cast<double>(kf2 * std::exp(-1.26L / kT_eV))).epsilon(1e-12));

    // Species energies: G(IS) = 1.70 + 1.62, G(TS) = 4.04, G(FS) = 1.2 (+ 0 for free sites).
    CHECK(k.kf[2] == Approx(static_cast<double>(prefactor * std::exp(-(4.04L - 3.32L) / kT_eV))).epsilon(1e-12));
    CHECK(k.kr[2] == Approx(static_cast<double>(prefactor * std::exp(-(4.04L - 1.2L) / kT_eV))).epsilon(1e-12));

    // ∂ln kf/∂T of TST: 1/T + Ga/(kB·T²).
    CHECK(k.dlnkf_dT[1] == Approx(static_cast<double>(1.0L / T + 0.8L / (kT_eV * T))).epsilon(1e-8));
}

TEST_CASE("The barrier of a species-energy step is measured to the highest of IS, TS and FS",
          "[kinetics][energies]") {
    ModelFile model = parse_model(kModel, "energies.toml");
    Mechanism& m = model.mechanism;
    // Push the transition state below the initial state: the step becomes barrierless forward.
    m.species[static_cast<std::size_t>(m.find_species("O-CO_2s"))].G_eV = 3.0;
    const RateConstants k = rate_constants(m, make_conditions(model, {}));
    const long double T = 550.0L;
    const long double prefactor = kB * T / h;
    CHECK(k.kf[2] == Approx(static_cast<double>(prefactor)).epsilon(1e-12));
    CHECK(k.kr[2] == Approx(static_cast<double>(prefactor * std::exp(-(3.32L - 1.2L) / (kB * T / e)))).epsilon(1e-12));
}

TEST_CASE("The ideal-gas free energy of CO equals the hand-computed one", "[kinetics][energies]") {
    const ModelFile model = parse_model(kModel, "energies.toml");
    const Mechanism& m = model.mechanism;
    const Species& co = m.species[static_cast<std::size_t>(m.find_species("CO_g"))];
    for (long double T : {300.0L, 600.0L, 1000.0L}) {
        const long double g = g_co_by_hand(T);
        CHECK(free_energy_eV(co, static_cast<double>(T)) == Approx(static_cast<double>(g)).epsilon(1e-12));
    }
}

TEST_CASE("Energy and temperature axes change the constants; explicit models refuse them",
          "[kinetics][energies]") {
    const ModelFile model = parse_model(kModel, "energies.toml");
    const Mechanism& m = model.mechanism;
    const RateConstants base = rate_constants(m, make_conditions(model, {}));
    const RateConstants shifted = rate_constants(m, make_conditions(model, {{"G_CO_s", 1.80}}));
    const long double kT_eV = kB * 550.0L / e;
    // CO_s 0.1 eV higher: step 3's forward barrier (to the fixed TS) is 0.1 eV lower.
    CHECK(shifted.kf[2] / base.kf[2] == Approx(static_cast<double>(std::exp(0.1L / kT_eV))).epsilon(1e-12));
    CHECK(shifted.kr[2] == base.kr[2]);
    const RateConstants hot = rate_constants(m, make_conditions(model, {{"T_K", 700.0}}));
    CHECK(hot.kf[1] > base.kf[1]);

    const ModelFile explicit_model_file = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    const Mechanism& explicit_model = explicit_model_file.mechanism;
    CHECK_THROWS_AS(make_conditions(explicit_model_file, {{"p_O2_g", 1.0}, {"p_CO_g", 1.0}, {"T_K", 600.0}}),
                    InputError);
    // Conditions filled by hand are guarded too.
    Conditions c = make_conditions(explicit_model_file, {{"p_O2_g", 1.0}, {"p_CO_g", 1.0}});
    c.temperature_K = 600.0;
    CHECK_THROWS_AS(rate_constants(explicit_model, c), InputError);
    CHECK_THROWS_AS(make_conditions(explicit_model_file, {{"G_CO_g2", 1.0}}), InputError);
}

TEST_CASE("Collision theory combines with species energies; contradicting dG_eV is a located warning",
          "[kinetics][energies]") {
    // Issue 12.8: without dG_eV, a collision-theory step was refused ("dG_eV: missing").
    std::string text = kModel;
    const std::string dg1 = "dG_eV = -0.9\n";
    text.erase(text.find(dg1), dg1.size());
    const ModelFile model = parse_model(text, "energies.toml");
    const Mechanism& m = model.mechanism;
    REQUIRE(m.steps[0].dG_from_species);
    const RateConstants k = rate_constants(m, make_conditions(model, {}));
    const long double T = 550.0L;
    const long double kT_eV = kB * T / e;
    const long double m_co = (12.011L + 15.999L) * amu;
    const long double kf1 = 0.5L * 7.0e-20L * 1e5L / std::sqrt(2.0L * pi * m_co * kB * T);
    CHECK(k.kf[0] == Approx(static_cast<double>(kf1)).epsilon(1e-12));
    CHECK(k.kr[0] == Approx(static_cast<double>(kf1 * std::exp((1.70L - g_co_by_hand(T)) / kT_eV))).epsilon(1e-12));

    // The file as written: both dG_eV contradict the species; one warning each, at the value.
    const std::vector<Warning> w = model_warnings(parse_model(kModel, "energies.toml"));
    REQUIRE(w.size() == 2);
    CHECK(w[0].key == "step[1].dG_eV");
    CHECK(w[0].where.line == 27);
    CHECK(w[0].where.column == 9);
    CHECK(w[0].message.find("contradicts the species energies") != std::string::npos);
    CHECK(w[1].key == "step[2].dG_eV");
    CHECK(w[1].where.line == 32);
    CHECK(w[1].where.column == 9);
    CHECK(w[1].message.find("-1.26") != std::string::npos);
}

TEST_CASE("A ThermoCache gives the constants computed without it, bit for bit, at every temperature",
          "[kinetics][energies]") {
    // The syngas model: adsorbates with frequencies and gases with rotations. Six
    // temperatures, revisited in an order that overflows the cache's 4 slots (each T needs T
    // and T ± 1e-3 K), with and without a G_ override (which bypasses the cache).
    const ModelFile model = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/syngas_rh111.toml");
    const Mechanism& m = model.mechanism;
    ThermoCache cache;
    auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
        return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
    };
    for (double T : {500.0, 550.0, 500.0, 600.0, 650.0, 700.0, 750.0, 500.0, 750.0}) {
        for (double shift : {0.0, 0.05}) {
            std::vector<std::pair<std::string, double>> set = {{"T_K", T}, {"p_CO_g", 1.0}};
            if (shift != 0.0) set.push_back({"G_CO_s", -1.5 + shift});
            const Conditions c = make_conditions(model, set);
            const RateConstants plain = rate_constants(m, c);
            const RateConstants cached = rate_constants(m, c, &cache);
            INFO("T = " << T << ", shift " << shift);
            CHECK(same(plain.kf, cached.kf));
            CHECK(same(plain.kr, cached.kr));
            CHECK(same(plain.dlnkf_dT, cached.dlnkf_dT));
            CHECK(same(plain.dlnkr_dT, cached.dlnkr_dT));
        }
    }
    // A cache belongs to one mechanism.
    const ModelFile other = parse_model(kModel, "energies.toml");
    CHECK_THROWS_AS(rate_constants(other.mechanism, make_conditions(other, {}), &cache), std::logic_error);
}
