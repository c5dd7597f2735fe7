#include <catch2/catch.hpp>
#include <vector>

#include "kinmap/sweep/simulate.hpp"

using namespace kinmap;

TEST_CASE("Equal-cost points under the block schedule give the hand-computed makespan",
          "[sweep][simulate]") {
    // 10 points of 1 s on 3 ranks: block shares 4, 3, 3. Rank 0 ends at 4 s; ranks 1 and 2
    // end at 3 s and their results arrive 0.5 s later, at 3.5 s. Makespan 4 s; efficiency
    // 10 / (3 · 4); load balance mean busy / max busy = (10/3) / 4.
    const std::vector<double> costs(10, 1.0);
    const SimulatedRun run = simulate_sweep(costs, 3, Schedule::block, 0.5);
    CHECK(run.wall_s == 4.0);
    CHECK(run.busy_s == std::vector<double>{4.0, 3.0, 3.0});
    CHECK(run.efficiency == Approx(10.0 / 12.0).epsilon(1e-15));
    CHECK(run.load_balance == Approx(10.0 / 3.0 / 4.0).epsilon(1e-15));
    // With a latency of 2 s the workers' results arrive last: 3 + 2 = 5 s.
    CHECK(simulate_sweep(costs, 3, Schedule::block, 2.0).wall_s == 5.0);
}

TEST_CASE("One rank takes the sum of the costs under every schedule", "[sweep][simulate]") {
    const std::vector<double> costs = {0.5, 2.0, 0.25, 1.0, 3.0};
    for (Schedule s : {Schedule::block, Schedule::cyclic, Schedule::dynamic}) {
        CHECK(simulate_sweep(costs, 1, s, 1e-3).wall_s == 6.75);
    }
}

TEST_CASE("Dynamic scheduling balances clustered slow points that block cannot", "[sweep][simulate]") {
    // The slow points cluster at the end, like the points near a bistability fold.
    std::vector<double> costs(1000, 1e-5);
    for (int i = 900; i < 1000; ++i) costs[static_cast<std::size_t>(i)] = 1e-3;
    const SimulatedRun block = simulate_sweep(costs, 4, Schedule::block, 1e-6);
    const SimulatedRun dynamic = simulate_sweep(costs, 4, Schedule::dynamic, 1e-6, 16);
    CHECK(block.efficiency < 0.5);
    CHECK(dynamic.efficiency > 0.9);
    double busy = 0.0;
    for (double b : dynamic.busy_s) busy += b;
    CHECK(busy == Approx(0.9 * 1e-2 + 0.1).epsilon(1e-12));  // every point computed once
}
