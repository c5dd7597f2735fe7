#pragma once
//! \file
//! The built-in core-count scaling study (DESIGN.md §7): the same sweep on sub-communicators
//! of 1, 2, 4, … ranks inside one mpirun (MPI_Comm_split; ranks outside wait), repeated,
//! under each schedule; strong mode keeps the grid, weak mode grows it with the rank count.
//! Results go to the `/scaling` group of an HDF5 file and to a CSV beside it.

#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/parallel/mpi.hpp"
#include "kinmap/sweep/schedule.hpp"

namespace kinmap {

//! Options of a scaling study.
struct ScalingOptions {
    std::string output;                   //!< SCALING.h5 (CSV: same name, .csv)
    std::vector<int> ranks = {1, 2, 4};   //!< rank counts; those above the job size are skipped
    int repeats = 3;
    std::vector<std::string> modes = {"strong"};  //!< "strong" and/or "weak"
    std::vector<Schedule> schedules = {Schedule::dynamic};
    std::vector<int> simulate;            //!< rank counts to predict by simulation
};

//! One row of the summary, per (mode, schedule, ranks).
struct ScalingSummaryRow {
    std::string mode, schedule;
    int ranks = 0;
    std::int64_t points = 0;
    double wall_median_s = 0, wall_min_s = 0, wall_max_s = 0;
    double points_per_s = 0, speedup = 0, efficiency = 0, load_balance = 0, karp_flatt = 0;
    double simulated_wall_s = 0;  //!< the simulator's prediction for this rank count
    bool simulated = false;       //!< a prediction, not a measurement
};

//! Run the study. Collective: every rank of `world` must call. Returns the summary (rank 0).
std::vector<ScalingSummaryRow> run_scaling_study(const mpi::Communicator& world,
                                                 const ModelFile& model,
                                                 const ScalingOptions& options);

}  // namespace kinmap
