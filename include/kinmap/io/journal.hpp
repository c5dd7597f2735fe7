#pragma once
//! \file
//! The checkpoint journal of a run, OUT.h5.journal: a header line naming the input (with its
//! own CRC32C), then batches of finished records, each framed as
//! [magic u32][count u32][count·record_size doubles][CRC32C u32 of count and doubles].
//! Appends are one write(2) per batch, so a killed process (even kill -9) loses nothing
//! already appended; an fsync every few seconds covers machine crashes. A batch that fails its
//! check (bit flip, torn write, garbage) is skipped when the journal is read and its points
//! are computed again. The HDF5 file is rebuilt from the journal on --resume, because an HDF5
//! file cut mid-write may be unreadable.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace kinmap::io {

//! CRC32C (Castagnoli, reflected polynomial 0x82F63B78) of `size` bytes, continuing `crc`.
//! On x86-64 with SSE4.2 by its crc32 instruction, elsewhere by tables (slicing by 8).
std::uint32_t crc32c(const void* data, std::size_t size, std::uint32_t crc = 0);
namespace detail {
//! The table form of crc32c, on every machine (crc32c uses it where the instruction is absent).
std::uint32_t crc32c_portable(const void* data, std::size_t size, std::uint32_t crc = 0);
//! Whether crc32c uses the CPU's crc32 instruction.
bool crc32c_in_hardware();
}  // namespace detail

//! What identifies the input of a run; a journal of another input is refused.
struct JournalHeader {
    std::string kinmap_version;
    std::string model_hash;
    std::int64_t nx = 0;
    std::int64_t ny = 0;
    int record_size = 0;  //!< doubles per record
};

//! What reading a journal found.
struct JournalScan {
    std::int64_t records = 0;         //!< records in intact batches
    std::int64_t damaged_bytes = 0;   //!< bytes skipped: damaged batches, torn tail, garbage
};

//! Called with `count` records of record_size doubles from one intact batch.
using RecordVisitor = std::function<void(const double* records, std::size_t count)>;

//! An append-only journal.
class Journal {
public:
    //! Largest number of records in one batch (appends are split into batches of this size).
    static constexpr std::uint32_t kMaxBatch = 4096;

    //! Create `path` (it must not exist: O_EXCL) and write the header.
    static Journal create(const std::string& path, const JournalHeader& header);
    //! Open `path` for reading and appending; reads and checks the header (a damaged header is
    //! an InputError naming the journal).
    static Journal open(const std::string& path);
    //! Read only the header of `path` (InputError if damaged).
    static JournalHeader read_header(const std::string& path);
    //! Read `path` without changing it: the header into `header`, every intact batch to `visit`.
    static JournalScan scan(const std::string& path, JournalHeader& header, const RecordVisitor& visit);

    ~Journal();
    Journal(Journal&& other) noexcept;
    Journal& operator=(Journal&& other) noexcept;
    Journal(const Journal&) = delete;  // owns a file descriptor
    Journal& operator=(const Journal&) = delete;

    const JournalHeader& header() const { return header_; }
    //! Pass every intact batch to `visit` in file order, then cut the file after the last intact
    //! batch (a torn or garbage tail), so that new appends follow intact data.
    JournalScan replay(const RecordVisitor& visit);
    //! Append `count` records of header.record_size doubles. Throws IoError (e.g. disk full).
    void append(const double* records, std::size_t count);
    //! fsync the journal (called every few seconds by the run). Throws IoError.
    void sync();
    //! fsync and close; idempotent. Throws IoError if the fsync fails.
    void close();

private:
    Journal(int fd, std::string path, JournalHeader header, std::size_t header_size)
        : fd_(fd), path_(std::move(path)), header_(std::move(header)), header_size_(header_size) {}
    int fd_ = -1;
    std::string path_;
    JournalHeader header_;
    std::size_t header_size_ = 0;
};

}  // namespace kinmap::io
