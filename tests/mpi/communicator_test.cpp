// The typed Communicator calls that keep raw MPI inside src/parallel: broadcasts of arrays and
// vectors, split_or_null, empty messages and the ping-pong latency, at 1, 2 and 3 ranks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kinmap/parallel/mpi.hpp"

using namespace kinmap;

TEST_CASE("A typed broadcast gives every rank the root's values", "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const int rank = world.rank();
    const int last = world.size() - 1;
    // Arrange: only the root holds the values.
    int ints[3] = {rank, rank, rank};
    double reals[2] = {0.0, 0.0};
    std::uint64_t words[2] = {0, 0};
    if (rank == last) {
        ints[0] = 7, ints[1] = -8, ints[2] = 9;
        reals[0] = 0.1, reals[1] = -1e300;
        words[0] = ~std::uint64_t{0}, words[1] = std::uint64_t{1} << 63;
    }
    // Act
    world.broadcast(ints, 3, last);
    world.broadcast(reals, 2, last);
    world.broadcast(words, 2, last);
    // Assert, on every rank alike
    const bool ok = ints[0] == 7 && ints[1] == -8 && ints[2] == 9 && reals[0] == 0.1 &&
                    reals[1] == -1e300 && words[0] == ~std::uint64_t{0} &&
                    words[1] == std::uint64_t{1} << 63;
    CHECK(world.all_ok(ok));
}

TEST_CASE("A vector broadcast resizes every rank's vector to the root's", "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const int rank = world.rank();
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}}) {
        std::vector<std::uint64_t> bits(rank == 0 ? n : 5,
                                        42);  // other ranks start with 5 stale words
        if (rank == 0) {
            for (std::size_t w = 0; w < n; ++w) bits[w] = w * 0x9E3779B97F4A7C15ULL;
        }
        world.broadcast(bits, 0);
        bool ok = bits.size() == n;
        for (std::size_t w = 0; ok && w < n; ++w) ok = bits[w] == w * 0x9E3779B97F4A7C15ULL;
        INFO("vector of " << n);
        CHECK(world.all_ok(ok));
    }
}

TEST_CASE("split_or_null gives members a communicator ordered by key and the others none",
          "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const int rank = world.rank();
    const int members = std::min(2, world.size());
    // Keys in reverse: the highest member becomes rank 0 of the sub-communicator.
    const mpi::Communicator sub = world.split_or_null(rank < members, -rank);
    bool ok = true;
    if (rank < members) {
        ok = !sub.is_null() && sub.size() == members && sub.rank() == members - 1 - rank;
    } else {
        ok = sub.is_null();
    }
    CHECK(world.all_ok(ok));
}

TEST_CASE("Empty messages go round a ring of ranks", "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const int size = world.size();
    if (size < 2) return;  // no one to send to; the test is registered at 2 and 3 ranks too
    const int rank = world.rank();
    // Rank 0 starts the token; every other rank waits for it, then passes it on.
    if (rank == 0) {
        world.send_empty(1, 11);
        world.recv_empty(size - 1, 11);
    } else {
        world.recv_empty(rank - 1, 11);
        world.send_empty((rank + 1) % size, 11);
    }
    CHECK(world.all_ok(true));
}

TEST_CASE("The ping-pong latency is 0 on one rank, else positive and the same on every rank",
          "[mpi]") {
    const mpi::Communicator world = mpi::Communicator::world();
    const double latency = world.ping_pong_latency(20);
    double root_latency = latency;
    world.broadcast(&root_latency, 1, 0);
    const bool ok = world.size() == 1 ? latency == 0.0
                                      : std::isfinite(latency) && latency > 0.0 && latency < 1.0 &&
                                            latency == root_latency;
    CHECK(world.all_ok(ok));
}
