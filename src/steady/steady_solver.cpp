#include "kinmap/steady/steady_solver.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/ode/lane_transient.hpp"

namespace kinmap {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Σ v_i², in index order (Newton's merit; Eigen's squaredNorm sums in packets, an order the
// lanes of lane_newton.cpp would have to follow).
double sum_of_squares(const Eigen::VectorXd& v) {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i) sum += v[i] * v[i];
    return sum;
}

// Σ (s_i·v_i)², in index order.
double scaled_sum_of_squares(const Eigen::VectorXd& s, const Eigen::VectorXd& v) {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        const double e = s[i] * v[i];
        sum += e * e;
    }
    return sum;
}

// A converged state further than this (sup norm, in site fractions) from where the transient
// stands belongs to another basin, or the transient has not settled: continue the transient.
// Distinct stable steady states of one mechanism lie much further apart than this.
constexpr double kBasinTolerance = 1e-3;

// Each rung of the ladder continues the transient to this many times the previous end time.
constexpr double kRungGrowth = 1e3;

bool all_finite(const Eigen::VectorXd& v) { return v.allFinite(); }

}  // namespace

SteadySolver::SteadySolver(const Mechanism& mechanism, const SolverSettings& settings)
    : mechanism_(mechanism),
      settings_(settings),
      kinetics_(make_kinetics(mechanism)),
      stepper_kind_(ode::parse_stepper_kind(settings.stepper)),
      linear_(ode::choose_linear_solver(*kinetics_, settings.linear_solver)),
      n_(kinetics_->n_state()) {
    // The lanes repeat the dense stepper's arithmetic: a sparse point runs on its own.
    lanes_supported_ = stepper_kind_ == ode::StepperKind::rodas4 && n_ <= ode::kMaxLaneState &&
                       linear_ == ode::LinearSolverKind::dense &&
                       ode::LaneTransient::supports(*kinetics_);
    const auto n = static_cast<std::size_t>(n_);
    site_of_.resize(n);
    site_count_.resize(n);
    is_free_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Species& sp = mechanism.species[static_cast<std::size_t>(mechanism.surface[i])];
        site_of_[i] = sp.site_type;
        site_count_[i] = static_cast<double>(sp.site_count);
        is_free_[i] = sp.kind == SpeciesKind::free_site;
    }
    clean_ = Eigen::VectorXd::Zero(n_);
    for (const SiteType& site : mechanism.sites) {
        const int row = mechanism.surface_position(site.free_species);
        free_row_.push_back(row);
        site_total_.push_back(site.total);
        clean_[row] = site.total;
    }
    change_ = kinetics_->net_change();
    for (int i = 0; i < n_; ++i) {
        changes_begin_.push_back(static_cast<std::int32_t>(changes_step_.size()));
        for (Eigen::Index j = 0; j < change_.cols(); ++j) {
            if (change_(i, j) != 0.0) changes_step_.push_back(static_cast<std::int32_t>(j));
        }
    }
    changes_begin_.push_back(static_cast<std::int32_t>(changes_step_.size()));
    rf_.resize(mechanism.steps.size());
    rr_.resize(mechanism.steps.size());
    flux_.resize(n);
    f_.resize(n_);
    F_.resize(n_);
    dx_.resize(n_);
    x_trial_.resize(n_);
    jac_.resize(n_, n_);
    J_.resize(n_, n_);
    scale_.resize(n_);
    rhs_.resize(n_);
    null_space_ = Eigen::FullPivLU<Eigen::MatrixXd>(change_).kernel();
    for (int i = 0; i < n_; ++i) {
        if (!is_free_[static_cast<std::size_t>(i)]) adsorbates_.push_back(i);
    }
    const auto m = static_cast<Eigen::Index>(adsorbates_.size());
    reduced_.resize(m, m);
    const auto n_steps = static_cast<Eigen::Index>(mechanism.steps.size());
    lb_.u.resize(n_);
    lb_.R.resize(n_);
    lb_.R_trial.resize(n_);
    lb_.u_trial.resize(n_);
    lb_.theta.resize(n_);
    lb_.step.resize(n_);
    lb_.du.resize(n_);
    lb_.J.resize(n_, n_);
    rc_.grad.resize(n_steps, n_);
    rc_.dtof_dtheta.resize(n_);
    rc_.s_f.resize(static_cast<std::size_t>(n_steps));
    rc_.s_r.resize(static_cast<std::size_t>(n_steps));
    rc_.drf.resize(static_cast<std::size_t>(n_steps));
    rc_.drr.resize(static_cast<std::size_t>(n_steps));
    rc_.dtheta.resize(n_);
    // ν_:,j with the free-site rows 0 (the site balances do not depend on rate constants).
    rc_.nu = change_;
    for (int row : free_row_) rc_.nu.row(row).setZero();
    if (linear_ == ode::LinearSolverKind::sparse) {
        // jacobian_system's structure: the kinetics' with each site type's free-site row
        // replaced by that type's balance (the log-balance system has the same).
        std::vector<char> mask = kinetics_->jacobian_structure();
        for (std::size_t t = 0; t < free_row_.size(); ++t) {
            for (int k = 0; k < n_; ++k) {
                mask[static_cast<std::size_t>(k) * n + static_cast<std::size_t>(free_row_[t])] =
                    site_of_[static_cast<std::size_t>(k)] == static_cast<int>(t) ? 1 : 0;
            }
        }
        sparse_lu_ =
            std::make_unique<ode::SparseLu>(ode::SparsityPattern::from_mask(n_, mask, true));
    }
}

