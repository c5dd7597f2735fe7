#pragma once
//! \file
//! LU with partial pivoting, unblocked, for small dense systems (n ≤ kMaxLaneState): the
//! stepper's (rodas4.cpp), Newton's (steady_solver.cpp), and their lane forms (one elimination
//! per lane in lock-step, lane_transient.cpp and lane_newton.cpp). The scalar and the lane form
//! perform the same operations in the same order, so a lane's solution is the scalar one bit
//! for bit. Eigen's PartialPivLU is generic (blocked, with out-of-line triangular solves whose
//! summation order the lanes could not follow) and cost more than the six f evaluations of a
//! RODAS4 step at N = 3.

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <utility>

#include "kinmap/kinetics/lanes.hpp"

namespace kinmap::ode {

//! Scalar LU of an N × N matrix (Eigen::Dynamic: a runtime size): for a fixed small N fully
//! unrolled by the compiler.
template <int N>
class SmallLu {
public:
    using Matrix = Eigen::Matrix<double, N, N>;
    using Vector = Eigen::Matrix<double, N, 1>;

    void compute(const Matrix& a) {
        lu_ = a;
        const int n = static_cast<int>(lu_.rows());
        perm_.resize(n);
        for (int k = 0; k < n; ++k) {
            int pivot = k;
            double best = std::abs(lu_(k, k));
            for (int i = k + 1; i < n; ++i) {
                if (std::abs(lu_(i, k)) > best) {
                    best = std::abs(lu_(i, k));
                    pivot = i;
                }
            }
            perm_[k] = pivot;
            if (pivot != k) lu_.row(k).swap(lu_.row(pivot));
            const double inv = 1.0 / lu_(k, k);
            for (int i = k + 1; i < n; ++i) {
                const double l = lu_(i, k) * inv;
                lu_(i, k) = l;
                for (int j = k + 1; j < n; ++j) lu_(i, j) -= l * lu_(k, j);
            }
        }
    }

    //! x = LU⁻¹ x (non-finite where the matrix was singular).
    void solve_in_place(Vector& x) const {
        const int n = static_cast<int>(lu_.rows());
        if (n > 1) {  // (for N = 1 there is nothing to permute)
            for (int k = 0; k < n; ++k) {
                if (perm_[k] != k) std::swap(x[k], x[perm_[k]]);
            }
        }
        for (int i = 1; i < n; ++i) {
            for (int j = 0; j < i; ++j) x[i] -= lu_(i, j) * x[j];
        }
        for (int i = n - 1; i >= 0; --i) {
            for (int j = i + 1; j < n; ++j) x[i] -= lu_(i, j) * x[j];
            x[i] /= lu_(i, i);
        }
    }

private:
    Matrix lu_;
    Eigen::Matrix<int, N, 1> perm_;
};

//! The size of a lane kernel: N > 0 a compile-time size (loops unrolled), 0 the runtime n.
template <int N>
constexpr int size_of(int n) {
    return N > 0 ? N : n;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
//! Whether any lane of `m` is set.
__attribute__((always_inline)) inline bool any(const PackMask& m) {
    long long bits = 0;
    for (int w = 0; w < kLanes; ++w) bits |= m[w];
    return bits != 0;
}

//! a, b = b, a in the lanes of `where`: elements are moved, not computed.
__attribute__((always_inline)) inline void swap_where(const PackMask& where, Pack& a, Pack& b) {
    const Pack old_a = a;
    a = where ? b : a;
    b = where ? old_a : b;
}

//! SmallLu::compute in every lane: `lu` holds the n × n matrices column-major ((row, col) at
//! col·n + row) and is overwritten by their factors; perm[k] is each lane's pivot row of
//! elimination step k (an exact small integer).
template <int N>
__attribute__((always_inline)) inline void lane_lu_compute(int n_rt, Pack* lu, Pack* perm) {
    const int n = size_of<N>(n_rt);
    auto at = [n, lu](int row, int col) __attribute__((always_inline)) -> Pack& { return lu[static_cast<std::ptrdiff_t>(col) * n + row]; };
    for (int k = 0; k < n; ++k) {
        Pack pivot = Pack{} + static_cast<double>(k);
        Pack best = abs(at(k, k));
        for (int i = k + 1; i < n; ++i) {
            const Pack m = abs(at(i, k));
            const PackMask larger = m > best;
            best = larger ? m : best;
            pivot = larger ? Pack{} + static_cast<double>(i) : pivot;
        }
        perm[k] = pivot;
        // Rows k and pivot swapped in each lane, by selects; a row no lane pivots to is
        // skipped (the selects would leave it as it is).
        for (int i = k + 1; i < n; ++i) {
            const PackMask swap = pivot == static_cast<double>(i);
            if (!any(swap)) continue;
            for (int j = 0; j < n; ++j) swap_where(swap, at(k, j), at(i, j));
        }
        const Pack inv = 1.0 / at(k, k);
        for (int i = k + 1; i < n; ++i) {
            const Pack l = at(i, k) * inv;
            at(i, k) = l;
            for (int j = k + 1; j < n; ++j) at(i, j) -= l * at(k, j);
        }
    }
}

//! x = LU⁻¹ x in every lane (SmallLu::solve_in_place), for the factors of lane_lu_compute.
template <int N>
__attribute__((always_inline)) inline void lane_lu_solve(int n_rt, const Pack* lu, const Pack* perm, Pack* x) {
    const int n = size_of<N>(n_rt);
    auto at = [n, lu](int row, int col) __attribute__((always_inline)) -> const Pack& { return lu[static_cast<std::ptrdiff_t>(col) * n + row]; };
    for (int k = 0; k + 1 < n; ++k) {
        for (int i = k + 1; i < n; ++i) swap_where(perm[k] == static_cast<double>(i), x[k], x[i]);
    }
    for (int i = 1; i < n; ++i) {
        for (int j = 0; j < i; ++j) x[i] -= at(i, j) * x[j];
    }
    for (int i = n - 1; i >= 0; --i) {
        for (int j = i + 1; j < n; ++j) x[i] -= at(i, j) * x[j];
        x[i] /= at(i, i);
    }
}
#pragma GCC diagnostic pop

}  // namespace kinmap::ode
