#pragma once
//! \file
//! The field table: every per-point output quantity declared once, with its name, units, long
//! name, dimension, storage type, rule for points that are not OK, and how its values are taken
//! from a PointResult and put back. The record layout (record.hpp), the HDF5 variables and their
//! attributes (io/map_file), `kinmap point --json`, `kinmap info` and `kinmap merge` are all
//! derived from kFields; adding a quantity is one row here plus its computation in the solver.
//! No HDF5 here: the storage type is an enum that io maps to HDF5 types.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kinmap/steady/point_result.hpp"

namespace kinmap {

//! The dimension a field has beyond the grid's (x, y).
enum class Extent : std::uint8_t {
    point,    //!< one value per point: [x, y]
    species,  //!< one per surface species incl. free sites: [x, y, species]
    step,     //!< one per step in file order: [x, y, step]
    gas,      //!< one per gas: [x, y, gas]
    //! One per descriptor of a volcano model (DESIGN §10): [x, y, descriptor]. A model without
    //! descriptors has none, and its map file and `point --json` have no such field.
    descriptor,
    //! One per kept steady state (DESIGN §8): [x, y, state], SolverSettings::max_states slots
    //! when every state is asked for, none otherwise.
    state,
    //! One per kept steady state and surface species: [x, y, state, species].
    state_species,
};

//! The optional model feature a field belongs to. A model without that feature has no such
//! variable in its map file and no such key in `point --json` (its records still carry the
//! slots, NaN). One row per feature; RecordLayout::features says which a model has.
enum class Feature : std::uint8_t {
    always,            //!< every model
    descriptors,       //!< [descriptors] (DESIGN §10)
    interactions,      //!< [interactions] (DESIGN §11)
    electrochemistry,  //!< [electrochemistry] (DESIGN §12)
    all_states,        //!< every steady state asked for (DESIGN §8)
};

//! A set of Features (Feature::always is in every set).
struct FeatureSet {
    std::uint8_t bits = 0;
    constexpr bool has(Feature f) const {
        return f == Feature::always || ((bits >> static_cast<unsigned>(f)) & 1u) != 0;
    }
    constexpr void add(Feature f) { bits = static_cast<std::uint8_t>(bits | (1u << static_cast<unsigned>(f))); }
    constexpr bool operator==(const FeatureSet& o) const { return bits == o.bits; }
};

//! How a field is stored in the map file (records always carry doubles, exact below 2^53).
enum class Storage : std::uint8_t { f64, u8, i32, i64, i8 };

//! What a value means, and so how `point --json` writes it.
enum class ValueKind : std::uint8_t {
    real,     //!< a JSON number (NaN and Inf as null)
    integer,  //!< a JSON integer
    flag,     //!< 1 or 0; a JSON boolean
    status,   //!< a Status number; its label in JSON, attr `labels` in the file
};

//! DESIGN §6: "the results" (what must be bitwise identical across ranks and schedules) or a
//! per-point diagnostic of how it was computed.
enum class Role : std::uint8_t { result, diagnostic };

//! What a record holds for a point whose status is not OK.
enum class IfNotOk : std::uint8_t {
    keep,  //!< the value as computed (diagnostics such as the residual)
    nan,   //!< NaN: a point without a steady state has no TOF, coverages, rates, ...
    zero,  //!< 0 (the stable flag: an unconverged state is not a stable one)
};

//! Puts the values of one field of `r` (computed on MPI rank `rank`) into out[0 .. n) and
//! returns how many it wrote: 1 for a point field, the vector's length (at most n) for the
//! others, 0 when `r` does not carry the field (e.g. rate control that was not computed).
//! Raw values: the IfNotOk rule is applied by pack_record.
using FieldGet = int (*)(const PointResult& r, int rank, double* out, int n);
//! Stores in[0 .. n) back into `r` (the inverse of FieldGet); null for a field that is not part
//! of PointResult (the rank).
using FieldPut = void (*)(PointResult& r, const double* in, int n);

//! One output quantity.
struct Field {
    std::string_view name;   //!< variable name in the file and key in `point --json`
    std::string_view units;  //!< attr `units`, "1" for dimensionless
    //! attr `long_name`; "{tof_of}" is replaced by the TOF gas's name
    std::string_view long_name;
    Extent extent;
    Storage storage;
    ValueKind kind;
    Role role;
    IfNotOk if_not_ok;
    double fill;        //!< HDF5 fill value: what a point not yet written reads as
    bool in_file;       //!< a variable of the map file
    bool in_json;       //!< a key of `point --json`
    bool rate_control;  //!< in the file only with MapLayout::rate_control
    FieldGet get;
    FieldPut put;
    //! The model feature without which the field does not exist (in the file, in JSON).
    Feature feature = Feature::always;
};

namespace detail {

// Accessors for a data member of PointResult: a double, an integer count, the stable flag, the
// Status or a vector of doubles.
template <auto Member>
int get_member(const PointResult& r, int /*rank*/, double* out, int n) {
    const auto& v = r.*Member;
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::vector<double>>) {
        const int count = std::min(n, static_cast<int>(v.size()));
        std::copy(v.begin(), v.begin() + count, out);
        return count;
    } else if constexpr (std::is_same_v<T, Status>) {
        out[0] = static_cast<double>(static_cast<int>(v));
        return 1;
    } else if constexpr (std::is_same_v<T, bool>) {
        out[0] = v ? 1.0 : 0.0;
        return 1;
    } else {
        out[0] = static_cast<double>(v);
        return 1;
    }
}

template <auto Member>
void put_member(PointResult& r, const double* in, int n) {
    auto& v = r.*Member;
    using T = std::decay_t<decltype(v)>;
    if constexpr (std::is_same_v<T, std::vector<double>>) {
        v.assign(in, in + n);
    } else if constexpr (std::is_same_v<T, Status>) {
        v = static_cast<Status>(static_cast<int>(in[0]));
    } else if constexpr (std::is_same_v<T, bool>) {
        v = in[0] != 0.0;
    } else {
        v = static_cast<T>(in[0]);
    }
}

inline int get_rank(const PointResult& /*r*/, int rank, double* out, int /*n*/) {
    out[0] = static_cast<double>(rank);
    return 1;
}

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Accessors of the every-steady-state fields (DESIGN §8): a point field from PointResult::states,
// or one slot per kept state (n in all), padded with `pad` beyond the states found.
inline int get_n_states(const PointResult& r, int /*rank*/, double* out, int /*n*/) {
    out[0] = static_cast<double>(r.states.size());
    return 1;
}
inline int get_n_stable(const PointResult& r, int /*rank*/, double* out, int /*n*/) {
    out[0] = static_cast<double>(std::count_if(r.states.begin(), r.states.end(),
                                               [](const SteadyState& s) { return s.stable; }));
    return 1;
}
inline int get_clean_state(const PointResult& r, int /*rank*/, double* out, int /*n*/) {
    out[0] = static_cast<double>(r.clean_state);
    return 1;
}
inline void put_clean_state(PointResult& r, const double* in, int /*n*/) {
    r.clean_state = static_cast<int>(in[0]);
}
inline void put_n_states(PointResult& r, const double* in, int /*n*/) {
    if (std::isfinite(in[0]) && in[0] > 0) r.states.resize(static_cast<std::size_t>(in[0]));
}
inline int get_states_tof(const PointResult& r, int /*rank*/, double* out, int n) {
    for (int s = 0; s < n; ++s) {
        out[s] = static_cast<std::size_t>(s) < r.states.size() ? r.states[static_cast<std::size_t>(s)].tof : kNaN;
    }
    return n;
}
inline void put_states_tof(PointResult& r, const double* in, int n) {
    for (int s = 0; s < n && static_cast<std::size_t>(s) < r.states.size(); ++s) {
        r.states[static_cast<std::size_t>(s)].tof = in[s];
    }
}
inline int get_states_stable(const PointResult& r, int /*rank*/, double* out, int n) {
    for (int s = 0; s < n; ++s) {
        out[s] = static_cast<std::size_t>(s) < r.states.size()
                     ? (r.states[static_cast<std::size_t>(s)].stable ? 1.0 : 0.0)
                     : 255.0;
    }
    return n;
}
inline void put_states_stable(PointResult& r, const double* in, int n) {
    for (int s = 0; s < n && static_cast<std::size_t>(s) < r.states.size(); ++s) {
        r.states[static_cast<std::size_t>(s)].stable = in[s] == 1.0;
    }
}
// n = slots × species; the species count is that of the point's own coverage vector.
inline int get_states_coverage(const PointResult& r, int /*rank*/, double* out, int n) {
    const auto species = r.coverage.size();
    for (int v = 0; v < n; ++v) {
        const auto s = species == 0 ? r.states.size() : static_cast<std::size_t>(v) / species;
        const auto i = species == 0 ? 0 : static_cast<std::size_t>(v) % species;
        out[v] = s < r.states.size() && i < r.states[s].coverage.size() ? r.states[s].coverage[i] : kNaN;
    }
    return n;
}
inline void put_states_coverage(PointResult& r, const double* in, int n) {
    const auto species = r.coverage.size();
    if (species == 0) return;
    for (std::size_t s = 0; s < r.states.size() && (s + 1) * species <= static_cast<std::size_t>(n); ++s) {
        r.states[s].coverage.assign(in + s * species, in + (s + 1) * species);
    }
}

}  // namespace detail

