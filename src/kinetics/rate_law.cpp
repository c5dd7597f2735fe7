#include "kinmap/kinetics/rate_law.hpp"

#include <cmath>
#include <cstddef>

#include "kinmap/core/assert.hpp"

namespace kinmap {
namespace {

// Small non-negative integer powers by multiplication: exact for the coefficients 1..3 of
// elementary steps, and far cheaper than std::pow.
inline double ipow(double x, std::int32_t n) noexcept {
    double r = 1.0;
    for (std::int32_t k = 0; k < n; ++k) r *= x;
    return r;
}

std::int32_t to_i32(std::size_t n) { return static_cast<std::int32_t>(n); }

}  // namespace

RateLaw::RateLaw(const Mechanism& mechanism)
    : n_state_(static_cast<int>(mechanism.surface.size())),
      n_steps_(static_cast<int>(mechanism.steps.size())),
      n_gases_(static_cast<int>(mechanism.gases.size())),
      tof_gas_(mechanism.tof_of >= 0 ? mechanism.find_gas(mechanism.species[static_cast<std::size_t>(
                                                                mechanism.tof_of)]
                                                               .name)
                                     : -1) {
    auto add_side = [&](const std::vector<StoichTerm>& side, std::vector<Factor>& surface,
                        std::vector<Factor>& gas) {
        for (const StoichTerm& term : side) {
            const Species& sp = mechanism.species[static_cast<std::size_t>(term.species)];
            if (sp.kind == SpeciesKind::gas) {
                gas.push_back({mechanism.find_gas(sp.name), term.coefficient});
            } else {
                const int position = mechanism.surface_position(term.species);
                KINMAP_ASSERT(position >= 0);
                surface.push_back({position, term.coefficient});
            }
        }
    };
    // Where each step's data starts in the flat arrays; called once more after the last step,
    // so that step s spans [begin[s], begin[s + 1]).
    auto mark_begins = [&] {
        fwd_begin_.push_back(to_i32(fwd_.size()));
        rev_begin_.push_back(to_i32(rev_.size()));
        fwd_gas_begin_.push_back(to_i32(fwd_gas_.size()));
        rev_gas_begin_.push_back(to_i32(rev_gas_.size()));
        change_begin_.push_back(to_i32(change_.size()));
        gas_change_begin_.push_back(to_i32(gas_change_.size()));
    };
    for (const Step& step : mechanism.steps) {
        mark_begins();
        add_side(step.initial, fwd_, fwd_gas_);
        add_side(step.final, rev_, rev_gas_);

        std::vector<double> nu_surface(static_cast<std::size_t>(n_state_), 0.0);
        std::vector<double> nu_gas(static_cast<std::size_t>(n_gases_), 0.0);
        for (int sign : {-1, 1}) {
            for (const StoichTerm& term : sign < 0 ? step.initial : step.final) {
                const Species& sp = mechanism.species[static_cast<std::size_t>(term.species)];
                const double nu = sign * static_cast<double>(term.coefficient);
                if (sp.kind == SpeciesKind::gas) {
                    nu_gas[static_cast<std::size_t>(mechanism.find_gas(sp.name))] += nu;
                } else {
                    nu_surface[static_cast<std::size_t>(mechanism.surface_position(term.species))] +=
                        nu;
                }
            }
        }
        for (std::size_t i = 0; i < nu_surface.size(); ++i) {
            if (nu_surface[i] != 0.0) change_.push_back({to_i32(i), nu_surface[i]});
        }
        for (std::size_t g = 0; g < nu_gas.size(); ++g) {
            if (nu_gas[g] != 0.0) gas_change_.push_back({to_i32(g), nu_gas[g]});
        }
    }
    mark_begins();
    kf_eff_.assign(static_cast<std::size_t>(n_steps_), 0.0);
    kr_eff_.assign(static_cast<std::size_t>(n_steps_), 0.0);
}

void RateLaw::set_conditions(const std::vector<double>& kf, const std::vector<double>& kr,
                             const std::vector<double>& pressure_bar) {
    KINMAP_ASSERT(static_cast<int>(kf.size()) == n_steps_);
    KINMAP_ASSERT(static_cast<int>(pressure_bar.size()) == n_gases_);
    for (int s = 0; s < n_steps_; ++s) {
        double f = kf[static_cast<std::size_t>(s)];
        for (std::int32_t q = fwd_gas_begin_[s]; q < fwd_gas_begin_[s + 1]; ++q) {
            f *= ipow(pressure_bar[static_cast<std::size_t>(fwd_gas_[q].position)],
                      fwd_gas_[q].coefficient);
        }
        double r = kr[static_cast<std::size_t>(s)];
        for (std::int32_t q = rev_gas_begin_[s]; q < rev_gas_begin_[s + 1]; ++q) {
            r *= ipow(pressure_bar[static_cast<std::size_t>(rev_gas_[q].position)],
                      rev_gas_[q].coefficient);
        }
        kf_eff_[static_cast<std::size_t>(s)] = f;
        kr_eff_[static_cast<std::size_t>(s)] = r;
    }
}

void RateLaw::step_rates(int s, const double* theta, double& rf, double& rr) const noexcept {
    double f = kf_eff_[static_cast<std::size_t>(s)];
    for (std::int32_t q = fwd_begin_[s]; q < fwd_begin_[s + 1]; ++q) {
        f *= ipow(theta[fwd_[q].position], fwd_[q].coefficient);
    }
    double r = kr_eff_[static_cast<std::size_t>(s)];
    for (std::int32_t q = rev_begin_[s]; q < rev_begin_[s + 1]; ++q) {
        r *= ipow(theta[rev_[q].position], rev_[q].coefficient);
    }
    rf = f;
    rr = r;
}

void RateLaw::rates(const double* theta, double* rf, double* rr) const noexcept {
    for (int s = 0; s < n_steps_; ++s) step_rates(s, theta, rf[s], rr[s]);
}

void RateLaw::derivative(const double* theta, double* dtheta) const noexcept {
    for (int i = 0; i < n_state_; ++i) dtheta[i] = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        double f = 0.0, r = 0.0;
        step_rates(s, theta, f, r);
        const double net = f - r;
        for (std::int32_t q = change_begin_[s]; q < change_begin_[s + 1]; ++q) {
            dtheta[change_[q].position] += change_[q].nu * net;
        }
    }
}

