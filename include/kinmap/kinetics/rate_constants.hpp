#pragma once
//! \file
//! Rate constants of every step at the conditions of a point (DESIGN.md §3).
//!
//! - explicit: `kf`, `kr` as given, at every temperature.
//! - step energies: kf = kB·T/h·exp(−Ga/kB·T) (transition-state theory), or, with
//!   `site_area_m2` and a gas in the initial state, collision theory
//!   kf = s·A·p°/√(2π·m·kB·T) per bar (s the sticking fraction, m the gas mass, p° = 1 bar);
//!   kr = kf·exp(ΔG/kB·T) from the equilibrium constant K = exp(−ΔG/kB·T).
//! - species energies: with G(IS), G(TS), G(FS) the summed free energies (free sites 0,
//!   gases at 1 bar) and G‡ = max(G(TS), G(IS), G(FS)),
//!   kf = kB·T/h·exp(−(G‡ − G(IS))/kB·T) and kr = kB·T/h·exp(−(G‡ − G(FS))/kB·T).
//!   A species' energy may come from a [scaling] relation on the descriptors and a transition
//!   state's from its step's `bep` (DESIGN §10), at the point's descriptor values;
//!   ∂ln k/∂D follows analytically through those relations and the max rule (the derivative of
//!   whichever of IS, TS, FS is the top, ties going to IS, then FS).

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/electrochemistry.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"

