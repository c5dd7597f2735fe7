#include "kinmap/sweep/grid_conditions.hpp"

namespace kinmap {

GridConditions::GridConditions(const Mechanism& mechanism, const Grid& grid)
    : mechanism_(mechanism),
      grid_(grid),
      x_name_(grid.x.name()),
      y_name_(grid.y.name()),
      base_(make_conditions(mechanism, {{x_name_, grid.xs.front()}, {y_name_, grid.ys.front()}})) {}

Conditions GridConditions::at(std::int64_t k) const {
    Conditions c = base_;
    apply_axis_value(mechanism_, x_name_, grid_.xs[static_cast<std::size_t>(grid_.i_of(k))], c);
    apply_axis_value(mechanism_, y_name_, grid_.ys[static_cast<std::size_t>(grid_.j_of(k))], c);
    return c;
}

}  // namespace kinmap
