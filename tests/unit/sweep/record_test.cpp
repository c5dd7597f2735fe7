#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "kinmap/sweep/fields.hpp"
#include "kinmap/sweep/record.hpp"

using namespace kinmap;

TEST_CASE("A failed point's record holds NaN coverages and rates, not the last iterate",
          "[sweep][record]") {
    // Issue 12.4: the unconverged iterate (theta = 1.0000242, a negative coverage) was stored
    // as if it were a result.
    const RecordLayout layout{2, 3, 1};
    PointResult r;
    r.status = Status::newton_fail;
    r.coverage = {1.0000242, -2.4e-5};
    r.rates = {1.0, -1.0, 0.5};
    r.residual = 0.3;
    r.stable = true;
    r.tof = 7.0;
    std::vector<double> record(static_cast<std::size_t>(layout.size()));
    pack_record(layout, 5, 0, r, record.data());

    CHECK(record[RecordLayout::kStatus] == static_cast<double>(Status::newton_fail));
    CHECK(std::isnan(record[RecordLayout::kTof]));
    CHECK(record[static_cast<std::size_t>(layout.offset("stable"))] == 0.0);
    CHECK(record[RecordLayout::kResidual] == 0.3);  // a diagnostic, kept
    for (int i = 0; i < layout.n_species; ++i) CHECK(std::isnan(record[static_cast<std::size_t>(layout.coverage() + i)]));
    for (int j = 0; j < layout.n_steps; ++j) CHECK(std::isnan(record[static_cast<std::size_t>(layout.rates() + j)]));
}

TEST_CASE("An OK point's record holds its coverages and rates exactly", "[sweep][record]") {
    const RecordLayout layout{2, 1, 1};
    PointResult r;
    r.status = Status::ok;
    r.coverage = {0.25, 0.75};
    r.rates = {3.5};
    r.tof = 3.5;
    r.stable = true;
    std::vector<double> record(static_cast<std::size_t>(layout.size()));
    pack_record(layout, 1, 0, r, record.data());
    const PointResult back = unpack_record(layout, record.data());
    CHECK(back.coverage == r.coverage);
    CHECK(back.rates == r.rates);
    CHECK(back.tof == 3.5);
    CHECK(back.stable);
}

namespace {

// A distinct value for value i of field f, valid for its kind (status OK = 0, flags 1, integers
// exact in every storage type), so that a value landing in another field's slot shows.
double sample_value(std::size_t f, int i) {
    switch (kFields[f].kind) {
        case ValueKind::status: return static_cast<double>(Status::ok);
        case ValueKind::flag: return 1.0;
        case ValueKind::integer: return static_cast<double>(100 * (f + 1) + static_cast<std::size_t>(i));
        case ValueKind::real: break;
    }
    return static_cast<double>(f + 1) + 0.125 * (i + 1);
}

// A PointResult with a sample value in every field that it holds, put there by the table.
PointResult sample_result(const RecordLayout& layout) {
    PointResult r;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (kFields[f].put == nullptr) continue;
        std::vector<double> values(static_cast<std::size_t>(layout.count(kFields[f].extent)));
        for (std::size_t i = 0; i < values.size(); ++i) values[i] = sample_value(f, static_cast<int>(i));
        kFields[f].put(r, values.data(), static_cast<int>(values.size()));
    }
    return r;
}

std::vector<double> values_of(const Field& f, const RecordLayout& layout, const PointResult& r, int rank) {
    std::vector<double> values(static_cast<std::size_t>(layout.count(f.extent)));
    values.resize(static_cast<std::size_t>(f.get(r, rank, values.data(), static_cast<int>(values.size()))));
    return values;
}

}  // namespace

