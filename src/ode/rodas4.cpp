// RODAS4 on Eigen types. The coefficients are those of Hairer & Wanner's RODAS4 as tabulated
// in Boost.Odeint's default_rosenbrock_coefficients, and the step-size controller reproduces
// rosenbrock4_controller::try_step decision for decision, so that the two steppers can be
// compared step for step. The state is sized at compile time for small mechanisms: the LU
// and the substitutions then run on fixed-size, unrolled, allocation-free code.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "stepper_backend.hpp"

namespace kinmap::ode::detail {
namespace {

struct Rodas4Tableau {
    static constexpr double gamma = 0.25;
    static constexpr double c2 = 0.386, c3 = 0.21, c4 = 0.63;
    static constexpr double c21 = -0.5668800000000000e+01;
    static constexpr double a21 = 0.1544000000000000e+01;
    static constexpr double c31 = -0.2430093356833875e+01, c32 = -0.2063599157091915e+00;
    static constexpr double a31 = 0.9466785280815826e+00, a32 = 0.2557011698983284e+00;
    static constexpr double c41 = -0.1073529058151375e+00, c42 = -0.9594562251023355e+01,
                            c43 = -0.2047028614809616e+02;
    static constexpr double a41 = 0.3314825187068521e+01, a42 = 0.2896124015972201e+01,
                            a43 = 0.9986419139977817e+00;
    static constexpr double c51 = 0.7496443313967647e+01, c52 = -0.1024680431464352e+02,
                            c53 = -0.3399990352819905e+02, c54 = 0.1170890893206160e+02;
    static constexpr double a51 = 0.1221224509226641e+01, a52 = 0.6019134481288629e+01,
                            a53 = 0.1253708332932087e+02, a54 = -0.6878860361058950e+00;
    static constexpr double c61 = 0.8083246795921522e+01, c62 = -0.7981132988064893e+01,
                            c63 = -0.3152159432874371e+02, c64 = 0.1631930543123136e+02,
                            c65 = -0.6058818238834054e+01;
};

// LU with partial pivoting for a fixed small N, fully unrolled by the compiler. Eigen's
// PartialPivLU is generic (blocked, with runtime loops) and cost more than the six f
// evaluations of a step at N = 3; this is the same algorithm without the generality.
template <int N>
class SmallLu {
public:
    using Matrix = Eigen::Matrix<double, N, N>;
    using Vector = Eigen::Matrix<double, N, 1>;

    void compute(const Matrix& a) {
        lu_ = a;
        for (int k = 0; k < N; ++k) {
            int pivot = k;
            double best = std::abs(lu_(k, k));
            for (int i = k + 1; i < N; ++i) {
                if (std::abs(lu_(i, k)) > best) {
                    best = std::abs(lu_(i, k));
                    pivot = i;
                }
            }
            perm_[k] = pivot;
            if (pivot != k) lu_.row(k).swap(lu_.row(pivot));
            const double inv = 1.0 / lu_(k, k);
            for (int i = k + 1; i < N; ++i) {
                const double l = lu_(i, k) * inv;
                lu_(i, k) = l;
                for (int j = k + 1; j < N; ++j) lu_(i, j) -= l * lu_(k, j);
            }
        }
    }

    Vector solve(const Vector& b) const {
        Vector x = b;
        if constexpr (N > 1) {  // (for N = 1 there is nothing to permute)
            for (int k = 0; k < N; ++k) {
                if (perm_[k] != k) std::swap(x[k], x[perm_[k]]);
            }
        }
        for (int i = 1; i < N; ++i) {
            for (int j = 0; j < i; ++j) x[i] -= lu_(i, j) * x[j];
        }
        for (int i = N - 1; i >= 0; --i) {
            for (int j = i + 1; j < N; ++j) x[i] -= lu_(i, j) * x[j];
            x[i] /= lu_(i, i);
        }
        return x;
    }

private:
    Matrix lu_;
    int perm_[N];
};

template <int N>
struct LuOf {
    using type = SmallLu<N>;
};
template <>
struct LuOf<Eigen::Dynamic> {
    using type = Eigen::PartialPivLU<Eigen::MatrixXd>;
};

template <int N>
class Rodas4Backend final : public StepperBackend {
public:
    using Vector = Eigen::Matrix<double, N, 1>;
    using Matrix = Eigen::Matrix<double, N, N>;

    explicit Rodas4Backend(const Kinetics& kinetics) : kinetics_(kinetics), n_(kinetics.n_state()) {
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
            lu_ = Eigen::PartialPivLU<Matrix>(n_);  // sized once: no allocation per step
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
        using T = Rodas4Tableau;
        kinetics_.jacobian(x_.data(), jac_.data());
        jac_ = -jac_;
        jac_.diagonal().array() += 1.0 / T::gamma / dt;
        lu_.compute(jac_);

        f(x_, f_);
        g1_ = lu_.solve(f_);

        xtmp_ = x_ + T::a21 * g1_;
        f(xtmp_, f_);
        g2_ = lu_.solve(f_ + (T::c21 * g1_) / dt);

        xtmp_ = x_ + T::a31 * g1_ + T::a32 * g2_;
        f(xtmp_, f_);
        g3_ = lu_.solve(f_ + (T::c31 * g1_ + T::c32 * g2_) / dt);

        xtmp_ = x_ + T::a41 * g1_ + T::a42 * g2_ + T::a43 * g3_;
        f(xtmp_, f_);
        g4_ = lu_.solve(f_ + (T::c41 * g1_ + T::c42 * g2_ + T::c43 * g3_) / dt);

        xtmp_ = x_ + T::a51 * g1_ + T::a52 * g2_ + T::a53 * g3_ + T::a54 * g4_;
        f(xtmp_, f_);
        g5_ = lu_.solve(f_ + (T::c51 * g1_ + T::c52 * g2_ + T::c53 * g3_ + T::c54 * g4_) / dt);

        xtmp_ += g5_;
        f(xtmp_, f_);
        xerr_ = lu_.solve(
            f_ + (T::c61 * g1_ + T::c62 * g2_ + T::c63 * g3_ + T::c64 * g4_ + T::c65 * g5_) / dt);
        xout_ = xtmp_ + xerr_;
    }

    const Kinetics& kinetics_;
    int n_;
    Vector x_, xout_, xerr_, xtmp_, f_, g1_, g2_, g3_, g4_, g5_;
    Matrix jac_;
    typename LuOf<N>::type lu_;
    double t_ = 0.0, dt_ = 0.0, rtol_ = 1e-6, atol_ = 1e-12;
    bool first_step_ = true, last_rejected_ = false;
    double err_old_ = 0.0, dt_old_ = 0.0;
};

}  // namespace

std::unique_ptr<StepperBackend> make_rodas4_backend(const Kinetics& kinetics) {
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
        default: return std::make_unique<Rodas4Backend<Eigen::Dynamic>>(kinetics);
    }
}

}  // namespace kinmap::ode::detail
