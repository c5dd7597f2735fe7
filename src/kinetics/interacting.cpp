#include "kinmap/kinetics/interacting.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "kinmap/core/assert.hpp"
#include "kinmap/core/constants.hpp"

namespace kinmap {
namespace {

// The temperature step of ∂ln k/∂T, as rate_constants() takes it (central difference).
constexpr double kTemperatureStep_K = 1e-3;

inline double ipow(double x, std::int32_t n) noexcept {
    double r = 1.0;
    for (std::int32_t k = 0; k < n; ++k) r *= x;
    return r;
}

}  // namespace

InteractingKinetics::InteractingKinetics(const Mechanism& mechanism)
    : Kinetics(mechanism), mechanism_(&mechanism), interactions_(&*mechanism.interactions),
      n_species_(static_cast<int>(mechanism.species.size())) {
    const auto n = static_cast<std::size_t>(n_species_);
    position_of_.assign(n, -1);
    site_of_species_.assign(n, -1);
    for (std::size_t i = 0; i < n; ++i) {
        position_of_[i] = mechanism.surface_position(static_cast<int>(i));
        site_of_species_[i] = mechanism.species[i].site_type;
    }
    site_adsorbates_.resize(mechanism.sites.size());
    for (std::size_t p = 0; p < mechanism.surface.size(); ++p) {
        const Species& sp = mechanism.species[static_cast<std::size_t>(mechanism.surface[p])];
        if (sp.kind == SpeciesKind::adsorbate) {
            site_adsorbates_[static_cast<std::size_t>(sp.site_type)].push_back(static_cast<std::int32_t>(p));
        }
    }
    eps_row_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Species& sp = mechanism.species[i];
        if (sp.kind != SpeciesKind::adsorbate && sp.kind != SpeciesKind::transition_state) continue;
        energetic_.push_back(static_cast<std::int32_t>(i));
        for (std::int32_t p : site_adsorbates_[static_cast<std::size_t>(sp.site_type)]) {
            eps_row_[i].push_back(interactions_->at(static_cast<int>(i), mechanism.surface[static_cast<std::size_t>(p)]));
        }
    }
    order_f_ = Eigen::MatrixXd::Zero(n_steps(), n_state());
    order_r_ = Eigen::MatrixXd::Zero(n_steps(), n_state());
    steps_.resize(mechanism.steps.size());
    for (std::size_t j = 0; j < mechanism.steps.size(); ++j) {
        const Step& step = mechanism.steps[j];
        StepData& d = steps_[j];
        d.coverage_dependent = step.source == Step::Source::species_energies;
        d.ts = step.transition_state;
        for (int side = 0; side < 2; ++side) {
            for (const StoichTerm& t : side == 0 ? step.initial : step.final) {
                const std::int32_t position = position_of_[static_cast<std::size_t>(t.species)];
                (side == 0 ? d.initial : d.final).push_back({t.species, position, t.coefficient});
                if (position >= 0) (side == 0 ? order_f_ : order_r_)(static_cast<Eigen::Index>(j), position) += t.coefficient;
            }
        }
    }
    const auto n_steps = static_cast<Eigen::Index>(steps_.size());
    dg_ = Eigen::VectorXd::Zero(n_species_);
    ddg_ = Eigen::MatrixXd::Zero(n_species_, n_state());
    ln_kf_ = Eigen::VectorXd::Zero(n_steps);
    ln_kr_ = Eigen::VectorXd::Zero(n_steps);
    dln_kf_ = Eigen::MatrixXd::Zero(n_steps, n_state());
    dln_kr_ = Eigen::MatrixXd::Zero(n_steps, n_state());
    top_.assign(steps_.size(), Top::initial);
    cache_theta_.assign(static_cast<std::size_t>(n_state()), 0.0);
    std::size_t widest = 0;
    for (const auto& ads : site_adsorbates_) widest = std::max(widest, ads.size());
    s_ads_.assign(widest, 0.0);
}

std::unique_ptr<Kinetics> InteractingKinetics::clone() const {
    return std::make_unique<InteractingKinetics>(*this);
}

