#pragma once
//! \file
//! A discrete-event simulation of a sweep: replays measured per-point costs and a measured
//! message latency through a schedule on any number of ranks, to predict the wall time and
//! parallel efficiency beyond the machine at hand (`kinmap scaling --simulate`).
//!
//! Model (the protocol of parallel/sweep_runner): rank 0 computes from the shared counter
//! with no latency; another rank's request reaches rank 0 after `latency_s`, is served at
//! once in order of arrival, and the reply takes `latency_s` back; a worker keeps one request
//! in flight while it computes (prefetch). Static schedules need no requests. Results of a
//! worker reach rank 0 `latency_s` after the worker finishes; the run ends when rank 0 has
//! all of them and has finished its own points.

#include <cstdint>
#include <vector>

#include "kinmap/sweep/schedule.hpp"

namespace kinmap {

//! Outcome of one simulated sweep.
struct SimulatedRun {
    double wall_s = 0.0;                //!< makespan [s]
    std::vector<double> busy_s;         //!< per rank: time computing [s]
    double efficiency = 0.0;            //!< Σ costs / (ranks · wall)
    double load_balance = 0.0;          //!< mean busy / max busy
};

//! Simulate `costs_s[position]` (seconds per point, in work-list order) on `ranks` ranks.
SimulatedRun simulate_sweep(const std::vector<double>& costs_s, int ranks, Schedule schedule,
                            double latency_s, std::int64_t max_chunk = 256);

}  // namespace kinmap
