#pragma once
//! \file
//! Rate constants of every step at the conditions of a point.

#include <vector>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/mechanism.hpp"

namespace kinmap {

//! Forward and reverse rate constants of every step, in file order [1/s, pressures in bar].
struct RateConstants {
    std::vector<double> kf;
    std::vector<double> kr;
};

//! The rate constants of `mechanism` at `conditions`. Steps with explicit `kf`/`kr` use those
//! values whatever the temperature.
RateConstants rate_constants(const Mechanism& mechanism, const Conditions& conditions);

}  // namespace kinmap