void InteractingKinetics::set_conditions(const Conditions& conditions, const RateConstants& constants) {
    using namespace constants;
    KINMAP_ASSERT(static_cast<int>(constants.kf.size()) == n_steps());
    KINMAP_ASSERT(static_cast<int>(conditions.pressure_bar.size()) == n_gases());
    const Mechanism& m = *mechanism_;
    temperature_K_ = conditions.temperature_K;
    kT_ = kB_eV_per_K * temperature_K_;
    ln_prefactor_ = std::log(kB_eV_per_K * temperature_K_ / h_eV_s);
    g0_ = free_energies_at(m, conditions, temperature_K_, &dg0_dD_);
    g0_plus_ = free_energies_at(m, conditions, temperature_K_ + kTemperatureStep_K);
    g0_minus_ = free_energies_at(m, conditions, temperature_K_ - kTemperatureStep_K);
    fixed_ = constants;
    for (std::size_t j = 0; j < steps_.size(); ++j) {
        StepData& d = steps_[j];
        d.ln_p_f = d.ln_p_r = 0.0;
        d.g0_is = d.g0_fs = 0.0;
        for (int side = 0; side < 2; ++side) {
            for (const Term& t : side == 0 ? d.initial : d.final) {
                const Species& sp = m.species[static_cast<std::size_t>(t.species)];
                double& ln_p = side == 0 ? d.ln_p_f : d.ln_p_r;
                if (sp.kind == SpeciesKind::gas) {
                    ln_p += t.coefficient * std::log(conditions.pressure_bar[static_cast<std::size_t>(m.find_gas(sp.name))]);
                }
                if (d.coverage_dependent) {
                    (side == 0 ? d.g0_is : d.g0_fs) += t.coefficient * g0_[static_cast<std::size_t>(t.species)];
                }
            }
        }
        d.g0_ts = d.coverage_dependent && d.ts >= 0 ? g0_[static_cast<std::size_t>(d.ts)] : 0.0;
        d.ln_kf_fixed = std::log(constants.kf[j]);
        d.ln_kr_fixed = std::log(constants.kr[j]);
        d.offset_f = d.offset_r = 0.0;
        if (d.coverage_dependent) {
            // The given constants relative to those of G0 (1 up to rounding when they are
            // rate_constants() of these conditions): a change of a given constant scales the
            // step's rate at every state, as the seam's sensitivities say.
            dg_.setZero();
            double g_is, g_fs, g_top;
            Top top;
            top_of(d, g0_.data(), g_is, g_fs, g_top, top);
            const double ln_kf0 = ln_prefactor_ - (g_top - g_is) / kT_;
            const double ln_kr0 = ln_prefactor_ - (g_top - g_fs) / kT_;
            if (std::isfinite(d.ln_kf_fixed) && std::isfinite(ln_kf0)) d.offset_f = d.ln_kf_fixed - ln_kf0;
            if (std::isfinite(d.ln_kr_fixed) && std::isfinite(ln_kr0)) d.offset_r = d.ln_kr_fixed - ln_kr0;
        }
    }
    lambda_ = 1.0;
    cache_valid_ = false;
}

void InteractingKinetics::set_interaction_strength(double lambda) {
    lambda_ = lambda;
    cache_valid_ = false;
}

void InteractingKinetics::top_of(const StepData& d, const double* g0, double& g_is, double& g_fs,
                                 double& g_top, Top& top) const noexcept {
    g_is = 0.0;
    g_fs = 0.0;
    for (const Term& t : d.initial) g_is += t.coefficient * (g0[t.species] + dg_[t.species]);
    for (const Term& t : d.final) g_fs += t.coefficient * (g0[t.species] + dg_[t.species]);
    // The max rule of rate_constants(), ties to IS, then FS.
    g_top = std::max(g_is, g_fs);
    top = g_is < g_fs ? Top::final : Top::initial;
    if (d.ts >= 0) {
        const double g = g0[d.ts] + dg_[d.ts];
        if (g_top < g) top = Top::transition;
        g_top = std::max(g_top, g);
    }
}

