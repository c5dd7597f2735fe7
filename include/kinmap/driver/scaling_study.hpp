#pragma once
//! \file
//! The built-in core-count scaling study (DESIGN.md §7): the same sweep on sub-communicators
//! of 1, 2, 4, … ranks inside one mpirun (MPI_Comm_split; ranks outside wait), repeated,
//! under each schedule; strong mode keeps the grid, weak mode grows it with the rank count.
//! Results go to the `/scaling` group of an HDF5 file and to a CSV beside it, written by
//! io (kinmap/io/scaling_file.hpp); the sub-communicators and the latency measurement come
//! from parallel's Communicator. Part of the driver module (run orchestration), which sits
//! above io, parallel, sweep and steady.

#include <string>
#include <vector>

#include "kinmap/io/scaling_file.hpp"
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

//! One row of the summary, per (mode, schedule, ranks); io writes it to `/scaling/summary`.
using ScalingSummaryRow = io::ScalingSummaryRow;

//! Run the study. Collective: every rank of `world` must call. Returns the summary (rank 0).
std::vector<ScalingSummaryRow> run_scaling_study(const mpi::Communicator& world,
                                                 const ModelFile& model,
                                                 const ScalingOptions& options);

}  // namespace kinmap
