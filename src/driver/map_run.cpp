// Shards, merge and `info` (DESIGN.md §6), and what they share with run_resume.cpp about the
// map file (map_output.hpp).
#include "kinmap/driver/map_run.hpp"

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
#include "kinmap/sweep/fold_curves.hpp"
#include "kinmap/io/output_guard.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "map_output.hpp"

namespace kinmap {
namespace detail {

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

io::MapLayout map_layout(const Mechanism& m, const Grid& grid, const RecordLayout& record) {
    io::MapLayout layout;
    auto axis = [](const Axis& a, const std::vector<double>& values) {
        return io::AxisInfo{a.name(), a.units(), a.log_scale ? "log" : "linear", values};
    };
    layout.x = axis(grid.x, grid.xs);
    layout.y = axis(grid.y, grid.ys);
    for (int s : m.surface) layout.species.push_back(m.species[static_cast<std::size_t>(s)].name);
    for (const Step& step : m.steps) layout.steps.push_back(step.equation);
    for (int g : m.gases) layout.gases.push_back(m.species[static_cast<std::size_t>(g)].name);
    for (const Descriptor& d : m.descriptors) layout.descriptors.push_back(d.name);
    layout.tof_of = m.species[static_cast<std::size_t>(m.tof_of)].name;
    layout.features = record.features;
    layout.n_states = record.n_states;
    layout.rate_control = true;  // every OK point carries drc, trc, orders and ea_app_eV
    return layout;
}

void write_fold_curves(io::MapFile& file, const ModelFile& model, const Grid& grid) {
    const MapFolds folds = map_fold_curves(model, grid, file.read_map("n_states"));
    file.write_fold(io::FoldCurves{folds.x, folds.y, folds.curve});
}

bool in_shard(std::int64_t k, int index, int count) { return count <= 1 || k % count == index; }

// Read back a written map file before it is committed: every planned point has a status of a
// computed point, and every OK point a finite TOF (a chunk lost on a full disk reads back as
// the fill values NOT_RUN / NaN). Row blocks, so memory does not grow with the grid.
void verify_written(const std::string& path, std::int64_t nx, std::int64_t ny, int index, int count) {
    const io::MapFile file = io::MapFile::open(path, false);
    if (file.nx() != nx || file.ny() != ny) throw IoError(path + " reads back with the wrong grid");
    const std::int64_t rows = std::max<std::int64_t>(1, 65536 / std::max<std::int64_t>(ny, 1));
    for (std::int64_t i0 = 0; i0 < nx; i0 += rows) {
        const std::int64_t i1 = std::min(nx, i0 + rows);
        const std::vector<double> status = file.read_map("status", i0, i1);
        const std::vector<double> tof = file.read_map("tof", i0, i1);
        for (std::size_t p = 0; p < status.size(); ++p) {
            const std::int64_t k = i0 * ny + static_cast<std::int64_t>(p);
            if (!in_shard(k, index, count)) continue;
            const double s = status[p];
            if (!(s >= 0.0 && s < static_cast<double>(Status::not_run)) || (s == 0.0 && !std::isfinite(tof[p]))) {
                throw IoError(path + " reads back damaged at point " + std::to_string(k) +
                              " (status " + std::to_string(static_cast<int>(s)) + ", tof " + std::to_string(tof[p]) + ")");
            }
        }
    }
}

// Make a complete .partial the output: flush and fsync it, read it back, rename it, make the
// rename durable; only then the checkpoint may go.
void commit_verified(const std::string& partial, const std::string& output, std::int64_t nx, std::int64_t ny,
                     int index, int count) {
    io::sync_file(partial);
    verify_written(partial, nx, ny, index, count);
    io::commit_output(partial, output);
    io::sync_parent_directory(output);
}

}  // namespace detail

using namespace detail;

std::vector<std::int64_t> shard_points(std::int64_t n_points, int index, int count) {
    std::vector<std::int64_t> points;
    for (std::int64_t k = index; k < n_points; k += count) points.push_back(k);
    return points;
}

void merge_shards(const std::string& output, const std::vector<std::string>& shards) {
    const SourceLocation cli{"<command line>", 1, 1};
    if (shards.empty()) throw InputError(cli, "SHARD", "no shard files given");
    for (const std::string& path : shards) {
        if (!exists(path)) throw InputError({path, 0, 0}, "SHARD", "no such file");
    }
    // Before anything is read or written: the output is none of the shards, not a file that is
    // no map, and no other run or merge is writing it.
    io::check_output_path(output, shards, "OUT.h5");
    const io::OutputLock lock(output);
    std::string model_text, model_hash;
    std::int64_t nx = 0, ny = 0;
    int count = 0;
    std::vector<int> seen;
    std::optional<ModelFile> model;
    FeatureSet features;  // the model's optional features (descriptors, ...)
    for (std::size_t f = 0; f < shards.size(); ++f) {
        const std::string& path = shards[f];
        const SourceLocation where{path, 0, 0};
        if (!io::is_kinmap_map(path)) throw InputError(where, "SHARD", "not a readable kinmap map file");
        const io::MapFile shard = io::MapFile::open(path, false);
        // Merge copies every file field of the table: a shard without one of them (made by
        // another kinmap) would leave that variable NaN in the merged map. The fields of an
        // optional feature (descriptors, ...) exist only for a model with it: the first shard
        // says which it has (the others share its model, checked below by its hash; its model,
        // once read, confirms it).
        const std::vector<Field> present = shard.fields();
        if (f == 0) {
            for (const Field& p : present) features.add(p.feature);
        }
        for (const Field& wanted : kFields) {
            if (!wanted.in_file || !features.has(wanted.feature)) continue;
            const bool found = std::any_of(present.begin(), present.end(),
                                           [&](const Field& p) { return p.name == wanted.name; });
            if (!found) throw InputError(where, "SHARD", "has no /" + std::string(wanted.name) + "; recompute this shard");
        }
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
            model.emplace(parse_model(model_text, path + ":/model"));
            // Every steady state was asked for by the model or by --all-states: the file says.
            if (shard.n_states() > 0) {
                model->solver.all_states = true;
                model->solver.max_states = static_cast<int>(shard.n_states());
            }
            layout = record_layout(model->mechanism, model->solver);
            // The model's own features confirm what the shard's variables said.
            for (const Field& wanted : kFields) {
                if (wanted.in_file && layout.present(wanted) && !features.has(wanted.feature)) {
                    throw InputError(where, "SHARD", "has no /" + std::string(wanted.name) + "; recompute this shard");
                }
            }
            features = layout.features;
        }
        index_of.push_back(static_cast<int>(index));
        files.push_back(std::move(shard));
    }
    if (static_cast<int>(seen.size()) != count) {
        throw InputError(cli, "SHARD", "have " + std::to_string(seen.size()) + " of " + std::to_string(count) + " shards");
    }
    {
        const Grid grid = make_grid(*model);
        io::RunAttributes attributes{kVersion, model_hash, files[0].root_attribute("schedule"), utc_now(),
                                     static_cast<int>(files[0].integer_attribute("n_ranks", 1))};
        out.emplace(io::MapFile::create(partial, map_layout(model->mechanism, grid, layout), attributes, model_text));
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
                    const double st = rec[RecordLayout::kStatus];
                    if (st == static_cast<double>(Status::not_run)) {
                        throw InputError({shards[f], 0, 0}, "SHARD",
                                         "incomplete: point " + std::to_string(k) +
                                             " was not computed (finish it with --resume)");
                    }
                    if (!(st >= 0.0 && st < static_cast<double>(kStatusCount))) {
                        throw InputError({shards[f], 0, 0}, "SHARD",
                                         "damaged: point " + std::to_string(k) + " has status " +
                                             std::to_string(static_cast<long long>(st)) +
                                             ", which is no kinmap status; recompute this shard");
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
    try {
        out->set_root_attribute("merged_from", sources);
        if (model->solver.all_states) write_fold_curves(*out, *model, make_grid(*model));
        out->close();
        commit_verified(partial, output, nx, ny, 0, 1);
    } catch (...) {
        out.reset();
        std::remove(partial.c_str());
        throw;
    }
}

namespace {

// Statistics of a map, accumulated point by point (from the file in row blocks, or from a
// journal), so that memory does not grow with the grid.
struct MapSummary {
    std::array<std::int64_t, kStatusCount> counts{};
    std::int64_t invalid = 0, first_invalid = -1;
    double first_invalid_status = 0;
    struct Range {
        double lo = INFINITY, hi = -INFINITY, sum = 0;
        std::int64_t finite = 0;
        void add(double v) {
            if (!std::isfinite(v)) return;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            sum += v;
            ++finite;
        }
    } tof, residual, wall;

    void add_status(std::int64_t k, double s) {
        if (s >= 0.0 && s < kStatusCount && s == std::floor(s)) {
            ++counts[static_cast<std::size_t>(s)];
        } else {
            if (invalid++ == 0) {
                first_invalid = k;
                first_invalid_status = s;
            }
        }
    }
    void print(std::ostream& out) const {
        out << "  status:";
        for (int s = 0; s < kStatusCount; ++s) {
            if (counts[static_cast<std::size_t>(s)] > 0) out << ' ' << kStatusLabels[static_cast<std::size_t>(s)] << '=' << counts[static_cast<std::size_t>(s)];
        }
        out << '\n';
        auto range = [&](const char* name, const Range& r, const char* units) {
            out << "  " << name << ": ";
            if (r.finite == 0) out << "no finite values\n";
            else out << r.lo << " .. " << r.hi << ' ' << units << " (" << r.finite << " finite)\n";
        };
        range("tof", tof, "1/s");
        range("residual", residual, "(relative)");
        range("wall_time_s", wall, "s per point");
    }
    void refuse_if_damaged(const std::string& path) const {
        if (invalid == 0) return;
        throw InputError({path, 0, 0}, "status",
                         "damaged: " + std::to_string(invalid) + " points have a status that is no kinmap "
                         "status (first: point " + std::to_string(first_invalid) + ", status " +
                         std::to_string(first_invalid_status) + ")");
    }
};

// `info` of a run whose HDF5 file cannot be read (cut by kill -9, or open for writing by a
// running job): the same summary from its checkpoint journal.
std::string describe_journal(const std::string& path, const std::string& journal_path, const std::string& why) {
    io::JournalHeader header;
    MapSummary summary;
    std::vector<std::uint64_t> seen;
    std::int64_t records = 0;
    const io::JournalScan scan = io::Journal::scan(journal_path, header, [&](const double* recs, std::size_t count) {
        const std::int64_t points = header.nx * header.ny;
        if (seen.empty()) seen.assign(static_cast<std::size_t>((points + 63) / 64), 0);
        for (std::size_t r = 0; r < count; ++r) {
            const double* rec = recs + r * static_cast<std::size_t>(header.record_size);
            const double k = rec[RecordLayout::kIndex];
            if (!(k >= 0 && k < static_cast<double>(points)) || k != std::floor(k)) {
                summary.add_status(-1, -1);
                continue;
            }
            const auto kk = static_cast<std::uint64_t>(k);
            if ((seen[kk / 64] >> (kk % 64)) & 1U) continue;
            seen[kk / 64] |= std::uint64_t{1} << (kk % 64);
            ++records;
            summary.add_status(static_cast<std::int64_t>(k), rec[RecordLayout::kStatus]);
            const bool ok = rec[RecordLayout::kStatus] == 0.0;
            summary.tof.add(ok ? rec[RecordLayout::kTof] : NAN);
            summary.residual.add(rec[RecordLayout::kResidual]);
            summary.wall.add(rec[RecordLayout::kWallTime]);
        }
    });
    const std::int64_t points = header.nx * header.ny;
    std::ostringstream out;
    out << path << ": " << header.nx << " x " << header.ny << " = " << points << " points, unfinished ("
        << why << "; summary from the checkpoint " << journal_path << ")\n";
    out << "  kinmap " << header.kinmap_version << ", input hash " << header.model_hash << "\n";
    out << "  finished " << records << " points; " << points - records << " not yet (or outside this shard)";
    if (scan.damaged_bytes > 0) out << "; " << scan.damaged_bytes << " damaged bytes skipped";
    out << '\n';
    summary.print(out);
    summary.refuse_if_damaged(journal_path);
    return out.str();
}

}  // namespace

std::string describe_map(const std::string& path) {
    const SourceLocation cli{"<command line>", 1, 1};
    const std::string base = path.size() > 8 && path.compare(path.size() - 8, 8, ".partial") == 0
                                 ? path.substr(0, path.size() - 8) : path;
    const std::string journal_path = base + ".journal";
    if (!exists(path)) {
        if (exists(path + ".partial") || exists(journal_path)) {
            return describe_journal(path, journal_path, "the run has not finished: no " + path + " yet");
        }
        throw InputError(cli, "OUT.h5", path + ": no such file");
    }
    if (!io::is_kinmap_map(path)) {
        if (exists(journal_path)) return describe_journal(path, journal_path, "the HDF5 file is not readable now");
        throw InputError(cli, "OUT.h5", path + ": not a readable kinmap map file");
    }
    const io::MapFile file = io::MapFile::open(path, false);
    std::ostringstream out;
    const std::int64_t nx = file.nx(), ny = file.ny();
    out << path << ": " << nx << " x " << ny << " = " << nx * ny << " points\n";
    out << "  kinmap " << file.root_attribute("kinmap_version") << ", created " << file.root_attribute("created_utc")
        << ", " << file.integer_attribute("n_ranks", 0) << " ranks, schedule " << file.root_attribute("schedule") << "\n";
    out << "  input hash " << file.root_attribute("model_hash");
    if (file.integer_attribute("shard_count", 0) > 0) {
        out << ", shard " << file.integer_attribute("shard_index", 0) << "/" << file.integer_attribute("shard_count", 0);
    }
    out << '\n';
    // What the file holds, from the field table: the results (DESIGN §6), then the diagnostics.
    for (const Role role : {Role::result, Role::diagnostic}) {
        out << (role == Role::result ? "  results:" : "  diagnostics:");
        const char* separator = " ";
        for (const Field& f : file.fields()) {
            if (f.role != role) continue;
            out << separator << f.name;
            if (f.extent != Extent::point) {
                out << '(' << to_string(f.extent)
                    << ')';
            }
            if (f.units != "1") out << " [" << f.units << ']';
            separator = ", ";
        }
        out << '\n';
    }
    MapSummary summary;
    // Row blocks of at most ~64k points, as merge reads: a 10^9-point map needs no 8 GB.
    const std::int64_t rows = std::max<std::int64_t>(1, 65536 / std::max<std::int64_t>(ny, 1));
    for (std::int64_t i0 = 0; i0 < nx; i0 += rows) {
        const std::int64_t i1 = std::min(nx, i0 + rows);
        const std::vector<double> status = file.read_map("status", i0, i1);
        const std::vector<double> tof = file.read_map("tof", i0, i1);
        const std::vector<double> residual = file.read_map("residual", i0, i1);
        const std::vector<double> wall = file.read_map("wall_time_s", i0, i1);
        for (std::size_t p = 0; p < status.size(); ++p) {
            summary.add_status(i0 * ny + static_cast<std::int64_t>(p), status[p]);
            summary.tof.add(tof[p]);
            summary.residual.add(residual[p]);
            summary.wall.add(wall[p]);
        }
    }
    summary.print(out);
    out << "  compute: " << summary.wall.sum << " s in points";
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
    summary.refuse_if_damaged(path);
    return out.str();
}

}  // namespace kinmap
