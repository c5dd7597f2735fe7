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

#include <cstddef>
#include <limits>
#include <memory>
#include <new>
#include <vector>

namespace kinmap {

class Kinetics;

//! Lanes per batch: 8 doubles are four SSE2, two AVX or one AVX-512 register per quantity.
inline constexpr int kLanes = 8;

//! One quantity of every lane: a GCC/Clang vector of kLanes doubles, whose arithmetic is
//! element-wise IEEE arithmetic (compiled to whatever packed instructions the target has, the
//! same numbers on every one of them: no operation is contracted or reordered across lanes).
//! Aligned to its size on every target (the generic target would give it 16 bytes, the
//! AVX-512 versions assume 64).
typedef double Pack __attribute__((vector_size(kLanes * sizeof(double)), aligned(kLanes * sizeof(double))));
//! The comparison result and integer companion of Pack.
typedef long long PackMask __attribute__((vector_size(kLanes * sizeof(long long)), aligned(kLanes * sizeof(long long))));

//! Heap storage aligned as a Pack: a template argument drops the alignment of the type, so
//! std::vector<Pack>'s allocator would not know it.
template <class T>
struct PackAllocator {
    using value_type = T;
    static constexpr std::align_val_t alignment{alignof(Pack)};
    PackAllocator() = default;
    template <class U>
    PackAllocator(const PackAllocator<U>& /*other*/) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
    void deallocate(T* p, std::size_t /*n*/) noexcept { ::operator delete(p, alignment); }
    friend bool operator==(const PackAllocator&, const PackAllocator&) { return true; }
    friend bool operator!=(const PackAllocator&, const PackAllocator&) { return false; }
};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
//! n packs, aligned.
using PackVector = std::vector<Pack, PackAllocator<Pack>>;
#pragma GCC diagnostic pop

// (GCC notes that returning a 64-byte vector changes the calling convention under AVX-512:
// these are inline and never cross a library boundary.)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
//! |a| element-wise, exactly std::abs (the sign bit cleared).
__attribute__((always_inline)) inline Pack abs(const Pack& a) {
    const PackMask magnitude = (PackMask)a & (PackMask{} + std::numeric_limits<long long>::max());
    return (Pack)magnitude;
}
//! std::max(a, b) element-wise: (a < b) ? b : a.
__attribute__((always_inline)) inline Pack max(const Pack& a, const Pack& b) { return a < b ? b : a; }
#pragma GCC diagnostic pop

//! On x86-64 the lanes' hot loops are compiled three times, for AVX-512, AVX2 and the generic
//! target, and the loader picks the best one this CPU has (GCC's target_clones): one binary
//! runs everywhere, and a Pack operation is one instruction where the CPU allows. The numbers
//! are the same in every version (IEEE element-wise arithmetic; the project builds with
//! -ffp-contract=off, so no version fuses a multiply and an add).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(KINMAP_NO_LANE_CLONES)
#define KINMAP_LANE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KINMAP_LANE_CLONES
#endif

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
    //! Forward and reverse rates of every step (Kinetics::rates): n_steps packs each.
    virtual void rates(const Pack* theta, Pack* rf, Pack* rr) const noexcept = 0;
    //! Gross flux through each state species (Kinetics::gross_flux): n_state packs.
    virtual void gross_flux(const Pack* rf, const Pack* rr, Pack* flux) const noexcept = 0;
};

}  // namespace kinmap
