#pragma once
//! \file
//! Coverage-dependent adsorbate interactions (DESIGN.md §11), the second implementation of the
//! Kinetics seam: the free energy of every adsorbate and transition state depends on the
//! coverages, so the rate constants of every step that takes them from species energies are
//! re-evaluated from G(θ) at every state (no frozen constants), with the barrier to the highest
//! of G(IS), G(TS), G(FS) at that state (§3). Steps with explicit kf/kr or Ga_eV/dG_eV keep the
//! constants of rate_constants(). Every derivative is analytic: ∂ln k/∂θ follows from ∂G/∂θ
//! (and f′, f″ of the response) through the top-state rule, and enters the Jacobian, the rate
//! gradients and the log-rate gradients.
//!
//! Energies, for site type s with adsorbates a on s, T_s = Σ_a θ_a, and ε resolved by the
//! mechanism (interactions.hpp), scaled by the continuation strength λ (1 normally):
//!
//! - first_order: G_k = G0_k + λ·f(T_s)·S_k with S_k = Σ_a ε_ka θ_a, so
//!   ∂G_k/∂θ_a = λ·(f′(T_s)·S_k + f(T_s)·ε_ka).
//!
//! - second_order: the integral energy of one site type,
//!   E(θ) = Σ_i G0_i θ_i + ½·f(t)²·Q with t = 2·T_s and Q = Σ_ab ε_ab θ_a θ_b (ε symmetric on
//!   the adsorbates). With ∂t/∂θ_k = 2 and ∂Q/∂θ_k = 2·S_k:
//!     G_k = ∂E/∂θ_k = G0_k + f²·S_k + ½·2f·f′·2·Q = G0_k + f²·S_k + 2f·f′·Q,
//!   and its derivatives (the Hessian of E, symmetric in k and a for adsorbates)
//!     ∂G_k/∂θ_a = f²·ε_ka + 4f·f′·(S_k + S_a) + 4·(f′² + f·f″)·Q,
//!   all times λ. Transition states follow CatMAP's second-order template: a transition state
//!   is a species of its site type with coverage 0, so its G is the same ∂E/∂θ_TS with its own
//!   ε row (S_TS = Σ_a ε_TS,a θ_a) and the same f, f′ (θ_TS enters T_s, at 0). Several site
//!   types are independent blocks (interactions between site types are 0).
//!
//! Step j (species energies): G_IS = Σ ν·G over its initial state (gases at 1 bar, free sites
//! 0), likewise G_FS, G_TS; G‡ = max of the three (ties: IS, then FS, as rate_constants);
//! ln kf = ln(kB·T/h) − (G‡ − G_IS)/kB·T, ln kr = ln(kB·T/h) − (G‡ − G_FS)/kB·T, so
//! kf/kr = exp(−(G_FS − G_IS)/kB·T) at every θ; ∂ln kf/∂θ_a = −(∂G‡/∂θ_a − ∂G_IS/∂θ_a)/kB·T.

#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/mechanism/model_file.hpp"

namespace kinmap {

//! Coverage-dependent kinetics of a mechanism with [interactions]. One per thread of work:
//! evaluations share mutable workspaces (the last state's energies are cached).
class InteractingKinetics final : public Kinetics {
public:
    //! Requires mechanism.interactions; keeps a reference to `mechanism`.
    explicit InteractingKinetics(const Mechanism& mechanism);

    std::unique_ptr<Kinetics> clone() const override;

    //! Computes the zero-coverage free energies G0 at the point's temperature, descriptor
    //! values and G_ overrides once; takes the constants of coverage-independent steps from
    //! `constants`, and scales those of coverage-dependent steps by the ratio of `constants`
    //! to their zero-coverage values (1 up to rounding for rate_constants() of `conditions`;
    //! what makes the seam's ∂r/∂ln k the response to a change of a given constant). Resets
    //! the interaction strength to 1.
    void set_conditions(const Conditions& conditions, const RateConstants& constants) override;

    void rates(const double* theta, double* rf, double* rr) const noexcept override;
    void derivative(const double* theta, double* dtheta) const noexcept override;
    void jacobian(const double* theta, double* jac) const noexcept override;
    void net_rate_gradients(const double* theta, double* grad) const noexcept override;
    //! ∂r/∂ln k = r (the constant of every state scaled alike).
    void rate_sensitivities(const double* theta, double* drf_dlnkf,
                            double* drr_dlnkr) const noexcept override;
    void log_rates(const Eigen::VectorXd& u, Eigen::VectorXd& ln_rf, Eigen::VectorXd& ln_rr,
                   Eigen::MatrixXd* dln_rf_du, Eigen::MatrixXd* dln_rr_du) const override;

