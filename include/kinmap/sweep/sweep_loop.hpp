#pragma once
//! \file
//! What every scheduler of a sweep shares (DESIGN.md §5), with no MPI in it: the RecordSink
//! that receives finished records, the options and statistics of a sweep, and the PointWorker
//! that solves the points of a work list one by one and packs their records. The schedulers
//! differ only in who solves which point and how records travel: the serial one
//! (kinmap/sweep/serial_sweep.hpp) solves every point itself, in list order; the MPI one
//! (kinmap/parallel/sweep_runner.hpp) shares them between ranks.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "kinmap/core/deadline.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/ode/lane_transient.hpp"
#include "kinmap/steady/status.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/lane_newton.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/record.hpp"
#include "kinmap/sweep/schedule.hpp"

namespace kinmap {

//! Receives finished records (e.g. the HDF5 writer); under MPI on rank 0 only.
class RecordSink {
public:
    virtual ~RecordSink() = default;
    //! `count` records of `layout.size()` doubles each, in no particular order.
    virtual void write(const double* records, std::size_t count, const RecordLayout& layout) = 0;
};

//! How to run a sweep.
struct SweepOptions {
    Schedule schedule = Schedule::dynamic;    //!< MPI only: the serial sweep goes in order
    Deadline deadline;                        //!< stop taking new points after this
    const std::atomic<bool>* stop = nullptr;  //!< set (e.g. by a signal) to stop early
    bool progress = false;                    //!< print progress to stderr (rank 0)
    std::int64_t max_chunk = 256;             //!< MPI only: largest dynamic chunk [points]
    //! Called with the grid index before each point is solved, on the thread solving it. What
    //! it throws fails the sweep exactly as a throwing point does (tests inject failures here).
    std::function<void(std::int64_t)> before_point;
    //! Run the clean-surface transients of several points at once in SIMD lanes where the
    //! model allows (PointWorker::solve_stream); the results are the same bit for bit either
    //! way (`kinmap run --no-lanes` turns it off, for comparison).
    bool lanes = true;
    //! With lanes: also run the first Newton attempt of kLanes finished transients at once
    //! (LaneNewton); the same bits either way (bench/point_bench compares the two).
    bool lane_newton = true;
};

//! What a sweep did. Per-rank vectors are filled on rank 0 only (one entry in a serial sweep).
struct SweepStats {
    std::int64_t points_planned = 0;                         //!< points in the PointList
    std::int64_t points_done = 0;                            //!< records delivered to the sink
    std::array<std::int64_t, kStatusCount> status_counts{};  //!< per Status, over done points
    double wall_s = 0.0;                        //!< wall time of the sweep on this rank [s]
    bool stopped_early = false;                 //!< a stop request or the deadline ended it
    std::vector<double> compute_s;              //!< per rank: time solving points [s]
    std::vector<double> wait_s;                 //!< per rank: time waiting for work or messages [s]
    std::vector<double> io_s;                   //!< per rank: time in the sink (rank 0) [s]
    std::vector<std::int64_t> points_per_rank;  //!< per rank: points solved

    //! Count `count` records just delivered to the sink: points_done and status_counts.
    void add_delivered(const double* records, std::size_t count, const RecordLayout& layout);
};

//! Records are passed on (to the sink, or to rank 0) once this many are buffered.
inline constexpr std::size_t kSweepBatchRecords = 256;

//! Whether the sweep must stop taking points: options.stop is set or the deadline passed.
bool stop_requested(const SweepOptions& options);


//! What a PointSource returns when it has no position to give (the list is done, or a stop):
//! the points in flight are finished, as a point being solved when a stop arrives.
inline constexpr std::int64_t kNoMorePoints = -1;
//! Hands out positions of the work list to PointWorker::solve_stream, one per call, or
//! kNoMorePoints. Called between points: a scheduler also flushes, polls and reports
//! progress there.
using PointSource = std::function<std::int64_t()>;
//! Receives a finished point's position in the work list and its record (layout().size()
//! doubles, valid during the call).
using RecordReady = std::function<void(std::int64_t position, const double* record)>;

//! Solves points of a work list and packs their records; one per thread of work. Each point
//! starts from the clean surface (DESIGN.md §4), so a record does not depend on which worker
//! solved it, in which order, or (lanes) in which lane and with which companions.
class PointWorker {
public:
    //! `rank` is written into every record (RecordLayout::kRank). The references must outlive
    //! the worker. Throws InputError if a gas that no axis sweeps has no pressure.
    PointWorker(const ModelFile& model, const Grid& grid, const PointList& work, int rank,
                const SweepOptions& options);

