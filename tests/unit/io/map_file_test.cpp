// The map file: records written are read back in row blocks, and close() reports success.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "kinmap/io/map_file.hpp"
#include "kinmap/io/output_guard.hpp"

using namespace kinmap;

TEST_CASE("records written to a map file read back by row blocks, and the file is a kinmap map") {
    const std::string path = "/tmp/kinmap_map_file_test_" + std::to_string(::getpid()) + ".h5";
    io::MapLayout layout;
    layout.x = {"p_O2_g", "bar", "log", {0.1, 1.0, 10.0}};
    layout.y = {"p_CO_g", "bar", "log", {0.1, 1.0}};
    layout.species = {"CO_s", "*_s"};
    layout.steps = {"CO_g + *_s -> CO_s"};
    layout.gases = {"CO_g"};
    layout.tof_of = "CO2_g";
    const RecordLayout rl{2, 1, 1};
    {
        io::MapFile file = io::MapFile::create(path, layout, {"0.0", "abc", "dynamic", "now", 1}, "toml");
        std::vector<double> records;
        for (int k : {4, 1}) {  // out of order, one not OK
            std::vector<double> rec(static_cast<std::size_t>(rl.size()), 0.5);
            rec[RecordLayout::kIndex] = k;
            rec[RecordLayout::kStatus] = k == 1 ? 3.0 : 0.0;
            rec[RecordLayout::kTof] = 10.0 + k;
            records.insert(records.end(), rec.begin(), rec.end());
        }
        file.write_records(records.data(), 2, rl);
        REQUIRE_NOTHROW(file.close());
    }
    CHECK(io::is_kinmap_map(path));
    const io::MapFile file = io::MapFile::open(path, false);
    const std::vector<double> status = file.read_map("status", 0, 3);
    const std::vector<double> tof = file.read_map("tof", 2, 3);  // row i = 2: points 4, 5
    CHECK(status == std::vector<double>{6, 3, 6, 6, 0, 6});       // NOT_RUN = 6 where unwritten
    CHECK(tof[0] == 14.0);
    CHECK(std::isnan(tof[1]));
    CHECK(std::isnan(file.read_map("tof", 0, 1)[1]));             // not OK: NaN, not 11
    std::remove(path.c_str());
}
