#include "kinmap/sweep/serial_sweep.hpp"

#include <chrono>
#include <vector>

namespace kinmap {

SweepStats run_sweep_serial(const ModelFile& model, const Grid& grid, const PointList& work,
                            RecordSink& sink, const SweepOptions& options) {
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    SweepStats stats;
    stats.points_planned = work.size();
    PointWorker worker(model, grid, work, 0, options);
    const RecordLayout& layout = worker.layout();
    SweepProgress progress(options.progress, work.size());
    double io_s = 0.0;
    std::vector<double> records;
    auto deliver = [&] {
        if (records.empty()) return;
        const std::size_t count = records.size() / static_cast<std::size_t>(layout.size());
        const auto t0 = Clock::now();
        sink.write(records.data(), count, layout);
        io_s += std::chrono::duration<double>(Clock::now() - t0).count();
        stats.add_delivered(records.data(), count, layout);
        records.clear();
    };
    const auto stride = static_cast<std::size_t>(layout.size());
    std::int64_t p_next = 0;
    worker.solve_stream(
        [&] {
            if (records.size() >= kSweepBatchRecords * stride) deliver();
            progress.update(worker.points());
            if (p_next >= work.size()) return kNoMorePoints;
            if (stop_requested(options)) return kNoMorePoints;
            return p_next++;
        },
        [&](std::int64_t, const double* record) { records.insert(records.end(), record, record + stride); });
    deliver();
    stats.compute_s = {worker.compute_s()};
    stats.wait_s = {0.0};
    stats.io_s = {io_s};
    stats.points_per_rank = {worker.points()};
    stats.stopped_early = stats.points_done < stats.points_planned;
    stats.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    progress.update(stats.points_done, true);
    return stats;
}

}  // namespace kinmap
