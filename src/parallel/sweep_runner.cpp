#include "kinmap/parallel/sweep_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <list>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kinmap {
namespace {

using Clock = std::chrono::steady_clock;

enum Tag : int {
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

// Between points a rank calls MPI at most this often: rank 0 to look for workers' messages,
// a worker to look for a stop and to send what it has at the end of a chunk. A worker never
// waits for rank 0 (its results go out with MPI_Isend, its work comes from the one-sided
// counter), so this only bounds how late a stop is seen. Not every point: under
// mpi_yield_when_idle (scripts/env.sh) an MPI call that finds nothing to do yields the core,
// and on a loaded host each yield loses a time slice (measured, 2 ranks, 2 cores, load ~10:
// with an MPI call every 1 ms the ranks spent 2/3 of the sweep outside both points and MPI
// waits). On one node a worker sees a stop without MPI (ChunkSource::closed_for_all).
constexpr auto kPollInterval = std::chrono::milliseconds(5);

// Added to the ticket counter to close it (a stop or a failure): every later ticket is past
// the plan. Fetch_and_op with MPI_SUM only, so that the window's default accumulate_ops
// ("same_op_no_op") keeps every update atomic.
constexpr std::int64_t kClosed = std::int64_t{1} << 50;

// The dynamic schedule's shared counter (DESIGN §5): one int64 on rank 0 in an MPI-3 window,
// taken atomically under a passive-target lock_all epoch. No rank spends a core (or a thread)
// on handing out work. When every rank is on one node the window is a shared-memory one
// (MPI_Win_allocate_shared), and a take is a hardware atomic add on rank 0's integer through
// the pointer MPI_Win_shared_query gives (~50 ns), whatever rank 0 is doing, and without
// entering MPI: MPI_Fetch_and_op + MPI_Win_flush there run Open MPI's progress loop, which
// under mpi_yield_when_idle yields the core (on a loaded host, a lost time slice per chunk).
// Across nodes the window is an ordinary one, MPI_Fetch_and_op takes, and Open
// MPI's osc/rdma or osc/ucx may complete a take only when rank 0 enters MPI (measured here
// with osc/rdma: ~200 µs per take while rank 0 computes): there each rank keeps its next take
// in flight (MPI_Rget_accumulate) while it computes, as the message-based counter did. The
// ticket's chunk comes from GuidedPlan, the same chunks GuidedCounter gives.
class TicketCounter {
public:
    explicit TicketCounter(const mpi::Communicator& comm) : comm_(comm.get()) {
        MPI_Comm node = MPI_COMM_NULL;
        mpi::check(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node),
                   "MPI_Comm_split_type");
        int node_size = 0;
        MPI_Comm_size(node, &node_size);
        MPI_Comm_free(&node);
        // The same answer on every rank. KINMAP_SWEEP_WINDOW=distributed forces the multi-node
        // path on one node, so that it can be tested there.
        const char* forced = std::getenv("KINMAP_SWEEP_WINDOW");
        shared_ = node_size == comm.size() && !(forced != nullptr && std::string(forced) == "distributed");
        void* base = nullptr;
        const MPI_Aint bytes = comm.rank() == 0 ? static_cast<MPI_Aint>(sizeof(std::int64_t)) : 0;
        if (shared_) {
            mpi::check(MPI_Win_allocate_shared(bytes, static_cast<int>(sizeof(std::int64_t)), MPI_INFO_NULL,
                                               comm_, &base, &window_), "MPI_Win_allocate_shared");
            MPI_Aint size = 0;
            int unit = 0;
            mpi::check(MPI_Win_shared_query(window_, 0, &size, &unit, &counter_), "MPI_Win_shared_query");
            if (comm.rank() == 0) __atomic_store_n(static_cast<std::int64_t*>(counter_), 0, __ATOMIC_SEQ_CST);
        } else {
            mpi::check(MPI_Win_allocate(bytes, static_cast<int>(sizeof(std::int64_t)), MPI_INFO_NULL, comm_,
                                        &base, &window_), "MPI_Win_allocate");
        }
        MPI_Win_set_errhandler(window_, MPI_ERRORS_RETURN);
        mpi::check(MPI_Win_lock_all(0, window_), "MPI_Win_lock_all");
        if (comm.rank() == 0 && !shared_) {
            // Through MPI, not a store to `base`: the separate memory model needs it.
            const std::int64_t zero = 0;
            mpi::check(MPI_Accumulate(&zero, 1, MPI_INT64_T, 0, 0, 1, MPI_INT64_T, MPI_REPLACE, window_),
                       "MPI_Accumulate");
            mpi::check(MPI_Win_flush(0, window_), "MPI_Win_flush");
        }
        // Nobody takes a ticket before the counter is 0.
        mpi::check(MPI_Barrier(comm_), "MPI_Barrier");
        if (shared_) mpi::check(MPI_Win_sync(window_), "MPI_Win_sync");
    }
    // Not freed here: after an MPI failure the other ranks may never come to the collective
    // free; release() is called where every rank arrives.
    ~TicketCounter() = default;
    TicketCounter(const TicketCounter&) = delete;
    TicketCounter& operator=(const TicketCounter&) = delete;

