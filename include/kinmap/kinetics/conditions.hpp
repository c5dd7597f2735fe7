#pragma once
//! \file
//! The conditions of one point (temperature, gas partial pressures, species energies set by
//! axes, descriptor values) and axes bound to the quantity they change: an axis name is parsed and validated once
//! (mechanism/axis.hpp), then applied per point without strings.

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "kinmap/mechanism/axis.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"

namespace kinmap {

//! Conditions of one point of a map.
struct Conditions {
    double temperature_K = 0.0;        //!< [K]
    std::vector<double> pressure_bar;  //!< per entry of Mechanism::gases [bar]
    //! Free energies set by `G_<species>` axes: (species index, G [eV]); they replace the
    //! species' own free energy at every temperature.
    std::vector<std::pair<int, double>> energy_eV;
    //! Per entry of Mechanism::descriptors [eV]: the [descriptors] defaults, overridden by
    //! descriptor axes. Left empty by a caller that fills Conditions itself: the defaults.
    std::vector<double> descriptor_eV;
    //! Electrode potential U [V on the model's reference scale] and pH (DESIGN §12): the
    //! [electrochemistry] defaults, overridden by `U_V` and `pH` axes. NaN (a caller that fills
    //! Conditions itself): the defaults. Unused without [electrochemistry].
    double potential_V = std::numeric_limits<double>::quiet_NaN();
    double pH = std::numeric_limits<double>::quiet_NaN();
};

//! An axis bound to the place it changes in Conditions.
struct BoundAxis {
    AxisRef ref;  //!< kind and index (gas position or species index)
    //! Set the axis's quantity to `value` (axis units; checked when bound or read).
    void apply(double value, Conditions& conditions) const;
};

//! Bind the axis named `name` (`p_<gas>` [bar], `T_K` [K], `G_<species>` [eV], a descriptor
//! [eV], `U_V` [V], `pH`) to `mechanism`.
//! Throws InputError at `where`, key `key`, for an unknown axis, gas or species, or an axis the
//! model's rate constants do not depend on.
BoundAxis bind_axis(const Mechanism& mechanism, const std::string& name,
                    const SourceLocation& where, const std::string& key);
//! The bound form of a grid axis resolved when the model was read (AxisKind::none: no-op).
BoundAxis bind_axis(const Axis& axis);

//! An axis value to set: a bound axis with its value, and where it was given (for messages).
struct AxisSetting {
    BoundAxis axis;
    double value = 0.0;
    SourceLocation where;
    std::string key;
};

//! An assignment `AXIS=VALUE` as given to `--set` (e.g. {"p_O2_g", 0.1}).
using AxisValue = std::pair<std::string, double>;

//! The model's own conditions (its temperature, its [pressures], its [descriptors]) with
//! `settings` applied in
//! order. Throws InputError for a value outside its axis's range (at the setting) or a gas
//! left without any pressure (at the gas).
Conditions make_conditions(const Mechanism& mechanism, const BaseConditions& base,
                           const std::vector<AxisSetting>& settings);

//! As above, binding each name of `overrides` first; errors are located at the model file
//! (line 0) with the axis name as key.
Conditions make_conditions(const ModelFile& model, const std::vector<AxisValue>& overrides);

}  // namespace kinmap
