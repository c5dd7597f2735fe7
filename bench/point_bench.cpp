// Per-point cost of the steady-state protocol over a model's whole [sweep] grid, serial, on
// one core, Newton polish and rate control included. Three ways are run side by side in the
// same process, interleaved in rounds, so that their ratios are robust to a noisy shared
// machine: "lanes" (the sweep's default: kLanes transients in lock-step through
// PointWorker::solve_stream), "rodas4" (our Eigen stepper, one point at a time) and "odeint"
// (Boost.Odeint's rosenbrock4 on ublas, one point at a time). --newton-ab adds "lanes-sn": the
// lanes with the first Newton attempt scalar (SweepOptions::lane_newton off; the same bits).
//
// Usage: point_bench [MODEL.toml] [--rounds N] [--nx N --ny N] [--no-odeint] [--lanes-only]
//                    [--newton-ab]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/sweep_loop.hpp"

using namespace kinmap;
using Clock = std::chrono::steady_clock;

namespace {

struct Pass {
    double total_s = 0.0;
    double worst_s = 0.0;
    std::int64_t worst_k = -1;
    long steps = 0;
    long max_steps = 0;
    int newton = 0;
    std::int64_t ok = 0;
    std::int64_t points = 0;
};

Pass run_pass(const ModelFile& m, const Grid& grid) {
    SteadySolver solver(m.mechanism, m.solver);
    GridConditions conditions(m, grid);
    Pass pass;
    for (std::int64_t k = 0; k < grid.size(); ++k) {
        const Conditions c = conditions.at(k);
        const auto t0 = Clock::now();
        const PointResult r = solver.solve(c);
        const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        pass.total_s += dt;
        if (dt > pass.worst_s) {
            pass.worst_s = dt;
            pass.worst_k = k;
        }
        pass.steps += r.ode_steps;
        pass.max_steps = std::max(pass.max_steps, r.ode_steps);
        pass.newton += r.newton_iterations;
        pass.ok += r.status == Status::ok ? 1 : 0;
        ++pass.points;
    }
    return pass;
}

// The sweep's PointWorker over the whole grid, in lanes where the model allows.
Pass run_stream(const ModelFile& m, const Grid& grid, bool lane_newton) {
    SweepOptions options;
    options.lanes = true;
    options.lane_newton = lane_newton;
    const PointList work = PointList::all(grid.size());
    PointWorker worker(m, grid, work, 0, options);
    const RecordLayout& layout = worker.layout();
    const int steps_at = layout.offset("ode_steps");
    Pass pass;
    std::int64_t p = 0;
    worker.solve_stream([&] { return p < grid.size() ? p++ : kNoMorePoints; },
                        [&](std::int64_t, const double* record) {
                            const auto steps = static_cast<long>(record[steps_at]);
                            pass.steps += steps;
                            pass.max_steps = std::max(pass.max_steps, steps);
                            pass.ok += record[RecordLayout::kStatus] == 0.0 ? 1 : 0;
                            const double dt = record[RecordLayout::kWallTime];
                            if (dt > pass.worst_s) {
                                pass.worst_s = dt;
                                pass.worst_k = static_cast<std::int64_t>(record[RecordLayout::kIndex]);
                            }
                            ++pass.points;
                        });
    pass.total_s = worker.compute_s();
    return pass;
}

}  // namespace

int main(int argc, char** argv) {
    std::string model = std::string(KINMAP_SOURCE_DIR) + "/data/models/co_oxidation_pt100.toml";
    int rounds = 3;
    int nx = 0, ny = 0;
    bool odeint = true, lanes_only = false, newton_ab = false;
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        if (arg == "--rounds" && a + 1 < argc) rounds = std::atoi(argv[++a]);
        else if (arg == "--nx" && a + 1 < argc) nx = std::atoi(argv[++a]);
        else if (arg == "--ny" && a + 1 < argc) ny = std::atoi(argv[++a]);
        else if (arg == "--no-odeint") odeint = false;
        else if (arg == "--lanes-only") lanes_only = true;
        else if (arg == "--newton-ab") newton_ab = true;
        else model = arg;
    }
    ModelFile base = read_model_file(model);
    if (nx > 0) base.sweep->x.points = nx;
    if (ny > 0) base.sweep->y.points = ny;
    const Grid grid = make_grid(base);
    std::printf("model %s, grid %lldx%lld = %lld points, %d rounds, ODE rtol %g atol %g\n",
                base.mechanism.name.c_str(), static_cast<long long>(grid.nx()),
                static_cast<long long>(grid.ny()), static_cast<long long>(grid.size()), rounds,
                base.solver.ode_rtol, base.solver.ode_atol);

    std::vector<std::string> ways = {"lanes"};
    if (newton_ab) ways.push_back("lanes-sn");
    if (!lanes_only) ways.push_back("rodas4");
    if (odeint && !lanes_only) ways.push_back("odeint");
    std::vector<std::vector<double>> per_point_us(ways.size());
    std::vector<Pass> last(ways.size());
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t s = 0; s < ways.size(); ++s) {
            ModelFile m = base;
            m.solver.stepper = ways[s] == "odeint" ? "odeint" : "rodas4";
            last[s] = ways[s] == "lanes"      ? run_stream(m, grid, true)
                      : ways[s] == "lanes-sn" ? run_stream(m, grid, false)
                                              : run_pass(m, grid);
            per_point_us[s].push_back(1e6 * last[s].total_s / static_cast<double>(last[s].points));
        }
    }
    const std::vector<std::string>& steppers = ways;
    std::printf("%-8s %12s %12s %14s %12s %12s %8s\n", "stepper", "us/point", "best us/pt",
                "worst point us", "mean steps", "max steps", "OK");
    for (std::size_t s = 0; s < steppers.size(); ++s) {
        auto v = per_point_us[s];
        std::sort(v.begin(), v.end());
        const Pass& p = last[s];
        std::printf("%-8s %12.2f %12.2f %14.1f %12.1f %12ld %4lld/%lld\n", steppers[s].c_str(),
                    v[v.size() / 2], v.front(), 1e6 * p.worst_s,
                    static_cast<double>(p.steps) / static_cast<double>(p.points), p.max_steps,
                    static_cast<long long>(p.ok), static_cast<long long>(p.points));
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    for (std::size_t s = 1; s < ways.size(); ++s) {
        std::printf("ratio %s/lanes (median us/point): %.2f\n", ways[s].c_str(),
                    median(per_point_us[s]) / median(per_point_us[0]));
    }
    const auto rodas4 = std::find(ways.begin(), ways.end(), "rodas4");
    if (rodas4 != ways.end()) {
        const Pass& p = last[static_cast<std::size_t>(rodas4 - ways.begin())];
        std::printf("worst point (rodas4): k=%lld (i=%lld, j=%lld)\n",
                    static_cast<long long>(p.worst_k), static_cast<long long>(grid.i_of(p.worst_k)),
                    static_cast<long long>(grid.j_of(p.worst_k)));
    }
    return 0;
}
