// SteadySolver::newton(x, false) and polish(x) in lanes (lane_newton.hpp): each helper below
// is the scalar member of the same name, operation for operation, on packs of kLanes states.

#include "kinmap/steady/lane_newton.hpp"

#include <cstddef>
#include <cstring>
#include <limits>
#include <vector>

#include "kinmap/core/assert.hpp"
#include "kinmap/ode/lane_transient.hpp"
#include "kinmap/ode/small_lu.hpp"

namespace kinmap {
namespace {

constexpr int W = kLanes;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
// All ones in the lanes of bit mask `bits`.
__attribute__((always_inline)) inline PackMask mask_of(unsigned bits) {
    PackMask m;
    for (int w = 0; w < W; ++w) m[w] = (bits >> w) & 1u ? -1 : 0;
    return m;
}
__attribute__((always_inline)) inline unsigned bits_of(const PackMask& m) {
    unsigned bits = 0;
    for (int w = 0; w < W; ++w) bits |= m[w] != 0 ? 1u << w : 0u;
    return bits;
}
// Finite: x − x is 0 (Eigen's allFinite: (x − x) has no NaN).
__attribute__((always_inline)) inline PackMask finite(const Pack& x) { return (x - x) == 0.0; }
#pragma GCC diagnostic pop

}  // namespace

// Vectors of n packs (rates: n_steps); matrices n × n packs, column-major.
struct LaneNewton::Workspace {
    Workspace(int n, int n_steps)
        : x(v(n)), x_trial(v(n)), dx(v(n)), rhs(v(n)), F(v(n)), f(v(n)), scale(v(n)), flux(v(n)), perm(v(n)),
          rf(v(n_steps)), rr(v(n_steps)), J(v(n * n)) {}
    static PackVector v(int n) { return PackVector(static_cast<std::size_t>(n), Pack{}); }
    PackVector x, x_trial, dx, rhs, F, f, scale, flux, perm, rf, rr, J;
};

LaneNewton::LaneNewton(const SteadySolver& solver)
    : solver_(solver),
      n_(solver.kinetics().n_state()),
      lanes_(solver.kinetics().make_lanes()),
      ws_(std::make_unique<Workspace>(n_, solver.kinetics().n_steps())) {
    KINMAP_ASSERT(solver.lanes_supported() && lanes_ != nullptr);
    for (SteadySolver::FirstNewton& r : result_) r.x.resize(n_);
}

LaneNewton::~LaneNewton() = default;

void LaneNewton::load(int w, const Kinetics& point, const double* x0) {
    KINMAP_ASSERT(w >= 0 && w < W);
    lanes_->load(w, point);
    for (int i = 0; i < n_; ++i) ws_->x[static_cast<std::size_t>(i)][w] = x0[i];
}

void LaneNewton::run(unsigned lanes) { solve(*this, lanes); }

namespace {

// The solver's site bookkeeping and the lanes' evaluations: SteadySolver's helpers on packs;
// N > 0 the compile-time size (loops unrolled), 0 the runtime n_rt.
template <int N>
struct Lanes {
    const LaneKinetics& kinetics;
    int n_rt;
    const std::vector<int>& free_row;
    const std::vector<int>& site_of;
    const std::vector<double>& site_count;
    const std::vector<double>& site_total;
    double rtol, atol;
    Pack *f, *flux, *rf, *rr;

