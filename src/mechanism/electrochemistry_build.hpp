#pragma once
// The checks of DESIGN §12 that the ModelBuilder runs (private to src/mechanism): the
// [electrochemistry] table, the reserved reservoirs and the electrochemical keys of a step.
// Each throws InputError at the origin of the value it concerns.

#include <string>

#include "kinmap/mechanism/builder.hpp"

namespace kinmap::detail {

//! The validated [electrochemistry] table.
Electrochemistry build_electrochemistry(const ElectrochemistryInput& input);

//! A species just named at `at`: marks a reserved reservoir and checks that the model's
//! [electrochemistry] and its reference allow it.
void mark_reservoir(const Mechanism& mechanism, Species& species, const Origin& at);

//! The electrochemical part of a step (before its other rate keys are read): whether it is
//! electrochemical, its electrons, `beta`, `Ga_echem_eV` and `prefactor_per_s`, and that an
//! electrochemical step takes its rate constants from species energies.
void set_electrochemical_step(const Mechanism& mechanism, Step& step, const StepRatesInput& rates,
                              const std::string& prefix);

//! A `[pressures]` entry for `species` at `at`: an error for a reservoir.
void check_reservoir_pressure(const Species& species, const Origin& at);

//! A `[species]` entry for `species` at `at`: pe_g may give G_eV only; the other reservoirs none.
void check_reservoir_entry(const Species& species, const SpeciesInput& input, const Origin& at);

//! After [species] and [scaling]: H_g needs H2_g and OH_g needs H2O_g, each with an energy.
void end_electrochemistry(const Mechanism& mechanism);

}  // namespace kinmap::detail
