#pragma once
//! \file
//! The electrode side of a point (DESIGN §12): its potential and pH, the electron flow through
//! the steps, the current density, and the limiting potentials `kinmap check` prints.

#include <optional>
#include <vector>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! The electrode potential U [V on the model's reference scale] and pH of a point.
struct ElectrodeState {
    double potential_V = 0.0;
    double pH = 0.0;
};

//! The electrode state of `conditions`: its U and pH, or the [electrochemistry] defaults where
//! they are NaN (all 0 without [electrochemistry]).
ElectrodeState electrode_state(const Mechanism& mechanism, const Conditions& conditions);

//! The free-energy shift of H⁺ per pH unit at `temperature_K` [eV]: pH_slope_eV, or
//! kB·T·ln 10 for "kT".
double pH_slope_eV(const Electrochemistry& electrochemistry, double temperature_K);

//! Net consumption of pe_g or ele_g per site per second: Σ_j electrons_j · rates_j [1/s]
//! (positive: a net reduction). NaN without [electrochemistry].
double electron_rate(const Mechanism& mechanism, const std::vector<double>& net_rates_per_s);

//! Current density e·Γ·electron_rate [mA/cm²] with Γ = site_density_per_cm2 (positive for a
//! net reduction, the sign of electron_rate); NaN without a site density.
double current_density_mA_cm2(const Mechanism& mechanism, double electron_rate_per_s);

//! The limiting potential of one electrochemical step: ΔG(U) = ΔG(0) + slope·U crosses zero at
//! U_L = −ΔG(0)/slope (slope = electrons consumed: > 0 for a reduction as written).
struct LimitingPotential {
    int step = -1;            //!< index into Mechanism::steps
    double dG0_eV = 0.0;      //!< ΔG at U = 0 [eV] (model temperature, pH and descriptors)
    double slope_eV_per_V = 0.0;
    double U_L_V = 0.0;       //!< U where ΔG = 0 [V vs the reference]
};

//! Every electrochemical step's limiting potential at the model temperature, default pH and
//! descriptors, in step order (an empty list without [electrochemistry]).
std::vector<LimitingPotential> limiting_potentials(const Mechanism& mechanism);

//! The thermodynamic limiting potential of the path as written: the range of U in which every
//! electrochemical step is downhill (ΔG ≤ 0): reductions need U ≤ their U_L, oxidations
//! U ≥ theirs. `low`/`high` unset where no step bounds that side; empty when `low > high`.
struct PathLimitingPotential {
    std::optional<double> low_V, high_V;
};
PathLimitingPotential path_limiting_potential(const std::vector<LimitingPotential>& steps);

}  // namespace kinmap
