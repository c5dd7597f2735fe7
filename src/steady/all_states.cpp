#include "kinmap/steady/all_states.hpp"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>

namespace kinmap {
namespace {

constexpr double kRelative = 1e-6;   // DESIGN §8 distinctness and order tolerance
constexpr double kAbsolute = 1e-12;  // DESIGN §8 distinctness floor

bool differ(double a, double b, double relative, double absolute) {
    const double d = std::abs(a - b);
    return d > relative * std::max(std::abs(a), std::abs(b)) && d > absolute;
}

// Each Newton run is short: from a start in the right basin the log-balance system converges
// in < 15 iterations; a run that has not by then is wandering, and the cost budget of the
// search (DESIGN §8 asks < 20× the default protocol) is better spent on other starts.
constexpr int kMaxIterations = 25;
// A line search that needs more halvings than this is stagnating: the run is abandoned.
constexpr int kMaxHalvings = 10;
// Runs per start: the first, and deflated retries while each finds a new state.
constexpr int kRunsPerStart = 3;
// Interior starts per site type, and the decades they spread over.
constexpr int kInteriorStarts = 6;
constexpr double kInteriorDecades = 6.0;
// Minor species of a saturated start, relative to the site total.
constexpr double kMinor = 1e-6;

// The radical-inverse (Halton) value of `index` in base `base`: a deterministic, evenly
// spread sequence in (0, 1).
double halton(int index, int base) {
    double f = 1.0, r = 0.0;
    for (int i = index; i > 0; i /= base) {
        f /= base;
        r += f * (i % base);
    }
    return r;
}

Eigen::VectorXd log_of(const Eigen::VectorXd& theta) {
    Eigen::VectorXd u(theta.size());
    for (Eigen::Index i = 0; i < theta.size(); ++i) {
        u[i] = std::log(std::max(theta[i], std::numeric_limits<double>::min()));
    }
    return u;
}

std::vector<double> as_vector(const Eigen::VectorXd& v) {
    return {v.data(), v.data() + v.size()};
}

}  // namespace

bool same_state(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (differ(a[i], b[i], kRelative, kAbsolute)) return false;
    }
    return true;
}

bool state_before(const SteadyState& a, const SteadyState& b) {
    if (a.stable != b.stable) return a.stable;
    if (differ(a.tof, b.tof, kRelative, 0.0)) return a.tof < b.tof;
    for (std::size_t i = 0; i < std::min(a.coverage.size(), b.coverage.size()); ++i) {
        if (differ(a.coverage[i], b.coverage[i], kRelative, 0.0))
            return a.coverage[i] < b.coverage[i];
    }
    return false;
}

