#pragma once
//! \file
//! Many points of one mechanism at once (issue 19): the derivative and the Jacobian of
//! kLanes states in lock-step, stored as structure of arrays, so that the loops over the lanes
//! vectorise and the latency of one point's arithmetic hides behind the others'.
//!
//! Layout: a state is n_state packs (θ_i of lane w is element w of pack i); a Jacobian is
//! column-major n_state × n_state packs (pack col·n + row). Lane w of
//! every result is computed with exactly the operations, in exactly the order, of the
//! implementation's scalar derivative() and jacobian() at lane w's state and constants: a lane
//! never reads another lane, so a point's result depends neither on its lane nor on its
//! companions, and equals the scalar path bit for bit.

#include <limits>
#include <memory>

namespace kinmap {

class Kinetics;

//! Lanes per batch: 8 doubles are four SSE2, two AVX or one AVX-512 register per quantity.
inline constexpr int kLanes = 8;

//! One quantity of every lane: a GCC/Clang vector of kLanes doubles, whose arithmetic is
//! element-wise IEEE arithmetic (compiled to whatever packed instructions the target has, the
//! same numbers on every one of them: no operation is contracted or reordered across lanes).
typedef double Pack __attribute__((vector_size(kLanes * sizeof(double))));
//! The comparison result and integer companion of Pack.
typedef long long PackMask __attribute__((vector_size(kLanes * sizeof(long long))));

// (GCC notes that returning a 64-byte vector changes the calling convention under AVX-512:
// these are inline and never cross a library boundary.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
//! |a| element-wise, exactly std::abs (the sign bit cleared).
inline Pack abs(const Pack& a) {
    const PackMask magnitude = (PackMask)a & (PackMask{} + std::numeric_limits<long long>::max());
    return (Pack)magnitude;
}
//! std::max(a, b) element-wise: (a < b) ? b : a.
inline Pack max(const Pack& a, const Pack& b) { return a < b ? b : a; }
#pragma GCC diagnostic pop

//! The lane form of one Kinetics (Kinetics::make_lanes()).
class LaneKinetics {
public:
    virtual ~LaneKinetics() = default;
    //! Lane `w` takes the constants and conditions that `point` (a kinetics of the same
    //! mechanism, its conditions set) has now.
    virtual void load(int w, const Kinetics& point) = 0;
    //! dθ/dt of every lane: `theta` and `dtheta` hold n_state packs.
    virtual void derivative(const Pack* theta, Pack* dtheta) const noexcept = 0;
    //! ∂(dθ_i/dt)/∂θ_k of every lane, column-major n_state × n_state packs.
    virtual void jacobian(const Pack* theta, Pack* jac) const noexcept = 0;
};

}  // namespace kinmap