namespace {

// d/dθ_k of k·Π θ_m^c_m for every factor k of the monomial, added as `sign`·ν·(derivative)
// into column k of the Jacobian for every species changed by the step.
template <class Factor, class Change>
void add_monomial_derivative(double k, const Factor* factors, int n_factors, const double* theta,
                             const Change* changes, int n_changes, double sign, int n,
                             double* jac) noexcept {
    for (int a = 0; a < n_factors; ++a) {
        const int col = factors[a].position;
        const int c = factors[a].coefficient;
        double d = k * static_cast<double>(c) * ipow(theta[col], c - 1);
        for (int b = 0; b < n_factors; ++b) {
            if (b != a) d *= ipow(theta[factors[b].position], factors[b].coefficient);
        }
        double* column = jac + static_cast<std::ptrdiff_t>(col) * n;
        for (int q = 0; q < n_changes; ++q) column[changes[q].position] += sign * changes[q].nu * d;
    }
}

}  // namespace

void RateLaw::jacobian(const double* theta, double* jac) const noexcept {
    const int n = n_state_;
    for (int i = 0; i < n * n; ++i) jac[i] = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        const Change* changes = change_.data() + change_begin_[s];
        const int n_changes = change_begin_[s + 1] - change_begin_[s];
        add_monomial_derivative(kf_eff_[static_cast<std::size_t>(s)], fwd_.data() + fwd_begin_[s],
                                fwd_begin_[s + 1] - fwd_begin_[s], theta, changes, n_changes, 1.0,
                                n, jac);
        add_monomial_derivative(kr_eff_[static_cast<std::size_t>(s)], rev_.data() + rev_begin_[s],
                                rev_begin_[s + 1] - rev_begin_[s], theta, changes, n_changes, -1.0,
                                n, jac);
    }
}

void RateLaw::gross_flux(const double* rf, const double* rr, double* flux) const noexcept {
    for (int i = 0; i < n_state_; ++i) flux[i] = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        const double gross = rf[s] + rr[s];
        for (std::int32_t q = change_begin_[s]; q < change_begin_[s + 1]; ++q) {
            flux[change_[q].position] += std::abs(change_[q].nu) * gross;
        }
    }
}

void RateLaw::gas_production(const double* rf, const double* rr,
                             double* production) const noexcept {
    for (int g = 0; g < n_gases_; ++g) production[g] = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        const double net = rf[s] - rr[s];
        for (std::int32_t q = gas_change_begin_[s]; q < gas_change_begin_[s + 1]; ++q) {
            production[gas_change_[q].position] += gas_change_[q].nu * net;
        }
    }
}

double RateLaw::tof(const double* rf, const double* rr) const noexcept {
    double production = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        for (std::int32_t q = gas_change_begin_[s]; q < gas_change_begin_[s + 1]; ++q) {
            if (gas_change_[q].position == tof_gas_) production += gas_change_[q].nu * (rf[s] - rr[s]);
        }
    }
    return production;
}

void RateLaw::net_rate_gradients(const double* theta, double* grad) const noexcept {
    for (int i = 0; i < n_steps_ * n_state_; ++i) grad[i] = 0.0;
    // The step's "change" is a single unit entry in its own row of `grad` (n_steps rows).
    for (int s = 0; s < n_steps_; ++s) {
        const Change unit{s, 1.0};
        add_monomial_derivative(kf_eff_[static_cast<std::size_t>(s)], fwd_.data() + fwd_begin_[s],
                                fwd_begin_[s + 1] - fwd_begin_[s], theta, &unit, 1, 1.0, n_steps_,
                                grad);
        add_monomial_derivative(kr_eff_[static_cast<std::size_t>(s)], rev_.data() + rev_begin_[s],
                                rev_begin_[s + 1] - rev_begin_[s], theta, &unit, 1, -1.0, n_steps_,
                                grad);
    }
}

std::vector<double> RateLaw::tof_stoichiometry() const {
    std::vector<double> g(static_cast<std::size_t>(n_steps_), 0.0);
    for (int s = 0; s < n_steps_; ++s) {
        for (std::int32_t q = gas_change_begin_[s]; q < gas_change_begin_[s + 1]; ++q) {
            if (gas_change_[q].position == tof_gas_) g[static_cast<std::size_t>(s)] += gas_change_[q].nu;
        }
    }
    return g;
}

}  // namespace kinmap