namespace kinmap {

//! Forward and reverse rate constants of every step, in file order [1/s, pressures in bar],
//! with their temperature derivatives ∂ln k/∂T [1/K] (NaN for explicit constants, whose
//! temperature dependence is unknown).
struct RateConstants {
    std::vector<double> kf;
    std::vector<double> kr;
    std::vector<double> dlnkf_dT;
    std::vector<double> dlnkr_dT;
    //! ∂ln kf_j/∂D_d and ∂ln kr_j/∂D_d [1/eV] for every descriptor d of Mechanism::descriptors,
    //! column-major n_steps × n_descriptors (entry j + d·n_steps); empty without descriptors.
    std::vector<double> dlnkf_dD;
    std::vector<double> dlnkr_dD;
    //! ∂ln kf_j/∂U and ∂ln kr_j/∂U [1/V] (DESIGN §12), analytic through the reservoirs, the
    //! transition state's β and the max rule; empty without [electrochemistry].
    std::vector<double> dlnkf_dU;
    std::vector<double> dlnkr_dU;
};

//! Free energies behind one step's rate constants at a temperature [eV]; NaN where the step
//! does not define them (explicit kf/kr; Ga for collision theory; G_TS without a named TS).
struct StepEnergies {
    double G_is;        //!< Σ G of the initial state (free sites 0, gases at 1 bar)
    double G_ts;        //!< G of the named transition state
    double G_fs;        //!< Σ G of the final state
    double dG;          //!< reaction free energy used for K = exp(−ΔG/kB·T)
    double Ga_forward;  //!< forward barrier
    double Ga_reverse;  //!< reverse barrier (Ga_forward − ΔG)
    bool ts_below;      //!< the named TS lies below the IS or the FS (the max rule applies)
};

//! Where a species' energy comes from (DESIGN §10).
enum class EnergySource {
    none,        //!< it has none (a species of steps with explicit or step constants only)
    free_site,   //!< 0 by convention
    species,     //!< `[species]` G_eV or E_eV
    scaling,     //!< a `[scaling]` row
    descriptor,  //!< a `[scaling]` row that is one descriptor itself (coefficient 1, const 0)
    bep,         //!< its step's `bep` relation (a transition state)
    reservoir,   //!< a reserved reservoir of DESIGN §12 (pe_g, ele_g, H_g, OH_g)
};

//! A species' energy E (G_eV, E_eV, its scaling or bep relation) and free energy G(T) [eV].
struct SpeciesEnergy {
    double E;  //!< NaN where it has none
    double G;  //!< NaN where it has none
    EnergySource source;
};

//! Energy and free energy of every species at `temperature_K` and descriptor values
//! `descriptor_eV` (per Mechanism::descriptors).
std::vector<SpeciesEnergy> species_energies(const Mechanism& mechanism, double temperature_K,
                                            const std::vector<double>& descriptor_eV);
//! As above at electrode potential and pH `electrode` (DESIGN §12); the overload above takes
//! the [electrochemistry] defaults.
std::vector<SpeciesEnergy> species_energies(const Mechanism& mechanism, double temperature_K,
                                            const std::vector<double>& descriptor_eV,
                                            const ElectrodeState& electrode);

//! Free energy of every species at `temperature_K` [eV] (NaN where a species has none), at the
//! default descriptor values.
std::vector<double> species_free_energies(const Mechanism& mechanism, double temperature_K);

//! Free energy [eV] of every species that a species-energy step reads (its IS, TS and FS), at
//! `temperature_K` and the descriptor values and G_ overrides of `conditions`; NaN for the
//! others. With `dG_dD` (not null), also ∂G/∂D_d, column-major n_species × n_descriptors.
//! These are the zero-coverage G0 of coverage-dependent interactions (DESIGN §11).
std::vector<double> free_energies_at(const Mechanism& mechanism, const Conditions& conditions,
                                     double temperature_K, std::vector<double>* dG_dD = nullptr);

//! The energies of every step at `temperature_K` and the default descriptor values, in file
//! order.
std::vector<StepEnergies> step_energies(const Mechanism& mechanism, double temperature_K);

//! The model's parse warnings followed by those that need free energies (at the model
//! temperature): a dG_eV that contradicts the species energies by more than 1e-6 eV (the
//! species win), and a transition state below its initial or final state.
std::vector<Warning> model_warnings(const ModelFile& model);

//! The thermochemistry of one mechanism's species at the last few temperatures, kept between
//! calls of rate_constants: on a map at one temperature every point needs the same harmonic,
//! translational and rotational terms (issue 19: ~10 % of a syngas point). A cache belongs to
//! the one mechanism it was first used with (checked); its values are those the function
//! computes, so results are the same bit for bit with or without it.
class ThermoCache {
public:
    //! free_energy_eV(species s, T) (kind 0) or its thermal correction, the free energy with
    //! an energy of 0 (kind 1), computed by `compute` once per (s, T, kind).
    template <class Compute>
    double get(const Mechanism& m, int s, double T, int kind, Compute&& compute);

private:
    struct Slot {
        double T = 0.0;
        std::vector<double> value;  // [2·species + kind], NaN = not computed yet
    };
    static constexpr std::size_t kSlots = 4;  // T and T ± h of the dlnk/dT differences, +1
    const Mechanism* mechanism_ = nullptr;
    std::vector<Slot> slots_;
    std::size_t next_ = 0;
};

//! The rate constants of `mechanism` at `conditions`. Throws InputError when a temperature or
//! energy axis is applied to steps whose constants do not depend on it. With `cache` (kept by
//! the caller from point to point, for this one mechanism) the thermochemistry is reused.
RateConstants rate_constants(const Mechanism& mechanism, const Conditions& conditions,
                             ThermoCache* cache = nullptr);

template <class Compute>
double ThermoCache::get(const Mechanism& m, int s, double T, int kind, Compute&& compute) {
    if (mechanism_ == nullptr) mechanism_ = &m;
    if (mechanism_ != &m) throw std::logic_error("ThermoCache: used with a second mechanism");
    const std::size_t width = 2 * m.species.size();
    Slot* slot = nullptr;
    for (Slot& candidate : slots_) {
        if (candidate.T == T) slot = &candidate;  // (exact: T is bit for bit the key)
    }
    if (slot == nullptr) {
        if (slots_.size() < kSlots) {
            slots_.emplace_back();
            slot = &slots_.back();
        } else {
            slot = &slots_[next_];
            next_ = (next_ + 1) % kSlots;
        }
        slot->T = T;
        slot->value.assign(width, std::numeric_limits<double>::quiet_NaN());
    }
    double& value = slot->value[2 * static_cast<std::size_t>(s) + static_cast<std::size_t>(kind)];
    if (std::isnan(value)) value = compute();
    return value;
}

}  // namespace kinmap
