#pragma once
//! \file
//! The per-point protocol of DESIGN.md §4: from a clean surface, integrate the stiff transient
//! to t_end_s, then polish with damped Newton on the steady-state system in which one balance
//! per site type is replaced by the site total (free sites carried as unknowns of their own);
//! accept only a state that passes the relative residual test, is non-negative, stable, and
//! lies where the transient was heading; otherwise continue the same transient 1000× longer
//! and try again (linear, then log-coverage Newton, then Newton on the log-balance system
//! below), up to SolverSettings::max_rungs times.
//!
//! Log-balance system (the last Newton attempt of each rung): unknowns u_i = ln θ_i; for each
//! non-free species R_i = ln P_i − ln C_i, with P_i and C_i its gross production and
//! consumption (sums of mass-action monomials, evaluated as log-sum-exp of ln k + ν·u, so that
//! nothing underflows), and for each site type R_t = ln(Σ n_k θ_k / total_t). ln P and ln C are
//! convex, nearly piecewise-linear functions of u, so Newton reaches states whose coverages lie
//! tens of decades below the start (a surface poisoned by a strongly bound adsorbate, whose
//! free-site fraction goes as 1/t in the transient) in a few iterations, where Newton on θ or
//! on ln θ with the flux-weighted residual moves ln θ* by about ½ per iteration.
//! |dθ_i/dt| / flux_i = tanh(|R_i|/2), so the usual relative test decides convergence.

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>

#include "kinmap/core/deadline.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/ode/small_lu.hpp"
#include "kinmap/ode/sparse_lu.hpp"
#include "kinmap/ode/transient.hpp"
#include "kinmap/steady/point_result.hpp"

namespace kinmap {

//! Solves points of one mechanism; holds reusable workspaces, so keep one per rank.
class SteadySolver {
public:
    //! Keeps a reference to `mechanism` and a copy of `settings`.
    SteadySolver(const Mechanism& mechanism, const SolverSettings& settings);

    //! The steady state reached from a clean surface at `conditions` (never throws for
    //! numerical trouble: that is reported through PointResult::status). `deadline` is an
    //! outer limit (e.g. --deadline) combined with SolverSettings::point_time_limit_s.
    PointResult solve(const Conditions& conditions, const Deadline& deadline = Deadline());

    // ---- solve() in three parts, for the lanes (issue 19; sweep_loop's PointWorker): a
    // caller may run the first clean-surface stretch elsewhere (ode::LaneTransient) and hand it
    // back; the result is then solve()'s bit for bit.

    //! What a point carries from begin_point() to finish_point().
    struct PointStart {
        RateConstants k;                                 //!< the point's rate constants
        Deadline deadline;                               //!< outer ∧ point_time_limit_s
        std::chrono::steady_clock::time_point started;  //!< for PointResult::wall_time_s
    };
    //! The point's constants, set on kinetics() as solve() does.
    PointStart begin_point(const Conditions& conditions, const Deadline& deadline);
    //! Set the constants of a begun point on kinetics() again (another point was set since).
    void resume_point(const Conditions& conditions, const PointStart& start);
    //! How a Newton attempt ended.
    enum class NewtonOutcome { converged, failed, nonfinite };
    //! The first Newton attempt of a point from the state of its first stretch (linear
    //! coverages from newton_start(), then the polishing step where it converged), run
    //! elsewhere (LaneNewton): its outcome, its iterations (polish included) and its state.
    struct FirstNewton {
        NewtonOutcome outcome = NewtonOutcome::failed;
        int iterations = 0;
        Eigen::VectorXd x;
    };
    //! Newton's start from the transient's state `x_t` (coverages the transient left ≤ 0
    //! repaired), at the constants kinetics() has now.
    void newton_start(const double* x_t, Eigen::VectorXd& x);
    //! The first Newton attempt from `x_t` as finish_point runs it (the scalar form of
    //! LaneNewton), at the constants kinetics() has now.
    FirstNewton first_newton(const double* x_t);
    //! The rest of solve() after the first stretch: `transient`, on kinetics() with this
    //! point's constants, was started from clean_surface() with the ODE tolerances of the
    //! settings and advanced to t_end_s (max_ode_steps attempts, start.deadline), which ended
    //! in `first`. Where `first` is reached, `first_newton` (if not null) is the first Newton
    //! attempt from there, already run; the result is the same bit for bit.
    PointResult finish_point(const Conditions& conditions, const PointStart& start,
                             ode::Transient& transient, ode::Outcome first,
                             const FirstNewton* first_newton = nullptr);
    //! Whether a caller may run the first stretch in lanes: the rodas4 stepper on a kinetics
    //! with a lane form, of at most ode::kMaxLaneState state variables.
    bool lanes_supported() const { return lanes_supported_; }
    //! The settings in use.
    const SolverSettings& settings() const { return settings_; }
    //! The LU of the stepper and of Newton, resolved from SolverSettings::linear_solver.
    ode::LinearSolverKind linear_solver() const { return linear_; }

