// `kinmap run`: the MPI sweep into one HDF5 file.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

#include "commands.hpp"
#include "kinmap/core/version.hpp"
#include "kinmap/driver/map_run.hpp"
#include "kinmap/driver/scaling_study.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/parallel/mpi.hpp"

namespace kinmap::app {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};  // the first stop signal received, 0 if none

extern "C" void on_stop_signal(int signal) {
    int none = 0;
    g_signal.compare_exchange_strong(none, signal);
    g_stop.store(true);
}

const char* signal_name(int signal) {
    switch (signal) {
        case SIGTERM: return "SIGTERM";
        case SIGINT: return "SIGINT";
        case SIGUSR1: return "SIGUSR1";
        default: return "a signal";
    }
}

// Runs `body` (which returns an exit code) and maps errors for an MPI command. Input errors are
// seen by every rank alike (each reads the model, and a point's input error is shared by the
// sweep), and so are SharedErrors: all ranks return the same code and rank 0 alone says why.
// Anything else struck this rank only, whose peers could be waiting for it in a collective or
// a receive: it says why and ends them all.
template <class Body>
int with_mpi_errors(const mpi::Communicator& world, Body&& body) {
    const int rank = world.rank();
    try {
        return body();
    } catch (const InputError& e) {
        if (rank == 0) print_error(rank, e.what());
        return kExitInput;
    } catch (const SharedError& e) {
        if (rank == 0) print_error(rank, e.what());
        return kExitFailure;
    } catch (const std::exception& e) {
        print_error(rank, e.what());
        if (world.size() > 1) world.abort(kExitFailure);
        return kExitFailure;
    }
}

}  // namespace

int run_sweep_command(const RunOptions& options, int& argc, char**& argv) {
    mpi::Environment environment(argc, argv);
    const mpi::Communicator world = mpi::Communicator::world();
    const int rank = world.rank();
    // Batch systems send SIGTERM or SIGUSR1 before the kill; Ctrl-C is SIGINT. Each stops the
    // run at the next point, saves what is done and exits 3 (resumable).
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGUSR1, on_stop_signal);

    MapRunOptions run;
    run.output = options.output;
    run.schedule = parse_schedule(options.schedule);
    run.resume = options.resume;
    run.lanes = !options.no_lanes;
    run.deadline = Deadline::after(options.deadline_s);
    run.stop = &g_stop;
    run.progress = options.progress || isatty(2) != 0;
    run.max_failed_fraction = options.max_failed_fraction;
    if (!options.shard.empty()) {
        int k = -1, n = 0;
        char tail = 0;
        if (std::sscanf(options.shard.c_str(), "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 0 || k >= n) {
            if (rank == 0) {
                std::cerr << "[rank 0] error: <command line>:1:1: --shard: expected K/N with 0 <= K < N, got '"
                          << options.shard << "'\n";
            }
            return kExitInput;
        }
        run.shard_index = k;
        run.shard_count = n;
    }
    return with_mpi_errors(world, [&] {
        // Every rank reads the model: an input error is then seen by all ranks alike.
        ModelFile model = read_model_file(options.model);
        if (options.all_states) model.solver.all_states = true;
        print_warnings(model);
        const MapRunSummary summary = run_map(world, model, run);
        if (rank == 0) std::fprintf(stderr, "%s\n", summary.line.c_str());
        // Any rank may have received the signal (mpirun forwards it to every rank).
        const int signal = world.max(g_signal.load());
        if (rank == 0 && signal != 0 && !summary.complete) {
            std::fprintf(stderr, "[rank 0] stopped by %s: the ranks exit 3 (resumable)%s\n", signal_name(signal),
                         signal == SIGUSR1 || world.size() == 1 ? ""
                                           : "; under mpirun, Open MPI's launcher itself then exits 1 for "
                                             "SIGTERM and SIGINT: send SIGUSR1 to mpirun to get exit 3");
        }
        if (!summary.complete) return kExitResumable;
        return summary.too_many_failed ? kExitFailure : kExitOk;
    });
}

int run_merge(const MergeOptions& options) {
    merge_shards(options.output, options.shards);
    std::fprintf(stderr, "[rank 0] merged %zu shards into %s\n", options.shards.size(), options.output.c_str());
    return kExitOk;
}

int run_info(const std::string& path) {
    std::fputs(describe_map(path).c_str(), stdout);
    return kExitOk;
}

int run_scaling_command(const ScalingCommandOptions& options, int& argc, char**& argv) {
    mpi::Environment environment(argc, argv);
    const mpi::Communicator world = mpi::Communicator::world();
    const int rank = world.rank();
    return with_mpi_errors(world, [&] {
        const ModelFile model = read_model_file(options.model);
        ScalingOptions study;
        study.output = options.output;
        study.ranks = options.ranks;
        study.repeats = options.repeats;
        study.modes = options.modes;
        study.schedules.clear();
        for (const auto& s : options.schedules) study.schedules.push_back(parse_schedule(s));
        if (study.schedules.empty()) study.schedules = {Schedule::dynamic};
        study.simulate = options.simulate;
        const auto summary = run_scaling_study(world, model, study);
        if (rank == 0) {
            std::printf("%-6s %-8s %6s %9s %12s %12s %8s %8s %8s %8s %s\n", "mode", "schedule",
                        "ranks", "points", "wall_s", "points/s", "speedup", "eff", "LB", "K-F", "");
            for (const auto& s : summary) {
                std::printf("%-6s %-8s %6d %9lld %12.5f %12.0f %8.3f %8.3f %8.3f %8.4f %s\n",
                            s.mode.c_str(), s.schedule.c_str(), s.ranks, static_cast<long long>(s.points),
                            s.wall_median_s, s.points_per_s, s.speedup, s.efficiency, s.load_balance,
                            s.karp_flatt, s.simulated ? "(simulated)" : "");
            }
            std::printf("wrote %s (/scaling) and its .csv\n", options.output.c_str());
        }
        return kExitOk;
    });
}

}  // namespace kinmap::app
