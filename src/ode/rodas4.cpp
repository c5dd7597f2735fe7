// RODAS4 on Eigen types. The coefficients are those of Hairer & Wanner's RODAS4 as tabulated
// in Boost.Odeint's default_rosenbrock_coefficients, and the step-size controller reproduces
// rosenbrock4_controller::try_step decision for decision, so that the two steppers can be
// compared step for step. The state is sized at compile time for small mechanisms: the LU
// and the substitutions then run on fixed-size, unrolled, allocation-free code.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kinmap/ode/lane_transient.hpp"
#include "kinmap/ode/small_lu.hpp"
#include "kinmap/ode/sparse_lu.hpp"
#include "rodas4_tableau.hpp"
#include "stepper_backend.hpp"

namespace kinmap::ode::detail {
namespace {

using ode::SmallLu;  // (small_lu.hpp)

// Up to this size the unblocked LU beats Eigen's PartialPivLU (and the lanes can follow it).
constexpr int kMaxSmallLu = kMaxLaneState;

// Eigen's blocked LU for larger systems, in SmallLu's shape.
class EigenLu {
public:
    using Matrix = Eigen::MatrixXd;
    using Vector = Eigen::VectorXd;
    void compute(const Matrix& a) {
        lu_.compute(a);
        tmp_.resize(a.rows());
    }
    void solve_in_place(Vector& x) {
        tmp_ = x;
        x = lu_.solve(tmp_);
    }

private:
    Eigen::PartialPivLU<Matrix> lu_;
    Vector tmp_;
};

// KLU on the structure of I/(γ·h) − J (sparse_lu.hpp), in SmallLu's shape, for large
// mechanisms: the symbolic analysis is done once, here; each compute() refactors.
class KluLu {
public:
    using Matrix = Eigen::MatrixXd;
    using Vector = Eigen::VectorXd;
    explicit KluLu(const Kinetics& kinetics) : lu_(stepper_pattern(kinetics)) {}
    void compute(const Matrix& a) { factored_ = lu_.factor(a.data()); }
    void solve_in_place(Vector& x) {
        // A singular matrix gives what the dense LU gives: a non-finite error estimate, and
        // the controller shrinks the step.
        if (factored_) {
            lu_.solve_in_place(x.data());
        } else {
            x.setConstant(std::numeric_limits<double>::quiet_NaN());
        }
    }

private:
    SparseLu lu_;
    bool factored_ = false;
};

// The LU policy's constructor: from the kinetics where it needs the structure.
template <class Lu>
Lu make_lu(const Kinetics& kinetics) {
    if constexpr (std::is_constructible_v<Lu, const Kinetics&>) {
        return Lu(kinetics);
    } else {
        return Lu();
    }
}

template <int N, class Lu = SmallLu<N>>
class Rodas4Backend final : public StepperBackend {
public:
    using Vector = Eigen::Matrix<double, N, 1>;
    using Matrix = Eigen::Matrix<double, N, N>;

    explicit Rodas4Backend(const Kinetics& kinetics)
        : kinetics_(kinetics), n_(kinetics.n_state()), lu_(make_lu<Lu>(kinetics)) {
        resize(x_);
        resize(xout_);
        resize(xerr_);
        resize(xtmp_);
        resize(f_);
        resize(g1_);
        resize(g2_);
        resize(g3_);
        resize(g4_);
        resize(g5_);
        if constexpr (N == Eigen::Dynamic) {
            jac_.resize(n_, n_);
            lu_.compute(Matrix::Identity(n_, n_));  // sized once: no allocation per step
        }
    }

    void reset(const double* x0, double dt0, double rtol, double atol) override {
        for (int i = 0; i < n_; ++i) x_[i] = x0[i];
        t_ = 0.0;
        dt_ = dt0;
        rtol_ = rtol;
        atol_ = atol;
        first_step_ = true;
        last_rejected_ = false;
        err_old_ = 0.0;
        dt_old_ = 0.0;
    }

    bool restore(const StepperState& state) override {
        for (int i = 0; i < n_; ++i) x_[i] = state.x[i];
        t_ = state.t;
        dt_ = state.dt;
        rtol_ = state.rtol;
        atol_ = state.atol;
        first_step_ = state.first_step;
        last_rejected_ = state.last_rejected;
        err_old_ = state.err_old;
        dt_old_ = state.dt_old;
        return true;
    }

    bool try_step() override {
        const double dt = dt_;
        do_step(dt);

        double err = 0.0;
        for (int i = 0; i < n_; ++i) {
            const double sk = atol_ + rtol_ * std::max(std::abs(x_[i]), std::abs(xout_[i]));
            err += xerr_[i] * xerr_[i] / sk / sk;
        }
        err = std::sqrt(err / static_cast<double>(n_));

        constexpr double safe = 0.9, fac1 = 5.0, fac2 = 1.0 / 6.0;
        // std::min(fac1, NaN) is fac1, as in odeint: a NaN error shrinks the step 5x.
        double fac = std::max(fac2, std::min(fac1, std::sqrt(std::sqrt(err)) / safe));
        double dt_new = dt / fac;
        if (err <= 1.0) {
            if (first_step_) {
                first_step_ = false;
            } else {
                double fac_pred = (dt_old_ / dt) * std::sqrt(std::sqrt(err * err / err_old_)) / safe;
                fac_pred = std::max(fac2, std::min(fac1, fac_pred));
                fac = std::max(fac, fac_pred);
                dt_new = dt / fac;
            }
            dt_old_ = dt;
            err_old_ = std::max(0.01, err);
            if (last_rejected_) dt_new = std::min(dt_new, dt);
            t_ += dt;
            dt_ = dt_new;
            last_rejected_ = false;
            x_ = xout_;
            return true;
        }
        dt_ = dt_new;
        last_rejected_ = true;
        return false;
    }

