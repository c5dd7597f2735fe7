#include "kinmap/parallel/mpi.hpp"

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kinmap/core/error.hpp"

namespace kinmap::mpi {

void check(int code, const char* call) {
    if (code == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(code, text, &length);
    throw MpiError(code, std::string(call) + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

Failure Failure::of(const std::exception& e) {
    Failure f;
    if (const auto* input = dynamic_cast<const InputError*>(&e)) {
        f = {2, input->where().file, input->key(), input->message(), input->where().line, input->where().column};
    } else {
        f.code = 1;
        f.message = e.what();
    }
    return f;
}

Failure Failure::of(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return of(e);
    } catch (...) {
        Failure f;
        f.code = 1;
        f.message = "unknown exception";
        return f;
    }
}

std::string Failure::encode() const {
    std::ostringstream out;
    out << code << '\n' << line << '\n' << column << '\n' << file << '\n' << key << '\n' << message;
    return out.str();
}

Failure Failure::decode(const std::string& text) {
    Failure f;
    std::istringstream in(text);
    std::string field;
    std::getline(in, field);
    f.code = std::stoi(field);
    std::getline(in, field);
    f.line = std::stoi(field);
    std::getline(in, field);
    f.column = std::stoi(field);
    std::getline(in, f.file);
    std::getline(in, f.key);
    std::getline(in, f.message, '\0');
    return f;
}

void Failure::raise() const {
    if (code == 2) throw InputError({file, line, column}, key, message);
    throw SharedError(message);
}

void raise_shared(const Communicator& comm, const Failure& failure_on_root, int root) {
    const Failure shared = Failure::decode(comm.broadcast(failure_on_root.encode(), root));
    if (shared) shared.raise();
}

namespace {

// Whether every rank of this job runs on this node, as far as the environment tells before
// MPI_Init: a lone process (no launcher's variables at all), or an Open MPI mpirun whose
// local size is its world size. Slurm's srun or another launcher: not known, so no.
bool job_on_one_node() {
    const char* world = std::getenv("OMPI_COMM_WORLD_SIZE");
    const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    if (world != nullptr) return local != nullptr && std::string(world) == local;
    for (const char* launcher : {"PMIX_RANK", "PMI_RANK", "PMI_SIZE", "PMI_FD", "HYDRA_CONTROL_FD"}) {
        if (std::getenv(launcher) != nullptr) return false;
    }
    const char* tasks = std::getenv("SLURM_STEP_NUM_TASKS");
    return tasks == nullptr || std::string(tasks) == "1";
}

// A job on one node needs no network transport, and Open MPI's default one (UCX) takes about
// half of MPI_Init's ~0.4 s to start (issue 19: a cost every `kinmap run` pays, and the
// largest serial part of a short map). There, ask for shared memory (pml ob1, btl self and
// vader, one-sided through osc sm/pt2pt): kinmap sends only tickets and result batches. A
// choice the user made (OMPI_MCA_pml, _btl or _osc in the environment, or mpirun --mca,
// which arrives the same way) is kept; other MPI libraries ignore these names.
void prefer_shared_memory_on_one_node() {
    if (!job_on_one_node()) return;
    if (std::getenv("OMPI_MCA_pml") || std::getenv("OMPI_MCA_btl") || std::getenv("OMPI_MCA_osc")) return;
    setenv("OMPI_MCA_pml", "ob1", 0);
    setenv("OMPI_MCA_btl", "self,vader", 0);
    setenv("OMPI_MCA_osc", "^ucx", 0);
}

}  // namespace

Environment::Environment(int& argc, char**& argv) {
    prefer_shared_memory_on_one_node();
    check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided_), "MPI_Init_thread");
    // Errors come back as codes (turned into MpiError) instead of aborting inside MPI.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

Environment::~Environment() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

std::string Environment::library_version() {
    char text[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(text, &length);
    std::string version(text, static_cast<std::size_t>(length));
    const auto end = version.find_first_of("\n,");
    return end == std::string::npos ? version : version.substr(0, end);
}

Communicator Communicator::world() { return Communicator(MPI_COMM_WORLD); }

Communicator::~Communicator() {
    if (owned_ && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

Communicator::Communicator(Communicator&& other) noexcept
    : comm_(std::exchange(other.comm_, MPI_COMM_NULL)), owned_(std::exchange(other.owned_, false)) {}

Communicator& Communicator::operator=(Communicator&& other) noexcept {
    if (this != &other) {
        if (owned_ && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
        comm_ = std::exchange(other.comm_, MPI_COMM_NULL);
        owned_ = std::exchange(other.owned_, false);
    }
    return *this;
}

int Communicator::rank() const {
    int r = 0;
    check(MPI_Comm_rank(comm_, &r), "MPI_Comm_rank");
    return r;
}

int Communicator::size() const {
    int s = 0;
    check(MPI_Comm_size(comm_, &s), "MPI_Comm_size");
    return s;
}

Communicator Communicator::split(int color, int key) const {
    MPI_Comm out = MPI_COMM_NULL;
    check(MPI_Comm_split(comm_, color, key, &out), "MPI_Comm_split");
    Communicator result(out);
    result.owned_ = out != MPI_COMM_NULL;
    if (out != MPI_COMM_NULL) MPI_Comm_set_errhandler(out, MPI_ERRORS_RETURN);
    return result;
}

Communicator Communicator::split_or_null(bool member, int key) const {
    return split(member ? 0 : MPI_UNDEFINED, key);
}

void Communicator::send_empty(int dest, int tag) const {
    check(MPI_Send(nullptr, 0, MPI_BYTE, dest, tag, comm_), "MPI_Send");
}

void Communicator::recv_empty(int source, int tag) const {
    check(MPI_Recv(nullptr, 0, MPI_BYTE, source, tag, comm_, MPI_STATUS_IGNORE), "MPI_Recv");
}

double Communicator::ping_pong_latency(int trips) const {
    if (size() < 2) return 0.0;
    constexpr int kTag = 7;
    const int me = rank();
    barrier();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < trips; ++i) {
        if (me == 0) {
            send_empty(1, kTag);
            recv_empty(1, kTag);
        } else if (me == 1) {
            recv_empty(0, kTag);
            send_empty(0, kTag);
        }
    }
    double latency = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() /
                     (2.0 * trips);
    broadcast(&latency, 1, 0);
    return latency;
}

void Communicator::barrier() const { check(MPI_Barrier(comm_), "MPI_Barrier"); }

void Communicator::sleeping_barrier() const {
    MPI_Request request = MPI_REQUEST_NULL;
    check(MPI_Ibarrier(comm_, &request), "MPI_Ibarrier");
    int done = 0;
    while (true) {
        check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
        if (done) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

bool Communicator::all_ok(bool local_ok) const {
    int local = local_ok ? 1 : 0;
    int global = 0;
    check(MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MIN, comm_), "MPI_Allreduce");
    return global == 1;
}

int Communicator::max(int value) const {
    int global = 0;
    check(MPI_Allreduce(&value, &global, 1, MPI_INT, MPI_MAX, comm_), "MPI_Allreduce");
    return global;
}

std::string Communicator::broadcast(const std::string& value, int root) const {
    std::int64_t length = static_cast<std::int64_t>(value.size());
    check(MPI_Bcast(&length, 1, MPI_INT64_T, root, comm_), "MPI_Bcast");
    std::vector<char> buffer(value.begin(), value.end());
    buffer.resize(static_cast<std::size_t>(length));
    if (length > 0) {
        check(MPI_Bcast(buffer.data(), static_cast<int>(length), MPI_CHAR, root, comm_), "MPI_Bcast");
    }
    return std::string(buffer.begin(), buffer.end());
}

void Communicator::abort(int code) const {
    MPI_Abort(comm_, code);
    std::abort();  // MPI_Abort does not return; keep the [[noreturn]] promise regardless
}

}  // namespace kinmap::mpi
