#include "kinmap/sweep/grid.hpp"

namespace kinmap {

Grid make_grid(const Mechanism& mechanism) {
    if (!mechanism.x || !mechanism.y) {
        throw InputError({mechanism.path, 1, 1}, mechanism.x ? "sweep.y" : "sweep.x",
                         "a sweep needs both [sweep] axes x and y, e.g. x = { pressure = "
                         "\"O2_g\", from = 1e-4, to = 10.0, points = 41, scale = \"log\" }");
    }
    Grid grid{*mechanism.x, *mechanism.y, mechanism.x->values(), mechanism.y->values()};
    return grid;
}

}  // namespace kinmap
