#pragma once
//! \file
//! Physical constants, CODATA 2018 exact SI values where the SI defines them.

namespace kinmap::constants {

//! Boltzmann constant [eV/K] (exact: 1.380649e-23 J/K / 1.602176634e-19 J/eV).
inline constexpr double kB_eV_per_K = 8.617333262145179e-05;
//! Boltzmann constant [J/K] (exact).
inline constexpr double kB_J_per_K = 1.380649e-23;
//! Planck constant [J s] (exact).
inline constexpr double h_J_s = 6.62607015e-34;
//! Planck constant [eV s].
inline constexpr double h_eV_s = 4.135667696923859e-15;
//! Elementary charge [C] = J per eV (exact).
inline constexpr double eV_J = 1.602176634e-19;
//! Atomic mass constant [kg] (CODATA 2018).
inline constexpr double amu_kg = 1.66053906660e-27;
//! Avogadro constant [1/mol] (exact).
inline constexpr double NA_per_mol = 6.02214076e23;
//! One bar [Pa].
inline constexpr double bar_Pa = 1.0e5;

}  // namespace kinmap::constants
