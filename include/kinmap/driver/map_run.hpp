#pragma once
//! \file
//! `kinmap run`, `merge` and `info` as library calls: the sweep of DESIGN.md §5 written to the
//! file of §6, atomically (OUT.h5.partial, renamed when complete), resumable after a stop,
//! optionally as one shard of a split run; the merge of shards; a summary of a map file.
//!
//! Part of the driver module (run orchestration), the top of the library: it uses io (map
//! file, checkpoint journal, output guard), parallel (communicator, MPI sweep), sweep (grid,
//! work lists, the serial sweep) and steady; io below it only reads and writes files. Sources:
//! src/driver/run_resume.cpp (run_map), src/driver/map_run.cpp (shards, merge, info).

#include <atomic>
#include <string>

#include "kinmap/core/deadline.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/parallel/mpi.hpp"
#include "kinmap/parallel/sweep_runner.hpp"
#include "kinmap/sweep/schedule.hpp"

namespace kinmap {

//! Options of one map run.
struct MapRunOptions {
    std::string output;                        //!< OUT.h5
    Schedule schedule = Schedule::dynamic;
    bool resume = false;                       //!< continue OUT.h5.partial
    Deadline deadline;                         //!< stop taking points after this
    const std::atomic<bool>* stop = nullptr;   //!< set by signal handlers
    bool progress = false;                     //!< progress lines on rank 0's stderr
    bool lanes = true;                         //!< SweepOptions::lanes (`--no-lanes` clears it)
    int shard_index = 0;                       //!< --shard K/N: this run computes the points
    int shard_count = 1;                       //!< k with k mod N == K (N = 1: all points)
    //! A complete run whose share of points with a status other than OK exceeds this reports
    //! `too_many_failed` (the CLI then exits 1; the file is still written).
    double max_failed_fraction = 0.01;
};

//! The points of shard `index` of `count`: k ≡ index (mod count). Round robin, because slow
//! points cluster in a map and contiguous shards would take very different times.
std::vector<std::int64_t> shard_points(std::int64_t n_points, int index, int count);

//! Merge shard files of one input into `output` (written as .partial, renamed): the file a
//! single run would have written, bitwise in the results. Refuses shards of different inputs
//! or grids, missing or duplicate shards, and incomplete shards (InputError). Rank 0 only.
void merge_shards(const std::string& output, const std::vector<std::string>& shards);

//! A summary of a map file for users: grid, statuses, value ranges, timing, input hash.
std::string describe_map(const std::string& path);

//! What a map run did.
struct MapRunSummary {
    bool complete = false;  //!< every point done and OUT.h5 in place
    SweepStats stats;       //!< of this invocation (rank 0 has the per-rank vectors)
    std::string line;       //!< one-line summary for users (rank 0)
    std::int64_t finished = 0;  //!< points with a record, this run and the checkpoint (rank 0)
    std::int64_t failed = 0;    //!< of those, points whose status is not OK (rank 0)
    bool too_many_failed = false;  //!< failed > max_failed_fraction · finished (every rank)
};

//! Run the sweep of `model` on `comm` into options.output: on one rank with the serial
//! scheduler (run_sweep_serial), else with the MPI one (run_sweep); the records, and the
//! `/rank` and `/timing` they fill, are the same either way. Input problems (no [sweep],
//! a gas without pressure, an existing partial file without --resume, a resume of a
//! different input) throw InputError on every rank alike. Collective: every rank must call.
MapRunSummary run_map(const mpi::Communicator& comm, const ModelFile& model,
                      const MapRunOptions& options);

}  // namespace kinmap
