// The serial scheduler, without mpiexec: every point of a work list delivered once with its
// index, records bitwise equal to a direct solve, early stops that leave the rest undone, and
// errors that surface unchanged.
#include <catch2/catch.hpp>
#include <algorithm>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/serial_sweep.hpp"

#include "../../support/sweep_sink.hpp"

using namespace kinmap;

namespace {

using testing::CollectingSink;
using testing::model_with_grid;

// The record of point k from a SteadySolver of its own, as a caller without any sweep would get.
std::vector<double> direct_record(const ModelFile& m, const Grid& grid, std::int64_t k) {
    SteadySolver solver(m.mechanism, m.solver);
    GridConditions conditions(m, grid);
    const RecordLayout layout = record_layout(m.mechanism);
    std::vector<double> rec(static_cast<std::size_t>(layout.size()));
    pack_record(layout, k, 0, solver.solve(conditions.at(k)), rec.data());
    return rec;
}

}  // namespace

TEST_CASE("The serial sweep delivers every point of the work list exactly once with its index",
          "[sweep][serial]") {
    // Arrange: 17 x 17 = 289 points, more than one batch of records.
    const ModelFile m = model_with_grid(17, 17);
    const Grid grid = make_grid(m);
    const std::vector<std::int64_t> some = {0, 3, 4, 100, 255, 256, 288};
    for (const PointList& work : {PointList::all(grid.size()), PointList::of(some)}) {
        CollectingSink sink;
        // Act
        const SweepStats stats = run_sweep_serial(m, grid, work, sink, SweepOptions());
        // Assert
        INFO("work list of " << work.size() << " points");
        CHECK(stats.points_planned == work.size());
        CHECK(stats.points_done == work.size());
        CHECK_FALSE(stats.stopped_early);
        REQUIRE(sink.order.size() == static_cast<std::size_t>(work.size()));
        // In no particular order (points in lanes finish as they converge), each once.
        std::vector<std::int64_t> order = sink.order, listed;
        for (std::int64_t p = 0; p < work.size(); ++p) listed.push_back(work[p]);
        std::sort(order.begin(), order.end());
        CHECK(order == listed);
        for (std::int64_t p = 0; p < work.size(); ++p) {
            CHECK(sink.seen[work[p]] == 1);
            CHECK(sink.values[work[p]][RecordLayout::kRank] == 0.0);
        }
        std::int64_t counted = 0;
        for (std::int64_t c : stats.status_counts) counted += c;
        CHECK(counted == work.size());
        REQUIRE(stats.points_per_rank.size() == 1);
        CHECK(stats.points_per_rank[0] == work.size());
        CHECK(stats.compute_s.size() == 1);
        CHECK(stats.compute_s[0] > 0.0);
        CHECK(stats.wait_s == std::vector<double>{0.0});
        CHECK(stats.io_s.size() == 1);
    }
}

TEST_CASE("Serial sweep records are bitwise equal to a direct solve of the same point",
          "[sweep][serial]") {
    const ModelFile m = model_with_grid(5, 4);
    const Grid grid = make_grid(m);
    CollectingSink sink;
    run_sweep_serial(m, grid, PointList::all(grid.size()), sink, SweepOptions());
    REQUIRE(sink.seen.size() == static_cast<std::size_t>(grid.size()));
    for (std::int64_t k = 0; k < grid.size(); ++k) {
        std::vector<double> expected = direct_record(m, grid, k);
        std::vector<double> got = sink.values[k];
        REQUIRE(got.size() == expected.size());
        // Every field but the wall time, which is a measurement.
        expected[RecordLayout::kWallTime] = got[RecordLayout::kWallTime] = 0.0;
        INFO("point " << k);
        CHECK(std::memcmp(got.data(), expected.data(), sizeof(double) * got.size()) == 0);
    }
}

TEST_CASE(
    "A stop request ends the serial sweep before the next point and leaves the rest undelivered",
    "[sweep][serial]") {
    const ModelFile m = model_with_grid(4, 4);
    const Grid grid = make_grid(m);
    std::atomic<bool> stop{false};
    int calls = 0;
    SweepOptions options;
    options.stop = &stop;
    // The third point is being solved when the stop arrives: it is finished (as are the two
    // before it, which may still be in their lanes), no later one starts.
    options.before_point = [&](std::int64_t) {
        if (++calls == 3) stop.store(true);
    };
    CollectingSink sink;
    const SweepStats stats = run_sweep_serial(m, grid, PointList::all(grid.size()), sink, options);
    CHECK(calls == 3);
    CHECK(stats.stopped_early);
    CHECK(stats.points_done == 3);
    std::vector<std::int64_t> order = sink.order;
    std::sort(order.begin(), order.end());
    CHECK(order == std::vector<std::int64_t>{0, 1, 2});
}

TEST_CASE("A deadline ends the serial sweep early and leaves the rest undelivered",
          "[sweep][serial]") {
    const ModelFile m = model_with_grid(5, 5);
    const Grid grid = make_grid(m);
    SECTION("a deadline that has passed before the first point delivers nothing") {
        SweepOptions options;
        options.deadline = Deadline::after(1e-9);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        CollectingSink sink;
        const SweepStats stats =
            run_sweep_serial(m, grid, PointList::all(grid.size()), sink, options);
        CHECK(stats.stopped_early);
        CHECK(stats.points_done == 0);
        CHECK(sink.batches == 0);
    }
    SECTION("a deadline mid-sweep delivers a prefix of the work list, each point once") {
        SweepOptions options;
        // 25 points of at least 20 ms each take 0.5 s: a 0.1 s deadline cuts the sweep.
        options.deadline = Deadline::after(0.1);
        options.before_point = [](std::int64_t) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        };
        CollectingSink sink;
        const SweepStats stats =
            run_sweep_serial(m, grid, PointList::all(grid.size()), sink, options);
        CHECK(stats.stopped_early);
        CHECK(stats.points_done < grid.size());
        CHECK(stats.points_done == static_cast<std::int64_t>(sink.order.size()));
        for (std::size_t p = 0; p < sink.order.size(); ++p)
            CHECK(sink.order[p] == static_cast<std::int64_t>(p));
    }
}

TEST_CASE("An error in before_point or in the sink surfaces from the serial sweep unchanged",
          "[sweep][serial]") {
    const ModelFile m = model_with_grid(3, 3);
    const Grid grid = make_grid(m);
    SECTION("any exception keeps its message") {
        SweepOptions options;
        options.before_point = [](std::int64_t k) {
            if (k == 4) throw std::runtime_error("injected failure at point 4");
        };
        CollectingSink sink;
        CHECK_THROWS_WITH(run_sweep_serial(m, grid, PointList::all(grid.size()), sink, options),
                          "injected failure at point 4");
        // Nothing after the failing point reached the sink.
        for (const auto& [k, times] : sink.seen) CHECK(k < 4);
    }
    SECTION("an input error stays an input error") {
        SweepOptions options;
        options.before_point = [](std::int64_t k) {
            if (k == 2) throw InputError({"model.toml", 3, 7}, "step", "bad point");
        };
        CollectingSink sink;
        CHECK_THROWS_AS(run_sweep_serial(m, grid, PointList::all(grid.size()), sink, options),
                        InputError);
    }
    SECTION("a failing sink") {
        class FailingSink : public RecordSink {
        public:
            void write(const double*, std::size_t, const RecordLayout&) override {
                throw IoError("disk full");
            }
        } sink;
        CHECK_THROWS_AS(
            run_sweep_serial(m, grid, PointList::all(grid.size()), sink, SweepOptions()), IoError);
    }
}