    //! The next ticket of this rank (taken now, or the one in flight), and on a window that
    //! is not shared the one after it put in flight.
    std::int64_t take() {
        std::int64_t ticket = 0;
        if (pending_ != MPI_REQUEST_NULL) {
            mpi::check(MPI_Wait(&pending_, MPI_STATUS_IGNORE), "MPI_Wait");
            ticket = prefetched_;
        } else {
            ticket = fetch_add(1);
        }
        if (!shared_) {
            const std::int64_t one = 1;
            mpi::check(MPI_Rget_accumulate(&one, 1, MPI_INT64_T, &prefetched_, 1, MPI_INT64_T, 0, 0, 1,
                                           MPI_INT64_T, MPI_SUM, window_, &pending_), "MPI_Rget_accumulate");
        }
        return ticket;
    }
    //! Add `amount` to the counter and return its value before.
    std::int64_t fetch_add(std::int64_t amount) {
        if (shared_) return __atomic_fetch_add(static_cast<std::int64_t*>(counter_), amount, __ATOMIC_SEQ_CST);
        std::int64_t before = 0;
        mpi::check(MPI_Fetch_and_op(&amount, &before, MPI_INT64_T, 0, 0, MPI_SUM, window_),
                   "MPI_Fetch_and_op");
        mpi::check(MPI_Win_flush(0, window_), "MPI_Win_flush");
        return before;
    }
    //! Whether the counter was closed (kClosed added), known without MPI: on a shared window
    //! an atomic load; elsewhere false (a stop message tells).
    bool closed() const {
        return shared_ && __atomic_load_n(static_cast<const std::int64_t*>(counter_), __ATOMIC_RELAXED) >= kClosed;
    }
    //! End the epoch and free the window. Collective: every rank must call.
    void release() {
        if (window_ == MPI_WIN_NULL) return;
        // A ticket still in flight is dropped: this rank takes no more work.
        if (pending_ != MPI_REQUEST_NULL) mpi::check(MPI_Wait(&pending_, MPI_STATUS_IGNORE), "MPI_Wait");
        mpi::check(MPI_Win_unlock_all(window_), "MPI_Win_unlock_all");
        mpi::check(MPI_Win_free(&window_), "MPI_Win_free");
    }

private:
    MPI_Comm comm_;
    MPI_Win window_ = MPI_WIN_NULL;
    bool shared_ = false;
    void* counter_ = nullptr;  // shared: rank 0's integer, mapped into this process
    MPI_Request pending_ = MPI_REQUEST_NULL;
    std::int64_t prefetched_ = 0;
};

// Where a rank's chunks come from: the shared ticket counter (dynamic), or its one static
// share (block, cyclic).
class ChunkSource {
public:
    ChunkSource(const mpi::Communicator& comm, const SweepOptions& options, std::int64_t n)
        : schedule_(options.schedule), plan_(n, comm.size(), options.max_chunk) {
        // Static schedules too: the counter's close is how a stop reaches every rank at once.
        counter_.emplace(comm);
        if (schedule_ != Schedule::dynamic) share_ = static_share(schedule_, n, comm.rank(), comm.size());
    }
    //! The next chunk of this rank, or nullopt. `wait_s` gets the time spent taking it.
    std::optional<Chunk> next(double& wait_s) {
        if (schedule_ != Schedule::dynamic) {
            if (share_taken_) return std::nullopt;
            share_taken_ = true;
            return share_;
        }
        if (closed_) return std::nullopt;
        const auto t0 = Clock::now();
        const std::int64_t ticket = counter_->take();
        wait_s += seconds_since(t0);
        auto chunk = plan_.chunk(ticket);
        if (!chunk) closed_ = true;
        return chunk;
    }
    //! The next point position of this rank's chunks in their order, or kNoMorePoints.
    //! `between_chunks()` runs before each new chunk is taken (a rank's flush point).
    template <class BetweenChunks>
    std::int64_t next_position(double& wait_s, BetweenChunks&& between_chunks) {
        while (!cursor_ || position_ >= cursor_->end) {
            between_chunks();
            cursor_ = next(wait_s);
            if (!cursor_) return kNoMorePoints;
            position_ = cursor_->begin;
        }
        const std::int64_t position = position_;
        position_ += cursor_->stride;
        return position;
    }
    //! Whether rank 0 closed the counter for everyone (a stop or a failure), as far as this
    //! rank can tell without MPI (one node); a stop message tells otherwise.
    bool closed_for_all() const { return counter_ && counter_->closed(); }
    //! Free the counter's window once this rank takes no more chunks. Collective.
    void release() {
        if (counter_) counter_->release();
    }
    //! Hand out nothing more, to any rank, and tell every rank computing (see closed_for_all).
    void close_for_all() {
        if (counter_ && !closed_for_all_) counter_->fetch_add(kClosed);
        closed_for_all_ = true;
    }

private:
    Schedule schedule_;
    GuidedPlan plan_;
    std::optional<TicketCounter> counter_;
    Chunk share_;
    bool share_taken_ = false;
    bool closed_ = false;
    bool closed_for_all_ = false;
    std::optional<Chunk> cursor_;  // the chunk next_position walks
    std::int64_t position_ = 0;
};

// ---- ranks other than 0 ----------------------------------------------------------------

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

// A worker's results on their way to rank 0: sent with MPI_Isend (a batch of 256 records is
// past the eager limit; a blocking send would wait for rank 0 to look), each buffer kept
// until its send completes.
class Outbox {
public:
    explicit Outbox(const mpi::Communicator& comm) : comm_(comm) {}
    void send(std::vector<double>& records) {
        if (records.empty()) return;
        reap();
        in_flight_.emplace_back();
        in_flight_.back().records.swap(records);
        Pending& p = in_flight_.back();
        mpi::check(MPI_Isend(p.records.data(), static_cast<int>(p.records.size()), MPI_DOUBLE, 0,
                             kTagResults, comm_.get(), &p.request), "MPI_Isend");
    }
    //! Wait for every send; returns the seconds waited.
    double drain() {
        const auto t0 = Clock::now();
        for (Pending& p : in_flight_) mpi::check(MPI_Wait(&p.request, MPI_STATUS_IGNORE), "MPI_Wait");
        in_flight_.clear();
        return seconds_since(t0);
    }

private:
    struct Pending {
        std::vector<double> records;
        MPI_Request request = MPI_REQUEST_NULL;
    };
    void reap() {
        for (auto it = in_flight_.begin(); it != in_flight_.end();) {
            int done = 0;
            mpi::check(MPI_Test(&it->request, &done, MPI_STATUS_IGNORE), "MPI_Test");
            it = done ? in_flight_.erase(it) : std::next(it);
        }
    }
    const mpi::Communicator& comm_;
    std::list<Pending> in_flight_;
};

SweepStats run_worker_rank(const mpi::Communicator& comm, const ModelFile& model, const Grid& grid,
                           const PointList& work, const SweepOptions& options, Clock::time_point started) {
    SweepStats stats;
    stats.points_planned = work.size();
    PointWorker worker(model, grid, work, comm.rank(), options);
    ChunkSource source(comm, options, work.size());
    double wait_s = 0.0;
    {
        Outbox outbox(comm);
        try {
            std::vector<double> records;
            const auto stride = static_cast<std::size_t>(worker.layout().size());
            auto last_mpi = Clock::now();
            // Stopped (or cut by the deadline): the rest stays NOT_RUN for --resume.
            worker.solve_stream(
                [&]() -> std::int64_t {
                    if (records.size() >= kFlushRecords * stride) outbox.send(records);
                    const bool due = Clock::now() - last_mpi >= kPollInterval;
                    if (due) last_mpi = Clock::now();
                    if (stop_requested(options) || source.closed_for_all() ||
                        (due && stop_message_arrived(comm))) {
                        return kNoMorePoints;
                    }
                    return source.next_position(wait_s, [&] {
                        if (due) outbox.send(records);  // (between chunks, as often as the poll)
                    });
                },
                [&](std::int64_t, const double* record) { records.insert(records.end(), record, record + stride); });
            outbox.send(records);
        } catch (const MpiError&) {
            throw;  // the messages themselves failed: nothing can be told to rank 0
        } catch (const std::exception& e) {
            // Whatever a point threw: rank 0 hears of it at once, stops every rank and makes
            // the error everyone's (below), so that no rank is left waiting.
            const std::string text = mpi::Failure::of(e).encode();
            mpi::check(MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, 0, kTagError,
                                comm.get()), "MPI_Send");
        }
        wait_s += outbox.drain();
    }
    double done[3] = {worker.compute_s(), wait_s, static_cast<double>(worker.points())};
    mpi::check(MPI_Send(done, 3, MPI_DOUBLE, 0, kTagDone, comm.get()), "MPI_Send");
    // A stop that rank 0 sent while this rank was finishing is still on its way: take every
    // message up to rank 0's last one (messages between two ranks do not overtake), so that
    // none is left to stop the next sweep on this communicator.
    while (true) {
        MPI_Status status;
        mpi::check(MPI_Recv(nullptr, 0, MPI_BYTE, 0, MPI_ANY_TAG, comm.get(), &status), "MPI_Recv");
        if (status.MPI_TAG == kTagFinal) break;
    }
    source.release();
    mpi::raise_shared(comm, mpi::Failure{}, 0);
    stats.points_done = worker.points();
    stats.wall_s = seconds_since(started);
    return stats;
}