void InteractingKinetics::evaluate(const double* theta) const noexcept {
    const auto n = static_cast<std::size_t>(n_state());
    if (cache_valid_ && std::memcmp(cache_theta_.data(), theta, n * sizeof(double)) == 0) return;
    std::memcpy(cache_theta_.data(), theta, n * sizeof(double));
    cache_valid_ = true;

    const bool second = interactions_->model == InteractionModel::second_order;
    const ResponseFunction& response = interactions_->response;
    dg_.setZero();
    ddg_.setZero();
    // Per site type: the response at its total coverage and, for second order, Q.
    for (std::size_t s = 0; s < site_adsorbates_.size(); ++s) {
        const std::vector<std::int32_t>& ads = site_adsorbates_[s];
        if (ads.empty()) continue;
        double total = 0.0;
        for (std::int32_t p : ads) total += theta[p];
        double f = 0.0, df = 0.0, d2f = 0.0;
        response.evaluate(second ? 2.0 * total : total, f, df, d2f);
        // S_a of the site's adsorbates (for Q and the second-order Hessian).
        double Q = 0.0;
        std::vector<double>& S_ads = s_ads_;
        if (second) {
            for (std::size_t qa = 0; qa < ads.size(); ++qa) {
                const int a = mechanism_->surface[static_cast<std::size_t>(ads[qa])];
                double sum = 0.0;
                const std::vector<double>& row = eps_row_[static_cast<std::size_t>(a)];
                for (std::size_t q = 0; q < ads.size(); ++q) sum += row[q] * theta[ads[q]];
                S_ads[qa] = sum;
                Q += theta[ads[qa]] * sum;
            }
        }
        for (std::int32_t k : energetic_) {
            if (site_of_species_[static_cast<std::size_t>(k)] != static_cast<std::int32_t>(s)) continue;
            const std::vector<double>& row = eps_row_[static_cast<std::size_t>(k)];
            double S = 0.0;
            for (std::size_t q = 0; q < ads.size(); ++q) S += row[q] * theta[ads[q]];
            if (!second) {
                dg_[k] = lambda_ * f * S;
                for (std::size_t q = 0; q < ads.size(); ++q) ddg_(k, ads[q]) = lambda_ * (df * S + f * row[q]);
            } else {
                dg_[k] = lambda_ * (f * f * S + 2.0 * f * df * Q);
                const double curvature = 4.0 * (df * df + f * d2f) * Q;
                for (std::size_t q = 0; q < ads.size(); ++q) {
                    ddg_(k, ads[q]) = lambda_ * (f * f * row[q] + 4.0 * f * df * (S + S_ads[q]) + curvature);
                }
            }
        }
    }
    // ln k of every step with its θ-gradient.
    dln_kf_.setZero();
    dln_kr_.setZero();
    const double* g0 = g0_.data();
    for (std::size_t j = 0; j < steps_.size(); ++j) {
        const StepData& d = steps_[j];
        const auto row = static_cast<Eigen::Index>(j);
        if (!d.coverage_dependent) {
            ln_kf_[row] = d.ln_kf_fixed + d.ln_p_f;
            ln_kr_[row] = d.ln_kr_fixed + d.ln_p_r;
            continue;
        }
        double g_is, g_fs, g_top;
        Top top;
        top_of(d, g0, g_is, g_fs, g_top, top);
        top_[j] = top;
        ln_kf_[row] = ln_prefactor_ - (g_top - g_is) / kT_ + d.offset_f + d.ln_p_f;
        ln_kr_[row] = ln_prefactor_ - (g_top - g_fs) / kT_ + d.offset_r + d.ln_p_r;
        // ∂G_IS, ∂G_FS, ∂G‡ accumulated into the gradient rows.
        for (const Term& t : d.initial) {
            dln_kf_.row(row) += (t.coefficient / kT_) * ddg_.row(t.species);
            if (top == Top::initial) dln_kr_.row(row) -= (t.coefficient / kT_) * ddg_.row(t.species);
        }
        for (const Term& t : d.final) {
            dln_kr_.row(row) += (t.coefficient / kT_) * ddg_.row(t.species);
            if (top == Top::final) dln_kf_.row(row) -= (t.coefficient / kT_) * ddg_.row(t.species);
        }
        if (top == Top::initial) dln_kf_.row(row).setZero();  // G‡ − G_IS = 0 exactly
        if (top == Top::final) dln_kr_.row(row).setZero();
        if (top == Top::transition) {
            dln_kf_.row(row) -= ddg_.row(d.ts) / kT_;
            dln_kr_.row(row) -= ddg_.row(d.ts) / kT_;
        }
    }
}