//! Every output quantity. The order is the order of the variables in the map file (HDF5 creation
//! order, which netCDF readers show) and of the keys of `point --json` (after "status"); records
//! hold the index, the status, the other point fields and then the others, each in this order.
// clang-format off
inline constexpr std::array<Field, 26> kFields = {{
    {"tof", "1/s", "turnover frequency (net production of {tof_of})", Extent::point, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::tof>, detail::put_member<&PointResult::tof>},
    {"coverage", "1", "fractional coverage", Extent::species, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::coverage>, detail::put_member<&PointResult::coverage>},
    {"rates", "1/s", "net rate of each step", Extent::step, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::rates>, detail::put_member<&PointResult::rates>},
    {"status", "1", "solver status", Extent::point, Storage::u8,
     ValueKind::status, Role::result, IfNotOk::keep, static_cast<double>(Status::not_run), true, true, false,
     detail::get_member<&PointResult::status>, detail::put_member<&PointResult::status>},
    {"residual", "1", "max relative steady-state residual |dtheta/dt| / gross flux", Extent::point, Storage::f64,
     ValueKind::real, Role::diagnostic, IfNotOk::keep, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::residual>, detail::put_member<&PointResult::residual>},
    {"wall_time_s", "s", "wall time of the point", Extent::point, Storage::f64,
     ValueKind::real, Role::diagnostic, IfNotOk::keep, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::wall_time_s>, detail::put_member<&PointResult::wall_time_s>},
    {"rank", "1", "MPI rank that solved the point", Extent::point, Storage::i32,
     ValueKind::integer, Role::diagnostic, IfNotOk::keep, -1.0, true, false, false,
     detail::get_rank, nullptr},
    {"ode_steps", "1", "accepted integrator steps", Extent::point, Storage::i64,
     ValueKind::integer, Role::diagnostic, IfNotOk::keep, 0.0, true, true, false,
     detail::get_member<&PointResult::ode_steps>, detail::put_member<&PointResult::ode_steps>},
    {"newton_iterations", "1", "Newton iterations", Extent::point, Storage::i32,
     ValueKind::integer, Role::diagnostic, IfNotOk::keep, 0.0, true, true, false,
     detail::get_member<&PointResult::newton_iterations>, detail::put_member<&PointResult::newton_iterations>},
    // Not (yet) a variable of the file: records carry it, `point --json` prints it.
    {"stable", "1", "stable steady state (every eigenvalue of the site-reduced Jacobian Re < 0)",
     Extent::point, Storage::u8,
     ValueKind::flag, Role::diagnostic, IfNotOk::zero, 0.0, false, true, false,
     detail::get_member<&PointResult::stable>, detail::put_member<&PointResult::stable>},
    {"drc", "1", "degree of rate control", Extent::step, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, true,
     detail::get_member<&PointResult::drc>, detail::put_member<&PointResult::drc>},
    {"trc", "1", "thermodynamic rate control", Extent::species, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, true,
     detail::get_member<&PointResult::trc>, detail::put_member<&PointResult::trc>},
    {"orders", "1", "reaction order", Extent::gas, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, true,
     detail::get_member<&PointResult::orders>, detail::put_member<&PointResult::orders>},
    {"ea_app_eV", "eV", "apparent activation energy", Extent::point, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, true,
     detail::get_member<&PointResult::ea_app_eV>, detail::put_member<&PointResult::ea_app_eV>},
    {"descriptor_sensitivity", "1/eV", "sensitivity of ln TOF to the descriptor", Extent::descriptor, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, true,
     detail::get_member<&PointResult::descriptor_sensitivity>,
     detail::put_member<&PointResult::descriptor_sensitivity>, Feature::descriptors},
    {"interaction_energy_eV", "eV", "interaction energy G(theta) - G0 at the steady state", Extent::species, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::interaction_energy_eV>,
     detail::put_member<&PointResult::interaction_energy_eV>, Feature::interactions},
    {"interaction_continuation", "1", "steps of the continuation in the interaction strength (0: none)",
     Extent::point, Storage::i32, ValueKind::integer, Role::diagnostic, IfNotOk::keep, 0.0, true, true, false,
     detail::get_member<&PointResult::interaction_continuation>,
     detail::put_member<&PointResult::interaction_continuation>, Feature::interactions},
    // Every steady state (DESIGN §8): computed whatever the clean-surface status, so kept;
    // `point --json` prints them as its "states" list instead (point_report.cpp).
    {"n_states", "1", "number of steady states found (stable and unstable)", Extent::point, Storage::u8,
     ValueKind::integer, Role::result, IfNotOk::keep, 0.0, true, false, false,
     detail::get_n_states, detail::put_n_states, Feature::all_states},
    {"n_stable", "1", "number of stable steady states", Extent::point, Storage::u8,
     ValueKind::integer, Role::result, IfNotOk::keep, 0.0, true, false, false,
     detail::get_n_stable, nullptr, Feature::all_states},
    {"states_tof", "1/s", "turnover frequency (net production of {tof_of}) of each steady state",
     Extent::state, Storage::f64, ValueKind::real, Role::result, IfNotOk::keep, detail::kNaN, true, false, false,
     detail::get_states_tof, detail::put_states_tof, Feature::all_states},
    {"states_coverage", "1", "fractional coverage of each steady state", Extent::state_species, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::keep, detail::kNaN, true, false, false,
     detail::get_states_coverage, detail::put_states_coverage, Feature::all_states},
    {"states_stable", "1", "stable steady state (1), unstable (0), no state (255)", Extent::state, Storage::u8,
     ValueKind::integer, Role::result, IfNotOk::keep, 255.0, true, false, false,
     detail::get_states_stable, detail::put_states_stable, Feature::all_states},
    {"clean_state", "1", "index of the clean-surface steady state among the states (-1: none)",
     Extent::point, Storage::i8, ValueKind::integer, Role::result, IfNotOk::keep, -1.0, true, false, false,
     detail::get_clean_state, detail::put_clean_state, Feature::all_states},
    {"electron_rate", "1/s", "net consumption of pe_g or ele_g per site (> 0: net reduction)", Extent::point, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::electron_rate>, detail::put_member<&PointResult::electron_rate>,
     Feature::electrochemistry},
    {"current_density_mA_cm2", "mA/cm2", "current density e*site_density*electron_rate (> 0: net reduction)", Extent::point, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, false,
     detail::get_member<&PointResult::current_density_mA_cm2>, detail::put_member<&PointResult::current_density_mA_cm2>,
     Feature::electrochemistry},
    {"potential_sensitivity", "1/V", "sensitivity of ln TOF to the electrode potential", Extent::point, Storage::f64,
     ValueKind::real, Role::result, IfNotOk::nan, detail::kNaN, true, true, true,
     detail::get_member<&PointResult::potential_sensitivity>, detail::put_member<&PointResult::potential_sensitivity>,
     Feature::electrochemistry},
}};
// clang-format on

//! Index of the field `name` in kFields, or kFields.size() if there is none.
constexpr std::size_t field_index(std::string_view name) {
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (kFields[f].name == name) return f;
    }
    return kFields.size();
}

//! The field `name`. A name that is not in the table does not compile in a constant expression
//! and throws std::out_of_range (a bug) elsewhere.
constexpr const Field& field(std::string_view name) { return kFields.at(field_index(name)); }

//! The name of an extent's dimension: "point", "species", "step", "gas", "descriptor" (the
//! map file's dimension scale of that name, except "point").
std::string_view to_string(Extent extent);

//! The field's long_name with "{tof_of}" replaced by `tof_of`.
std::string expand_long_name(const Field& f, std::string_view tof_of);

}  // namespace kinmap
