// The checkpoint journal's checksums and the compact list of points a resume still lacks.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "kinmap/core/error.hpp"
#include "kinmap/io/journal.hpp"
#include "kinmap/sweep/schedule.hpp"

using namespace kinmap;

namespace {

std::string temp_path(const char* name) {
    return "/tmp/kinmap_journal_test_" + std::to_string(::getpid()) + "_" + name;
}

std::vector<char> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// CRC32C from its definition, one bit at a time (reflected polynomial 0x82F63B78): the
// reference for the instruction and the tables.
std::uint32_t crc32c_by_bits(const unsigned char* p, std::size_t size, std::uint32_t crc) {
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= p[i];
        for (int k = 0; k < 8; ++k) crc = (crc & 1U) != 0 ? (crc >> 1) ^ 0x82F63B78U : crc >> 1;
    }
    return ~crc;
}

}  // namespace

TEST_CASE("CRC32C matches the standard check value of \"123456789\"") {
    const std::string text = "123456789";
    CHECK(io::crc32c(text.data(), text.size()) == 0xE3069283U);
    // Continuing a CRC over two pieces equals the CRC of the whole.
    CHECK(io::crc32c(text.data() + 4, 5, io::crc32c(text.data(), 4)) == 0xE3069283U);
}

TEST_CASE("CRC32C by instruction and by tables equals its bit-by-bit definition at every length, "
          "offset and split") {
    std::vector<unsigned char> bytes(300);
    std::uint32_t state = 12345U;
    for (unsigned char& b : bytes) {
        state = state * 1664525U + 1013904223U;
        b = static_cast<unsigned char>(state >> 24);
    }
    INFO("crc32 instruction in use: " << io::detail::crc32c_in_hardware());
    for (std::size_t offset = 0; offset < 8; ++offset) {
        for (std::size_t size = 0; size + offset <= 200; ++size) {
            const unsigned char* p = bytes.data() + offset;
            const std::uint32_t want = crc32c_by_bits(p, size, 0);
            REQUIRE(io::crc32c(p, size) == want);
            REQUIRE(io::detail::crc32c_portable(p, size) == want);
            const std::size_t cut = size / 3;
            REQUIRE(io::crc32c(p + cut, size - cut, io::crc32c(p, cut)) == want);
            REQUIRE(io::detail::crc32c_portable(p + cut, size - cut, io::detail::crc32c_portable(p, cut)) == want);
        }
    }
}

TEST_CASE("a damaged batch is skipped and the intact ones are replayed") {
    const std::string path = temp_path("damaged");
    std::remove(path.c_str());
    const io::JournalHeader header{"0.0", "abc", 10, 10, 2};
    {
        io::Journal journal = io::Journal::create(path, header);
        for (int b = 0; b < 3; ++b) {
            const double records[4] = {2.0 * b, 0.0, 2.0 * b + 1, 0.0};
            journal.append(records, 2);
        }
        journal.close();
    }
    std::vector<char> bytes = read_bytes(path);
    const std::size_t header_size = static_cast<std::size_t>(std::find(bytes.begin(), bytes.end(), '\n') - bytes.begin()) + 1;
    const std::size_t frame = 8 + 4 * sizeof(double) + 4;
    bytes[header_size + frame + 12] ^= 0x10;    // a bit flip inside the second batch
    bytes.insert(bytes.end(), 200, '\0');       // zeros appended, as after a crash
    write_bytes(path, bytes);

    std::vector<double> seen;
    io::Journal journal = io::Journal::open(path);
    const io::JournalScan scan = journal.replay([&](const double* r, std::size_t n) { seen.insert(seen.end(), r, r + 2 * n); });
    CHECK(scan.records == 4);
    CHECK(seen == std::vector<double>{0, 0, 1, 0, 4, 0, 5, 0});
    journal.close();
    // The garbage tail is cut, so the file ends after the last intact batch.
    CHECK(read_bytes(path).size() == header_size + 3 * frame);
    std::remove(path.c_str());
}

TEST_CASE("a damaged header is an input error naming the journal") {
    const std::string path = temp_path("header");
    std::remove(path.c_str());
    io::Journal::create(path, {"0.0", "abc", 10, 10, 2}).close();
    std::vector<char> bytes = read_bytes(path);
    bytes[20] ^= 0x01;
    write_bytes(path, bytes);
    try {
        io::Journal::open(path);
        FAIL("a damaged header was accepted");
    } catch (const InputError& e) {
        CHECK(e.where().file == path);
    }
    std::remove(path.c_str());
}

