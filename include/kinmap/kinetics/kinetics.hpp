#pragma once
//! \file
//! The kinetics seam: the one interface through which the transient (src/ode), Newton and the
//! rate control (src/steady) get the rates of a mechanism at a surface state θ (adsorbates and
//! free sites, in Mechanism::surface order), dθ/dt, its Jacobian, the gradients of the rates
//! and their sensitivities to the rate constants.
//!
//! What is fixed by the mechanism, the stoichiometry, lives in this base class: the net change
//! ν_is of every state species in every step, the gas changes, the TOF stoichiometry, and the
//! quantities that follow from rates and stoichiometry alone (gross flux, gas production,
//! TOF). How the rates depend on the state is the implementation's: MassActionKinetics
//! (mass_action.hpp) has constant rate constants; a kinetics whose constants depend on θ
//! (coverage-dependent interactions, DESIGN §11) is a second implementation whose Jacobian,
//! gradients and log-rate gradients carry the ∂k/∂θ terms. Consumers never know which.
//!
//! Hot-path methods take raw arrays and allocate nothing: the transient calls derivative() and
//! jacobian() through one virtual call each per evaluation (~1 ns against ~100 ns of work).

#include <cstdint>
#include <memory>
#include <vector>

#include <Eigen/Core>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/lanes.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! Derivatives of the rate constants at one state for rate control (DESIGN §2, §11), where the
//! constants depend on the state: at fixed θ, per step j (file order).
struct StateConstantDerivatives {
    std::vector<double> dlnkf_dT, dlnkr_dT;  //!< ∂ln k/∂T [1/K] (NaN: explicit constants)
    //! ∂ln k/∂D_d [1/eV], column-major n_steps × n_descriptors (empty without descriptors).
    std::vector<double> dlnkf_dD, dlnkr_dD;
    //! ∂ln k_j/∂(G0_i/kB·T) for state species i with transition states fixed (the top-state
    //! rule evaluated at θ), n_steps × n_state.
    Eigen::MatrixXd dlnkf_dG0, dlnkr_dG0;
};

//! Rates of one mechanism at any surface state. One object per thread of work (clone()).
class Kinetics {
public:
    virtual ~Kinetics() = default;
    //! An independent copy with the same conditions.
    virtual std::unique_ptr<Kinetics> clone() const = 0;

    //! Number of state variables (surface species incl. free sites).
    int n_state() const noexcept { return n_state_; }
    //! Number of steps.
    int n_steps() const noexcept { return n_steps_; }
    //! Number of gases (Mechanism::gases).
    int n_gases() const noexcept { return n_gases_; }

    // ---- What the implementation defines: how the rates depend on the state.

    //! Set the conditions of a point: its temperature, pressures and axis energies, and the
    //! rate constants that rate_constants() gives for them (for a state-dependent kinetics,
    //! the constants of the clean surface). Later evaluations use them.
    virtual void set_conditions(const Conditions& conditions, const RateConstants& constants) = 0;

    //! Forward and reverse rates of every step [1/s] at state `theta`.
    virtual void rates(const double* theta, double* rf, double* rr) const noexcept = 0;

    //! dθ/dt [1/s] at `theta` into `dtheta` (n_state values).
    virtual void derivative(const double* theta, double* dtheta) const noexcept = 0;

    //! Jacobian ∂(dθ_i/dt)/∂θ_k into `jac`, column-major n_state × n_state.
    virtual void jacobian(const double* theta, double* jac) const noexcept = 0;

    //! Structural nonzeros of jacobian(), column-major n_state × n_state: entry (i, k) is 0
    //! only where ∂(dθ_i/dt)/∂θ_k vanishes at every state. For sparse factorisation of the
    //! stepper and Newton matrices (ode/sparse_lu.hpp). The default claims every entry (rate
    //! constants that depend on the state couple every species); MassActionKinetics derives
    //! it from the stoichiometry.
    virtual std::vector<char> jacobian_structure() const;

    //! ∂(r_f,s − r_r,s)/∂θ_k of every step s into `grad`, column-major n_steps × n_state.
    virtual void net_rate_gradients(const double* theta, double* grad) const noexcept = 0;

