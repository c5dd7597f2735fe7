#include "kinmap/driver/scaling_study.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#include "kinmap/core/hash.hpp"
#include "kinmap/core/version.hpp"
#include "kinmap/io/scaling_file.hpp"
#include "kinmap/parallel/sweep_runner.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/simulate.hpp"

namespace kinmap {
namespace {

using Clock = std::chrono::steady_clock;

// Keeps the per-point wall times of a run (for the simulator); writes nothing.
class CostSink final : public RecordSink {
public:
    explicit CostSink(std::int64_t n) : costs_(static_cast<std::size_t>(n), 0.0) {}
    void write(const double* records, std::size_t count, const RecordLayout& layout) override {
        for (std::size_t r = 0; r < count; ++r) {
            const double* rec = records + r * static_cast<std::size_t>(layout.size());
            costs_[static_cast<std::size_t>(rec[RecordLayout::kIndex])] = rec[RecordLayout::kWallTime];
        }
    }
    const std::vector<double>& costs() const { return costs_; }

private:
    std::vector<double> costs_;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

int physical_cores() {
    std::ifstream in("/proc/cpuinfo");
    std::set<std::pair<std::string, std::string>> cores;
    std::string line, physical = "0";
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
        const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
        if (key == "physical id") physical = value;
        if (key == "core id") cores.insert({physical, value});
    }
    const int logical = static_cast<int>(std::thread::hardware_concurrency());
    return cores.empty() ? logical : static_cast<int>(cores.size());
}

std::string hostname() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

}  // namespace

std::vector<ScalingSummaryRow> run_scaling_study(const mpi::Communicator& world,
                                                 const ModelFile& model,
                                                 const ScalingOptions& options) {
    const SourceLocation cli{"<command line>", 1, 1};
    for (const auto& mode : options.modes) {
        if (mode != "strong" && mode != "weak") throw InputError(cli, "--mode", "must be strong or weak, not " + mode);
    }
    if (options.repeats < 1) throw InputError(cli, "--repeats", "must be >= 1");
    const int size = world.size();
    const int rank = world.rank();
    std::set<int> counts = {1};  // speedups are measured against 1 rank of the same study
    for (int r : options.ranks) {
        if (r < 1) throw InputError(cli, "--ranks", "rank counts must be >= 1");
        if (r <= size) counts.insert(r);
        else if (rank == 0) std::fprintf(stderr, "[rank 0] skipping %d ranks: the job has %d\n", r, size);
    }
    const Grid base = make_grid(model);
    const double latency = world.ping_pong_latency(200);  // half a round trip of 0 bytes [s]
    const int cores = physical_cores();

    {
        // One untimed sweep on every rank first: page faults, first-touch allocation and MPI
        // connection set-up would otherwise be charged to whichever measurement comes first.
        ModelFile warm = model;
        warm.sweep->x.points = std::min(warm.sweep->x.points, 8);
        warm.sweep->y.points = std::min(warm.sweep->y.points, 8);
        const Grid grid = make_grid(warm);
        run_sweep(world, warm, grid, PointList::all(grid.size()), nullptr, SweepOptions());
    }
    std::vector<io::ScalingRun> runs;
    std::vector<double> costs;
    for (const auto& mode : options.modes) {
        for (Schedule schedule : options.schedules) {
            // The models and grids of each rank count (weak: points per rank fixed).
            std::vector<ModelFile> models;
            std::vector<Grid> grids;
            for (int r : counts) {
                models.push_back(model);
                if (mode == "weak") models.back().sweep->x.points = base.x.points * r;
                grids.push_back(make_grid(models.back()));
            }
            // Repeats interleave the rank counts (1, 2, 4, 1, 2, 4, ...), so that a shared
            // machine's load drifting over the study hits every rank count alike instead of
            // whichever ran last; the runs are listed by rank count and repeat as before.
            const std::size_t block = runs.size();
            for (int rep = 0; rep < options.repeats; ++rep) {
                std::size_t at = 0;
                for (int r : counts) {
                    const ModelFile& m = models[at];
                    const Grid& grid = grids[at];
                    ++at;
                    // Also at 1 rank the MPI sweep (not the serial one): speedups compare one
                    // scheduler with itself.
                    const mpi::Communicator sub = world.split_or_null(rank < r, rank);
                    io::ScalingRun row{mode, to_string(schedule), r, rep, grid.size(), 0.0, {}, {}, {}};
                    if (!sub.is_null()) {
                        CostSink sink(grid.size());
                        SweepOptions sweep;
                        sweep.schedule = schedule;
                        sub.barrier();
                        const auto t0 = Clock::now();
                        const SweepStats stats = run_sweep(sub, m, grid, PointList::all(grid.size()),
                                                           sub.rank() == 0 ? &sink : nullptr, sweep);
                        row.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
                        row.compute_s = stats.compute_s;
                        row.wait_s = stats.wait_s;
                        row.io_s = stats.io_s;
                        if (rank == 0 && r == 1 && mode == "strong" && costs.empty()) costs = sink.costs();
                    }
                    world.sleeping_barrier();  // ranks outside this sub-communicator wait here
                    if (rank == 0) {
                        runs.push_back(row);
                        std::fprintf(stderr, "[rank 0] %s %s %d ranks, repeat %d: %.4f s, %.0f points/s\n",
                                     mode.c_str(), row.schedule.c_str(), r, rep, row.wall_s,
                                     static_cast<double>(row.points) / row.wall_s);
                    }
                }
            }
            std::stable_sort(runs.begin() + static_cast<std::ptrdiff_t>(block), runs.end(),
                             [](const io::ScalingRun& a, const io::ScalingRun& b) { return a.ranks < b.ranks; });
        }
    }

    std::vector<ScalingSummaryRow> summary;
    if (rank != 0) return summary;

    // Summary per (mode, schedule, ranks).
    std::map<std::tuple<std::string, std::string, int>, std::vector<const io::ScalingRun*>> groups;
    for (const io::ScalingRun& row : runs) groups[{row.mode, row.schedule, row.ranks}].push_back(&row);
    for (const auto& [key, rows] : groups) {
        const auto& [mode, schedule, r] = key;
        ScalingSummaryRow s;
        s.mode = mode;
        s.schedule = schedule;
        s.ranks = r;
        s.points = rows.front()->points;
        std::vector<double> walls;
        double balance = 0.0;
        for (const io::ScalingRun* row : rows) {
            walls.push_back(row->wall_s);
            const double max_busy = *std::max_element(row->compute_s.begin(), row->compute_s.end());
            double mean_busy = 0.0;
            for (double b : row->compute_s) mean_busy += b / static_cast<double>(row->compute_s.size());
            balance += (max_busy > 0 ? mean_busy / max_busy : 1.0) / static_cast<double>(rows.size());
        }
        s.wall_median_s = median(walls);
        s.wall_min_s = *std::min_element(walls.begin(), walls.end());
        s.wall_max_s = *std::max_element(walls.begin(), walls.end());
        s.points_per_s = static_cast<double>(s.points) / s.wall_median_s;
        s.load_balance = balance;
        summary.push_back(s);
    }
    for (ScalingSummaryRow& s : summary) {
        const auto one = std::find_if(summary.begin(), summary.end(), [&](const ScalingSummaryRow& o) {
            return o.mode == s.mode && o.schedule == s.schedule && o.ranks == 1;
        });
        const double t1 = one->wall_median_s;
        s.speedup = s.mode == "strong" ? t1 / s.wall_median_s : s.ranks * t1 / s.wall_median_s;
        s.efficiency = s.speedup / s.ranks;
        s.karp_flatt = s.ranks > 1 ? (1.0 / s.speedup - 1.0 / s.ranks) / (1.0 - 1.0 / s.ranks)
                                   : std::numeric_limits<double>::quiet_NaN();
    }
    // The simulator: measured per-point costs and latency replayed through each schedule, for
    // the measured rank counts (validation) and the requested larger ones (prediction).
    if (!costs.empty()) {
        const double t1 = std::accumulate(costs.begin(), costs.end(), 0.0);
        for (ScalingSummaryRow& s : summary) {
            if (s.mode == "strong") {
                s.simulated_wall_s = simulate_sweep(costs, s.ranks, parse_schedule(s.schedule), latency).wall_s;
            }
        }
        for (Schedule schedule : options.schedules) {
            for (int r : options.simulate) {
                const SimulatedRun sim = simulate_sweep(costs, r, schedule, latency);
                ScalingSummaryRow s;
                s.mode = "strong";
                s.schedule = to_string(schedule);
                s.ranks = r;
                s.points = static_cast<std::int64_t>(costs.size());
                s.simulated = true;
                s.simulated_wall_s = sim.wall_s;
                s.wall_median_s = s.wall_min_s = s.wall_max_s = sim.wall_s;
                s.points_per_s = static_cast<double>(s.points) / sim.wall_s;
                s.speedup = t1 / sim.wall_s;
                s.efficiency = sim.efficiency;
                s.load_balance = sim.load_balance;
                s.karp_flatt = r > 1 ? (1.0 / s.speedup - 1.0 / r) / (1.0 - 1.0 / r) : 0.0;
                summary.push_back(s);
            }
        }
    }

    // ---- the /scaling file and its CSV ------------------------------------------------
    io::ScalingEnvironment environment;
    environment.host = hostname();
    environment.physical_cores = cores;
    environment.logical_cores = static_cast<int>(std::thread::hardware_concurrency());
    environment.job_ranks = size;
    environment.oversubscribed = size > cores;
    environment.mpi_library = mpi::Environment::library_version();
    environment.compiler = kCompilerId;
    environment.compiler_flags = kCompilerFlags;
    environment.kinmap_version = kVersion;
    environment.model_hash = content_hash(model.source.text);
    environment.model = model.mechanism.name;
    environment.latency_s = latency;
    io::write_scaling_file(options.output, environment, runs, static_cast<std::size_t>(*counts.rbegin()), summary,
                           costs);
    std::string csv = options.output;
    const auto dot = csv.rfind(".h5");
    csv = (dot != std::string::npos ? csv.substr(0, dot) : csv) + ".csv";
    io::write_scaling_csv(csv, summary, cores);
    return summary;
}

}  // namespace kinmap
