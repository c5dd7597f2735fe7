// Buffered Catch2 main for MPI tests (after HighFive's): every rank runs the session with its
// output captured; only ranks that failed print, each prefixed with its rank, one after another.
#define CATCH_CONFIG_RUNNER
#include <mpi.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char* argv[]) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0;
    int size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);

    std::ostringstream captured;
    std::streambuf* cout_buffer = std::cout.rdbuf(captured.rdbuf());
    std::streambuf* cerr_buffer = std::cerr.rdbuf(captured.rdbuf());
    int failures = Catch::Session().run(argc, argv);
    std::cout.rdbuf(cout_buffer);
    std::cerr.rdbuf(cerr_buffer);

    int any_failed = 0;
    int local_failed = failures != 0 ? 1 : 0;
    MPI_Allreduce(&local_failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    for (int r = 0; r < size; ++r) {
        if (r == rank && (failures != 0 || (rank == 0 && any_failed == 0))) {
            std::istringstream lines(captured.str());
            std::string line;
            while (std::getline(lines, line)) std::cout << "[rank " << rank << "] " << line << '\n';
            std::cout.flush();
        }
        MPI_Barrier(MPI_COMM_WORLD);
    }
    MPI_Finalize();
    return any_failed != 0 ? 1 : 0;
}
