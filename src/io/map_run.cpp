#include "kinmap/io/map_run.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

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

// Rank 0's sink: each batch goes to the journal (the checkpoint) at once, and to the HDF5 file
// in groups of kGroup records: one HDF5 write per dataset costs ~10 µs, so writing the ≤256
// records of each chunk separately made rank 0's I/O the bottleneck of large maps.
class CheckpointedSink final : public RecordSink {
public:
    static constexpr std::size_t kGroup = 8192;

    CheckpointedSink(io::MapFile& file, io::Journal& journal) : file_(file), journal_(journal) {}
    void write(const double* records, std::size_t count, const RecordLayout& layout) override {
        journal_.append(records, count);
        pending_.insert(pending_.end(), records, records + count * static_cast<std::size_t>(layout.size()));
        layout_ = layout;
        if (pending_.size() >= kGroup * static_cast<std::size_t>(layout.size())) flush();
        const auto now = std::chrono::steady_clock::now();
        if (now - last_sync_ > std::chrono::seconds(5)) {
            journal_.sync();
            file_.flush();
            last_sync_ = now;
        }
    }
    //! Write what is still grouped; call before the file is closed.
    void flush() {
        if (pending_.empty()) return;
        file_.write_records(pending_.data(), pending_.size() / static_cast<std::size_t>(layout_.size()), layout_);
        pending_.clear();
    }

private:
    io::MapFile& file_;
    io::Journal& journal_;
    std::vector<double> pending_;
    RecordLayout layout_;
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
    if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count) {
        throw InputError(cli, "--shard", "must be K/N with 0 <= K < N");
    }
    const bool sharded = options.shard_count > 1;
    // A shard's journal records which shard it is, so a resume with another --shard is refused.
    const std::string input_hash = content_hash(mechanism.text) +
        (sharded ? "-shard" + std::to_string(options.shard_index) + "of" + std::to_string(options.shard_count) : "");
    const io::JournalHeader header{kVersion, input_hash, grid.nx(), grid.ny(), layout.size()};

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
        io::RunAttributes attributes{kVersion, content_hash(mechanism.text), to_string(options.schedule),
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
        if (sharded) {
            file->set_root_attribute("shard_index", static_cast<long long>(options.shard_index));
            file->set_root_attribute("shard_count", static_cast<long long>(options.shard_count));
        }
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
        if (options.resume || sharded) {
            for (std::int64_t k : shard_points(grid.size(), options.shard_index, options.shard_count)) {
                if (!done[static_cast<std::size_t>(k)]) pending.push_back(k);
            }
        }
    });

    // Every rank needs the same list of points still to compute.
    PointList work = PointList::all(grid.size());
    const std::int64_t planned = static_cast<std::int64_t>(
        sharded ? shard_points(grid.size(), options.shard_index, options.shard_count).size() : static_cast<std::size_t>(grid.size()));
    if (options.resume || sharded) {
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
        const auto flush_start = std::chrono::steady_clock::now();
        sink->flush();
        summary.stats.io_s[0] += std::chrono::duration<double>(std::chrono::steady_clock::now() - flush_start).count();
        const SweepStats& s = summary.stats;
        std::vector<long long> points(s.points_per_rank.begin(), s.points_per_rank.end());
        const auto io_start = std::chrono::steady_clock::now();
        file->write_timing(s.compute_s, s.wait_s, s.io_s, points);
        summary.complete = !s.stopped_early && already_done + s.points_done == planned;
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
            line << "; stopped early, " << (planned - already_done - s.points_done)
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

std::vector<std::int64_t> shard_points(std::int64_t n_points, int index, int count) {
    std::vector<std::int64_t> points;
    for (std::int64_t k = index; k < n_points; k += count) points.push_back(k);
    return points;
}

void merge_shards(const std::string& output, const std::vector<std::string>& shards) {
    const SourceLocation cli{"<command line>", 1, 1};
    if (shards.empty()) throw InputError(cli, "SHARD", "no shard files given");
    std::string model_text, model_hash;
    std::int64_t nx = 0, ny = 0;
    int count = 0;
    std::vector<int> seen;
    std::optional<Mechanism> mechanism;
    for (std::size_t f = 0; f < shards.size(); ++f) {
        const std::string& path = shards[f];
        const SourceLocation where{path, 0, 0};
        if (!exists(path)) throw InputError(where, "SHARD", "no such file");
        const io::MapFile shard = io::MapFile::open(path, false);
        const std::string hash = shard.root_attribute("model_hash");
        if (f == 0) {
            model_hash = hash;
            nx = shard.nx();
            ny = shard.ny();
        } else if (hash != model_hash || shard.nx() != nx || shard.ny() != ny) {
            throw InputError(where, "SHARD", "made from a different model or grid than " + shards[0] +
                                                 " (hash " + hash + " vs " + model_hash + ")");
        }
    }
    // Shard identity and the model text come from the files themselves.
    const std::string partial = output + ".partial";
    std::optional<io::MapFile> out;
    RecordLayout layout;
    std::vector<io::MapFile> files;
    std::vector<int> index_of;
    for (std::size_t f = 0; f < shards.size(); ++f) {
        const std::string& path = shards[f];
        const SourceLocation where{path, 0, 0};
        io::MapFile shard = io::MapFile::open(path, false);
        const long long index = shard.integer_attribute("shard_index", -1);
        const long long n = shard.integer_attribute("shard_count", -1);
        if (index < 0 || n < 1) throw InputError(where, "SHARD", "not a shard (written without --shard K/N)");
        if (f == 0) count = static_cast<int>(n);
        if (n != count) throw InputError(where, "SHARD", "belongs to a split into " + std::to_string(n) + " shards, not " + std::to_string(count));
        if (std::find(seen.begin(), seen.end(), index) != seen.end()) {
            throw InputError(where, "SHARD", "shard " + std::to_string(index) + " given twice");
        }
        seen.push_back(static_cast<int>(index));
        if (f == 0) {
            model_text = shard.model_text();
            mechanism.emplace(parse_model(model_text, path + ":/model"));
            layout = RecordLayout{static_cast<int>(mechanism->surface.size()), static_cast<int>(mechanism->steps.size()),
                                  static_cast<int>(mechanism->gases.size())};
        }
        index_of.push_back(static_cast<int>(index));
        files.push_back(std::move(shard));
    }
    if (static_cast<int>(seen.size()) != count) {
        throw InputError(cli, "SHARD", "have " + std::to_string(seen.size()) + " of " + std::to_string(count) + " shards");
    }
    {
        const Grid grid = make_grid(*mechanism);
        io::RunAttributes attributes{kVersion, model_hash, files[0].root_attribute("schedule"), utc_now(),
                                     static_cast<int>(files[0].integer_attribute("n_ranks", 1))};
        out.emplace(io::MapFile::create(partial, map_layout(*mechanism, grid), attributes, model_text));
    }
    // Row blocks of at most ~64k points: memory does not grow with the grid.
    const auto stride = static_cast<std::size_t>(layout.size());
    const std::int64_t rows_per_block = std::max<std::int64_t>(1, 65536 / std::max<std::int64_t>(ny, 1));
    std::vector<double> mine;
    try {
        for (std::int64_t i0 = 0; i0 < nx; i0 += rows_per_block) {
            const std::int64_t i1 = std::min(nx, i0 + rows_per_block);
            for (std::size_t f = 0; f < files.size(); ++f) {
                const std::vector<double> records = files[f].read_rows(layout, i0, i1);
                mine.clear();
                for (std::int64_t k = i0 * ny; k < i1 * ny; ++k) {
                    if (k % count != index_of[f]) continue;
                    const double* rec = records.data() + static_cast<std::size_t>(k - i0 * ny) * stride;
                    if (rec[RecordLayout::kStatus] == static_cast<double>(Status::not_run)) {
                        throw InputError({shards[f], 0, 0}, "SHARD",
                                         "incomplete: point " + std::to_string(k) +
                                             " was not computed (finish it with --resume)");
                    }
                    mine.insert(mine.end(), rec, rec + stride);
                }
                out->write_records(mine.data(), mine.size() / stride, layout);
            }
        }
    } catch (...) {
        out->close();
        std::remove(partial.c_str());
        throw;
    }
    std::string sources;
    for (const auto& s : shards) sources += (sources.empty() ? "" : " ") + s;
    out->set_root_attribute("merged_from", sources);
    out->close();
    io::commit_output(partial, output);
}

std::string describe_map(const std::string& path) {
    const io::MapFile file = io::MapFile::open(path, false);
    std::ostringstream out;
    const std::int64_t n = file.nx() * file.ny();
    out << path << ": " << file.nx() << " x " << file.ny() << " = " << n << " points\n";
    out << "  kinmap " << file.root_attribute("kinmap_version") << ", created " << file.root_attribute("created_utc")
        << ", " << file.integer_attribute("n_ranks", 0) << " ranks, schedule " << file.root_attribute("schedule") << "\n";
    out << "  input hash " << file.root_attribute("model_hash");
    if (file.integer_attribute("shard_count", 0) > 0) {
        out << ", shard " << file.integer_attribute("shard_index", 0) << "/" << file.integer_attribute("shard_count", 0);
    }
    out << "\n  status:";
    const std::vector<std::uint8_t> status = file.read_status();
    std::array<std::int64_t, kStatusCount> counts{};
    for (std::uint8_t s : status) ++counts[std::min<std::size_t>(s, kStatusCount - 1)];
    for (int s = 0; s < kStatusCount; ++s) {
        if (counts[static_cast<std::size_t>(s)] > 0) out << ' ' << kStatusLabels[static_cast<std::size_t>(s)] << '=' << counts[static_cast<std::size_t>(s)];
    }
    out << '\n';
    auto range = [&](const char* name, const char* units) {
        const std::vector<double> v = file.read_map(name);
        double lo = INFINITY, hi = -INFINITY;
        std::int64_t finite = 0;
        for (double x : v) {
            if (!std::isfinite(x)) continue;
            lo = std::min(lo, x);
            hi = std::max(hi, x);
            ++finite;
        }
        out << "  " << name << ": ";
        if (finite == 0) out << "no finite values\n";
        else out << lo << " .. " << hi << ' ' << units << " (" << finite << " finite)\n";
        return v;
    };
    range("tof", "1/s");
    range("residual", "(relative)");
    const std::vector<double> wall = range("wall_time_s", "s per point");
    double total = 0.0;
    for (double w : wall) total += std::isfinite(w) ? w : 0.0;
    out << "  compute: " << total << " s in points";
    const std::vector<double> compute = file.read_timing("compute_s");
    const std::vector<double> wait = file.read_timing("wait_s");
    const std::vector<double> io_s = file.read_timing("io_s");
    if (!compute.empty()) {
        double busiest = 0.0, sum = 0.0;
        for (double c : compute) {
            busiest = std::max(busiest, c);
            sum += c;
        }
        out << "; per rank busy " << sum / static_cast<double>(compute.size()) << " s mean, " << busiest
            << " s max (load balance " << (busiest > 0 ? sum / static_cast<double>(compute.size()) / busiest : 1.0) << ")";
        double w = 0.0, i = 0.0;
        for (double x : wait) w = std::max(w, x);
        for (double x : io_s) i += x;
        out << ", wait max " << w << " s, I/O " << i << " s";
    }
    out << '\n';
    return out.str();
}

}  // namespace kinmap
