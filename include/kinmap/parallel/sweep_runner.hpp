#pragma once
//! \file
//! The MPI sweep (DESIGN.md §5): every rank solves points. Under the dynamic schedule each rank
//! takes its next guided chunk itself from a ticket counter in an MPI-3 window on rank 0
//! (MPI_Fetch_and_op; GuidedPlan maps tickets to chunks), so no rank or thread dispatches.
//! Rank 0 receives every result as (index, values) records while the run goes on, polling
//! between its own points, and passes them to a RecordSink (the HDF5 writer) batch by batch,
//! so its memory does not grow with the grid; workers send with MPI_Isend and never wait for it.
//! The per-point work (PointWorker), the sink, options and statistics are those of
//! kinmap/sweep/sweep_loop.hpp, shared with the serial scheduler (kinmap/sweep/serial_sweep.hpp).

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/parallel/mpi.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/schedule.hpp"
#include "kinmap/sweep/sweep_loop.hpp"

namespace kinmap {

//! Solve every point of `work` on the ranks of `comm`. `sink` is used on rank 0 only (may be
//! null elsewhere). Points whose solve was cut by the deadline or a stop are not delivered, so
//! a resumed run computes them again. Whatever is thrown on any rank while the sweep runs (a
//! point, rank 0's sink) stops every rank at once, and every rank then throws the same
//! InputError (for an input error) or SharedError (anything else). Collective: every rank of
//! `comm` must call.
SweepStats run_sweep(const mpi::Communicator& comm, const ModelFile& model, const Grid& grid,
                     const PointList& work, RecordSink* sink, const SweepOptions& options);

}  // namespace kinmap
