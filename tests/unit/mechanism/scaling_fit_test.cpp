// Scaling relations fitted by least squares (kinmap fit-scaling's library part): exact tables
// recovered, noisy ones against the closed-form fit, and located errors for bad tables.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/mechanism/scaling_fit.hpp"

using namespace kinmap;

namespace {

std::string write_table(const std::string& name, const std::string& text) {
    const std::string path =
        "/tmp/kinmap_scaling_fit_" + std::to_string(::getpid()) + "_" + name + ".csv";
    std::ofstream(path) << text;
    return path;
}

std::string error_of(const std::string& path, const std::vector<std::string>& descriptors,
                     const std::vector<std::string>& targets = {}) {
    try {
        fit_scaling(read_energy_table(path), descriptors, targets);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("an exact linear table gives back its coefficients to 1e-12", "[scaling_fit]") {
    // E(TS) = 1.833 + 0.674·E_O − 0.25·E_CO, E(other) = −0.5 + 2·E_O, at 6 scattered points.
    const double eo[] = {-0.07, 0.55, 1.07, 1.62, 2.05, 2.61};
    const double eco[] = {1.30, 1.34, 2.58, 1.70, 2.99, 3.04};
    std::string text = "surface,E_O,E_CO,O-CO_2s,other_s\n";
    for (int k = 0; k < 6; ++k) {
        char row[200];
        std::snprintf(row, sizeof row, "M%d,%.17g,%.17g,%.17g,%.17g\n", k, eo[k], eco[k],
                      1.833 + 0.674 * eo[k] - 0.25 * eco[k], -0.5 + 2.0 * eo[k]);
        text += row;
    }
    const auto fits = fit_scaling(read_energy_table(write_table("exact", text)), {"E_O", "E_CO"});

    REQUIRE(fits.size() == 2);
    CHECK(fits[0].target == "O-CO_2s");
    CHECK(std::abs(fits[0].coefficients[0] - 0.674) < 1e-12);
    CHECK(std::abs(fits[0].coefficients[1] + 0.25) < 1e-12);
    CHECK(std::abs(fits[0].constant - 1.833) < 1e-12);
    CHECK(fits[0].rms_residual_eV < 1e-12);
    CHECK(fits[0].max_abs_residual_eV < 1e-12);
    CHECK(fits[0].surfaces == 6);
    CHECK(fits[1].target == "other_s");
    CHECK(std::abs(fits[1].coefficients[0] - 2.0) < 1e-12);
    CHECK(std::abs(fits[1].coefficients[1]) < 1e-12);
    CHECK(std::abs(fits[1].constant + 0.5) < 1e-12);
}

TEST_CASE("a noisy 1-D table gives the closed-form least-squares line and its residuals",
          "[scaling_fit]") {
    const std::vector<double> x = {-1.15, -0.07, 0.15, 0.55, 1.07, 1.62, 2.61};
    const std::vector<double> y = {1.60, 3.34, 3.41, 3.79, 4.74, 5.35, 7.22};
    std::string text = "# a comment line and a blank line are skipped\n\nsurface, E_O, O-O_2s\n";
    for (std::size_t k = 0; k < x.size(); ++k)
        text += "M" + std::to_string(k) + ", " + std::to_string(x[k]) + ", " +
                std::to_string(y[k]) + "\n";
    text += "NoTS, 0.9,\n";  // an empty cell: this surface is left out of the fit
    const auto fits = fit_scaling(read_energy_table(write_table("noisy", text)), {"E_O"});

    // Closed form: slope = Sxy/Sxx, intercept = ȳ − slope·x̄.
    const double n = static_cast<double>(x.size());
    double mx = 0, my = 0;
    for (std::size_t k = 0; k < x.size(); ++k) mx += x[k] / n, my += y[k] / n;
    double sxy = 0, sxx = 0;
    for (std::size_t k = 0; k < x.size(); ++k)
        sxy += (x[k] - mx) * (y[k] - my), sxx += (x[k] - mx) * (x[k] - mx);
    const double slope = sxy / sxx;
    const double intercept = my - slope * mx;
    double ss = 0, worst = 0;
    for (std::size_t k = 0; k < x.size(); ++k) {
        const double r = intercept + slope * x[k] - y[k];
        ss += r * r;
        worst = std::max(worst, std::abs(r));
    }
    REQUIRE(fits.size() == 1);
    CHECK(fits[0].surfaces == 7);
    CHECK(fits[0].coefficients[0] == Approx(slope).epsilon(1e-12));
    CHECK(fits[0].constant == Approx(intercept).epsilon(1e-12));
    CHECK(fits[0].rms_residual_eV == Approx(std::sqrt(ss / n)).epsilon(1e-10));
    CHECK(fits[0].max_abs_residual_eV == Approx(worst).epsilon(1e-10));
    CHECK(fits[0].rms_residual_eV > 0.01);  // the table is noisy: a real residual
}

TEST_CASE("the rows print as TOML with 12 significant digits and the residual comment",
          "[scaling_fit]") {
    ScalingFit fit;
    fit.target = "O-CO_2s";
    fit.coefficients = {0.674, 0.1 + 0.2 + 1.234567890123456e-7};
    fit.constant = 1.833;
    fit.rms_residual_eV = 0.14019;
    fit.max_abs_residual_eV = 0.278;
    fit.surfaces = 8;
    ScalingFit plain = fit;
    plain.target = "O_s";
    const std::string text = format_scaling_rows({fit, plain}, {"E_O", "E_CO"});
    CHECK(text ==
          "\"O-CO_2s\" = { E_O = 0.674, E_CO = 0.300000123457, const = 1.833 }\n"
          "# O-CO_2s: RMS residual 0.14 eV, max |residual| 0.278 eV, 8 surfaces\n"
          "O_s = { E_O = 0.674, E_CO = 0.300000123457, const = 1.833 }\n"
          "# O_s: RMS residual 0.14 eV, max |residual| 0.278 eV, 8 surfaces\n");
}

TEST_CASE("bad tables are located errors naming the key", "[scaling_fit]") {
    const std::string good =
        write_table("good", "surface,E_O,E_CO,T_s\nA,1,2,3\nB,2,1,4\nC,0,0,1\nD,1,1,2\n");
    CHECK(error_of(good, {"E_X"}).rfind(good + ":1:1: E_X: no such descriptor column", 0) == 0);
    CHECK(error_of(good, {"E_O"}, {"Q_s"}).rfind(good + ":1:1: Q_s: no such target column", 0) ==
          0);
    CHECK(error_of(good, {"E_O"}, {"E_O"}).find("cannot also be a target") != std::string::npos);

    const std::string few = write_table("few", "surface,E_O,E_CO,T_s\nA,1,2,3\nB,2,1,\nC,0,0,1\n");
    CHECK(error_of(few, {"E_O", "E_CO"}).rfind(few + ":1:18: T_s: 2 surface(s)", 0) == 0);

    const std::string word = write_table("word", "surface,E_O,T_s\nA,1,2\nB, 2.5x ,4\n");
    CHECK(error_of(word, {"E_O"}).rfind(word + ":3:4: E_O: not a number: '2.5x'", 0) == 0);

    const std::string ragged = write_table("ragged", "surface,E_O,T_s\nA,1,2,3\n");
    CHECK(error_of(ragged, {"E_O"}).rfind(ragged + ":2:1: A: the row has 4 cells", 0) == 0);

    const std::string head = write_table("head", "metal,E_O,T_s\nA,1,2\n");
    CHECK(error_of(head, {"E_O"}).rfind(head + ":1:1: surface: the header row must start", 0) == 0);

    CHECK(error_of("/nonexistent/table.csv", {"E_O"}) ==
          "/nonexistent/table.csv:0:0: cannot open the energy table");
}
