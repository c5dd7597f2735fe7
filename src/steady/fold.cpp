#include "kinmap/steady/fold.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <utility>

namespace kinmap {
namespace {

// Newton on the extended system stops when the axis coordinate moves by less than this
// (DESIGN §8 asks 1e-10 relative in the axis value; the last step is far below it).
constexpr double kStepTolerance = 1e-13;
constexpr int kMaxIterations = 40;
// Central-difference step of the extended system's Jacobian, in ln θ and in s.
constexpr double kDifference = 1e-6;
// Bisections of a bracket whose Newton starts all failed.
constexpr int kMaxBisections = 12;

Eigen::VectorXd log_of(const Eigen::VectorXd& theta) {
    Eigen::VectorXd u(theta.size());
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
        u[i] = std::log(std::max(theta[i], std::numeric_limits<double>::min()));
    }
    return u;
}

}  // namespace

FoldSearch::FoldSearch(SteadySolver& solver, AllStatesSearch& search, ConditionsAt at,
                       bool log_axis)
    : solver_(solver),
      search_(search),
      at_(std::move(at)),
      log_axis_(log_axis),
      n_(solver.kinetics().n_state()) {}

double FoldSearch::value_of(double s) const {
    return log_axis_ ? std::exp(s) : s;
}

std::vector<Eigen::VectorXd> FoldSearch::states_at(double value) {
    const PointResult clean = solver_.solve(at_(value));
    std::vector<Eigen::VectorXd> seeds;
    if (clean.status == Status::ok)
        seeds.push_back(Eigen::Map<const Eigen::VectorXd>(clean.coverage.data(), n_));
    return search_.states(solver_, seeds);
}

bool FoldSearch::extended(const Eigen::VectorXd& z, Eigen::VectorXd& E) {
    solver_.set_conditions(at_(value_of(z[n_])));
    Eigen::VectorXd R(n_);
    Eigen::MatrixXd A(n_, n_);
    if (!solver_.log_balance(z.head(n_), R, &A)) return false;
    Eigen::MatrixXd bordered = Eigen::MatrixXd::Zero(n_ + 1, n_ + 1);
    bordered.topLeftCorner(n_, n_) = A;
    bordered.topRightCorner(n_, 1) = b_;
    bordered.bottomLeftCorner(1, n_) = c_.transpose();
    Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n_ + 1);
    rhs[n_] = 1.0;
    const Eigen::VectorXd w = bordered.fullPivLu().solve(rhs);
    E.resize(n_ + 1);
    E.head(n_) = R;
    E[n_] = w[n_];
    return E.allFinite();
}

std::optional<FoldPoint> FoldSearch::refine(double value, const Eigen::VectorXd& theta) {
    Eigen::VectorXd z(n_ + 1);
    z.head(n_) = log_of(theta);
    if (log_axis_ && !(value > 0.0)) return std::nullopt;
    z[n_] = log_axis_ ? std::log(value) : value;
    const double s_scale = log_axis_ ? 1.0 : std::max(std::abs(value), 1e-300);
    // The bordering vectors: singular vectors of the smallest singular value of ∂R/∂u here.
    {
        solver_.set_conditions(at_(value));
        Eigen::VectorXd R(n_);
        Eigen::MatrixXd A(n_, n_);
        if (!solver_.log_balance(z.head(n_), R, &A)) return std::nullopt;
        const Eigen::JacobiSVD<Eigen::MatrixXd> svd(A, Eigen::ComputeFullU | Eigen::ComputeFullV);
        b_ = svd.matrixU().col(n_ - 1);
        c_ = svd.matrixV().col(n_ - 1);
    }
    Eigen::VectorXd E(n_ + 1), E_plus(n_ + 1), E_minus(n_ + 1), z_trial(n_ + 1), E_trial(n_ + 1);
    Eigen::MatrixXd JE(n_ + 1, n_ + 1);
    bool converged = false;
    for (int it = 0; it < kMaxIterations && !converged; ++it) {
        if (!extended(z, E)) return std::nullopt;
        for (int k = 0; k <= n_; ++k) {
            const double h = kDifference * (k == n_ ? s_scale : 1.0);
            Eigen::VectorXd zp = z, zm = z;
            zp[k] += h;
            zm[k] -= h;
            if (!extended(zp, E_plus) || !extended(zm, E_minus)) return std::nullopt;
            JE.col(k) = (E_plus - E_minus) / (2.0 * h);
        }
        Eigen::VectorXd dz = JE.fullPivLu().solve(-E);
        if (!dz.allFinite()) return std::nullopt;
        // Damped: coverages by at most e^5 and the axis by e^0.5 (or half its value) a step.
        const double longest =
            std::max(dz.head(n_).cwiseAbs().maxCoeff() / 5.0, std::abs(dz[n_]) / (0.5 * s_scale));
        if (longest > 1.0) dz /= longest;
        const double merit0 = E.squaredNorm();
        double lambda = 1.0;
        bool accepted = false;
        for (int halving = 0; halving < 30; ++halving) {
            z_trial = z + lambda * dz;
            if (extended(z_trial, E_trial) &&
                E_trial.squaredNorm() <= (1.0 - 1e-4 * lambda) * merit0) {
                accepted = true;
                break;
            }
            lambda *= 0.5;
        }
        if (!accepted) {
            // At the solution E cannot fall further in double precision: accept a last step
            // that is already below the tolerance.
            converged = std::abs(dz[n_]) <= kStepTolerance * s_scale * 1e3;
            if (converged) z += dz;
            break;
        }
        converged = std::abs(lambda * dz[n_]) <= kStepTolerance * s_scale;
        z = z_trial;
    }
    if (!converged) return std::nullopt;
    FoldPoint fold;
    fold.value = value_of(z[n_]);
    solver_.set_conditions(at_(fold.value));
    const Eigen::VectorXd state = z.head(n_).array().exp().matrix();
    if (!solver_.is_steady(state)) return std::nullopt;
    const SteadyState s = AllStatesSearch::describe(solver_, state);
    fold.tof = s.tof;
    fold.coverage = s.coverage;
    return fold;
}