void SteadySolver::factor_system(const Eigen::MatrixXd& J, bool newton) {
    small_factored_ = newton && lanes_supported_;
    if (small_factored_) {
        small_lu_.compute(J);
    } else if (linear_ == ode::LinearSolverKind::dense) {
        dense_lu_.compute(J);
    } else {
        sparse_factored_ = sparse_lu_->factor(J.data());
    }
}

void SteadySolver::solve_system(const Eigen::VectorXd& rhs, Eigen::VectorXd& x) {
    if (small_factored_) {
        x = rhs;
        small_lu_.solve_in_place(x);
        return;
    }
    if (linear_ == ode::LinearSolverKind::dense) {
        x = dense_lu_.solve(rhs);  // into x's storage: no temporary
        return;
    }
    x = rhs;
    if (sparse_factored_) {
        sparse_lu_->solve_in_place(x.data());
    } else {
        x.setConstant(kNaN);
    }
}

bool SteadySolver::Memo::holds(const Eigen::VectorXd& x, std::uint64_t generation) {
    const std::size_t bytes = static_cast<std::size_t>(x.size()) * sizeof(double);
    if (generation_ == generation && x_.size() == x.size() &&
        std::memcmp(x_.data(), x.data(), bytes) == 0) {
        return true;
    }
    x_ = x;
    generation_ = generation;
    return false;
}

void SteadySolver::constants_changed() {
    // No memo holds a generation this high: every later evaluation is computed afresh.
    ++generation_;
}

void SteadySolver::set_constants(const Conditions& conditions, const RateConstants& k) {
    kinetics_->set_conditions(conditions, k);
    constants_changed();
}

void SteadySolver::rates_at(const Eigen::VectorXd& x) {
    if (rates_memo_.holds(x, generation_)) return;
    kinetics_->rates(x.data(), rf_.data(), rr_.data());
    flux_memo_.forget();
}

void SteadySolver::flux_at(const Eigen::VectorXd& x) {
    rates_at(x);
    if (flux_memo_.holds(x, generation_)) return;
    kinetics_->gross_flux(rf_.data(), rr_.data(), flux_.data());
}

void SteadySolver::derivative_at(const Eigen::VectorXd& x) {
    if (derivative_memo_.holds(x, generation_)) return;
    kinetics_->derivative(x.data(), f_.data());
}

void SteadySolver::jacobian_at(const Eigen::VectorXd& x) {
    if (jacobian_memo_.holds(x, generation_)) return;
    kinetics_->jacobian(x.data(), jac_.data());
}

void SteadySolver::residual_system(const Eigen::VectorXd& x, Eigen::VectorXd& F) {
    derivative_at(x);
    F = f_;
    for (std::size_t t = 0; t < free_row_.size(); ++t) {
        double sum = 0.0;
        for (int i = 0; i < n_; ++i) {
            if (site_of_[static_cast<std::size_t>(i)] == static_cast<int>(t)) {
                sum += site_count_[static_cast<std::size_t>(i)] * x[i];
            }
        }
        F[free_row_[t]] = sum - site_total_[t];
    }
}

void SteadySolver::jacobian_system(const Eigen::VectorXd& x, Eigen::MatrixXd& J) {
    jacobian_at(x);
    J = jac_;
    for (std::size_t t = 0; t < free_row_.size(); ++t) {
        for (int k = 0; k < n_; ++k) {
            J(free_row_[t], k) = site_of_[static_cast<std::size_t>(k)] == static_cast<int>(t)
                                     ? site_count_[static_cast<std::size_t>(k)]
                                     : 0.0;
        }
    }
}

double SteadySolver::relative_residual(const Eigen::VectorXd& theta) {
    flux_at(theta);
    derivative_at(theta);
    double worst = 0.0;
    for (int i = 0; i < n_; ++i) {
        const double change = std::abs(f_[i]);
        const double flux = flux_[static_cast<std::size_t>(i)];
        if (change == 0.0) continue;
        worst = std::max(worst, flux > 0.0 ? change / flux : std::numeric_limits<double>::infinity());
    }
    return worst;
}

bool SteadySolver::converged(const Eigen::VectorXd& x) {
    const SolverSettings& s = settings_;
    if (!all_finite(x) || (x.array() < 0.0).any()) return false;
    flux_at(x);
    derivative_at(x);
    for (int i = 0; i < n_; ++i) {
        if (!(std::abs(f_[i]) <= s.rtol * flux_[static_cast<std::size_t>(i)] + s.atol)) return false;
    }
    for (std::size_t t = 0; t < free_row_.size(); ++t) {
        double sum = 0.0;
        for (int i = 0; i < n_; ++i) {
            if (site_of_[static_cast<std::size_t>(i)] == static_cast<int>(t)) {
                sum += site_count_[static_cast<std::size_t>(i)] * x[i];
            }
        }
        if (!(std::abs(sum - site_total_[t]) <= 1e-12 * site_total_[t])) return false;
    }
    return true;
}