// ---- rank 0 ----------------------------------------------------------------------------

// Rank 0's side of the messages: workers' records to the sink, their errors and their final
// counts, polled between rank 0's own points (one thread: rank 0 computes at full speed and
// nothing competes with it for a core).
class Collector {
public:
    Collector(const mpi::Communicator& comm, RecordSink* sink, const RecordLayout& layout,
              ChunkSource& source, SweepStats& stats)
        : comm_(comm), sink_(sink), layout_(layout), source_(source), stats_(stats),
          worker_active_(static_cast<std::size_t>(comm.size()), true), active_(comm.size() - 1) {
        worker_active_[0] = false;
    }

    //! Records to the sink (rank 0's own, or a worker's). A sink error fails the sweep.
    void deliver(const double* records, std::size_t count) {
        if (count == 0 || failure_) return;
        const auto t0 = Clock::now();
        if (sink_ != nullptr) {
            try {
                sink_->write(records, count, layout_);
            } catch (const std::exception& e) {
                fail(mpi::Failure::of(e));
                return;
            }
        }
        stats_.io_s[0] += seconds_since(t0);
        stats_.add_delivered(records, count, layout_);
    }

    //! The first error anywhere ends the sweep at once on every rank: no new work, a stop to
    //! every worker, nothing more to the sink.
    void fail(const mpi::Failure& f) {
        if (failure_) return;
        failure_ = f;
        stop_all();
    }
    //! No new work for anyone; every worker still computing stops after its current point (it
    //! drains the message before its kTagFinal, see run_worker_rank).
    void stop_all() {
        if (stopped_) return;
        stopped_ = true;
        source_.close_for_all();
        for (int r = 1; r < comm_.size(); ++r) {
            if (!worker_active_[static_cast<std::size_t>(r)]) continue;
            MPI_Request request;
            mpi::check(MPI_Isend(nullptr, 0, MPI_BYTE, r, kTagStop, comm_.get(), &request), "MPI_Isend");
            MPI_Request_free(&request);
        }
    }
    bool failed() const { return static_cast<bool>(failure_); }
    const mpi::Failure& failure() const { return failure_; }
    bool workers_done() const { return active_ == 0; }