std::vector<FoldPoint> FoldSearch::between(double a, std::vector<Eigen::VectorXd> states_a,
                                           double b, std::vector<Eigen::VectorXd> states_b) {
    std::vector<FoldPoint> folds;
    if (states_a.size() == states_b.size()) return folds;
    const double lo = std::min(a, b), hi = std::max(a, b);
    const std::size_t expected = std::max<std::size_t>(
        1,
        (std::max(states_a.size(), states_b.size()) - std::min(states_a.size(), states_b.size())) /
            2);
    auto inside = [&](double v) {
        const double slack = 1e-9 * std::max(std::abs(lo), std::abs(hi));
        return v >= lo - slack && v <= hi + slack;
    };
    for (int bisection = 0; bisection <= kMaxBisections; ++bisection) {
        // The side with more states holds the pair that meets at the fold.
        const bool a_more = states_a.size() > states_b.size();
        const double v_more = a_more ? a : b;
        const std::vector<Eigen::VectorXd>& more = a_more ? states_a : states_b;
        std::vector<std::pair<double, std::pair<std::size_t, std::size_t>>> pairs;
        std::vector<Eigen::VectorXd> logs;
        for (const auto& t : more) logs.push_back(log_of(t));
        for (std::size_t p = 0; p < more.size(); ++p) {
            for (std::size_t q = p + 1; q < more.size(); ++q) {
                pairs.push_back({(logs[p] - logs[q]).norm(), {p, q}});
            }
        }
        // Nearest pairs first; ties by index, so the order is fixed.
        std::stable_sort(pairs.begin(), pairs.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        for (const auto& pair : pairs) {
            const Eigen::VectorXd middle =
                (0.5 * (logs[pair.second.first] + logs[pair.second.second])).array().exp().matrix();
            const std::optional<FoldPoint> fold = refine(v_more, middle);
            if (!fold || !inside(fold->value)) continue;
            bool known = false;
            for (const FoldPoint& f : folds) {
                known = known || std::abs(f.value - fold->value) <= 1e-9 * std::abs(fold->value);
            }
            if (!known) folds.push_back(*fold);
            if (folds.size() >= expected) break;
        }
        if (folds.size() >= expected) break;
        // Narrow the bracket on the state count and try again from nearer the fold.
        const double mid = log_axis_ ? std::sqrt(lo * hi) : 0.5 * (a + b);
        std::vector<Eigen::VectorXd> states_mid = states_at(mid);
        if (states_mid.size() == more.size()) {
            (a_more ? a : b) = mid;
            (a_more ? states_a : states_b) = std::move(states_mid);
        } else {
            (a_more ? b : a) = mid;
            (a_more ? states_b : states_a) = std::move(states_mid);
        }
        if (states_a.size() == states_b.size()) break;
    }
    std::sort(folds.begin(), folds.end(),
              [](const FoldPoint& x, const FoldPoint& y) { return x.value < y.value; });
    return folds;
}

std::vector<FoldPoint> FoldSearch::along(double lo, double hi, int n_scan) {
    std::vector<FoldPoint> folds;
    n_scan = std::max(n_scan, 2);
    std::vector<double> values(static_cast<std::size_t>(n_scan));
    for (int k = 0; k < n_scan; ++k) {
        const double f = static_cast<double>(k) / (n_scan - 1);
        values[static_cast<std::size_t>(k)] =
            log_axis_ ? std::exp(std::log(lo) + f * (std::log(hi) - std::log(lo)))
                      : lo + f * (hi - lo);
    }
    std::vector<Eigen::VectorXd> previous = states_at(values[0]);
    for (std::size_t k = 1; k < values.size(); ++k) {
        std::vector<Eigen::VectorXd> current = states_at(values[k]);
        if (current.size() != previous.size()) {
            for (FoldPoint& f : between(values[k - 1], previous, values[k], current))
                folds.push_back(std::move(f));
        }
        previous = std::move(current);
    }
    std::sort(folds.begin(), folds.end(),
              [](const FoldPoint& x, const FoldPoint& y) { return x.value < y.value; });
    return folds;
}

}  // namespace kinmap
