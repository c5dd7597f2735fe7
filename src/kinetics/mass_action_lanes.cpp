// MassActionKinetics in lanes (lanes.hpp): the loops of mass_action.cpp's derivative() and
// jacobian() on packs of kLanes points. Every lane repeats the scalar code's operations in its
// order (x^c as 1·x·…·x, (k·c)·x^(c−1)·Π…, (sign·ν)·d), so that a lane's result is the scalar
// result bit for bit.

#include <cmath>
#include <cstddef>
#include <vector>

#include "kinmap/core/assert.hpp"
#include "kinmap/kinetics/mass_action.hpp"

namespace kinmap {

class MassActionLanes final : public LaneKinetics {
public:
    explicit MassActionLanes(const MassActionKinetics& k)
        : n_(k.n_state()),
          n_steps_(k.n_steps()),
          fwd_(k.fwd_),
          rev_(k.rev_),
          fwd_begin_(k.fwd_begin_),
          rev_begin_(k.rev_begin_),
          change_(k.change_),
          change_begin_(k.change_begin_),
          kf_(static_cast<std::size_t>(n_steps_), Pack{}),
          kr_(static_cast<std::size_t>(n_steps_), Pack{}) {}

    void load(int w, const Kinetics& point) override {
        const auto* k = dynamic_cast<const MassActionKinetics*>(&point);
        KINMAP_ASSERT(k != nullptr && k->n_steps() == n_steps_ && w >= 0 && w < kLanes);
        for (std::size_t s = 0; s < static_cast<std::size_t>(n_steps_); ++s) {
            kf_[s][w] = k->kf_eff_[s];
            kr_[s][w] = k->kr_eff_[s];
        }
    }

    void derivative(const Pack* theta, Pack* dtheta) const noexcept override { derivative_of(*this, theta, dtheta); }
    void jacobian(const Pack* theta, Pack* jac) const noexcept override { jacobian_of(*this, theta, jac); }
    void rates(const Pack* theta, Pack* rf, Pack* rr) const noexcept override { rates_of(*this, theta, rf, rr); }
    void gross_flux(const Pack* rf, const Pack* rr, Pack* flux) const noexcept override {
        gross_flux_of(*this, rf, rr, flux);
    }

private:
    using Factor = MassActionKinetics::Factor;
    using Change = MassActionKinetics::Change;

    // (Static, for KINMAP_LANE_CLONES: GCC does not clone virtual functions.)
    KINMAP_LANE_CLONES static void derivative_of(const MassActionLanes& self, const Pack* theta, Pack* dtheta) noexcept {
        self.derivative_body(theta, dtheta);
    }
    KINMAP_LANE_CLONES static void jacobian_of(const MassActionLanes& self, const Pack* theta, Pack* jac) noexcept {
        self.jacobian_body(theta, jac);
    }

    KINMAP_LANE_CLONES static void rates_of(const MassActionLanes& self, const Pack* theta, Pack* rf, Pack* rr) noexcept {
        for (int s = 0; s < self.n_steps_; ++s) {
            const auto j = static_cast<std::size_t>(s);
            rf[s] = monomial(self.kf_[j], self.fwd_.data() + self.fwd_begin_[s], self.fwd_begin_[s + 1] - self.fwd_begin_[s], theta);
            rr[s] = monomial(self.kr_[j], self.rev_.data() + self.rev_begin_[s], self.rev_begin_[s + 1] - self.rev_begin_[s], theta);
        }
    }
    // Kinetics::gross_flux: Σ_s |ν_is|·(rf_s + rr_s).
    KINMAP_LANE_CLONES static void gross_flux_of(const MassActionLanes& self, const Pack* rf, const Pack* rr,
                                                 Pack* flux) noexcept {
        for (int i = 0; i < self.n_; ++i) flux[i] = Pack{};
        for (int s = 0; s < self.n_steps_; ++s) {
            const Pack gross = rf[s] + rr[s];
            for (std::int32_t q = self.change_begin_[s]; q < self.change_begin_[s + 1]; ++q) {
                const Change& c = self.change_[static_cast<std::size_t>(q)];
                flux[c.position] += std::abs(c.nu) * gross;
            }
        }
    }