void SteadySolver::repair_start(Eigen::VectorXd& x) {
    // A coverage the transient left <= 0 (it carries absolute errors of ~ode_atol) is a bad
    // Newton start: replace it by its quasi-steady value P_i / D_i, where P_i = f_i at θ_i = 0
    // (production only: consumption of i needs i) and D_i = −∂f_i/∂θ_i there.
    bool any = false;
    for (int i = 0; i < n_; ++i) {
        if (!(x[i] > 0.0)) {
            x[i] = 0.0;
            any = true;
        }
    }
    if (!any) return;
    derivative_at(x);
    jacobian_at(x);
    for (int i = 0; i < n_; ++i) {
        if (x[i] == 0.0 && f_[i] > 0.0 && jac_(i, i) < 0.0) x[i] = f_[i] / -jac_(i, i);
    }
}

void SteadySolver::row_scale(const Eigen::VectorXd& x, Eigen::VectorXd& scale) {
    // Rows weighted by 1/(gross flux) at x: the relative residual is what must vanish, and
    // fluxes differ by tens of decades between species; site-balance rows by 1/total.
    flux_at(x);
    for (int i = 0; i < n_; ++i) {
        const double flux = flux_[static_cast<std::size_t>(i)];
        scale[i] = 1.0 / (flux > 0.0 ? flux : 1.0);
    }
    for (std::size_t t = 0; t < free_row_.size(); ++t) scale[free_row_[t]] = 1.0 / site_total_[t];
}

SteadySolver::NewtonOutcome SteadySolver::newton(Eigen::VectorXd& x, bool log_coverages,
                                                 int& iterations) {
    const SolverSettings& s = settings_;
    Eigen::VectorXd& scale = scale_;
    Eigen::VectorXd& rhs = rhs_;
    int crawling = 0;
    for (int it = 0; it < s.newton_max_iterations; ++it) {
        if (converged(x)) return NewtonOutcome::converged;
        // The weights stay fixed during the line search so that the merit is one function.
        row_scale(x, scale);

        residual_system(x, F_);
        jacobian_system(x, J_);
        if (log_coverages) {
            if ((x.array() <= 0.0).any()) return NewtonOutcome::failed;
            J_ = J_ * x.asDiagonal();
        }
        rhs = -(scale.asDiagonal() * F_);
        J_ = scale.asDiagonal() * J_;
        factor_system(J_, true);
        solve_system(rhs, dx_);
        if (!all_finite(dx_)) return NewtonOutcome::nonfinite;

        const double merit0 = sum_of_squares(rhs);
        double lambda = 1.0;
        bool accepted = false;
        for (int halving = 0; halving < 30; ++halving) {
            for (int i = 0; i < n_; ++i) {
                if (log_coverages) {
                    x_trial_[i] = x[i] * std::exp(std::clamp(lambda * dx_[i], -300.0, 300.0));
                } else {
                    // Positivity limited per component: a single factor for the whole vector
                    // stalls when one coverage starts at 1e-300 (NUMERICS.md).
                    x_trial_[i] = std::max(x[i] + lambda * dx_[i], 1e-2 * x[i]);
                }
            }
            residual_system(x_trial_, F_);
            const double merit = scaled_sum_of_squares(scale, F_);
            if (std::isfinite(merit) && merit <= (1.0 - 1e-4 * lambda) * merit0) {
                accepted = true;
                break;
            }
            lambda *= 0.5;
        }
        ++iterations;
        if (!accepted) return NewtonOutcome::failed;
        x = x_trial_;
        // A step of λ lowers the merit by at most ~2λ of itself: kCrawlIterations steps in a
        // row below kCrawlStep say that this Newton is crawling along its line search (the
        // full step leaves the positive orthant far from the root) and that the iterations
        // left cannot converge; the next method (log coverages, the log-balance system)
        // starts at once. On the generated network of 60 states this was 120 iterations of
        // λ ≈ 1e-8 at a sixth of the points (~160 ms of each; docs/mechanism_size.md).
        crawling = lambda < kCrawlStep ? crawling + 1 : 0;
        if (crawling >= kCrawlIterations) return NewtonOutcome::failed;
    }
    return converged(x) ? NewtonOutcome::converged : NewtonOutcome::failed;
}