    //! Sensitivities of the rates to their own constants at `theta`: ∂r_f,s/∂ln kf_s and
    //! ∂r_r,s/∂ln kr_s (n_steps values each), where kf_s, kr_s are the constants given to
    //! set_conditions(). Rate control (DESIGN §2) perturbs exactly these.
    virtual void rate_sensitivities(const double* theta, double* drf_dlnkf,
                                    double* drr_dlnkr) const noexcept = 0;

    //! The rates in logarithmic form at u = ln θ, for Newton on the log-balance system (which
    //! reaches coverages tens of decades below 1 without underflow): ln r_f, ln r_r of every
    //! step (−inf for a rate constant of 0) and, if the pointers are not null, their
    //! gradients ∂ln r/∂u, n_steps × n_state.
    virtual void log_rates(const Eigen::VectorXd& u, Eigen::VectorXd& ln_rf, Eigen::VectorXd& ln_rr,
                           Eigen::MatrixXd* dln_rf_du, Eigen::MatrixXd* dln_rr_du) const = 0;

    // ---- Rate constants that depend on the state (DESIGN §11). The defaults are those of
    // constants that do not: MassActionKinetics keeps them.

    //! Whether the rate constants depend on the state (coverage-dependent interactions).
    virtual bool state_dependent() const noexcept { return false; }
    //! Scale the interaction energies by λ in [0, 1] for later evaluations (continuation from
    //! the interaction-free state); 1 after set_conditions. Nothing to scale by default.
    virtual void set_interaction_strength(double /*lambda*/) {}
    //! G_i(θ) − G0_i [eV] of every state species at `theta` into out[0 .. n_state) (0 for
    //! free sites; all 0 by default).
    virtual void interaction_energies(const double* theta, double* out) const noexcept;
    //! The derivatives of the rate constants at `theta` into `out` and true; false (nothing
    //! written) where the constants do not depend on the state, whose derivatives are those of
    //! rate_constants() and whose trc follows the stoichiometry.
    virtual bool constant_derivatives(const double* /*theta*/, StateConstantDerivatives& /*out*/) const {
        return false;
    }

    //! The lane form of this kinetics (lanes.hpp), or null where it has none (the points then
    //! run one at a time). A constant-coefficient kinetics has one.
    virtual std::unique_ptr<LaneKinetics> make_lanes() const { return nullptr; }

    // ---- Fixed by the stoichiometry.

    //! Net change ν_is of state species i in step s (FS − IS), n_state × n_steps.
    const Eigen::MatrixXd& net_change() const noexcept { return net_change_; }

    //! Gross flux through each species, Σ_s |ν_is|·(r_f,s + r_r,s) [1/s], the scale of the
    //! relative steady-state test, from rates computed by rates().
    void gross_flux(const double* rf, const double* rr, double* flux) const noexcept;

    //! Net rates of production of every gas [1/s per site], from rates().
    void gas_production(const double* rf, const double* rr, double* production) const noexcept;

    //! Net production of the TOF gas [1/s per site], from rates().
    double tof(const double* rf, const double* rr) const noexcept;

    //! Net stoichiometric coefficient of the TOF gas in each step (FS − IS).
    const std::vector<double>& tof_stoichiometry() const noexcept { return tof_stoichiometry_; }

protected:
    explicit Kinetics(const Mechanism& mechanism);
    Kinetics(const Kinetics&) = default;
    Kinetics& operator=(const Kinetics&) = default;

    //! A net change of one species in one step, for sparse loops over a step's changes.
    struct Change {
        std::int32_t position;  //!< index into the state (or into the gases)
        double nu;              //!< net stoichiometric change of that species in the step
    };
    //! Changes of step s: change_[change_begin_[s] .. change_begin_[s + 1]).
    std::vector<Change> change_;
    std::vector<std::int32_t> change_begin_;

private:
    int n_state_ = 0;
    int n_steps_ = 0;
    int n_gases_ = 0;
    int tof_gas_ = -1;
    std::vector<Change> gas_change_;
    std::vector<std::int32_t> gas_change_begin_;
    std::vector<double> tof_stoichiometry_;
    Eigen::MatrixXd net_change_;
};

//! The kinetics a mechanism calls for: InteractingKinetics (interacting.hpp) for a mechanism
//! with [interactions], MassActionKinetics otherwise; the one place that chooses.
std::unique_ptr<Kinetics> make_kinetics(const Mechanism& mechanism);

}  // namespace kinmap
