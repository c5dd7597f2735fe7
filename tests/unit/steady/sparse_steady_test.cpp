// The protocol of DESIGN §4 on the sparse LU (KLU) against the dense one: the same steady
// states on the generated large mechanisms (bench/family), and the setting that chooses it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

using namespace kinmap;

namespace {

ModelFile family(const std::string& name) {
    return read_model_file(std::string(KINMAP_TEST_DIR) + "/../bench/family/" + name + ".toml");
}

}  // namespace

TEST_CASE("Newton on the sparse LU finds the dense LU's steady states", "[steady][sparse]") {
    // Both solves end with Newton polished to near machine precision on the same system, so
    // the states differ only by the rounding of two backward-stable factorisations, amplified
    // by the system's conditioning: 1e-9 relative per coverage (1e-15 absolute for the ones
    // below 1e-6 of the surface) leaves 1e3–1e6 of room above what is measured (≤ 1e-12) and
    // is far below any other steady state or a non-converged one (the relative residual test
    // accepts 1e-8).
    for (const char* name : {"chain_32", "network_32", "network_60"}) {
        INFO(name);
        ModelFile dense_model = family(name);
        ModelFile sparse_model = dense_model;
        dense_model.solver.linear_solver = "dense";
        sparse_model.solver.linear_solver = "sparse";
        SteadySolver dense(dense_model.mechanism, dense_model.solver);
        SteadySolver sparse(sparse_model.mechanism, sparse_model.solver);
        REQUIRE(dense.linear_solver() == ode::LinearSolverKind::dense);
        REQUIRE(sparse.linear_solver() == ode::LinearSolverKind::sparse);
        CHECK_FALSE(sparse.lanes_supported());
        const Grid grid = make_grid(dense_model);
        GridConditions conditions(dense_model, grid);
        // Corners and an inner point, and the column where Newton on θ fails and the
        // log-balance Newton takes over (network_32 and network_60, j = 2).
        for (std::int64_t k :
             {std::int64_t{0}, std::int64_t{2}, std::int64_t{14}, grid.size() - 1}) {
            INFO("point " << k);
            const Conditions c = conditions.at(k);
            const PointResult a = dense.solve(c);
            const PointResult b = sparse.solve(c);
            REQUIRE(a.status == Status::ok);
            REQUIRE(b.status == Status::ok);
            CHECK(a.stable == b.stable);
            for (std::size_t i = 0; i < a.coverage.size(); ++i) {
                const double scale = std::max(a.coverage[i], 1e-6);
                CHECK(std::abs(a.coverage[i] - b.coverage[i]) <= 1e-9 * scale);
            }
            const double tof_scale = std::max(std::abs(a.tof), 1e-8);
            CHECK(std::abs(a.tof - b.tof) <= 1e-8 * tof_scale);
            // Rate control solves the unscaled steady-state system once more, whose condition
            // number here is ~1e10 (fluxes over ten decades, coverages down to 1e-20): the
            // two factorisations then differ by κ·ε ≈ 1e-6 on degrees of rate control of
            // order 1 (measured: up to 1.7e-6 on network_60); 1e-5 is that with a margin of
            // 6, while a wrong solve is off by O(1) (Σ drc = 1 is checked below).
            double sum_a = 0.0, sum_b = 0.0;
            for (std::size_t j = 0; j < a.drc.size(); ++j) {
                CHECK(std::abs(a.drc[j] - b.drc[j]) <= 1e-5);
                sum_a += a.drc[j];
                sum_b += b.drc[j];
            }
            CHECK(std::abs(sum_a - 1.0) <= 1e-4);
            CHECK(std::abs(sum_b - 1.0) <= 1e-4);
        }
    }
}

TEST_CASE("A sparse point's result does not depend on the points solved before it",
          "[steady][sparse]") {
    // DESIGN §5: the same bits at any rank count and schedule. KLU refactors on the pivots of
    // the matrix it factored last, so a solver must pivot afresh at every point: the whole
    // grid solved forwards and backwards by one solver each gives the same bits per point.
    for (const char* name : {"chain_60", "network_32"}) {
        INFO(name);
        ModelFile model = family(name);
        model.solver.linear_solver = "sparse";
        const Grid grid = make_grid(model);
        GridConditions conditions(model, grid);
        SteadySolver forwards(model.mechanism, model.solver);
        SteadySolver backwards(model.mechanism, model.solver);
        std::vector<PointResult> first(static_cast<std::size_t>(grid.size()));
        for (std::int64_t k = 0; k < grid.size(); ++k) {
            first[static_cast<std::size_t>(k)] = forwards.solve(conditions.at(k));
        }
        int differ = 0;
        for (std::int64_t k = grid.size() - 1; k >= 0; --k) {
            const PointResult b = backwards.solve(conditions.at(k));
            const PointResult& a = first[static_cast<std::size_t>(k)];
            REQUIRE(a.status == Status::ok);
            const bool same = b.status == a.status && b.coverage == a.coverage &&
                              b.rates == a.rates && b.drc == a.drc &&
                              b.newton_iterations == a.newton_iterations;
            differ += same ? 0 : 1;
        }
        CHECK(differ == 0);
    }
}
