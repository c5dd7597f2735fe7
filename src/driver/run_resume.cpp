// `kinmap run` and `--resume` (DESIGN.md §5, §6): the checkpointed sweep into OUT.h5.partial,
// renamed to OUT.h5 once complete and verified.
#include "kinmap/driver/map_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "kinmap/core/hash.hpp"
#include "kinmap/core/version.hpp"
#include "kinmap/io/journal.hpp"
#include "kinmap/io/map_file.hpp"
#include "kinmap/io/output_guard.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/serial_sweep.hpp"
#include "map_output.hpp"

namespace kinmap {
namespace {

using namespace detail;

// Run `work` on rank 0, then make its outcome every rank's. Collective.
template <class Work>
void on_rank0_then_share(const mpi::Communicator& comm, Work&& work) {
    mpi::Failure failure;
    if (comm.rank() == 0) {
        try {
            work();
        } catch (const std::exception& e) {
            failure = mpi::Failure::of(e);
        }
    }
    mpi::raise_shared(comm, failure, 0);
}

// The checkpoint and the .partial of one run on rank 0, created when the first record arrives
// (or at the end), so that a run that fails before finishing a point leaves no files behind.
struct RunFiles {
    std::string output, partial, journal_path;
    io::JournalHeader header;
    io::MapLayout layout;
    io::RunAttributes attributes;
    std::string model_text;
    int shard_index = 0, shard_count = 1;
    std::optional<io::MapFile> file;
    std::optional<io::Journal> journal;

    bool created() const { return file.has_value(); }
    void create_file() {
        file.emplace(io::MapFile::create(partial, layout, attributes, model_text));
        if (shard_count > 1) {
            file->set_root_attribute("shard_index", static_cast<long long>(shard_index));
            file->set_root_attribute("shard_count", static_cast<long long>(shard_count));
        }
    }
    void ensure_open() {
        if (!journal) journal.emplace(io::Journal::create(journal_path, header));
        if (!file) create_file();
    }
};

// Rank 0's sink: each batch goes to the journal (the checkpoint) at once, and to the HDF5 file
// in groups of kGroup records: one HDF5 write per dataset costs ~10 µs, so writing the ≤256
// records of each chunk separately made rank 0's I/O the bottleneck of large maps.
class CheckpointedSink final : public RecordSink {
public:
    static constexpr std::size_t kGroup = 8192;