bool SteadySolver::log_balance_system(const Eigen::VectorXd& u, Eigen::VectorXd& R,
                                      Eigen::MatrixXd* J) {
    const double inf = std::numeric_limits<double>::infinity();
    kinetics_->log_rates(u, ln_rf_, ln_rr_, J != nullptr ? &dln_rf_ : nullptr,
                         J != nullptr ? &dln_rr_ : nullptr);
    const Eigen::VectorXd& ln_rf = ln_rf_;
    const Eigen::VectorXd& ln_rr = ln_rr_;
    if (J != nullptr) J->setZero(n_, n_);
    for (int i = 0; i < n_; ++i) {
        if (is_free_[static_cast<std::size_t>(i)]) continue;
        // Production and consumption of i as log-sum-exp over the monomials that make and
        // take it; the gradients are the monomials' orders weighted by their shares.
        double ln_p = -inf, ln_c = -inf;
        Eigen::RowVectorXd& dp = dp_;
        Eigen::RowVectorXd& dc = dc_;
        for (int pass = 0; pass < 2; ++pass) {
            double peak_p = -inf, peak_c = -inf, sum_p = 0.0, sum_c = 0.0;
            dp.setZero(n_);
            dc.setZero(n_);
            // The steps that change i, in file order (on large mechanisms a few of many).
            for (std::int32_t q = changes_begin_[static_cast<std::size_t>(i)];
                 q < changes_begin_[static_cast<std::size_t>(i) + 1]; ++q) {
                const Eigen::Index j = changes_step_[static_cast<std::size_t>(q)];
                const double nu = change_(i, j);
                // Forward makes i when nu > 0, reverse when nu < 0.
                const double ln_make = nu > 0.0 ? ln_rf[j] : ln_rr[j];
                const double ln_take = nu > 0.0 ? ln_rr[j] : ln_rf[j];
                const double weight = std::log(std::abs(nu));
                if (pass == 0) {
                    peak_p = std::max(peak_p, ln_make + weight);
                    peak_c = std::max(peak_c, ln_take + weight);
                } else {
                    const double a = ln_p == -inf ? 0.0 : std::exp(ln_make + weight - ln_p);
                    const double b = ln_c == -inf ? 0.0 : std::exp(ln_take + weight - ln_c);
                    sum_p += a;
                    sum_c += b;
                    if (J != nullptr) {
                        dp += a * (nu > 0.0 ? dln_rf_.row(j) : dln_rr_.row(j));
                        dc += b * (nu > 0.0 ? dln_rr_.row(j) : dln_rf_.row(j));
                    }
                }
            }
            if (pass == 0) {
                // Provisional peaks; the second pass sums relative to them.
                if (peak_p == -inf || peak_c == -inf) return false;
                ln_p = peak_p;
                ln_c = peak_c;
            } else {
                R[i] = (ln_p + std::log(sum_p)) - (ln_c + std::log(sum_c));
                if (J != nullptr) J->row(i) = dp / sum_p - dc / sum_c;
            }
        }
    }
    for (std::size_t t = 0; t < free_row_.size(); ++t) {
        double peak = -inf;
        for (int k = 0; k < n_; ++k) {
            if (site_of_[static_cast<std::size_t>(k)] == static_cast<int>(t)) {
                peak = std::max(peak, std::log(site_count_[static_cast<std::size_t>(k)]) + u[k]);
            }
        }
        double sum = 0.0;
        for (int k = 0; k < n_; ++k) {
            if (site_of_[static_cast<std::size_t>(k)] != static_cast<int>(t)) continue;
            const double share = std::exp(std::log(site_count_[static_cast<std::size_t>(k)]) + u[k] - peak);
            sum += share;
            if (J != nullptr) (*J)(free_row_[t], k) = share;
        }
        R[free_row_[t]] = peak + std::log(sum) - std::log(site_total_[t]);
        if (J != nullptr) J->row(free_row_[t]) /= sum;
    }
    return R.allFinite();
}

SteadySolver::NewtonOutcome SteadySolver::log_balance_newton(Eigen::VectorXd& x, int& iterations) {
    // A coverage that is 0 has no logarithm: start it where the quasi-steady repair put it, or
    // at the smallest normal double (Newton moves ln θ by whole decades per step).
    Eigen::VectorXd& u = lb_.u;
    for (int i = 0; i < n_; ++i) {
        u[i] = std::log(std::max(x[i], std::numeric_limits<double>::min()));
    }
    Eigen::VectorXd &R = lb_.R, &R_trial = lb_.R_trial, &u_trial = lb_.u_trial;
    Eigen::VectorXd &theta = lb_.theta, &step = lb_.step, &du = lb_.du;
    Eigen::MatrixXd& J = lb_.J;
    // A poisoned surface needs ~5 iterations from the transient's state.
    for (int it = 0; it < settings_.newton_max_iterations; ++it) {
        if (!log_balance_system(u, R, &J)) return NewtonOutcome::failed;
        theta = u.array().exp().matrix();
        if (converged(theta)) {
            // The test stops at rtol; Newton converges quadratically here, so a few more
            // steps (kept while the log-residual falls) bring θ to near machine precision.
            x = theta;
            for (int extra = 0; extra < 3; ++extra) {
                factor_system(J);
                rhs_ = -R;
                solve_system(rhs_, step);
                u_trial = u + step;
                if (!all_finite(step) || !log_balance_system(u_trial, R_trial, nullptr) ||
                    !(R_trial.squaredNorm() < R.squaredNorm())) {
                    break;
                }
                theta = u_trial.array().exp().matrix();  // the better state
                if (!converged(theta)) break;
                u = u_trial;
                x = theta;
                ++iterations;
                if (!log_balance_system(u, R, &J)) break;
            }
            return NewtonOutcome::converged;
        }
        factor_system(J);
        rhs_ = -R;
        solve_system(rhs_, du);
        if (!all_finite(du)) return NewtonOutcome::nonfinite;
        // No coverage above its site total: ln θ ≤ ln(total) caps the step per component.
        const double longest = du.cwiseAbs().maxCoeff();
        if (longest > 50.0) du *= 50.0 / longest;
        const double merit0 = R.squaredNorm();
        double lambda = 1.0;
        bool accepted = false;
        for (int halving = 0; halving < 40; ++halving) {
            u_trial = u + lambda * du;
            if (log_balance_system(u_trial, R_trial, nullptr) &&
                R_trial.squaredNorm() <= (1.0 - 1e-4 * lambda) * merit0) {
                accepted = true;
                break;
            }
            lambda *= 0.5;
        }
        ++iterations;
        if (!accepted) break;
        u = u_trial;
    }
    theta = u.array().exp().matrix();
    if (converged(theta)) {
        x = theta;
        return NewtonOutcome::converged;
    }
    return NewtonOutcome::failed;
}

