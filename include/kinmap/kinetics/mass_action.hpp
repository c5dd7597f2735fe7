#pragma once
//! \file
//! Mass-action kinetics, the first implementation of the Kinetics seam (kinetics.hpp): rate
//! constants that do not depend on the state.
//!
//! Step s has r_f = kf_s · Π_IS a^ν and r_r = kr_s · Π_FS a^ν with a = p [bar] for gases and
//! a = θ for surface species; dθ_i/dt = Σ_s ν_is (r_f − r_r) with ν_is = ν_FS − ν_IS.
//! The gas pressures are folded into pseudo-first-order constants once per point
//! (set_conditions), so evaluations touch only the surface state and allocate nothing.

#include <cstdint>
#include <vector>

#include "kinmap/kinetics/kinetics.hpp"

namespace kinmap {

//! Compiled mass-action rate law of one mechanism. Cheap to copy; one per thread of work.
class MassActionKinetics final : public Kinetics {
public:
    explicit MassActionKinetics(const Mechanism& mechanism);

    std::unique_ptr<Kinetics> clone() const override;

    //! Uses constants.kf, constants.kr and conditions.pressure_bar.
    void set_conditions(const Conditions& conditions, const RateConstants& constants) override;
    //! Set the rate constants [1/s] of every step and the gas pressures [bar] (per
    //! Mechanism::gases) used by later evaluations.
    void set_conditions(const std::vector<double>& kf, const std::vector<double>& kr,
                        const std::vector<double>& pressure_bar);

    void rates(const double* theta, double* rf, double* rr) const noexcept override;
    void derivative(const double* theta, double* dtheta) const noexcept override;
    //! Analytic: each monomial's derivative, factor by factor.
    void jacobian(const double* theta, double* jac) const noexcept override;
    //! (i, k) where some step changes species i and has θ_k in its forward or reverse rate.
    std::vector<char> jacobian_structure() const override;
    void net_rate_gradients(const double* theta, double* grad) const noexcept override;
    //! ∂r/∂ln k = r: a rate is linear in its constant.
    void rate_sensitivities(const double* theta, double* drf_dlnkf,
                            double* drr_dlnkr) const noexcept override;
    //! ln r = ln k + Σ ν_k u_k, so the gradients are the reaction orders (constant).
    void log_rates(const Eigen::VectorXd& u, Eigen::VectorXd& ln_rf, Eigen::VectorXd& ln_rr,
                   Eigen::MatrixXd* dln_rf_du, Eigen::MatrixXd* dln_rr_du) const override;

    std::unique_ptr<LaneKinetics> make_lanes() const override;

private:
    friend class MassActionLanes;

    struct Factor {
        std::int32_t position;     // index into the state (surface) or into gases
        std::int32_t coefficient;  // power
    };

    // r_f and r_r of step s at θ (inlined into rates() and derivative()).
    inline void step_rates(int s, const double* theta, double& rf, double& rr) const noexcept;

    // Per step s: surface factors of r_f in fwd_[fwd_begin_[s] .. fwd_begin_[s+1]), likewise
    // for r_r and the gas factors. Flat arrays keep a step's data contiguous.
    std::vector<Factor> fwd_, rev_, fwd_gas_, rev_gas_;
    std::vector<std::int32_t> fwd_begin_, rev_begin_, fwd_gas_begin_, rev_gas_begin_;
    std::vector<double> kf_eff_, kr_eff_;
    // Surface reaction orders of r_f and r_r (n_steps × n_state) and ln kf_eff, ln kr_eff.
    Eigen::MatrixXd order_f_, order_r_;
    std::vector<double> ln_kf_, ln_kr_;
};

}  // namespace kinmap