void InteractingKinetics::step_rates(std::size_t j, const double* theta, double& rf, double& rr) const noexcept {
    const StepData& d = steps_[j];
    const auto row = static_cast<Eigen::Index>(j);
    double f = std::exp(ln_kf_[row]);
    for (const Term& t : d.initial) {
        if (t.position >= 0) f *= ipow(theta[t.position], t.coefficient);
    }
    double r = std::exp(ln_kr_[row]);
    for (const Term& t : d.final) {
        if (t.position >= 0) r *= ipow(theta[t.position], t.coefficient);
    }
    rf = f;
    rr = r;
}

void InteractingKinetics::rates(const double* theta, double* rf, double* rr) const noexcept {
    evaluate(theta);
    for (std::size_t j = 0; j < steps_.size(); ++j) step_rates(j, theta, rf[j], rr[j]);
}

void InteractingKinetics::derivative(const double* theta, double* dtheta) const noexcept {
    // The rates step by step from the cached ln k (the caller's rf, rr are not passed in).
    for (int i = 0; i < n_state(); ++i) dtheta[i] = 0.0;
    evaluate(theta);
    for (std::size_t j = 0; j < steps_.size(); ++j) {
        double f = 0.0, r = 0.0;
        step_rates(j, theta, f, r);
        const double net = f - r;
        const auto s = static_cast<std::int32_t>(j);
        for (std::int32_t q = change_begin_[static_cast<std::size_t>(s)]; q < change_begin_[static_cast<std::size_t>(s) + 1]; ++q) {
            dtheta[change_[static_cast<std::size_t>(q)].position] += change_[static_cast<std::size_t>(q)].nu * net;
        }
    }
}

void InteractingKinetics::net_rate_gradients(const double* theta, double* grad) const noexcept {
    // ∂r/∂θ_k = (mass action: the monomial's derivative at fixed k) + r·∂ln k/∂θ_k.
    const int n_steps = this->n_steps();
    const int n = n_state();
    for (int i = 0; i < n_steps * n; ++i) grad[i] = 0.0;
    evaluate(theta);
    for (std::size_t j = 0; j < steps_.size(); ++j) {
        const StepData& d = steps_[j];
        const auto row = static_cast<Eigen::Index>(j);
        for (int side = 0; side < 2; ++side) {
            const std::vector<Term>& terms = side == 0 ? d.initial : d.final;
            const double k = std::exp(side == 0 ? ln_kf_[row] : ln_kr_[row]);
            const double sign = side == 0 ? 1.0 : -1.0;
            double rate = k;
            for (const Term& t : terms) {
                if (t.position >= 0) rate *= ipow(theta[t.position], t.coefficient);
            }
            const Eigen::MatrixXd& dln = side == 0 ? dln_kf_ : dln_kr_;
            for (int c = 0; c < n; ++c) grad[row + static_cast<Eigen::Index>(c) * n_steps] += sign * rate * dln(row, c);
            for (std::size_t a = 0; a < terms.size(); ++a) {
                if (terms[a].position < 0) continue;
                double dm = k * terms[a].coefficient * ipow(theta[terms[a].position], terms[a].coefficient - 1);
                for (std::size_t b = 0; b < terms.size(); ++b) {
                    if (b != a && terms[b].position >= 0) dm *= ipow(theta[terms[b].position], terms[b].coefficient);
                }
                grad[row + static_cast<Eigen::Index>(terms[a].position) * n_steps] += sign * dm;
            }
        }
    }
}

void InteractingKinetics::jacobian(const double* theta, double* jac) const noexcept {
    // J = ν·(∂(r_f − r_r)/∂θ): the step gradients spread over the species each step changes.
    const int n = n_state();
    const int n_steps = this->n_steps();
    thread_local std::vector<double> grad;
    grad.resize(static_cast<std::size_t>(n_steps) * static_cast<std::size_t>(n));
    net_rate_gradients(theta, grad.data());
    for (int i = 0; i < n * n; ++i) jac[i] = 0.0;
    for (int s = 0; s < n_steps; ++s) {
        for (std::int32_t q = change_begin_[static_cast<std::size_t>(s)]; q < change_begin_[static_cast<std::size_t>(s) + 1]; ++q) {
            const Change& ch = change_[static_cast<std::size_t>(q)];
            for (int c = 0; c < n; ++c) {
                jac[ch.position + static_cast<std::ptrdiff_t>(c) * n] +=
                    ch.nu * grad[static_cast<std::size_t>(s) + static_cast<std::size_t>(c) * static_cast<std::size_t>(n_steps)];
            }
        }
    }
}

