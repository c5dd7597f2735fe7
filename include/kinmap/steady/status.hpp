#pragma once
//! \file
//! The outcome of one point. A point that does not converge is data, never an exception.

#include <array>
#include <cstdint>
#include <string_view>

namespace kinmap {

//! Status of a point; the numeric values are stored in `/status` (u8) and never change.
enum class Status : std::uint8_t {
    ok = 0,           //!< converged, non-negative, stable steady state
    ode_fail = 1,     //!< the transient hit its step cap or step-size floor on every rung
    newton_fail = 2,  //!< Newton did not meet the relative residual test on any rung
    not_steady = 3,   //!< converged states were all unstable (saddles): no attractor found
    nonfinite = 4,    //!< a NaN or Inf appeared in the state or the rates
    timeout = 5,      //!< the per-point wall-clock limit ran out
    not_run = 6,      //!< not computed (yet): the fill value of an unfinished run
};

//! Number of Status values.
inline constexpr int kStatusCount = 7;

//! Names in the order of their numeric values, as stored in the `/status` attribute `labels`.
inline constexpr std::array<std::string_view, kStatusCount> kStatusLabels = {
    "OK", "ODE_FAIL", "NEWTON_FAIL", "NOT_STEADY", "NONFINITE", "TIMEOUT", "NOT_RUN"};

//! The label of a status, e.g. "OK".
constexpr std::string_view to_string(Status s) {
    return kStatusLabels[static_cast<std::size_t>(s)];
}

}  // namespace kinmap
