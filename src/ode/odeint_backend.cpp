// Boost.Odeint's own rosenbrock4 with rosenbrock4_controller, on ublas. Kept as the reference
// implementation of RODAS4 (tests compare our Eigen stepper against it step for step) and as
// a user-selectable stepper (`[solver] stepper = "odeint"`). Odeint stays inside src/ode.

#include <boost/numeric/odeint/stepper/rosenbrock4.hpp>
#include <boost/numeric/odeint/stepper/rosenbrock4_controller.hpp>
#include <optional>

#include "stepper_backend.hpp"

namespace kinmap::ode::detail {
namespace {

namespace odeint = boost::numeric::odeint;
using Stepper = odeint::rosenbrock4<double>;
using Controller = odeint::rosenbrock4_controller<Stepper>;
using State = Stepper::state_type;
using Jacobian = Stepper::matrix_type;

struct Derivative {
    const Kinetics* kinetics;
    void operator()(const State& x, State& dxdt, double /*t*/) const {
        kinetics->derivative(&x.data()[0], &dxdt.data()[0]);
    }
};

struct JacobianFunction {
    const Kinetics* kinetics;
    std::vector<double>* buffer;  // column-major scratch; ublas matrices are row-major
    void operator()(const State& x, Jacobian& jac, double /*t*/, State& dfdt) const {
        const auto n = static_cast<std::size_t>(kinetics->n_state());
        kinetics->jacobian(&x.data()[0], buffer->data());
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t k = 0; k < n; ++k) jac(i, k) = (*buffer)[k * n + i];
            dfdt[i] = 0.0;
        }
    }
};

class OdeintBackend final : public StepperBackend {
public:
    explicit OdeintBackend(const Kinetics& kinetics)
        : kinetics_(kinetics),
          n_(static_cast<std::size_t>(kinetics.n_state())),
          x_(n_),
          buffer_(n_ * n_) {}

    void reset(const double* x0, double dt0, double rtol, double atol) override {
        for (std::size_t i = 0; i < n_; ++i) x_[i] = x0[i];
        t_ = 0.0;
        dt_ = dt0;
        controller_.emplace(atol, rtol);
    }

    bool try_step() override {
        auto system = std::make_pair(Derivative{&kinetics_}, JacobianFunction{&kinetics_, &buffer_});
        const auto result = controller_->try_step(system, x_, t_, dt_);
        return result == odeint::success;
    }

    void set_step_size(double dt) override { dt_ = dt; }
    double step_size() const override { return dt_; }
    double time() const override { return t_; }
    const double* state() const override { return &x_.data()[0]; }

private:
    const Kinetics& kinetics_;
    std::size_t n_;
    State x_;
    std::vector<double> buffer_;
    double t_ = 0.0;
    double dt_ = 0.0;
    std::optional<Controller> controller_;
};

}  // namespace

std::unique_ptr<StepperBackend> make_odeint_backend(const Kinetics& kinetics) {
    return std::make_unique<OdeintBackend>(kinetics);
}

}  // namespace kinmap::ode::detail
