#pragma once
//! \file
//! The conditions at each point of a grid.

#include <cstdint>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/sweep/grid.hpp"

namespace kinmap {

//! Conditions at grid point k: the model's own conditions with the x and y axis values set.
class GridConditions {
public:
    //! Throws InputError if a gas that no axis sweeps has no pressure.
    GridConditions(const Mechanism& mechanism, const Grid& grid);
    //! Conditions at point k = i·ny + j.
    Conditions at(std::int64_t k) const;

private:
    const Mechanism& mechanism_;
    const Grid& grid_;
    std::string x_name_, y_name_;
    Conditions base_;
};

}  // namespace kinmap
