#pragma once
//! \file
//! Coverage-dependent adsorbate interactions of a mechanism (DESIGN.md §11): the model, the
//! response function f and the resolved interaction matrix ε [eV per monolayer; positive =
//! repulsive], as the `[interactions]` table gives them. Data only: the energies G_i(θ) and
//! their derivatives are evaluated by the kinetics (kinetics/interacting.hpp).
//!
//! Response f(t) of the total coverage t of a site type, with x0 = c − δ, x1 = c + δ and
//! α = m/(2(x1 − x0)):
//!   linear:                  f = m for t > 0, 0 otherwise;
//!   piecewise_linear:        f = 0 for t ≤ c, m(t − c)/t for t > c;
//!   smooth_piecewise_linear: f = 0 for t ≤ x0, α(t − x0)²/t for x0 < t ≤ x1, m(t − c)/t for
//!                            t > x1 (C¹ at x0 and x1).
//! Derivatives on each branch: (α(t − x0)²/t)′ = α(1 − x0²/t²), ″ = 2α·x0²/t³;
//! (m(t − c)/t)′ = m·c/t², ″ = −2m·c/t³; the constant branches have f′ = f″ = 0.

#include <string>
#include <vector>

#include "kinmap/core/error.hpp"

namespace kinmap {

//! The interaction model of `[interactions] model`.
enum class InteractionModel { first_order, second_order };
//! `[interactions] response`.
enum class InteractionResponse { linear, piecewise_linear, smooth_piecewise_linear };
//! `[interactions] mixing`: how an adsorbate pair not given is filled from the diagonal.
enum class InteractionMixing { geometric_mean, arithmetic_mean, zero };
//! `[interactions] ts_rule`: how a transition-state row entry not given is filled.
enum class TransitionStateRule { initial_state, final_state, intermediate_state, zero };

//! The response function f of one set of parameters, with its first two derivatives.
struct ResponseFunction {
    InteractionResponse kind = InteractionResponse::linear;
    double slope = 1.0;      //!< m
    double cutoff = 0.0;     //!< c [ML]
    double smoothing = 0.0;  //!< δ [ML]

    //! f(t), f′(t), f″(t) at total coverage t [ML] (f′, f″ per ML, per ML²).
    void evaluate(double t, double& f, double& df, double& d2f) const noexcept;
};

//! One explicit `[interactions.eps]` entry, as resolved to species indices.
struct InteractionEntry {
    int a = -1;            //!< species index (adsorbate or transition state)
    int b = -1;            //!< species index
    double eps_eV = 0.0;   //!< [eV per ML]
    SourceLocation where;  //!< the key
    std::string key;       //!< "interactions.eps.A|B"
};

//! The `[interactions]` of a mechanism, resolved.
struct Interactions {
    InteractionModel model = InteractionModel::first_order;
    ResponseFunction response;
    InteractionMixing mixing = InteractionMixing::geometric_mean;
    TransitionStateRule ts_rule = TransitionStateRule::intermediate_state;
    double ts_weight = 0.5;  //!< w of intermediate_state (0 for initial_state, 1 for final_state)
    //! The resolved ε [eV per ML], n_species × n_species, row-major by species index:
    //! eps[i·n + j] for i an adsorbate or transition state and j an adsorbate of the same site
    //! type (0 elsewhere: gases, free sites, other site types, transition-state columns). The
    //! adsorbate block is symmetric; a transition state's row is its own.
    std::vector<double> eps;
    std::size_t n_species = 0;
    std::vector<InteractionEntry> entries;  //!< the explicit entries, in file order
    SourceLocation where;                   //!< the [interactions] table

    //! ε between species i and j [eV per ML].
    double at(int i, int j) const {
        return eps[static_cast<std::size_t>(i) * n_species + static_cast<std::size_t>(j)];
    }
};

struct Mechanism;

//! The interaction parameters and the resolved ε matrix of `mechanism` as text for `kinmap
//! check` (one block per site type; rows adsorbates and transition states, columns adsorbates),
//! or "" without [interactions].
std::string describe_interactions(const Mechanism& mechanism);

//! The names used in the model file.
const char* to_string(InteractionModel model);
const char* to_string(InteractionResponse response);
const char* to_string(InteractionMixing mixing);
const char* to_string(TransitionStateRule rule);

}  // namespace kinmap
