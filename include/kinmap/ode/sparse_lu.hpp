#pragma once
//! \file
//! Sparse LU (SuiteSparse KLU) for the matrices of the stiff stepper and of Newton on large
//! mechanisms, and the rule that chooses it (`[solver] linear_solver`, DESIGN §3).
//!
//! The structure of those matrices is fixed by the stoichiometry (Kinetics::jacobian_structure),
//! so KLU's symbolic analysis (block triangular form, AMD ordering) runs once per SparseLu;
//! each factor() then refactors numerically with the previous pivot sequence (klu_refactor)
//! where that keeps the pivot growth within kMaxGrowthLoss of a fresh factorisation, and
//! re-pivots (klu_factor) otherwise. Callers keep dense column-major storage: factor() reads
//! the structural entries only.

#include <memory>
#include <string>
#include <vector>

#include "kinmap/kinetics/kinetics.hpp"

namespace kinmap::ode {

//! Structural nonzeros of an n × n matrix in compressed sparse columns (rows ascending).
struct SparsityPattern {
    int n = 0;
    std::vector<int> col_begin;  //!< n + 1 offsets into row
    std::vector<int> row;        //!< row index of each structural entry

    //! From a column-major n × n mask (nonzero char: structural entry); with `diagonal`, every
    //! diagonal entry is structural too.
    static SparsityPattern from_mask(int n, const std::vector<char>& mask, bool diagonal);
    //! Structural entries.
    int nnz() const { return static_cast<int>(row.size()); }
    //! nnz / n² (1 for n = 0).
    double density() const;
};

//! KLU factorisation on a fixed pattern. Not copyable (owns KLU's symbolic and numeric
//! objects); movable.
class SparseLu {
public:
    //! Symbolic analysis of `pattern` (klu_analyze).
    explicit SparseLu(SparsityPattern pattern);
    ~SparseLu();
    SparseLu(SparseLu&&) noexcept;
    SparseLu& operator=(SparseLu&&) noexcept;
    SparseLu(const SparseLu&) = delete;
    SparseLu& operator=(const SparseLu&) = delete;

    //! Factor the matrix stored densely, column-major n × n, at `a` (entries outside the
    //! pattern must be 0). False if it is singular (or non-finite): solve() is then invalid.
    bool factor(const double* a);
    //! x = A⁻¹ x for the last successful factor() (n values).
    void solve_in_place(double* x);
    //! Make the next factor() pivot afresh (klu_factor), as the first one does: a caller
    //! whose answers must not depend on what it factored before (one point of a map after
    //! another, DESIGN §5) calls this when it starts anew.
    void forget_pivots();

    int n() const { return pattern_.n; }
    const SparsityPattern& pattern() const { return pattern_; }
    //! Numeric factorisations with fresh pivoting (klu_factor) so far.
    long full_factorizations() const { return full_; }
    //! Numeric refactorisations on the previous pivots (klu_refactor) kept so far.
    long refactorizations() const { return refactor_; }

    //! A refactor is kept while its reciprocal pivot growth (klu_rgrowth) is at least this
    //! fraction of the last fresh factorisation's.
    static constexpr double kMaxGrowthLoss = 1e-2;

private:
    struct Klu;
    SparsityPattern pattern_;
    std::vector<double> values_;
    std::unique_ptr<Klu> klu_;
    double growth_ = 0.0;  // reciprocal pivot growth of the last fresh factorisation
    long full_ = 0, refactor_ = 0;
};

//! Which factorisation the stepper and Newton use.
enum class LinearSolverKind {
    dense,   //!< dense LU with partial pivoting (the only one for n ≤ kMaxLaneState)
    sparse,  //!< SparseLu (KLU) on the stoichiometric structure
};

//! `auto` picks sparse from this state size up: above the lanes' range (kMaxLaneState = 16,
//! lane_transient.hpp), which stays dense …
constexpr int kSparseMinState = 17;
//! … where the stepper matrix I/(γh) − J is at most this full. Measured on the generated
//! family (docs/mechanism_size.md): KLU wins 1.3–2.2× on the banded chains (density
//! 0.05–0.19) and loses 0.75–0.85× on the networks (0.28–0.57), whose fill-in it cannot avoid.
constexpr double kSparseMaxDensity = 0.2;

//! The stepper matrix's pattern: Kinetics::jacobian_structure() and the diagonal.
SparsityPattern stepper_pattern(const Kinetics& kinetics);

//! Resolve a `[solver] linear_solver` value ("auto", "dense" or "sparse") for `kinetics`:
//! "auto" is sparse where n_state ≥ kSparseMinState and stepper_pattern's density ≤
//! kSparseMaxDensity, dense otherwise. Throws std::invalid_argument for any other value.
LinearSolverKind choose_linear_solver(const Kinetics& kinetics, const std::string& setting);

}  // namespace kinmap::ode
