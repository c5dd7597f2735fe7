// The map file: records written are read back in row blocks, and close() reports success.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/driver/map_run.hpp"
#include "kinmap/io/map_file.hpp"
#include "kinmap/io/output_guard.hpp"
#include "kinmap/sweep/fields.hpp"

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

namespace {

io::MapLayout small_layout(bool rate_control, bool descriptors = false) {
    io::MapLayout layout;
    layout.x = {"p_O2_g", "bar", "log", {0.1, 1.0, 10.0}};
    layout.y = {"p_CO_g", "bar", "linear", {0.5, 1.0}};
    layout.species = {"CO_s", "O_s", "*_s"};
    layout.steps = {"CO_g + *_s -> CO_s", "O2_g + 2*_s -> 2O_s"};
    layout.gases = {"CO_g", "O2_g"};
    layout.tof_of = "CO2_g";
    layout.rate_control = rate_control;
    if (descriptors) {
        layout.descriptors = {"E_O", "E_CO"};
        layout.features.add(Feature::interactions);  // the optional features' fields too
    }
    return layout;
}

// A record for point k whose every slot holds a distinct value that each storage type holds
// exactly (integers for the integer fields, the status given).
std::vector<double> sample_record(const RecordLayout& rl, int k, Status status) {
    std::vector<double> rec(static_cast<std::size_t>(rl.size()));
    rec[RecordLayout::kIndex] = k;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        for (int i = 0; i < rl.count(kFields[f].extent); ++i) {
            double v = 0.25 * static_cast<double>(f + 1) + 0.001 * i + 10.0 * k;
            if (kFields[f].kind == ValueKind::status) v = static_cast<double>(status);
            if (kFields[f].kind == ValueKind::flag) v = 1.0;
            if (kFields[f].kind == ValueKind::integer) v = static_cast<double>(1000 * k + static_cast<int>(f) + i);
            // Within the range of the one-byte types (the every-steady-state counts, DESIGN §8).
            if (kFields[f].kind == ValueKind::integer &&
                (kFields[f].storage == Storage::u8 || kFields[f].storage == Storage::i8)) {
                v = static_cast<double>((10 * k + static_cast<int>(f) + i) % 120);
            }
            rec[static_cast<std::size_t>(rl.offset(f) + i)] = v;
        }
    }
    return rec;
}