    void set_step_size(double dt) override { dt_ = dt; }
    double step_size() const override { return dt_; }
    double time() const override { return t_; }
    const double* state() const override { return x_.data(); }

private:
    void resize(Vector& v) const {
        if constexpr (N == Eigen::Dynamic) {
            v.resize(n_);
        }
        v.setZero();
    }

    void f(const Vector& x, Vector& out) const { kinetics_.derivative(x.data(), out.data()); }

    // One RODAS4 step from x_ over dt into xout_ with embedded error estimate xerr_. The system
    // is autonomous, so the ∂f/∂t terms of the general method vanish.
    void do_step(double dt) {
        using T = detail::Rodas4Tableau;
        kinetics_.jacobian(x_.data(), jac_.data());
        jac_ = -jac_;
        jac_.diagonal().array() += 1.0 / T::gamma / dt;
        lu_.compute(jac_);

        f(x_, f_);
        g1_ = f_;
        lu_.solve_in_place(g1_);

        xtmp_ = x_ + T::a21 * g1_;
        f(xtmp_, f_);
        g2_ = f_ + (T::c21 * g1_) / dt;
        lu_.solve_in_place(g2_);

        xtmp_ = x_ + T::a31 * g1_ + T::a32 * g2_;
        f(xtmp_, f_);
        g3_ = f_ + (T::c31 * g1_ + T::c32 * g2_) / dt;
        lu_.solve_in_place(g3_);

        xtmp_ = x_ + T::a41 * g1_ + T::a42 * g2_ + T::a43 * g3_;
        f(xtmp_, f_);
        g4_ = f_ + (T::c41 * g1_ + T::c42 * g2_ + T::c43 * g3_) / dt;
        lu_.solve_in_place(g4_);

        xtmp_ = x_ + T::a51 * g1_ + T::a52 * g2_ + T::a53 * g3_ + T::a54 * g4_;
        f(xtmp_, f_);
        g5_ = f_ + (T::c51 * g1_ + T::c52 * g2_ + T::c53 * g3_ + T::c54 * g4_) / dt;
        lu_.solve_in_place(g5_);

        xtmp_ += g5_;
        f(xtmp_, f_);
        xerr_ = f_ + (T::c61 * g1_ + T::c62 * g2_ + T::c63 * g3_ + T::c64 * g4_ + T::c65 * g5_) / dt;
        lu_.solve_in_place(xerr_);
        xout_ = xtmp_ + xerr_;
    }

    const Kinetics& kinetics_;
    int n_;
    Lu lu_;
    Vector x_, xout_, xerr_, xtmp_, f_, g1_, g2_, g3_, g4_, g5_;
    Matrix jac_;
    double t_ = 0.0, dt_ = 0.0, rtol_ = 1e-6, atol_ = 1e-12;
    bool first_step_ = true, last_rejected_ = false;
    double err_old_ = 0.0, dt_old_ = 0.0;
};

}  // namespace

std::unique_ptr<StepperBackend> make_rodas4_backend(const Kinetics& kinetics,
                                                    LinearSolverKind linear) {
    if (linear == LinearSolverKind::sparse) {
        return std::make_unique<Rodas4Backend<Eigen::Dynamic, KluLu>>(kinetics);
    }
    // Fixed sizes for the mechanisms people write most (2..8 surface species incl. free
    // sites); larger ones use dynamic storage, still allocation-free after construction.
    switch (kinetics.n_state()) {
        case 1: return std::make_unique<Rodas4Backend<1>>(kinetics);
        case 2: return std::make_unique<Rodas4Backend<2>>(kinetics);
        case 3: return std::make_unique<Rodas4Backend<3>>(kinetics);
        case 4: return std::make_unique<Rodas4Backend<4>>(kinetics);
        case 5: return std::make_unique<Rodas4Backend<5>>(kinetics);
        case 6: return std::make_unique<Rodas4Backend<6>>(kinetics);
        case 7: return std::make_unique<Rodas4Backend<7>>(kinetics);
        case 8: return std::make_unique<Rodas4Backend<8>>(kinetics);
        default:
            if (kinetics.n_state() <= kMaxSmallLu) {
                return std::make_unique<Rodas4Backend<Eigen::Dynamic>>(kinetics);
            }
            return std::make_unique<Rodas4Backend<Eigen::Dynamic, EigenLu>>(kinetics);
    }
}

}  // namespace kinmap::ode::detail
