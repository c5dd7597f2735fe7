// The electrode side of a point (DESIGN §12). The reservoir free energies and the potential
// dependence of the rate constants are in rate_constants.cpp, next to the max rule they feed.
#include "kinmap/kinetics/electrochemistry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/rate_constants.hpp"

namespace kinmap {

ElectrodeState electrode_state(const Mechanism& m, const Conditions& c) {
    ElectrodeState state;
    if (!m.electrochemistry) return state;
    state.potential_V = std::isnan(c.potential_V) ? m.electrochemistry->potential_V : c.potential_V;
    state.pH = std::isnan(c.pH) ? m.electrochemistry->pH : c.pH;
    return state;
}

double pH_slope_eV(const Electrochemistry& e, double temperature_K) {
    return e.pH_slope_kT ? constants::kB_eV_per_K * temperature_K * std::log(10.0) : e.pH_slope_eV;
}

double electron_rate(const Mechanism& m, const std::vector<double>& rates) {
    if (!m.electrochemistry) return std::numeric_limits<double>::quiet_NaN();
    double sum = 0.0;
    for (std::size_t j = 0; j < m.steps.size() && j < rates.size(); ++j) {
        if (m.steps[j].electrons != 0) sum += m.steps[j].electrons * rates[j];
    }
    return sum;
}

double current_density_mA_cm2(const Mechanism& m, double electron_rate_per_s) {
    if (!m.electrochemistry || !m.electrochemistry->site_density_per_cm2)
        return std::numeric_limits<double>::quiet_NaN();
    // C/s per cm² = A/cm²; ×1e3 for mA/cm².
    return constants::eV_J * *m.electrochemistry->site_density_per_cm2 * electron_rate_per_s * 1e3;
}

std::vector<LimitingPotential> limiting_potentials(const Mechanism& m) {
    std::vector<LimitingPotential> out;
    if (!m.electrochemistry) return out;
    // ΔG is linear in U (only pe_g and ele_g move, by −U each): its value at U = 0 and its slope.
    const double pH = m.electrochemistry->pH;
    const auto at0 = species_energies(m, m.temperature_K, m.descriptor_defaults(), {0.0, pH});
    const auto at1 = species_energies(m, m.temperature_K, m.descriptor_defaults(), {1.0, pH});
    auto side = [](const std::vector<SpeciesEnergy>& g, const std::vector<StoichTerm>& terms) {
        double sum = 0.0;
        for (const StoichTerm& t : terms) sum += t.coefficient * g[static_cast<std::size_t>(t.species)].G;
        return sum;
    };
    for (std::size_t j = 0; j < m.steps.size(); ++j) {
        const Step& step = m.steps[j];
        if (!step.electrochemical || step.electrons == 0) continue;
        LimitingPotential l;
        l.step = static_cast<int>(j);
        l.dG0_eV = side(at0, step.final) - side(at0, step.initial);
        l.slope_eV_per_V = (side(at1, step.final) - side(at1, step.initial)) - l.dG0_eV;
        l.U_L_V = -l.dG0_eV / l.slope_eV_per_V;
        out.push_back(l);
    }
    return out;
}

PathLimitingPotential path_limiting_potential(const std::vector<LimitingPotential>& steps) {
    PathLimitingPotential p;
    for (const LimitingPotential& l : steps) {
        if (l.slope_eV_per_V > 0.0) p.high_V = p.high_V ? std::min(*p.high_V, l.U_L_V) : l.U_L_V;
        else p.low_V = p.low_V ? std::max(*p.low_V, l.U_L_V) : l.U_L_V;
    }
    return p;
}

}  // namespace kinmap
