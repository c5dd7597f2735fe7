#include "kinmap/sweep/grid_conditions.hpp"

namespace kinmap {

namespace {

// The axis assignments of a point; a 1-D sweep's y axis (AxisKind::none) sets nothing.
std::vector<AxisValue> assignments(const Grid& grid, double x, double y) {
    std::vector<AxisValue> out = {{grid.x.name(), x}};
    if (grid.y.kind != AxisKind::none) out.emplace_back(grid.y.name(), y);
    return out;
}

}  // namespace

GridConditions::GridConditions(const Mechanism& mechanism, const Grid& grid)
    : mechanism_(mechanism),
      grid_(grid),
      x_name_(grid.x.name()),
      y_name_(grid.y.name()),
      base_(make_conditions(mechanism, assignments(grid, grid.xs.front(), grid.ys.front()))) {}

Conditions GridConditions::at(std::int64_t k) const {
    Conditions c = base_;
    apply_axis_value(mechanism_, x_name_, grid_.xs[static_cast<std::size_t>(grid_.i_of(k))], c);
    if (grid_.y.kind != AxisKind::none) {
        apply_axis_value(mechanism_, y_name_, grid_.ys[static_cast<std::size_t>(grid_.j_of(k))], c);
    }
    return c;
}

}  // namespace kinmap