    __attribute__((always_inline)) inline void derivative_body(const Pack* theta, Pack* dtheta) const noexcept {
        for (int i = 0; i < n_; ++i) dtheta[i] = Pack{};
        for (int s = 0; s < n_steps_; ++s) {
            const auto j = static_cast<std::size_t>(s);
            const Pack f = monomial(kf_[j], fwd_.data() + fwd_begin_[s], fwd_begin_[s + 1] - fwd_begin_[s], theta);
            const Pack r = monomial(kr_[j], rev_.data() + rev_begin_[s], rev_begin_[s + 1] - rev_begin_[s], theta);
            const Pack net = f - r;
            for (std::int32_t q = change_begin_[s]; q < change_begin_[s + 1]; ++q) {
                const Change& c = change_[static_cast<std::size_t>(q)];
                dtheta[c.position] += c.nu * net;
            }
        }
    }

    __attribute__((always_inline)) inline void jacobian_body(const Pack* theta, Pack* jac) const noexcept {
        for (int i = 0; i < n_ * n_; ++i) jac[i] = Pack{};
        for (int s = 0; s < n_steps_; ++s) {
            const auto j = static_cast<std::size_t>(s);
            const Change* changes = change_.data() + change_begin_[s];
            const int n_changes = change_begin_[s + 1] - change_begin_[s];
            monomial_derivative(kf_[j], fwd_.data() + fwd_begin_[s], fwd_begin_[s + 1] - fwd_begin_[s], theta,
                                changes, n_changes, 1.0, jac);
            monomial_derivative(kr_[j], rev_.data() + rev_begin_[s], rev_begin_[s + 1] - rev_begin_[s], theta,
                                changes, n_changes, -1.0, jac);
        }
    }

    // x^e as the scalar ipow computes it, 1·x·x·… (e factors): 1·x is x exactly, so the
    // small powers of elementary steps need no loop.
    static Pack power(const Pack& x, std::int32_t e) noexcept {
        switch (e) {
            case 0: return Pack{} + 1.0;
            case 1: return x;
            case 2: return x * x;
            case 3: return x * x * x;
            default: {
                Pack p = x * x * x;
                for (std::int32_t j = 3; j < e; ++j) p *= x;
                return p;
            }
        }
    }

    // k·Π θ^c over the factors, as MassActionKinetics::step_rates.
    static Pack monomial(const Pack& k, const Factor* factors, int n_factors, const Pack* theta) noexcept {
        Pack out = k;
        for (int a = 0; a < n_factors; ++a) out *= power(theta[factors[a].position], factors[a].coefficient);
        return out;
    }

    // mass_action.cpp's add_monomial_derivative, on packs.
    void monomial_derivative(const Pack& k, const Factor* factors, int n_factors, const Pack* theta,
                             const Change* changes, int n_changes, double sign, Pack* jac) const noexcept {
        for (int a = 0; a < n_factors; ++a) {
            const int col = factors[a].position;
            const int c = factors[a].coefficient;
            Pack d = k * static_cast<double>(c) * power(theta[col], c - 1);
            for (int b = 0; b < n_factors; ++b) {
                if (b != a) d *= power(theta[factors[b].position], factors[b].coefficient);
            }
            Pack* column = jac + static_cast<std::ptrdiff_t>(col) * n_;
            for (int q = 0; q < n_changes; ++q) column[changes[q].position] += sign * changes[q].nu * d;
        }
    }

    int n_, n_steps_;
    std::vector<Factor> fwd_, rev_;
    std::vector<std::int32_t> fwd_begin_, rev_begin_;
    std::vector<Change> change_;
    std::vector<std::int32_t> change_begin_;
    PackVector kf_, kr_;  // per step
};

std::unique_ptr<LaneKinetics> MassActionKinetics::make_lanes() const {
    return std::make_unique<MassActionLanes>(*this);
}

}  // namespace kinmap
