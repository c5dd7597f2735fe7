#include "kinmap/ode/sparse_lu.hpp"

#include <klu.h>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <utility>

#include "kinmap/core/assert.hpp"

namespace kinmap::ode {

SparsityPattern SparsityPattern::from_mask(int n, const std::vector<char>& mask, bool diagonal) {
    KINMAP_ASSERT(mask.size() == static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
    SparsityPattern p;
    p.n = n;
    p.col_begin.reserve(static_cast<std::size_t>(n) + 1);
    for (int k = 0; k < n; ++k) {
        p.col_begin.push_back(p.nnz());
        for (int i = 0; i < n; ++i) {
            const std::size_t at = static_cast<std::size_t>(k) * static_cast<std::size_t>(n) +
                                   static_cast<std::size_t>(i);
            if (mask[at] != 0 || (diagonal && i == k)) p.row.push_back(i);
        }
    }
    p.col_begin.push_back(p.nnz());
    return p;
}

double SparsityPattern::density() const {
    if (n == 0) return 1.0;
    return static_cast<double>(nnz()) / (static_cast<double>(n) * static_cast<double>(n));
}

struct SparseLu::Klu {
    klu_common common{};
    klu_symbolic* symbolic = nullptr;
    klu_numeric* numeric = nullptr;
    ~Klu() {
        if (numeric != nullptr) klu_free_numeric(&numeric, &common);
        if (symbolic != nullptr) klu_free_symbolic(&symbolic, &common);
    }
};

SparseLu::SparseLu(SparsityPattern pattern)
    : pattern_(std::move(pattern)),
      values_(static_cast<std::size_t>(pattern_.nnz()), 0.0),
      klu_(std::make_unique<Klu>()) {
    klu_defaults(&klu_->common);
    // KLU takes non-const arrays but does not write them.
    klu_->symbolic =
        klu_analyze(pattern_.n, pattern_.col_begin.data(), pattern_.row.data(), &klu_->common);
    if (klu_->symbolic == nullptr) {
        throw std::runtime_error("KLU symbolic analysis failed (status " +
                                 std::to_string(klu_->common.status) + ")");
    }
}

SparseLu::~SparseLu() = default;
SparseLu::SparseLu(SparseLu&&) noexcept = default;
SparseLu& SparseLu::operator=(SparseLu&&) noexcept = default;

bool SparseLu::factor(const double* a) {
    const int n = pattern_.n;
    for (int k = 0; k < n; ++k) {
        const double* column = a + static_cast<std::ptrdiff_t>(k) * n;
        for (int p = pattern_.col_begin[static_cast<std::size_t>(k)];
             p < pattern_.col_begin[static_cast<std::size_t>(k) + 1]; ++p) {
            const double v = column[pattern_.row[static_cast<std::size_t>(p)]];
            if (!std::isfinite(v)) return false;
            values_[static_cast<std::size_t>(p)] = v;
        }
    }
    int* ap = pattern_.col_begin.data();
    int* ai = pattern_.row.data();
    klu_common& common = klu_->common;
    if (klu_->numeric != nullptr) {
        // The previous pivots, if they keep the growth near a fresh factorisation's: the step
        // size (hence the diagonal) changes by a few per cent from one step to the next.
        if (klu_refactor(ap, ai, values_.data(), klu_->symbolic, klu_->numeric, &common) != 0 &&
            common.status == KLU_OK &&
            klu_rgrowth(ap, ai, values_.data(), klu_->symbolic, klu_->numeric, &common) != 0 &&
            common.rgrowth >= kMaxGrowthLoss * growth_) {
            ++refactor_;
            return true;
        }
        klu_free_numeric(&klu_->numeric, &common);
    }
    klu_->numeric = klu_factor(ap, ai, values_.data(), klu_->symbolic, &common);
    if (klu_->numeric == nullptr || common.status != KLU_OK) {
        if (klu_->numeric != nullptr) klu_free_numeric(&klu_->numeric, &common);
        return false;
    }
    ++full_;
    growth_ = klu_rgrowth(ap, ai, values_.data(), klu_->symbolic, klu_->numeric, &common) != 0
                  ? common.rgrowth
                  : 0.0;
    return true;
}

void SparseLu::solve_in_place(double* x) {
    KINMAP_ASSERT(klu_->numeric != nullptr);
    klu_solve(klu_->symbolic, klu_->numeric, pattern_.n, 1, x, &klu_->common);
}

void SparseLu::forget_pivots() {
    if (klu_->numeric != nullptr) klu_free_numeric(&klu_->numeric, &klu_->common);
}

SparsityPattern stepper_pattern(const Kinetics& kinetics) {
    return SparsityPattern::from_mask(kinetics.n_state(), kinetics.jacobian_structure(), true);
}

LinearSolverKind choose_linear_solver(const Kinetics& kinetics, const std::string& setting) {
    if (setting == "dense") return LinearSolverKind::dense;
    if (setting == "sparse") return LinearSolverKind::sparse;
    if (setting != "auto") {
        throw std::invalid_argument("unknown linear solver '" + setting +
                                    "' (expected auto, dense or sparse)");
    }
    if (kinetics.n_state() < kSparseMinState) return LinearSolverKind::dense;
    return stepper_pattern(kinetics).density() <= kSparseMaxDensity ? LinearSolverKind::sparse
                                                                    : LinearSolverKind::dense;
}

}  // namespace kinmap::ode