TEST_CASE("a bitmap point list selects the same points as an explicit list") {
    const std::int64_t n = 5000;
    std::vector<std::uint64_t> bits(static_cast<std::size_t>((n + 63) / 64), 0);
    std::vector<std::int64_t> expected;
    for (std::int64_t k = 0; k < n; ++k) {
        if ((k * 7919) % 13 < 4 || (k > 3000 && k < 3600)) {
            bits[static_cast<std::size_t>(k / 64)] |= std::uint64_t{1} << (k % 64);
            expected.push_back(k);
        }
    }
    const PointList list = PointList::of_bitmap(bits);
    REQUIRE(list.size() == static_cast<std::int64_t>(expected.size()));
    for (std::size_t p = 0; p < expected.size(); ++p) REQUIRE(list[static_cast<std::int64_t>(p)] == expected[p]);
}

TEST_CASE("a torn last batch is dropped, the file is cut there, and later appends replay") {
    // As after kill -9 in the middle of an append: the last frame is only partly on disk.
    const std::string path = temp_path("torn");
    std::remove(path.c_str());
    const io::JournalHeader header{"0.0", "abc", 10, 10, 2};
    {
        io::Journal journal = io::Journal::create(path, header);
        for (int b = 0; b < 2; ++b) {
            const double records[2] = {static_cast<double>(b), 0.0};
            journal.append(records, 1);
        }
        journal.close();
    }
    std::vector<char> bytes = read_bytes(path);
    const std::size_t frame = 8 + 2 * sizeof(double) + 4;
    bytes.resize(bytes.size() - 5);  // the second batch loses its CRC and a byte of payload
    write_bytes(path, bytes);
    const std::size_t intact_size = bytes.size() - (frame - 5);

    std::vector<double> seen;
    {
        io::Journal journal = io::Journal::open(path);
        const io::JournalScan scan =
            journal.replay([&](const double* r, std::size_t n) { seen.insert(seen.end(), r, r + 2 * n); });
        CHECK(scan.records == 1);
        CHECK(scan.damaged_bytes == static_cast<std::int64_t>(frame - 5));
        CHECK(seen == std::vector<double>{0, 0});
        CHECK(read_bytes(path).size() == intact_size);
        // A resumed run appends after the intact data.
        const double more[2] = {7.0, 0.0};
        journal.append(more, 1);
        journal.close();
    }
    seen.clear();
    io::JournalHeader found;
    const io::JournalScan again =
        io::Journal::scan(path, found, [&](const double* r, std::size_t n) { seen.insert(seen.end(), r, r + 2 * n); });
    CHECK(again.records == 2);
    CHECK(again.damaged_bytes == 0);
    CHECK(seen == std::vector<double>{0, 0, 7, 0});
    std::remove(path.c_str());
}

TEST_CASE("the header names the input, so that a resume of another input can be refused") {
    const std::string path = temp_path("identity");
    std::remove(path.c_str());
    const io::JournalHeader header{"1.2.3", "0123456789abcdef", 41, 17, 33};
    io::Journal::create(path, header).close();
    const io::JournalHeader found = io::Journal::read_header(path);
    CHECK(found.kinmap_version == "1.2.3");
    CHECK(found.model_hash == "0123456789abcdef");
    CHECK(found.nx == 41);
    CHECK(found.ny == 17);
    CHECK(found.record_size == 33);
    // A journal is never overwritten: creating it again fails and leaves it as it was.
    const std::vector<char> before = read_bytes(path);
    CHECK_THROWS(io::Journal::create(path, {"1.2.3", "another input", 41, 17, 33}));
    CHECK(read_bytes(path) == before);
    CHECK(io::Journal::read_header(path).model_hash == "0123456789abcdef");
    std::remove(path.c_str());
}

TEST_CASE("a large append is split into batches, and a scan reads them without changing the file") {
    const std::string path = temp_path("batches");
    std::remove(path.c_str());
    const std::size_t n = io::Journal::kMaxBatch * 2 + 3;
    std::vector<double> records(n * 2);
    for (std::size_t r = 0; r < n; ++r) records[2 * r] = static_cast<double>(r);
    {
        io::Journal journal = io::Journal::create(path, {"0.0", "abc", 100, 100, 2});
        journal.append(records.data(), n);
        journal.close();
    }
    const std::vector<char> before = read_bytes(path);
    std::vector<std::size_t> batch_sizes;
    std::vector<double> seen;
    io::JournalHeader found;
    const io::JournalScan scan = io::Journal::scan(path, found, [&](const double* r, std::size_t count) {
        batch_sizes.push_back(count);
        seen.insert(seen.end(), r, r + 2 * count);
    });
    CHECK(scan.records == static_cast<std::int64_t>(n));
    CHECK(batch_sizes == std::vector<std::size_t>{io::Journal::kMaxBatch, io::Journal::kMaxBatch, 3});
    CHECK(seen == records);
    CHECK(read_bytes(path) == before);
    std::remove(path.c_str());
}
