// The sparse LU (KLU) of large mechanisms: the factorisation itself, the stoichiometric
// structure it relies on, the RODAS4 stepper on it against the dense stepper, and the `auto`
// rule of [solver] linear_solver.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/ode/sparse_lu.hpp"
#include "kinmap/ode/transient.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

using namespace kinmap;

namespace {

std::string family(const std::string& name) {
    return std::string(KINMAP_TEST_DIR) + "/../bench/family/" + name + ".toml";
}

// A kinetics of a generated model at the given pressures [bar].
std::unique_ptr<Kinetics> kinetics_at(const ModelFile& model, double p_x, double p_h2) {
    std::unique_ptr<Kinetics> k = make_kinetics(model.mechanism);
    const Conditions c = make_conditions(model, {{"p_X_g", p_x}, {"p_H2_g", p_h2}});
    k->set_conditions(c, rate_constants(model.mechanism, c));
    return k;
}

std::vector<double> clean_surface(const Mechanism& m) {
    std::vector<double> clean(m.surface.size(), 0.0);
    clean[static_cast<std::size_t>(m.surface_position(m.find_species("*_s")))] = 1.0;
    return clean;
}

}  // namespace

TEST_CASE("SparseLu solves what the dense LU solves, refactoring on its first pivots",
          "[ode][sparse]") {
    // Arrange: a banded matrix with an arrow row and column, like a chain's stepper matrix.
    const int n = 40;
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, n);
    std::vector<char> mask(static_cast<std::size_t>(n * n), 0);
    auto set = [&](int i, int k, double v) {
        a(i, k) = v;
        mask[static_cast<std::size_t>(k * n + i)] = 1;
    };
    for (int i = 0; i < n; ++i) {
        set(i, i, 4.0 + 0.1 * i);
        if (i + 1 < n) set(i, i + 1, -1.0 - 0.01 * i);
        if (i > 0) set(i, i - 1, -2.0 + 0.02 * i);
        set(0, i, 1.0);
        set(i, n - 1, 0.5);
    }
    ode::SparseLu lu(ode::SparsityPattern::from_mask(n, mask, false));
    Eigen::VectorXd b = Eigen::VectorXd::LinSpaced(n, -1.0, 2.0);

    // Act: factor twice with a changed diagonal (the second time on the first pivots).
    for (int pass = 0; pass < 2; ++pass) {
        if (pass == 1) a.diagonal().array() += 3.0;
        REQUIRE(lu.factor(a.data()));
        Eigen::VectorXd x = b;
        lu.solve_in_place(x.data());
        const Eigen::VectorXd dense = a.partialPivLu().solve(b);
        // Assert: both backward stable on a matrix of condition ~10: agreement to ~1e3·ε.
        CHECK((x - dense).cwiseAbs().maxCoeff() <= 1e-13 * dense.cwiseAbs().maxCoeff());
    }
    CHECK(lu.full_factorizations() == 1);
    CHECK(lu.refactorizations() == 1);
}

TEST_CASE("SparseLu reports a singular or non-finite matrix instead of solving it",
          "[ode][sparse]") {
    const int n = 3;
    std::vector<char> mask(9, 1);
    ode::SparseLu lu(ode::SparsityPattern::from_mask(n, mask, false));
    Eigen::Matrix3d singular;
    singular << 1, 2, 3, 2, 4, 6, 1, 0, 1;
    CHECK_FALSE(lu.factor(singular.data()));
    Eigen::Matrix3d nonfinite = Eigen::Matrix3d::Identity();
    nonfinite(1, 2) = std::nan("");
    CHECK_FALSE(lu.factor(nonfinite.data()));
    CHECK(lu.factor(Eigen::Matrix3d::Identity().eval().data()));
}

TEST_CASE("The mass-action Jacobian structure holds every nonzero of the Jacobian",
          "[ode][sparse]") {
    // Every generated model and every shipped one without interactions, at a state where no
    // coverage is 0 (where every structural entry is numerically nonzero too).
    std::vector<std::string> paths;
    for (const char* name : {"chain_8", "chain_60", "network_12", "network_60"})
        paths.push_back(family(name));
    for (const char* name : {"co_oxidation_pt100", "syngas_rh111", "h2_oxidation_pt111"}) {
        paths.push_back(std::string(KINMAP_DATA_DIR) + "/models/" + name + ".toml");
    }
    for (const std::string& path : paths) {
        const ModelFile model = read_model_file(path);
        const Mechanism& m = model.mechanism;
        std::unique_ptr<Kinetics> k = make_kinetics(m);
        const Grid grid = make_grid(model);
        const Conditions c = GridConditions(model, grid).at(grid.size() / 2);
        k->set_conditions(c, rate_constants(m, c));
        const int n = k->n_state();
        std::vector<double> theta(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) theta[static_cast<std::size_t>(i)] = 0.5 / n * (1.0 + 0.37 * i);
        Eigen::MatrixXd jac(n, n);
        k->jacobian(theta.data(), jac.data());
        const std::vector<char> structure = k->jacobian_structure();
        int outside = 0, zero_inside = 0;
        for (int col = 0; col < n; ++col) {
            for (int row = 0; row < n; ++row) {
                const bool structural = structure[static_cast<std::size_t>(col * n + row)] != 0;
                if (!structural && jac(row, col) != 0.0) ++outside;
                if (structural && jac(row, col) == 0.0) ++zero_inside;
            }
        }
        INFO(path);
        CHECK(outside == 0);
        CHECK(zero_inside == 0);  // the structure is not merely "everything"
    }
}

