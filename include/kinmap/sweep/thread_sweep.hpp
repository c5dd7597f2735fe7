#pragma once
//! \file
//! A sweep on std::threads inside one process (no MPI): the Python module's `Model.map`
//! (DESIGN §9). Workers take dynamic chunks of the work list from an atomic counter, each with
//! its own PointWorker (and so its own SteadySolver); records are placed by their position in
//! the work list, so the result does not depend on the thread count or on which thread solved
//! which point, and equals the records of `kinmap run` bitwise (every point starts from the
//! clean surface, DESIGN §4).

#include <cstdint>
#include <functional>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/schedule.hpp"
#include "kinmap/sweep/sweep_loop.hpp"

namespace kinmap {

//! What run_sweep_threads produced.
struct ThreadSweepResult {
    //! work.size() records of layout.size() doubles, record p (position p of the work list) at
    //! p·layout.size(); a point not solved (stopped early) has index −1 and status NOT_RUN.
    std::vector<double> records;
    RecordLayout layout;
    //! Per worker thread: compute_s, points_per_rank (wait_s, io_s 0); points_done,
    //! status_counts and stopped_early over all of them.
    SweepStats stats;
};

//! Called on the calling thread about every `poll_interval_s` while the workers run, with the
//! number of points finished so far; returning false stops the sweep before the next point
//! (what it throws also stops it, after the workers are joined, and then propagates).
using SweepPoll = std::function<bool(std::int64_t done)>;

//! Solve every point of `work` on `threads` worker threads (0: std::thread::hardware_concurrency,
//! at least 1), the calling thread being one of them (it polls between its points, then while
//! it waits for the others). options.stop and options.deadline stop the sweep before the next point (a point
//! cut by the deadline is not delivered); options.before_point runs on the solving thread;
//! options.schedule, max_chunk and progress do not apply (progress is the poll's business).
//! The first exception of a worker stops the others and is rethrown here after every worker
//! has been joined. Throws InputError as PointWorker does (a gas without a pressure).
ThreadSweepResult run_sweep_threads(const ModelFile& model, const Grid& grid, const PointList& work,
                                    int threads, const SweepOptions& options, const SweepPoll& poll,
                                    double poll_interval_s = 0.1);

}  // namespace kinmap
