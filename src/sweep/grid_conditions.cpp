#include "kinmap/sweep/grid_conditions.hpp"

namespace kinmap {

namespace {

// The conditions at the grid's first point: checks every gas has a pressure (a 1-D sweep's y
// axis, AxisKind::none, sets nothing).
Conditions first_point(const ModelFile& model, const Grid& grid, const BoundAxis& x,
                       const BoundAxis& y) {
    std::vector<AxisSetting> settings = {{x, grid.xs.front(), grid.x.where, grid.x.name()}};
    if (grid.y.kind != AxisKind::none)
        settings.push_back({y, grid.ys.front(), grid.y.where, grid.y.name()});
    return make_conditions(model.mechanism, model.base, settings);
}

}  // namespace

GridConditions::GridConditions(const ModelFile& model, const Grid& grid)
    : grid_(grid),
      x_(bind_axis(grid.x)),
      y_(bind_axis(grid.y)),
      base_(first_point(model, grid, x_, y_)) {}

Conditions GridConditions::at(std::int64_t k) const {
    Conditions c = base_;
    x_.apply(grid_.xs[static_cast<std::size_t>(grid_.i_of(k))], c);
    y_.apply(grid_.ys[static_cast<std::size_t>(grid_.j_of(k))], c);
    return c;
}

}  // namespace kinmap
