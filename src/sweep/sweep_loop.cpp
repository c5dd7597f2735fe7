#include "kinmap/sweep/sweep_loop.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace kinmap {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

void SweepStats::add_delivered(const double* records, std::size_t count,
                               const RecordLayout& layout) {
    for (std::size_t r = 0; r < count; ++r) {
        const auto status = static_cast<std::size_t>(
            records[r * static_cast<std::size_t>(layout.size()) + RecordLayout::kStatus]);
        ++status_counts[status];
    }
    points_done += static_cast<std::int64_t>(count);
}

bool stop_requested(const SweepOptions& options) {
    return (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) ||
           options.deadline.expired();
}

PointWorker::PointWorker(const ModelFile& model, const Grid& grid, const PointList& work,
                         int rank, const SweepOptions& options)
    : solver_(model.mechanism, model.solver),
      conditions_(model, grid),
      work_(work),
      rank_(rank),
      options_(options),
      layout_(record_layout(model.mechanism, model.solver)) {
    if (model.solver.all_states) all_states_.emplace(model.mechanism, model.solver);
    if (options.lanes && solver_.lanes_supported()) {
        lanes_ = std::make_unique<ode::LaneTransient>(solver_.kinetics());
        handed_ = std::make_unique<ode::Transient>(solver_.kinetics(), ode::StepperKind::rodas4);
        if (options.lane_newton) {
            newton_ = std::make_unique<LaneNewton>(solver_);
            for (auto& t : queued_transient_) {
                t = std::make_unique<ode::Transient>(solver_.kinetics(), ode::StepperKind::rodas4);
            }
        }
    }
    record_.resize(static_cast<std::size_t>(layout_.size()));
}

bool PointWorker::complete(std::int64_t k, PointResult& r) {
    if (all_states_ && !(r.status == Status::timeout && options_.deadline.expired())) {
        // The search's time is part of the point's cost.
        const auto t1 = Clock::now();
        all_states_->find(solver_, r);
        r.wall_time_s += seconds_since(t1);
    }
    if (r.status == Status::timeout && options_.deadline.expired()) return false;
    pack_record(layout_, k, rank_, r, record_.data());
    ++points_;
    return true;
}

bool PointWorker::solve(std::int64_t position, std::vector<double>& out) {
    const auto t0 = Clock::now();
    const std::int64_t k = work_[position];
    if (options_.before_point) options_.before_point(k);
    PointResult r = solver_.solve(conditions_.at(k), options_.deadline);
    const bool done = complete(k, r);
    compute_s_ += seconds_since(t0);
    if (done) out.insert(out.end(), record_.begin(), record_.end());
    return done;
}

bool PointWorker::solve_stream(const PointSource& next, const RecordReady& ready) {
    if (lanes_) return solve_in_lanes(next, ready);
    std::vector<double> out;
    while (true) {
        const std::int64_t p = next();
        if (p < 0) return true;
        out.clear();
        if (!solve(p, out)) return false;
        ready(p, out.data());
    }
}

