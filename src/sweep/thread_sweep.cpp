#include "kinmap/sweep/thread_sweep.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "kinmap/steady/status.hpp"

namespace kinmap {

ThreadSweepResult run_sweep_threads(const ModelFile& model, const Grid& grid, const PointList& work,
                                    int threads, const SweepOptions& options, const SweepPoll& poll,
                                    double poll_interval_s) {
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const std::int64_t n = work.size();
    // More threads than points would only build solvers that never run.
    threads = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(threads, n)));

    // The workers see this copy, whose stop flag also carries the poll's and a failure's stop.
    std::atomic<bool> stop{false};
    SweepOptions worker_options = options;
    worker_options.stop = &stop;
    auto must_stop = [&] {
        return stop.load(std::memory_order_relaxed) ||
               (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) ||
               options.deadline.expired();
    };

    // Built here, one after another: an InputError (a gas without pressure) surfaces before any
    // thread starts, and no thread races another's construction.
    std::vector<std::unique_ptr<PointWorker>> workers;
    for (int t = 0; t < threads; ++t)
        workers.push_back(std::make_unique<PointWorker>(model, grid, work, 0, worker_options));

    ThreadSweepResult result;
    result.layout = workers.front()->layout();
    const auto stride = static_cast<std::size_t>(result.layout.size());
    result.records.assign(static_cast<std::size_t>(n) * stride, 0.0);
    for (std::int64_t p = 0; p < n; ++p) {
        double* rec = result.records.data() + static_cast<std::size_t>(p) * stride;
        rec[RecordLayout::kIndex] = -1.0;
        rec[RecordLayout::kStatus] = static_cast<double>(static_cast<int>(Status::not_run));
    }
    std::vector<unsigned char> solved(static_cast<std::size_t>(n), 0);

    // Chunks small enough that the last ones balance the threads, large enough that the
    // counter is not contended (points cost ~0.1-10 ms).
    const std::int64_t chunk = std::clamp<std::int64_t>(n / (8 * static_cast<std::int64_t>(threads)), 1, 16);
    std::atomic<std::int64_t> next{0};
    std::atomic<std::int64_t> done{0};
    std::atomic<int> running{threads};
    std::mutex mutex;
    std::condition_variable finished;
    std::exception_ptr failure;

    // The calling thread polls: between its own points while it is a worker, then while it
    // waits for the others.
    std::exception_ptr poll_failure;
    const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(poll_interval_s));
    auto last_poll = Clock::now();
    auto poll_now = [&] {
        last_poll = Clock::now();
        if (!poll || poll_failure) return;
        try {
            if (!poll(done.load(std::memory_order_relaxed))) stop.store(true);
        } catch (...) {
            poll_failure = std::current_exception();
            stop.store(true);
        }
    };
    auto body = [&](PointWorker& worker, bool calling_thread) {
        try {
            std::int64_t p = 0, last = 0;  // the current chunk [p, last)
            // A point cut by the deadline stays undone, as those in flight.
            worker.solve_stream(
                [&]() -> std::int64_t {
                    if (calling_thread && Clock::now() - last_poll >= interval) poll_now();
                    if (must_stop()) return kNoMorePoints;
                    if (p == last) {
                        p = next.fetch_add(chunk, std::memory_order_relaxed);
                        if (p >= n) {
                            p = last;
                            return kNoMorePoints;
                        }
                        last = std::min(n, p + chunk);
                    }
                    return p++;
                },
                [&](std::int64_t position, const double* record) {
                    std::copy(record, record + stride,
                              result.records.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(position) * stride));
                    solved[static_cast<std::size_t>(position)] = 1;
                    done.fetch_add(1, std::memory_order_relaxed);
                });
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex);
            if (!failure) failure = std::current_exception();
            stop.store(true);
        }
        {
            std::lock_guard<std::mutex> lock(mutex);
            running.fetch_sub(1);
        }
        finished.notify_all();
    };

    // Threads 1 .. threads−1 are started; the calling thread is worker 0 (so a 1-thread map
    // is the serial sweep's loop, without a thread hand-off).
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(threads));
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(body, std::ref(*workers[static_cast<std::size_t>(t)]), false);
    body(*workers.front(), true);
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(mutex);
            const auto wait = interval - (Clock::now() - last_poll);
            if (finished.wait_for(lock, wait, [&] { return running.load() == 0; })) break;
        }
        poll_now();
    }
    for (std::thread& t : pool) t.join();
    if (poll_failure) std::rethrow_exception(poll_failure);
    if (failure) std::rethrow_exception(failure);
    if (poll) poll(done.load());  // the final count (e.g. a progress bar's last line)

    SweepStats& stats = result.stats;
    stats.points_planned = n;
    for (std::int64_t p = 0; p < n; ++p) {
        if (solved[static_cast<std::size_t>(p)] != 0)
            stats.add_delivered(result.records.data() + static_cast<std::size_t>(p) * stride, 1, result.layout);
    }
    for (const auto& w : workers) {
        stats.compute_s.push_back(w->compute_s());
        stats.wait_s.push_back(0.0);
        stats.io_s.push_back(0.0);
        stats.points_per_rank.push_back(w->points());
    }
    stats.stopped_early = stats.points_done < n;
    stats.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
}

}  // namespace kinmap
