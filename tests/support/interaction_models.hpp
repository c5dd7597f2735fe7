#pragma once
// Small models with [interactions] (DESIGN §11) for the kinetics, steady and mechanism tests.
#include <string>

namespace kinmap::test {

// CO oxidation on one site type with species energies (no thermochemistry: G = G_eV at every
// T), a named transition state for O2 dissociation and for CO oxidation; CO adsorption has
// none (barrier to the higher of IS and FS). `interactions` is the [interactions] table with
// its eps sub-table (or "" for none).
inline std::string co_oxidation_interacting(const std::string& interactions, double temperature_K = 500.0) {
    return "[model]\n"
           "name = \"co-int\"\n"
           "temperature_K = " + std::to_string(temperature_K) + "\n"
           "tof_of = \"CO2_g\"\n"
           "[sites]\n"
           "s = 1.0\n"
           "[pressures]\n"
           "CO2_g = 0.01\n"
           "[species]\n"
           "CO_g = { G_eV = 0.0 }\n"
           "O2_g = { G_eV = 0.0 }\n"
           "CO2_g = { G_eV = -3.0 }\n"
           "CO_s = { G_eV = -1.3 }\n"
           "O_s = { G_eV = -1.0 }\n"
           "\"O-O_2s\" = { G_eV = 0.3 }\n"
           "\"CO-O_2s\" = { G_eV = -1.2 }\n"
           "[[step]]\n"
           "equation = \"CO_g + *_s -> CO_s\"\n"
           "[[step]]\n"
           "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n"
           "[[step]]\n"
           "equation = \"CO_s + O_s <-> CO-O_2s -> CO2_g + 2*_s\"\n"
           "[sweep]\n"
           "x = { pressure = \"O2_g\", from = 1e-3, to = 10.0, points = 5 }\n"
           "y = { pressure = \"CO_g\", from = 1e-3, to = 10.0, points = 5 }\n" +
           interactions;
}

// The usual interactions of the CO-oxidation model above.
inline std::string co_interactions(const std::string& model, const std::string& response,
                                   const std::string& extra = "") {
    return "[interactions]\n"
           "model = \"" + model + "\"\n"
           "response = \"" + response + "\"\n" + extra +
           "[interactions.eps]\n"
           "\"CO_s|CO_s\" = 2.0\n"
           "\"O_s|O_s\" = 2.5\n";
}

// One adsorbate on one site type, A_g + *_s <-> A_s with G_A(θ) = G0 + ε·θ (first order,
// linear response, slope 1): at steady state θ/(1 − θ)·exp(ε·θ/kB·T) = p·exp(−(G0 − G_gas)/kB·T).
// Swept over p_A (log, down to coverages of ~1e-24) and T.
inline std::string one_adsorbate(double g0_eV, double eps_eV) {
    return "[model]\n"
           "name = \"one-adsorbate\"\n"
           "temperature_K = 400.0\n"
           "tof_of = \"A_g\"\n"
           "[sites]\n"
           "s = 1.0\n"
           "[species]\n"
           "A_g = { G_eV = 0.0 }\n"
           "A_s = { G_eV = " + std::to_string(g0_eV) + " }\n"
           "[[step]]\n"
           "equation = \"A_g + *_s <-> A_s\"\n"
           "[sweep]\n"
           "x = { pressure = \"A_g\", from = 1e-33, to = 1e3, points = 13 }\n"
           "y = { temperature = true, from = 300.0, to = 700.0, points = 5, scale = \"linear\" }\n"
           "[interactions]\n"
           "model = \"first_order\"\n"
           "response = \"linear\"\n"
           "[interactions.eps]\n"
           "\"A_s|A_s\" = " + std::to_string(eps_eV) + "\n";
}

}  // namespace kinmap::test