    explicit CheckpointedSink(RunFiles& files) : files_(files) {}
    void write(const double* records, std::size_t count, const RecordLayout& layout) override {
        files_.ensure_open();
        files_.journal->append(records, count);
        pending_.insert(pending_.end(), records, records + count * static_cast<std::size_t>(layout.size()));
        layout_ = layout;
        if (pending_.size() >= kGroup * static_cast<std::size_t>(layout.size())) flush();
        const auto now = std::chrono::steady_clock::now();
        if (now - last_sync_ > std::chrono::seconds(5)) {
            files_.journal->sync();
            files_.file->flush();
            last_sync_ = now;
        }
    }
    //! Write what is still grouped; call before the file is closed.
    void flush() {
        if (pending_.empty()) return;
        files_.file->write_records(pending_.data(), pending_.size() / static_cast<std::size_t>(layout_.size()), layout_);
        pending_.clear();
    }

private:
    RunFiles& files_;
    std::vector<double> pending_;
    RecordLayout layout_;
    std::chrono::steady_clock::time_point last_sync_ = std::chrono::steady_clock::now();
};

std::int64_t shard_size(std::int64_t n_points, int index, int count) {
    return count <= 1 ? n_points : (n_points - index + count - 1) / count;
}

// Whether a journal record is one this run could have written: an integral index of a point
// of the grid and of this shard, and a status that a computed point has (not NOT_RUN).
bool valid_record(const double* rec, std::int64_t n_points, int index, int count) {
    const double k = rec[RecordLayout::kIndex];
    const double s = rec[RecordLayout::kStatus];
    if (!(k >= 0.0 && k < static_cast<double>(n_points)) || k != std::floor(k)) return false;
    if (!(s >= 0.0 && s < static_cast<double>(Status::not_run)) || s != std::floor(s)) return false;
    return in_shard(static_cast<std::int64_t>(k), index, count);
}

// What rank 0 finds before the sweep: whether anything is left to do, which points, and what
// the checkpoint already holds.
struct RunStart {
    bool already_complete = false;  // --resume of a complete output of the same input
    bool explicit_points = false;   // pending_bits lists the points (a resume or a shard)
    std::vector<std::uint64_t> pending_bits;
    std::int64_t already_done = 0;
    std::int64_t already_failed = 0;  // checkpointed points whose status is not OK
    std::int64_t dropped = 0, damaged_bytes = 0;
};

// Rank 0, before anything is written: the output may be written (and its lock is held), an
// interrupted run is only continued with --resume, and --resume rebuilds the .partial from a
// checkpoint of the same input and lists the points it still lacks.
RunStart start_run(const ModelFile& model, const Grid& grid, const MapRunOptions& options, RunFiles& files,
                   std::optional<io::OutputLock>& lock) {
    const SourceLocation cli{"<command line>", 1, 1};
    const std::string& partial = files.partial;
    const std::string& journal_path = files.journal_path;
    const RecordLayout layout = record_layout(model.mechanism, model.solver);
    const std::int64_t n_points = grid.size();
    const bool sharded = options.shard_count > 1;
    RunStart start;
    // Nothing is touched before the output is known to be safe to write and the lock is held.
    std::vector<std::string> inputs = {model.source.path};
    io::check_output_path(options.output, inputs, "--output");
    lock.emplace(options.output);
    const bool has_journal = exists(journal_path);
    if (!options.resume && (has_journal || exists(partial))) {
        throw InputError(cli, "--output",
                         "an interrupted run of " + options.output + " exists (" +
                             (has_journal ? journal_path : partial) +
                             "): continue it with --resume, or delete it to start again");
    }
    if (options.resume && !has_journal && exists(options.output)) {
        // DESIGN §6: --resume of a complete output of the same input changes nothing.
        const io::MapFile done = io::MapFile::open(options.output, false);
        const bool same = done.root_attribute("model_hash") == content_hash(model.source.text) &&
                          done.nx() == grid.nx() && done.ny() == grid.ny() &&
                          done.integer_attribute("shard_index", 0) == options.shard_index &&
                          done.integer_attribute("shard_count", 1) == options.shard_count;
        if (!same) {
            throw InputError({model.source.path, 1, 1}, "--resume",
                             options.output + " is a complete map of a different model, grid or shard "
                             "(hash " + done.root_attribute("model_hash") + "); nothing was changed. "
                             "Run without --resume to replace it, or choose another -o");
        }
        // Every steady state (DESIGN §8) is a run setting, not in the model text: a complete map
        // without them does not answer a --resume that asks for them (nor the other way round).
        const std::vector<Field> stored = done.fields();
        const bool has_states = std::any_of(stored.begin(), stored.end(),
                                            [](const Field& f) { return f.feature == Feature::all_states; });
        if (has_states != model.solver.all_states) {
            throw InputError(cli, "--resume",
                             options.output + " is a complete map " +
                                 (has_states ? "with" : "without") + " every steady state, and this run " +
                                 (has_states ? "does not ask" : "asks") +
                                 " for them (--all-states / [solver] all_states); nothing was changed. "
                                 "Run without --resume to recompute it, or choose another -o");
        }
        start.already_complete = true;
        return start;
    }
    const bool from_journal = options.resume && has_journal;
    std::vector<std::uint64_t> done_bits;
    if (from_journal) {
        io::Journal journal = io::Journal::open(journal_path);
        const io::JournalHeader& found = journal.header();
        const io::JournalHeader& header = files.header;
        if (found.model_hash != header.model_hash || found.nx != header.nx ||
            found.ny != header.ny || found.record_size != header.record_size) {
            throw InputError({model.source.path, 1, 1}, "--resume",
                             "the interrupted run in " + journal_path + " was made from a "
                             "different model or grid (hash " + found.model_hash + ", " +
                             std::to_string(found.nx) + "x" + std::to_string(found.ny) +
                             "); nothing was changed. Use the same model file and the same "
                             "--all-states and --shard as that run, or another -o");
        }
        if (found.kinmap_version != header.kinmap_version) {
            throw InputError(cli, "--resume", "the interrupted run was made by kinmap " +
                             found.kinmap_version + ", this is " + header.kinmap_version);
        }
        // The HDF5 file is rebuilt from the journal: one cut mid-write may be unreadable.
        files.create_file();
        done_bits.assign(static_cast<std::size_t>((n_points + 63) / 64), 0);
        const auto stride = static_cast<std::size_t>(layout.size());
        std::vector<double> batch;
        const io::JournalScan scan = journal.replay([&](const double* records, std::size_t count) {
            for (std::size_t r = 0; r < count; ++r) {
                const double* rec = records + r * stride;
                if (!valid_record(rec, n_points, options.shard_index, options.shard_count)) {
                    ++start.dropped;
                    continue;
                }
                const auto k = static_cast<std::uint64_t>(rec[RecordLayout::kIndex]);
                std::uint64_t& word = done_bits[k / 64];
                if ((word >> (k % 64)) & 1U) continue;  // a duplicate: the first one stands
                word |= std::uint64_t{1} << (k % 64);
                ++start.already_done;
                if (rec[RecordLayout::kStatus] != static_cast<double>(Status::ok)) ++start.already_failed;
                batch.insert(batch.end(), rec, rec + stride);
                if (batch.size() >= 4096 * stride) {
                    files.file->write_records(batch.data(), batch.size() / stride, layout);
                    batch.clear();
                }
            }
        });
        if (!batch.empty()) files.file->write_records(batch.data(), batch.size() / stride, layout);
        start.damaged_bytes = scan.damaged_bytes;
        files.journal.emplace(std::move(journal));
    }
    if (from_journal || sharded) {
        // The points still to compute, one bit per point.
        start.explicit_points = true;
        start.pending_bits.assign(static_cast<std::size_t>((n_points + 63) / 64), 0);
        for (std::int64_t k = options.shard_index; k < n_points; k += options.shard_count) {
            const auto w = static_cast<std::size_t>(k / 64);
            const std::uint64_t bit = std::uint64_t{1} << (k % 64);
            if (done_bits.empty() || (done_bits[w] & bit) == 0) start.pending_bits[w] |= bit;
        }
    }
    if (start.dropped > 0 || start.damaged_bytes > 0) {
        std::fprintf(stderr, "[rank 0] warning: %s: %lld damaged bytes and %lld invalid records skipped; "
                             "their points are computed again\n",
                     journal_path.c_str(), static_cast<long long>(start.damaged_bytes), static_cast<long long>(start.dropped));
    }
    return start;
}

// Rank 0, after the sweep: the timing into the .partial; a complete run's file verified and
// renamed to the output, and only then its checkpoint removed. A run stopped before its first
// point saves nothing; a complete one (a shard without points) still writes its file.
void finish_files(RunFiles& files, const SweepStats& s, bool complete, const ModelFile& model,
                  const Grid& grid, const MapRunOptions& options) {
    if (complete) files.ensure_open();
    if (files.created()) {
        std::vector<long long> points(s.points_per_rank.begin(), s.points_per_rank.end());
        try {
            // A shard's folds are the merge's: they need the whole map.
            if (complete && model.solver.all_states && options.shard_count == 1) {
                write_fold_curves(*files.file, model, grid);
            }
            files.file->write_timing(s.compute_s, s.wait_s, s.io_s, points);
            files.file->close();
            files.journal->sync();
            if (complete) {
                commit_verified(files.partial, options.output, grid.nx(), grid.ny(), options.shard_index,
                                options.shard_count);
                files.journal->close();
                // Only now that OUT.h5 is durable may the checkpoint go.
                if (std::remove(files.journal_path.c_str()) != 0) throw IoError("cannot remove " + files.journal_path);
                io::sync_parent_directory(files.journal_path);
            } else {
                files.journal->close();
            }
        } catch (const std::exception& e) {
            // The .partial may be damaged; the journal holds every finished point.
            files.file.reset();
            std::remove(files.partial.c_str());
            throw IoError(std::string(e.what()) + "\n" + options.output + " was not written; the checkpoint " +
                          files.journal_path + " is kept: free space (or fix the cause), then run again "
                          "with --resume");
        }
    }
}

// Rank 0: the counts of finished and failed points, and the lines that tell users what the run
// did ("N points in T s, ...", where to continue, how many points failed).
void summarize(MapRunSummary& summary, const RunStart& start, std::int64_t planned, const RunFiles& files,
               double wall, int ranks, const MapRunOptions& options) {
    const SweepStats& s = summary.stats;
    std::ostringstream line;
    line << "[rank 0] " << s.points_done << " points";
    if (start.already_done > 0) line << " (+" << start.already_done << " from the checkpoint)";
    line << " in " << wall << " s, " << static_cast<double>(s.points_done) / wall << " points/s on "
         << ranks << (ranks == 1 ? " rank" : " ranks") << "; status:";
    for (int st = 0; st < kStatusCount; ++st) {
        if (s.status_counts[static_cast<std::size_t>(st)] > 0) {
            line << ' ' << kStatusLabels[static_cast<std::size_t>(st)] << '='
                 << s.status_counts[static_cast<std::size_t>(st)];
        }
    }
    summary.finished = start.already_done + s.points_done;
    summary.failed = start.already_failed;
    for (int st = 0; st < kStatusCount; ++st) {
        if (st != static_cast<int>(Status::ok)) summary.failed += s.status_counts[static_cast<std::size_t>(st)];
    }
    summary.too_many_failed = summary.complete && summary.failed > 0 &&
        static_cast<double>(summary.failed) > options.max_failed_fraction * static_cast<double>(summary.finished);
    if (summary.complete) {
        line << "; wrote " << options.output;
    } else if (!files.created()) {
        line << "; stopped before any point was finished, nothing saved";
    } else {
        line << "; stopped early, " << (planned - start.already_done - s.points_done)
             << " points left: continue with --resume (checkpoint " << files.journal_path << ")";
    }
    if (summary.failed > 0) {
        // A failed point is NaN in /tof, /coverage and /rates: say so where nobody can miss it.
        line << "\n[rank 0] warning: " << summary.failed << " of " << summary.finished << " points ("
             << 100.0 * static_cast<double>(summary.failed) / static_cast<double>(std::max<std::int64_t>(summary.finished, 1))
             << " %) did not reach an OK steady state; their tof, coverage and rates are NaN (see /status";
        if (start.already_failed > 0) line << ", " << start.already_failed << " of them from the checkpoint";
        line << ")";
        if (summary.too_many_failed) {
            line << "\n[rank 0] error: more than " << 100.0 * options.max_failed_fraction
                 << " % of the points failed (--max-failed-fraction " << options.max_failed_fraction
                 << "): exit 1; the map was written";
        }
    }
    summary.line = line.str();
}

}  // namespace

MapRunSummary run_map(const mpi::Communicator& comm, const ModelFile& model,
                      const MapRunOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    const Grid grid = make_grid(model);
    GridConditions check_pressures(model, grid);  // a gas without pressure: InputError
    const RecordLayout layout = record_layout(model.mechanism, model.solver);
    const SourceLocation cli{"<command line>", 1, 1};
    if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count) {
        throw InputError(cli, "--shard", "must be K/N with 0 <= K < N");
    }
    const bool sharded = options.shard_count > 1;
    // A shard's journal records which shard it is, so a resume with another --shard is refused.
    const std::string input_hash = content_hash(model.source.text) +
        (sharded ? "-shard" + std::to_string(options.shard_index) + "of" + std::to_string(options.shard_count) : "") +
        // --all-states is not in the model text: a resume must ask for it again.
        (model.solver.all_states ? "-all_states" + std::to_string(model.solver.max_states) : "");

