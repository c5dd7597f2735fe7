#include "kinmap/parallel/sweep_runner.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kinmap {
namespace {

using Clock = std::chrono::steady_clock;

enum Tag : int {
    kTagRequest = 101,  // worker -> 0: give me a chunk (empty message)
    kTagChunk = 102,    // 0 -> worker: int64 {begin, end, stride}; begin == end: no more work
    kTagResults = 103,  // worker -> 0: records
    kTagDone = 104,     // worker -> 0: double {compute_s, wait_s, points}
    kTagStop = 105,     // 0 -> worker: stop after the current point
    kTagError = 106,    // worker -> 0: an encoded mpi::Failure; kTagDone follows
    kTagFinal = 107,    // 0 -> worker, answering kTagDone: nothing more comes from rank 0
};

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Records are sent once this many are buffered, or at the end of a chunk.
constexpr std::size_t kFlushRecords = kSweepBatchRecords;

// ---- ranks other than 0 ----------------------------------------------------------------

struct WorkerTiming {
    double compute_s = 0.0;
    double wait_s = 0.0;
};

bool stop_message_arrived(const mpi::Communicator& comm) {
    int flag = 0;
    MPI_Status status;
    mpi::check(MPI_Iprobe(0, kTagStop, comm.get(), &flag, &status), "MPI_Iprobe");
    if (flag) {
        mpi::check(MPI_Recv(nullptr, 0, MPI_BYTE, 0, kTagStop, comm.get(), MPI_STATUS_IGNORE),
                   "MPI_Recv");
    }
    return flag != 0;
}

void send_records(const mpi::Communicator& comm, std::vector<double>& records) {
    if (records.empty()) return;
    mpi::check(MPI_Send(records.data(), static_cast<int>(records.size()), MPI_DOUBLE, 0,
                        kTagResults, comm.get()),
               "MPI_Send");
    records.clear();
}

// Computes `chunk`; returns false if it stopped early.
bool compute_chunk(const mpi::Communicator& comm, PointWorker& worker, const Chunk& chunk,
                   const SweepOptions& options, std::vector<double>& records) {
    for (std::int64_t p = chunk.begin; p < chunk.end; p += chunk.stride) {
        if (stop_requested(options) || stop_message_arrived(comm)) return false;
        if (!worker.solve(p, records)) return false;
        if (records.size() >= kFlushRecords * static_cast<std::size_t>(worker.layout().size())) {
            send_records(comm, records);
        }
    }
    return true;
}

void run_worker(const mpi::Communicator& comm, PointWorker& worker, const PointList& work,
                const SweepOptions& options, WorkerTiming& timing) {
    std::vector<double> records;
    if (options.schedule != Schedule::dynamic) {
        const Chunk share = static_share(options.schedule, work.size(), comm.rank(), comm.size());
        compute_chunk(comm, worker, share, options, records);
        send_records(comm, records);
        return;
    }
    // Dynamic: keep one request in flight while computing, so that the round trip to rank 0
    // hides behind the current chunk.
    std::int64_t next[3] = {0, 0, 1};
    MPI_Request pending = MPI_REQUEST_NULL;
    auto request = [&] {
        mpi::check(MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagRequest, comm.get()), "MPI_Send");
        mpi::check(MPI_Irecv(next, 3, MPI_INT64_T, 0, kTagChunk, comm.get(), &pending), "MPI_Irecv");
    };
    auto wait_reply = [&] {
        const auto t0 = Clock::now();
        mpi::check(MPI_Wait(&pending, MPI_STATUS_IGNORE), "MPI_Wait");
        timing.wait_s += seconds_since(t0);
        return Chunk{next[0], next[1], next[2]};
    };
    request();
    Chunk current = wait_reply();
    while (current.count() > 0) {
        request();
        bool completed = false;
        try {
            completed = compute_chunk(comm, worker, current, options, records);
        } catch (...) {
            // Rank 0 answers every request, also while it stops: take the reply, so that no
            // receive is left pending when the error travels up.
            wait_reply();
            throw;
        }
        send_records(comm, records);
        current = wait_reply();
        // Stopped: the prefetched chunk is dropped; its points stay NOT_RUN for --resume.
        if (!completed) break;
    }
}

// ---- rank 0 ----------------------------------------------------------------------------

// Records solved by rank 0's computing thread, handed to the dispatching (MPI) thread.
class LocalQueue {
public:
    void push(std::vector<double>& records) {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.insert(queue_.end(), records.begin(), records.end());
        records.clear();
    }
    void take(std::vector<double>& out) {
        std::lock_guard<std::mutex> lock(mutex_);
        out.swap(queue_);
        queue_.clear();
    }

private:
    std::mutex mutex_;
    std::vector<double> queue_;
};

}  // namespace

