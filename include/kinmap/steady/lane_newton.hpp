#pragma once
//! \file
//! The first Newton attempt of up to kLanes points in lock-step (issue 19): for each lane, what
//! SteadySolver::finish_point does first with the state a transient reached at t_end_s —
//! damped Newton on the steady-state system with linear coverages, then, where it converged,
//! the polishing step — with the arithmetic of all lanes in loops over the lanes (lanes.hpp).
//! Each lane keeps its own iteration count, line search and outcome; a lane never reads
//! another. Every operation is the scalar solver's (steady_solver.cpp: the acceptance test,
//! the row weights, the pivoted LU of small_lu.hpp, the merit summed in index order, the
//! positivity limit), so a lane's outcome, iterations and state are the scalar ones bit for
//! bit, whichever lane it ran in and whatever its companions were
//! (tests/unit/steady/lane_newton_test.cpp). The rest of the point (basin and stability
//! tests, rate control, the ladder where this attempt failed) stays scalar:
//! SteadySolver::finish_point takes the outcome as a SteadySolver::FirstNewton.

#include <array>
#include <memory>

#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/kinetics/lanes.hpp"
#include "kinmap/steady/steady_solver.hpp"

namespace kinmap {

class LaneNewton {
public:
    //! Lanes for the points of `solver` (lanes_supported() must hold); keeps a reference.
    explicit LaneNewton(const SteadySolver& solver);
    ~LaneNewton();
    LaneNewton(const LaneNewton&) = delete;
    LaneNewton& operator=(const LaneNewton&) = delete;

    //! Lane `w` takes the constants that `point` (a kinetics of the solver's mechanism) has
    //! now, and Newton's start `x0` (SteadySolver::newton_start; n_state values).
    void load(int w, const Kinetics& point, const double* x0);
    //! The first attempt on every lane in the bit mask `lanes`; each lane's result into
    //! result(w).
    void run(unsigned lanes);
    //! Lane `w`'s outcome after run().
    const SteadySolver::FirstNewton& result(int w) const { return result_[static_cast<std::size_t>(w)]; }

private:
    struct Workspace;
    //! run() on the lanes in the mask, in the version for this CPU: solve_n<n> (or <0>).
    static void solve(LaneNewton& self, unsigned lanes);
    //! The body, for N = n_state (or 0: the runtime size).
    template <int N>
    static void solve_n(LaneNewton& self, unsigned lanes);

    const SteadySolver& solver_;
    int n_;
    std::unique_ptr<LaneKinetics> lanes_;
    std::unique_ptr<Workspace> ws_;
    std::array<SteadySolver::FirstNewton, kLanes> result_;
};

}  // namespace kinmap