TEST_CASE("Every field of the table has a slot of its own and the slots fill the record",
          "[sweep][record][fields]") {
    const RecordLayout layout{3, 4, 2, 2};
    std::vector<int> owner(static_cast<std::size_t>(layout.size()), -1);
    owner[RecordLayout::kIndex] = 100;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        const int offset = layout.offset(f);
        for (int i = 0; i < layout.count(kFields[f].extent); ++i) {
            const auto slot = static_cast<std::size_t>(offset + i);
            REQUIRE(slot < owner.size());
            CHECK(owner[slot] == -1);  // no two fields share a slot
            owner[slot] = static_cast<int>(f);
        }
    }
    for (int o : owner) CHECK(o != -1);  // and none is left over
    // The slots that scanners of records read without a layout (the journal, the dispatcher).
    CHECK(RecordLayout::kStatus == 1);
    CHECK(layout.offset("status") == RecordLayout::kStatus);
    CHECK(layout.offset("tof") == RecordLayout::kTof);
    CHECK(layout.offset("wall_time_s") == RecordLayout::kWallTime);
    CHECK(layout.offset("coverage") == RecordLayout::kHeader);
}

TEST_CASE("pack and unpack round-trip every field of the table", "[sweep][record][fields]") {
    const RecordLayout layout{3, 4, 2, 2};
    const PointResult r = sample_result(layout);
    REQUIRE(r.status == Status::ok);
    std::vector<double> record(static_cast<std::size_t>(layout.size()));
    pack_record(layout, 77, 5, r, record.data());
    CHECK(record[RecordLayout::kIndex] == 77.0);
    const PointResult back = unpack_record(layout, record.data());
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        const Field& field = kFields[f];
        INFO("field " << field.name);
        const std::vector<double> packed(record.begin() + layout.offset(f),
                                         record.begin() + layout.offset(f) + layout.count(field.extent));
        CHECK(packed == values_of(field, layout, r, 5));  // the record holds what the accessor gives
        if (field.put != nullptr) CHECK(values_of(field, layout, back, 5) == values_of(field, layout, r, 5));
    }
    CHECK(record[RecordLayout::kRank] == 5.0);  // the rank is no part of PointResult, only of the record
}

TEST_CASE("A point that is not OK gets each field's IfNotOk value", "[sweep][record][fields]") {
    const RecordLayout layout{3, 4, 2, 2};
    PointResult r = sample_result(layout);
    r.status = Status::not_steady;
    std::vector<double> record(static_cast<std::size_t>(layout.size()));
    pack_record(layout, 3, 2, r, record.data());
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        const Field& field = kFields[f];
        INFO("field " << field.name);
        const std::vector<double> raw = values_of(field, layout, r, 2);
        for (int i = 0; i < layout.count(field.extent); ++i) {
            const double v = record[static_cast<std::size_t>(layout.offset(f) + i)];
            switch (field.if_not_ok) {
                case IfNotOk::keep: CHECK(v == raw[static_cast<std::size_t>(i)]); break;
                case IfNotOk::nan: CHECK(std::isnan(v)); break;
                case IfNotOk::zero: CHECK(v == 0.0); break;
            }
        }
    }
    // The results of DESIGN §6 are NaN; the status itself and the diagnostics are kept.
    CHECK(std::isnan(record[RecordLayout::kTof]));
    CHECK(record[RecordLayout::kStatus] == static_cast<double>(Status::not_steady));
}

TEST_CASE("Rate control that a result does not carry is NaN in its record", "[sweep][record][fields]") {
    const RecordLayout layout{2, 2, 1};
    PointResult r;
    r.status = Status::ok;
    r.tof = 1.0;
    r.coverage = {0.5, 0.5};
    r.rates = {1.0, 1.0};
    std::vector<double> record(static_cast<std::size_t>(layout.size()), 0.0);
    pack_record(layout, 0, 0, r, record.data());
    for (const char* name : {"drc", "trc", "orders", "ea_app_eV"}) {
        INFO(name);
        for (int i = 0; i < layout.count(field(name).extent); ++i) {
            CHECK(std::isnan(record[static_cast<std::size_t>(layout.offset(name) + i)]));
        }
    }
}

TEST_CASE("Field names are unique and every file field has units and a long name",
          "[sweep][fields]") {
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        INFO("field " << kFields[f].name);
        CHECK(field_index(kFields[f].name) == f);
        CHECK_FALSE(kFields[f].units.empty());
        CHECK_FALSE(kFields[f].long_name.empty());
    }
    CHECK(field_index("no_such_field") == kFields.size());
    CHECK(expand_long_name(field("tof"), "CO2_g") == "turnover frequency (net production of CO2_g)");
    CHECK(expand_long_name(field("coverage"), "CO2_g") == "fractional coverage");
}