bool same_or_both_nan(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

TEST_CASE("the map file holds every file field of the table and reads each back exactly",
          "[io][fields]") {
    // A model without descriptors (no /descriptor scale, no per-descriptor field) and a volcano
    // model with two (DESIGN §10) that also has interactions (DESIGN §11).
    const bool descriptors = GENERATE(false, true);
    // And every steady state (DESIGN §8): [x, y, state] and 4-D [x, y, state, species] fields.
    const bool all_states = GENERATE(false, true);
    // And an electrochemical model (DESIGN §12): /electron_rate, /current_density_mA_cm2,
    // /potential_sensitivity.
    const bool echem = GENERATE(false, true);
    INFO("descriptors: " << descriptors << ", all states: " << all_states << ", electrochemistry: " << echem);
    const std::string path = "/tmp/kinmap_map_fields_test_" + std::to_string(::getpid()) + ".h5";
    RecordLayout rl{3, 2, 2, descriptors ? 2 : 0};
    io::MapLayout layout = small_layout(true, descriptors);
    if (descriptors) {
        rl.features.add(Feature::descriptors);
        rl.features.add(Feature::interactions);
    }
    if (all_states) {
        rl.features.add(Feature::all_states);
        rl.n_states = 3;
        layout.features.add(Feature::all_states);
        layout.n_states = 3;
    }
    if (echem) {
        rl.features.add(Feature::electrochemistry);
        layout.features.add(Feature::electrochemistry);
    }
    auto variable = [&](const Field& f) { return f.in_file && rl.present(f); };
    std::vector<double> written;
    for (int k = 0; k < 6; ++k) {
        const std::vector<double> rec = sample_record(rl, k, k == 3 ? Status::ode_fail : Status::ok);
        written.insert(written.end(), rec.begin(), rec.end());
    }
    {
        io::MapFile file = io::MapFile::create(path, layout, {"0.0", "abc", "block", "now", 2}, "toml");
        file.write_records(written.data(), 6, rl);
        REQUIRE_NOTHROW(file.close());
    }
    const io::MapFile file = io::MapFile::open(path, false);
    // Every field with in_file, in table order, and nothing else.
    std::vector<std::string> expected, present;
    for (const Field& f : kFields) {
        if (variable(f)) expected.emplace_back(f.name);
    }
    for (const Field& f : file.fields()) present.emplace_back(f.name);
    CHECK(present == expected);
    CHECK(file.n_states() == (all_states ? 3 : 0));

    const std::vector<double> back = file.read_rows(rl, 0, 3);
    REQUIRE(back.size() == written.size());
    const auto stride = static_cast<std::size_t>(rl.size());
    for (std::size_t p = 0; p < 6; ++p) {
        const bool ok = p != 3;
        CHECK(back[p * stride + RecordLayout::kIndex] == static_cast<double>(p));
        for (std::size_t f = 0; f < kFields.size(); ++f) {
            const Field& field = kFields[f];
            INFO("point " << p << ", field " << field.name);
            for (int i = 0; i < rl.count(field.extent); ++i) {
                const std::size_t slot = p * stride + static_cast<std::size_t>(rl.offset(f) + i);
                if (!variable(field)) {
                    CHECK(std::isnan(back[slot]));  // not a variable: not read back
                } else if (ok || field.if_not_ok == IfNotOk::keep) {
                    CHECK(back[slot] == written[slot]);
                } else {
                    CHECK(same_or_both_nan(back[slot], field.if_not_ok == IfNotOk::zero ? 0.0 : NAN));
                }
            }
            if (variable(field) && field.extent == Extent::point) {
                const double v = file.read_map(std::string(field.name))[p];
                CHECK(same_or_both_nan(v, back[p * stride + static_cast<std::size_t>(rl.offset(f))]));
            }
        }
    }
    std::remove(path.c_str());
}

TEST_CASE("a map file without rate control holds no rate-control field, and unwritten points "
          "read as each field's fill value", "[io][fields]") {
    const std::string path = "/tmp/kinmap_map_fill_test_" + std::to_string(::getpid()) + ".h5";
    const RecordLayout rl{3, 2, 2};
    {
        io::MapFile file = io::MapFile::create(path, small_layout(false), {"0.0", "abc", "block", "now", 1}, "toml");
        REQUIRE_NOTHROW(file.close());
    }
    const io::MapFile file = io::MapFile::open(path, false);
    for (const Field& f : file.fields()) CHECK_FALSE(f.rate_control);
    const std::vector<double> back = file.read_rows(rl, 0, 3);
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        const Field& field = kFields[f];
        INFO("field " << field.name);
        if (rl.count(field.extent) == 0) continue;  // no descriptors: no slot, no variable
        const double v = back[static_cast<std::size_t>(rl.offset(f))];
        if (field.in_file && !field.rate_control && rl.present(field)) CHECK(same_or_both_nan(v, field.fill));
        else CHECK(std::isnan(v));
    }
    CHECK(back[RecordLayout::kStatus] == static_cast<double>(Status::not_run));
    std::remove(path.c_str());
}

TEST_CASE("merge refuses a shard that lacks a file field of the table, naming the variable",
          "[io][fields]") {
    const std::string base = "/tmp/kinmap_merge_fields_test_" + std::to_string(::getpid());
    std::vector<std::string> shards;
    for (int index = 0; index < 2; ++index) {
        shards.push_back(base + "_" + std::to_string(index) + ".h5");
        // Without rate control: no /drc, /trc, /orders, /ea_app_eV.
        io::MapFile file = io::MapFile::create(shards.back(), small_layout(false), {"0.0", "abc", "block", "now", 1}, "toml");
        file.set_root_attribute("shard_index", static_cast<long long>(index));
        file.set_root_attribute("shard_count", 2LL);
        file.close();
    }
    const std::string out = base + "_merged.h5";
    try {
        merge_shards(out, shards);
        FAIL("merge accepted a shard without rate control");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("/drc") != std::string::npos);
        CHECK(std::string(e.what()).find(shards[0]) != std::string::npos);
    }
    CHECK_FALSE(io::is_kinmap_map(out));  // and wrote nothing
    for (const std::string& s : shards) std::remove(s.c_str());
    std::remove((out + ".lock").c_str());
}
