#pragma once
//! \file
//! A point's result flattened into a fixed-length array of doubles: the unit that travels
//! from ranks to rank 0 and that the writer stores. Doubles hold indices below 2^53 exactly.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kinmap/steady/point_result.hpp"

namespace kinmap {

//! Offsets of the fields inside one record of `size()` doubles.
struct RecordLayout {
    int n_species = 0;  //!< surface species incl. free sites (Mechanism::surface)
    int n_steps = 0;
    int n_gases = 0;

    static constexpr int kIndex = 0;       //!< point index k = i·ny + j
    static constexpr int kStatus = 1;      //!< Status as a number
    static constexpr int kTof = 2;         //!< [1/s]
    static constexpr int kResidual = 3;
    static constexpr int kWallTime = 4;    //!< [s]
    static constexpr int kRank = 5;        //!< rank that computed the point
    static constexpr int kOdeSteps = 6;
    static constexpr int kNewtonIterations = 7;
    static constexpr int kStable = 8;      //!< 1 or 0
    static constexpr int kEaApp = 9;       //!< [eV]
    static constexpr int kHeader = 10;

    int coverage() const { return kHeader; }
    int rates() const { return coverage() + n_species; }
    int drc() const { return rates() + n_steps; }
    int trc() const { return drc() + n_steps; }
    int orders() const { return trc() + n_species; }
    int size() const { return orders() + n_gases; }
};

//! Write `r` for point `index` computed on `rank` into `out[0 .. layout.size())`.
//! Rate-control fields that `r` does not carry are written as NaN; so are the coverages, rates,
//! rate control and Ea of a point whose status is not OK (and its stable flag is 0).
void pack_record(const RecordLayout& layout, std::int64_t index, int rank, const PointResult& r,
                 double* out);

//! Rebuild a PointResult from a record (the inverse of pack_record, except index and rank).
PointResult unpack_record(const RecordLayout& layout, const double* in);

}  // namespace kinmap
