#pragma once
//! \file
//! The fold (saddle-node) curves crossing a map (DESIGN §8, `/fold`): on each grid line along
//! y (x = x_i fixed; along x for a 1-D sweep), wherever the number of steady states changes
//! between neighbouring grid points, the folds between them by FoldSearch::between (Newton on
//! the extended system), then linked line to line into curves. Computed after the sweep from
//! the map's `n_states` alone, by one process, in a fixed order: the same at any rank count
//! and schedule. A fold curve that crosses no grid line between two points of different state
//! counts (e.g. two folds inside one grid cell) is not seen.

#include <cstdint>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/sweep/grid.hpp"

namespace kinmap {

//! Points on the fold curves, in axis units, with a curve id (0, 1, …); ordered by curve, and
//! along each curve by grid line.
struct MapFolds {
    std::vector<double> x, y;
    std::vector<std::int32_t> curve;
};

//! The fold curves of `model` on `grid`, given the number of states of every point
//! (`n_states[k]`, k = i·ny + j; NaN where unknown). A fold on one line joins the curve of the
//! nearest fold on the previous line within three grid steps, else starts a new curve.
MapFolds map_fold_curves(const ModelFile& model, const Grid& grid,
                         const std::vector<double>& n_states);

}  // namespace kinmap
