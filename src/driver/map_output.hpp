#pragma once
// Internal to src/driver: what a run (run_resume.cpp) and a merge or `info` (map_run.cpp)
// share about the map file they produce: its layout from a mechanism, the shard a point
// belongs to, and the verified commit of OUT.h5.partial to OUT.h5.

#include <cstdint>
#include <string>

#include "kinmap/io/map_file.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/sweep/record.hpp"
#include "kinmap/sweep/grid.hpp"

namespace kinmap::detail {

//! Whether `path` exists (any kind of file).
bool exists(const std::string& path);
//! The current time as "YYYY-MM-DDTHH:MM:SSZ" (the `created_utc` attribute).
std::string utc_now();
//! The labels and axes of the map file of `m` on `grid` (DESIGN.md §6), with the optional
//! features and state slots of `record` (the run's RecordLayout).
io::MapLayout map_layout(const Mechanism& m, const Grid& grid, const RecordLayout& record);
//! With every steady state (DESIGN §8): `/fold` of the complete map in `file` (rank 0, after
//! the sweep or the merge; from the file's /n_states, so the same at any rank count).
void write_fold_curves(io::MapFile& file, const ModelFile& model, const Grid& grid);
//! Whether point k belongs to shard `index` of `count` (k mod count == index; count 1: all).
bool in_shard(std::int64_t k, int index, int count);
//! Make a complete .partial the output: fsync it, read it back (every point of shard `index`
//! of `count` has a computed status and every OK point a finite TOF, else IoError), rename it
//! and make the rename durable.
void commit_verified(const std::string& partial, const std::string& output, std::int64_t nx,
                     std::int64_t ny, int index, int count);

}  // namespace kinmap::detail