bool PointWorker::solve_in_lanes(const PointSource& next, const RecordReady& ready) {
    const auto t0 = Clock::now();
    double outside_s = 0.0;  // in next() and ready(): the scheduler's, not the points'
    auto leave = [&](bool result) {
        for (int w = 0; w < kLanes; ++w) lanes_->release(w);
        queued_count_ = 0;  // (points cut short by the deadline stay undone)
        compute_s_ += seconds_since(t0) - outside_s;
        return result;
    };
    for (int w = 0; w < kLanes; ++w) lanes_->release(w);  // (left busy by an exception)
    queued_count_ = 0;
    const SolverSettings& s = solver_.settings();
    bool more = true;
    while (true) {
        // Every free lane takes the next point.
        for (int w = 0; w < kLanes && more; ++w) {
            if (lanes_->busy(w)) continue;
            const auto t1 = Clock::now();
            const std::int64_t p = next();
            outside_s += seconds_since(t1);
            if (p < 0) {
                more = false;
                break;
            }
            Lane& lane = lane_[static_cast<std::size_t>(w)];
            lane.position = p;
            lane.k = work_[p];
            if (options_.before_point) options_.before_point(lane.k);
            lane.conditions = conditions_.at(lane.k);
            lane.start = solver_.begin_point(lane.conditions, options_.deadline);
            lanes_->start(w, solver_.kinetics(), solver_.clean_surface().data(), s.ode_rtol, s.ode_atol,
                          s.t_end_s, s.max_ode_steps, lane.start.deadline);
        }
        const unsigned finished = lanes_->run();
        if (finished == 0) {  // no lane busy: the source is exhausted
            return leave(finish_queued(ready, outside_s));
        }
        for (int w = 0; w < kLanes; ++w) {
            if ((finished & (1u << w)) == 0) continue;
            Lane& lane = lane_[static_cast<std::size_t>(w)];
            const ode::Outcome first = lanes_->outcome(w);
            // The point's wall time: its share of the lane rounds, then its own scalar rest.
            lane.start.started = Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                                    std::chrono::duration<double>(lanes_->cost_s(w)));
            solver_.resume_point(lane.conditions, lane.start);
            if (newton_ && first == ode::Outcome::reached) {
                // Queued for the lane Newton, which runs when kLanes points wait.
                const int q = queued_count_++;
                lanes_->hand_over(w, *queued_transient_[static_cast<std::size_t>(q)]);
                solver_.newton_start(queued_transient_[static_cast<std::size_t>(q)]->state(), newton_start_);
                newton_->load(q, solver_.kinetics(), newton_start_.data());
                lane.elapsed = Clock::now() - lane.start.started;
                queued_[static_cast<std::size_t>(q)] = lane;
                if (queued_count_ == kLanes && !finish_queued(ready, outside_s)) return leave(false);
                continue;
            }
            lanes_->hand_over(w, *handed_);
            PointResult r = solver_.finish_point(lane.conditions, lane.start, *handed_, first);
            if (!complete(lane.k, r)) return leave(false);
            const auto t1 = Clock::now();
            ready(lane.position, record_.data());
            outside_s += seconds_since(t1);
        }
    }
}

bool PointWorker::finish_queued(const RecordReady& ready, double& outside_s) {
    const int count = queued_count_;
    queued_count_ = 0;
    if (count == 0) return true;
    const auto t0 = Clock::now();
    newton_->run((1u << count) - 1u);
    // Each point's share of the lane Newton's time counts in its wall time.
    const auto share = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(seconds_since(t0) / count));
    for (int q = 0; q < count; ++q) {
        Lane& lane = queued_[static_cast<std::size_t>(q)];
        lane.start.started = Clock::now() - lane.elapsed - share;
        // The point's time limit counts its own time, not the queue's wait (other points'
        // ladders may have run meanwhile): as if it had gone on at once.
        const double limit = solver_.settings().point_time_limit_s;
        if (limit > 0.0) {
            const double used = seconds_since(lane.start.started);
            lane.start.deadline = Deadline::earliest(options_.deadline, Deadline::after(std::max(limit - used, 1e-9)));
        }
        solver_.resume_point(lane.conditions, lane.start);
        PointResult r = solver_.finish_point(lane.conditions, lane.start,
                                             *queued_transient_[static_cast<std::size_t>(q)],
                                             ode::Outcome::reached, &newton_->result(q));
        if (!complete(lane.k, r)) return false;
        const auto t1 = Clock::now();
        ready(lane.position, record_.data());
        outside_s += seconds_since(t1);
    }
    return true;
}

SweepProgress::SweepProgress(bool enabled, std::int64_t total)
    : enabled_(enabled), total_(total), start_(Clock::now()) {}

void SweepProgress::update(std::int64_t done, bool final) {
    if (!enabled_) return;
    const double elapsed = seconds_since(start_);
    if (!final && elapsed - last_ < 1.0) return;
    last_ = elapsed;
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
    std::fprintf(
        stderr, "[rank 0] %lld/%lld points (%.1f%%), %.0f points/s, ETA %.1f s%s",
        static_cast<long long>(done), static_cast<long long>(total_),
        total_ > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total_) : 100.0, rate,
        eta, isatty(2) && !final ? "\r" : "\n");
    std::fflush(stderr);
}

}  // namespace kinmap
