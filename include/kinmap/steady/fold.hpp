#pragma once
//! \file
//! Fold (saddle-node) points along one axis (DESIGN §8): where two steady states meet and
//! vanish, the steady-state Jacobian is singular.
//!
//! A fold is a zero of the extended system E(u, s) = (R(u; s), σ(u; s)) in the n + 1
//! unknowns u = ln θ and s (ln of the axis value for an axis of positive values, the value
//! itself otherwise): R is the log-balance system of the protocol (steady_solver.hpp), whose
//! Jacobian ∂R/∂u = diag(1/flux)·J_F·diag(θ) at a steady state is singular exactly where the
//! steady-state Jacobian J_F is; σ is the bordering scalar of
//! [∂R/∂u  b; cᵀ  0]·[w; σ] = [0; 1], which vanishes exactly where ∂R/∂u is singular (b and c
//! are the singular vectors of the smallest singular value at the start, kept fixed; Govaerts,
//! Numerical Methods for Bifurcations of Dynamical Equilibria, SIAM 2000, §3.4). Newton on E
//! with a central-difference Jacobian (its error slows convergence, not accuracy: E itself is
//! evaluated exactly) runs until the axis value moves by < 1e-13 relative.
//!
//! Starts: along the axis the number of states changes across a fold. Between two values
//! whose state counts differ, Newton starts on the side with more states, midway (in ln θ)
//! between each pair of its states, nearest pairs first; when none converges inside the
//! bracket, the bracket is bisected on the state count and Newton tried again.

#include <functional>
#include <optional>
#include <vector>

#include <Eigen/Core>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/steady_solver.hpp"

namespace kinmap {

//! One fold point.
struct FoldPoint {
    double value = 0.0;            //!< the axis value (axis units)
    double tof = 0.0;              //!< TOF of the (double) steady state there [1/s]
    std::vector<double> coverage;  //!< its coverages, per Mechanism::surface entry
};

//! The conditions of a point as a function of the axis value (the other conditions fixed).
using ConditionsAt = std::function<Conditions(double value)>;

//! Fold points along one axis, through a solver and a state search it borrows.
class FoldSearch {
public:
    //! `log_axis`: the axis takes only positive values (pressures); Newton then works in ln.
    FoldSearch(SteadySolver& solver, AllStatesSearch& search, ConditionsAt at, bool log_axis);

    //! Every steady state at axis value `value` (the clean-surface answer first), as coverages.
    std::vector<Eigen::VectorXd> states_at(double value);

    //! Newton on the extended system from state `theta` near value `value`; nothing if it does
    //! not converge to a steady state with a singular Jacobian.
    std::optional<FoldPoint> refine(double value, const Eigen::VectorXd& theta);

    //! The folds strictly between `a` and `b`, given the states there (counts that differ by
    //! 2·m mean m folds, or more), ascending by value; empty if the counts are equal.
    std::vector<FoldPoint> between(double a, std::vector<Eigen::VectorXd> states_a, double b,
                                   std::vector<Eigen::VectorXd> states_b);

    //! Every fold between `lo` and `hi`, from the state counts at `n_scan` values (log- or
    //! evenly spaced) and between(); ascending by value. Two folds closer than one scan step
    //! with equal counts outside them are not seen.
    std::vector<FoldPoint> along(double lo, double hi, int n_scan);

private:
    bool extended(const Eigen::VectorXd& z, Eigen::VectorXd& E);
    double value_of(double s) const;

    SteadySolver& solver_;
    AllStatesSearch& search_;
    ConditionsAt at_;
    bool log_axis_;
    int n_ = 0;
    Eigen::VectorXd b_, c_;
};

}  // namespace kinmap