bool SteadySolver::tof_is_rounding(const Eigen::VectorXd& theta, double tof) {
    // TOF = Σ g_j (rf_j − rr_j) carries a rounding error of ~ε·Σ |g_j|·(rf_j + rr_j): where the
    // steps that make the TOF gas are quasi-equilibrated, that exceeds the TOF itself. Only
    // then are the rates reconciled, so that TOFs resolved in full (every shipped model's map
    // before this check existed) keep their bits.
    rates_at(theta);
    const std::vector<double>& g = kinetics_->tof_stoichiometry();
    double rounding = 0.0;
    for (std::size_t j = 0; j < g.size(); ++j) rounding += std::abs(g[j]) * (rf_[j] + rr_[j]);
    rounding *= 16.0 * std::numeric_limits<double>::epsilon();
    return !(rounding <= 1e-8 * std::abs(tof));
}

void SteadySolver::reconcile_rates(const Eigen::VectorXd& theta, PointResult& result) {
    // Net rates of quasi-equilibrated steps are differences of nearly equal numbers: on a
    // poisoned surface rf − rr of an adsorption step in equilibrium is ~1e-46 of rf, below
    // double precision, and the TOF read from it is 0. At the steady state the net rates lie
    // in the null space of the stoichiometry (ν·r = 0): fit r = B·z to the computed net rates
    // by least squares weighted by 1/(rf + rr), each rate's rounding scale, so that the steps
    // far from equilibrium (resolved to full precision) fix the others.
    const auto n_steps = change_.cols();
    rates_at(theta);
    const Eigen::MatrixXd& basis = null_space_;
    if (basis.cols() == 0 || (basis.cols() == 1 && basis.isZero())) return;
    Eigen::MatrixXd weighted(n_steps, basis.cols());
    Eigen::VectorXd target(n_steps);
    for (Eigen::Index j = 0; j < n_steps; ++j) {
        const double scale = rf_[static_cast<std::size_t>(j)] + rr_[static_cast<std::size_t>(j)];
        const double w = 1.0 / std::max(scale, std::numeric_limits<double>::min());
        weighted.row(j) = w * basis.row(j);
        target[j] = w * (rf_[static_cast<std::size_t>(j)] - rr_[static_cast<std::size_t>(j)]);
    }
    const Eigen::VectorXd z = weighted.colPivHouseholderQr().solve(target);
    const Eigen::VectorXd rates = basis * z;
    if (!all_finite(rates)) return;
    result.rates.assign(rates.data(), rates.data() + n_steps);
    const std::vector<double>& g = kinetics_->tof_stoichiometry();
    double tof = 0.0;
    for (Eigen::Index j = 0; j < n_steps; ++j) tof += g[static_cast<std::size_t>(j)] * rates[j];
    result.tof = tof;
}

void SteadySolver::polish(Eigen::VectorXd& x, int& iterations) {
    // The convergence test stops at rtol; one more full Newton step from a converged state
    // brings the coverages to near machine precision (quadratic convergence) for ~0.1 µs.
    // It is kept only if the state still passes and its relative residual did not grow.
    residual_system(x, F_);
    jacobian_system(x, J_);
    row_scale(x, scale_);
    J_ = scale_.asDiagonal() * J_;
    factor_system(J_, true);
    rhs_ = -(scale_.asDiagonal() * F_);
    solve_system(rhs_, dx_);
    if (!all_finite(dx_)) return;
    for (int i = 0; i < n_; ++i) x_trial_[i] = std::max(x[i] + dx_[i], 1e-2 * x[i]);
    ++iterations;
    const double before = relative_residual(x);
    if (converged(x_trial_) && relative_residual(x_trial_) <= before) x = x_trial_;
}

