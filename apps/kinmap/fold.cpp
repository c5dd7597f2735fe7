// `kinmap fold`: every fold point along one axis (DESIGN §8).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "kinmap/core/error.hpp"
#include "kinmap/driver/point_report.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/fold.hpp"
#include "kinmap/steady/steady_solver.hpp"

namespace kinmap::app {

int run_fold(const FoldOptions& options) {
    ModelFile model = read_model_file(options.model);
    const Mechanism& m = model.mechanism;
    const SourceLocation cli{"<command line>", 1, 1};
    const BoundAxis along = bind_axis(m, options.along, cli, "--along");
    // Bounds and spacing: the sweep's, on that axis, unless given.
    double from = 0.0, to = 0.0;
    bool log_axis = options.along.rfind("p_", 0) == 0;
    int grid_points = 0;
    if (model.sweep) {
        for (const Axis* a : {&model.sweep->x, &model.sweep->y}) {
            if (a->kind == AxisKind::none || a->name() != options.along) continue;
            from = a->from;
            to = a->to;
            log_axis = a->log_scale;
            grid_points = a->points;
        }
    }
    if (grid_points == 0 && (!options.from || !options.to)) {
        throw InputError(cli, "--along",
                         options.along + " is not an axis of [sweep]: give --from and --to");
    }
    if (options.from) from = *options.from;
    if (options.to) to = *options.to;
    if (from > to) std::swap(from, to);
    if (!(from < to)) throw InputError(cli, "--from", "the range is empty");
    // A log-scaled axis (the sweep's, or any pressure) is scanned in decades: from 0 or below a
    // scan would be linear and step over every fold of the first decades.
    if (log_axis && !(from > 0.0)) {
        throw InputError(cli, "--from",
                         options.along + " is scanned on a log scale: give --from > 0 (e.g. 1e-8)");
    }
    if (options.scan < 0 || options.scan == 1)
        throw InputError(cli, "--scan", "must be at least 2");
    const int scan = options.scan > 0 ? options.scan : std::max(64, 4 * grid_points);

    // The other conditions as for `point`; the axis itself is set to each value in turn.
    std::vector<AxisValue> assignments = {{options.along, from}};
    for (std::size_t i = 0; i < options.sets.size(); ++i) {
        assignments.push_back(parse_axis_assignment(options.sets[i], static_cast<int>(i)));
    }
    print_warnings(model);
    const Conditions base = point_conditions(model, assignments);
    model.solver.all_states = true;
    SteadySolver solver(m, model.solver);
    AllStatesSearch search(m, model.solver);
    FoldSearch folds(
        solver, search,
        [&](double value) {
            Conditions c = base;
            along.apply(value, c);
            return c;
        },
        log_axis);
    const std::vector<FoldPoint> found = folds.along(from, to, scan);

    if (options.json) {
        nlohmann::ordered_json j;
        j["along"] = options.along;
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const FoldPoint& f : found) {
            nlohmann::ordered_json item;
            item["value"] = f.value;
            item["tof"] = f.tof;
            nlohmann::ordered_json coverage = nlohmann::ordered_json::object();
            for (std::size_t i = 0; i < m.surface.size(); ++i) {
                coverage[m.species[static_cast<std::size_t>(m.surface[i])].name] = f.coverage[i];
            }
            item["coverage"] = coverage;
            list.push_back(item);
        }
        j["folds"] = list;
        std::cout << j.dump() << std::endl;
    } else {
        std::printf("%zu fold point%s along %s from %g to %g:\n", found.size(),
                    found.size() == 1 ? "" : "s", options.along.c_str(), from, to);
        for (const FoldPoint& f : found) {
            std::printf("  %s = %.12g   TOF %.10g 1/s\n", options.along.c_str(), f.value, f.tof);
        }
    }
    return kExitOk;
}

}  // namespace kinmap::app
