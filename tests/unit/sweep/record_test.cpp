#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "kinmap/sweep/record.hpp"

using namespace kinmap;

TEST_CASE("A failed point's record holds NaN coverages and rates, not the last iterate",
          "[sweep][record]") {
    // Issue 12.4: the unconverged iterate (theta = 1.0000242, a negative coverage) was stored
    // as if it were a result.
    const RecordLayout layout{2, 3, 1};
    PointResult r;
    r.status = Status::newton_fail;
    r.coverage = {1.0000242, -2.4e-5};
    r.rates = {1.0, -1.0, 0.5};
    r.residual = 0.3;
    r.stable = true;
    r.tof = 7.0;
    std::vector<double> record(static_cast<std::size_t>(layout.size()));
    pack_record(layout, 5, 0, r, record.data());

    CHECK(record[RecordLayout::kStatus] == static_cast<double>(Status::newton_fail));
    CHECK(std::isnan(record[RecordLayout::kTof]));
    CHECK(record[static_cast<std::size_t>(layout.offset("stable"))] == 0.0);
    CHECK(record[RecordLayout::kResidual] == 0.3);  // a diagnostic, kept
    for (int i = 0; i < layout.n_species; ++i) CHECK(std::isnan(record[static_cast<std::size_t>(layout.coverage() + i)]));
    for (int j = 0; j < layout.n_steps; ++j) CHECK(std::isnan(record[static_cast<std::size_t>(layout.rates() + j)]));
}

TEST_CASE("An OK point's record holds its coverages and rates exactly", "[sweep][record]") {
    const RecordLayout layout{2, 1, 1};
    PointResult r;
    r.status = Status::ok;
    r.coverage = {0.25, 0.75};
    r.rates = {3.5};
    r.tof = 3.5;
    r.stable = true;
    std::vector<double> record(static_cast<std::size_t>(layout.size()));
    pack_record(layout, 1, 0, r, record.data());
    const PointResult back = unpack_record(layout, record.data());
    CHECK(back.coverage == r.coverage);
    CHECK(back.rates == r.rates);
    CHECK(back.tof == 3.5);
    CHECK(back.stable);
}