SweepStats run_sweep(const mpi::Communicator& comm, const ModelFile& model, const Grid& grid,
                     const PointList& work, RecordSink* sink, const SweepOptions& options) {
    const auto started = Clock::now();
    const int rank = comm.rank();
    const int size = comm.size();
    SweepStats stats;
    stats.points_planned = work.size();

    if (rank != 0) {
        PointWorker worker(model, grid, work, rank, options);
        WorkerTiming timing;
        try {
            run_worker(comm, worker, work, options, timing);
        } catch (const MpiError&) {
            throw;  // the messages themselves failed: nothing can be told to rank 0
        } catch (const std::exception& e) {
            // Whatever a point threw: rank 0 hears of it at once, stops every rank and makes
            // the error everyone's (below), so that no rank is left waiting.
            const std::string text = mpi::Failure::of(e).encode();
            mpi::check(MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, 0, kTagError,
                                comm.get()), "MPI_Send");
        }
        double done[3] = {worker.compute_s(), timing.wait_s, static_cast<double>(worker.points())};
        mpi::check(MPI_Send(done, 3, MPI_DOUBLE, 0, kTagDone, comm.get()), "MPI_Send");
        // A stop that rank 0 sent while this rank was finishing is still on its way: take every
        // message up to rank 0's last one (messages between two ranks do not overtake), so that
        // none is left to stop the next sweep on this communicator.
        while (true) {
            MPI_Status status;
            mpi::check(MPI_Recv(nullptr, 0, MPI_BYTE, 0, MPI_ANY_TAG, comm.get(), &status), "MPI_Recv");
            if (status.MPI_TAG == kTagFinal) break;
        }
        mpi::raise_shared(comm, mpi::Failure{}, 0);
        stats.points_done = worker.points();
        stats.wall_s = seconds_since(started);
        return stats;
    }

    // Rank 0: a computing thread (no MPI calls) and this dispatching thread (all MPI and I/O).
    PointWorker local(model, grid, work, 0, options);
    const RecordLayout layout = local.layout();
    GuidedCounter counter(work.size(), size, options.max_chunk);
    LocalQueue queue;
    std::atomic<bool> local_done{false};
    std::atomic<bool> local_stop{false};  // set when the sweep fails: rank 0's thread stops too
    std::exception_ptr local_error;
    std::thread computing([&] {
        try {
            std::vector<double> records;
            auto run_chunk = [&](const Chunk& chunk) {
                for (std::int64_t p = chunk.begin; p < chunk.end; p += chunk.stride) {
                    if (local_stop.load() || stop_requested(options) || !local.solve(p, records)) return false;
                    if (records.size() >= kFlushRecords * static_cast<std::size_t>(layout.size())) {
                        queue.push(records);
                    }
                }
                queue.push(records);
                return true;
            };
            if (options.schedule == Schedule::dynamic) {
                while (auto chunk = counter.take()) {
                    if (!run_chunk(*chunk)) break;
                }
            } else {
                run_chunk(static_share(options.schedule, work.size(), 0, size));
            }
            queue.push(records);
        } catch (...) {
            local_error = std::current_exception();
        }
        local_done.store(true);
    });

    stats.compute_s.assign(static_cast<std::size_t>(size), 0.0);
    stats.wait_s.assign(static_cast<std::size_t>(size), 0.0);
    stats.io_s.assign(static_cast<std::size_t>(size), 0.0);
    stats.points_per_rank.assign(static_cast<std::size_t>(size), 0);
    std::vector<bool> worker_active(static_cast<std::size_t>(size), true);
    worker_active[0] = false;
    int active = size - 1;
    bool stop_sent = false;
    SweepProgress progress(options.progress, work.size());
    std::vector<double> buffer;
    // Every worker still computing stops after its current point (it drains the message before
    // its kTagFinal, see run_sweep's worker side).
    auto stop_workers = [&] {
        for (int r = 1; r < size; ++r) {
            if (!worker_active[static_cast<std::size_t>(r)]) continue;
            MPI_Request request;
            mpi::check(MPI_Isend(nullptr, 0, MPI_BYTE, r, kTagStop, comm.get(), &request), "MPI_Isend");
            MPI_Request_free(&request);
        }
    };
    // The first error anywhere (a worker's point, rank 0's thread, the sink) ends the sweep at
    // once on every rank: no new work, a stop to every worker, nothing more to the sink.
    mpi::Failure failure;
    auto fail = [&](const mpi::Failure& f) {
        if (failure) return;
        failure = f;
        local_stop.store(true);
        counter.close();
        stop_workers();
        stop_sent = true;
    };
    auto deliver = [&](const double* records, std::size_t count) {
        if (count == 0 || failure) return;
        const auto t0 = Clock::now();
        if (sink != nullptr) {
            try {
                sink->write(records, count, layout);
            } catch (const std::exception& e) {
                fail(mpi::Failure::of(e));
                return;
            }
        }
        stats.io_s[0] += seconds_since(t0);
        stats.add_delivered(records, count, layout);
    };

    try {
        auto idle = std::chrono::microseconds(10);
        while (true) {
            bool progressed = false;
            int flag = 1;
            while (active > 0 && flag) {
                MPI_Status status;
                mpi::check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm.get(), &flag, &status),
                           "MPI_Iprobe");
                if (!flag) break;
                progressed = true;
                const int source = status.MPI_SOURCE;
                if (status.MPI_TAG == kTagRequest) {
                    mpi::check(MPI_Recv(nullptr, 0, MPI_BYTE, source, kTagRequest, comm.get(),
                                        MPI_STATUS_IGNORE), "MPI_Recv");
                    std::optional<Chunk> chunk;
                    if (!failure && !stop_requested(options)) chunk = counter.take();
                    std::int64_t reply[3] = {0, 0, 1};
                    if (chunk) {
                        reply[0] = chunk->begin;
                        reply[1] = chunk->end;
                        reply[2] = chunk->stride;
                    }
                    mpi::check(MPI_Send(reply, 3, MPI_INT64_T, source, kTagChunk, comm.get()), "MPI_Send");
                } else if (status.MPI_TAG == kTagResults) {
                    int count = 0;
                    MPI_Get_count(&status, MPI_DOUBLE, &count);
                    buffer.resize(static_cast<std::size_t>(count));
                    mpi::check(MPI_Recv(buffer.data(), count, MPI_DOUBLE, source, kTagResults,
                                        comm.get(), MPI_STATUS_IGNORE), "MPI_Recv");
                    deliver(buffer.data(), static_cast<std::size_t>(count / layout.size()));
                } else if (status.MPI_TAG == kTagError) {
                    int count = 0;
                    MPI_Get_count(&status, MPI_CHAR, &count);
                    std::string text(static_cast<std::size_t>(count), '\0');
                    mpi::check(MPI_Recv(text.data(), count, MPI_CHAR, source, kTagError, comm.get(),
                                        MPI_STATUS_IGNORE), "MPI_Recv");
                    fail(mpi::Failure::decode(text));
                } else if (status.MPI_TAG == kTagDone) {
                    double done[3];
                    mpi::check(MPI_Recv(done, 3, MPI_DOUBLE, source, kTagDone, comm.get(),
                                        MPI_STATUS_IGNORE), "MPI_Recv");
                    stats.compute_s[static_cast<std::size_t>(source)] = done[0];
                    stats.wait_s[static_cast<std::size_t>(source)] = done[1];
                    stats.points_per_rank[static_cast<std::size_t>(source)] = static_cast<std::int64_t>(done[2]);
                    worker_active[static_cast<std::size_t>(source)] = false;
                    --active;
                    mpi::check(MPI_Send(nullptr, 0, MPI_BYTE, source, kTagFinal, comm.get()), "MPI_Send");
                } else {
                    throw MpiError(0, "unexpected message tag " + std::to_string(status.MPI_TAG));
                }
            }
            queue.take(buffer);
            if (!buffer.empty()) {
                progressed = true;
                deliver(buffer.data(), buffer.size() / static_cast<std::size_t>(layout.size()));
            }
            if (stop_requested(options) && !stop_sent) {
                stop_sent = true;
                counter.close();
                if (options.schedule != Schedule::dynamic) stop_workers();
            }
            if (local_done.load() && local_error && !failure) fail(mpi::Failure::of(local_error));
            progress.update(stats.points_done);
            if (active == 0 && local_done.load()) {
                queue.take(buffer);
                deliver(buffer.data(), buffer.size() / static_cast<std::size_t>(layout.size()));
                break;
            }
            if (progressed) {
                idle = std::chrono::microseconds(10);
            } else {
                // Nothing arrived: back off up to 0.5 ms so that this thread does not compete
                // for a core with the ranks that compute.
                std::this_thread::sleep_for(idle);
                idle = std::min(idle * 2, std::chrono::microseconds(500));
            }
        }
    } catch (...) {
        // MPI itself failed on this thread: rank 0's computing thread stops too rather than
        // solving the rest of the grid alone before the error is reported.
        local_stop.store(true);
        counter.close();
        computing.join();
        throw;
    }
    computing.join();
    mpi::raise_shared(comm, failure, 0);
    stats.compute_s[0] = local.compute_s();
    stats.points_per_rank[0] = local.points();
    stats.stopped_early = stats.points_done < stats.points_planned;
    stats.wall_s = seconds_since(started);
    progress.update(stats.points_done, true);
    return stats;
}

}  // namespace kinmap
