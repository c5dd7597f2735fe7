#pragma once
//! \file
//! The checkpoint journal of a run, OUT.h5.journal: a header naming the input, then finished
//! records appended as raw doubles. Appends are plain write(2) calls, so a killed process
//! (even kill -9) loses nothing already appended; an fsync every few seconds covers machine
//! crashes. The HDF5 file is rebuilt from the journal on --resume, because an HDF5 file cut
//! mid-write may be unreadable.

#include <cstdint>
#include <string>
#include <vector>

namespace kinmap::io {

//! What identifies the input of a run; a journal of another input is refused.
struct JournalHeader {
    std::string kinmap_version;
    std::string model_hash;
    std::int64_t nx = 0;
    std::int64_t ny = 0;
    int record_size = 0;  //!< doubles per record
};

//! An append-only journal.
class Journal {
public:
    //! Create (truncate) `path` and write the header.
    static Journal create(const std::string& path, const JournalHeader& header);
    //! Open `path` for appending after reading its header and every whole record into
    //! `records` (a torn last record is dropped and truncated away).
    static Journal resume(const std::string& path, JournalHeader& header, std::vector<double>& records);
    //! Read only the header of `path`.
    static JournalHeader read_header(const std::string& path);

    ~Journal();
    Journal(Journal&& other) noexcept;
    Journal& operator=(Journal&& other) noexcept;
    Journal(const Journal&) = delete;  // owns a file descriptor
    Journal& operator=(const Journal&) = delete;

    //! Append `count` records of header.record_size doubles.
    void append(const double* records, std::size_t count);
    //! fsync the journal (called every few seconds by the run).
    void sync();
    void close();

private:
    Journal(int fd, int record_size) : fd_(fd), record_size_(record_size) {}
    int fd_ = -1;
    int record_size_ = 0;
};

}  // namespace kinmap::io
