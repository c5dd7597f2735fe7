#include "kinmap/kinetics/thermo.hpp"

#include <cmath>
#include <map>

#include "kinmap/core/constants.hpp"

namespace kinmap {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kSpeedOfLight_cm_s = 2.99792458e10;  // exact

// Harmonic vibrational free energy incl. zero-point energy [eV].
double vibrations_eV(const std::vector<double>& wavenumbers_cm, double T) {
    using namespace constants;
    const double kT = kB_eV_per_K * T;
    double g = 0.0;
    for (double nu : wavenumbers_cm) {
        const double e = h_eV_s * kSpeedOfLight_cm_s * nu;  // hν [eV]
        g += 0.5 * e + kT * std::log1p(-std::exp(-e / kT));
    }
    return g;
}

}  // namespace

double atomic_mass_amu(const std::string& element) {
    static const std::map<std::string, double> masses = {
        {"H", 1.008},   {"He", 4.0026}, {"C", 12.011},  {"N", 14.007},  {"O", 15.999},
        {"F", 18.998},  {"Ne", 20.180}, {"Si", 28.085}, {"P", 30.974},  {"S", 32.06},
        {"Cl", 35.45},  {"Ar", 39.948}, {"Br", 79.904}, {"Kr", 83.798}, {"I", 126.90},
        {"Xe", 131.29}};
    const auto it = masses.find(element);
    return it == masses.end() ? 0.0 : it->second;
}

double species_mass_amu(const Species& species) {
    if (species.mass_amu) return *species.mass_amu;
    double mass = 0.0;
    for (const auto& [element, count] : species.elements) {
        const double m = atomic_mass_amu(element);
        if (m == 0.0) {
            throw InputError(species.where, "species." + species.name + ".mass_amu",
                             "no tabulated mass for element " + element + ": give mass_amu");
        }
        mass += m * count;
    }
    return mass;
}

double free_energy_eV(const Species& species, double T) {
    using namespace constants;
    if (species.kind == SpeciesKind::free_site) return 0.0;
    if (species.G_eV) return *species.G_eV;
    if (!species.E_eV) {
        throw InputError(species.where, "species." + species.name,
                         "no energy: give G_eV or E_eV in [species]");
    }
    double g = *species.E_eV + vibrations_eV(species.frequencies_cm, T);
    if (species.kind != SpeciesKind::gas) return g;

    const double kT_J = kB_J_per_K * T;
    const double kT = kB_eV_per_K * T;
    const double m = species_mass_amu(species) * amu_kg;
    const double lambda_factor = std::pow(2.0 * kPi * m * kT_J / (h_J_s * h_J_s), 1.5);
    g -= kT * std::log(lambda_factor * kT_J / bar_Pa);
    const auto& B = species.rotational_constants_cm;
    const double hc = h_eV_s * kSpeedOfLight_cm_s;  // eV per (1/cm)
    if (B.size() == 1) {
        g -= kT * std::log(kT / (species.symmetry * hc * B[0]));
    } else if (B.size() == 3) {
        g -= kT * std::log(std::sqrt(kPi) / species.symmetry *
                           std::sqrt(kT / (hc * B[0]) * kT / (hc * B[1]) * kT / (hc * B[2])));
    }
    g -= kT * std::log(static_cast<double>(species.spin_multiplicity));
    return g;
}

}  // namespace kinmap
