#pragma once
//! \file
//! The chemistry of a model (DESIGN.md §3): species, site types and elementary steps with
//! their rate constants, at the model temperature, and the descriptors with the scaling and
//! BEP relations that tie energies to them (§10). What a model file adds around it (fixed
//! pressures, the sweep, solver settings, the source text) is in model_file.hpp.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/mechanism/interactions.hpp"
#include "kinmap/mechanism/electrochemistry.hpp"

namespace kinmap {

//! What a species name `NAME_SITE` denotes.
enum class SpeciesKind {
    gas,               //!< `NAME_g`: a gas; its partial pressure [bar] enters rate laws
    adsorbate,         //!< `NAME_s`, `NAME_2s`: an adsorbed intermediate (a state variable)
    free_site,         //!< `*_s`: an empty site of type s (a state variable of its own)
    transition_state,  //!< the middle term of `IS <-> TS -> FS`; never a state variable
};

//! A linear scaling relation of DESIGN §10: energy = constant + Σ coefficient × descriptor [eV].
struct Scaling {
    double constant = 0.0;  //!< `const` [eV]
    //! (index into Mechanism::descriptors, coefficient), in the order written.
    std::vector<std::pair<int, double>> terms;
    SourceLocation where;   //!< the [scaling] row
};

//! One species of the mechanism.
struct Species {
    std::string name;     //!< full name as written, e.g. "CO_s", "*_s", "CO-O_2s", "O2_g"
    std::string formula;  //!< the NAME part: "CO", "*", "CO-O", "O2"
    SpeciesKind kind = SpeciesKind::gas;
    int site_type = -1;   //!< index into Mechanism::sites; -1 for gases
    int site_count = 0;   //!< number of sites of that type it occupies (2 for `_2s`); 0 for gases
    std::map<std::string, int> elements;  //!< element -> count, parsed from the formula
    std::optional<double> G_eV;           //!< free energy [eV] from `[species]`, if given
    //! Electronic (formation) energy [eV]; with it the free energy follows from the harmonic
    //! (adsorbates, transition states) or ideal-gas (gases) model at each temperature.
    std::optional<double> E_eV;
    std::vector<double> frequencies_cm;           //!< vibrational wavenumbers [1/cm]
    std::vector<double> rotational_constants_cm;  //!< gas rotational constants B [1/cm]
    int symmetry = 1;                             //!< gas rotational symmetry number
    int spin_multiplicity = 1;                    //!< gas electronic ground-state degeneracy
    std::optional<double> mass_amu;               //!< [amu]; default from the formula
    //! Its energy from a [scaling] row (then neither G_eV nor E_eV is set).
    std::optional<Scaling> scaling;
    //! Index of the step whose `bep` gives this transition state its energy, or -1.
    int bep_step = -1;
    //! It has a [species] entry: with `scaling` or `bep_step` its free energy is the energy
    //! plus the thermal correction of §3 (as for E_eV); without one, G = the energy.
    bool thermochemistry = false;
    //! A reserved reservoir of DESIGN §12 (pe_g, ele_g, H_g, OH_g): activity 1, its free
    //! energy from the potential and pH.
    Reservoir reservoir = Reservoir::none;
    SourceLocation where;                 //!< where the species was first named
};

//! A Brønsted–Evans–Polanyi relation of a step (DESIGN §10):
//! E(TS) = E(IS) + alpha·(E(FS) − E(IS)) + beta, with E(IS), E(FS) the summed energies of the
//! initial and final states (gases included, free sites 0).
struct Bep {
    double alpha = 0.0;
    double beta = 0.0;  //!< [eV]
    SourceLocation where;
};

//! A species with its stoichiometric coefficient on one side of a step.
struct StoichTerm {
    int species = -1;     //!< index into Mechanism::species
    int coefficient = 0;  //!< positive count of that species on this side
};

//! One elementary step; every step is reversible (`->` and `<->` alike).
//! Rates follow mass action: r_f = kf · Π_IS a^ν, r_r = kr · Π_FS a^ν, where the activity a is
//! the partial pressure [bar] for a gas and the fraction θ for a surface species.
struct Step {
    std::string equation;                //!< as written in the file
    std::vector<StoichTerm> initial;     //!< initial state (left side); each species once
    std::vector<StoichTerm> final;       //!< final state (right side); each species once
    int transition_state = -1;           //!< species index of the TS, or -1 if none is named
    //! Where the rate constants come from (DESIGN.md §3).
    enum class Source {
        explicit_constants,  //!< `kf`, `kr`
        step_energies,       //!< `Ga_eV` (or collision theory) and `dG_eV`
        species_energies,    //!< free energies of IS, TS and FS species (`[species]`,
                             //!< `[scaling]`, the step's `bep`)
    };
    Source source = Source::explicit_constants;
    double kf = 0.0;                     //!< forward rate constant [1/s] (pressures in bar)
    double kr = 0.0;                     //!< reverse rate constant [1/s] (pressures in bar)
    std::optional<double> Ga_eV;         //!< forward barrier [eV] (transition-state theory)
    std::optional<double> dG_eV;         //!< reaction free energy G(FS) − G(IS) [eV] at 1 bar
    //! With step energies: every IS and FS species has a [species] energy, and ΔG is taken
    //! from them (G(FS) − G(IS) at each temperature) rather than from `dG_eV`.
    bool dG_from_species = false;
    SourceLocation dG_where;             //!< where `dG_eV` is written (else the step)
    //! With species energies: the transition state's energy from this relation.
    std::optional<Bep> bep;
    std::optional<double> site_area_m2;  //!< with a gas in the IS: collision theory [m²]
    double sticking = 1.0;               //!< sticking (active-site) fraction for collision theory
    //! Electrons (pe_g, ele_g) the forward step consumes: IS count − FS count (DESIGN §12);
    //! a step with either reservoir is electrochemical.
    int electrons = 0;
    bool electrochemical = false;        //!< pe_g or ele_g in its initial or final state
    std::optional<double> beta;          //!< its own symmetry factor (else the model default)
    //! `Ga_echem_eV`: G_TS = Ga + β·G_FS(U) + (1 − β)·G_IS(U) [eV], then the max rule.
    std::optional<double> Ga_echem_eV;
    //! `prefactor_per_s`: replaces kB·T/h in kf and kr of an energy-based step [1/s].
    std::optional<double> prefactor_per_s;
    SourceLocation where;                //!< where the `[[step]]` table starts
};

//! A type of adsorption site.
struct SiteType {
    std::string name;       //!< the site label, e.g. "s"
    double total = 1.0;     //!< total fraction of sites of this type (sum of coverages)
    int free_species = -1;  //!< species index of its free site `*_<name>`
    SourceLocation where;
};

//! A named descriptor of a volcano map (DESIGN §10), e.g. E_O: energies of species in
//! [scaling] (and transition states of `bep` steps) move linearly with it.
struct Descriptor {
    std::string name;   //!< its own axis name for --set and [sweep], e.g. "E_O"
    double value = 0.0; //!< the default from [descriptors] [eV]
    SourceLocation where;
};

//! The chemistry of a model, whatever format it was read from.
//!
//! The model temperature stays here rather than with the fixed pressures of ModelFile: explicit
//! kf/kr are rate constants *at* that temperature (they cannot follow another one), and the
//! free energies that `check` prints and the warnings evaluate are taken there. The fixed
//! pressures are the environment of a point and live in BaseConditions.
struct Mechanism {
    std::string name;                 //!< [model] name
    double temperature_K = 0.0;       //!< [model] temperature_K [K]
    int tof_of = -1;                  //!< species index of the gas whose net production is TOF
    std::vector<Species> species;     //!< every species, in order of first appearance
    std::vector<int> gases;           //!< species indices of the gases, in order of appearance
    std::vector<int> surface;         //!< species indices of the state variables (adsorbates and
                                      //!< free sites) in order of first appearance
    std::vector<SiteType> sites;      //!< site types, in order of appearance in [sites]
    std::vector<Step> steps;          //!< steps in file order
    std::vector<Descriptor> descriptors;  //!< [descriptors] in file order (empty: none)
    //! [interactions] (DESIGN §11), if given: coverage-dependent free energies.
    std::optional<Interactions> interactions;
    //! [electrochemistry] (DESIGN §12), if present.
    std::optional<Electrochemistry> electrochemistry;

    //! Index into `species` of the species named `name`, or -1.
    int find_species(std::string_view name) const;
    //! Index into `descriptors` of the descriptor named `name`, or -1.
    int find_descriptor(std::string_view name) const;
    //! The default value of every descriptor (from [descriptors]), in order.
    std::vector<double> descriptor_defaults() const;
    //! Index into `gases` of the gas species named `name`, or -1.
    int find_gas(std::string_view name) const;
    //! Position in `surface` of species index `species_index`, or -1.
    int surface_position(int species_index) const;
};

}  // namespace kinmap
