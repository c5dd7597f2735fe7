#include "kinmap/sweep/grid.hpp"

namespace kinmap {

Grid make_grid(const Mechanism& mechanism) {
    if (!mechanism.x || !mechanism.y) {
        throw InputError({mechanism.path, 1, 1}, "sweep.x",
                         "a sweep needs a [sweep] table with axis x (and y for a 2-D map), e.g. "
                         "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 41, "
                         "scale = \"log\" }");
    }
    Grid grid{*mechanism.x, *mechanism.y, mechanism.x->values(), mechanism.y->values()};
    return grid;
}

}  // namespace kinmap
