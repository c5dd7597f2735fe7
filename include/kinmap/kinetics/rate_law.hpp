#pragma once
//! \file
//! Mass-action kinetics of a mechanism over its surface state θ (adsorbates and free sites,
//! in Mechanism::surface order): rates, dθ/dt and the analytic Jacobian ∂(dθ/dt)/∂θ.
//!
//! Step s has r_f = kf_s · Π_IS a^ν and r_r = kr_s · Π_FS a^ν with a = p [bar] for gases and
//! a = θ for surface species; dθ_i/dt = Σ_s ν_is (r_f − r_r) with ν_is = ν_FS − ν_IS.
//! The gas pressures are folded into pseudo-first-order constants once per point
//! (set_conditions), so evaluations touch only the surface state and allocate nothing.

#include <cstdint>
#include <vector>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! Compiled rate law of one mechanism. Cheap to copy; one per thread of work.
class RateLaw {
public:
    explicit RateLaw(const Mechanism& mechanism);

    //! Number of state variables (surface species incl. free sites).
    int n_state() const noexcept { return n_state_; }
    //! Number of steps.
    int n_steps() const noexcept { return n_steps_; }

    //! Set the rate constants [1/s] of every step and the gas pressures [bar] (per
    //! Mechanism::gases) used by later evaluations.
    void set_conditions(const std::vector<double>& kf, const std::vector<double>& kr,
                        const std::vector<double>& pressure_bar);

    //! Forward and reverse rates of every step [1/s] at state `theta`.
    void rates(const double* theta, double* rf, double* rr) const noexcept;

    //! dθ/dt [1/s] at `theta` into `dtheta` (n_state values).
    void derivative(const double* theta, double* dtheta) const noexcept;

    //! Analytic Jacobian ∂(dθ_i/dt)/∂θ_k into `jac`, column-major n_state × n_state.
    void jacobian(const double* theta, double* jac) const noexcept;

    //! Gross flux through each species, Σ_s |ν_is|·(r_f,s + r_r,s) [1/s], the scale of the
    //! relative steady-state test, from rates computed by rates().
    void gross_flux(const double* rf, const double* rr, double* flux) const noexcept;

    //! Net rates of production of every gas [1/s per site], from rates().
    void gas_production(const double* rf, const double* rr, double* production) const noexcept;

    //! Net production of the TOF gas [1/s per site], from rates().
    double tof(const double* rf, const double* rr) const noexcept;

    //! ∂(r_f,s − r_r,s)/∂θ_k of every step s into `grad`, column-major n_steps × n_state.
    void net_rate_gradients(const double* theta, double* grad) const noexcept;

    //! Net stoichiometric coefficient of the TOF gas in each step (FS − IS).
    std::vector<double> tof_stoichiometry() const;

    //! Effective forward constants with pressures folded in [1/s].
    const std::vector<double>& kf_effective() const noexcept { return kf_eff_; }
    //! Effective reverse constants with pressures folded in [1/s].
    const std::vector<double>& kr_effective() const noexcept { return kr_eff_; }

private:
    struct Factor {
        std::int32_t position;     // index into the state (surface) or into gases
        std::int32_t coefficient;  // power
    };
    struct Change {
        std::int32_t position;  // index into the state
        double nu;              // net stoichiometric change of that species in the step
    };

    // r_f and r_r of step s at θ (inlined into rates() and derivative()).
    inline void step_rates(int s, const double* theta, double& rf, double& rr) const noexcept;

    int n_state_ = 0;
    int n_steps_ = 0;
    int n_gases_ = 0;
    int tof_gas_ = -1;
    // Per step s: surface factors of r_f in fwd_[fwd_begin_[s] .. fwd_begin_[s+1]), likewise
    // for r_r, gas factors and the net changes. Flat arrays keep a step's data contiguous.
    std::vector<Factor> fwd_, rev_, fwd_gas_, rev_gas_;
    std::vector<std::int32_t> fwd_begin_, rev_begin_, fwd_gas_begin_, rev_gas_begin_;
    std::vector<Change> change_;
    std::vector<std::int32_t> change_begin_;
    std::vector<Change> gas_change_;
    std::vector<std::int32_t> gas_change_begin_;
    std::vector<double> kf_eff_, kr_eff_;
};

}  // namespace kinmap
