#pragma once
//! \file
//! kinmap's one exception hierarchy. User mistakes are InputError (exit code 2); MPI and
//! HDF5 failures are MpiError and IoError; everything else derived from Error exits 1.

#include <stdexcept>
#include <string>

namespace kinmap {

//! Base of every exception kinmap throws.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

//! Where in an input file something was found; line and column are 1-based, 0 if unknown.
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;
};

//! A mistake in user input: names the file, line, column and key path (e.g. "sweep.x.points").
//! what() reads "FILE:LINE:COLUMN: KEY: MESSAGE".
class InputError : public Error {
public:
    InputError(SourceLocation where, std::string key, const std::string& message);

    const SourceLocation& where() const noexcept { return where_; }
    const std::string& key() const noexcept { return key_; }
    const std::string& message() const noexcept { return message_; }

private:
    SourceLocation where_;
    std::string key_;
    std::string message_;
};

//! A failed MPI call: carries the MPI error code and MPI_Error_string's text.
class MpiError : public Error {
public:
    MpiError(int code, const std::string& message) : Error(message), code_(code) {}
    int code() const noexcept { return code_; }

private:
    int code_;
};

//! An error that every rank of a job holds alike, because a collective shared it (e.g. a point
//! that failed on one rank, or rank 0's file writes): reported once, by rank 0; exit code 1.
class SharedError : public Error {
public:
    using Error::Error;
};

//! A failed file operation (HDF5 or POSIX); the message includes the HDF5 error stack.
class IoError : public Error {
public:
    using Error::Error;
};

}  // namespace kinmap