    __attribute__((always_inline)) inline int size() const { return ode::size_of<N>(n_rt); }
    __attribute__((always_inline)) inline void flux_at(const Pack* x) const {
        kinetics.rates(x, rf, rr);
        kinetics.gross_flux(rf, rr, flux);
    }
    // Σ n_i·θ_i over the species of site type t, in index order.
    __attribute__((always_inline)) inline Pack site_sum(const Pack* x, int t) const {
        const int n = size();
        Pack sum{};
        for (int i = 0; i < n; ++i) {
            if (site_of[static_cast<std::size_t>(i)] == t) sum += site_count[static_cast<std::size_t>(i)] * x[i];
        }
        return sum;
    }
    // SteadySolver::converged.
    __attribute__((always_inline)) inline PackMask converged(const Pack* x) const {
        const int n = size();
        PackMask ok = PackMask{} - 1;
        for (int i = 0; i < n; ++i) ok &= finite(x[i]) & ~(x[i] < 0.0);
        flux_at(x);
        kinetics.derivative(x, f);
        for (int i = 0; i < n; ++i) ok &= abs(f[i]) <= rtol * flux[i] + atol;
        for (std::size_t t = 0; t < free_row.size(); ++t) {
            const Pack sum = site_sum(x, static_cast<int>(t));
            ok &= abs(sum - site_total[t]) <= 1e-12 * site_total[t];
        }
        return ok;
    }
    // SteadySolver::residual_system.
    __attribute__((always_inline)) inline void residual(const Pack* x, Pack* F) const {
        kinetics.derivative(x, F);
        for (std::size_t t = 0; t < free_row.size(); ++t) {
            F[free_row[t]] = site_sum(x, static_cast<int>(t)) - site_total[t];
        }
    }
    // SteadySolver::jacobian_system.
    __attribute__((always_inline)) inline void jacobian(const Pack* x, Pack* J) const {
        const int n = size();
        kinetics.jacobian(x, J);
        for (std::size_t t = 0; t < free_row.size(); ++t) {
            for (int k = 0; k < n; ++k) {
                J[static_cast<std::ptrdiff_t>(k) * n + free_row[t]] =
                    Pack{} + (site_of[static_cast<std::size_t>(k)] == static_cast<int>(t)
                                  ? site_count[static_cast<std::size_t>(k)]
                                  : 0.0);
            }
        }
    }
    // SteadySolver::row_scale.
    __attribute__((always_inline)) inline void row_scale(const Pack* x, Pack* scale) const {
        const int n = size();
        flux_at(x);
        for (int i = 0; i < n; ++i) scale[i] = 1.0 / (flux[i] > 0.0 ? flux[i] : Pack{} + 1.0);
        for (std::size_t t = 0; t < free_row.size(); ++t) scale[free_row[t]] = Pack{} + 1.0 / site_total[t];
    }
    // J = diag(scale)·J; rhs = −diag(scale)·F.
    __attribute__((always_inline)) inline void weigh(const Pack* scale, Pack* J, const Pack* F, Pack* rhs) const {
        const int n = size();
        for (int k = 0; k < n; ++k) {
            for (int i = 0; i < n; ++i) J[static_cast<std::ptrdiff_t>(k) * n + i] = scale[i] * J[static_cast<std::ptrdiff_t>(k) * n + i];
        }
        for (int i = 0; i < n; ++i) rhs[i] = -(scale[i] * F[i]);
    }
    // SteadySolver::relative_residual.
    __attribute__((always_inline)) inline Pack relative_residual(const Pack* x) const {
        const int n = size();
        flux_at(x);
        kinetics.derivative(x, f);
        const Pack inf = Pack{} + std::numeric_limits<double>::infinity();
        Pack worst{};
        for (int i = 0; i < n; ++i) {
            const Pack change = abs(f[i]);
            const Pack ratio = flux[i] > 0.0 ? change / flux[i] : inf;
            worst = (change != 0.0) & (worst < ratio) ? ratio : worst;
        }
        return worst;
    }
};

}  // namespace

template <int N>
__attribute__((always_inline)) inline void LaneNewton::solve_n(LaneNewton& self, unsigned lanes) {
    const SteadySolver& solver = self.solver_;
    const SolverSettings& settings = solver.settings_;
    Workspace& s = *self.ws_;
    const int n = ode::size_of<N>(self.n_);
    const Lanes<N> at{*self.lanes_,       self.n_,
                   solver.free_row_,      solver.site_of_,
                   solver.site_count_,    solver.site_total_,
                   settings.rtol,         settings.atol,
                   s.f.data(),            s.flux.data(),
                   s.rf.data(),           s.rr.data()};
    Pack *x = s.x.data(), *x_trial = s.x_trial.data(), *dx = s.dx.data(), *rhs = s.rhs.data(), *F = s.F.data(),
         *scale = s.scale.data(), *J = s.J.data(), *perm = s.perm.data();
    using Outcome = SteadySolver::NewtonOutcome;
    std::array<Outcome, W> outcome;
    outcome.fill(Outcome::failed);  // (every lane of the mask is settled below)
    std::array<int, W> iterations{}, crawling{};
    auto settle = [&](PackMask which, Outcome o) __attribute__((always_inline)) {
        for (int w = 0; w < W; ++w) {
            if (which[w] != 0) outcome[static_cast<std::size_t>(w)] = o;
        }
    };

    // The full Newton step dx at x (row weights into scale, rhs = −scale·F): newton's and
    // polish's; the lanes where it is finite.
    auto newton_step = [&]() __attribute__((always_inline)) {
        at.row_scale(x, scale);
        at.residual(x, F);
        at.jacobian(x, J);
        at.weigh(scale, J, F, rhs);
        ode::lane_lu_compute<N>(n, J, perm);
        for (int i = 0; i < n; ++i) dx[i] = rhs[i];
        ode::lane_lu_solve<N>(n, J, perm, dx);
        PackMask dx_finite = PackMask{} - 1;
        for (int i = 0; i < n; ++i) dx_finite &= finite(dx[i]);
        return dx_finite;
    };

    // SteadySolver::newton(x, false), every lane of `active` until it ends.
    PackMask active = mask_of(lanes);
    for (int it = 0; it < settings.newton_max_iterations && bits_of(active) != 0; ++it) {
        const PackMask done = active & at.converged(x);
        settle(done, Outcome::converged);
        active &= ~done;
        if (bits_of(active) == 0) break;
        const PackMask dx_finite = newton_step();
        settle(active & ~dx_finite, Outcome::nonfinite);
        active &= dx_finite;
        if (bits_of(active) == 0) break;

        Pack merit0{};
        for (int i = 0; i < n; ++i) merit0 += rhs[i] * rhs[i];
        Pack lambda = Pack{} + 1.0;
        PackMask searching = active, accepted{};
        for (int halving = 0; halving < 30 && bits_of(searching) != 0; ++halving) {
            for (int i = 0; i < n; ++i) x_trial[i] = searching ? max(x[i] + lambda * dx[i], 1e-2 * x[i]) : x_trial[i];
            at.residual(x_trial, F);
            Pack merit{};
            for (int i = 0; i < n; ++i) {
                const Pack e = scale[i] * F[i];
                merit += e * e;
            }
            const PackMask ok = searching & finite(merit) & (merit <= (1.0 - 1e-4 * lambda) * merit0);
            accepted |= ok;
            searching &= ~ok;
            lambda = searching ? lambda * 0.5 : lambda;
        }
        for (int w = 0; w < W; ++w) {
            if (active[w] != 0) ++iterations[static_cast<std::size_t>(w)];
        }
        settle(active & ~accepted, Outcome::failed);
        active &= accepted;
        for (int i = 0; i < n; ++i) x[i] = active ? x_trial[i] : x[i];
        const PackMask crawl = lambda < SteadySolver::kCrawlStep;
        for (int w = 0; w < W; ++w) {
            if (active[w] == 0) continue;
            int& c = crawling[static_cast<std::size_t>(w)];
            c = crawl[w] != 0 ? c + 1 : 0;
            if (c >= SteadySolver::kCrawlIterations) {
                outcome[static_cast<std::size_t>(w)] = Outcome::failed;
                active[w] = 0;
            }
        }
    }
    if (bits_of(active) != 0) {  // every iteration taken: the last state decides
        const PackMask ok = at.converged(x);
        settle(active & ok, Outcome::converged);
        settle(active & ~ok, Outcome::failed);
    }

    // SteadySolver::polish on the lanes that converged.
    PackMask polish{};
    for (int w = 0; w < W; ++w) {
        polish[w] = (lanes >> w) & 1u && outcome[static_cast<std::size_t>(w)] == Outcome::converged ? -1 : 0;
    }
    if (bits_of(polish) != 0) {
        polish &= newton_step();
        for (int i = 0; i < n; ++i) x_trial[i] = max(x[i] + dx[i], 1e-2 * x[i]);
        for (int w = 0; w < W; ++w) {
            if (polish[w] != 0) ++iterations[static_cast<std::size_t>(w)];
        }
        const Pack before = at.relative_residual(x);
        const PackMask passes = at.converged(x_trial);
        const PackMask keep = polish & passes & (at.relative_residual(x_trial) <= before);
        for (int i = 0; i < n; ++i) x[i] = keep ? x_trial[i] : x[i];
    }

    for (int w = 0; w < W; ++w) {
        if (((lanes >> w) & 1u) == 0) continue;
        SteadySolver::FirstNewton& r = self.result_[static_cast<std::size_t>(w)];
        r.outcome = outcome[static_cast<std::size_t>(w)];
        r.iterations = iterations[static_cast<std::size_t>(w)];
        for (int i = 0; i < n; ++i) r.x[i] = x[i][w];
    }
}

// Every size's body in one function cloned for the instruction sets (KINMAP_LANE_CLONES;
// GCC clones neither templates nor function pointers), as LaneTransient::step.
KINMAP_LANE_CLONES void LaneNewton::solve(LaneNewton& self, unsigned lanes) {
    switch (self.n_) {
        case 1: solve_n<1>(self, lanes); break;
        case 2: solve_n<2>(self, lanes); break;
        case 3: solve_n<3>(self, lanes); break;
        case 4: solve_n<4>(self, lanes); break;
        case 5: solve_n<5>(self, lanes); break;
        case 6: solve_n<6>(self, lanes); break;
        case 7: solve_n<7>(self, lanes); break;
        case 8: solve_n<8>(self, lanes); break;
        case 10: solve_n<10>(self, lanes); break;
        case 12: solve_n<12>(self, lanes); break;
        case 14: solve_n<14>(self, lanes); break;
        case 16: solve_n<16>(self, lanes); break;
        default: solve_n<0>(self, lanes); break;
    }
}

}  // namespace kinmap
