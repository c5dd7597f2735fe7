#pragma once
//! \file
//! `kinmap run` as a library call: the sweep of DESIGN.md §5 written to the file of §6,
//! atomically (OUT.h5.partial, renamed when complete), resumable after a stop.

#include <atomic>
#include <string>

#include "kinmap/core/deadline.hpp"
#include "kinmap/mechanism/mechanism.hpp"
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
};

//! What a map run did.
struct MapRunSummary {
    bool complete = false;  //!< every point done and OUT.h5 in place
    SweepStats stats;       //!< of this invocation (rank 0 has the per-rank vectors)
    std::string line;       //!< one-line summary for users (rank 0)
};

//! Run the sweep of `mechanism` on `comm` into options.output. Input problems (no [sweep],
//! a gas without pressure, an existing partial file without --resume, a resume of a
//! different input) throw InputError on every rank alike. Collective: every rank must call.
MapRunSummary run_map(const mpi::Communicator& comm, const Mechanism& mechanism,
                      const MapRunOptions& options);

}  // namespace kinmap