void InteractingKinetics::rate_sensitivities(const double* theta, double* drf_dlnkf,
                                             double* drr_dlnkr) const noexcept {
    rates(theta, drf_dlnkf, drr_dlnkr);
}

void InteractingKinetics::log_rates(const Eigen::VectorXd& u, Eigen::VectorXd& ln_rf, Eigen::VectorXd& ln_rr,
                                    Eigen::MatrixXd* dln_rf_du, Eigen::MatrixXd* dln_rr_du) const {
    // ln r = ln k(θ) + ν·u with θ = e^u; ∂ln k/∂u_k = θ_k·∂ln k/∂θ_k. A coverage that
    // underflows to 0 contributes nothing to the interaction energies, as it should.
    const Eigen::VectorXd theta = u.array().exp().matrix();
    evaluate(theta.data());
    ln_rf = order_f_ * u + ln_kf_;
    ln_rr = order_r_ * u + ln_kr_;
    if (dln_rf_du != nullptr) *dln_rf_du = order_f_ + dln_kf_ * theta.asDiagonal();
    if (dln_rr_du != nullptr) *dln_rr_du = order_r_ + dln_kr_ * theta.asDiagonal();
}

void InteractingKinetics::interaction_energies(const double* theta, double* out) const noexcept {
    evaluate(theta);
    for (int p = 0; p < n_state(); ++p) out[p] = dg_[mechanism_->surface[static_cast<std::size_t>(p)]];
}

void InteractingKinetics::free_energies(const double* theta, Eigen::VectorXd& G, Eigen::MatrixXd* dG) const {
    evaluate(theta);
    G.resize(n_species_);
    for (int i = 0; i < n_species_; ++i) {
        const Species& sp = mechanism_->species[static_cast<std::size_t>(i)];
        G[i] = sp.kind == SpeciesKind::free_site ? 0.0 : g0_[static_cast<std::size_t>(i)] + dg_[i];
    }
    if (dG != nullptr) *dG = ddg_;
}

void InteractingKinetics::constants_at(const double* theta, std::vector<double>& kf, std::vector<double>& kr) const {
    evaluate(theta);
    kf.resize(steps_.size());
    kr.resize(steps_.size());
    for (std::size_t j = 0; j < steps_.size(); ++j) {
        const auto row = static_cast<Eigen::Index>(j);
        kf[j] = std::exp(ln_kf_[row] - steps_[j].ln_p_f);
        kr[j] = std::exp(ln_kr_[row] - steps_[j].ln_p_r);
    }
}

