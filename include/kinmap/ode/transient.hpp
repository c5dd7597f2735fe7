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

//! One transient: start() from a state, then advance_to() successive end times; the
//! controller's step size and history carry over between calls.
class Transient {
public:
    //! `kinetics` must outlive the Transient and have its conditions set before start().
    Transient(const Kinetics& kinetics, StepperKind kind);
    ~Transient();
    Transient(Transient&&) noexcept;
    Transient& operator=(Transient&&) noexcept;
    Transient(const Transient&) = delete;  // owns stepper workspaces
    Transient& operator=(const Transient&) = delete;

    //! Restart at t = 0 from `x0` (n_state values) with the given tolerances; the first step
    //! size is estimated from f(x0) (Hairer–Nørsett–Wanner's starting-step heuristic).
    void start(const double* x0, double rtol, double atol);

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