    //! Take every message that has arrived; true if there was any.
    bool poll() {
        bool any = false;
        while (active_ > 0) {
            int flag = 0;
            MPI_Status status;
            mpi::check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_.get(), &flag, &status), "MPI_Iprobe");
            if (!flag) break;
            any = true;
            receive(status);
        }
        last_poll_ = Clock::now();
        return any;
    }
    //! poll() if kPollInterval has passed since the last one.
    void poll_if_due() {
        if (active_ > 0 && Clock::now() - last_poll_ >= kPollInterval) poll();
    }

private:
    void receive(const MPI_Status& status) {
        const int source = status.MPI_SOURCE;
        if (status.MPI_TAG == kTagResults) {
            int count = 0;
            MPI_Get_count(&status, MPI_DOUBLE, &count);
            buffer_.resize(static_cast<std::size_t>(count));
            mpi::check(MPI_Recv(buffer_.data(), count, MPI_DOUBLE, source, kTagResults, comm_.get(),
                                MPI_STATUS_IGNORE), "MPI_Recv");
            deliver(buffer_.data(), static_cast<std::size_t>(count / layout_.size()));
        } else if (status.MPI_TAG == kTagError) {
            int count = 0;
            MPI_Get_count(&status, MPI_CHAR, &count);
            std::string text(static_cast<std::size_t>(count), '\0');
            mpi::check(MPI_Recv(text.data(), count, MPI_CHAR, source, kTagError, comm_.get(),
                                MPI_STATUS_IGNORE), "MPI_Recv");
            fail(mpi::Failure::decode(text));
        } else if (status.MPI_TAG == kTagDone) {
            double done[3];
            mpi::check(MPI_Recv(done, 3, MPI_DOUBLE, source, kTagDone, comm_.get(), MPI_STATUS_IGNORE),
                       "MPI_Recv");
            const auto r = static_cast<std::size_t>(source);
            stats_.compute_s[r] = done[0];
            stats_.wait_s[r] = done[1];
            stats_.points_per_rank[r] = static_cast<std::int64_t>(done[2]);
            worker_active_[r] = false;
            --active_;
            mpi::check(MPI_Send(nullptr, 0, MPI_BYTE, source, kTagFinal, comm_.get()), "MPI_Send");
        } else {
            throw MpiError(0, "unexpected message tag " + std::to_string(status.MPI_TAG));
        }
    }

    const mpi::Communicator& comm_;
    RecordSink* sink_;
    RecordLayout layout_;
    ChunkSource& source_;
    SweepStats& stats_;
    std::vector<bool> worker_active_;
    int active_;
    bool stopped_ = false;
    mpi::Failure failure_;
    std::vector<double> buffer_;
    Clock::time_point last_poll_ = Clock::now();
};

}  // namespace

