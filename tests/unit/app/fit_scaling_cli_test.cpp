// `kinmap fit-scaling` as a user runs it: TOML [scaling] rows on stdout that a TOML reader
// takes back, and located errors with exit code 2.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "../../support/run_command.hpp"

using kinmap_test::run_command;

namespace {

const std::string kBinary = KINMAP_BINARY;

std::string write_table(const std::string& name, const std::string& text) {
    const std::string path =
        "/tmp/kinmap_fit_cli_" + std::to_string(::getpid()) + "_" + name + ".csv";
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("fit-scaling prints one [scaling] row and one residual comment per target", "[app]") {
    // O-CO_2s = 2 + 0.5·E_O + 0.25·E_CO exactly; O_s = E_O exactly; X_s has no value for B.
    const std::string table = write_table(
        "exact",
        "surface,E_O,E_CO,O-CO_2s,X_s\nA,0,0,2,1\nB,1,0,2.5,\nC,0,1,2.25,1.5\nD,1,1,2.75,2\n");
    const auto run = run_command(kBinary + " fit-scaling " + table + " --descriptors E_O,E_CO");
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("\"O-CO_2s\" = { E_O = 0.5, E_CO = 0.25, const = 2 }\n"
                       "# O-CO_2s: RMS residual ") != std::string::npos);
    CHECK(run.out.find(" eV, 4 surfaces\n") != std::string::npos);
    CHECK(run.out.find("\nX_s = { E_O = ") != std::string::npos);
    CHECK(run.out.find("# X_s: RMS residual ") != std::string::npos);
    CHECK(run.out.find(" eV, 3 surfaces\n") != std::string::npos);

    const auto only =
        run_command(kBinary + " fit-scaling " + table + " --descriptors E_O --targets O-CO_2s");
    REQUIRE(only.exit_code == 0);
    CHECK(only.out.find("\"O-CO_2s\" = { E_O = 0.5, const = 2.125 }\n") != std::string::npos);
    CHECK(only.out.find("X_s") == std::string::npos);
    CHECK(only.out.find("E_CO =") == std::string::npos);
}

TEST_CASE("fit-scaling errors are located and exit 2", "[app]") {
    const std::string table = write_table("bad", "surface,E_O,T_s\nA,1,2\nB,oops,4\nC,3,5\n");
    const auto bad_cell = run_command(kBinary + " fit-scaling " + table + " --descriptors E_O");
    CHECK(bad_cell.exit_code == 2);
    CHECK(bad_cell.out.empty());
    CHECK(bad_cell.err.find("[rank 0] error: " + table + ":3:3: E_O: not a number: 'oops'") !=
          std::string::npos);

    const std::string good = write_table("good", "surface,E_O,T_s\nA,1,2\nB,2,4\nC,3,5\n");
    const auto no_column = run_command(kBinary + " fit-scaling " + good + " --descriptors E_CO");
    CHECK(no_column.exit_code == 2);
    CHECK(no_column.err.find(good + ":1:1: E_CO: no such descriptor column") != std::string::npos);

    const auto missing = run_command(kBinary + " fit-scaling /nonexistent.csv --descriptors E_O");
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("/nonexistent.csv:0:0: cannot open the energy table") !=
          std::string::npos);

    const auto usage = run_command(kBinary + " fit-scaling " + table);
    CHECK(usage.exit_code == 2);
    CHECK(usage.err.find("--descriptors") != std::string::npos);
}
