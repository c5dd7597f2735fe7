#include "kinmap/ode/lane_transient.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

#include "kinmap/ode/small_lu.hpp"
#include "rodas4_tableau.hpp"

namespace kinmap::ode {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int W = kLanes;

}  // namespace

// Vectors of n packs; matrices of n × n packs, column-major (row, col) at col·n + row.
struct LaneTransient::Workspace {
    explicit Workspace(int n)
        : x(v(n)), xout(v(n)), xerr(v(n)), xtmp(v(n)), f(v(n)), g1(v(n)), g2(v(n)), g3(v(n)),
          g4(v(n)), g5(v(n)), lu(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), Pack{}),
          perm(static_cast<std::size_t>(n), Pack{}) {}
    static PackVector v(int n) { return PackVector(static_cast<std::size_t>(n), Pack{}); }
    PackVector x, xout, xerr, xtmp, f, g1, g2, g3, g4, g5, lu;
    PackVector perm;  // per elimination step k: the pivot row of each lane (an exact small integer)
    Pack dt{}, err{};
    PackMask accept{}, nonfinite{};  // of the last control()
};

LaneTransient::LaneTransient(const Kinetics& kinetics)
    : n_(kinetics.n_state()), lanes_(kinetics.make_lanes()), ws_(std::make_unique<Workspace>(n_)) {
    if (!lanes_) throw std::logic_error("LaneTransient: this kinetics has no lane form");
}

LaneTransient::~LaneTransient() = default;

bool LaneTransient::supports(const Kinetics& kinetics) { return kinetics.make_lanes() != nullptr; }

void LaneTransient::start(int w, const Kinetics& point, const double* x0, double rtol, double atol,
                          double t_end, long max_attempts, const Deadline& deadline) {
    const auto l = static_cast<std::size_t>(w);
    lanes_->load(w, point);
    for (int i = 0; i < n_; ++i) ws_->x[static_cast<std::size_t>(i)][w] = x0[i];
    // Transient::start and Rodas4Backend::reset.
    dt_[l] = initial_step(point, x0, rtol, atol);
    t_[l] = 0.0;
    rtol_[l] = rtol;
    atol_[l] = atol;
    first_step_[l] = true;
    last_rejected_[l] = false;
    err_old_[l] = 0.0;
    dt_old_[l] = 0.0;
    accepted_[l] = 0;
    rejected_[l] = 0;
    // Transient::advance_to.
    t_end_[l] = t_end;
    max_attempts_[l] = max_attempts;
    attempts_[l] = 0;
    deadline_[l] = deadline;
    cost_s_[l] = 0.0;
    busy_[l] = true;
    finished_[l] = false;
}

void LaneTransient::hand_over(int w, Transient& transient) {
    const auto l = static_cast<std::size_t>(w);
    std::array<double, kMaxLaneState> x;  // n_ <= kMaxLaneState: no allocation per point
    for (std::size_t i = 0; i < static_cast<std::size_t>(n_); ++i) x[i] = ws_->x[i][w];
    StepperState s;
    s.x = x.data();
    s.t = t_[l];
    s.dt = dt_[l];
    s.rtol = rtol_[l];
    s.atol = atol_[l];
    s.first_step = first_step_[l];
    s.last_rejected = last_rejected_[l];
    s.err_old = err_old_[l];
    s.dt_old = dt_old_[l];
    s.accepted = accepted_[l];
    s.rejected = rejected_[l];
    transient.restore(s);
    release(w);
}

unsigned LaneTransient::run() {
    unsigned done = 0;
    // The wall time is read once per call and shared out by each lane's part in the rounds.
    const auto t0 = Clock::now();
    long rounds = 0;
    std::array<double, W> weight{};
    auto settle = [&] {
        if (rounds == 0) return;
        const double per_round = std::chrono::duration<double>(Clock::now() - t0).count() / static_cast<double>(rounds);
        for (std::size_t l = 0; l < W; ++l) cost_s_[l] += per_round * weight[l];
    };
    auto finish = [&](std::size_t l, Outcome outcome) {
        outcome_[l] = outcome;
        finished_[l] = true;
        done |= 1u << l;
    };
    while (true) {
        // The head of Transient::advance_to's loop, lane by lane; no lane's state changes
        // unless every busy lane goes on to step.
        int stepping = 0;
        for (std::size_t l = 0; l < W; ++l) {
            if (!busy_[l] || finished_[l]) continue;
            const double t = t_[l], dt = dt_[l];
            if (!(t < t_end_[l])) finish(l, Outcome::reached);
            else if (attempts_[l] >= max_attempts_[l]) finish(l, Outcome::step_cap);
            else if ((attempts_[l] & 63) == 0 && deadline_[l].expired()) finish(l, Outcome::timeout);
            else if (!(dt > 4.0 * std::numeric_limits<double>::epsilon() * std::abs(t)) || !(dt > 0.0))
                finish(l, std::isfinite(dt) ? Outcome::dt_floor : Outcome::nonfinite);
            else ++stepping;
        }
        if (done != 0 || stepping == 0) {
            settle();
            return done;
        }

        ++rounds;
        for (std::size_t l = 0; l < W; ++l) {
            if (busy_[l]) {
                const double t = t_[l];
                dt_before_[l] = dt_[l];
                lands_[l] = t + dt_[l] >= t_end_[l];
                if (lands_[l]) dt_[l] = t_end_[l] - t;
                ++attempts_[l];
                ws_->dt[static_cast<int>(l)] = dt_[l];
            } else {
                ws_->dt[static_cast<int>(l)] = 1.0;  // an idle lane computes on harmless numbers
            }
        }
        step(*this);
        control(*this);
        for (std::size_t l = 0; l < W; ++l) {
            if (!busy_[l]) continue;
            if (ws_->accept[l] == 0) {
                ++rejected_[l];
                continue;
            }
            ++accepted_[l];
            if (ws_->nonfinite[l] != 0) finish(l, Outcome::nonfinite);
            else if (lands_[l]) dt_[l] = std::max(dt_[l], dt_before_[l]);
        }
        for (std::size_t l = 0; l < W; ++l) {
            if (busy_[l]) weight[l] += 1.0 / stepping;
        }
    }
}