AllStatesSearch::AllStatesSearch(const Mechanism& mechanism, const SolverSettings& settings)
    : settings_(settings), n_(static_cast<int>(mechanism.surface.size())) {
    const auto n = static_cast<std::size_t>(n_);
    std::vector<int> site_of(n);
    std::vector<double> count(n);
    std::vector<bool> is_free(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Species& sp = mechanism.species[static_cast<std::size_t>(mechanism.surface[i])];
        site_of[i] = sp.site_type;
        count[i] = static_cast<double>(sp.site_count);
        is_free[i] = sp.kind == SpeciesKind::free_site;
    }
    // A start with site type t's fractions proportional to `weight` (normalised so that
    // Σ n_k θ_k = total_t), every other site type clean.
    auto start = [&](auto weight) {
        Eigen::VectorXd theta = Eigen::VectorXd::Zero(n_);
        for (std::size_t t = 0; t < mechanism.sites.size(); ++t) {
            double sum = 0.0;
            for (std::size_t i = 0; i < n; ++i) {
                if (site_of[i] == static_cast<int>(t)) sum += count[i] * weight(i, t);
            }
            for (std::size_t i = 0; i < n; ++i) {
                if (site_of[i] == static_cast<int>(t)) {
                    theta[static_cast<Eigen::Index>(i)] =
                        mechanism.sites[t].total * weight(i, t) / sum;
                }
            }
        }
        return log_of(theta);
    };
    // Clean surface: free sites at their totals, adsorbates minor.
    starts_.push_back(start([&](std::size_t i, std::size_t) { return is_free[i] ? 1.0 : kMinor; }));
    // Each adsorbate saturating its site type, the other site types clean.
    for (std::size_t a = 0; a < n; ++a) {
        if (is_free[a]) continue;
        starts_.push_back(start([&](std::size_t i, std::size_t t) {
            if (static_cast<int>(t) == site_of[a]) return i == a ? 1.0 : kMinor;
            return is_free[i] ? 1.0 : kMinor;
        }));
    }
    // Interior points: each species log-uniform over kInteriorDecades, by a Halton sequence
    // with one prime base per species.
    static constexpr int kPrimes[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
    for (int r = 1; r <= kInteriorStarts; ++r) {
        starts_.push_back(start([&](std::size_t i, std::size_t) {
            const int base = kPrimes[i % (sizeof kPrimes / sizeof kPrimes[0])];
            return std::pow(10.0,
                            -kInteriorDecades * halton(r + static_cast<int>(i / 16) * 7, base));
        }));
    }
}

bool AllStatesSearch::deflated_newton(SteadySolver& solver, Eigen::VectorXd& u,
                                      const std::vector<Eigen::VectorXd>& known) {
    Eigen::VectorXd R(n_), R_trial(n_), u_trial(n_), d(n_), g(n_);
    Eigen::MatrixXd J(n_, n_);
    // ln M(u) and its gradient: M(u) = Π_k (1/‖u − u_k‖² + 1).
    auto log_deflation = [&](const Eigen::VectorXd& at, Eigen::VectorXd* grad) {
        double ln_m = 0.0;
        if (grad != nullptr) grad->setZero();
        for (const Eigen::VectorXd& root : known) {
            const Eigen::VectorXd e = at - root;
            const double r2 = std::max(e.squaredNorm(), 1e-300);
            const double m = 1.0 / r2 + 1.0;
            ln_m += std::log(m);
            if (grad != nullptr) *grad += (-2.0 / (r2 * r2) / m) * e;
        }
        return ln_m;
    };
    for (int it = 0; it < kMaxIterations; ++it) {
        if (!solver.log_balance(u, R, &J)) return false;
        const Eigen::VectorXd theta = u.array().exp().matrix();
        if (solver.is_steady(theta)) {
            // As the protocol does: a few more plain steps while the log-residual falls bring
            // the state to near machine precision (quadratic convergence).
            for (int extra = 0; extra < 3; ++extra) {
                d = J.partialPivLu().solve(-R);
                u_trial = u + d;
                if (!d.allFinite() || !solver.log_balance(u_trial, R_trial, nullptr) ||
                    !(R_trial.squaredNorm() < R.squaredNorm()) ||
                    !solver.is_steady(u_trial.array().exp().matrix())) {
                    break;
                }
                u = u_trial;
                ++iterations_;
                if (!solver.log_balance(u, R, &J)) break;
            }
            return true;
        }
        d = J.partialPivLu().solve(-R);
        if (!d.allFinite()) return false;
        const double ln_m = log_deflation(u, &g);
        if (!known.empty()) {
            // The Newton step of M·R is d₀ / (1 − ∇ln M·d₀) (Sherman–Morrison).
            const double denominator = 1.0 - g.dot(d);
            if (!(std::abs(denominator) > 1e-12)) return false;
            d /= denominator;
        }
        // Coverages move by at most e^50 per step, as in the protocol's log-balance Newton.
        const double longest = d.cwiseAbs().maxCoeff();
        if (longest > 50.0) d *= 50.0 / longest;
        const double merit0 = 2.0 * ln_m + std::log(R.squaredNorm());
        double lambda = 1.0;
        bool accepted = false;
        for (int halving = 0; halving < kMaxHalvings; ++halving) {
            u_trial = u + lambda * d;
            if (solver.log_balance(u_trial, R_trial, nullptr)) {
                const double merit =
                    2.0 * log_deflation(u_trial, nullptr) + std::log(R_trial.squaredNorm());
                if (merit <= merit0 + std::log1p(-1e-4 * lambda)) {
                    accepted = true;
                    break;
                }
            }
            lambda *= 0.5;
        }
        ++iterations_;
        if (!accepted) return false;
        u = u_trial;
    }
    return false;
}

std::vector<Eigen::VectorXd> AllStatesSearch::states(SteadySolver& solver,
                                                     const std::vector<Eigen::VectorXd>& seeds) {
    iterations_ = 0;
    std::vector<Eigen::VectorXd> found;    // coverages
    std::vector<Eigen::VectorXd> found_u;  // their logarithms, for deflation
    std::vector<std::vector<double>> found_v;
    auto add = [&](const Eigen::VectorXd& theta) {
        std::vector<double> v = as_vector(theta);
        for (const auto& other : found_v) {
            if (same_state(v, other)) return false;
        }
        found.push_back(theta);
        found_u.push_back(log_of(theta));
        found_v.push_back(std::move(v));
        return true;
    };
    for (const Eigen::VectorXd& seed : seeds) {
        if (seed.size() == n_ && solver.is_steady(seed)) add(seed);
    }
    for (const Eigen::VectorXd& start : starts_) {
        for (int run = 0; run < kRunsPerStart; ++run) {
            Eigen::VectorXd u = start;
            if (!deflated_newton(solver, u, found_u)) break;
            if (!add(u.array().exp().matrix())) break;
        }
    }
    return found;
}

SteadyState AllStatesSearch::describe(SteadySolver& solver, const Eigen::VectorXd& theta) {
    PointResult r;
    solver.fill_state(theta, r);
    SteadyState s;
    s.tof = r.tof;
    s.coverage = std::move(r.coverage);
    s.rates = std::move(r.rates);
    s.residual = r.residual;
    s.stable = solver.is_stable(theta);
    return s;
}

void AllStatesSearch::find(SteadySolver& solver, PointResult& result) {
    result.all_states = true;
    result.states.clear();
    result.clean_state = -1;
    const bool have_clean = result.status == Status::ok;
    std::vector<Eigen::VectorXd> seeds;
    if (have_clean) seeds.push_back(Eigen::Map<const Eigen::VectorXd>(result.coverage.data(), n_));
    const std::vector<Eigen::VectorXd> found = states(solver, seeds);
    // The clean-surface answer, when it is a state, is the first found: it keeps the exact
    // values of the top-level fields.
    const bool clean_found =
        have_clean && !found.empty() && same_state(as_vector(found.front()), result.coverage);
    std::vector<std::pair<SteadyState, bool>> all;
    for (std::size_t k = 0; k < found.size(); ++k) {
        if (k == 0 && clean_found) {
            SteadyState s;
            s.tof = result.tof;
            s.coverage = result.coverage;
            s.rates = result.rates;
            s.residual = result.residual;
            s.stable = result.stable;
            all.emplace_back(std::move(s), true);
        } else {
            all.emplace_back(describe(solver, found[k]), false);
        }
    }
    // Insertion sort: the §8 order compares with tolerances (not a strict weak order), and a
    // fixed algorithm on a fixed input order keeps the result deterministic.
    for (std::size_t k = 1; k < all.size(); ++k) {
        for (std::size_t m = k; m > 0 && state_before(all[m].first, all[m - 1].first); --m) {
            std::swap(all[m], all[m - 1]);
        }
    }
    const auto keep =
        std::min(all.size(), static_cast<std::size_t>(std::max(settings_.max_states, 0)));
    // Beyond max_states the last states in the §8 order are dropped, but never the
    // clean-surface one: it then takes the last slot kept (the order among those kept holds).
    if (keep > 0 && keep < all.size()) {
        for (std::size_t k = keep; k < all.size(); ++k) {
            if (!all[k].second) continue;
            std::swap(all[keep - 1], all[k]);
            break;
        }
    }
    for (std::size_t k = 0; k < keep; ++k) {
        if (all[k].second) result.clean_state = static_cast<int>(k);
        result.states.push_back(std::move(all[k].first));
    }
}

}  // namespace kinmap
