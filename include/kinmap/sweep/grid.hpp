#pragma once
//! \file
//! The 2-D grid of a sweep: point k = i·ny + j, i along x (first dimension), j along y.

#include <cstdint>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"

namespace kinmap {

//! The grid of a `[sweep]` table.
struct Grid {
    Axis x;
    Axis y;
    std::vector<double> xs;  //!< x.values()
    std::vector<double> ys;  //!< y.values()

    std::int64_t nx() const { return static_cast<std::int64_t>(xs.size()); }
    std::int64_t ny() const { return static_cast<std::int64_t>(ys.size()); }
    std::int64_t size() const { return nx() * ny(); }
    std::int64_t i_of(std::int64_t k) const { return k / ny(); }
    std::int64_t j_of(std::int64_t k) const { return k % ny(); }
};

//! The grid of `model`'s [sweep] table (a 1-D sweep has ny = 1, y of AxisKind::none).
//! Throws InputError if the table is absent. Axis values and axis/model compatibility are
//! checked when the model is read; a gas without a pressure by GridConditions.
Grid make_grid(const ModelFile& model);

}  // namespace kinmap