namespace {

// Packs of the per-lane scalars (the loads and stores of the controller below).
__attribute__((always_inline)) inline Pack load(const std::array<double, W>& a) {
    Pack p;
    __builtin_memcpy(&p, a.data(), sizeof p);
    return p;
}
__attribute__((always_inline)) inline void store(const Pack& p, std::array<double, W>& a) {
    __builtin_memcpy(a.data(), &p, sizeof p);
}
__attribute__((always_inline)) inline PackMask mask_of(const std::array<bool, W>& a) {
    PackMask m;
    for (int w = 0; w < W; ++w) m[w] = a[static_cast<std::size_t>(w)] ? -1 : 0;
    return m;
}
__attribute__((always_inline)) inline void store(const PackMask& m, std::array<bool, W>& a) {
    for (int w = 0; w < W; ++w) a[static_cast<std::size_t>(w)] = m[w] != 0;
}
// std::sqrt element-wise (correctly rounded: the scalar result).
__attribute__((always_inline)) inline Pack sqrt(const Pack& a) {
    Pack r;
    for (int w = 0; w < W; ++w) r[w] = std::sqrt(a[w]);
    return r;
}
// std::min(a, b) element-wise: (b < a) ? b : a (lanes.hpp has max).
__attribute__((always_inline)) inline Pack min(const Pack& a, const Pack& b) { return b < a ? b : a; }

}  // namespace

KINMAP_LANE_CLONES void LaneTransient::control(LaneTransient& self) {
    // rodas4.cpp's Rodas4Backend::try_step after do_step, on every lane at once: both
    // branches are computed and each lane selects its own, so that a lane's numbers are
    // the scalar controller's, operation for operation. Idle lanes keep their values.
    Workspace& s = *self.ws_;
    const PackMask busy = mask_of(self.busy_);
    const PackMask first_step = mask_of(self.first_step_), last_rejected = mask_of(self.last_rejected_);
    const Pack dt = s.dt, err_old = load(self.err_old_), dt_old = load(self.dt_old_);
    const Pack err = sqrt(s.err / static_cast<double>(self.n_));
    const Pack safe = Pack{} + 0.9, fac1 = Pack{} + 5.0, fac2 = Pack{} + 1.0 / 6.0;
    const Pack fac = max(fac2, min(fac1, sqrt(sqrt(err)) / safe));
    Pack dt_new = dt / fac;
    const PackMask accept = busy & (err <= 1.0);
    Pack fac_pred = (dt_old / dt) * sqrt(sqrt(err * err / err_old)) / safe;
    fac_pred = max(fac2, min(fac1, fac_pred));
    const Pack dt_pred = dt / max(fac, fac_pred);
    dt_new = accept & ~first_step ? dt_pred : dt_new;
    dt_new = accept & last_rejected ? min(dt_new, dt) : dt_new;
    store(accept ? dt : dt_old, self.dt_old_);
    store(accept ? max(Pack{} + 0.01, err) : err_old, self.err_old_);
    store(accept ? load(self.t_) + dt : load(self.t_), self.t_);
    store(busy ? dt_new : load(self.dt_), self.dt_);
    store(accept ? PackMask{} : first_step, self.first_step_);
    store(busy ? ~accept : last_rejected, self.last_rejected_);
    // The accepted lanes take their new state (x = xout): moved, not computed; a non-finite
    // element makes x − x NaN, not 0.
    PackMask nonfinite{};
    for (int i = 0; i < self.n_; ++i) {
        Pack& x = s.x[static_cast<std::size_t>(i)];
        x = accept ? s.xout[static_cast<std::size_t>(i)] : x;
        nonfinite |= (x - x) != 0.0;
    }
    s.accept = accept;
    s.nonfinite = nonfinite;
}

