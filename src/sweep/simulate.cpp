#include "kinmap/sweep/simulate.hpp"

#include <algorithm>
#include <numeric>
#include <queue>

namespace kinmap {
namespace {

double cost_of(const std::vector<double>& costs, const Chunk& c) {
    double sum = 0.0;
    for (std::int64_t p = c.begin; p < c.end; p += c.stride) sum += costs[static_cast<std::size_t>(p)];
    return sum;
}

}  // namespace

SimulatedRun simulate_sweep(const std::vector<double>& costs_s, int ranks, Schedule schedule,
                            double latency_s, std::int64_t max_chunk) {
    const auto n = static_cast<std::int64_t>(costs_s.size());
    SimulatedRun run;
    run.busy_s.assign(static_cast<std::size_t>(ranks), 0.0);
    std::vector<double> finish(static_cast<std::size_t>(ranks), 0.0);

    if (schedule != Schedule::dynamic) {
        for (int r = 0; r < ranks; ++r) {
            const double busy = cost_of(costs_s, static_share(schedule, n, r, ranks));
            run.busy_s[static_cast<std::size_t>(r)] = busy;
            finish[static_cast<std::size_t>(r)] = busy;
        }
    } else {
        GuidedCounter counter(n, ranks, max_chunk);
        // Events: (time, rank): rank 0 wants a chunk at `time` (no latency), or a worker's
        // request arrives at rank 0 at `time`. Served in time order (ties: lower rank).
        using Event = std::pair<double, int>;
        std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
        events.push({0.0, 0});
        for (int r = 1; r < ranks; ++r) events.push({latency_s, r});
        // A worker holds one prefetched chunk: when its reply arrives it computes the chunk
        // after the current one, and asks again as it starts.
        std::vector<double> free_at(static_cast<std::size_t>(ranks), 0.0);
        while (!events.empty()) {
            const auto [t, r] = events.top();
            events.pop();
            const auto chunk = counter.take();
            auto& busy = run.busy_s[static_cast<std::size_t>(r)];
            auto& free = free_at[static_cast<std::size_t>(r)];
            if (!chunk) continue;  // the "no more work" reply; this rank is done
            const double cost = cost_of(costs_s, *chunk);
            if (r == 0) {
                free = t + cost;
                events.push({free, 0});
            } else {
                const double reply = t + latency_s;  // the chunk reaches the worker
                const double start = std::max(reply, free);
                free = start + cost;
                events.push({start + latency_s, r});  // next request, sent as it starts
            }
            busy += cost;
        }
        finish = free_at;
    }
    double wall = finish[0];
    for (int r = 1; r < ranks; ++r) wall = std::max(wall, finish[static_cast<std::size_t>(r)] + latency_s);
    run.wall_s = wall;
    const double total = std::accumulate(costs_s.begin(), costs_s.end(), 0.0);
    run.efficiency = wall > 0 ? total / (ranks * wall) : 1.0;
    const double max_busy = *std::max_element(run.busy_s.begin(), run.busy_s.end());
    const double mean_busy = std::accumulate(run.busy_s.begin(), run.busy_s.end(), 0.0) / ranks;
    run.load_balance = max_busy > 0 ? mean_busy / max_busy : 1.0;
    return run;
}

}  // namespace kinmap
