#include "kinmap/sweep/sweep_loop.hpp"

#include <unistd.h>

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
}

bool PointWorker::solve(std::int64_t position, std::vector<double>& out) {
    const auto t0 = Clock::now();
    const std::int64_t k = work_[position];
    if (options_.before_point) options_.before_point(k);
    PointResult r = solver_.solve(conditions_.at(k), options_.deadline);
    if (all_states_ && !(r.status == Status::timeout && options_.deadline.expired())) {
        // The search's time is part of the point's cost.
        const auto t1 = Clock::now();
        all_states_->find(solver_, r);
        r.wall_time_s += seconds_since(t1);
    }
    compute_s_ += seconds_since(t0);
    if (r.status == Status::timeout && options_.deadline.expired()) return false;
    const std::size_t offset = out.size();
    out.resize(offset + static_cast<std::size_t>(layout_.size()));
    pack_record(layout_, k, rank_, r, out.data() + offset);
    ++points_;
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
