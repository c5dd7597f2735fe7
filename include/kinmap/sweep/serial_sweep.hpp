#pragma once
//! \file
//! The serial scheduler (STYLE.md: the scheduler is an interface with a serial and an MPI
//! implementation): one thread solves every point of a work list in list order with the same
//! PointWorker as the MPI sweep and hands the records to a RecordSink in batches. No MPI at
//! all, so that the sweep loop is unit tested without mpiexec; `kinmap run` on one rank uses it.

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/schedule.hpp"
#include "kinmap/sweep/sweep_loop.hpp"

namespace kinmap {

//! Solve every point of `work` in order and deliver each record once to `sink`, as the MPI
//! sweep on one rank would (records carry rank 0; options.schedule and max_chunk do not
//! apply). A stop request or the deadline ends the sweep before the next point; a point cut by
//! the deadline is not delivered, so a resumed run computes it again. What a point,
//! options.before_point or the sink throws ends the sweep at once and propagates unchanged;
//! records not yet handed to the sink are then dropped. Per-rank vectors of the result have
//! one entry (wait_s is 0; io_s is the time in the sink).
SweepStats run_sweep_serial(const ModelFile& model, const Grid& grid, const PointList& work,
                            RecordSink& sink, const SweepOptions& options);

}  // namespace kinmap
