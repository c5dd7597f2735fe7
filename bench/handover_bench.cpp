// How much of the clean-surface transient an early hand-over to Newton could save at most
// (issue 19, "less work per point"): for every point of a model's [sweep] grid, the transient is
// advanced from the clean surface through checkpoints t_end·10^-k (k = 12 … 0) and the state at
// each is compared with the point's accepted steady state (SteadySolver::solve). The earliest
// checkpoint from which every later state lies within a distance d (sup norm, site fractions)
// of that steady state is where an ideal hand-over, one that knew the answer, could stop; the
// accepted steps after it are what it would save. Only points accepted on the first rung count.
// Stopping at checkpoints shortens some steps, so the step totals differ slightly from a sweep's.
//
// Usage: handover_bench [MODEL.toml]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/ode/transient.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

using namespace kinmap;

int main(int argc, char** argv) {
    const std::string path =
        argc > 1 ? argv[1] : std::string(KINMAP_SOURCE_DIR) + "/data/models/co_oxidation_pt100.toml";
    const ModelFile model = read_model_file(path);
    const Grid grid = make_grid(model);
    GridConditions conditions(model, grid);
    SteadySolver solver(model.mechanism, model.solver);
    const SolverSettings& s = solver.settings();
    const int n = static_cast<int>(model.mechanism.surface.size());
    constexpr int kCheckpoints = 13;  // t_end·1e-12 … t_end
    const std::vector<double> distances = {1e-3, 1e-6, 1e-9};
    std::vector<double> saved(distances.size(), 0.0);
    std::vector<double> at_checkpoint(kCheckpoints, 0.0);  // mean accepted steps so far
    double total_steps = 0.0;
    long steady_points = 0, checks = 0, rule_checks = 0;
    double plain_steps = 0.0, rule_steps = 0.0, unforced_steps = 0.0;
    long unforced_checks = 0;
    double steady_saved = 0.0, steady_gap = 0.0;
    long counted = 0, solved = 0;  // points accepted on the first rung; points solved (OK)
    for (std::int64_t k = 0; k < grid.size(); ++k) {
        const Conditions c = conditions.at(k);
        const PointResult answer = solver.solve(c);
        if (answer.status != Status::ok) continue;
        ++solved;
        const SteadySolver::PointStart start = solver.begin_point(c, Deadline());
        ode::Transient transient(solver.kinetics(), ode::StepperKind::rodas4, solver.linear_solver());
        transient.start(solver.clean_surface().data(), s.ode_rtol, s.ode_atol);
        std::vector<double> gap(kCheckpoints);
        std::vector<long> steps(kCheckpoints);
        std::vector<char> steady(kCheckpoints);  // the state passes the acceptance test
        bool reached = true;
        for (int q = 0; q < kCheckpoints; ++q) {
            const double t = s.t_end_s * std::pow(10.0, q - (kCheckpoints - 1));
            reached = reached && transient.advance_to(t, s.max_ode_steps, start.deadline) ==
                                     ode::Outcome::reached;
            double worst = 0.0;
            for (int i = 0; i < n; ++i) {
                worst = std::max(worst, std::abs(transient.state()[i] - answer.coverage[static_cast<std::size_t>(i)]));
            }
            gap[static_cast<std::size_t>(q)] = worst;
            const Eigen::Map<const Eigen::VectorXd> x(transient.state(), n);
            steady[static_cast<std::size_t>(q)] = solver.is_steady(x) ? 1 : 0;
            steps[static_cast<std::size_t>(q)] = transient.accepted();
        }
        // The rule as a sweep would run it: one stretch to t_end (the protocol today) against
        // stretches to t_end·1e-4, 1e-3, 1e-2, 1e-1 and t_end, stopping at the first whose state
        // passes the acceptance test (the stretches' ends shorten a step each).
        {
            ode::Transient plain(solver.kinetics(), ode::StepperKind::rodas4, solver.linear_solver());
            plain.start(solver.clean_surface().data(), s.ode_rtol, s.ode_atol);
            plain.advance_to(s.t_end_s, s.max_ode_steps, start.deadline);
            ode::Transient staged(solver.kinetics(), ode::StepperKind::rodas4, solver.linear_solver());
            staged.start(solver.clean_surface().data(), s.ode_rtol, s.ode_atol);
            for (int e = -4; e <= 0; ++e) {
                staged.advance_to(s.t_end_s * std::pow(10.0, e), s.max_ode_steps, start.deadline);
                ++rule_checks;
                const Eigen::Map<const Eigen::VectorXd> x(staged.state(), n);
                if (e == 0 || solver.is_steady(x)) break;
            }
            // The same test after the first step that passes each of those times, the steps
            // themselves those of the one stretch.
            ode::Transient unforced(solver.kinetics(), ode::StepperKind::rodas4, solver.linear_solver());
            unforced.start(solver.clean_surface().data(), s.ode_rtol, s.ode_atol);
            int e = -4;
            while (unforced.time() < s.t_end_s) {
                if (unforced.advance_to(s.t_end_s, 1, start.deadline) == ode::Outcome::reached) break;
                if (unforced.time() >= s.t_end_s * std::pow(10.0, e) && e < 0) {
                    ++e;
                    ++unforced_checks;
                    const Eigen::Map<const Eigen::VectorXd> x(unforced.state(), n);
                    if (solver.is_steady(x)) break;
                }
            }
            unforced_steps += static_cast<double>(unforced.accepted());
            plain_steps += static_cast<double>(plain.accepted());
            rule_steps += static_cast<double>(staged.accepted());
        }
        // A point that the first rung did not settle is not the common path this measures.
        if (!reached || !(gap.back() <= 1e-3)) continue;
        ++counted;
        total_steps += static_cast<double>(steps.back());
        for (int q = 0; q < kCheckpoints; ++q) at_checkpoint[static_cast<std::size_t>(q)] += static_cast<double>(steps[static_cast<std::size_t>(q)]);
        for (std::size_t d = 0; d < distances.size(); ++d) {
            int first = kCheckpoints - 1;
            while (first > 0 && gap[static_cast<std::size_t>(first - 1)] <= distances[d]) --first;
            saved[d] += static_cast<double>(steps.back() - steps[static_cast<std::size_t>(first)]);
        }
        // The first checkpoint whose state already passes the acceptance test (no Newton).
        int q = 0;
        while (q < kCheckpoints - 1 && steady[static_cast<std::size_t>(q)] == 0) ++q;
        if (steady[static_cast<std::size_t>(q)] != 0) {
            ++steady_points;
            steady_saved += static_cast<double>(steps.back() - steps[static_cast<std::size_t>(q)]);
            steady_gap = std::max(steady_gap, gap[static_cast<std::size_t>(q)]);
            checks += q + 1;
        } else {
            checks += kCheckpoints;
        }
    }
    std::printf("model %s, %lld points, %ld accepted on the first rung and counted\n",
                model.mechanism.name.c_str(), static_cast<long long>(grid.size()), counted);
    if (counted == 0) return 0;
    const double mean = total_steps / static_cast<double>(counted);
    std::printf("mean accepted steps to t_end = %g s: %.1f\n", s.t_end_s, mean);
    std::printf("mean accepted steps by checkpoint:");
    for (int q = 0; q < kCheckpoints; ++q) {
        std::printf(" %.0e:%.1f", s.t_end_s * std::pow(10.0, q - (kCheckpoints - 1)),
                    at_checkpoint[static_cast<std::size_t>(q)] / static_cast<double>(counted));
    }
    std::printf("\n");
    for (std::size_t d = 0; d < distances.size(); ++d) {
        const double per_point = saved[d] / static_cast<double>(counted);
        std::printf("ideal hand-over within %.0e of the answer: saves %.1f steps/point (%.1f %%)\n",
                    distances[d], per_point, 100.0 * per_point / mean);
    }
    std::printf("hand-over at the first checkpoint whose state passes the acceptance test: %ld of "
                "%ld points, saves %.1f steps/point (%.1f %%), %.1f tests/point, farthest from the "
                "answer %.1e\n",
                steady_points, counted, steady_saved / static_cast<double>(counted),
                100.0 * steady_saved / static_cast<double>(counted) / mean,
                static_cast<double>(checks) / static_cast<double>(counted), steady_gap);
    std::printf("stretches to t_end*1e-4 ... t_end, stopping at the first steady one: %.1f steps/point "
                "against %.1f in one stretch (%.1f %% fewer), %.2f tests/point\n",
                rule_steps / static_cast<double>(solved), plain_steps / static_cast<double>(solved),
                100.0 * (1.0 - rule_steps / plain_steps),
                static_cast<double>(rule_checks) / static_cast<double>(solved));
    std::printf("the same test after the first step past each of those times: %.1f steps/point "
                "(%.1f %% fewer), %.2f tests/point\n",
                unforced_steps / static_cast<double>(solved), 100.0 * (1.0 - unforced_steps / plain_steps),
                static_cast<double>(unforced_checks) / static_cast<double>(solved));
    return 0;
}