void SteadySolver::rate_control(const Eigen::VectorXd& theta, const RateConstants& k,
                                double temperature_K, PointResult& result) {
    // Constants that depend on the state: their derivatives at θ (the top-state rule there).
    StateConstantDerivatives local;
    const bool state_dependent = kinetics_->constant_derivatives(theta.data(), local);
    const std::vector<double>& dlnkf_dT = state_dependent ? local.dlnkf_dT : k.dlnkf_dT;
    const std::vector<double>& dlnkr_dT = state_dependent ? local.dlnkr_dT : k.dlnkr_dT;
    const std::vector<double>& dlnkf_dD = state_dependent ? local.dlnkf_dD : k.dlnkf_dD;
    const std::vector<double>& dlnkr_dD = state_dependent ? local.dlnkr_dD : k.dlnkr_dD;
    const auto n_steps = static_cast<int>(mechanism_.steps.size());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    result.drc.assign(static_cast<std::size_t>(n_steps), nan);
    result.trc.assign(static_cast<std::size_t>(n_), nan);
    result.orders.assign(mechanism_.gases.size(), nan);
    result.ea_app_eV = nan;
    const std::size_t n_descriptors = dlnkf_dD.size() / static_cast<std::size_t>(std::max(n_steps, 1));
    result.descriptor_sensitivity.assign(n_descriptors, nan);
    rates_at(theta);
    const double tof = kinetics_->tof(rf_.data(), rr_.data());
    if (!(tof != 0.0) || !std::isfinite(tof)) return;

    jacobian_system(theta, J_);
    factor_system(J_);
    RateControlWork& w = rc_;
    kinetics_->net_rate_gradients(theta.data(), w.grad.data());
    const std::vector<double>& g = kinetics_->tof_stoichiometry();
    w.dtof_dtheta.setZero();
    for (int j = 0; j < n_steps; ++j) w.dtof_dtheta += g[static_cast<std::size_t>(j)] * w.grad.row(j);

    // ∂F/∂ln k of step j: its net change ν_:,j times ∂r_f,j/∂ln kf_j (forward) or
    // −∂r_r,j/∂ln kr_j (reverse); the site-balance rows do not depend on rate constants.
    std::vector<double>& s_f = w.s_f;
    std::vector<double>& s_r = w.s_r;
    kinetics_->rate_sensitivities(theta.data(), w.drf.data(), w.drr.data());
    for (int j = 0; j < n_steps; ++j) {
        for (int direction = 0; direction < 2; ++direction) {
            const double rate = direction == 0 ? w.drf[static_cast<std::size_t>(j)] : -w.drr[static_cast<std::size_t>(j)];
            rhs_ = -(w.nu.col(j) * rate);
            solve_system(rhs_, w.dtheta);
            const double dtof = w.dtof_dtheta.dot(w.dtheta) + g[static_cast<std::size_t>(j)] * rate;
            (direction == 0 ? s_f : s_r)[static_cast<std::size_t>(j)] = dtof / tof;
        }
        result.drc[static_cast<std::size_t>(j)] = s_f[static_cast<std::size_t>(j)] + s_r[static_cast<std::size_t>(j)];
    }
    // Coefficients of a species (surface position or gas) on each side of each step.
    auto weighted = [&](auto matches) {
        double sum = 0.0;
        for (int j = 0; j < n_steps; ++j) {
            const Step& step = mechanism_.steps[static_cast<std::size_t>(j)];
            for (const StoichTerm& t : step.initial) {
                if (matches(t.species)) sum += t.coefficient * s_f[static_cast<std::size_t>(j)];
            }
            for (const StoichTerm& t : step.final) {
                if (matches(t.species)) sum += t.coefficient * s_r[static_cast<std::size_t>(j)];
            }
        }
        return sum;
    };
    for (int i = 0; i < n_; ++i) {
        if (is_free_[static_cast<std::size_t>(i)]) continue;
        const int species = mechanism_.surface[static_cast<std::size_t>(i)];
        if (state_dependent) {
            // G0_i up by δ moves ln k_j by ∂ln k_j/∂(G0_i/kB·T)·δ/kB·T (DESIGN §11).
            double sum = 0.0;
            for (int j = 0; j < n_steps; ++j) {
                sum += s_f[static_cast<std::size_t>(j)] * local.dlnkf_dG0(j, i) +
                       s_r[static_cast<std::size_t>(j)] * local.dlnkr_dG0(j, i);
            }
            result.trc[static_cast<std::size_t>(i)] = -sum;
            continue;
        }
        result.trc[static_cast<std::size_t>(i)] = -weighted([&](int s) { return s == species; });
    }
    for (std::size_t q = 0; q < mechanism_.gases.size(); ++q) {
        const int species = mechanism_.gases[q];
        // A reserved reservoir of DESIGN §12 (pe_g, ele_g, H_g, OH_g) has activity 1, no
        // pressure: it has no reaction order (its potential is potential_sensitivity's).
        if (mechanism_.species[static_cast<std::size_t>(species)].reservoir != Reservoir::none) continue;
        result.orders[q] = weighted([&](int s) { return s == species; });
    }
    double dlntof_dT = 0.0;
    for (int j = 0; j < n_steps; ++j) {
        dlntof_dT += s_f[static_cast<std::size_t>(j)] * dlnkf_dT[static_cast<std::size_t>(j)] +
                     s_r[static_cast<std::size_t>(j)] * dlnkr_dT[static_cast<std::size_t>(j)];
    }
    result.ea_app_eV = constants::kB_eV_per_K * temperature_K * temperature_K * dlntof_dT;
    for (std::size_t d = 0; d < n_descriptors; ++d) {
        double sum = 0.0;
        for (int j = 0; j < n_steps; ++j) {
            const std::size_t at = static_cast<std::size_t>(j) + d * static_cast<std::size_t>(n_steps);
            sum += s_f[static_cast<std::size_t>(j)] * dlnkf_dD[at] +
                   s_r[static_cast<std::size_t>(j)] * dlnkr_dD[at];
        }
        result.descriptor_sensitivity[d] = sum;
    }
    if (!k.dlnkf_dU.empty()) {
        // DESIGN §12: ∂ln TOF/∂U through every step's ∂ln k/∂U, as the descriptors above.
        double sum = 0.0;
        for (std::size_t j = 0; j < static_cast<std::size_t>(n_steps); ++j)
            sum += s_f[j] * k.dlnkf_dU[j] + s_r[j] * k.dlnkr_dU[j];
        result.potential_sensitivity = sum;
    }
}

