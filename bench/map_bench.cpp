// The C++ side of the Python module's benchmark (issue 17, bench/python_map_ab.py): one map
// of a model's [sweep] ranges with nx × ny points through the library, two ways per
// repetition: `sweep`, the serial sweep alone (the PointWorker of every scheduler) with the
// records kept in memory, no file; and `run`, run_map on one rank as `kinmap run` does after
// MPI start-up (the serial sweep, journal, HDF5 file, read-back, rename). Prints
// "sweep SECONDS POINTS" and "run SECONDS POINTS" for each repetition.
//
// Usage: map_bench MODEL.toml OUT_DIR [--nx N --ny N] [--repeats R]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/driver/map_run.hpp"
#include "kinmap/parallel/mpi.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/serial_sweep.hpp"

using namespace kinmap;

namespace {

// Every record in memory, as the Python module keeps them.
class MemorySink final : public RecordSink {
public:
    void write(const double* records, std::size_t count, const RecordLayout& layout) override {
        values.insert(values.end(), records, records + count * static_cast<std::size_t>(layout.size()));
    }
    std::vector<double> values;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: map_bench MODEL.toml OUT_DIR [--nx N --ny N] [--repeats R]\n");
        return 2;
    }
    mpi::Environment environment(argc, argv);  // not timed: the MPI start-up of `kinmap run`
    const mpi::Communicator world = mpi::Communicator::world();
    const std::string out_dir = argv[2];
    int nx = 10, ny = 10, repeats = 5;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (flag == "--nx") nx = value;
        else if (flag == "--ny") ny = value;
        else if (flag == "--repeats") repeats = value;
    }
    try {
        ModelFile model = read_model_file(argv[1]);
        if (!model.sweep) throw InputError({argv[1], 0, 0}, "sweep", "the model has no [sweep]");
        // The same ranges with fewer points, as the Python side's text edit of `points`.
        model.sweep->x.points = nx;
        if (model.sweep->y.kind != AxisKind::none) model.sweep->y.points = ny;
        const Grid grid = make_grid(model);
        const PointList work = PointList::all(grid.size());
        for (int r = 0; r < repeats; ++r) {
            MemorySink sink;
            const auto t0 = std::chrono::steady_clock::now();
            const SweepStats stats = run_sweep_serial(model, grid, work, sink, SweepOptions{});
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::printf("sweep %.6f %lld\n", s, static_cast<long long>(stats.points_done));

            MapRunOptions run;
            run.output = out_dir + "/map_bench." + std::to_string(r) + ".h5";
            run.max_failed_fraction = 1.0;
            std::remove(run.output.c_str());
            const auto t1 = std::chrono::steady_clock::now();
            const MapRunSummary summary = run_map(world, model, run);
            const double s1 = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
            std::printf("run %.6f %lld\n", s1, static_cast<long long>(summary.stats.points_done));
            std::remove(run.output.c_str());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "map_bench: %s\n", e.what());
        return 2;
    }
    return 0;
}
