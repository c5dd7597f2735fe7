#pragma once
//! \file
//! Axes of a map and of `--set`: the table of axis kinds (pressure, temperature, species
//! energy, none, descriptor) that parses a name such as `p_O2_g`, `T_K`, `G_CO_s` or `E_O`
//! once and validates it
//! against a mechanism, and the grid axis of a `[sweep]` table. Adding a kind is one row of
//! axis_kinds() plus its case in BoundAxis::apply (kinetics/conditions.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! What an axis varies.
enum class AxisKind {
    pressure,     //!< partial pressure of a gas [bar]; axis name `p_<gas>`
    temperature,  //!< temperature [K]; axis name `T_K`
    energy,       //!< free energy of a species [eV]; axis name `G_<species>`
    //! No quantity: the y axis of a 1-D sweep (only `[sweep] x` given), one point of value 0,
    //! named "none" with units "1" in the map file, so that /x and /y both exist.
    none,
    //! A descriptor of DESIGN §10 [eV]; its axis name is the descriptor's own name (`E_O`).
    descriptor,
    //! The electrode potential U [V on the model's reference scale]; axis name `U_V` (§12).
    potential,
    //! The pH (SHE models, DESIGN §12); axis name `pH`, units "1".
    pH,
};

//! One row of the axis-kind table: how the kind is named and what it may be applied to.
struct AxisKindInfo {
    AxisKind kind;
    std::string_view sweep_key;  //!< its key in a `[sweep]` axis table ("pressure", ...); "" none
    //! Axis name prefix ("p_", "G_"; "" for a descriptor, whose name is the whole axis name) or
    //! the whole name ("T_K")
    std::string_view prefix;
    bool has_target;             //!< the name is prefix + a species name
    std::string_view units;      //!< "bar", "K", "eV", "1"
    bool default_log;            //!< log-spaced unless `scale` says otherwise
    //! The index the axis binds to for `target` (a gas position in Mechanism::gases, a species
    //! index; -1 where the kind has no target), or "" in `problem` with why it cannot bind.
    int (*find)(const Mechanism& mechanism, const std::string& target, std::string& problem);
    //! Why an axis of this kind bound to `index` cannot change the model's rate constants, or "".
    std::string (*conflict)(const Mechanism& mechanism, int index);
    //! Why `value` is outside the kind's range, or "" (finiteness is checked for every kind).
    std::string (*value_problem)(double value);
};

//! Every axis kind, in AxisKind order.
const std::vector<AxisKindInfo>& axis_kinds();
//! The row of `kind`.
const AxisKindInfo& axis_kind_info(AxisKind kind);

//! An axis name parsed once: its kind and target (the gas or species; empty for T_K).
struct AxisName {
    AxisKind kind = AxisKind::none;
    std::string target;
};
//! The kind and target of an axis name, or nullopt if no kind's name fits. A descriptor's
//! name is the model's choice, so it is not parsed here: bind_axis looks it up in the model.
std::optional<AxisName> parse_axis_name(std::string_view name);
//! The axis name of `kind` on `target`: "p_O2_g", "T_K", "G_CO_s", "none".
std::string axis_name(AxisKind kind, const std::string& target);

//! An axis resolved against a mechanism: the place it changes, no strings.
struct AxisRef {
    AxisKind kind = AxisKind::none;
    //! Position in Mechanism::gases (pressure), species index (energy), descriptor index
    //! (descriptor), else -1.
    int index = -1;
};

//! Why an axis of `kind` on `target` cannot be applied to `mechanism`, or "" (and `out` is set):
//! an unknown gas, species or descriptor, a temperature axis on a model whose constants are
//! all explicit, an energy axis on a species that no step takes its rate constants from, a
//! descriptor that no scaling relation reads.
std::string resolve_axis(const Mechanism& mechanism, AxisKind kind, const std::string& target,
                         AxisRef& out);

//! Why `value` cannot be a value of an axis of `kind`, or "".
std::string axis_value_problem(AxisKind kind, double value);

//! One axis of the 2-D sweep grid.
struct Axis {
    AxisKind kind = AxisKind::pressure;
    std::string target;     //!< the gas (pressure), species (energy) or descriptor it varies;
                            //!< empty for T
    double from = 0.0;      //!< first grid value (in the axis's units)
    double to = 0.0;        //!< last grid value
    int points = 1;         //!< number of grid values, >= 1
    bool log_scale = true;  //!< log-spaced (true) or linearly spaced (false)
    SourceLocation where;   //!< the axis table
    //! Where its quantity is named (`pressure = "O2_g"`, `temperature = true`, ...); the axis
    //! table for a 1-D sweep's none axis.
    SourceLocation quantity_where;
    AxisRef ref;  //!< resolved against the mechanism when the model is read

    //! Axis name as used by `--set` and in the HDF5 file: "p_O2_g", "T_K", "G_CO_s", "E_O".
    std::string name() const;
    //! Units of the axis values: "bar", "K" or "eV".
    std::string units() const;
    //! The grid values, from `from` to `to` inclusive; a single point is `from`. Log grids are
    //! 10^e_i with e_i = (a·(n−1) + i·(b−a))/(n−1), a = log10(from), b = log10(to): where
    //! from and to are decades, every exponent that is an integer gives the decade exactly
    //! (0.1, not 0.09999999999999998); the end points are `from` and `to` exactly.
    std::vector<double> values() const;
};

}  // namespace kinmap
