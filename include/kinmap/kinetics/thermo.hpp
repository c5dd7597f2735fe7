#pragma once
//! \file
//! Free energies of species at a temperature (standard state: gases at p° = 1 bar, so that
//! pressures in bar enter the rate laws).
//!
//! - `G_eV` given: that value, at every temperature.
//! - `E_eV` given, adsorbate or transition state (harmonic model):
//!   G = E + Σ_i [hν_i/2 + kB·T·ln(1 − exp(−hν_i/kB·T))].
//! - `E_eV` given, gas (ideal gas, rigid rotor, harmonic oscillator):
//!   G = E + vibrations as above − kB·T·ln[(2π·m·kB·T/h²)^{3/2}·kB·T/p°] (translation)
//!       − kB·T·ln q_rot − kB·T·ln(spin multiplicity), with q_rot = kB·T/(σ·h·c·B) for a
//!       linear molecule and √π/σ·Π_i (kB·T/(h·c·B_i))^{1/2} for a nonlinear one.
//! Constants: CODATA 2018 (kinmap/core/constants.hpp); atomic masses: IUPAC standard atomic
//! weights (abridged).

#include <string>

#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! Free energy [eV] of `species` at `temperature_K`. Throws InputError (at the species) if it
//! has no energy, or a gas lacks what its ideal-gas free energy needs.
double free_energy_eV(const Species& species, double temperature_K);

//! Standard atomic weight [amu] of an element symbol; 0 if not tabulated.
double atomic_mass_amu(const std::string& element);

//! Mass [amu] of a species: `mass_amu` if given, else the sum of its atomic masses.
double species_mass_amu(const Species& species);

}  // namespace kinmap
