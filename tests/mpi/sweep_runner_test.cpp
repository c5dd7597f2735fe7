// The MPI sweep at 1, 2 and 3 ranks: every point computed exactly once under each schedule,
// for grids smaller than the rank count too, with results bitwise equal to a serial solve and
// to the serial scheduler.
#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/parallel/sweep_runner.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/serial_sweep.hpp"

#include "../support/sweep_sink.hpp"

using namespace kinmap;

namespace {

using testing::CollectingSink;
using testing::model_with_grid;

// The results fields of a record (DESIGN §6): status, tof, coverage, rates.
bool same_results(const RecordLayout& layout, const std::vector<double>& a, const std::vector<double>& b) {
    auto same = [&](int offset, int count) {
        return std::memcmp(a.data() + offset, b.data() + offset, sizeof(double) * static_cast<std::size_t>(count)) == 0;
    };
    return same(RecordLayout::kStatus, 2) && same(layout.coverage(), layout.n_species) &&
           same(layout.rates(), layout.n_steps);
}

}  // namespace

TEST_CASE("Every point is computed exactly once under every schedule and grid shape", "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const int rank = world.rank();
    for (auto [nx, ny] : {std::pair{1, 1}, std::pair{2, 1}, std::pair{1, 3}, std::pair{3, 4}, std::pair{7, 5}}) {
        const ModelFile m = model_with_grid(nx, ny);
        const Grid grid = make_grid(m);
        // Serial reference on every rank, from the same solver the sweep uses.
        SteadySolver solver(m.mechanism, m.solver);
        GridConditions conditions(m, grid);
        const RecordLayout layout{static_cast<int>(m.mechanism.surface.size()), static_cast<int>(m.mechanism.steps.size()),
                                  static_cast<int>(m.mechanism.gases.size())};
        std::vector<std::vector<double>> reference;
        for (std::int64_t k = 0; k < grid.size(); ++k) {
            std::vector<double> rec(static_cast<std::size_t>(layout.size()));
            pack_record(layout, k, 0, solver.solve(conditions.at(k)), rec.data());
            reference.push_back(rec);
        }
        for (Schedule schedule : {Schedule::dynamic, Schedule::block, Schedule::cyclic}) {
            CollectingSink sink;
            SweepOptions options;
            options.schedule = schedule;
            options.max_chunk = 3;  // many chunks even on small grids
            const SweepStats stats = run_sweep(world, m, grid, PointList::all(grid.size()),
                                               rank == 0 ? &sink : nullptr, options);
            bool ok = true;
            if (rank == 0) {
                INFO("grid " << nx << "x" << ny << " schedule " << to_string(schedule));
                CHECK(stats.points_done == grid.size());
                CHECK(sink.seen.size() == static_cast<std::size_t>(grid.size()));
                for (const auto& [k, times] : sink.seen) {
                    CHECK(times == 1);
                    CHECK(k >= 0);
                    CHECK(k < grid.size());
                    ok = ok && times == 1 && same_results(layout, sink.values[k], reference[static_cast<std::size_t>(k)]);
                }
                CHECK(ok);
                std::int64_t per_rank = 0;
                for (auto p : stats.points_per_rank) per_rank += p;
                CHECK(per_rank == grid.size());
                CHECK_FALSE(stats.stopped_early);
            }
            REQUIRE(world.all_ok(true));
        }
    }
}

TEST_CASE("A resumed sweep computes only the listed points", "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const ModelFile m = model_with_grid(4, 4);
    const Grid grid = make_grid(m);
    const std::vector<std::int64_t> missing = {0, 5, 6, 7, 15};
    CollectingSink sink;
    SweepOptions options;
    const SweepStats stats = run_sweep(world, m, grid, PointList::of(missing),
                                       world.rank() == 0 ? &sink : nullptr, options);
    if (world.rank() == 0) {
        CHECK(stats.points_done == 5);
        REQUIRE(sink.seen.size() == missing.size());
        for (std::int64_t k : missing) CHECK(sink.seen[k] == 1);
    }
}

TEST_CASE("A stop request ends the sweep early on every rank without losing delivered points",
          "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const ModelFile m = model_with_grid(10, 10);
    const Grid grid = make_grid(m);
    for (Schedule schedule : {Schedule::dynamic, Schedule::block}) {
        std::atomic<bool> stop{true};  // already set: nothing may be computed
        CollectingSink sink;
        SweepOptions options;
        options.schedule = schedule;
        options.stop = &stop;
        const SweepStats stats = run_sweep(world, m, grid, PointList::all(grid.size()),
                                           world.rank() == 0 ? &sink : nullptr, options);
        if (world.rank() == 0) {
            CHECK(stats.stopped_early);
            CHECK(stats.points_done == static_cast<std::int64_t>(sink.seen.size()));
            CHECK(stats.points_done < grid.size());
        }
        REQUIRE(world.all_ok(true));
    }
}

TEST_CASE("The MPI sweep delivers the records of the serial sweep, bitwise", "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const ModelFile m = model_with_grid(6, 5);
    const Grid grid = make_grid(m);
    // Every rank runs the serial sweep (no MPI) as the reference.
    CollectingSink serial;
    run_sweep_serial(m, grid, PointList::all(grid.size()), serial, SweepOptions());
    for (Schedule schedule : {Schedule::dynamic, Schedule::cyclic}) {
        CollectingSink sink;
        SweepOptions options;
        options.schedule = schedule;
        options.max_chunk = 4;
        run_sweep(world, m, grid, PointList::all(grid.size()), world.rank() == 0 ? &sink : nullptr, options);
        bool ok = true;
        if (world.rank() == 0) {
            ok = sink.values.size() == serial.values.size();
            for (const auto& [k, rec] : serial.values) {
                std::vector<double> a = rec, b = sink.values[k];
                if (a.size() != b.size()) {
                    ok = false;
                    continue;
                }
                // Every field but the wall time (a measurement) and the rank that solved it.
                a[RecordLayout::kWallTime] = b[RecordLayout::kWallTime] = 0.0;
                a[RecordLayout::kRank] = b[RecordLayout::kRank] = 0.0;
                ok = ok && std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
            }
        }
        INFO("schedule " << to_string(schedule));
        CHECK(world.all_ok(ok));
    }
}