bool InteractingKinetics::constant_derivatives(const double* theta, StateConstantDerivatives& out) const {
    using namespace constants;
    evaluate(theta);
    const std::size_t n_steps = steps_.size();
    const std::size_t n_d = mechanism_->descriptors.size();
    const double h = kTemperatureStep_K;
    out.dlnkf_dT = fixed_.dlnkf_dT;
    out.dlnkr_dT = fixed_.dlnkr_dT;
    out.dlnkf_dD = fixed_.dlnkf_dD;
    out.dlnkr_dD = fixed_.dlnkr_dD;
    out.dlnkf_dG0 = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_steps), n_state());
    out.dlnkr_dG0 = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n_steps), n_state());
    for (std::size_t j = 0; j < n_steps; ++j) {
        const StepData& d = steps_[j];
        const auto row = static_cast<Eigen::Index>(j);
        // G0_i/kB·T up by 1 raises G_i(θ) by kB·T (the interaction part does not depend on G0).
        for (const Term& t : d.initial) {
            if (t.position >= 0) out.dlnkf_dG0(row, t.position) += t.coefficient;
        }
        for (const Term& t : d.final) {
            if (t.position >= 0) out.dlnkr_dG0(row, t.position) += t.coefficient;
        }
        if (!d.coverage_dependent) continue;
        const Top top = top_[j];
        // G‡ moves with the top state (transition states fixed).
        if (top == Top::initial) {
            for (const Term& t : d.initial) {
                if (t.position >= 0) {
                    out.dlnkf_dG0(row, t.position) -= t.coefficient;
                    out.dlnkr_dG0(row, t.position) -= t.coefficient;
                }
            }
        } else if (top == Top::final) {
            for (const Term& t : d.final) {
                if (t.position >= 0) {
                    out.dlnkf_dG0(row, t.position) -= t.coefficient;
                    out.dlnkr_dG0(row, t.position) -= t.coefficient;
                }
            }
        }
        // ∂ln k/∂T at fixed θ: G0 at T ± h with the same interaction energies.
        double lnk[2][2];
        for (int side = 0; side < 2; ++side) {
            const double T = temperature_K_ + (side == 0 ? h : -h);
            const double kT = kB_eV_per_K * T;
            double g_is, g_fs, g_top;
            Top ignored;
            top_of(d, side == 0 ? g0_plus_.data() : g0_minus_.data(), g_is, g_fs, g_top, ignored);
            const double ln_pre = std::log(kB_eV_per_K * T / h_eV_s);
            lnk[side][0] = ln_pre - (g_top - g_is) / kT;
            lnk[side][1] = ln_pre - (g_top - g_fs) / kT;
        }
        out.dlnkf_dT[j] = (lnk[0][0] - lnk[1][0]) / (2.0 * h);
        out.dlnkr_dT[j] = (lnk[0][1] - lnk[1][1]) / (2.0 * h);
        // ∂ln k/∂D through G0 (the interaction energies do not depend on D), top at θ.
        const std::size_t n_sp = static_cast<std::size_t>(n_species_);
        for (std::size_t q = 0; q < n_d; ++q) {
            auto dside = [&](const std::vector<Term>& terms) {
                double sum = 0.0;
                for (const Term& t : terms) sum += t.coefficient * dg0_dD_[static_cast<std::size_t>(t.species) + q * n_sp];
                return sum;
            };
            const double d_is = dside(d.initial), d_fs = dside(d.final);
            const double d_top = top == Top::initial ? d_is
                                 : top == Top::final ? d_fs
                                                     : dg0_dD_[static_cast<std::size_t>(d.ts) + q * n_sp];
            out.dlnkf_dD[j + q * n_steps] = -(d_top - d_is) / kT_;
            out.dlnkr_dD[j + q * n_steps] = -(d_top - d_fs) / kT_;
        }
    }
    return true;
}

