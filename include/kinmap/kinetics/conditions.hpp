#pragma once
//! \file
//! The conditions of one point: temperature and gas partial pressures.

#include <string>
#include <utility>
#include <vector>

#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! Conditions of one point of a map.
struct Conditions {
    double temperature_K = 0.0;         //!< [K]
    std::vector<double> pressure_bar;   //!< per entry of Mechanism::gases [bar]
    //! Free energies set by `G_<species>` axes: (species index, G [eV]); they replace the
    //! species' own free energy at every temperature.
    std::vector<std::pair<int, double>> energy_eV;
};

//! An assignment `AXIS=VALUE` as given to `--set` (e.g. {"p_O2_g", 0.1}).
using AxisValue = std::pair<std::string, double>;

//! The model's own conditions with `overrides` applied in order. Axis names: `p_<gas>` [bar]
//! (any gas of the model, swept or not). Throws InputError (key = the axis or gas name) for an
//! unknown axis, a negative or non-finite value, or a gas left without any pressure.
Conditions make_conditions(const Mechanism& mechanism, const std::vector<AxisValue>& overrides);

//! Set the quantity named by axis `name` to `value` in `conditions`; the same checks as
//! make_conditions except the completeness check. `G_<species>` sets a free energy [eV].
void apply_axis_value(const Mechanism& mechanism, const std::string& name, double value,
                      Conditions& conditions);

}  // namespace kinmap
