#pragma once
//! \file
//! A thin RAII layer over MPI (after Ginkgo): an environment that cannot be copied, a
//! communicator that owns only what it created (split/dup) and merely borrows MPI_COMM_WORLD,
//! an mpi_type<T> trait, typed collectives and point-to-point helpers, and MPI errors turned
//! into MpiError. Raw MPI calls live only in src/parallel: the modules above (io, driver) use
//! this class.

#include <mpi.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

namespace kinmap::mpi {

//! Throw MpiError with MPI_Error_string's text if `code` is not MPI_SUCCESS.
void check(int code, const char* call);

//! MPI datatype of a C++ type.
template <class T>
struct mpi_type;
template <>
struct mpi_type<double> {
    static MPI_Datatype get() { return MPI_DOUBLE; }
};
template <>
struct mpi_type<int> {
    static MPI_Datatype get() { return MPI_INT; }
};
template <>
struct mpi_type<std::int64_t> {
    static MPI_Datatype get() { return MPI_INT64_T; }
};
template <>
struct mpi_type<std::uint64_t> {
    static MPI_Datatype get() { return MPI_UINT64_T; }
};
template <>
struct mpi_type<char> {
    static MPI_Datatype get() { return MPI_CHAR; }
};

//! MPI_Init_thread / MPI_Finalize for the lifetime of the object. Requests
//! MPI_THREAD_FUNNELED: only the main thread calls MPI (the sweep itself needs one thread).
class Environment {
public:
    Environment(int& argc, char**& argv);
    ~Environment();
    Environment(const Environment&) = delete;  // MPI is initialised once per process
    Environment& operator=(const Environment&) = delete;

    //! The thread support level MPI granted.
    int thread_level() const { return provided_; }
    //! MPI library version string (MPI_Get_library_version), first line.
    static std::string library_version();

private:
    int provided_ = 0;
};

//! The outcome of a phase on one rank, in a form that travels between ranks: none, an input
//! error (with its location) or any other error. raise() throws InputError or SharedError.
struct Failure {
    int code = 0;  //!< 0 none, 1 error, 2 input error
    std::string file, key, message;
    int line = 0, column = 0;

    //! The failure an exception stands for (an InputError keeps its location).
    static Failure of(const std::exception& e);
    //! The failure inside `error` (which must not be null).
    static Failure of(const std::exception_ptr& error);
    std::string encode() const;
    static Failure decode(const std::string& text);
    explicit operator bool() const { return code != 0; }
    [[noreturn]] void raise() const;
};

class Communicator;
//! Make `root`'s failure every rank's: all ranks throw the same InputError or SharedError when
//! it is set, none when it is not. Collective: every rank must call.
void raise_shared(const Communicator& comm, const Failure& failure_on_root, int root = 0);

//! A communicator. Borrowed ones (world()) are never freed; split() results are.
class Communicator {
public:
    //! MPI_COMM_WORLD, borrowed. Only apps/ and tests/ call this.
    static Communicator world();
    //! Borrow an existing communicator.
    explicit Communicator(MPI_Comm comm) : comm_(comm), owned_(false) {}
    ~Communicator();
    Communicator(Communicator&& other) noexcept;
    Communicator& operator=(Communicator&& other) noexcept;
    Communicator(const Communicator&) = delete;  // ownership of an MPI handle is unique
    Communicator& operator=(const Communicator&) = delete;

    MPI_Comm get() const { return comm_; }
    int rank() const;
    int size() const;
    bool is_null() const { return comm_ == MPI_COMM_NULL; }

    //! MPI_Comm_split; ranks passing MPI_UNDEFINED as color get a null communicator.
    //! Collective: every rank must call.
    Communicator split(int color, int key) const;
    //! The sub-communicator of the ranks passing `member` = true, ordered by `key`; the others
    //! get a null communicator (is_null()). Collective: every rank must call.
    Communicator split_or_null(bool member, int key) const;
    //! Collective: every rank must call.
    void barrier() const;
    //! A barrier whose waiting ranks sleep (1 ms polls of MPI_Ibarrier) instead of spinning,
    //! so that ranks left out of a measurement do not take cores from those measured.
    //! Collective: every rank must call.
    void sleeping_barrier() const;
    //! Whether `local_ok` holds on every rank. Collective: every rank must call. Used after a
    //! phase that may fail on one rank only, so that no rank is left waiting in a later
    //! collective.
    bool all_ok(bool local_ok) const;
    //! The largest of every rank's `value`. Collective: every rank must call.
    int max(int value) const;
    //! Broadcast a string from `root`. Collective: every rank must call.
    std::string broadcast(const std::string& value, int root) const;
    //! Broadcast `count` values at `data` from `root` (in place). Collective: every rank must
    //! call with the same count.
    template <class T>
    void broadcast(T* data, int count, int root) const {
        if (count > 0) check(MPI_Bcast(data, count, mpi_type<T>::get(), root, comm_), "MPI_Bcast");
    }
    //! Broadcast a vector of any length from `root` (in place; other ranks' vectors are resized
    //! to root's), in pieces of 2^24 values so that no count overflows an int. Collective:
    //! every rank must call.
    template <class T>
    void broadcast(std::vector<T>& values, int root) const {
        std::int64_t n = static_cast<std::int64_t>(values.size());
        broadcast(&n, 1, root);
        values.resize(static_cast<std::size_t>(n));
        constexpr std::int64_t kPiece = std::int64_t{1} << 24;
        for (std::int64_t first = 0; first < n; first += kPiece) {
            broadcast(values.data() + first, static_cast<int>(std::min(kPiece, n - first)), root);
        }
    }
    //! Send a message without content to rank `dest` (blocking).
    void send_empty(int dest, int tag) const;
    //! Receive a message without content from rank `source` (blocking).
    void recv_empty(int source, int tag) const;
    //! Half the mean round trip of `trips` empty messages between ranks 0 and 1 [s], measured
    //! on rank 0 and broadcast; 0 on a communicator of one rank. Collective: every rank must
    //! call.
    double ping_pong_latency(int trips) const;
    //! End every process of this communicator with `code` (MPI_Abort).
    [[noreturn]] void abort(int code) const;

private:
    MPI_Comm comm_ = MPI_COMM_NULL;
    bool owned_ = false;
};

}  // namespace kinmap::mpi
