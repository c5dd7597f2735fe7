#pragma once
//! \file
//! A whole model file (DESIGN.md §3) as read: the chemistry (Mechanism) and what the file
//! adds around it: the fixed pressures, the sweep, the solver settings, the `[[surfaces]]` of
//! a volcano map, the source text and the warnings found while reading.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/mechanism/axis.hpp"
#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! Where a model came from.
struct ModelSource {
    std::string path;  //!< the file it was read from (used in messages)
    std::string text;  //!< the file verbatim
};

//! The conditions of the model file that are not chemistry: the `[pressures]` table. (The
//! model temperature is the Mechanism's: explicit constants belong to it.)
struct BaseConditions {
    std::vector<std::optional<double>> pressure_bar;  //!< per entry of Mechanism::gases [bar]
};

//! The `[sweep]` table: axis x, and y (AxisKind::none for a 1-D sweep).
struct Sweep {
    Axis x;
    Axis y;
};

//! Settings of the per-point protocol (DESIGN.md §4), from the optional `[solver]` table.
struct SolverSettings {
    double t_end_s = 10.0;        //!< end of the first clean-surface transient [s]
    double ode_rtol = 1e-4;       //!< relative error tolerance of the stiff integrator
    double ode_atol = 1e-10;      //!< absolute error tolerance of the stiff integrator [fraction]
    double rtol = 1e-8;           //!< steady state: |dθ/dt| <= rtol·(gross flux) + atol
    double atol = 1e-100;         //!< steady state absolute floor [1/s]
    long max_ode_steps = 200000;  //!< cap on step attempts per transient stretch
    int newton_max_iterations = 60;  //!< cap per Newton attempt
    int max_rungs = 8;  //!< retry-ladder rungs (each continues the transient 1e3x longer)
    double point_time_limit_s = 60.0;  //!< wall-clock limit per point [s]; 0 = none (TIMEOUT)
    std::string stepper = "rodas4";    //!< "rodas4" (Eigen, default) or "odeint" (rosenbrock4)
    //! LU of the stepper and Newton: "auto" (sparse for large, sparse mechanisms:
    //! ode::choose_linear_solver), "dense" or "sparse" (KLU; the rodas4 stepper only).
    std::string linear_solver = "auto";
    //! Find every steady state of each point too (DESIGN §8); `--all-states` also sets it.
    bool all_states = false;
    int max_states = 4;  //!< at most this many states kept per point (DESIGN §8), 1 … 64
};

//! A located remark about a model that is valid but probably not what was meant.
struct Warning {
    SourceLocation where;
    std::string key;
    std::string message;
    //! "FILE:LINE:COLUMN: KEY: MESSAGE", as InputError::what().
    std::string text() const;
};

//! One entry of the optional `[[surfaces]]` table (DESIGN §10): a named surface and its value
//! of every descriptor, for marking it on a volcano map. kinmap only validates it.
struct Surface {
    std::string name;            //!< e.g. "Pt"
    std::vector<double> values;  //!< per entry of Mechanism::descriptors [eV]
    SourceLocation where;        //!< the surface's table
};

//! A whole model file.
struct ModelFile {
    Mechanism mechanism;
    BaseConditions base;
    std::optional<Sweep> sweep;  //!< [sweep], if present
    SolverSettings solver;
    std::vector<Surface> surfaces;  //!< [[surfaces]] in file order (empty: none)
    ModelSource source;
    //! Warnings found while reading, in file order; callers decide where to print them
    //! (`check` and `point` on stderr, `run` on rank 0 only).
    std::vector<Warning> warnings;
};

//! Read and validate a model file. Throws InputError naming file:line:column and key path.
ModelFile read_model_file(const std::string& path);

//! Parse and validate model text; `path` is used in error messages only.
ModelFile parse_model(std::string_view text, const std::string& path);

}  // namespace kinmap
