#pragma once
//! \file
//! The layout of the map file of `kinmap run` (DESIGN §6) for callers that build the same map
//! elsewhere: the Python module's in-memory xarray Dataset (DESIGN §9) takes its coordinates,
//! labels and variables from here, so that they are the run's own.

#include <string>

#include "kinmap/io/map_file.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/sweep/grid.hpp"

namespace kinmap {

//! The labels, axes and features of the map file of `mechanism` on `grid`, as `kinmap run`
//! creates it.
io::MapLayout map_file_layout(const Mechanism& mechanism, const Grid& grid);
//! As above for records of `record` (e.g. with every steady state: the /state scale).
io::MapLayout map_file_layout(const Mechanism& mechanism, const Grid& grid, const RecordLayout& record);

//! Whether the field kFields[f] is a variable of a map file of `layout` (MapFile::fields()).
bool map_file_has(const io::MapLayout& layout, std::size_t f);

//! The current time as the `created_utc` attribute writes it ("YYYY-MM-DDTHH:MM:SSZ").
std::string utc_timestamp();

}  // namespace kinmap