    //! The clean-surface initial state: every free site at its site total, adsorbates 0.
    const Eigen::VectorXd& clean_surface() const { return clean_; }

    //! Steady-state residual at `theta` for the current conditions: max over species of
    //! |dθ_i/dt| / (gross flux through i); 0 for a species with no flux and no change.
    double relative_residual(const Eigen::VectorXd& theta);

    //! Whether every eigenvalue of the Jacobian reduced by the site balances has a negative
    //! real part (up to rounding: Re λ < 64·ε·‖J‖).
    bool is_stable(const Eigen::VectorXd& theta);

    //! The kinetics (make_kinetics of the mechanism), with the conditions of the last solve().
    const Kinetics& kinetics() const { return *kinetics_; }

    //! Rate control at a converged steady state `theta` (DESIGN.md §2), from the Jacobian of
    //! the steady-state system J_F: a change δ of ln kf_j (or ln kr_j) moves the state by
    //! dθ = −J_F⁻¹·∂F/∂δ, and TOF by ∂TOF/∂θ·dθ + ∂TOF/∂δ. With S_f,j and S_r,j those
    //! relative changes: drc_j = S_f,j + S_r,j (kf and kr scaled together);
    //! trc_s = −Σ_j (ν_IS(s, j)·S_f,j + ν_FS(s, j)·S_r,j) (G_s up by δ, transition states
    //! fixed, raises ln kf of steps consuming s by ν·δ/kB·T); orders_g likewise with the
    //! gas coefficients (pressures enter as p^ν); Ea_app = kB·T²·Σ_j (S_f,j·∂ln kf_j/∂T +
    //! S_r,j·∂ln kr_j/∂T); descriptor_sensitivity_d = Σ_j (S_f,j·∂ln kf_j/∂D_d +
    //! S_r,j·∂ln kr_j/∂D_d), the derivatives of ln k taken from `k` (the point's constants;
    //! no descriptors: none). NaN where undefined (TOF = 0, free sites, explicit constants
    //! for Ea_app).
    void rate_control(const Eigen::VectorXd& theta, const RateConstants& k, double temperature_K,
                      PointResult& result);

    //! The steady state at `conditions` by continuation in the interaction strength λ
    //! (DESIGN §11): the clean-surface transient and Newton at λ = 0, then Newton from each
    //! solution at λ up to 1 in adaptive steps (halved on failure); every accepted state is
    //! stable. The last rung of solve() for a kinetics whose constants depend on the state;
    //! public so that it can be checked on its own. Status OK with interaction_continuation =
    //! the number of λ steps, or a failure status.
    PointResult solve_by_continuation(const Conditions& conditions, const Deadline& deadline = Deadline());

    //! Fill tof, rates, coverage and residual of `result` from state `theta`.
    void fill_result(const Eigen::VectorXd& theta, PointResult& result);

    // ---- The steady-state system on the current conditions, for the search for every
    // steady state and for fold points (all_states.hpp, fold.hpp, DESIGN §8).

