// Issues 12.1 and 13.4: whatever is thrown on any rank while the sweep runs (a point on a
// worker, a point on rank 0's computing thread, rank 0's sink) ends the sweep at once on every
// rank, and every rank throws the same error: an InputError keeps its location, anything else
// is a SharedError. Run at 1, 2 and 3 ranks under every schedule; before this, a worker whose
// point threw left rank 0 waiting forever, and a sink error let rank 0 compute the whole rest
// of the grid alone.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/parallel/sweep_runner.hpp"

using namespace kinmap;

namespace {

ModelFile grid_model(int n) {
    ModelFile m = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    m.sweep->x.points = n;
    m.sweep->y.points = n;
    return m;
}

class CountingSink : public RecordSink {
public:
    explicit CountingSink(std::int64_t fail_after) : fail_after_(fail_after) {}
    void write(const double*, std::size_t count, const RecordLayout&) override {
        received += static_cast<std::int64_t>(count);
        if (fail_after_ >= 0 && received > fail_after_) throw IoError("disk full (injected)");
    }
    std::int64_t received = 0;

private:
    std::int64_t fail_after_;
};

// What one rank saw of a failing sweep.
struct Outcome {
    int kind = 0;  // 0 returned normally, 1 InputError, 2 SharedError, 3 anything else
    std::string message;
    double seconds = 0.0;
};

template <class Setup>
Outcome failing_sweep(const mpi::Communicator& world, const ModelFile& m, Schedule schedule,
                      RecordSink* sink, Setup&& setup) {
    const Grid grid = make_grid(m);
    SweepOptions options;
    options.schedule = schedule;
    options.max_chunk = 4;
    setup(options);
    Outcome out;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        run_sweep(world, m, grid, PointList::all(grid.size()), world.rank() == 0 ? sink : nullptr, options);
    } catch (const InputError& e) {
        out.kind = 1;
        out.message = e.what();
    } catch (const SharedError& e) {
        out.kind = 2;
        out.message = e.what();
    } catch (const std::exception& e) {
        out.kind = 3;
        out.message = e.what();
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

}  // namespace

TEST_CASE("A point that throws an input error on any rank fails the sweep on every rank alike",
          "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const ModelFile m = grid_model(12);
    const std::int64_t bad = 77;  // some rank solves it, which one depends on the schedule
    for (Schedule schedule : {Schedule::dynamic, Schedule::block, Schedule::cyclic}) {
        CountingSink sink(-1);
        const Outcome out = failing_sweep(world, m, schedule, &sink, [&](SweepOptions& o) {
            o.before_point = [&](std::int64_t k) {
                if (k == bad) throw InputError({"model.toml", 12, 5}, "sweep.x", "cannot be solved here");
            };
        });
        INFO("schedule " << to_string(schedule) << " rank " << world.rank() << ": " << out.message);
        CHECK(out.kind == 1);
        CHECK(out.message == "model.toml:12:5: sweep.x: cannot be solved here");
        CHECK(out.seconds < 20.0);
        REQUIRE(world.all_ok(out.kind == 1));
    }
}

TEST_CASE("Any other error in a point, on every rank in turn, is shared by every rank", "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const ModelFile m = grid_model(10);
    for (int failing_rank = 0; failing_rank < world.size(); ++failing_rank) {
        CountingSink sink(-1);
        const Outcome out = failing_sweep(world, m, Schedule::block, &sink, [&](SweepOptions& o) {
            // Block shares: this rank's first point throws, so the error starts on that rank.
            o.before_point = [&, failing_rank](std::int64_t) {
                if (world.rank() == failing_rank) throw std::runtime_error("solver exploded (injected)");
            };
        });
        INFO("failing rank " << failing_rank << ", rank " << world.rank() << ": " << out.message);
        CHECK(out.kind == 2);
        CHECK(out.message == "solver exploded (injected)");
        REQUIRE(world.all_ok(out.kind == 2));
    }
}

TEST_CASE("An error in rank 0's sink stops the sweep at once instead of after the whole grid",
          "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const ModelFile m = grid_model(60);  // 3600 points
    for (Schedule schedule : {Schedule::dynamic, Schedule::block}) {
        CountingSink sink(8);
        std::atomic<std::int64_t> solved{0};
        const Outcome out = failing_sweep(world, m, schedule, &sink, [&](SweepOptions& o) {
            o.before_point = [&](std::int64_t) { ++solved; };
        });
        INFO("schedule " << to_string(schedule) << " rank " << world.rank() << ": " << out.message);
        CHECK(out.kind == 2);
        CHECK(out.message == "disk full (injected)");
        // Without the stop every rank solves its whole share (3600 points in all); with it, each
        // rank finishes at most the points it had in hand: a few flush batches of 256 records.
        CHECK(solved.load() < 1200);
        REQUIRE(world.all_ok(out.kind == 2));
    }
}
