#pragma once
//! \file
//! The MPI sweep (DESIGN.md §5): every rank solves points; rank 0 also hands out work (dynamic
//! schedule) and receives every result as (index, values) records while the run goes on,
//! passing them to a RecordSink (the HDF5 writer) batch by batch, so its memory does not grow
//! with the grid. On rank 0 the points are solved on a second thread that never calls MPI.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "kinmap/core/deadline.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/parallel/mpi.hpp"
#include "kinmap/steady/status.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/record.hpp"
#include "kinmap/sweep/schedule.hpp"

namespace kinmap {

//! Receives finished records on rank 0 (e.g. the HDF5 writer).
class RecordSink {
public:
    virtual ~RecordSink() = default;
    //! `count` records of `layout.size()` doubles each, in no particular order.
    virtual void write(const double* records, std::size_t count, const RecordLayout& layout) = 0;
};

//! How to run a sweep.
struct SweepOptions {
    Schedule schedule = Schedule::dynamic;
    Deadline deadline;                          //!< stop taking new points after this
    const std::atomic<bool>* stop = nullptr;    //!< set (e.g. by a signal) to stop early
    bool progress = false;                      //!< rank 0 prints progress to stderr
    std::int64_t max_chunk = 256;               //!< largest dynamic chunk [points]
    //! Called with the grid index before each point is solved, on the thread solving it. What
    //! it throws fails the sweep exactly as a throwing point does (tests inject failures here).
    std::function<void(std::int64_t)> before_point;
};

//! What a sweep did. Per-rank vectors are filled on rank 0 only.
struct SweepStats {
    std::int64_t points_planned = 0;  //!< points in the PointList
    std::int64_t points_done = 0;     //!< records delivered to the sink
    std::array<std::int64_t, kStatusCount> status_counts{};  //!< per Status, over done points
    double wall_s = 0.0;              //!< wall time of run_sweep on this rank [s]
    bool stopped_early = false;       //!< a stop request or the deadline ended it
    std::vector<double> compute_s;    //!< per rank: time solving points [s]
    std::vector<double> wait_s;       //!< per rank: time waiting for work or messages [s]
    std::vector<double> io_s;         //!< per rank: time in the sink (rank 0) [s]
    std::vector<std::int64_t> points_per_rank;  //!< per rank: points solved
};

//! Solve every point of `work` on the ranks of `comm`. `sink` is used on rank 0 only (may be
//! null elsewhere). Points whose solve was cut by the deadline or a stop are not delivered, so
//! a resumed run computes them again. Whatever is thrown on any rank while the sweep runs (a
//! point, rank 0's sink) stops every rank at once, and every rank then throws the same
//! InputError (for an input error) or SharedError (anything else). Collective: every rank of
//! `comm` must call.
SweepStats run_sweep(const mpi::Communicator& comm, const ModelFile& model, const Grid& grid,
                     const PointList& work, RecordSink* sink, const SweepOptions& options);

}  // namespace kinmap