TEST_CASE("The KLU stepper follows the dense stepper through a stiff transient", "[ode][sparse]") {
    // Both steppers solve the same linear systems, each backward stable: per solve they differ
    // by ~cond·ε ≈ 1e-13 relative here, and the dissipative transient does not amplify that.
    // So the step-size controller makes the same decisions (same accepted and rejected counts,
    // up to the rare flip of a decision at err ≈ 1) and the states agree to 1e-10 in site
    // fraction; a wrong factor or a missed structural entry is off by O(h·|J|), far above it.
    for (const char* name : {"chain_32", "network_60"}) {
        INFO(name);
        const ModelFile model = read_model_file(family(name));
        const std::unique_ptr<Kinetics> k = kinetics_at(model, 0.1, 1.0);
        const std::vector<double> clean = clean_surface(model.mechanism);
        ode::Transient dense(*k, ode::StepperKind::rodas4, ode::LinearSolverKind::dense);
        ode::Transient sparse(*k, ode::StepperKind::rodas4, ode::LinearSolverKind::sparse);
        dense.start(clean.data(), 1e-4, 1e-10);
        sparse.start(clean.data(), 1e-4, 1e-10);
        const int n = k->n_state();
        for (double t_end : {1e-6, 1e-3, 1.0, 10.0}) {
            REQUIRE(dense.advance_to(t_end, 200000, Deadline()) == ode::Outcome::reached);
            REQUIRE(sparse.advance_to(t_end, 200000, Deadline()) == ode::Outcome::reached);
            double worst = 0.0;
            for (int i = 0; i < n; ++i)
                worst = std::max(worst, std::abs(dense.state()[i] - sparse.state()[i]));
            INFO("t_end " << t_end << ": max |dθ| " << worst);
            CHECK(worst <= 1e-10);
            CHECK(std::abs(dense.accepted() - sparse.accepted()) <= 1 + dense.accepted() / 50);
        }
        CHECK(dense.accepted() > 50);  // a stiff transient, not a trivial one
    }
}

TEST_CASE("linear_solver auto is sparse only on large mechanisms with sparse Jacobians",
          "[ode][sparse]") {
    // Every shipped model is dense (and so keeps its results bit for bit).
    for (const char* name :
         {"co_oxidation_pt100", "co_oxidation_pt111", "co_oxidation_pt111_descriptors",
          "co_oxidation_pt111_interactions", "h2_oxidation_pt111", "her_pt111_she", "orr_pt111",
          "syngas_rh111", "syngas_rh111_interactions"}) {
        const ModelFile model =
            read_model_file(std::string(KINMAP_DATA_DIR) + "/models/" + name + ".toml");
        INFO(name);
        CHECK(ode::choose_linear_solver(*make_kinetics(model.mechanism), "auto") ==
              ode::LinearSolverKind::dense);
    }
    auto pick = [](const std::string& name, const std::string& setting) {
        const ModelFile model = read_model_file(family(name));
        return ode::choose_linear_solver(*make_kinetics(model.mechanism), setting);
    };
    // The chains are banded: sparse above the lanes' range (n > 16), dense within it.
    CHECK(pick("chain_16", "auto") == ode::LinearSolverKind::dense);
    CHECK(pick("chain_24", "auto") == ode::LinearSolverKind::sparse);
    CHECK(pick("chain_60", "auto") == ode::LinearSolverKind::sparse);
    // The networks fill in too much for KLU to win (docs/mechanism_size.md).
    CHECK(pick("network_60", "auto") == ode::LinearSolverKind::dense);
    // Explicit settings win over the rule; anything else is refused.
    CHECK(pick("chain_60", "dense") == ode::LinearSolverKind::dense);
    CHECK(pick("chain_4", "sparse") == ode::LinearSolverKind::sparse);
    CHECK_THROWS_AS(pick("chain_4", "klu"), std::invalid_argument);
    // The density behind the rule: a chain's stepper matrix is tridiagonal plus the free
    // site's row and column entries.
    const ModelFile chain = read_model_file(family("chain_60"));
    const ode::SparsityPattern p = ode::stepper_pattern(*make_kinetics(chain.mechanism));
    CHECK(p.nnz() <= 3 * 60 + 4);
    CHECK(p.density() <= ode::kSparseMaxDensity);
}

TEST_CASE("The odeint stepper has no sparse linear solver", "[ode][sparse]") {
    const ModelFile model = read_model_file(family("chain_4"));
    const std::unique_ptr<Kinetics> k = kinetics_at(model, 0.1, 1.0);
    CHECK_THROWS_AS(ode::Transient(*k, ode::StepperKind::odeint, ode::LinearSolverKind::sparse),
                    std::invalid_argument);
}
