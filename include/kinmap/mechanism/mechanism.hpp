#pragma once
//! \file
//! The in-memory form of a model file (DESIGN.md §3): species, site types, elementary steps
//! with their rate constants, fixed pressures, sweep axes and solver settings.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinmap/core/error.hpp"

namespace kinmap {

//! What a species name `NAME_SITE` denotes.
enum class SpeciesKind {
    gas,               //!< `NAME_g`: a gas; its partial pressure [bar] enters rate laws
    adsorbate,         //!< `NAME_s`, `NAME_2s`: an adsorbed intermediate (a state variable)
    free_site,         //!< `*_s`: an empty site of type s (a state variable of its own)
    transition_state,  //!< the middle term of `IS <-> TS -> FS`; never a state variable
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
    SourceLocation where;                 //!< where the species was first named
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
        species_energies,    //!< free energies of IS, TS and FS species from `[species]`
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
    std::optional<double> site_area_m2;  //!< with a gas in the IS: collision theory [m²]
    double sticking = 1.0;               //!< sticking (active-site) fraction for collision theory
    SourceLocation where;                //!< where the `[[step]]` table starts
};

//! A type of adsorption site.
struct SiteType {
    std::string name;       //!< the site label, e.g. "s"
    double total = 1.0;     //!< total fraction of sites of this type (sum of coverages)
    int free_species = -1;  //!< species index of its free site `*_<name>`
    SourceLocation where;
};

//! What a sweep axis varies.
enum class AxisKind {
    pressure,     //!< partial pressure of a gas [bar]; axis name `p_<gas>`
    temperature,  //!< temperature [K]; axis name `T_K`
    energy,       //!< free energy of a species [eV]; axis name `G_<species>`
    //! No quantity: the y axis of a 1-D sweep (only `[sweep] x` given), one point of value 0,
    //! named "none" with units "1" in the map file, so that /x and /y both exist.
    none,
};

//! One axis of the 2-D sweep grid.
struct Axis {
    AxisKind kind = AxisKind::pressure;
    std::string target;     //!< the gas (pressure) or species (energy) it varies; empty for T
    double from = 0.0;      //!< first grid value (in the axis's units)
    double to = 0.0;        //!< last grid value
    int points = 1;         //!< number of grid values, >= 1
    bool log_scale = true;  //!< log-spaced (true) or linearly spaced (false)
    SourceLocation where;

    //! Axis name as used by `--set` and in the HDF5 file: "p_O2_g", "T_K", "G_CO_s".
    std::string name() const;
    //! Units of the axis values: "bar", "K" or "eV".
    std::string units() const;
    //! The grid values, from `from` to `to` inclusive; a single point is `from`. Log grids are
    //! 10^e_i with e_i = (a·(n−1) + i·(b−a))/(n−1), a = log10(from), b = log10(to): where
    //! from and to are decades, every exponent that is an integer gives the decade exactly
    //! (0.1, not 0.09999999999999998); the end points are `from` and `to` exactly.
    std::vector<double> values() const;
};

//! Settings of the per-point protocol (DESIGN.md §4), from the optional `[solver]` table.
struct SolverSettings {
    double t_end_s = 10.0;       //!< end of the first clean-surface transient [s]
    double ode_rtol = 1e-4;      //!< relative error tolerance of the stiff integrator
    double ode_atol = 1e-10;     //!< absolute error tolerance of the stiff integrator [fraction]
    double rtol = 1e-8;          //!< steady state: |dθ/dt| <= rtol·(gross flux) + atol
    double atol = 1e-100;        //!< steady state absolute floor [1/s]
    long max_ode_steps = 200000; //!< cap on step attempts per transient stretch
    int newton_max_iterations = 60;  //!< cap per Newton attempt
    int max_rungs = 8;           //!< retry-ladder rungs (each continues the transient 1e3x longer)
    double point_time_limit_s = 60.0;  //!< wall-clock limit per point [s]; 0 = none (TIMEOUT)
    std::string stepper = "rodas4";    //!< "rodas4" (Eigen, default) or "odeint" (rosenbrock4)
};

//! A located remark about a model that is valid but probably not what was meant.
struct Warning {
    SourceLocation where;
    std::string key;
    std::string message;
    //! "FILE:LINE:COLUMN: KEY: MESSAGE", as InputError::what().
    std::string text() const;
};

//! A whole model file.
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
    std::vector<std::optional<double>> pressure_bar;  //!< per entry of `gases`: [pressures]
    std::optional<Axis> x;            //!< [sweep] x, if present
    std::optional<Axis> y;            //!< [sweep] y, if present
    SolverSettings solver;
    std::string path;                 //!< the file it was read from
    std::string text;                 //!< the file verbatim
    //! Warnings found while reading, in file order; callers decide where to print them
    //! (`check` and `point` on stderr, `run` on rank 0 only).
    std::vector<Warning> warnings;

    //! Index into `species` of the species named `name`, or -1.
    int find_species(std::string_view name) const;
    //! Index into `gases` of the gas species named `name`, or -1.
    int find_gas(std::string_view name) const;
    //! Position in `surface` of species index `species_index`, or -1.
    int surface_position(int species_index) const;
};

//! Why an axis of `kind` on `target` (a gas, a species or empty) cannot change this model's
//! rate constants, or "" if it can: a temperature axis needs a step whose constants come from
//! energies, an energy axis a step whose constants come from that species' free energy.
std::string axis_conflict(const Mechanism& mechanism, AxisKind kind, const std::string& target);

//! Read and validate a model file. Throws InputError naming file:line:column and key path.
Mechanism read_model_file(const std::string& path);

//! Parse and validate model text; `path` is used in error messages only.
Mechanism parse_model(std::string_view text, const std::string& path);

}  // namespace kinmap
