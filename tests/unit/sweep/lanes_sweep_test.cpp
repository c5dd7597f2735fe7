// The sweep in lanes (the default; with and without the lane Newton) against one point at a
// time (SweepOptions::lanes = false),
// over the whole [sweep] grid of every shipped model: the bar is TOF and coverages to
// 1e-12 relative; the lanes repeat the scalar arithmetic exactly, so every field of every
// record but the wall time must in fact be the same bit for bit.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string>

#include "kinmap/sweep/serial_sweep.hpp"
#include "../../support/sweep_sink.hpp"

using namespace kinmap;

namespace {

testing::CollectingSink sweep(const ModelFile& model, bool lanes, bool lane_newton) {
    const Grid grid = make_grid(model);
    SweepOptions options;
    options.lanes = lanes;
    options.lane_newton = lane_newton;
    testing::CollectingSink sink;
    const SweepStats stats = run_sweep_serial(model, grid, PointList::all(grid.size()), sink, options);
    REQUIRE(stats.points_done == grid.size());
    return sink;
}

bool close(double a, double b, double rtol) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= rtol * std::max(std::abs(a), std::abs(b));
}

}  // namespace

TEST_CASE("Every shipped model gives the same map in lanes as one point at a time", "[sweep][lanes]") {
    int models = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(KINMAP_DATA_DIR) + "/models")) {
        const ModelFile model = read_model_file(entry.path().string());
        INFO(entry.path().string());
        const RecordLayout layout = record_layout(model.mechanism, model.solver);
        const testing::CollectingSink alone = sweep(model, false, false);
        for (const bool lane_newton : {true, false}) {
        INFO("lane Newton " << lane_newton);
        const testing::CollectingSink in_lanes = sweep(model, true, lane_newton);
        REQUIRE(in_lanes.values.size() == alone.values.size());
        const int tof = RecordLayout::kTof;
        const int coverage = layout.offset("coverage");
        const int n_state = static_cast<int>(model.mechanism.surface.size());
        for (const auto& [k, a] : in_lanes.values) {
            const std::vector<double>& b = alone.values.at(k);
            INFO("point " << k);
            REQUIRE(close(a[static_cast<std::size_t>(tof)], b[static_cast<std::size_t>(tof)], 1e-12));
            for (int i = 0; i < n_state; ++i) {
                REQUIRE(close(a[static_cast<std::size_t>(coverage + i)], b[static_cast<std::size_t>(coverage + i)], 1e-12));
            }
            for (int f = 0; f < layout.size(); ++f) {
                if (f == RecordLayout::kWallTime) continue;
                INFO("record slot " << f);
                REQUIRE(std::memcmp(&a[static_cast<std::size_t>(f)], &b[static_cast<std::size_t>(f)], sizeof(double)) == 0);
            }
        }
        }
        ++models;
    }
    CHECK(models >= 9);
}