    RunFiles files;
    files.output = options.output;
    files.partial = options.output + ".partial";
    files.journal_path = options.output + ".journal";
    files.header = io::JournalHeader{kVersion, input_hash, grid.nx(), grid.ny(), layout.size()};
    files.layout = map_layout(model.mechanism, grid, layout);
    files.attributes = io::RunAttributes{kVersion, content_hash(model.source.text), to_string(options.schedule),
                                         utc_now(), comm.size()};
    files.model_text = model.source.text;
    files.shard_index = options.shard_index;
    files.shard_count = options.shard_count;

    std::optional<io::OutputLock> lock;
    RunStart start;
    on_rank0_then_share(comm, [&] { start = start_run(model, grid, options, files, lock); });

    int flags[2] = {start.already_complete ? 1 : 0, start.explicit_points ? 1 : 0};
    comm.broadcast(flags, 2, 0);
    MapRunSummary summary;
    if (flags[0] != 0) {
        summary.complete = true;
        summary.line = "[rank 0] " + options.output + " is already complete for this model: nothing to resume, "
                       "nothing changed";
        return summary;
    }
    // Every rank needs the same points still to compute.
    const std::int64_t n_points = grid.size();
    PointList work = PointList::all(n_points);
    const std::int64_t planned = shard_size(n_points, options.shard_index, options.shard_count);
    if (flags[1] != 0) {
        comm.broadcast(start.pending_bits, 0);
        work = PointList::of_bitmap(std::move(start.pending_bits));
    }

