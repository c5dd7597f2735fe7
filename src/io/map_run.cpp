#include "kinmap/io/map_run.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <sys/stat.h>

#include "kinmap/core/hash.hpp"
#include "kinmap/core/version.hpp"
#include "kinmap/io/journal.hpp"
#include "kinmap/io/map_file.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

namespace kinmap {
namespace {

bool exists(const std::string& path) {
    struct stat st{};
    return ::stat(path.c_str(), &st) == 0;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

io::MapLayout map_layout(const Mechanism& m, const Grid& grid) {
    io::MapLayout layout;
    auto axis = [](const Axis& a, const std::vector<double>& values) {
        return io::AxisInfo{a.name(), a.units(), a.log_scale ? "log" : "linear", values};
    };
    layout.x = axis(grid.x, grid.xs);
    layout.y = axis(grid.y, grid.ys);
    for (int s : m.surface) layout.species.push_back(m.species[static_cast<std::size_t>(s)].name);
    for (const Step& step : m.steps) layout.steps.push_back(step.equation);
    for (int g : m.gases) layout.gases.push_back(m.species[static_cast<std::size_t>(g)].name);
    layout.tof_of = m.species[static_cast<std::size_t>(m.tof_of)].name;
    layout.rate_control = true;  // every OK point carries drc, trc, orders and ea_app_eV
    return layout;
}

// Rank 0's sink: each batch goes to the journal (the checkpoint) and to the HDF5 file.
class CheckpointedSink final : public RecordSink {
public:
    CheckpointedSink(io::MapFile& file, io::Journal& journal) : file_(file), journal_(journal) {}
    void write(const double* records, std::size_t count, const RecordLayout& layout) override {
        journal_.append(records, count);
        file_.write_records(records, count, layout);
        const auto now = std::chrono::steady_clock::now();
        if (now - last_sync_ > std::chrono::seconds(5)) {
            journal_.sync();
            file_.flush();
            last_sync_ = now;
        }
    }

private:
    io::MapFile& file_;
    io::Journal& journal_;
    std::chrono::steady_clock::time_point last_sync_ = std::chrono::steady_clock::now();
};

// An error found on rank 0 only, made identical on every rank.
struct Failure {
    int code = 0;  // 0 none, 1 error, 2 input error
    std::string file, key, message;
    int line = 0, column = 0;

    std::string encode() const {
        std::ostringstream out;
        out << code << '\n' << line << '\n' << column << '\n' << file << '\n' << key << '\n' << message;
        return out.str();
    }
    static Failure decode(const std::string& text) {
        Failure f;
        std::istringstream in(text);
        std::string line;
        std::getline(in, line);
        f.code = std::stoi(line);
        std::getline(in, line);
        f.line = std::stoi(line);
        std::getline(in, line);
        f.column = std::stoi(line);
        std::getline(in, f.file);
        std::getline(in, f.key);
        std::getline(in, f.message, '\0');
        return f;
    }
    [[noreturn]] void raise() const {
        if (code == 2) throw InputError({file, line, column}, key, message);
        throw Error(message);
    }
};

// Run `work` on rank 0, then make its outcome every rank's. Collective.
template <class Work>
void on_rank0_then_share(const mpi::Communicator& comm, Work&& work) {
    Failure failure;
    if (comm.rank() == 0) {
        try {
            work();
        } catch (const InputError& e) {
            failure = {2, e.where().file, e.key(), e.message(), e.where().line, e.where().column};
        } catch (const std::exception& e) {
            failure.code = 1;
            failure.message = e.what();
        }
    }
    const Failure shared = Failure::decode(comm.broadcast(failure.encode(), 0));
    if (shared.code != 0) shared.raise();
}

}  // namespace

MapRunSummary run_map(const mpi::Communicator& comm, const Mechanism& mechanism,
                      const MapRunOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const Grid grid = make_grid(mechanism);
    GridConditions check_pressures(mechanism, grid);  // a gas without pressure: InputError
    const RecordLayout layout{static_cast<int>(mechanism.surface.size()),
                              static_cast<int>(mechanism.steps.size()),
                              static_cast<int>(mechanism.gases.size())};
    const std::string partial = options.output + ".partial";
    const std::string journal_path = options.output + ".journal";
    const SourceLocation cli{"<command line>", 1, 1};
    const io::JournalHeader header{kVersion, content_hash(mechanism.text), grid.nx(), grid.ny(),
                                   layout.size()};

    std::optional<io::MapFile> file;
    std::optional<io::Journal> journal;
    std::vector<std::int64_t> pending;
    std::int64_t already_done = 0;
    on_rank0_then_share(comm, [&] {
        const bool has_journal = exists(journal_path);
        if (!options.resume && (has_journal || exists(partial))) {
            throw InputError(cli, "--output",
                             "an interrupted run of " + options.output + " exists (" +
                                 (has_journal ? journal_path : partial) +
                                 "): continue it with --resume, or delete it to start again");
        }
        if (options.resume && !has_journal) {
            throw InputError(cli, "--resume", "nothing to resume: " + journal_path + " does not exist");
        }
        io::RunAttributes attributes{kVersion, header.model_hash, to_string(options.schedule),
                                     utc_now(), comm.size()};
        std::vector<double> records;
        if (options.resume) {
            io::JournalHeader found;
            journal.emplace(io::Journal::resume(journal_path, found, records));
            if (found.model_hash != header.model_hash || found.nx != header.nx ||
                found.ny != header.ny || found.record_size != header.record_size) {
                journal.reset();
                throw InputError({mechanism.path, 1, 1}, "--resume",
                                 "the interrupted run in " + journal_path + " was made from a "
                                 "different model or grid (hash " + found.model_hash + ", " +
                                 std::to_string(found.nx) + "x" + std::to_string(found.ny) +
                                 "); nothing was changed. Use the same model file, or another -o");
            }
            if (found.kinmap_version != header.kinmap_version) {
                journal.reset();
                throw InputError(cli, "--resume", "the interrupted run was made by kinmap " +
                                 found.kinmap_version + ", this is " + header.kinmap_version);
            }
        } else {
            journal.emplace(io::Journal::create(journal_path, header));
        }
        // The HDF5 file is (re)built from the journal: one cut mid-write may be unreadable.
        file.emplace(io::MapFile::create(partial, map_layout(mechanism, grid), attributes, mechanism.text));
        const std::size_t count = records.size() / static_cast<std::size_t>(layout.size());
        std::vector<bool> done(static_cast<std::size_t>(grid.size()), false);
        const std::size_t batch = 4096;
        for (std::size_t r = 0; r < count; r += batch) {
            file->write_records(records.data() + r * static_cast<std::size_t>(layout.size()),
                                std::min(batch, count - r), layout);
        }
        for (std::size_t r = 0; r < count; ++r) {
            const auto k = static_cast<std::int64_t>(records[r * static_cast<std::size_t>(layout.size())]);
            if (k >= 0 && k < grid.size() && !done[static_cast<std::size_t>(k)]) {
                done[static_cast<std::size_t>(k)] = true;
                ++already_done;
            }
        }
        if (options.resume) {
            for (std::int64_t k = 0; k < grid.size(); ++k) {
                if (!done[static_cast<std::size_t>(k)]) pending.push_back(k);
            }
        }
    });

    // Every rank needs the same list of points still to compute.
    PointList work = PointList::all(grid.size());
    if (options.resume) {
        std::int64_t n = static_cast<std::int64_t>(pending.size());
        mpi::check(MPI_Bcast(&n, 1, MPI_INT64_T, 0, comm.get()), "MPI_Bcast");
        pending.resize(static_cast<std::size_t>(n));
        if (n > 0) {
            mpi::check(MPI_Bcast(pending.data(), static_cast<int>(n), MPI_INT64_T, 0, comm.get()), "MPI_Bcast");
        }
        work = PointList::of(std::move(pending));
    }

    SweepOptions sweep;
    sweep.schedule = options.schedule;
    sweep.deadline = options.deadline;
    sweep.stop = options.stop;
    sweep.progress = options.progress;
    MapRunSummary summary;
    std::optional<CheckpointedSink> sink;
    if (comm.rank() == 0) sink.emplace(*file, *journal);
    summary.stats = run_sweep(comm, mechanism, grid, work, comm.rank() == 0 ? &*sink : nullptr, sweep);

    on_rank0_then_share(comm, [&] {
        const SweepStats& s = summary.stats;
        std::vector<long long> points(s.points_per_rank.begin(), s.points_per_rank.end());
        const auto io_start = std::chrono::steady_clock::now();
        file->write_timing(s.compute_s, s.wait_s, s.io_s, points);
        summary.complete = !s.stopped_early && already_done + s.points_done == grid.size();
        file->close();
        journal->close();
        if (summary.complete) {
            io::commit_output(partial, options.output);
            std::remove(journal_path.c_str());
        }
        const double io_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - io_start).count();
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::ostringstream line;
        line << "[rank 0] " << s.points_done << " points";
        if (already_done > 0) line << " (+" << already_done << " from the checkpoint)";
        line << " in " << wall << " s, " << static_cast<double>(s.points_done) / wall << " points/s on "
             << comm.size() << (comm.size() == 1 ? " rank" : " ranks") << "; status:";
        for (int st = 0; st < kStatusCount; ++st) {
            if (s.status_counts[static_cast<std::size_t>(st)] > 0) {
                line << ' ' << kStatusLabels[static_cast<std::size_t>(st)] << '='
                     << s.status_counts[static_cast<std::size_t>(st)];
            }
        }
        (void)io_s;
        if (summary.complete) {
            line << "; wrote " << options.output;
        } else {
            line << "; stopped early, " << (grid.size() - already_done - s.points_done)
                 << " points left: continue with --resume (checkpoint " << journal_path << ")";
        }
        summary.line = line.str();
    });
    // Every rank reports the same outcome.
    int complete = summary.complete ? 1 : 0;
    mpi::check(MPI_Bcast(&complete, 1, MPI_INT, 0, comm.get()), "MPI_Bcast");
    summary.complete = complete != 0;
    return summary;
}

}  // namespace kinmap
