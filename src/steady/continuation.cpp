// Continuation in the interaction strength λ (DESIGN §11), the last rung of the per-point
// protocol for a kinetics whose constants depend on the state. Strong repulsions make the
// clean-surface transient and Newton on the full problem hard (rate constants that change by
// tens of decades over the coverage range); the interaction-free problem (λ = 0) is the
// mass-action one that the ordinary ladder solves, and the steady state moves continuously
// with λ, so Newton from the previous λ's state converges in a few iterations per step.
#include <algorithm>
#include <chrono>
#include <limits>
#include <cmath>

#include "kinmap/steady/steady_solver.hpp"

namespace kinmap {
namespace {

// λ steps: the first, the largest and the smallest before giving up; at most this many.
constexpr double kFirstStep = 0.125;
constexpr double kLargestStep = 0.5;
constexpr double kSmallestStep = 1.0 / 4096.0;
constexpr int kMaxSteps = 200;

}  // namespace

PointResult SteadySolver::solve_by_continuation(const Conditions& conditions, const Deadline& outer_deadline) {
    const auto started = std::chrono::steady_clock::now();
    const Deadline deadline =
        Deadline::earliest(outer_deadline, Deadline::after(settings_.point_time_limit_s));
    const RateConstants k = rate_constants(mechanism_, conditions);
    forget_pivots();
    set_constants(conditions, k);
    PointResult result;
    if (!continuation(k, conditions, deadline, result)) {
        result.status = Status::newton_fail;
        result.stable = false;
        result.tof = std::numeric_limits<double>::quiet_NaN();
    }
    result.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

bool SteadySolver::continuation(const RateConstants& k, const Conditions& conditions,
                                const Deadline& deadline, PointResult& result) {
    const SolverSettings& s = settings_;
    // Whatever happens, later evaluations see the full interactions.
    struct Restore {
        SteadySolver& solver;
        ~Restore() { solver.set_interaction_strength(1.0); }
    } restore{*this};

    // λ = 0: the clean-surface transient and Newton, rung by rung as in solve().
    set_interaction_strength(0.0);
    ode::Transient transient(*kinetics_, stepper_kind_, linear_);
    transient.start(clean_.data(), s.ode_rtol, s.ode_atol);
    Eigen::VectorXd x(n_);
    bool found = false;
    double t_target = s.t_end_s;
    for (int rung = 0; rung < s.max_rungs && !found; ++rung) {
        const ode::Outcome outcome = transient.advance_to(t_target, s.max_ode_steps, deadline);
        if (outcome != ode::Outcome::reached) break;
        const Eigen::Map<const Eigen::VectorXd> x_t(transient.state(), n_);
        for (int method = 0; method < 3 && !found; ++method) {
            x = x_t;
            repair_start(x);
            const NewtonOutcome o = method < 2 ? newton(x, method == 1, result.newton_iterations)
                                               : log_balance_newton(x, result.newton_iterations);
            if (o != NewtonOutcome::converged) continue;
            if ((x - x_t).cwiseAbs().maxCoeff() > 1e-3) break;  // not settled: longer transient
            found = is_stable(x);
            if (!found) break;
        }
        t_target *= 1e3;
    }
    result.ode_steps += transient.accepted();
    if (!found) return false;

    // λ from 0 to 1, Newton (linear, then log coverages, then log-balance) from the last state.
    double lambda = 0.0, step = kFirstStep;
    int steps = 0;
    Eigen::VectorXd trial(n_);
    while (lambda < 1.0) {
        if (steps >= kMaxSteps || step < kSmallestStep || deadline.expired()) return false;
        const double next = std::min(1.0, lambda + step);
        set_interaction_strength(next);
        bool ok = false;
        for (int method = 0; method < 3 && !ok; ++method) {
            trial = x;
            const NewtonOutcome o = method < 2 ? newton(trial, method == 1, result.newton_iterations)
                                               : log_balance_newton(trial, result.newton_iterations);
            ok = o == NewtonOutcome::converged && is_stable(trial);
        }
        if (!ok) {
            step *= 0.5;
            continue;
        }
        x = trial;
        lambda = next;
        ++steps;
        step = std::min(2.0 * step, kLargestStep);
    }
    set_interaction_strength(1.0);
    polish(x, result.newton_iterations);
    result.status = Status::ok;
    result.stable = true;
    result.interaction_continuation = steps;
    fill_result(x, result);
    if (tof_is_rounding(x, result.tof)) reconcile_rates(x, result);
    rate_control(x, k, conditions.temperature_K, result);
    return true;
}

}  // namespace kinmap
