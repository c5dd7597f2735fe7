#pragma once
// The subcommands of the kinmap CLI.

#include <optional>
#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"

namespace kinmap::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitInput = 2;
inline constexpr int kExitResumable = 3;

//! The MPI rank of this process from the launcher's environment (before or without
//! MPI_Init), 0 when not launched by mpirun.
int process_rank();

//! Print "[rank r] error: MESSAGE" to stderr in one write, so that the lines of several ranks
//! never interleave.
void print_error(int rank, const std::string& message);

//! Print the model's located warnings ("[rank 0] warning: FILE:LINE:COL: KEY: message") to
//! stderr, on rank 0 only.
void print_warnings(const ModelFile& model);

struct CheckOptions {
    std::string model;
};
int run_check(const CheckOptions& options);

struct PointOptions {
    std::string model;
    std::vector<std::string> sets;
    bool json = false;
    bool all_states = false;  // --all-states (DESIGN §8)
};
int run_point(const PointOptions& options);

struct RunOptions {
    std::string model;
    std::string output;
    std::string schedule = "dynamic";
    bool resume = false;
    bool no_lanes = false;
    double deadline_s = 0.0;
    bool progress = false;
    std::string shard;  // "K/N" or empty
    double max_failed_fraction = 0.01;
    bool all_states = false;  // --all-states (DESIGN §8)
};
int run_sweep_command(const RunOptions& options, int& argc, char**& argv);

struct ScalingCommandOptions {
    std::string model;
    std::string output;
    std::vector<int> ranks = {1, 2, 4};
    int repeats = 3;
    std::vector<std::string> modes = {"strong"};
    std::vector<std::string> schedules = {"dynamic"};
    std::vector<int> simulate;
};
int run_scaling_command(const ScalingCommandOptions& options, int& argc, char**& argv);

struct MergeOptions {
    std::string output;
    std::vector<std::string> shards;
};
int run_merge(const MergeOptions& options);

struct FoldOptions {
    std::string model;
    std::string along;              // the axis, e.g. p_CO_g
    std::vector<std::string> sets;  // the other conditions
    bool json = false;
    std::optional<double> from, to;  // default: the sweep's bounds on that axis
    int scan = 0;                    // values scanned for state-count changes (0: default)
};
int run_fold(const FoldOptions& options);
int run_info(const std::string& path);

struct FitScalingOptions {
    std::string table;                     // CSV: surface,COLUMN,...
    std::vector<std::string> descriptors;  // regressor columns, e.g. E_O,E_CO
    std::vector<std::string> targets;      // columns to fit; empty: every other column
};
//! Print the [scaling] rows that fit the table's target columns on its descriptor columns.
int run_fit_scaling(const FitScalingOptions& options);

}  // namespace kinmap::app