bool SteadySolver::is_stable(const Eigen::VectorXd& theta) {
    // Eliminate each site type's free site through its balance θ*_t = total_t − Σ n_k θ_k.
    jacobian_at(theta);
    const std::vector<int>& keep = adsorbates_;
    const auto m = static_cast<Eigen::Index>(keep.size());
    if (m == 0) return true;
    Eigen::MatrixXd& reduced = reduced_;
    for (Eigen::Index a = 0; a < m; ++a) {
        for (Eigen::Index b = 0; b < m; ++b) {
            const int i = keep[static_cast<std::size_t>(a)];
            const int k = keep[static_cast<std::size_t>(b)];
            const int free_k = free_row_[static_cast<std::size_t>(site_of_[static_cast<std::size_t>(k)])];
            reduced(a, b) = jac_(i, k) - site_count_[static_cast<std::size_t>(k)] * jac_(i, free_k);
        }
    }
    const double norm = reduced.cwiseAbs().rowwise().sum().maxCoeff();
    eigen_.compute(reduced, false);  // (its workspaces kept from point to point)
    if (eigen_.info() != Eigen::Success) return false;
    const double tolerance = 64.0 * std::numeric_limits<double>::epsilon() * norm;
    return (eigen_.eigenvalues().real().array() < tolerance).all();
}

void SteadySolver::fill_result(const Eigen::VectorXd& theta, PointResult& result) {
    rates_at(theta);
    result.coverage.assign(theta.data(), theta.data() + n_);
    result.rates.resize(rf_.size());
    for (std::size_t s = 0; s < rf_.size(); ++s) result.rates[s] = rf_[s] - rr_[s];
    result.tof = kinetics_->tof(rf_.data(), rr_.data());
    result.residual = relative_residual(theta);
    if (kinetics_->state_dependent()) {
        result.interaction_energy_eV.resize(static_cast<std::size_t>(n_));
        kinetics_->interaction_energies(theta.data(), result.interaction_energy_eV.data());
    }
}

void SteadySolver::forget_pivots() {
    // KLU's refactorisation reuses the pivots of the matrix it factored last: from one point
    // to the next that would make a point's bits depend on which points this solver (rank,
    // thread) solved before it (DESIGN §5). Every point pivots afresh.
    if (sparse_lu_) sparse_lu_->forget_pivots();
}

void SteadySolver::set_conditions(const Conditions& conditions) {
    forget_pivots();
    set_constants(conditions, rate_constants(mechanism_, conditions, &thermo_));
}

void SteadySolver::fill_state(const Eigen::VectorXd& theta, PointResult& result) {
    fill_result(theta, result);
    if (tof_is_rounding(theta, result.tof)) reconcile_rates(theta, result);
}

PointResult SteadySolver::solve(const Conditions& conditions, const Deadline& outer_deadline) {
    const PointStart start = begin_point(conditions, outer_deadline);
    ode::Transient transient(*kinetics_, stepper_kind_, linear_);
    transient.start(clean_.data(), settings_.ode_rtol, settings_.ode_atol);
    const ode::Outcome first = transient.advance_to(settings_.t_end_s, settings_.max_ode_steps, start.deadline);
    return finish_point(conditions, start, transient, first);
}

SteadySolver::PointStart SteadySolver::begin_point(const Conditions& conditions,
                                                   const Deadline& outer_deadline) {
    PointStart start;
    start.started = std::chrono::steady_clock::now();
    start.deadline = Deadline::earliest(outer_deadline, Deadline::after(settings_.point_time_limit_s));
    start.k = rate_constants(mechanism_, conditions, &thermo_);
    forget_pivots();
    set_constants(conditions, start.k);
    return start;
}

void SteadySolver::resume_point(const Conditions& conditions, const PointStart& start) {
    set_constants(conditions, start.k);
}

void SteadySolver::newton_start(const double* x_t, Eigen::VectorXd& x) {
    x = Eigen::Map<const Eigen::VectorXd>(x_t, n_);
    repair_start(x);
}

