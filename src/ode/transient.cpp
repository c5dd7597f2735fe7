#include "kinmap/ode/transient.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "stepper_backend.hpp"

namespace kinmap::ode {

StepperKind parse_stepper_kind(const std::string& name) {
    if (name == "rodas4") return StepperKind::rodas4;
    if (name == "odeint") return StepperKind::odeint;
    throw std::invalid_argument("unknown stepper '" + name + "' (expected rodas4 or odeint)");
}

namespace {

std::unique_ptr<detail::StepperBackend> make_backend(const Kinetics& kinetics, StepperKind kind,
                                                     LinearSolverKind linear) {
    if (kind == StepperKind::rodas4) return detail::make_rodas4_backend(kinetics, linear);
    if (linear == LinearSolverKind::sparse) {
        throw std::invalid_argument("the odeint stepper has no sparse linear solver");
    }
    return detail::make_odeint_backend(kinetics);
}

}  // namespace

Transient::Transient(const Kinetics& kinetics, StepperKind kind, LinearSolverKind linear)
    : backend_(make_backend(kinetics, kind, linear)), kinetics_(&kinetics) {}

Transient::~Transient() = default;
Transient::Transient(Transient&&) noexcept = default;
Transient& Transient::operator=(Transient&&) noexcept = default;

double initial_step(const Kinetics& kinetics, const double* x0, double rtol, double atol) {
    // On a clean surface this is ~0.01/(fastest adsorption rate), well inside the first fast
    // transient; the controller grows it by up to 6x per step from there.
    const int n = kinetics.n_state();
    std::vector<double> f(static_cast<std::size_t>(n));
    kinetics.derivative(x0, f.data());
    double d0 = 0.0, d1 = 0.0;
    for (int i = 0; i < n; ++i) {
        const double sk = atol + rtol * std::abs(x0[i]);
        d0 += (x0[i] / sk) * (x0[i] / sk);
        d1 += (f[static_cast<std::size_t>(i)] / sk) * (f[static_cast<std::size_t>(i)] / sk);
    }
    d0 = std::sqrt(d0 / n);
    d1 = std::sqrt(d1 / n);
    return (d0 < 1e-5 || d1 < 1e-5 || !std::isfinite(d1)) ? 1e-6 : 0.01 * d0 / d1;
}

void Transient::start(const double* x0, double rtol, double atol) {
    backend_->reset(x0, initial_step(*kinetics_, x0, rtol, atol), rtol, atol);
    accepted_ = 0;
    rejected_ = 0;
}

void Transient::restore(const StepperState& state) {
    if (!backend_->restore(state)) {
        throw std::logic_error("Transient::restore: this stepper cannot take over a lane's state");
    }
    accepted_ = state.accepted;
    rejected_ = state.rejected;
}

Outcome Transient::advance_to(double t_end, long max_attempts, const Deadline& deadline) {
    const int n = kinetics_->n_state();
    long attempts = 0;
    while (backend_->time() < t_end) {
        if (attempts >= max_attempts) return Outcome::step_cap;
        // The clock is read every 64 attempts: a point takes ~100 ns per attempt.
        if ((attempts & 63) == 0 && deadline.expired()) return Outcome::timeout;
        const double t = backend_->time();
        double dt = backend_->step_size();
        if (!(dt > 4.0 * std::numeric_limits<double>::epsilon() * std::abs(t)) || !(dt > 0.0)) {
            return std::isfinite(dt) ? Outcome::dt_floor : Outcome::nonfinite;
        }
        const bool lands = t + dt >= t_end;
        if (lands) backend_->set_step_size(t_end - t);
        ++attempts;
        if (backend_->try_step()) {
            ++accepted_;
            const double* x = backend_->state();
            for (int i = 0; i < n; ++i) {
                if (!std::isfinite(x[i])) return Outcome::nonfinite;
            }
            // Landing exactly on t_end shortens the last step; let the next stretch start
            // from the controller's proposal for a full step rather than a truncated one.
            if (lands) backend_->set_step_size(std::max(backend_->step_size(), dt));
        } else {
            ++rejected_;
        }
    }
    return Outcome::reached;
}

const double* Transient::state() const { return backend_->state(); }
double Transient::time() const { return backend_->time(); }
double Transient::step_size() const { return backend_->step_size(); }

}  // namespace kinmap::ode
