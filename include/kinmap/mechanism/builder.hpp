#pragma once
//! \file
//! A format-free builder of a ModelFile. A reader (the TOML reader of parse_model, another
//! format, the Python module) walks its input, checks types and keys, and hands every value to
//! the builder with the place it was written; the builder owns every chemistry check (species
//! names and registry, element and site balance, duplicates, rate-constant sources, energies,
//! descriptors with their scaling and bep relations and surfaces (DESIGN §10), sites, tof_of,
//! pressures, axes and solver settings), so that each error reads
//! FILE:LINE:COLUMN: KEY: MESSAGE wherever the model came from.
//!
//! Call order: set_model, add_site..., end_sites, set_electrochemistry (optional), add_step (with its rates)..., end_steps,
//! set_tof_of, set_pressure..., add_descriptor..., species_entry / set_species...,
//! scaling_entry / set_scaling..., end_species, set_interactions, add_surface..., set_sweep, set_solver, finish.

#include <optional>
#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"

namespace kinmap {

//! Where a value was written: its location and key path (e.g. "step[2].kf").
struct Origin {
    SourceLocation where;
    std::string key;
};

//! A value with its origin.
template <class T>
struct Given {
    T value;
    Origin at;
};

//! A step's rate-constant keys as given (absent keys are nullopt).
struct StepRatesInput {
    std::optional<Given<double>> kf, kr, Ga_eV, dG_eV, site_area_m2, sticking;
    //! `bep = { alpha, beta }`: the table's origin (key "step[2].bep") and its values.
    std::optional<Origin> bep;
    std::optional<Given<double>> bep_alpha, bep_beta;
    //! DESIGN §12: per-step symmetry factor, electrochemical barrier, prefactor [1/s].
    std::optional<Given<double>> beta, Ga_echem_eV, prefactor_per_s;
};

//! The `[electrochemistry]` table as given (DESIGN §12). `pH_slope_eV` is a number or the
//! string "kT" (then `pH_slope_text`).
struct ElectrochemistryInput {
    Origin table;  //!< the table (key "electrochemistry")
    std::optional<Given<std::string>> reference, pH_slope_text;
    std::optional<Given<double>> potential_V, beta, pH, pH_slope_eV, site_density_per_cm2;
};

//! A descriptor name or a key naming one, with the number written for it.
struct NamedValue {
    Given<std::string> name;
    Given<double> value;
};

//! A `[species]` entry as given.
struct SpeciesInput {
    std::optional<Given<double>> G_eV, E_eV, mass_amu;
    //! Each list with the origin of the list and of each item.
    std::optional<Given<std::vector<Given<double>>>> frequencies_cm, rotational_constants_cm;
    std::optional<Given<long long>> symmetry, spin_multiplicity;
};

//! A `[sweep]` axis table as given.
struct AxisInput {
    Origin table;                                //!< the axis table itself (key "sweep.x")
    std::optional<Given<std::string>> pressure;  //!< the gas
    std::optional<Given<bool>> temperature;
    std::optional<Given<std::string>> energy;  //!< the species
    std::optional<Given<std::string>> descriptor;
    std::optional<Given<bool>> potential, pH;  //!< `potential = true`, `pH = true` (DESIGN §12)
    std::optional<Given<double>> from, to;
    std::optional<Given<long long>> points;
    std::optional<Given<std::string>> scale;
};

//! The `[solver]` table as given.
struct SolverInput {
    std::optional<Given<double>> t_end_s, ode_rtol, ode_atol, rtol, atol, point_time_limit_s;
    std::optional<Given<long long>> max_ode_steps, newton_max_iterations, max_rungs;
    std::optional<Given<std::string>> stepper;
    std::optional<Given<std::string>> linear_solver;  //!< "auto" | "dense" | "sparse"
    std::optional<Given<bool>> all_states;  //!< DESIGN §8
    std::optional<Given<long long>> max_states;
};

//! The `[interactions]` table as given (DESIGN §11); `eps` holds the `[interactions.eps]`
//! entries in file order, each key "A|B" with its value [eV per ML].
struct InteractionsInput {
    Origin table;  //!< the [interactions] table (key "interactions")
    std::optional<Given<std::string>> model, response, mixing, ts_rule;
    std::optional<Given<double>> slope, cutoff, smoothing, ts_weight;
    std::vector<NamedValue> eps;
};

//! Builds and validates a ModelFile from located values; every check throws InputError at the
//! origin of the value it concerns.
class ModelBuilder {
public:
    explicit ModelBuilder(ModelSource source);
    // m_ refers into model_: a move re-seats it, copies and assignments are not needed.
    ModelBuilder(ModelBuilder&& other) noexcept;
    ModelBuilder(const ModelBuilder&) = delete;
    ModelBuilder& operator=(const ModelBuilder&) = delete;
    ModelBuilder& operator=(ModelBuilder&&) = delete;
    ~ModelBuilder() = default;

