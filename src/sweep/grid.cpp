#include "kinmap/sweep/grid.hpp"

namespace kinmap {

Grid make_grid(const ModelFile& model) {
    if (!model.sweep) {
        throw InputError({model.source.path, 1, 1}, "sweep.x",
                         "a sweep needs a [sweep] table with axis x (and y for a 2-D map), e.g. "
                         "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 41, "
                         "scale = \"log\" }");
    }
    const Sweep& s = *model.sweep;
    return Grid{s.x, s.y, s.x.values(), s.y.values()};
}

}  // namespace kinmap