std::vector<Warning> interaction_warnings(const ModelFile& model) {
    std::vector<Warning> out;
    const Mechanism& m = model.mechanism;
    if (!m.interactions) return out;
    Conditions c;
    c.temperature_K = m.temperature_K;
    c.pressure_bar.assign(m.gases.size(), 1.0);  // energies do not depend on pressures
    const RateConstants k = rate_constants(m, c);
    InteractingKinetics kin(m);
    kin.set_conditions(c, k);
    const auto n = static_cast<std::size_t>(kin.n_state());

    // The sampled states: per site type, each adsorbate alone and every pair.
    std::vector<std::vector<double>> states;
    std::vector<double> clean(n, 0.0);
    for (const SiteType& site : m.sites) clean[static_cast<std::size_t>(m.surface_position(site.free_species))] = site.total;
    states.push_back(clean);
    for (std::size_t t = 0; t < m.sites.size(); ++t) {
        const double total = m.sites[t].total;
        const auto free_row = static_cast<std::size_t>(m.surface_position(m.sites[t].free_species));
        std::vector<std::size_t> ads;
        for (std::size_t p = 0; p < n; ++p) {
            const Species& sp = m.species[static_cast<std::size_t>(m.surface[p])];
            if (sp.kind == SpeciesKind::adsorbate && sp.site_type == static_cast<int>(t)) ads.push_back(p);
        }
        auto add = [&](std::size_t a, double ta, std::size_t b, double tb) {
            std::vector<double> x = clean;
            x[a] += ta;
            x[b] += tb;
            x[free_row] = std::max(0.0, total - ta - tb);
            states.push_back(x);
        };
        for (std::size_t a : ads) {
            for (int q = 1; q <= 20; ++q) add(a, total * q / 20.0, a, 0.0);
        }
        for (std::size_t i = 0; i < ads.size(); ++i) {
            for (std::size_t j = i + 1; j < ads.size(); ++j) {
                for (int qa = 1; qa < 10; ++qa) {
                    for (int qb = 1; qa + qb <= 10; ++qb) add(ads[i], total * qa / 10.0, ads[j], total * qb / 10.0);
                }
            }
        }
    }
    auto describe = [&](const std::vector<double>& x) {
        std::string text;
        char item[96];
        for (std::size_t p = 0; p < n; ++p) {
            const Species& sp = m.species[static_cast<std::size_t>(m.surface[p])];
            if (sp.kind != SpeciesKind::adsorbate || x[p] == 0.0) continue;
            std::snprintf(item, sizeof item, "%stheta(%s) = %.2f", text.empty() ? "" : ", ", sp.name.c_str(), x[p]);
            text += item;
        }
        return text.empty() ? std::string("the clean surface") : text;
    };
    Eigen::VectorXd G;
    // Barriers that become negative.
    for (std::size_t j = 0; j < m.steps.size(); ++j) {
        const Step& step = m.steps[j];
        if (step.source != Step::Source::species_energies || step.transition_state < 0) continue;
        auto barriers = [&](const Eigen::VectorXd& g, double& forward, double& reverse) {
            double is = 0.0, fs = 0.0;
            for (const StoichTerm& t : step.initial) is += t.coefficient * g[t.species];
            for (const StoichTerm& t : step.final) fs += t.coefficient * g[t.species];
            forward = g[step.transition_state] - is;
            reverse = g[step.transition_state] - fs;
        };
        kin.free_energies(states.front().data(), G, nullptr);
        double f0, r0;
        barriers(G, f0, r0);
        if (f0 < 0.0 || r0 < 0.0) continue;  // below already at zero coverage: model_warnings says so
        double worst = 0.0, worst_f = 0.0, worst_r = 0.0;
        std::size_t at = 0;
        for (std::size_t q = 0; q < states.size(); ++q) {
            kin.free_energies(states[q].data(), G, nullptr);
            double fb, rb;
            barriers(G, fb, rb);
            if (std::min(fb, rb) < worst) {
                worst = std::min(fb, rb);
                worst_f = fb;
                worst_r = rb;
                at = q;
            }
        }
        if (worst < 0.0) {
            char text[400];
            std::snprintf(text, sizeof text,
                          "with the interactions its transition state %s falls below its %s state at %s "
                          "(%g K): barriers forward %.3f eV, reverse %.3f eV (%.3f and %.3f eV at zero "
                          "coverage); the barrier is taken to the higher state there",
                          m.species[static_cast<std::size_t>(step.transition_state)].name.c_str(),
                          worst_f < worst_r ? "initial" : "final", describe(states[at]).c_str(), m.temperature_K,
                          worst_f, worst_r, f0, r0);
            out.push_back({step.where, "step[" + std::to_string(j + 1) + "].equation", text});
        }
    }
    // Interaction energies beyond a few eV at full coverage.
    constexpr double kLargeInteraction_eV = 3.0;
    std::vector<double> de(n);
    for (std::size_t p = 0; p < n; ++p) {
        const int species = m.surface[p];
        if (m.species[static_cast<std::size_t>(species)].kind != SpeciesKind::adsorbate) continue;
        double largest = 0.0;
        std::size_t at = 0;
        for (std::size_t q = 0; q < states.size(); ++q) {
            kin.interaction_energies(states[q].data(), de.data());
            if (std::abs(de[p]) > std::abs(largest)) {
                largest = de[p];
                at = q;
            }
        }
        if (std::abs(largest) > kLargeInteraction_eV) {
            char text[400];
            std::snprintf(text, sizeof text,
                          "the interaction energy of %s reaches %.3f eV at %s, beyond ~%g eV (eps is in eV "
                          "per monolayer; positive = repulsive)",
                          m.species[static_cast<std::size_t>(species)].name.c_str(), largest,
                          describe(states[at]).c_str(), kLargeInteraction_eV);
            out.push_back({m.interactions->where, "interactions.eps", text});
        }
    }
    return out;
}

}  // namespace kinmap
