#pragma once
//! \file
//! Every steady state of a point (DESIGN §8), stable and unstable, for any kinetics.
//!
//! Method: deflated Newton (Farrell, Birkisson & Funke, SIAM J. Sci. Comput. 37, A2026, 2015)
//! on the log-balance system of the protocol (steady_solver.hpp: unknowns u = ln θ, rows
//! ln P_i − ln C_i and ln(site sum / total)), from a deterministic set of starts that depends
//! only on the mechanism: the clean surface, each adsorbate saturating its site type, and
//! interior points of each site simplex spread log-uniformly over 6 decades (a Halton
//! sequence). Every root found is deflated: the residual R(u) is replaced by
//! M(u)·R(u), M(u) = Π_k (1/‖u − u_k‖² + 1), so that Newton from the same start is pushed away
//! from the known states towards another one. The Newton step of M·R is the plain step d₀
//! scaled by 1/(1 − ∇ln M · d₀), so the kinetics seam's log-rates and their gradients are all
//! that is needed. Each start is retried with deflation until it yields nothing new.
//!
//! A candidate is a state only if the protocol's own acceptance test passes (relative
//! residual ≤ rtol, θ ≥ 0, site balances to 1e-12), after up to three more Newton steps that
//! bring it to near machine precision. The clean-surface answer of §4 (when OK) is always the
//! first candidate, so it is among the states and marked.
//!
//! What is guaranteed: every reported state is a converged steady state, correctly
//! classified by the §2 eigenvalue test, distinct from the others by the §8 rule, and the
//! result depends only on the point's conditions (not on rank, schedule or the points solved
//! before). What is not: completeness. Deflation from these starts finds every state on the
//! shipped CO/Pt(100) model at every point tested against the closed-form reduction
//! (tests/unit/steady/all_states_test.cpp), but no finite set of starts certifies in general
//! that no state was missed (a polynomial homotopy would, for mass action; not implemented).
//! A state with a coverage of exactly 0 (a species no step can make at these conditions) has
//! no logarithm and is found only as the clean-surface answer.

#include <vector>

#include <Eigen/Core>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/point_result.hpp"
#include "kinmap/steady/steady_solver.hpp"

namespace kinmap {

//! DESIGN §8's distinctness rule: two coverage vectors are the same state unless some
//! coverage differs by more than 1e-6 relative and 1e-12 absolute.
bool same_state(const std::vector<double>& a, const std::vector<double>& b);

//! DESIGN §8's order: stable before unstable; then ascending TOF where the TOFs differ by more
//! than 1e-6 relative; otherwise the first species (in Mechanism::surface order) whose
//! coverages differ by more than 1e-6 relative decides, smaller first.
bool state_before(const SteadyState& a, const SteadyState& b);

//! Searches every steady state of the points of one mechanism; one per thread of work.
class AllStatesSearch {
public:
    //! Builds the deterministic starts of `mechanism`; keeps a reference to it.
    AllStatesSearch(const Mechanism& mechanism, const SolverSettings& settings);

    //! Every steady state at the solver's current conditions (those of the last
    //! SteadySolver::solve or set_conditions), as coverage vectors, distinct, in the order the
    //! search met them: first each of `seeds` that is a state (e.g. the clean-surface answer),
    //! then those from the starts.
    std::vector<Eigen::VectorXd> states(SteadySolver& solver,
                                        const std::vector<Eigen::VectorXd>& seeds);

    //! Fill result.states (DESIGN §8 order, at most max_states) and result.clean_state for
    //! `result`, the answer of solver.solve(conditions) just before (its conditions are the
    //! solver's current ones).
    void find(SteadySolver& solver, PointResult& result);

    //! The result entry of a converged state `theta`: TOF, rates, coverages, residual, stability.
    static SteadyState describe(SteadySolver& solver, const Eigen::VectorXd& theta);

    //! Newton iterations spent by the last states() call (a cost diagnostic).
    int last_iterations() const { return iterations_; }

private:
    //! Deflated Newton from u (ln θ) against the roots `known` (in u); true with u a state.
    bool deflated_newton(SteadySolver& solver, Eigen::VectorXd& u,
                         const std::vector<Eigen::VectorXd>& known);

    SolverSettings settings_;
    int n_ = 0;
    std::vector<Eigen::VectorXd> starts_;  // in u = ln θ
    int iterations_ = 0;
};

}  // namespace kinmap
