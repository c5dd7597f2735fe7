#include "kinmap/io/output_guard.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include <hdf5.h>

#include "hdf5_util.hpp"
#include "kinmap/core/error.hpp"

namespace kinmap::io {
namespace {

const SourceLocation kCli{"<command line>", 1, 1};

std::string parent_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

}  // namespace

bool path_exists(const std::string& path) {
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0;
}

bool same_file(const std::string& a, const std::string& b) {
    struct stat sa{}, sb{};
    if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool is_kinmap_map(const std::string& path) {
    using namespace detail;
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (H5Fis_hdf5(path.c_str()) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
    }
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        H5Eclear2(H5E_DEFAULT);
        // An HDF5 file that another process holds open for writing (HDF5's own lock) is not
        // proof of anything; a kinmap output is never held open by kinmap, so refuse.
        return false;
    }
    const bool ok = H5Aexists(file, "kinmap_version") > 0 && H5Lexists(file, "status", H5P_DEFAULT) > 0;
    H5Fclose(file);
    H5Eclear2(H5E_DEFAULT);
    return ok;
}

void check_output_path(const std::string& output, const std::vector<std::string>& inputs,
                       const std::string& key) {
    if (output.empty()) throw InputError(kCli, key, "the output path is empty");
    struct stat st{};
    if (::stat(output.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        throw InputError(kCli, key, output + " is a directory; give a file name, e.g. " + output +
                                        (output.back() == '/' ? "" : "/") + "map.h5");
    }
    const std::string dir = parent_of(output);
    struct stat sd{};
    if (::stat(dir.c_str(), &sd) != 0 || !S_ISDIR(sd.st_mode)) {
        throw InputError(kCli, key, "the directory " + dir + " of " + output + " does not exist");
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
        throw InputError(kCli, key, "cannot write in " + dir + " (" + std::strerror(errno) + ")");
    }
    for (const std::string& in : inputs) {
        for (const std::string& mine : {output, output + ".partial", output + ".journal", output + ".lock"}) {
            if (same_file(mine, in)) {
                throw InputError(kCli, key, mine + " is the input " + in +
                                                "; writing it would destroy that input. Choose another output");
            }
        }
    }
    if (::stat(output.c_str(), &st) == 0 && !is_kinmap_map(output)) {
        throw InputError(kCli, key, output + " exists and is not a kinmap map; not overwriting it "
                                             "(delete it or choose another output)");
    }
}

OutputLock::OutputLock(const std::string& output) : path_(output + ".lock") {
    // The lock file may be unlinked by a holder that is releasing it; retry until the file we
    // locked is the one at the path.
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            throw InputError(kCli, "--output", "cannot create " + path_ + " (" + std::strerror(errno) +
                                                   "): is the output's directory writable?");
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            std::string holder;
            {
                std::ifstream in(path_);
                std::getline(in, holder);
            }
            ::close(fd);
            if (err == EWOULDBLOCK) {
                throw InputError(kCli, "--output",
                                 "another kinmap run is writing " + output + " right now (it holds " +
                                     path_ + (holder.empty() ? "" : ": " + holder) + "; its files are " +
                                     output + ".partial and " + output + ".journal). Nothing was "
                                     "changed: wait for it to end, or choose another -o");
            }
            throw InputError(kCli, "--output", "cannot lock " + path_ + " (" + std::strerror(err) + ")");
        }
        struct stat by_fd{}, by_path{};
        if (::fstat(fd, &by_fd) == 0 && ::stat(path_.c_str(), &by_path) == 0 &&
            by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino) {
            fd_ = fd;
            char host[256] = {0};
            ::gethostname(host, sizeof host - 1);
            std::ostringstream who;
            who << "pid " << ::getpid() << " on " << host << " since " << std::time(nullptr) << " (Unix time)\n";
            const std::string text = who.str();
            if (::ftruncate(fd_, 0) == 0) {
                [[maybe_unused]] const ssize_t n = ::write(fd_, text.data(), text.size());
            }
            return;
        }
        ::close(fd);
    }
    throw InputError(kCli, "--output", "cannot take the lock " + path_ + " (it keeps being replaced)");
}

OutputLock::~OutputLock() {
    if (fd_ >= 0) {
        // Unlink while still holding the lock: a waiter that opened the old file sees it is no
        // longer at the path and retries with a new one.
        ::unlink(path_.c_str());
        ::close(fd_);
    }
}

void sync_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw IoError("cannot open " + path + " to sync it: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) throw IoError("cannot sync " + path + ": " + std::strerror(err));
}

void sync_parent_directory(const std::string& path) {
    const std::string dir = parent_of(path);
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw IoError("cannot open directory " + dir + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0 && err != EINVAL) throw IoError("cannot sync directory " + dir + ": " + std::strerror(err));
}

}  // namespace kinmap::io
