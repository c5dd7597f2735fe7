#pragma once
//! \file
//! The stiff clean-surface transient dθ/dt = f(θ) (DESIGN.md §4.2), integrated with the
//! L-stable RODAS4 Rosenbrock method (Hairer & Wanner's coefficients, the tableau of
//! Boost.Odeint's `rosenbrock4`) and its error controller, driven by a step loop that we own:
//! a cap on step attempts, a step-size floor, non-finite detection and a wall-clock deadline.
//!
//! Two interchangeable steppers implement the same method: `rodas4`, on Eigen types sized at
//! compile time for small mechanisms (about 3× cheaper per step, NUMERICS.md), and `odeint`,
//! Boost.Odeint's own `rosenbrock4_controller<rosenbrock4<double>>` on ublas. They agree step
//! for step up to rounding (tests/unit/ode).

#include <memory>
#include <string>

#include "kinmap/core/deadline.hpp"
#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/ode/sparse_lu.hpp"

namespace kinmap::ode {

//! How a call to Transient::advance_to ended.
enum class Outcome {
    reached,    //!< t_end was reached
    step_cap,   //!< the cap on step attempts was hit first
    dt_floor,   //!< the step size fell below what the time can resolve
    nonfinite,  //!< the state or the error estimate became NaN or Inf
    timeout,    //!< the deadline passed
};

//! Which implementation of RODAS4 to use.
enum class StepperKind {
    rodas4,  //!< our Eigen stepper (default)
    odeint,  //!< Boost.Odeint rosenbrock4 + rosenbrock4_controller (ublas)
};

//! Parse "rodas4" or "odeint"; throws std::invalid_argument otherwise.
StepperKind parse_stepper_kind(const std::string& name);

namespace detail {
class StepperBackend;
}

//! Everything a controlled RODAS4 integration carries from one step to the next: handed from
//! a lane of LaneTransient (lane_transient.hpp) to a Transient, which then continues exactly
//! as if it had taken those steps itself.
struct StepperState {
    const double* x = nullptr;  //!< state (n_state values)
    double t = 0.0;             //!< time [s]
    double dt = 0.0;            //!< step size of the next attempt [s]
    double rtol = 0.0, atol = 0.0;
    bool first_step = true;      //!< no step accepted yet (the controller's predictor is off)
    bool last_rejected = false;  //!< the last attempt was rejected
    double err_old = 0.0;        //!< error of the last accepted step (≥ 0.01)
    double dt_old = 0.0;         //!< size of the last accepted step [s]
    long accepted = 0, rejected = 0;
};

//! The first step size of a transient from `x0`: Hairer, Nørsett & Wanner (1993), II.4,
//! h0 = 0.01·‖x0‖/‖f(x0)‖ in the error norm (1e-6 s where either norm is tiny).
double initial_step(const Kinetics& kinetics, const double* x0, double rtol, double atol);

//! One transient: start() from a state, then advance_to() successive end times; the
//! controller's step size and history carry over between calls.
class Transient {
public:
    //! `kinetics` must outlive the Transient and have its conditions set before start().
    //! `linear` chooses the rodas4 stepper's LU (sparse_lu.hpp); the odeint stepper has only
    //! its dense one (std::invalid_argument for sparse).
    Transient(const Kinetics& kinetics, StepperKind kind,
              LinearSolverKind linear = LinearSolverKind::dense);
    ~Transient();
    Transient(Transient&&) noexcept;
    Transient& operator=(Transient&&) noexcept;
    Transient(const Transient&) = delete;  // owns stepper workspaces
    Transient& operator=(const Transient&) = delete;

    //! Restart at t = 0 from `x0` (n_state values) with the given tolerances; the first step
    //! size is estimated from f(x0) (Hairer–Nørsett–Wanner's starting-step heuristic).
    void start(const double* x0, double rtol, double atol);

    //! Continue from `state` (taken by a lane; the rodas4 stepper only).
    void restore(const StepperState& state);

    //! Integrate to `t_end` [s], with at most `max_attempts` further step attempts.
    Outcome advance_to(double t_end, long max_attempts, const Deadline& deadline);

    //! Current state (n_state values).
    const double* state() const;
    //! Current time [s].
    double time() const;
    //! Step size proposed for the next step [s].
    double step_size() const;
    //! Accepted steps since start().
    long accepted() const { return accepted_; }
    //! Rejected step attempts since start().
    long rejected() const { return rejected_; }

private:
    std::unique_ptr<detail::StepperBackend> backend_;
    const Kinetics* kinetics_;
    long accepted_ = 0;
    long rejected_ = 0;
};

}  // namespace kinmap::ode