    //! Set the conditions (rate constants) that the members below evaluate at, as solve() does.
    void set_conditions(const Conditions& conditions);
    //! The solver's acceptance test of §4.4: finite, θ ≥ 0, relative residual ≤ rtol, site
    //! balances to 1e-12 relative.
    bool is_steady(const Eigen::VectorXd& theta) { return converged(theta); }
    //! The log-balance system R(u) at u = ln θ and, if `J` is not null, ∂R/∂u (see the file
    //! comment); false where some species has no production or no consumption.
    bool log_balance(const Eigen::VectorXd& u, Eigen::VectorXd& R, Eigen::MatrixXd* J) {
        return log_balance_system(u, R, J);
    }
    //! fill_result, then the TOF and rates reconciled with ν·r = 0 where rounding would
    //! dominate them (as the protocol does for the state it returns).
    void fill_state(const Eigen::VectorXd& theta, PointResult& result);

private:
    friend class LaneNewton;  // follows newton(), polish() and their helpers in lanes
    // Newton gives up after this many accepted steps in a row shorter than kCrawlStep (2^-20).
    static constexpr int kCrawlIterations = 4;
    static constexpr double kCrawlStep = 1.0 / 1048576.0;
    NewtonOutcome newton(Eigen::VectorXd& x, bool log_coverages, int& iterations);
    NewtonOutcome log_balance_newton(Eigen::VectorXd& x, int& iterations);
    //! Replace result.rates and result.tof by the steady-state-consistent net rates nearest
    //! (weighted by each step's gross rate) to rf − rr at `theta`.
    void reconcile_rates(const Eigen::VectorXd& theta, PointResult& result);
    //! Whether the rounding error of TOF = Σ g_j (rf_j − rr_j) at `theta` exceeds 1e-8·|tof|.
    bool tof_is_rounding(const Eigen::VectorXd& theta, double tof);
    //! R (size n_) and, if `J` is not null, ∂R/∂u of the log-balance system at u = ln θ;
    //! false if some species has no production or no consumption at all.
    bool log_balance_system(const Eigen::VectorXd& u, Eigen::VectorXd& R, Eigen::MatrixXd* J);
    void polish(Eigen::VectorXd& x, int& iterations);
    //! rf_, rr_ (rates_at), flux_ (flux_at), f_ (derivative_at) and jac_ (jacobian_at) at
    //! state x, each computed only if it does not already hold that state's values: finishing
    //! a point asks for the rates at the same state up to 9 times. A memo holds the state bit
    //! for bit and the generation of the constants it was computed with.
    void rates_at(const Eigen::VectorXd& x);
    void flux_at(const Eigen::VectorXd& x);
    void derivative_at(const Eigen::VectorXd& x);
    void jacobian_at(const Eigen::VectorXd& x);
    //! Every change of the kinetics' constants goes through set_constants or
    //! set_interaction_strength, which call this, so that no memo outlives the constants it
    //! was computed with.
    void constants_changed();
    void set_constants(const Conditions& conditions, const RateConstants& k);
    void set_interaction_strength(double lambda) {
        kinetics_->set_interaction_strength(lambda);
        constants_changed();
    }
    void row_scale(const Eigen::VectorXd& x, Eigen::VectorXd& scale);
    bool converged(const Eigen::VectorXd& x);
    double merit(const Eigen::VectorXd& x);
    void residual_system(const Eigen::VectorXd& x, Eigen::VectorXd& F);
    void jacobian_system(const Eigen::VectorXd& x, Eigen::MatrixXd& J);
    void repair_start(Eigen::VectorXd& x);
    //! Factor a matrix of the steady-state system (jacobian_system's structure: Newton on θ
    //! or ln θ, row-scaled, the log-balance system, rate control) with linear_solver().
    //! `newton` (newton() and polish(), which LaneNewton follows) on a model that runs in
    //! lanes: SmallLu, whose operations the lanes repeat. Every other system keeps Eigen's
    //! PartialPivLU, so that its bits stay as they were where they are ill-conditioned
    //! (rate control at ORR's poisoned corner: the two backward-stable LUs give Ea_app 0.2 eV
    //! apart there; the continuation of interacting models).
    void factor_system(const Eigen::MatrixXd& J, bool newton = false);
    //! x = J⁻¹·rhs for the last factor_system() (non-finite where J was singular); x must not
    //! be rhs.
    void solve_system(const Eigen::VectorXd& rhs, Eigen::VectorXd& x);
    //! The next sparse factor_system() pivots afresh (called where a point starts).
    void forget_pivots();
    //! solve_by_continuation with the point's constants already set; adds its ODE steps and
    //! Newton iterations to `result`; true and `result` filled when it found the state.
    bool continuation(const RateConstants& k, const Conditions& conditions, const Deadline& deadline,
                      PointResult& result);