SteadySolver::FirstNewton SteadySolver::first_newton(const double* x_t) {
    FirstNewton r;
    newton_start(x_t, r.x);
    r.outcome = newton(r.x, false, r.iterations);
    if (r.outcome == NewtonOutcome::converged) polish(r.x, r.iterations);
    return r;
}

PointResult SteadySolver::finish_point(const Conditions& conditions, const PointStart& start,
                                       ode::Transient& transient, ode::Outcome first,
                                       const FirstNewton* first_newton) {
    const auto started = start.started;
    const SolverSettings& s = settings_;
    const Deadline& deadline = start.deadline;
    const RateConstants& k = start.k;

    PointResult result;
    double ode_rtol = s.ode_rtol;
    double ode_atol = s.ode_atol;
    bool tightened = false;
    bool saw_unstable = false;
    bool saw_unsettled = false;
    Status failure = Status::newton_fail;
    Eigen::VectorXd x(n_);
    Eigen::VectorXd best(n_);
    bool have_best = false;

    double t_target = s.t_end_s;
    long ode_steps = 0;
    bool first_stretch = true;  // taken by the caller: its outcome is `first`
    for (int rung = 0; rung < s.max_rungs; ++rung) {
        const ode::Outcome outcome =
            first_stretch ? first : transient.advance_to(t_target, s.max_ode_steps, deadline);
        first_stretch = false;
        const Eigen::Map<const Eigen::VectorXd> x_t(transient.state(), n_);
        if (outcome == ode::Outcome::timeout) {
            failure = Status::timeout;
            break;
        }
        if (outcome != ode::Outcome::reached) {
            // Retry once from the clean surface with tolerances 100x tighter.
            failure = outcome == ode::Outcome::nonfinite ? Status::nonfinite : Status::ode_fail;
            if (tightened) break;
            tightened = true;
            ode_steps += transient.accepted();
            ode_rtol = std::max(ode_rtol * 1e-2, 1e-13);
            ode_atol = std::max(ode_atol * 1e-2, 1e-300);
            transient.start(clean_.data(), ode_rtol, ode_atol);
            t_target = s.t_end_s;
            continue;
        }
        best = x_t;
        have_best = true;
        for (int method = 0; method < 3; ++method) {
            NewtonOutcome newton_outcome;
            if (method == 0 && rung == 0 && first_newton != nullptr) {
                // The caller ran this attempt (and its polish) in lanes, from this state.
                x = first_newton->x;
                result.newton_iterations += first_newton->iterations;
                newton_outcome = first_newton->outcome;
            } else {
                x = x_t;
                repair_start(x);
                newton_outcome = method < 2 ? newton(x, method == 1, result.newton_iterations)
                                            : log_balance_newton(x, result.newton_iterations);
                if (newton_outcome == NewtonOutcome::converged) polish(x, result.newton_iterations);
            }
            if (newton_outcome == NewtonOutcome::nonfinite) failure = Status::nonfinite;
            if (newton_outcome != NewtonOutcome::converged) continue;
            const double distance = (x - x_t).cwiseAbs().maxCoeff();
            if (!(distance <= kBasinTolerance)) {
                saw_unsettled = true;  // another basin, or still moving: continue the transient
                break;
            }
            if (!is_stable(x)) {
                saw_unstable = true;
                break;
            }
            result.status = Status::ok;
            result.stable = true;
            fill_result(x, result);
            if (method == 2 || tof_is_rounding(x, result.tof)) reconcile_rates(x, result);
            result.electron_rate = electron_rate(mechanism_, result.rates);
            result.current_density_mA_cm2 = current_density_mA_cm2(mechanism_, result.electron_rate);
            rate_control(x, k, conditions.temperature_K, result);
            result.ode_steps = ode_steps + transient.accepted();
            result.wall_time_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return result;
        }
        if (deadline.expired()) {
            failure = Status::timeout;
            break;
        }
        t_target *= kRungGrowth;
    }

    // Hard points of interacting maps: continuation in the interaction strength (DESIGN §11).
    if (kinetics_->state_dependent() && failure != Status::timeout && !deadline.expired()) {
        result.ode_steps = ode_steps + transient.accepted();
        if (continuation(k, conditions, deadline, result)) {
            result.wall_time_s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            return result;
        }
        ode_steps = result.ode_steps - transient.accepted();
    }
    if (failure == Status::newton_fail && (saw_unstable || saw_unsettled)) {
        failure = Status::not_steady;
    }
    result.status = failure;
    // Stability is a property of a steady state; a point that found none claims none.
    result.stable = false;
    result.ode_steps = ode_steps + transient.accepted();
    if (have_best) {
        // Report where the transient ended, for diagnosis; the TOF of a non-OK point is NaN.
        fill_result(best, result);
    } else {
        result.coverage.assign(static_cast<std::size_t>(n_), kNaN);
        result.rates.assign(mechanism_.steps.size(), kNaN);
        result.residual = kNaN;
    }
    result.tof = kNaN;
    result.wall_time_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace kinmap