template <int N>
__attribute__((always_inline)) inline void LaneTransient::kernel(LaneTransient& self) {
    // rodas4.cpp's Rodas4Backend::do_step, expression by expression.
    using T = detail::Rodas4Tableau;
    Workspace& s = *self.ws_;
    const LaneKinetics& lanes = *self.lanes_;
    const int n = size_of<N>(self.n_);
    const Pack dt = s.dt;
    Pack* lu = s.lu.data();
    lanes.jacobian(s.x.data(), lu);
    for (int i = 0; i < n * n; ++i) lu[i] = -lu[i];
    for (int i = 0; i < n; ++i) lu[static_cast<std::ptrdiff_t>(i) * n + i] += 1.0 / T::gamma / dt;
    lane_lu_compute<N>(n, lu, s.perm.data());
    const Pack *x = s.x.data(), *f = s.f.data();
    Pack *g1 = s.g1.data(), *g2 = s.g2.data(), *g3 = s.g3.data(), *g4 = s.g4.data(), *g5 = s.g5.data(),
         *xerr = s.xerr.data(), *xtmp = s.xtmp.data(), *xout = s.xout.data();
    const Pack* perm = s.perm.data();
    // always_inline: a lambda left out of line is compiled for the generic target only.
    auto solve = [&](Pack* g) __attribute__((always_inline)) { lane_lu_solve<N>(n, lu, perm, g); };

    lanes.derivative(x, s.f.data());
    for (int i = 0; i < n; ++i) g1[i] = f[i];
    solve(g1);

    for (int i = 0; i < n; ++i) xtmp[i] = x[i] + T::a21 * g1[i];
    lanes.derivative(xtmp, s.f.data());
    for (int i = 0; i < n; ++i) g2[i] = f[i] + (T::c21 * g1[i]) / dt;
    solve(g2);

    for (int i = 0; i < n; ++i) xtmp[i] = x[i] + T::a31 * g1[i] + T::a32 * g2[i];
    lanes.derivative(xtmp, s.f.data());
    for (int i = 0; i < n; ++i) g3[i] = f[i] + (T::c31 * g1[i] + T::c32 * g2[i]) / dt;
    solve(g3);

    for (int i = 0; i < n; ++i) xtmp[i] = x[i] + T::a41 * g1[i] + T::a42 * g2[i] + T::a43 * g3[i];
    lanes.derivative(xtmp, s.f.data());
    for (int i = 0; i < n; ++i) g4[i] = f[i] + (T::c41 * g1[i] + T::c42 * g2[i] + T::c43 * g3[i]) / dt;
    solve(g4);

    for (int i = 0; i < n; ++i)
        xtmp[i] = x[i] + T::a51 * g1[i] + T::a52 * g2[i] + T::a53 * g3[i] + T::a54 * g4[i];
    lanes.derivative(xtmp, s.f.data());
    for (int i = 0; i < n; ++i)
        g5[i] = f[i] + (T::c51 * g1[i] + T::c52 * g2[i] + T::c53 * g3[i] + T::c54 * g4[i]) / dt;
    solve(g5);

    for (int i = 0; i < n; ++i) xtmp[i] += g5[i];
    lanes.derivative(xtmp, s.f.data());
    for (int i = 0; i < n; ++i)
        xerr[i] = f[i] + (T::c61 * g1[i] + T::c62 * g2[i] + T::c63 * g3[i] + T::c64 * g4[i] + T::c65 * g5[i]) / dt;
    solve(xerr);
    for (int i = 0; i < n; ++i) xout[i] = xtmp[i] + xerr[i];

    // The error norm of try_step: Σ_i (xerr_i / sk_i)², sk = atol + rtol·max(|x|, |xout|).
    Pack atol{}, rtol{};
    for (int w = 0; w < W; ++w) {
        atol[w] = self.atol_[static_cast<std::size_t>(w)];
        rtol[w] = self.rtol_[static_cast<std::size_t>(w)];
    }
    Pack err{};
    for (int i = 0; i < n; ++i) {
        const Pack sk = atol + rtol * max(abs(x[i]), abs(xout[i]));
        err += xerr[i] * xerr[i] / sk / sk;
    }
    s.err = err;
}

// The kernel of this mechanism's size, in one function cloned for the instruction sets
// (KINMAP_LANE_CLONES; GCC clones neither templates nor function pointers): each template
// body is inlined here, so every clone holds its own copy of each.
KINMAP_LANE_CLONES void LaneTransient::step(LaneTransient& self) {
    switch (self.n_) {
        case 1: kernel<1>(self); break;
        case 2: kernel<2>(self); break;
        case 3: kernel<3>(self); break;
        case 4: kernel<4>(self); break;
        case 5: kernel<5>(self); break;
        case 6: kernel<6>(self); break;
        case 7: kernel<7>(self); break;
        case 8: kernel<8>(self); break;
        case 10: kernel<10>(self); break;
        case 12: kernel<12>(self); break;
        case 14: kernel<14>(self); break;
        case 16: kernel<16>(self); break;
        default: kernel<0>(self); break;
    }
}

}  // namespace kinmap::ode
