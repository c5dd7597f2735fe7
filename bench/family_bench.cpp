// Per-point cost against mechanism size (issue 19, "Large mechanisms"; docs/mechanism_size.md):
// every model of the generated family (bench/gen_mechanisms.py, bench/family/{chain,network}_N)
// over its 6×6 pressure grid, one point at a time (SteadySolver::solve: transient, Newton,
// rate control), with the dense LU and with the sparse one (KLU) side by side in one process.
// Models and solvers are interleaved within each round and the median over rounds is
// reported, so that the ratios hold on a noisy shared machine.
//
// Usage: family_bench [--rounds N] [--dir DIR] [--csv OUT.csv] [--only chain|network]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/ode/sparse_lu.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

using namespace kinmap;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kSizes[] = {2, 4, 8, 12, 16, 24, 32, 48, 60};
const char* const kWays[] = {"dense", "sparse"};

struct Pass {
    double total_s = 0.0;
    long steps = 0;
    std::int64_t ok = 0;
    std::vector<double> tof;
};

Pass run_pass(const ModelFile& m, const Grid& grid) {
    SteadySolver solver(m.mechanism, m.solver);
    GridConditions conditions(m, grid);
    Pass pass;
    for (std::int64_t k = 0; k < grid.size(); ++k) {
        const Conditions c = conditions.at(k);
        const auto t0 = Clock::now();
        const PointResult r = solver.solve(c);
        pass.total_s += std::chrono::duration<double>(Clock::now() - t0).count();
        pass.steps += r.ode_steps;
        pass.ok += r.status == Status::ok ? 1 : 0;
        pass.tof.push_back(r.tof);
    }
    return pass;
}

struct Case {
    std::string shape;
    int n = 0;
    ModelFile model;
    double density = 0.0;  // of the stepper matrix I/(γh) − J
    std::string auto_pick;
    std::vector<double> us[2];  // per round, per way
    Pass last[2];
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = std::string(KINMAP_SOURCE_DIR) + "/bench/family";
    std::string csv_path, only;
    int rounds = 5;
    for (int a = 1; a < argc; ++a) {
        const std::string arg = argv[a];
        if (arg == "--rounds" && a + 1 < argc)
            rounds = std::atoi(argv[++a]);
        else if (arg == "--dir" && a + 1 < argc)
            dir = argv[++a];
        else if (arg == "--csv" && a + 1 < argc)
            csv_path = argv[++a];
        else if (arg == "--only" && a + 1 < argc)
            only = argv[++a];
        else {
            std::fprintf(
                stderr,
                "usage: family_bench [--rounds N] [--dir DIR] [--csv OUT.csv] [--only SHAPE]\n");
            return 2;
        }
    }
    std::vector<Case> cases;
    for (const char* shape : {"chain", "network"}) {
        if (!only.empty() && only != shape) continue;
        for (int n : kSizes) {
            Case c;
            c.shape = shape;
            c.n = n;
            c.model = read_model_file(dir + "/" + shape + "_" + std::to_string(n) + ".toml");
            const std::unique_ptr<Kinetics> kinetics = make_kinetics(c.model.mechanism);
            c.density = ode::stepper_pattern(*kinetics).density();
            c.auto_pick =
                ode::choose_linear_solver(*kinetics, "auto") == ode::LinearSolverKind::sparse
                    ? "sparse"
                    : "dense";
            cases.push_back(std::move(c));
        }
    }
    std::printf("family_bench: %zu models, 6x6 grid each, %d rounds, one point at a time\n",
                cases.size(), rounds);
    for (int round = 0; round < rounds; ++round) {
        for (Case& c : cases) {
            // Alternate which solver goes first, so that neither always runs on a warm cache.
            for (int w0 = 0; w0 < 2; ++w0) {
                const int w = (w0 + round) % 2;
                ModelFile m = c.model;
                m.solver.linear_solver = kWays[w];
                const Grid grid = make_grid(m);
                c.last[w] = run_pass(m, grid);
                c.us[w].push_back(1e6 * c.last[w].total_s / static_cast<double>(grid.size()));
            }
        }
        std::fprintf(stderr, "round %d/%d done\n", round + 1, rounds);
    }
    std::FILE* csv = csv_path.empty() ? nullptr : std::fopen(csv_path.c_str(), "w");
    if (csv != nullptr) {
        std::fprintf(csv,
                     "shape,n_state,n_steps,density,dense_us_per_point,sparse_us_per_point,"
                     "dense_over_sparse,mean_ode_steps,ok_dense,ok_sparse,max_rel_tof_diff,auto\n");
    }
    std::printf("%-8s %4s %6s %8s %14s %14s %8s %10s %9s %12s %7s\n", "shape", "N", "steps",
                "density", "dense us/pt", "sparse us/pt", "d/s", "mean steps", "OK d/s",
                "max rel dTOF", "auto");
    for (const Case& c : cases) {
        const double dense = median(c.us[0]);
        const double sparse = median(c.us[1]);
        double worst = 0.0;
        for (std::size_t k = 0; k < c.last[0].tof.size(); ++k) {
            const double a = c.last[0].tof[k], b = c.last[1].tof[k];
            if (std::isfinite(a) && std::isfinite(b) && a != b) {
                worst = std::max(worst, std::abs(a - b) / std::max(std::abs(a), std::abs(b)));
            }
        }
        const auto points = static_cast<double>(c.last[0].tof.size());
        const double steps = static_cast<double>(c.last[0].steps) / points;
        std::printf("%-8s %4d %6zu %8.3f %14.1f %14.1f %8.2f %10.1f %4lld/%-4lld %12.1e %7s\n",
                    c.shape.c_str(), c.n, c.model.mechanism.steps.size(), c.density, dense, sparse,
                    dense / sparse, steps, static_cast<long long>(c.last[0].ok),
                    static_cast<long long>(c.last[1].ok), worst, c.auto_pick.c_str());
        if (csv != nullptr) {
            std::fprintf(csv, "%s,%d,%zu,%.4f,%.2f,%.2f,%.3f,%.1f,%lld,%lld,%.3e,%s\n",
                         c.shape.c_str(), c.n, c.model.mechanism.steps.size(), c.density, dense,
                         sparse, dense / sparse, steps, static_cast<long long>(c.last[0].ok),
                         static_cast<long long>(c.last[1].ok), worst, c.auto_pick.c_str());
        }
    }
    if (csv != nullptr) std::fclose(csv);
    return 0;
}
