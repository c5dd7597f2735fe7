#pragma once
//! \file
//! The conditions at each point of a grid, through the grid's axes bound once to the
//! quantities they change.

#include <cstdint>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/sweep/grid.hpp"

namespace kinmap {

//! Conditions at grid point k: the model's own conditions with the x and y axis values set.
class GridConditions {
public:
    //! Throws InputError if a gas that no axis sweeps has no pressure. Keeps a reference to
    //! `grid`, which must outlive it.
    GridConditions(const ModelFile& model, const Grid& grid);
    //! Conditions at point k = i·ny + j.
    Conditions at(std::int64_t k) const;

private:
    const Grid& grid_;
    BoundAxis x_, y_;
    Conditions base_;
};

}  // namespace kinmap
