#pragma once
//! \file
//! A point's result flattened into a fixed-length array of doubles: the unit that travels
//! from ranks to rank 0, that the checkpoint journal stores and that the writer stores. Doubles
//! hold indices below 2^53 exactly. The layout is derived from the field table (fields.hpp):
//! slot 0 is the point index, slot 1 the status (so that a scan of records needs no layout),
//! then the other point fields, then the per-species, per-step and per-gas fields, each group in
//! kFields order.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/point_result.hpp"
#include "kinmap/sweep/fields.hpp"

namespace kinmap {
namespace detail {

// Slot of the point field `name` (Extent::point) in a record; -1 for any other name.
constexpr int point_slot(std::string_view name) {
    if (name == "status") return 1;
    int slot = 2;
    for (const Field& f : kFields) {
        if (f.extent != Extent::point || f.name == "status") continue;
        if (f.name == name) return slot;
        ++slot;
    }
    return -1;
}

// point_slot of each field's name, computed once (-1 for a field that is not a point field).
inline constexpr std::array<int, kFields.size()> kPointSlots = [] {
    std::array<int, kFields.size()> slots{};
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        slots[f] = kFields[f].extent == Extent::point ? point_slot(kFields[f].name) : -1;
    }
    return slots;
}();

constexpr int point_field_count() {
    int n = 0;
    for (const Field& f : kFields) n += f.extent == Extent::point ? 1 : 0;
    return n;
}

}  // namespace detail

//! Offsets of the fields inside one record of `size()` doubles.
struct RecordLayout {
    int n_species = 0;  //!< surface species incl. free sites (Mechanism::surface)
    int n_steps = 0;
    int n_gases = 0;
    int n_descriptors = 0;  //!< Mechanism::descriptors (0 for a model without)
    //! The optional features of the model (descriptors, interactions, ...): which fields exist.
    FeatureSet features = FeatureSet{};
    //! Slots per point for every steady state (DESIGN §8): SolverSettings::max_states when all
    //! states are asked for (Feature::all_states), else 0.
    int n_states = 0;

    static constexpr int kIndex = 0;  //!< point index k = i·ny + j
    //! Slots of the point fields that code outside the table reads directly.
    static constexpr int kStatus = detail::point_slot("status");  //!< Status as a number
    static constexpr int kTof = detail::point_slot("tof");        //!< [1/s]
    static constexpr int kResidual = detail::point_slot("residual");
    static constexpr int kWallTime = detail::point_slot("wall_time_s");  //!< [s]
    static constexpr int kRank = detail::point_slot("rank");  //!< rank that computed the point
    //! Slots before the first per-species/step/gas field: the index and every point field.
    static constexpr int kHeader = 1 + detail::point_field_count();

    //! Number of values of a field of this extent.
    int count(Extent e) const {
        switch (e) {
            case Extent::point: return 1;
            case Extent::species: return n_species;
            case Extent::step: return n_steps;
            case Extent::gas: return n_gases;
            case Extent::descriptor: return n_descriptors;
            case Extent::state: return n_states;
            case Extent::state_species: return n_states * n_species;
        }
        return 0;
    }
    //! Whether field `f` exists for this model (its feature is one the model has).
    bool present(const Field& f) const { return features.has(f.feature); }
    //! Slot of the first value of kFields[f].
    int offset(std::size_t f) const {
        if (kFields[f].extent == Extent::point) return detail::kPointSlots[f];
        int slot = kHeader;
        for (std::size_t g = 0; g < f; ++g) {
            if (kFields[g].extent != Extent::point) slot += count(kFields[g].extent);
        }
        return slot;
    }
    //! Slot of the first value of the field `name`.
    int offset(std::string_view name) const { return offset(field_index(name)); }
    int coverage() const { return offset("coverage"); }
    int rates() const { return offset("rates"); }
    //! Doubles per record.
    int size() const {
        int n = kHeader;
        for (const Field& f : kFields) n += f.extent == Extent::point ? 0 : count(f.extent);
        return n;
    }
};

//! Write `r` for point `index` computed on `rank` into `out[0 .. layout.size())`: every field of
//! kFields by its accessor. Values that `r` does not carry (rate control not computed) are NaN;
//! a point whose status is not OK gets each field's IfNotOk value (NaN coverages, rates, rate
//! control, TOF and Ea; stable 0; diagnostics kept).
//! The record layout of a mechanism's points: its surface species, steps, gases, descriptors.
RecordLayout record_layout(const Mechanism& mechanism);
//! As above, with the run's settings: every steady state (Feature::all_states, max_states slots)
//! when `settings.all_states`.
RecordLayout record_layout(const Mechanism& mechanism, const SolverSettings& settings);

void pack_record(const RecordLayout& layout, std::int64_t index, int rank, const PointResult& r,
                 double* out);

//! Rebuild a PointResult from a record (the inverse of pack_record, except index and rank).
PointResult unpack_record(const RecordLayout& layout, const double* in);

}  // namespace kinmap
