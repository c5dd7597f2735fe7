#pragma once
//! \file
//! Up to kLanes clean-surface transients of one mechanism in lock-step (issue 19): each lane is
//! an independent RODAS4 integration of its own point, with its own step size, controller,
//! attempt cap and deadline; every round, each busy lane makes one step attempt, and the
//! arithmetic of all lanes runs in loops over the lanes (structure of arrays, lanes.hpp) that
//! compile to packed SIMD code. A lane that finishes is handed to a scalar Transient, which
//! continues it (Newton, the retry ladder) bit for bit as if it had integrated alone, and the
//! lane takes the next point: lanes never wait for a slow companion.
//!
//! A lane repeats exactly the scalar rodas4 stepper's operations (rodas4.cpp: the tableau,
//! the pivoted LU, the substitutions, the error norm and the controller) and Transient::
//! advance_to's step loop, so its trajectory is the scalar one bit for bit, whichever lane it
//! runs in and whatever its companions are (tests/unit/ode/lane_transient_test.cpp).

#include <array>
#include <chrono>
#include <memory>
#include <vector>

#include "kinmap/core/deadline.hpp"
#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/ode/transient.hpp"

namespace kinmap::ode {

//! The largest mechanism (state variables) whose transients run in lanes: beyond it the
//! scalar stepper factorises with Eigen's blocked LU, which the lanes do not follow.
inline constexpr int kMaxLaneState = 16;

class LaneTransient {
public:
    //! Lanes of `kinetics`' mechanism; `kinetics.make_lanes()` must not be null (supports()).
    explicit LaneTransient(const Kinetics& kinetics);
    ~LaneTransient();
    LaneTransient(const LaneTransient&) = delete;
    LaneTransient& operator=(const LaneTransient&) = delete;

    //! Whether `kinetics` has a lane form.
    static bool supports(const Kinetics& kinetics);

    //! Start lane `w` (which must be free) as Transient::start(x0, rtol, atol) on `point` (a
    //! kinetics of the same mechanism with the point's conditions set) followed by
    //! advance_to(t_end, max_attempts, deadline).
    void start(int w, const Kinetics& point, const double* x0, double rtol, double atol, double t_end,
               long max_attempts, const Deadline& deadline);

    //! Step attempts on every busy lane until at least one of them has finished its stretch
    //! (or none is busy); returns a bit mask of the lanes that finished.
    unsigned run();

    bool busy(int w) const { return busy_[static_cast<std::size_t>(w)]; }
    //! How lane `w`'s stretch ended (once it has finished).
    Outcome outcome(int w) const { return outcome_[static_cast<std::size_t>(w)]; }
    //! Lane `w`'s share of the wall time of the rounds it took part in [s]: each round's time
    //! divided among the lanes busy in it.
    double cost_s(int w) const { return cost_s_[static_cast<std::size_t>(w)]; }
    //! Hand finished lane `w`'s integration to `transient` (Transient::restore; its kinetics
    //! must carry the lane's conditions) and free the lane.
    void hand_over(int w, Transient& transient);
    //! Free lane `w` without handing it over.
    void release(int w) { busy_[static_cast<std::size_t>(w)] = false; finished_[static_cast<std::size_t>(w)] = false; }

private:
    struct Workspace;
    //! One lock-step RODAS4 attempt of size ws_->dt on every lane (rodas4.cpp's do_step),
    //! with the error norm of each lane into ws_->err; N = n_, or 0 for a runtime size.
    template <int N>
    static void kernel(LaneTransient& self);
    //! kernel<n_> (or <0>), in the version for this CPU.
    static void step(LaneTransient& self);
    //! The controller of rodas4.cpp's try_step on every busy lane after kernel(); the
    //! accepted lanes take their new state; ws_->accept and ws_->nonfinite tell which.
    static void control(LaneTransient& self);

    int n_;
    std::unique_ptr<LaneKinetics> lanes_;
    std::unique_ptr<Workspace> ws_;
    // Per lane: the controller (rodas4.cpp) and the step loop (Transient::advance_to).
    std::array<double, kLanes> t_{}, dt_{}, rtol_{}, atol_{}, err_old_{}, dt_old_{}, t_end_{},
        dt_before_{}, cost_s_{};
    std::array<bool, kLanes> first_step_{}, last_rejected_{}, busy_{}, finished_{}, lands_{};
    std::array<long, kLanes> attempts_{}, max_attempts_{}, accepted_{}, rejected_{};
    std::array<Outcome, kLanes> outcome_{};
    std::array<Deadline, kLanes> deadline_{};
};

}  // namespace kinmap::ode