    bool state_dependent() const noexcept override { return true; }
    void set_interaction_strength(double lambda) override;
    void interaction_energies(const double* theta, double* out) const noexcept override;
    bool constant_derivatives(const double* theta, StateConstantDerivatives& out) const override;

    //! G_i(θ) [eV] of every species (Mechanism::species order; G0 for gases, 0 for free sites,
    //! NaN for a species no species-energy step reads) and, if `dG` is not null, ∂G_i/∂θ_k,
    //! n_species × n_state.
    void free_energies(const double* theta, Eigen::VectorXd& G, Eigen::MatrixXd* dG) const;
    //! kf, kr of every step at `theta` [1/s, pressures in bar, without the pressure factors].
    void constants_at(const double* theta, std::vector<double>& kf, std::vector<double>& kr) const;

private:
    struct Term {
        std::int32_t species;      // species index
        std::int32_t position;     // state position, or -1 (gas)
        std::int32_t coefficient;
    };
    struct StepData {
        bool coverage_dependent = false;  // species energies
        std::int32_t ts = -1;             // species index of the transition state
        std::vector<Term> initial, final;
        double g0_is = 0.0, g0_fs = 0.0, g0_ts = 0.0;  // zero-coverage sums [eV]
        double ln_p_f = 0.0, ln_p_r = 0.0;            // ln Π p^ν of each side
        double ln_kf_fixed = 0.0, ln_kr_fixed = 0.0;  // ln of the constants given
        double offset_f = 0.0, offset_r = 0.0;        // given over zero-coverage, in ln
    };
    enum class Top : std::uint8_t { initial, transition, final };

    // Energies and ln k (with pressure factors) with their θ-gradients at θ, cached.
    void evaluate(const double* theta) const noexcept;
    //! Forward and reverse rate of step j at `theta` from the cached ln k (after evaluate()).
    void step_rates(std::size_t j, const double* theta, double& rf, double& rr) const noexcept;
    // G‡ of step j from the current ΔG, with its top.
    void top_of(const StepData& d, const double* g0, double& g_is, double& g_fs, double& g_top,
                Top& top) const noexcept;

    const Mechanism* mechanism_;
    const Interactions* interactions_;
    int n_species_ = 0;
    std::vector<StepData> steps_;
    std::vector<std::int32_t> position_of_;  // species index -> state position or -1
    std::vector<std::int32_t> energetic_;    // adsorbates and transition states (species indices)
    // Per site type: the state positions of its adsorbates.
    std::vector<std::vector<std::int32_t>> site_adsorbates_;
    std::vector<std::int32_t> site_of_species_;
    // Dense ε rows restricted to each species' site adsorbates: eps_row_[i][q] for the q-th
    // adsorbate of its site type.
    std::vector<std::vector<double>> eps_row_;
    Eigen::MatrixXd order_f_, order_r_;  // surface reaction orders, n_steps × n_state
    double temperature_K_ = 0.0, kT_ = 0.0, ln_prefactor_ = 0.0, lambda_ = 1.0;
    std::vector<double> g0_;                 // G0 per species [eV]
    std::vector<double> g0_plus_, g0_minus_;  // at T ± kTemperatureStep_K, for ∂ln k/∂T
    std::vector<double> dg0_dD_;             // n_species × n_descriptors
    RateConstants fixed_;                    // the constants of set_conditions

    // Workspaces of evaluate(), valid for cache_theta_.
    mutable std::vector<double> cache_theta_;
    mutable bool cache_valid_ = false;
    mutable Eigen::VectorXd dg_;       // λ·ΔG per species
    mutable Eigen::MatrixXd ddg_;      // ∂(λ·ΔG)/∂θ, n_species × n_state
    mutable Eigen::VectorXd ln_kf_, ln_kr_;     // with pressure factors
    mutable Eigen::MatrixXd dln_kf_, dln_kr_;   // n_steps × n_state
    mutable std::vector<Top> top_;
    mutable std::vector<double> s_ads_;  // S_a of a site's adsorbates (second order)
};

//! The warnings of `kinmap check` about the interactions (part of model_warnings), at the
//! model temperature and default descriptor values, sampling the coverages of each site type
//! (each adsorbate alone from 0 to the site total in steps of 1/20, and every pair on a
//! 1/10 grid of the simplex):
//! - a step whose named transition state falls below its initial or final state at some
//!   sampled coverage although it does not at zero coverage (the barrier G(TS) − G(IS) or
//!   G(TS) − G(FS) becomes negative; the rate then follows the max rule), with the worst
//!   coverage and the numbers;
//! - an adsorbate whose interaction energy |G − G0| exceeds 3 eV at full coverage of some
//!   adsorbate (beyond the range of mean-field fits; often eV per ML mistaken for eV per
//!   adsorbate), with the number.
std::vector<Warning> interaction_warnings(const ModelFile& model);

}  // namespace kinmap
