#pragma once
// Shared by the sweep tests of both schedulers (tests/unit/sweep, tests/mpi): a RecordSink
// that keeps every record it is given, and the CO/Pt(100) model on a grid of a chosen size.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/sweep/sweep_loop.hpp"

namespace kinmap::testing {

//! Keeps every record by its point index, counts deliveries and batches, and the order.
class CollectingSink : public RecordSink {
public:
    void write(const double* records, std::size_t count, const RecordLayout& layout) override {
        ++batches;
        for (std::size_t r = 0; r < count; ++r) {
            const double* rec = records + r * static_cast<std::size_t>(layout.size());
            const auto k = static_cast<std::int64_t>(rec[RecordLayout::kIndex]);
            ++seen[k];
            order.push_back(k);
            values[k].assign(rec, rec + layout.size());
        }
    }
    int batches = 0;
    std::map<std::int64_t, int> seen;
    std::vector<std::int64_t> order;
    std::map<std::int64_t, std::vector<double>> values;
};

//! The shipped CO/Pt(100) model with its [sweep] grid resized to nx × ny.
inline ModelFile model_with_grid(int nx, int ny) {
    ModelFile m = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt100.toml");
    m.sweep->x.points = nx;
    m.sweep->y.points = ny;
    return m;
}

}  // namespace kinmap::testing
