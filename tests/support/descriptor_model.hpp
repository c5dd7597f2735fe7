#pragma once
//! \file
//! An inline CO oxidation model in DESIGN §10's form (descriptors E_O and E_CO, the §10
//! scaling coefficients; gas energies and thermochemistry of co_oxidation_pt111.toml), for the
//! descriptor tests. Kept here, not in data/models/, so that it does not change with the
//! shipped volcano model.
#include <string>

namespace kinmap::test {

//! The gases' [species] entries (ideal gas at 1 bar), shared by every variant.
inline const std::string kDescriptorGases =
    "CO_g = { E_eV = 2.74, frequencies_cm = [2170.0], rotational_constants_cm = [1.9313], symmetry = 1 }\n"
    "O2_g = { E_eV = 5.42, frequencies_cm = [1580.0], rotational_constants_cm = [1.4377], symmetry = 2, "
    "spin_multiplicity = 3 }\n"
    "CO2_g = { E_eV = 2.45, frequencies_cm = [1333.0, 2349.0, 667.0, 667.0], rotational_constants_cm = "
    "[0.3902], symmetry = 2 }\n";

//! The model's text up to its [species] table (exclusive): [model], [sites], [pressures] and
//! `descriptors` (the [descriptors] table, or "").
inline std::string descriptor_head(const std::string& descriptors) {
    return "[model]\n"
           "name = \"co-oxidation-descriptors-test\"\n"
           "temperature_K = 500.0\n"
           "tof_of = \"CO2_g\"\n"
           "\n"
           "[sites]\n"
           "s = 1.0\n"
           "\n"
           "[pressures]\n"
           "O2_g = 0.33\n"
           "CO_g = 0.67\n"
           "CO2_g = 0.0\n"
           "\n" +
           descriptors;
}

//! The three steps; `o2_step_extra` is appended inside the O2 step (e.g. a `bep = {...}` line).
inline std::string descriptor_steps(const std::string& o2_step_extra = "") {
    return "[[step]]\n"
           "equation = \"CO_g + *_s -> CO_s\"\n"
           "\n"
           "[[step]]\n"
           "equation = \"O2_g + 2*_s <-> O-O_2s -> 2O_s\"\n" +
           o2_step_extra +
           "\n"
           "[[step]]\n"
           "equation = \"CO_s + O_s <-> O-CO_2s -> CO2_g + 2*_s\"\n";
}

//! DESIGN §10's model: [descriptors] E_O = 1.62, E_CO = 1.70, the §10 [scaling] rows, and a
//! descriptor map (`sweep`, e.g. the [sweep] table; "" for none).
inline std::string descriptor_model(const std::string& sweep = "") {
    return descriptor_head("[descriptors]\nE_O = 1.62\nE_CO = 1.70\n\n") + "[species]\n" +
           kDescriptorGases +
           "\n"
           "[scaling]\n"
           "O_s = { E_O = 1.0 }\n"
           "CO_s = { E_CO = 1.0 }\n"
           "\"O-CO_2s\" = { E_O = 0.674, E_CO = 0.674, const = 1.833 }\n"
           "\"O-O_2s\" = { E_O = 1.432, const = 3.190 }\n"
           "\n" +
           descriptor_steps() + "\n" + sweep;
}

}  // namespace kinmap::test