SweepStats run_sweep(const mpi::Communicator& comm, const ModelFile& model, const Grid& grid,
                     const PointList& work, RecordSink* sink, const SweepOptions& options) {
    const auto started = Clock::now();
    if (comm.rank() != 0) return run_worker_rank(comm, model, grid, work, options, started);

    const int size = comm.size();
    SweepStats stats;
    stats.points_planned = work.size();
    stats.compute_s.assign(static_cast<std::size_t>(size), 0.0);
    stats.wait_s.assign(static_cast<std::size_t>(size), 0.0);
    stats.io_s.assign(static_cast<std::size_t>(size), 0.0);
    stats.points_per_rank.assign(static_cast<std::size_t>(size), 0);

    PointWorker local(model, grid, work, 0, options);
    const RecordLayout layout = local.layout();
    ChunkSource source(comm, options, work.size());
    Collector collector(comm, sink, layout, source, stats);
    SweepProgress progress(options.progress, work.size());
    std::vector<double> records;
    auto deliver_own = [&] {
        collector.deliver(records.data(), records.size() / static_cast<std::size_t>(layout.size()));
        records.clear();
    };
    double own_wait_s = 0.0;
    try {
        const auto stride = static_cast<std::size_t>(layout.size());
        local.solve_stream(
            [&]() -> std::int64_t {
                if (records.size() >= kFlushRecords * stride) deliver_own();
                collector.poll_if_due();
                progress.update(stats.points_done);
                if (collector.failed()) return kNoMorePoints;
                if (stop_requested(options)) {
                    collector.stop_all();
                    return kNoMorePoints;
                }
                return source.next_position(own_wait_s, deliver_own);
            },
            [&](std::int64_t, const double* record) { records.insert(records.end(), record, record + stride); });
        deliver_own();
    } catch (const MpiError&) {
        throw;
    } catch (const std::exception& e) {
        // A point on rank 0 threw: the same as a worker's error.
        records.clear();
        collector.fail(mpi::Failure::of(e));
    }
    if (stop_requested(options)) collector.stop_all();
    // Rank 0's share is done: wait for the workers' last records and counts, sleeping between
    // polls (backing off to 0.5 ms) so that this rank does not take a core from them.
    const auto wait_started = Clock::now();
    auto idle = std::chrono::microseconds(10);
    while (!collector.workers_done()) {
        if (collector.poll()) {
            idle = std::chrono::microseconds(10);
        } else {
            if (stop_requested(options)) collector.stop_all();
            std::this_thread::sleep_for(idle);
            idle = std::min(idle * 2, std::chrono::microseconds(500));
        }
        progress.update(stats.points_done);
    }
    stats.wait_s[0] = own_wait_s + seconds_since(wait_started);
    source.release();
    mpi::raise_shared(comm, collector.failure(), 0);
    stats.compute_s[0] = local.compute_s();
    stats.points_per_rank[0] = local.points();
    stats.stopped_early = stats.points_done < stats.points_planned;
    stats.wall_s = seconds_since(started);
    progress.update(stats.points_done, true);
    return stats;
}

}  // namespace kinmap