    const Mechanism& mechanism_;
    ThermoCache thermo_;  // the thermochemistry of mechanism_, from point to point
    SolverSettings settings_;
    //! Every rate, Jacobian and sensitivity comes through this seam (kinetics.hpp).
    std::unique_ptr<Kinetics> kinetics_;
    ode::StepperKind stepper_kind_;
    ode::LinearSolverKind linear_ = ode::LinearSolverKind::dense;
    ode::SmallLu<Eigen::Dynamic> small_lu_;          // Newton's, where lanes_supported_
    bool small_factored_ = false;                    // the last factor_system() used small_lu_
    Eigen::PartialPivLU<Eigen::MatrixXd> dense_lu_;  // the other dense systems
    std::unique_ptr<ode::SparseLu> sparse_lu_;  // linear_ == sparse
    bool sparse_factored_ = false;
    bool lanes_supported_ = false;
    int n_ = 0;
    // Site bookkeeping: free_row_[t] is the state position of site type t's free site; the
    // site balance of type t is Σ site_count_[i]·θ_i over i with site_of_[i] == t.
    std::vector<int> free_row_;
    std::vector<int> site_of_;
    std::vector<double> site_count_;
    std::vector<double> site_total_;
    std::vector<bool> is_free_;
    Eigen::VectorXd clean_;
    // Net change of each state species in each step (change_(k, j)), from the kinetics, and
    // the steps that change species i: changes_step_[changes_begin_[i] .. changes_begin_[i+1]).
    Eigen::MatrixXd change_;
    std::vector<std::int32_t> changes_begin_, changes_step_;
    Eigen::RowVectorXd dp_, dc_;  // log_balance_system's gradient rows
    // Workspaces.
    std::vector<double> rf_, rr_, flux_;
    Eigen::VectorXd ln_rf_, ln_rr_;
    Eigen::MatrixXd dln_rf_, dln_rr_;
    Eigen::VectorXd f_, F_, dx_, x_trial_;
    Eigen::MatrixXd jac_, J_;
    // Workspaces, sized once: row weights (newton, polish), a right-hand side (newton, polish,
    // log_balance_newton, rate_control; never live in two at once), is_stable's adsorbate
    // positions, reduced Jacobian and eigensolver, log_balance_newton's and rate_control's
    // vectors. On the common path (Newton, polish, stability, rate control of a mass-action
    // point) a point allocates only its PointResult; reconcile_rates, state-dependent
    // constants and the continuation still allocate.
    Eigen::VectorXd scale_, rhs_;
    std::vector<int> adsorbates_;
    Eigen::MatrixXd reduced_;
    Eigen::EigenSolver<Eigen::MatrixXd> eigen_;
    struct LogBalanceWork {
        Eigen::VectorXd u, R, R_trial, u_trial, theta, step, du;
        Eigen::MatrixXd J;
    } lb_;
    struct RateControlWork {
        Eigen::MatrixXd grad, nu;  // net-rate gradients (steps × states); ν without site rows
        Eigen::RowVectorXd dtof_dtheta;
        Eigen::VectorXd dtheta;
        std::vector<double> s_f, s_r, drf, drr;
    } rc_;
    Eigen::MatrixXd null_space_;  // of change_: the steady-state net rates (reconcile_rates)
    class Memo {
    public:
        //! Whether the values were computed at x with constants of `generation`; if not,
        //! records x and generation for the values the caller computes now.
        bool holds(const Eigen::VectorXd& x, std::uint64_t generation);
        void forget() { generation_ = 0; }

    private:
        Eigen::VectorXd x_;
        std::uint64_t generation_ = 0;  // 0: holds nothing
    };
    Memo rates_memo_, flux_memo_, derivative_memo_, jacobian_memo_;
    std::uint64_t generation_ = 1;
};

}  // namespace kinmap