    SweepOptions sweep;
    sweep.schedule = options.schedule;
    sweep.deadline = options.deadline;
    sweep.stop = options.stop;
    sweep.progress = options.progress;
    sweep.lanes = options.lanes;
    std::optional<CheckpointedSink> sink;
    if (comm.rank() == 0) sink.emplace(files);
    // One rank: the serial scheduler, the same PointWorker on this thread in the same point
    // order as the MPI sweep's computing thread (so bitwise the same records), without a second
    // thread that polls for messages no other rank will send.
    summary.stats = comm.size() == 1
                        ? run_sweep_serial(model, grid, work, *sink, sweep)
                        : run_sweep(comm, model, grid, work, comm.rank() == 0 ? &*sink : nullptr, sweep);

    on_rank0_then_share(comm, [&] {
        const auto flush_start = std::chrono::steady_clock::now();
        if (files.created()) sink->flush();
        summary.stats.io_s[0] += std::chrono::duration<double>(std::chrono::steady_clock::now() - flush_start).count();
        summary.complete = !summary.stats.stopped_early && start.already_done + summary.stats.points_done == planned;
        finish_files(files, summary.stats, summary.complete, model, grid, options);
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        summarize(summary, start, planned, files, wall, comm.size(), options);
    });
    // Every rank reports the same outcome.
    int outcome[2] = {summary.complete ? 1 : 0, summary.too_many_failed ? 1 : 0};
    comm.broadcast(outcome, 2, 0);
    summary.complete = outcome[0] != 0;
    summary.too_many_failed = outcome[1] != 0;
    return summary;
}

}  // namespace kinmap
