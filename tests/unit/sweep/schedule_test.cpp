#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <thread>
#include <vector>

#include "kinmap/sweep/record.hpp"
#include "kinmap/sweep/schedule.hpp"

using namespace kinmap;

TEST_CASE("Static shares cover every position exactly once", "[sweep]") {
    for (Schedule schedule : {Schedule::block, Schedule::cyclic}) {
        for (std::int64_t n : {0, 1, 2, 3, 7, 100, 1681}) {
            for (int ranks : {1, 2, 3, 4, 16}) {
                std::vector<int> hits(static_cast<std::size_t>(n), 0);
                for (int r = 0; r < ranks; ++r) {
                    const Chunk c = static_share(schedule, n, r, ranks);
                    for (std::int64_t p = c.begin; p < c.end; p += c.stride) ++hits[static_cast<std::size_t>(p)];
                    if (schedule == Schedule::block) {
                        CHECK(c.count() >= n / ranks);
                        CHECK(c.count() <= n / ranks + 1);
                    }
                }
                for (int h : hits) CHECK(h == 1);
            }
        }
    }
}

TEST_CASE("Guided chunks shrink from remaining/(2 ranks) to one point", "[sweep]") {
    CHECK(guided_chunk_size(1000, 2, 10000) == 250);
    CHECK(guided_chunk_size(1000, 2, 100) == 100);
    CHECK(guided_chunk_size(3, 2, 100) == 1);
    CHECK(guided_chunk_size(1, 16, 100) == 1);
    GuidedCounter counter(1681, 3, 1024);
    std::int64_t next = 0, previous = 1 << 30;
    while (auto c = counter.take()) {
        CHECK(c->begin == next);
        CHECK(c->count() <= previous);
        previous = c->count();
        next = c->end;
    }
    CHECK(next == 1681);
    CHECK(previous == 1);
}

TEST_CASE("Concurrent takers of the guided counter get disjoint chunks", "[sweep]") {
    GuidedCounter counter(100000, 4, 64);
    std::vector<std::vector<Chunk>> got(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            while (auto c = counter.take()) got[static_cast<std::size_t>(t)].push_back(*c);
        });
    }
    for (auto& th : threads) th.join();
    std::vector<int> hits(100000, 0);
    for (const auto& list : got) {
        for (const Chunk& c : list) {
            for (std::int64_t p = c.begin; p < c.end; ++p) ++hits[static_cast<std::size_t>(p)];
        }
    }
    for (int h : hits) REQUIRE(h == 1);
}

TEST_CASE("The guided plan numbers exactly the chunks the guided counter hands out", "[sweep]") {
    // The one-sided MPI counter hands out tickets; a ticket's chunk must be the chunk the
    // locked counter would have handed out at that turn, for every shape of work.
    for (std::int64_t n : {0, 1, 2, 7, 100, 1681, 90000, 1000003}) {
        for (int ranks : {1, 2, 3, 16}) {
            for (std::int64_t max_chunk : {1, 3, 256, 1024}) {
                GuidedCounter counter(n, ranks, max_chunk);
                const GuidedPlan plan(n, ranks, max_chunk);
                std::int64_t ticket = 0;
                bool same = true;
                while (auto c = counter.take()) {
                    const auto p = plan.chunk(ticket++);
                    same = same && p && p->begin == c->begin && p->end == c->end && p->stride == 1;
                }
                INFO("n " << n << " ranks " << ranks << " max_chunk " << max_chunk);
                CHECK(same);
                CHECK(plan.count() == ticket);
                CHECK_FALSE(plan.chunk(ticket).has_value());
                CHECK_FALSE(plan.chunk(ticket + (std::int64_t{1} << 50)).has_value());
            }
        }
    }
}

TEST_CASE("A closed counter hands out nothing more", "[sweep]") {
    GuidedCounter counter(100, 2);
    CHECK(counter.take().has_value());
    counter.close();
    CHECK_FALSE(counter.take().has_value());
}

TEST_CASE("A record round-trips through pack and unpack", "[sweep]") {
    const RecordLayout layout{3, 2, 2};
    PointResult r;
    r.status = Status::ok;
    r.tof = 1.5e-3;
    r.coverage = {0.1, 0.2, 0.7};
    r.rates = {1.5e-3, -2.0};
    r.residual = 1e-12;
    r.stable = true;
    r.ode_steps = 321;
    r.newton_iterations = 2;
    std::vector<double> rec(static_cast<std::size_t>(layout.size()));
    pack_record(layout, 4242, 3, r, rec.data());
    CHECK(rec[RecordLayout::kIndex] == 4242);
    CHECK(rec[RecordLayout::kRank] == 3);
    const PointResult back = unpack_record(layout, rec.data());
    CHECK(back.status == Status::ok);
    CHECK(back.tof == r.tof);
    CHECK(back.coverage == r.coverage);
    CHECK(back.rates == r.rates);
    CHECK(back.ode_steps == 321);
    CHECK(std::isnan(back.drc[0]));
    r.status = Status::newton_fail;
    pack_record(layout, 1, 0, r, rec.data());
    CHECK(std::isnan(rec[RecordLayout::kTof]));  // TOF is NaN where status is not OK
}