    const RecordLayout& layout() const { return layout_; }

    //! Solve the point at `position` of the work list (after options.before_point, whose
    //! exceptions propagate) and append its record to `out`. Returns false (and appends
    //! nothing) when the deadline cut the point short: it stays undone for a resume.
    bool solve(std::int64_t position, std::vector<double>& out);

    //! Solve the points that `next` hands out until it says no more, passing each record to
    //! `ready` as it finishes, in no particular order; true when all are done. Where
    //! SweepOptions::lanes is set and the model allows (SteadySolver::lanes_supported()), up
    //! to kLanes points integrate their first transient together (ode::LaneTransient) and a
    //! finished lane takes the next point at once; else one point at a time as solve().
    //! With SweepOptions::lane_newton, points whose lanes reached t_end_s wait until kLanes
    //! of them (or the last ones) are ready for the lane Newton, so their records come later.
    //! Returns false, at once, when the deadline cut a point short (it stays undone, as the
    //! other points in flight, queued ones included: the deadline cuts them too). The time in `next` and `ready` is not counted in compute_s().
    bool solve_stream(const PointSource& next, const RecordReady& ready);

    //! Time spent in solve() so far, before_point included [s].
    double compute_s() const { return compute_s_; }
    //! Records appended so far.
    std::int64_t points() const { return points_; }

private:
    //! The solve() of a point whose result is ready: the all-states search, the deadline cut,
    //! the record into record_; false where the deadline cut it.
    bool complete(std::int64_t k, PointResult& r);
    bool solve_in_lanes(const PointSource& next, const RecordReady& ready);

    struct Lane {
        std::int64_t position = 0, k = 0;
        Conditions conditions;
        SteadySolver::PointStart start;
        //! Queued for the lane Newton: the point's time until then (not the queue's wait).
        std::chrono::steady_clock::duration elapsed{};
    };

    SteadySolver solver_;
    //! The lanes (null where the model or the options rule them out), their points, and the
    //! scalar Transient that takes over a finished lane.
    std::unique_ptr<ode::LaneTransient> lanes_;
    std::array<Lane, kLanes> lane_;
    std::unique_ptr<ode::Transient> handed_;
    //! Points whose first stretch reached t_end_s, waiting for the lane Newton (null where
    //! SweepOptions::lane_newton is off): queued_count_ of them, each with its transient.
    std::unique_ptr<LaneNewton> newton_;
    std::array<Lane, kLanes> queued_;
    std::array<std::unique_ptr<ode::Transient>, kLanes> queued_transient_;
    int queued_count_ = 0;
    Eigen::VectorXd newton_start_;
    //! The lane Newton on the queued points, then the rest of each; false where the deadline
    //! cut one short. `outside_s` adds the time spent in `ready`.
    bool finish_queued(const RecordReady& ready, double& outside_s);
    std::vector<double> record_;
    //! Every steady state of each point too (DESIGN §8), when the settings ask for it.
    std::optional<AllStatesSearch> all_states_;
    GridConditions conditions_;
    const PointList& work_;
    int rank_;
    const SweepOptions& options_;
    RecordLayout layout_;
    double compute_s_ = 0.0;
    std::int64_t points_ = 0;
};

//! Progress lines on stderr ("[rank 0] done/total points (..%), .. points/s, ETA .. s"): at
//! most one a second (rewritten in place on a terminal), and a final one.
class SweepProgress {
public:
    SweepProgress(bool enabled, std::int64_t total);
    //! Report `done` points; `final` prints regardless of the time since the last line.
    void update(std::int64_t done, bool final = false);

private:
    bool enabled_;
    std::int64_t total_;
    std::chrono::steady_clock::time_point start_;
    double last_ = 0.0;  // first line after one second: short runs print only the summary
};

}  // namespace kinmap
