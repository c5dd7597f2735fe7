#pragma once
//! \file
//! What protects a run's files and its inputs: one run at a time per output (an flock held on
//! OUT.h5.lock before any other file is touched), refusal of an output that is one of the
//! inputs or an existing file that is not a kinmap map, and durable commits (fsync of the file
//! and of its directory).

#include <string>
#include <vector>

namespace kinmap::io {

//! An exclusive lock on `OUT.h5.lock`, held for the lifetime of the object by this process.
//! The lock is the kernel's (flock), so a killed holder releases it; a stale lock file left by
//! kill -9 is taken over, never a reason for refusal. The file is removed on release.
class OutputLock {
public:
    //! Take the lock of `output`. Throws InputError (key `--output`, naming the running job's
    //! files) if another process holds it, or if the lock file cannot be created there.
    explicit OutputLock(const std::string& output);
    ~OutputLock();
    OutputLock(const OutputLock&) = delete;  // owns a file descriptor and the lock on it
    OutputLock& operator=(const OutputLock&) = delete;
    OutputLock(OutputLock&&) = delete;
    OutputLock& operator=(OutputLock&&) = delete;

    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
};

//! Whether `a` and `b` name the same existing file (same device and inode, so links count).
bool same_file(const std::string& a, const std::string& b);
//! Whether `path` exists (any kind of file).
bool path_exists(const std::string& path);
//! Whether `path` is an HDF5 file written by kinmap (root attribute kinmap_version and /status).
bool is_kinmap_map(const std::string& path);

//! Start-up checks of an output path, before anything is computed or written: not a
//! directory, its directory exists, it is none of `inputs` (nor are OUT.partial/.journal/.lock),
//! and an existing file there is a kinmap map. Throws InputError at `<command line>` with `key`.
void check_output_path(const std::string& output, const std::vector<std::string>& inputs,
                       const std::string& key);

//! fsync an existing file by path. Throws IoError.
void sync_file(const std::string& path);
//! fsync the directory holding `path`, so that a rename or unlink in it is durable.
void sync_parent_directory(const std::string& path);

}  // namespace kinmap::io
