#include "kinmap/driver/scaling_study.hpp"

#include <hdf5.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>

#include "../io/hdf5_util.hpp"
#include "kinmap/core/hash.hpp"
#include "kinmap/core/version.hpp"
#include "kinmap/parallel/sweep_runner.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/simulate.hpp"

namespace kinmap {
namespace {

using namespace io::detail;
using Clock = std::chrono::steady_clock;

struct RunRow {
    std::string mode, schedule;
    int ranks = 0, repeat = 0;
    std::int64_t points = 0;
    double wall_s = 0;
    std::vector<double> compute_s, wait_s, io_s;
};

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

// Half the round trip of a zero-byte message between world ranks 0 and 1 [s].
double measure_latency(const mpi::Communicator& world) {
    if (world.size() < 2) return 0.0;
    const int rank = world.rank();
    const int trips = 200;
    world.barrier();
    const auto t0 = Clock::now();
    for (int i = 0; i < trips; ++i) {
        if (rank == 0) {
            mpi::check(MPI_Send(nullptr, 0, MPI_BYTE, 1, 7, world.get()), "MPI_Send");
            mpi::check(MPI_Recv(nullptr, 0, MPI_BYTE, 1, 7, world.get(), MPI_STATUS_IGNORE), "MPI_Recv");
        } else if (rank == 1) {
            mpi::check(MPI_Recv(nullptr, 0, MPI_BYTE, 0, 7, world.get(), MPI_STATUS_IGNORE), "MPI_Recv");
            mpi::check(MPI_Send(nullptr, 0, MPI_BYTE, 0, 7, world.get()), "MPI_Send");
        }
    }
    double latency = std::chrono::duration<double>(Clock::now() - t0).count() / (2.0 * trips);
    mpi::check(MPI_Bcast(&latency, 1, MPI_DOUBLE, 0, world.get()), "MPI_Bcast");
    return latency;
}

void write_doubles(hid_t group, const std::string& name, const std::vector<double>& values,
                   const std::vector<hsize_t>& dims, const char* units) {
    const Handle space = dataspace(dims);
    const Handle d(check_id(H5Dcreate2(group, name.c_str(), H5T_NATIVE_DOUBLE, space.get(),
                                       H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                            "create " + name),
                   H5Dclose);
    if (!values.empty()) {
        check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
    }
    write_string_attribute(d.get(), "units", units);
}

void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
    const Handle type = string_type();
    const Handle space = dataspace({values.size()});
    const Handle d(check_id(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                       H5P_DEFAULT, H5P_DEFAULT),
                            "create " + name),
                   H5Dclose);
    std::vector<const char*> data;
    for (const auto& v : values) data.push_back(v.c_str());
    if (!data.empty()) check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
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
    const double latency = measure_latency(world);
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
    std::vector<RunRow> runs;
    std::vector<double> costs;
    for (const auto& mode : options.modes) {
        for (Schedule schedule : options.schedules) {
            for (int r : counts) {
                ModelFile m = model;
                if (mode == "weak") m.sweep->x.points = base.x.points * r;  // points per rank fixed
                const Grid grid = make_grid(m);
                for (int rep = 0; rep < options.repeats; ++rep) {
                    const mpi::Communicator sub = world.split(rank < r ? 0 : MPI_UNDEFINED, rank);
                    RunRow row{mode, to_string(schedule), r, rep, grid.size(), 0.0, {}, {}, {}};
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
        }
    }

    std::vector<ScalingSummaryRow> summary;
    if (rank != 0) return summary;

    // Summary per (mode, schedule, ranks).
    std::map<std::tuple<std::string, std::string, int>, std::vector<const RunRow*>> groups;
    for (const RunRow& row : runs) groups[{row.mode, row.schedule, row.ranks}].push_back(&row);
    for (const auto& [key, rows] : groups) {
        const auto& [mode, schedule, r] = key;
        ScalingSummaryRow s;
        s.mode = mode;
        s.schedule = schedule;
        s.ranks = r;
        s.points = rows.front()->points;
        std::vector<double> walls;
        double balance = 0.0;
        for (const RunRow* row : rows) {
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

    // ---- HDF5 /scaling and CSV ----------------------------------------------------------
    const Handle file(check_id(H5Fcreate(options.output.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                               "cannot create " + options.output),
                      H5Fclose);
    const Handle group(check_id(H5Gcreate2(file.get(), "scaling", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                "create /scaling"),
                       H5Gclose);
    const hid_t g = group.get();
    write_string_attribute(g, "host", hostname());
    write_numeric_attribute<int>(g, "physical_cores", H5T_NATIVE_INT, {cores}, true);
    write_numeric_attribute<int>(g, "logical_cores", H5T_NATIVE_INT,
                                 {static_cast<int>(std::thread::hardware_concurrency())}, true);
    write_numeric_attribute<int>(g, "job_ranks", H5T_NATIVE_INT, {size}, true);
    write_numeric_attribute<int>(g, "oversubscribed", H5T_NATIVE_INT, {size > cores ? 1 : 0}, true);
    write_string_attribute(g, "mpi_library", mpi::Environment::library_version());
    write_string_attribute(g, "compiler", kCompilerId);
    write_string_attribute(g, "compiler_flags", kCompilerFlags);
    write_string_attribute(g, "kinmap_version", kVersion);
    write_string_attribute(g, "model_hash", content_hash(model.source.text));
    write_string_attribute(g, "model", model.mechanism.name);
    write_numeric_attribute<double>(g, "latency_s", H5T_NATIVE_DOUBLE, {latency}, true);

    const Handle runs_group(check_id(H5Gcreate2(g, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create runs"), H5Gclose);
    std::vector<std::string> modes, schedules;
    std::vector<double> ranks_col, repeat_col, points_col, wall_col, pps_col, compute, wait, io;
    const auto n_runs = static_cast<hsize_t>(runs.size());
    const auto width = static_cast<hsize_t>(*counts.rbegin());
    for (const RunRow& row : runs) {
        modes.push_back(row.mode);
        schedules.push_back(row.schedule);
        ranks_col.push_back(row.ranks);
        repeat_col.push_back(row.repeat);
        points_col.push_back(static_cast<double>(row.points));
        wall_col.push_back(row.wall_s);
        pps_col.push_back(static_cast<double>(row.points) / row.wall_s);
        for (hsize_t r = 0; r < width; ++r) {
            const bool has = r < row.compute_s.size();
            const double nan = std::numeric_limits<double>::quiet_NaN();
            compute.push_back(has ? row.compute_s[r] : nan);
            wait.push_back(has ? row.wait_s[r] : nan);
            io.push_back(has ? row.io_s[r] : nan);
        }
    }
    const hid_t rg = runs_group.get();
    write_strings(rg, "mode", modes);
    write_strings(rg, "schedule", schedules);
    write_doubles(rg, "ranks", ranks_col, {n_runs}, "1");
    write_doubles(rg, "repeat", repeat_col, {n_runs}, "1");
    write_doubles(rg, "points", points_col, {n_runs}, "1");
    write_doubles(rg, "wall_s", wall_col, {n_runs}, "s");
    write_doubles(rg, "points_per_s", pps_col, {n_runs}, "1/s");
    write_doubles(rg, "compute_s", compute, {n_runs, width}, "s");
    write_doubles(rg, "wait_s", wait, {n_runs, width}, "s");
    write_doubles(rg, "io_s", io, {n_runs, width}, "s");

    const Handle sum_group(check_id(H5Gcreate2(g, "summary", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create summary"), H5Gclose);
    const hid_t sg = sum_group.get();
    std::vector<std::string> s_mode, s_schedule;
    std::map<std::string, std::vector<double>> cols;
    for (const auto& s : summary) {
        s_mode.push_back(s.mode);
        s_schedule.push_back(s.schedule);
        cols["ranks"].push_back(s.ranks);
        cols["points"].push_back(static_cast<double>(s.points));
        cols["wall_median_s"].push_back(s.wall_median_s);
        cols["wall_min_s"].push_back(s.wall_min_s);
        cols["wall_max_s"].push_back(s.wall_max_s);
        cols["points_per_s"].push_back(s.points_per_s);
        cols["speedup"].push_back(s.speedup);
        cols["efficiency"].push_back(s.efficiency);
        cols["load_balance"].push_back(s.load_balance);
        cols["karp_flatt"].push_back(s.karp_flatt);
        cols["simulated"].push_back(s.simulated ? 1.0 : 0.0);
        cols["simulated_wall_s"].push_back(s.simulated_wall_s);
    }
    write_strings(sg, "mode", s_mode);
    write_strings(sg, "schedule", s_schedule);
    for (const auto& [name, values] : cols) {
        write_doubles(sg, name, values, {values.size()}, name.find("_s") != std::string::npos ? "s" : "1");
    }
    write_doubles(g, "point_costs_s", costs, {costs.size()}, "s");

    std::string csv = options.output;
    const auto dot = csv.rfind(".h5");
    csv = (dot != std::string::npos ? csv.substr(0, dot) : csv) + ".csv";
    std::ofstream out(csv);
    out << "mode,schedule,ranks,points,wall_median_s,wall_min_s,wall_max_s,points_per_s,speedup,"
           "efficiency,load_balance,karp_flatt,simulated,simulated_wall_s,oversubscribed\n";
    for (const auto& s : summary) {
        out << s.mode << ',' << s.schedule << ',' << s.ranks << ',' << s.points << ',' << s.wall_median_s
            << ',' << s.wall_min_s << ',' << s.wall_max_s << ',' << s.points_per_s << ',' << s.speedup << ','
            << s.efficiency << ',' << s.load_balance << ',' << s.karp_flatt << ',' << (s.simulated ? 1 : 0)
            << ',' << s.simulated_wall_s << ',' << (s.ranks > cores ? 1 : 0) << '\n';
    }
    return summary;
}

}  // namespace kinmap
