#include "kinmap/sweep/fold_curves.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/fold.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

namespace kinmap {

MapFolds map_fold_curves(const ModelFile& model, const Grid& grid,
                         const std::vector<double>& n_states) {
    MapFolds out;
    SteadySolver solver(model.mechanism, model.solver);
    AllStatesSearch search(model.mechanism, model.solver);
    const GridConditions conditions(model, grid);
    const bool along_y = grid.ny() > 1;
    const Axis& axis = along_y ? grid.y : grid.x;
    const std::vector<double>& values = along_y ? grid.ys : grid.xs;
    const BoundAxis bound = bind_axis(axis);
    const std::int64_t lines = along_y ? grid.nx() : 1;
    const auto positions = static_cast<std::int64_t>(values.size());
    bool log_axis = axis.log_scale;
    for (double v : values) log_axis = log_axis && v > 0.0;
    // Distances between folds of neighbouring lines in grid steps of the fold axis.
    auto coordinate = [&](double v) { return log_axis ? std::log(v) : v; };
    const double step =
        positions > 1 ? std::abs(coordinate(values[1]) - coordinate(values[0])) : 1.0;
    constexpr double kLinkSteps = 3.0;

    struct Point {
        std::int64_t line;
        double value;
        int curve;
    };
    std::vector<Point> previous, all;
    int curves = 0;
    for (std::int64_t line = 0; line < lines; ++line) {
        const Conditions base = conditions.at(along_y ? line * grid.ny() : 0);
        FoldSearch folds(
            solver, search,
            [&](double v) {
                Conditions c = base;
                bound.apply(v, c);
                return c;
            },
            log_axis);
        std::vector<Point> current;
        for (std::int64_t p = 0; p + 1 < positions; ++p) {
            const double a = n_states[static_cast<std::size_t>(along_y ? line * grid.ny() + p : p)];
            const double b =
                n_states[static_cast<std::size_t>(along_y ? line * grid.ny() + p + 1 : p + 1)];
            if (!std::isfinite(a) || !std::isfinite(b) || a == b) continue;
            const double va = values[static_cast<std::size_t>(p)],
                         vb = values[static_cast<std::size_t>(p + 1)];
            for (const FoldPoint& f :
                 folds.between(va, folds.states_at(va), vb, folds.states_at(vb))) {
                current.push_back({line, f.value, -1});
            }
        }
        // Link: the closest pairs (previous line, this line) first, each fold used once.
        std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
        for (std::size_t q = 0; q < previous.size(); ++q) {
            for (std::size_t c = 0; c < current.size(); ++c) {
                const double d =
                    std::abs(coordinate(current[c].value) - coordinate(previous[q].value));
                if (d <= kLinkSteps * step) pairs.emplace_back(d, q, c);
            }
        }
        std::sort(pairs.begin(), pairs.end());
        std::vector<bool> used(previous.size(), false);
        for (const auto& [d, q, c] : pairs) {
            if (used[q] || current[c].curve >= 0) continue;
            used[q] = true;
            current[c].curve = previous[q].curve;
        }
        for (Point& c : current) {
            if (c.curve < 0) c.curve = curves++;
            all.push_back(c);
        }
        previous = std::move(current);
    }
    // By curve, then along it (lines in order; stable keeps the insertion order).
    std::stable_sort(all.begin(), all.end(),
                     [](const Point& a, const Point& b) { return a.curve < b.curve; });
    for (const Point& p : all) {
        out.x.push_back(along_y ? grid.xs[static_cast<std::size_t>(p.line)] : p.value);
        out.y.push_back(along_y ? p.value : (grid.ys.empty() ? 0.0 : grid.ys.front()));
        out.curve.push_back(p.curve);
    }
    return out;
}

}  // namespace kinmap
