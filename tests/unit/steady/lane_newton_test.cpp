// The first Newton attempt in lanes (LaneNewton) against the scalar one
// (SteadySolver::first_newton), on every shipped model whose kinetics has a lane form: from the
// transient's state at t_end_s (where Newton converges), at earlier times (where it takes more
// iterations and halves its steps) and from starts no transient gives (where it fails, or
// meets a non-finite step), in every lane, beside different companions and
// with some lanes left out, the outcome, the iteration count and every coverage must be the
// scalar ones bit for bit.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "kinmap/ode/transient.hpp"
#include "kinmap/steady/lane_newton.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

using namespace kinmap;

namespace {

struct Start {
    Conditions conditions;
    std::vector<double> x_t;             // the transient's state
    SteadySolver::FirstNewton expected;  // the scalar attempt from there
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("The first Newton attempt in lanes is the scalar one bit for bit, in any lane, beside any points",
          "[steady][lanes]") {
    int models = 0;
    std::set<int> outcomes;  // over all models: the paths the comparison went through
    int max_iterations = 0;
    int capped = 0;  // attempts that ran out of iterations (the cap's final acceptance test)
    for (const auto& entry : std::filesystem::directory_iterator(std::string(KINMAP_DATA_DIR) + "/models")) {
    // The model's settings, then Newton capped at 2 iterations (so that attempts end at the cap).
    for (const int cap : {0, 2}) {
        ModelFile model = read_model_file(entry.path().string());
        if (cap > 0) model.solver.newton_max_iterations = cap;
        SteadySolver solver(model.mechanism, model.solver);
        if (!solver.lanes_supported()) continue;
        INFO(entry.path().string() << " cap " << cap);
        const SolverSettings& s = model.solver;
        const Grid grid = make_grid(model);
        const GridConditions grid_conditions(model, grid);
        const int n = static_cast<int>(model.mechanism.surface.size());

        // 12 points of the grid, each from its state at t_end_s and at 1e-6 and 1e-10 of it.
        std::vector<Start> starts;
        for (int q = 0; q < 12; ++q) {
            const Conditions point = grid_conditions.at(q * grid.size() / 12);
            for (const double fraction : {1.0, 1e-6, 1e-10}) {
                solver.set_conditions(point);
                ode::Transient transient(solver.kinetics(), ode::StepperKind::rodas4);
                transient.start(solver.clean_surface().data(), s.ode_rtol, s.ode_atol);
                if (transient.advance_to(fraction * s.t_end_s, s.max_ode_steps, Deadline()) !=
                    ode::Outcome::reached) {
                    continue;
                }
                Start start{point, std::vector<double>(transient.state(), transient.state() + n), {}};
                start.expected = solver.first_newton(start.x_t.data());
                outcomes.insert(static_cast<int>(start.expected.outcome));
                // (the polishing step adds one where the attempt converged)
                if (cap > 0 && start.expected.iterations >= cap) ++capped;
                max_iterations = std::max(max_iterations, start.expected.iterations);
                starts.push_back(std::move(start));
            }
        }
        // Starts no transient gives: the clean surface, every coverage at its site's total
        // (the site balances far off), and one coverage infinite (a non-finite Newton step).
        for (int q = 0; q < 3; ++q) {
            const Conditions point = grid_conditions.at(q * grid.size() / 3);
            solver.set_conditions(point);
            const Eigen::VectorXd& clean = solver.clean_surface();
            std::vector<double> full(static_cast<std::size_t>(n), 1.0), infinite(clean.data(), clean.data() + n);
            infinite[static_cast<std::size_t>(n - 1)] = std::numeric_limits<double>::infinity();
            for (const std::vector<double>& x_t : {std::vector<double>(clean.data(), clean.data() + n), full, infinite}) {
                Start start{point, x_t, solver.first_newton(x_t.data())};
                outcomes.insert(static_cast<int>(start.expected.outcome));
                max_iterations = std::max(max_iterations, start.expected.iterations);
                starts.push_back(std::move(start));
            }
        }
        REQUIRE(starts.size() >= 21);

        LaneNewton lanes(solver);
        Eigen::VectorXd x0;
        // Batches of `width` starts from lane `first`, the starts taken in three orders.
        for (const int width : {kLanes, 5, 1}) {
            for (const int shift : {0, 3}) {
                for (std::size_t begin = 0; begin < starts.size(); begin += static_cast<std::size_t>(width)) {
                    unsigned mask = 0;
                    std::vector<std::pair<int, std::size_t>> placed;
                    for (int u = 0; u < width && begin + static_cast<std::size_t>(u) < starts.size(); ++u) {
                        const std::size_t p = (begin + static_cast<std::size_t>(u) * 7 + static_cast<std::size_t>(shift)) % starts.size();
                        const int w = (u + shift) % kLanes;
                        solver.set_conditions(starts[p].conditions);
                        solver.newton_start(starts[p].x_t.data(), x0);
                        lanes.load(w, solver.kinetics(), x0.data());
                        mask |= 1u << w;
                        placed.emplace_back(w, p);
                    }
                    lanes.run(mask);
                    for (const auto& [w, p] : placed) {
                        INFO("width " << width << " shift " << shift << " lane " << w << " start " << p);
                        const SteadySolver::FirstNewton& got = lanes.result(w);
                        const SteadySolver::FirstNewton& want = starts[p].expected;
                        REQUIRE(got.outcome == want.outcome);
                        REQUIRE(got.iterations == want.iterations);
                        for (int i = 0; i < n; ++i) {
                            INFO("coverage " << i << ": " << got.x[i] << " vs " << want.x[i]);
                            REQUIRE(same_bits(got.x[i], want.x[i]));
                        }
                    }
                }
            }
        }
        if (cap == 0) ++models;
    }
    }
    CHECK(models >= 5);
    CHECK(capped > 0);
    // The comparison went through every outcome, and through more than a single step.
    CHECK(outcomes.size() == 3);
    CHECK(max_iterations >= 4);
}
