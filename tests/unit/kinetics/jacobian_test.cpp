// The analytic Jacobian against central finite differences at random states of every
// shipped model, and the rate law against hand-written mass action.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/kinetics/mass_action.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;

TEST_CASE("The analytic Jacobian equals central differences at random states of every model",
          "[kinetics]") {
    std::vector<std::filesystem::path> models;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(KINMAP_DATA_DIR) + "/models")) {
        if (entry.path().extension() == ".toml") models.push_back(entry.path());
    }
    REQUIRE(!models.empty());
    std::mt19937_64 rng(20261124);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (const auto& path : models) {
        const ModelFile model = read_model_file(path.string());
    const Mechanism& m = model.mechanism;
        std::vector<AxisValue> pressures;
        for (int g : m.gases) {
            // Reserved reservoirs (DESIGN §12) have activity 1 and no pressure.
            if (m.species[static_cast<std::size_t>(g)].reservoir != Reservoir::none) continue;
            pressures.push_back({"p_" + m.species[static_cast<std::size_t>(g)].name,
                                 std::pow(10.0, -3.0 + 4.0 * unit(rng))});
        }
        const Conditions c = make_conditions(model, pressures);
        const RateConstants k = rate_constants(m, c);
        MassActionKinetics law(m);
        law.set_conditions(k.kf, k.kr, c.pressure_bar);
        const int n = law.n_state();
        std::vector<double> theta(static_cast<std::size_t>(n)), jac(static_cast<std::size_t>(n * n));
        std::vector<double> plus(static_cast<std::size_t>(n)), minus(static_cast<std::size_t>(n));
        std::vector<double> rf(m.steps.size()), rr(m.steps.size()), gross(static_cast<std::size_t>(n));
        for (int trial = 0; trial < 20; ++trial) {
            for (double& t : theta) t = std::pow(10.0, -3.0 * unit(rng));
            law.jacobian(theta.data(), jac.data());
            law.rates(theta.data(), rf.data(), rr.data());
            law.gross_flux(rf.data(), rr.data(), gross.data());
            for (int col = 0; col < n; ++col) {
                const double h = 1e-6 * theta[static_cast<std::size_t>(col)];
                std::vector<double> xp = theta, xm = theta;
                xp[static_cast<std::size_t>(col)] += h;
                xm[static_cast<std::size_t>(col)] -= h;
                const double step = xp[static_cast<std::size_t>(col)] - xm[static_cast<std::size_t>(col)];
                law.derivative(xp.data(), plus.data());
                law.derivative(xm.data(), minus.data());
                for (int row = 0; row < n; ++row) {
                    // Tolerance 1e-7 relative to the largest entry of the row, plus the rounding
                    // of the difference quotient, 8·eps·(gross flux through the species)/h:
                    // mass action is at most cubic in one coverage, so truncation is O(h²).
                    double row_scale = 0.0;
                    for (int q = 0; q < n; ++q) {
                        row_scale = std::max(row_scale, std::abs(jac[static_cast<std::size_t>(q * n + row)]));
                    }
                    const double fd = (plus[static_cast<std::size_t>(row)] -
                                       minus[static_cast<std::size_t>(row)]) / step;
                    const double analytic = jac[static_cast<std::size_t>(col * n + row)];
                    INFO(path.filename().string() << " row " << row << " col " << col);
                    const double rounding = 8.0 * 2.2e-16 * gross[static_cast<std::size_t>(row)] / h;
                    CHECK(std::abs(fd - analytic) <= 1e-7 * row_scale + rounding);
                }
            }
        }
    }
}

TEST_CASE("Rates follow mass action with pressures in bar", "[kinetics]") {
    const ModelFile model = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    const Mechanism& m = model.mechanism;
    const Conditions c = make_conditions(model, {{"p_O2_g", 0.3}, {"p_CO_g", 0.02}});
    const RateConstants k = rate_constants(m, c);
    MassActionKinetics law(m);
    law.set_conditions(k.kf, k.kr, c.pressure_bar);
    std::vector<double> theta(3);
    const auto co = static_cast<std::size_t>(m.surface_position(m.find_species("CO_s")));
    const auto o = static_cast<std::size_t>(m.surface_position(m.find_species("O_s")));
    const auto fs = static_cast<std::size_t>(m.surface_position(m.find_species("*_s")));
    theta[co] = 0.25;
    theta[o] = 0.7;
    theta[fs] = 0.05;
    std::vector<double> rf(3), rr(3), dtheta(3);
    law.rates(theta.data(), rf.data(), rr.data());
    law.derivative(theta.data(), dtheta.data());
    CHECK(rf[0] == Approx(9.0235665702533e7 * 0.02 * 0.05).epsilon(1e-15));
    CHECK(rr[0] == Approx(1.3081000299027e-5 * 0.25).epsilon(1e-15));
    CHECK(rf[1] == Approx(1.6630285069182e7 * 0.3 * 0.05 * 0.05).epsilon(1e-15));
    CHECK(rr[1] == Approx(4.3590263268081e-9 * 0.7 * 0.7).epsilon(1e-15));
    CHECK(rf[2] == Approx(1.2211523229673e9 * 0.25 * 0.7).epsilon(1e-15));
    CHECK(rr[2] == Approx(1.4803439985645e-6 * 0.01 * 0.05 * 0.05).epsilon(1e-15));
    const double r1 = rf[0] - rr[0], r2 = rf[1] - rr[1], r3 = rf[2] - rr[2];
    CHECK(dtheta[co] == Approx(r1 - r3).epsilon(1e-12));
    CHECK(dtheta[o] == Approx(2 * r2 - r3).epsilon(1e-12));
    CHECK(dtheta[fs] == Approx(-r1 - 2 * r2 + 2 * r3).epsilon(1e-12));
    CHECK(law.tof(rf.data(), rr.data()) == Approx(r3).epsilon(1e-15));
}