    //! [model] name and temperature_K [K].
    void set_model(const Given<std::string>& name, const Given<double>& temperature_K);
    //! A site type `label` with its total fraction; `label.at` is where the label is written.
    void add_site(const Given<std::string>& label, const Given<double>& total);
    //! No more site types; `table` is the [sites] table (for "declare at least one").
    void end_sites(const Origin& table);
    //! The `[electrochemistry]` table (DESIGN §12), before the steps; without it the reserved
    //! reservoirs pe_g, ele_g, H_g, OH_g are errors.
    void set_electrochemistry(const ElectrochemistryInput& input);
    //! A step from its equation (registers its species, checks balances and duplicates) and
    //! its rate-constant source; `step_at` is the step table, `prefix` its key ("step[2]").
    void add_step(const Given<std::string>& equation, const StepRatesInput& rates,
                  const SourceLocation& step_at, const std::string& prefix);
    //! No more steps: every site type needs its free site.
    void end_steps();
    //! [model] tof_of: a gas of the steps.
    void set_tof_of(const Given<std::string>& gas);
    //! A fixed partial pressure [bar]; `gas.at` is the key, `p_bar.at` the value.
    void set_pressure(const Given<std::string>& gas, const Given<double>& p_bar);
    //! Whether `[species] name` names a species of the steps; if not, a warning at `name.at`
    //! and the entry is to be ignored (its keys unchecked).
    bool species_entry(const Given<std::string>& name);
    //! The energies and thermochemistry of a species that species_entry accepted.
    void set_species(const Given<std::string>& name, const SpeciesInput& input);
    //! A descriptor of [descriptors] with its default value [eV]; `name.at` is its key.
    void add_descriptor(const Given<std::string>& name, const Given<double>& value);
    //! Whether `[scaling] name` names a species of the steps; if not, a warning at `name.at`
    //! and the row is to be ignored.
    bool scaling_entry(const Given<std::string>& name);
    //! The scaling relation of a species that scaling_entry accepted: `constant` (`const`) and
    //! a coefficient per descriptor; `row` is the row's table.
    void set_scaling(const Given<std::string>& name, const Origin& row,
                     const std::optional<Given<double>>& constant,
                     const std::vector<NamedValue>& coefficients);
    //! No more species entries or scaling rows: steps without constants need energies for
    //! their species; a scaling row no step's rate constants read is a warning.
    void end_species();
    //! The [interactions] table (after end_species; implemented in interactions.cpp): checks
    //! every key and entry and resolves ε by mixing and the transition-state rule.
    void set_interactions(const InteractionsInput& input);
    //! One `[[surfaces]]` table: its name and a value for every descriptor; `table` is the
    //! table (key "surfaces[1]").
    void add_surface(const Origin& table, const std::optional<Given<std::string>>& name,
                     const std::vector<NamedValue>& values);
    //! The [sweep] axes; `table` is the [sweep] table. Validates each axis against the model.
    void set_sweep(const std::optional<AxisInput>& x, const std::optional<AxisInput>& y,
                   const Origin& table);
    //! The [solver] settings.
    void set_solver(const SolverInput& input);
    //! The finished model.
    ModelFile finish();

    //! The mechanism as built so far.
    const Mechanism& mechanism() const { return model_.mechanism; }

private:
    int site_index(const std::string& label) const;
    int species(const std::string& name, bool transition_state, const Origin& at);
    std::vector<StoichTerm> side(const std::string& text, const Origin& at);
    void set_rates(Step& step, const StepRatesInput& rates, const std::string& prefix);
    Axis axis(const AxisInput& input);

    ModelFile model_;
    Mechanism& m_;
};

}  // namespace kinmap
