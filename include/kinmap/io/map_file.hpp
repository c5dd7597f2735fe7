#pragma once
//! \file
//! The output file of a sweep (DESIGN.md §6, a contract): netCDF-4-compatible variables at the
//! root with dimension scales x, y, species, step and gas, so that h5py reads it as-is and
//! `xarray.open_dataset(path, engine="h5netcdf")` returns every map with its coordinates. The
//! per-point variables, their dtypes, attributes, dimensions and fill values are those of the
//! field table (kinmap/sweep/fields.hpp) with `in_file`.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kinmap/sweep/record.hpp"

namespace kinmap::io {

//! Root attribute `schema_version` of the map files this build writes.
inline constexpr int kSchemaVersion = 1;
//! Root attribute `title` of every map file.
inline constexpr const char* kMapTitle = "kinmap microkinetic map";

//! One grid axis as stored in `/x` or `/y`.
struct AxisInfo {
    std::string name;           //!< e.g. "p_O2_g"
    std::string units;          //!< e.g. "bar"
    std::string scale;          //!< "log" or "linear"
    std::vector<double> values;
};

//! Shape and labels of a map file.
struct MapLayout {
    AxisInfo x, y;
    std::vector<std::string> species;  //!< surface species incl. free sites
    std::vector<std::string> steps;    //!< step equations in file order
    std::vector<std::string> gases;
    //! descriptors of a volcano model (DESIGN §10); without any, the file has no /descriptor
    //! scale and no per-descriptor variable
    std::vector<std::string> descriptors;
    std::string tof_of;
    //! The model's optional features (RecordLayout::features): a field of a feature the model
    //! lacks is not a variable of the file. Descriptors also need `descriptors` above.
    FeatureSet features = FeatureSet{};
    bool rate_control = false;         //!< create the rate-control fields (/drc, /trc, ...)
    //! Slots of the /state scale (RecordLayout::n_states) when Feature::all_states is on.
    int n_states = 0;
};

//! Points on the fold (saddle-node) curves crossing a map (DESIGN §8): `/fold/x`, `/fold/y`
//! in axis units and `/fold/curve`, ordered along each curve.
struct FoldCurves {
    std::vector<double> x, y;
    std::vector<std::int32_t> curve;
};

//! Root attributes describing the run.
struct RunAttributes {
    std::string kinmap_version;
    std::string model_hash;
    std::string schedule;
    std::string created_utc;
    int n_ranks = 1;
};

//! A map file open for writing (on rank 0 only). Chunked datasets are created up front and
//! filled with NaN / NOT_RUN, so memory does not grow with the grid.
class MapFile {
public:
    //! Create `path` (truncating it) with every dataset of the layout.
    static MapFile create(const std::string& path, const MapLayout& layout,
                          const RunAttributes& attributes, const std::string& model_toml);
    //! Open an existing map file, read-write or read-only.
    static MapFile open(const std::string& path, bool writable = true);

    ~MapFile();
    MapFile(MapFile&&) noexcept;
    MapFile& operator=(MapFile&&) noexcept;
    MapFile(const MapFile&) = delete;  // owns an HDF5 file handle
    MapFile& operator=(const MapFile&) = delete;

    //! Store `count` records (see RecordLayout) at their points: every file field of the table,
    //! with its IfNotOk rule where the status is not OK (TOF, coverages, ... NaN).
    void write_records(const double* records, std::size_t count, const RecordLayout& layout);
    //! `/status` of every point, k = i·ny + j.
    std::vector<std::uint8_t> read_status() const;
    //! A 2-D [x, y] variable (e.g. "tof", "wall_time_s") as doubles, k = i·ny + j.
    std::vector<double> read_map(const std::string& name) const;
    //! Rows i0 <= i < i1 of a 2-D [x, y] variable as doubles; memory ∝ rows read.
    std::vector<double> read_map(const std::string& name, std::int64_t i0, std::int64_t i1) const;
    //! `/timing/<name>` per rank (empty if absent).
    std::vector<double> read_timing(const std::string& name) const;
    //! Records of the rows i0 <= i < i1 (points k = i·ny + j in order): every field the file
    //! holds, NaN for the others (e.g. `stable`); memory ∝ rows read.
    std::vector<double> read_rows(const RecordLayout& layout, std::int64_t i0, std::int64_t i1) const;
    //! A string attribute of the root group ("" if absent).
    std::string root_attribute(const std::string& name) const;
    //! An integer attribute of the root group (`fallback` if absent).
    long long integer_attribute(const std::string& name, long long fallback) const;
    //! The input file verbatim, from `/model` attribute `toml`.
    std::string model_text() const;
    void set_root_attribute(const std::string& name, const std::string& value);
    void set_root_attribute(const std::string& name, long long value);
    //! `/timing`: per-rank compute, wait and I/O seconds and points solved.
    void write_timing(const std::vector<double>& compute_s, const std::vector<double>& wait_s,
                      const std::vector<double>& io_s, const std::vector<long long>& points);
    //! The fields of kFields this file holds as variables, in table order.
    std::vector<Field> fields() const;
    //! `/fold` (replacing one that is there), with a dimension scale `/fold/point`.
    void write_fold(const FoldCurves& fold);
    //! `/fold` of the file (empty if absent).
    FoldCurves read_fold() const;
    //! Slots of the /state scale: 0 for a map without every steady state (DESIGN §8).
    std::int64_t n_states() const;
    //! Grid size.
    std::int64_t nx() const;
    std::int64_t ny() const;
    //! Flush buffers to the file (checkpoint).
    void flush();
    //! Close, checking every HDF5 close (throws IoError when the data did not all reach the
    //! file, e.g. on a full disk); idempotent. The destructor closes too, never renames.
    void close();

private:
    struct Impl;
    explicit MapFile(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

//! Rename `partial_path` to `final_path` atomically (same file system). Throws IoError.
void commit_output(const std::string& partial_path, const std::string& final_path);

}  // namespace kinmap::io
