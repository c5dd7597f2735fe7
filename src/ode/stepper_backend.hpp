#pragma once
// Internal interface between Transient's step loop and the two RODAS4 implementations.

#include <memory>

#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/ode/sparse_lu.hpp"
#include "kinmap/ode/transient.hpp"

namespace kinmap::ode::detail {

//! One controlled RODAS4 integrator: state, time, step size and controller history.
class StepperBackend {
public:
    virtual ~StepperBackend() = default;
    //! Set x = x0, t = 0, dt = dt0, tolerances, and forget the controller history.
    virtual void reset(const double* x0, double dt0, double rtol, double atol) = 0;
    //! One controlled step attempt of size step_size(): on success advance x and t; in both
    //! cases propose the next step size (odeint's rosenbrock4_controller::try_step semantics).
    virtual bool try_step() = 0;
    //! Change the size of the next attempt (used to land on t_end).
    virtual void set_step_size(double dt) = 0;
    virtual double step_size() const = 0;
    virtual double time() const = 0;
    virtual const double* state() const = 0;
    //! Take over a state and controller history (StepperState); false where unsupported.
    virtual bool restore(const StepperState& /*state*/) { return false; }
};

//! `linear`: the LU of each step's matrix (dense: SmallLu up to kMaxLaneState, Eigen's above).
std::unique_ptr<StepperBackend> make_rodas4_backend(const Kinetics& kinetics,
                                                    LinearSolverKind linear);
std::unique_ptr<StepperBackend> make_odeint_backend(const Kinetics& kinetics);

}  // namespace kinmap::ode::detail
