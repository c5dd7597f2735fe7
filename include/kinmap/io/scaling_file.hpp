#pragma once
//! \file
//! The output file of `kinmap scaling` (DESIGN.md §7): the `/scaling` group of an HDF5 file
//! (attributes describing where the study ran, `/scaling/runs` with one row per timed sweep,
//! `/scaling/summary` with one row per (mode, schedule, ranks), `/scaling/point_costs_s`) and
//! the same summary as a CSV beside it. tests/regression/scaling_study.py and plots/scaling.py
//! read these names. The study itself (src/driver) fills the structs below; only this module
//! calls HDF5.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kinmap::io {

//! Attributes of `/scaling`: the machine, the job and the build.
struct ScalingEnvironment {
    std::string host;
    int physical_cores = 0;
    int logical_cores = 0;
    int job_ranks = 0;            //!< ranks of the whole mpirun
    bool oversubscribed = false;  //!< job_ranks > physical_cores
    std::string mpi_library, compiler, compiler_flags, kinmap_version;
    std::string model_hash, model;  //!< content hash and [model] name of the input
    double latency_s = 0.0;         //!< half a round trip of an empty message, ranks 0 and 1 [s]
};

//! One timed sweep: a row of `/scaling/runs`.
struct ScalingRun {
    std::string mode, schedule;
    int ranks = 0, repeat = 0;
    std::int64_t points = 0;
    double wall_s = 0;                            //!< wall time of the sweep [s]
    std::vector<double> compute_s, wait_s, io_s;  //!< per rank of the sweep [s]
};

//! One row of the summary, per (mode, schedule, ranks): a row of `/scaling/summary`.
struct ScalingSummaryRow {
    std::string mode, schedule;
    int ranks = 0;
    std::int64_t points = 0;
    double wall_median_s = 0, wall_min_s = 0, wall_max_s = 0;  //!< over the repeats [s]
    double points_per_s = 0;                                   //!< points / wall_median_s [1/s]
    double speedup = 0, efficiency = 0, load_balance = 0, karp_flatt = 0;  //!< dimensionless
    double simulated_wall_s = 0;  //!< the simulator's prediction for this rank count [s]
    bool simulated = false;       //!< a prediction, not a measurement
};

//! Write (replacing) the HDF5 file `path` with the `/scaling` group: `runs` as columns of
//! `/scaling/runs` (per-rank times as [runs, max_ranks] matrices, NaN beyond a run's ranks),
//! `summary` as columns of `/scaling/summary`, and the per-point costs of the 1-rank strong
//! runs as `/scaling/point_costs_s`. Every numeric dataset is f64 with a `units` attribute
//! ("s", "1/s" or "1"). Throws IoError.
void write_scaling_file(const std::string& path, const ScalingEnvironment& environment,
                        const std::vector<ScalingRun>& runs, std::size_t max_ranks,
                        const std::vector<ScalingSummaryRow>& summary,
                        const std::vector<double>& point_costs_s);

//! Write the summary as CSV (one header line, one line per row) to `path`; the last column
//! `oversubscribed` is 1 where a row's ranks exceed `physical_cores`. The HDF5 file is the
//! record: a CSV that cannot be opened is skipped without an error.
void write_scaling_csv(const std::string& path, const std::vector<ScalingSummaryRow>& summary,
                       int physical_cores);

}  // namespace kinmap::io
