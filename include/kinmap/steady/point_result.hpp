#pragma once
//! \file
//! Everything the per-point protocol returns for one set of conditions.

#include <limits>
#include <vector>

#include "kinmap/steady/status.hpp"

namespace kinmap {

//! One steady state of a point among all of them (DESIGN §8): θ ≥ 0, site balances exact,
//! converged by the relative test of §4.4.
struct SteadyState {
    double tof = std::numeric_limits<double>::quiet_NaN();  //!< net production of tof_of [1/s]
    std::vector<double> coverage;  //!< per Mechanism::surface entry, fractions
    std::vector<double> rates;     //!< net rate of each step in file order [1/s]
    double residual = std::numeric_limits<double>::quiet_NaN();  //!< max relative residual
    bool stable = false;           //!< the eigenvalue test of DESIGN §2
};

//! The steady state of one point and how it was found. Values that do not exist (e.g. the TOF
//! of a point whose status is not OK) are NaN.
struct PointResult {
    Status status = Status::not_run;
    double tof = std::numeric_limits<double>::quiet_NaN();  //!< net production of tof_of [1/s]
    std::vector<double> coverage;  //!< per Mechanism::surface entry, fractions
    std::vector<double> rates;     //!< net rate of each step in file order [1/s]
    double residual = std::numeric_limits<double>::quiet_NaN();  //!< max relative residual
    bool stable = false;           //!< all eigenvalues of the site-reduced Jacobian Re < 0
    long ode_steps = 0;            //!< accepted + rejected integrator steps over all rungs
    int newton_iterations = 0;     //!< Newton iterations over all attempts
    double wall_time_s = 0.0;      //!< wall-clock time of the solve [s]
    //! Degree of rate control per step, ∂lnTOF/∂ln k_i at fixed K_i (empty if not computed).
    std::vector<double> drc;
    //! Thermodynamic rate control per surface species, −kB·T·∂lnTOF/∂G_s (empty if not computed).
    std::vector<double> trc;
    //! Reaction order per gas, ∂lnTOF/∂ln p_g (empty if not computed).
    std::vector<double> orders;
    //! Apparent activation energy kB·T²·∂lnTOF/∂T [eV] (NaN if not computed).
    double ea_app_eV = std::numeric_limits<double>::quiet_NaN();
    //! ∂ln TOF/∂D per descriptor of Mechanism::descriptors [1/eV] (empty if not computed).
    std::vector<double> descriptor_sensitivity;
    //! G_i(θ) − G0_i per Mechanism::surface entry at the steady state [eV] (DESIGN §11; empty
    //! without interactions).
    std::vector<double> interaction_energy_eV;
    //! Steps of the continuation in the interaction strength λ (0 → 1) that found the state;
    //! 0 when the ordinary ladder did.
    int interaction_continuation = 0;
    //! Whether every steady state was asked for (DESIGN §8); `states` means nothing otherwise.
    bool all_states = false;
    //! Every steady state found (at most SolverSettings::max_states), stable ones first, each
    //! group by ascending TOF, ties by coverages (DESIGN §8; all_states.hpp).
    std::vector<SteadyState> states;
    //! Index in `states` of the clean-surface answer above (status OK); −1 if not among them.
    int clean_state = -1;
    //! Net consumption of pe_g or ele_g per site [1/s] (DESIGN §12; NaN without it).
    double electron_rate = std::numeric_limits<double>::quiet_NaN();
    //! e·Γ·electron_rate [mA/cm²] with [electrochemistry] site_density_per_cm2 (else NaN).
    double current_density_mA_cm2 = std::numeric_limits<double>::quiet_NaN();
    //! ∂ln TOF/∂U [1/V] from the analytic rate control (NaN if not computed).
    double potential_sensitivity = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace kinmap
