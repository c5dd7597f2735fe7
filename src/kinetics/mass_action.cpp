#include "kinmap/kinetics/mass_action.hpp"

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

MassActionKinetics::MassActionKinetics(const Mechanism& mechanism) : Kinetics(mechanism) {
    order_f_ = Eigen::MatrixXd::Zero(n_steps(), n_state());
    order_r_ = Eigen::MatrixXd::Zero(n_steps(), n_state());
    auto add_side = [&](int s, const std::vector<StoichTerm>& side, std::vector<Factor>& surface,
                        std::vector<Factor>& gas, Eigen::MatrixXd& order) {
        for (const StoichTerm& term : side) {
            const Species& sp = mechanism.species[static_cast<std::size_t>(term.species)];
            if (sp.kind == SpeciesKind::gas) {
                gas.push_back({mechanism.find_gas(sp.name), term.coefficient});
            } else {
                const int position = mechanism.surface_position(term.species);
                KINMAP_ASSERT(position >= 0);
                surface.push_back({position, term.coefficient});
                order(s, position) += term.coefficient;
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
    };
    for (int s = 0; s < n_steps(); ++s) {
        const Step& step = mechanism.steps[static_cast<std::size_t>(s)];
        mark_begins();
        add_side(s, step.initial, fwd_, fwd_gas_, order_f_);
        add_side(s, step.final, rev_, rev_gas_, order_r_);
    }
    mark_begins();
    kf_eff_.assign(static_cast<std::size_t>(n_steps()), 0.0);
    kr_eff_.assign(static_cast<std::size_t>(n_steps()), 0.0);
    ln_kf_.assign(static_cast<std::size_t>(n_steps()), 0.0);
    ln_kr_.assign(static_cast<std::size_t>(n_steps()), 0.0);
}

std::unique_ptr<Kinetics> MassActionKinetics::clone() const {
    return std::make_unique<MassActionKinetics>(*this);
}

void MassActionKinetics::set_conditions(const Conditions& conditions, const RateConstants& constants) {
    set_conditions(constants.kf, constants.kr, conditions.pressure_bar);
}

void MassActionKinetics::set_conditions(const std::vector<double>& kf, const std::vector<double>& kr,
                                        const std::vector<double>& pressure_bar) {
    KINMAP_ASSERT(static_cast<int>(kf.size()) == n_steps());
    KINMAP_ASSERT(static_cast<int>(kr.size()) == n_steps());
    KINMAP_ASSERT(static_cast<int>(pressure_bar.size()) == n_gases());
    for (int s = 0; s < n_steps(); ++s) {
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
        const auto j = static_cast<std::size_t>(s);
        kf_eff_[j] = f;
        kr_eff_[j] = r;
        ln_kf_[j] = std::log(f);
        ln_kr_[j] = std::log(r);
    }
}

void MassActionKinetics::step_rates(int s, const double* theta, double& rf, double& rr) const noexcept {
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

void MassActionKinetics::rates(const double* theta, double* rf, double* rr) const noexcept {
    for (int s = 0; s < n_steps(); ++s) step_rates(s, theta, rf[s], rr[s]);
}

void MassActionKinetics::derivative(const double* theta, double* dtheta) const noexcept {
    for (int i = 0; i < n_state(); ++i) dtheta[i] = 0.0;
    for (int s = 0; s < n_steps(); ++s) {
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

void MassActionKinetics::jacobian(const double* theta, double* jac) const noexcept {
    const int n = n_state();
    for (int i = 0; i < n * n; ++i) jac[i] = 0.0;
    for (int s = 0; s < n_steps(); ++s) {
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

std::vector<char> MassActionKinetics::jacobian_structure() const {
    const auto n = static_cast<std::size_t>(n_state());
    std::vector<char> structure(n * n, 0);
    for (int s = 0; s < n_steps(); ++s) {
        for (const auto* side : {&fwd_, &rev_}) {
            const auto& begin = side == &fwd_ ? fwd_begin_ : rev_begin_;
            for (std::int32_t a = begin[s]; a < begin[s + 1]; ++a) {
                const auto col =
                    static_cast<std::size_t>((*side)[static_cast<std::size_t>(a)].position);
                for (std::int32_t q = change_begin_[s]; q < change_begin_[s + 1]; ++q) {
                    structure[col * n + static_cast<std::size_t>(
                                            change_[static_cast<std::size_t>(q)].position)] = 1;
                }
            }
        }
    }
    return structure;
}

void MassActionKinetics::net_rate_gradients(const double* theta, double* grad) const noexcept {
    const int n_steps = this->n_steps();
    for (int i = 0; i < n_steps * n_state(); ++i) grad[i] = 0.0;
    // The step's "change" is a single unit entry in its own row of `grad` (n_steps rows).
    for (int s = 0; s < n_steps; ++s) {
        const Change unit{s, 1.0};
        add_monomial_derivative(kf_eff_[static_cast<std::size_t>(s)], fwd_.data() + fwd_begin_[s],
                                fwd_begin_[s + 1] - fwd_begin_[s], theta, &unit, 1, 1.0, n_steps,
                                grad);
        add_monomial_derivative(kr_eff_[static_cast<std::size_t>(s)], rev_.data() + rev_begin_[s],
                                rev_begin_[s + 1] - rev_begin_[s], theta, &unit, 1, -1.0, n_steps,
                                grad);
    }
}

void MassActionKinetics::rate_sensitivities(const double* theta, double* drf_dlnkf,
                                            double* drr_dlnkr) const noexcept {
    rates(theta, drf_dlnkf, drr_dlnkr);
}

void MassActionKinetics::log_rates(const Eigen::VectorXd& u, Eigen::VectorXd& ln_rf,
                                   Eigen::VectorXd& ln_rr, Eigen::MatrixXd* dln_rf_du,
                                   Eigen::MatrixXd* dln_rr_du) const {
    ln_rf = order_f_ * u;
    ln_rr = order_r_ * u;
    for (Eigen::Index j = 0; j < ln_rf.size(); ++j) {
        ln_rf[j] += ln_kf_[static_cast<std::size_t>(j)];
        ln_rr[j] += ln_kr_[static_cast<std::size_t>(j)];
    }
    if (dln_rf_du != nullptr) *dln_rf_du = order_f_;
    if (dln_rr_du != nullptr) *dln_rr_du = order_r_;
}

}  // namespace kinmap
