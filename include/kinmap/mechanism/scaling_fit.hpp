#pragma once
//! \file
//! Linear scaling relations fitted to a table of energies per surface (`kinmap fit-scaling`):
//! the CSV reader and the least-squares fit that give the `[scaling]` rows of DESIGN §10,
//! energy = const + Σ coefficient × descriptor [eV].

#include <optional>
#include <string>
#include <vector>

namespace kinmap {

//! A table of energies per surface as read from CSV: a header row `surface,COL,COL,...` and
//! one row per surface. An empty cell is a value the table does not have (nullopt).
struct EnergyTable {
    std::string file;                   //!< the path, for located errors
    int header_line = 0;                //!< 1-based file line of the header row
    std::vector<std::string> columns;   //!< column names after `surface`
    std::vector<int> header_columns;    //!< 1-based character column of each name in the header
    std::vector<std::string> surfaces;  //!< the first cell of every row
    std::vector<int> lines;             //!< 1-based file line of every row
    std::vector<std::vector<std::optional<double>>> values;  //!< [row][column] energies [eV]
};

//! Read a CSV table of energies. Blank lines and lines starting with '#' are skipped; cells
//! are trimmed of spaces. Throws InputError (FILE:LINE:COLUMN: KEY: message) when the file
//! cannot be read, the header does not start with `surface`, a row has more or fewer cells
//! than the header, a column name repeats, or a cell is not a number.
EnergyTable read_energy_table(const std::string& path);

//! One fitted relation: energy(target) = constant + Σ coefficients[d] · descriptor[d] [eV].
struct ScalingFit {
    std::string target;                //!< the column fitted, e.g. "O-CO_2s"
    std::vector<double> coefficients;  //!< one per descriptor, in the order asked for [1]
    double constant = 0.0;             //!< [eV]
    double rms_residual_eV = 0.0;      //!< sqrt(mean(residual²)) over the surfaces used [eV]
    double max_abs_residual_eV = 0.0;  //!< max |fitted − tabulated| [eV]
    int surfaces = 0;                  //!< the number of surfaces with every value present
};

//! Ordinary least squares of y on the columns of x plus a constant (column-pivoted QR, so a
//! rank-deficient design still gives the minimum-residual fit). x[k] holds the regressors of
//! observation k; every x[k] has the same size and x.size() == y.size() >= x[0].size() + 1.
ScalingFit least_squares_fit(const std::vector<std::vector<double>>& x,
                             const std::vector<double>& y);

//! Fit every target column of the table (every column that is not a descriptor, or only those
//! named in `targets` when it is not empty) on the descriptor columns. A surface enters a
//! target's fit when its descriptors and that target are all present. Throws InputError,
//! located at the table's header, for a descriptor or target that is not a column, a target
//! that is also a descriptor, and a target with fewer surfaces than unknowns
//! (descriptors + 1).
std::vector<ScalingFit> fit_scaling(const EnergyTable& table,
                                    const std::vector<std::string>& descriptors,
                                    const std::vector<std::string>& targets = {});

//! The fits as TOML `[scaling]` rows, one per fit, each followed by a comment with its RMS
//! and max |residual| [eV] and the number of surfaces:
//!   "O-CO_2s" = { E_O = 0.829911753934, E_CO = 0.474531508866, const = 2.04509567868 }
//!   # O-CO_2s: RMS residual 0.106 eV, max |residual| 0.156 eV, 8 surfaces
//! Coefficients are written with 12 significant digits; keys that are not bare TOML keys
//! (anything but letters, digits and '_') are quoted.
std::string format_scaling_rows(const std::vector<ScalingFit>& fits,
                                const std::vector<std::string>& descriptors);

}  // namespace kinmap
