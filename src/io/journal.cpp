#include "kinmap/io/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <utility>

#include "kinmap/core/error.hpp"

namespace kinmap::io {
namespace {

constexpr const char* kMagic = "kinmap-journal-1";

[[noreturn]] void fail(const std::string& what) {
    throw IoError(what + ": " + std::strerror(errno));
}

void write_all(int fd, const void* data, std::size_t size, const std::string& path) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot append to " + path);
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

std::string header_line(const JournalHeader& h) {
    std::ostringstream out;
    out << kMagic << ' ' << h.kinmap_version << ' ' << h.model_hash << ' ' << h.nx << ' ' << h.ny
        << ' ' << h.record_size << '\n';
    return out.str();
}

// Reads the header line; returns its length in bytes.
std::size_t parse_header(int fd, const std::string& path, JournalHeader& h) {
    std::string line;
    char c = 0;
    while (line.size() < 4096) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n <= 0 || c == '\n') break;
        line += c;
    }
    std::istringstream in(line);
    std::string magic;
    in >> magic >> h.kinmap_version >> h.model_hash >> h.nx >> h.ny >> h.record_size;
    if (magic != kMagic || !in || h.record_size <= 0) {
        throw IoError(path + " is not a kinmap journal (or its header is damaged)");
    }
    return line.size() + 1;
}

}  // namespace

Journal Journal::create(const std::string& path, const JournalHeader& header) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("cannot create " + path);
    const std::string line = header_line(header);
    write_all(fd, line.data(), line.size(), path);
    ::fsync(fd);
    return Journal(fd, header.record_size);
}

JournalHeader Journal::read_header(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("cannot open " + path);
    JournalHeader h;
    try {
        parse_header(fd, path, h);
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
    return h;
}

Journal Journal::resume(const std::string& path, JournalHeader& header, std::vector<double>& records) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) fail("cannot open " + path);
    Journal journal(fd, 0);
    const std::size_t header_size = parse_header(fd, path, header);
    journal.record_size_ = header.record_size;
    const off_t end = ::lseek(fd, 0, SEEK_END);
    if (end < 0) fail("cannot read " + path);
    const std::size_t record_bytes = sizeof(double) * static_cast<std::size_t>(header.record_size);
    const std::size_t whole = (static_cast<std::size_t>(end) - header_size) / record_bytes;
    records.resize(whole * static_cast<std::size_t>(header.record_size));
    if (::lseek(fd, static_cast<off_t>(header_size), SEEK_SET) < 0) fail("cannot read " + path);
    std::size_t got = 0;
    char* out = reinterpret_cast<char*>(records.data());
    const std::size_t want = whole * record_bytes;
    while (got < want) {
        const ssize_t n = ::read(fd, out + got, want - got);
        if (n <= 0) fail("cannot read " + path);
        got += static_cast<std::size_t>(n);
    }
    // Drop a torn last record so that new appends stay aligned.
    const off_t keep = static_cast<off_t>(header_size + want);
    if (keep != end && ::ftruncate(fd, keep) != 0) fail("cannot truncate " + path);
    if (::lseek(fd, 0, SEEK_END) < 0) fail("cannot seek " + path);
    return journal;
}

Journal::~Journal() { close(); }
Journal::Journal(Journal&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), record_size_(other.record_size_) {}
Journal& Journal::operator=(Journal&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
        record_size_ = other.record_size_;
    }
    return *this;
}

void Journal::append(const double* records, std::size_t count) {
    write_all(fd_, records, count * sizeof(double) * static_cast<std::size_t>(record_size_), "journal");
}

void Journal::sync() {
    if (fd_ >= 0) ::fsync(fd_);
}

void Journal::close() {
    if (fd_ >= 0) {
        ::fsync(fd_);
        ::close(fd_);
        fd_ = -1;
    }
}

}  // namespace kinmap::io
