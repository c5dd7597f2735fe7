#include <catch2/catch.hpp>
#include <string>

#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

using namespace kinmap;

namespace {

const std::string kOneD =
    "[model]\nname = \"t\"\ntemperature_K = 500.0\ntof_of = \"CO2_g\"\n[sites]\ns = 1.0\n"
    "[pressures]\nCO2_g = 0.01\nCO_g = 0.05\n"
    "[[step]]\nequation = \"CO_g + *_s -> CO_s\"\nkf = 1e8\nkr = 1e-5\n"
    "[[step]]\nequation = \"O2_g + 2*_s -> 2O_s\"\nkf = 1e7\nkr = 0\n"
    "[[step]]\nequation = \"CO_s + O_s <-> CO-O_2s -> CO2_g + 2*_s\"\nkf = 1e9\nkr = 1e-6\n"
    "[sweep]\nx = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 6 }\n";

}  // namespace

TEST_CASE("A 1-D sweep is a grid of nx x 1 points whose y sets nothing", "[sweep][grid]") {
    // Issue 12.10: a [sweep] with only x was an error.
    const ModelFile model = parse_model(kOneD, "m.toml");
    const Mechanism& m = model.mechanism;
    const Grid grid = make_grid(model);
    CHECK(grid.nx() == 6);
    CHECK(grid.ny() == 1);
    CHECK(grid.size() == 6);
    CHECK(grid.xs == std::vector<double>{1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0});
    const GridConditions conditions(model, grid);
    for (std::int64_t k = 0; k < grid.size(); ++k) {
        const Conditions c = conditions.at(k);
        CHECK(c.pressure_bar[static_cast<std::size_t>(m.find_gas("O2_g"))] == grid.xs[static_cast<std::size_t>(k)]);
        CHECK(c.pressure_bar[static_cast<std::size_t>(m.find_gas("CO_g"))] == 0.05);
        CHECK(c.temperature_K == 500.0);
    }
}
