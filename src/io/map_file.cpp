// The HDF5 C API behind a thin RAII layer; the only translation unit besides hdf5 helpers
// that includes <hdf5.h>. The per-point variables are the file fields of the field table
// (kinmap/sweep/fields.hpp): created, written and read by one loop over kFields each.
#include "kinmap/io/map_file.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include "hdf5_util.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>

#include "kinmap/core/error.hpp"
#include "kinmap/steady/status.hpp"

namespace kinmap::io {
namespace {

using namespace detail;

// ---- the datasets of DESIGN §6: the file variables of the field table -------------------

hid_t hdf5_type(Storage s) {
    switch (s) {
        case Storage::f64: return H5T_NATIVE_DOUBLE;
        case Storage::u8: return H5T_NATIVE_UINT8;
        case Storage::i32: return H5T_NATIVE_INT32;
        case Storage::i64: return H5T_NATIVE_INT64;
        case Storage::i8: return H5T_NATIVE_INT8;
    }
    return H5T_NATIVE_DOUBLE;
}

// Whether kFields[f] is a variable of a file with (or without) rate control and with the
// optional features `features`.
bool stored(std::size_t f, bool rate_control, const FeatureSet& features) {
    return kFields[f].in_file && (rate_control || !kFields[f].rate_control) &&
           features.has(kFields[f].feature);
}

// Convert doubles to the dataset's memory type in a byte buffer (the type is classified once,
// not per element).
void convert(hid_t type, const std::vector<double>& in, std::vector<unsigned char>& out) {
    const std::size_t size = H5Tget_size(type);
    out.resize(in.size() * size);
    const bool is_double = H5Tequal(type, H5T_NATIVE_DOUBLE) > 0;
    const bool is_u8 = !is_double && H5Tequal(type, H5T_NATIVE_UINT8) > 0;
    const bool is_i32 = !is_double && !is_u8 && H5Tequal(type, H5T_NATIVE_INT32) > 0;
    const bool is_i8 = !is_double && !is_u8 && !is_i32 && H5Tequal(type, H5T_NATIVE_INT8) > 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        unsigned char* p = out.data() + i * size;
        if (is_double) {
            std::memcpy(p, &in[i], sizeof(double));
        } else if (is_u8) {
            *p = static_cast<unsigned char>(in[i]);
        } else if (is_i8) {
            const auto v = static_cast<std::int8_t>(in[i]);
            std::memcpy(p, &v, sizeof v);
        } else if (is_i32) {
            const auto v = static_cast<std::int32_t>(in[i]);
            std::memcpy(p, &v, sizeof v);
        } else {
            const auto v = static_cast<std::int64_t>(in[i]);
            std::memcpy(p, &v, sizeof v);
        }
    }
}

}  // namespace

struct MapFile::Impl {
    Handle file;
    std::int64_t nx = 0, ny = 0;
    bool rate_control = false;
    FeatureSet features;  // the optional features whose variables the file has
    std::int64_t n_states = 0;  // slots of the /state scale (0: no every-steady-state fields)
    std::vector<Handle> open;  // datasets of kFields, opened on first write and kept open

    hid_t dataset(std::size_t f) {
        if (open.size() != kFields.size()) open.resize(kFields.size());
        if (open[f].get() < 0) open[f] = open_for_writing(std::string(kFields[f].name));
        return open[f].get();
    }

    //! A dataset of the map with a chunk cache that holds two bands of its chunks (64 rows of
    //! x, every y): points arrive row after row, so each chunk is written in full while it is
    //! cached and goes to disk once. With HDF5's default 1 MiB cache a band of coverage chunks
    //! of a 900-column map did not fit: chunks went out part-written and were read back and
    //! written again for every batch, 2.2 s of a 10.4 s run (900 x 900, CO/Pt(100)).
    Handle open_for_writing(const std::string& name) {
        Handle d = open_dataset(file.get(), name);
        const Handle dcpl(check_id(H5Dget_create_plist(d.get()), "H5Dget_create_plist"), H5Pclose);
        if (H5Pget_layout(dcpl.get()) != H5D_CHUNKED) return d;
        hsize_t chunk[4] = {1, 1, 1, 1};
        const int rank = H5Pget_chunk(dcpl.get(), 4, chunk);
        if (rank < 2 || rank > 4) return d;
        const Handle type(check_id(H5Dget_type(d.get()), "H5Dget_type"), H5Tclose);
        double chunk_bytes = static_cast<double>(H5Tget_size(type.get()));
        for (int a = 0; a < rank; ++a) chunk_bytes *= static_cast<double>(chunk[a]);
        const double per_band = std::ceil(static_cast<double>(ny) / static_cast<double>(chunk[1]));
        // At most 16 MiB per dataset (HDF5 fills a cache only as chunks arrive): ~26 datasets
        // stay within ~0.4 GiB on rank 0 however wide the map; beyond, chunks are written twice.
        constexpr double kDefault = 1024.0 * 1024.0, kMost = 16.0 * 1024.0 * 1024.0;
        const double wanted = 2.0 * per_band * chunk_bytes;
        if (wanted <= kDefault) return d;  // two bands fit the default cache (small maps)
        const double bytes = std::min(wanted, kMost);
        // HDF5 asks for a prime number of hash slots, about 10-100 per cached chunk (it
        // allocates them all at once: counted from the chunks cached, at most 20 per band).
        auto slots = static_cast<std::size_t>(std::max(521.0, 10.0 * std::ceil(bytes / chunk_bytes)));
        auto prime = [](std::size_t n) {
            for (std::size_t q = 2; q * q <= n; ++q) {
                if (n % q == 0) return false;
            }
            return true;
        };
        while (!prime(slots)) ++slots;
        const Handle dapl(check_id(H5Pcreate(H5P_DATASET_ACCESS), "H5Pcreate"), H5Pclose);
        // w0 = 1: a chunk written in full leaves the cache before one still being filled.
        check(H5Pset_chunk_cache(dapl.get(), slots, static_cast<std::size_t>(bytes), 1.0), "H5Pset_chunk_cache");
        d = Handle();
        return open_dataset(file.get(), name, dapl.get());
    }
};

MapFile::MapFile(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MapFile::~MapFile() = default;
MapFile::MapFile(MapFile&&) noexcept = default;
MapFile& MapFile::operator=(MapFile&&) noexcept = default;

MapFile MapFile::create(const std::string& path, const MapLayout& layout,
                        const RunAttributes& attributes, const std::string& model_toml) {
    auto impl = std::make_unique<Impl>();
    // Track creation order so that netCDF readers see variables in a stable order.
    const Handle fcpl(check_id(H5Pcreate(H5P_FILE_CREATE), "H5Pcreate"), H5Pclose);
    check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
          "H5Pset_link_creation_order");
    impl->file = Handle(check_id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT),
                                 "cannot create " + path),
                        H5Fclose);
    const hid_t root = impl->file.get();
    impl->nx = static_cast<std::int64_t>(layout.x.values.size());
    impl->ny = static_cast<std::int64_t>(layout.y.values.size());
    impl->rate_control = layout.rate_control;
    impl->features = layout.features;
    impl->n_states = layout.n_states;
    if (layout.descriptors.empty()) impl->features.bits &= static_cast<std::uint8_t>(~(1u << static_cast<unsigned>(Feature::descriptors)));
    else impl->features.add(Feature::descriptors);

    write_string_attribute(root, "kinmap_version", attributes.kinmap_version);
    write_numeric_attribute<int>(root, "schema_version", H5T_NATIVE_INT, {kSchemaVersion}, true);
    write_string_attribute(root, "model_hash", attributes.model_hash);
    write_numeric_attribute<int>(root, "n_ranks", H5T_NATIVE_INT, {attributes.n_ranks}, true);
    write_string_attribute(root, "schedule", attributes.schedule);
    write_string_attribute(root, "created_utc", attributes.created_utc);
    write_string_attribute(root, "tof_of", layout.tof_of);
    write_string_attribute(root, "title", kMapTitle);

    // Coordinates: dimension scales.
    auto axis = [&](const char* name, const AxisInfo& a) {
        const Handle space = dataspace({a.values.size()});
        Handle d(check_id(H5Dcreate2(root, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT,
                                     H5P_DEFAULT, H5P_DEFAULT),
                          std::string("create /") + name),
                 H5Dclose);
        check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, a.values.data()),
              std::string("write /") + name);
        check(H5DSset_scale(d.get(), name), "H5DSset_scale");
        write_string_attribute(d.get(), "name", a.name);
        write_string_attribute(d.get(), "units", a.units);
        write_string_attribute(d.get(), "scale", a.scale);
        // xarray's labels append the units attribute themselves ("p_O2_g [bar]").
        write_string_attribute(d.get(), "long_name", a.name);
        return d;
    };
    auto labels = [&](const char* name, const std::vector<std::string>& values) {
        const Handle type = string_type();
        const Handle space = dataspace({values.size()});
        Handle d(check_id(H5Dcreate2(root, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                                     H5P_DEFAULT),
                          std::string("create /") + name),
                 H5Dclose);
        std::vector<const char*> data;
        for (const auto& v : values) data.push_back(v.c_str());
        if (!data.empty()) {
            check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
                  std::string("write /") + name);
        }
        check(H5DSset_scale(d.get(), name), "H5DSset_scale");
        return d;
    };
    const Handle x = axis("x", layout.x);
    const Handle y = axis("y", layout.y);
    const Handle species = labels("species", layout.species);
    const Handle step = labels("step", layout.steps);
    const Handle gas = labels("gas", layout.gases);
    const Handle descriptor = impl->features.has(Feature::descriptors) ? labels("descriptor", layout.descriptors) : Handle();
    // Every steady state (DESIGN §8): a /state dimension scale 0 … max_states − 1.
    if (layout.n_states <= 0) impl->features.bits &= static_cast<std::uint8_t>(~(1u << static_cast<unsigned>(Feature::all_states)));
    Handle state;
    if (impl->features.has(Feature::all_states)) {
        std::vector<std::int32_t> slots(static_cast<std::size_t>(layout.n_states));
        for (std::size_t s = 0; s < slots.size(); ++s) slots[s] = static_cast<std::int32_t>(s);
        const Handle space = dataspace({slots.size()});
        state = Handle(check_id(H5Dcreate2(root, "state", H5T_NATIVE_INT32, space.get(), H5P_DEFAULT,
                                           H5P_DEFAULT, H5P_DEFAULT),
                                "create /state"),
                       H5Dclose);
        check(H5Dwrite(state.get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, slots.data()), "write /state");
        check(H5DSset_scale(state.get(), "state"), "H5DSset_scale");
        write_string_attribute(state.get(), "long_name", "steady state (stable first, by ascending TOF)");
    }

    const auto nx = static_cast<hsize_t>(impl->nx);
    const auto ny = static_cast<hsize_t>(impl->ny);
    auto scale_of = [&](Extent e) -> const Handle* {
        switch (e) {
            case Extent::species: return &species;
            case Extent::step: return &step;
            case Extent::gas: return &gas;
            case Extent::descriptor: return &descriptor;
            case Extent::state: return &state;
            case Extent::state_species: return &state;
            case Extent::point: return nullptr;
        }
        return nullptr;
    };
    auto size_of = [&](Extent e) -> hsize_t {
        switch (e) {
            case Extent::species: return layout.species.size();
            case Extent::step: return layout.steps.size();
            case Extent::gas: return layout.gases.size();
            case Extent::descriptor: return layout.descriptors.size();
            case Extent::state: return static_cast<hsize_t>(std::max(layout.n_states, 0));
            case Extent::state_species: return static_cast<hsize_t>(std::max(layout.n_states, 0));
            case Extent::point: return 1;
        }
        return 1;
    };
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (!stored(f, layout.rate_control, impl->features)) continue;
        const Field& v = kFields[f];
        const std::string name(v.name);
        const hid_t type = hdf5_type(v.storage);
        std::vector<hsize_t> dims = {nx, ny};
        // Chunks of up to 64 x 64 points with the whole third dimension: a heatmap's rows,
        // columns and tiles read few chunks, and one chunk of coverage for 10 species is
        // ~330 kB, within HDF5's default 1 MiB chunk cache for a reader (the writer sizes its
        // own, open_for_writing).
        std::vector<hsize_t> chunk = {std::min<hsize_t>(nx, 64), std::min<hsize_t>(ny, 64)};
        const Handle* third = scale_of(v.extent);
        if (third != nullptr) {
            const hsize_t n3 = size_of(v.extent);
            dims.push_back(n3);
            chunk.push_back(std::max<hsize_t>(n3, 1));
        }
        // [x, y, state, species]: the fourth dimension is the species.
        if (v.extent == Extent::state_species) {
            dims.push_back(layout.species.size());
            chunk.push_back(std::max<hsize_t>(layout.species.size(), 1));
        }
        const Handle space = dataspace(dims);
        const Handle dcpl(check_id(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate"), H5Pclose);
        bool chunkable = true;
        for (hsize_t d : dims) chunkable = chunkable && d > 0;
        if (chunkable) check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "H5Pset_chunk");
        std::vector<double> fill = {v.fill};
        std::vector<unsigned char> fill_bytes;
        convert(type, fill, fill_bytes);
        check(H5Pset_fill_value(dcpl.get(), type, fill_bytes.data()), "H5Pset_fill_value");
        const Handle d(check_id(H5Dcreate2(root, name.c_str(), type, space.get(), H5P_DEFAULT,
                                           dcpl.get(), H5P_DEFAULT),
                                "create /" + name),
                       H5Dclose);
        check(H5DSattach_scale(d.get(), x.get(), 0), "attach x");
        check(H5DSattach_scale(d.get(), y.get(), 1), "attach y");
        if (third != nullptr) check(H5DSattach_scale(d.get(), third->get(), 2), "attach scale");
        if (v.extent == Extent::state_species) check(H5DSattach_scale(d.get(), species.get(), 3), "attach species");
        write_string_attribute(d.get(), "units", std::string(v.units));
        write_string_attribute(d.get(), "long_name", expand_long_name(v, layout.tof_of));
        if (v.kind == ValueKind::status) {
            std::vector<std::string> names(kStatusLabels.begin(), kStatusLabels.end());
            write_string_array_attribute(d.get(), "labels", names);
            std::vector<std::uint8_t> flags;
            std::string meanings;
            for (int s = 0; s < kStatusCount; ++s) {
                flags.push_back(static_cast<std::uint8_t>(s));
                meanings += (s ? " " : "") + names[static_cast<std::size_t>(s)];
            }
            write_numeric_attribute(d.get(), "flag_values", H5T_NATIVE_UINT8, flags);
            write_string_attribute(d.get(), "flag_meanings", meanings);
        }
    }
    // The input verbatim, as the string attribute `toml` of the group /model.
    const Handle model(check_id(H5Gcreate2(root, "model", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                "create /model"),
                       H5Gclose);
    write_string_attribute(model.get(), "toml", model_toml);
    return MapFile(std::move(impl));
}

MapFile MapFile::open(const std::string& path, bool writable) {
    auto impl = std::make_unique<Impl>();
    impl->file = Handle(check_id(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT),
                                 "cannot open " + path),
                        H5Fclose);
    const Handle status = open_dataset(impl->file.get(), "status");
    const Handle space(check_id(H5Dget_space(status.get()), "H5Dget_space"), H5Sclose);
    hsize_t dims[2] = {0, 0};
    check(H5Sget_simple_extent_dims(space.get(), dims, nullptr), "dims of /status");
    impl->nx = static_cast<std::int64_t>(dims[0]);
    impl->ny = static_cast<std::int64_t>(dims[1]);
    // A file has an optional feature when it has a variable of it (descriptors: the scale).
    if (H5Lexists(impl->file.get(), "descriptor", H5P_DEFAULT) > 0) impl->features.add(Feature::descriptors);
    for (const Field& f : kFields) {
        if (!f.in_file || f.feature == Feature::always || f.feature == Feature::descriptors) continue;
        const std::string name(f.name);
        if (H5Lexists(impl->file.get(), name.c_str(), H5P_DEFAULT) > 0) impl->features.add(f.feature);
    }
    if (impl->features.has(Feature::all_states) && H5Lexists(impl->file.get(), "state", H5P_DEFAULT) > 0) {
        const Handle state = open_dataset(impl->file.get(), "state");
        const Handle state_space(check_id(H5Dget_space(state.get()), "H5Dget_space"), H5Sclose);
        impl->n_states = H5Sget_simple_extent_npoints(state_space.get());
    }
    // A file has rate control when it has every rate-control variable of the table (those of
    // its features).
    impl->rate_control = true;
    for (const Field& f : kFields) {
        if (!f.in_file || !f.rate_control) continue;
        if (!impl->features.has(f.feature)) continue;
        const std::string name(f.name);
        impl->rate_control = impl->rate_control && H5Lexists(impl->file.get(), name.c_str(), H5P_DEFAULT) > 0;
    }
    return MapFile(std::move(impl));
}

std::vector<Field> MapFile::fields() const {
    std::vector<Field> present;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (stored(f, impl_->rate_control, impl_->features)) present.push_back(kFields[f]);
    }
    return present;
}

std::int64_t MapFile::nx() const { return impl_->nx; }
std::int64_t MapFile::n_states() const { return impl_->n_states; }
std::int64_t MapFile::ny() const { return impl_->ny; }

void MapFile::write_records(const double* records, std::size_t count, const RecordLayout& layout) {
    if (count == 0) return;
    const auto stride = static_cast<std::size_t>(layout.size());
    const auto ny = static_cast<std::int64_t>(impl_->ny);
    // Records in point order, and the runs of consecutive points within one row of the grid:
    // the dynamic schedule delivers contiguous chunks, so a batch is a few runs, each written
    // as one hyperslab. Scattered batches (cyclic schedule) use one point selection instead.
    std::vector<const double*> sorted(count);
    for (std::size_t r = 0; r < count; ++r) sorted[r] = records + r * stride;
    std::sort(sorted.begin(), sorted.end(), [](const double* a, const double* b) {
        return a[RecordLayout::kIndex] < b[RecordLayout::kIndex];
    });
    struct Run {
        hsize_t i, j0, length;
    };
    std::vector<Run> runs;
    for (const double* rec : sorted) {
        const auto k = static_cast<std::int64_t>(rec[RecordLayout::kIndex]);
        const auto i = static_cast<hsize_t>(k / ny);
        const auto j = static_cast<hsize_t>(k % ny);
        if (!runs.empty() && runs.back().i == i && runs.back().j0 + runs.back().length == j) {
            ++runs.back().length;
        } else {
            runs.push_back({i, j, 1});
        }
    }
    const bool by_runs = runs.size() * 4 <= count;

    std::vector<double> values;
    std::vector<hsize_t> coords;
    std::vector<unsigned char> bytes;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (!stored(f, impl_->rate_control, impl_->features)) continue;
        const Field& v = kFields[f];
        const std::string name(v.name);
        const hid_t type = hdf5_type(v.storage);
        const int n3 = layout.count(v.extent);
        if (n3 == 0) continue;
        const int offset = layout.offset(f);
        const int rank = v.extent == Extent::point ? 2 : v.extent == Extent::state_species ? 4 : 3;
        // [x, y, state, species] is written as [x, y, n3] of the flattened slots.
        const hsize_t n4 = v.extent == Extent::state_species ? static_cast<hsize_t>(layout.n_species) : 1;
        const hsize_t n3d = static_cast<hsize_t>(n3) / n4;
        // The file never holds a value the table says a point that is not OK has not (records
        // from pack_record already follow the rule; this covers records made elsewhere).
        const double not_ok = v.if_not_ok == IfNotOk::zero ? 0.0 : std::numeric_limits<double>::quiet_NaN();
        values.clear();
        for (const double* rec : sorted) {
            const bool keep = v.if_not_ok == IfNotOk::keep || rec[RecordLayout::kStatus] == 0.0;
            for (int s3 = 0; s3 < n3; ++s3) values.push_back(keep ? rec[offset + s3] : not_ok);
        }
        convert(type, values, bytes);
        const hid_t d = impl_->dataset(f);
        const Handle file_space(check_id(H5Dget_space(d), "H5Dget_space"), H5Sclose);
        const std::size_t element = H5Tget_size(type);
        if (by_runs) {
            std::size_t written = 0;
            for (const Run& run : runs) {
                const hsize_t start[4] = {run.i, run.j0, 0, 0};
                const hsize_t extent[4] = {1, run.length, rank == 4 ? n3d : static_cast<hsize_t>(n3), n4};
                check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, extent, nullptr),
                      "select rows of /" + name);
                const hsize_t n = run.length * static_cast<hsize_t>(n3);
                // The memory space in the file selection's shape: HDF5 then maps it to the
                // chunks as one block, where a flat {n} made it visit every element.
                const Handle mem_space = dataspace(std::vector<hsize_t>(extent, extent + rank));
                check(H5Dwrite(d, type, mem_space.get(), file_space.get(), H5P_DEFAULT,
                               bytes.data() + written * element),
                      "write /" + name);
                written += n;
            }
            continue;
        }
        coords.clear();
        for (const double* rec : sorted) {
            const auto k = static_cast<std::int64_t>(rec[RecordLayout::kIndex]);
            for (int s3 = 0; s3 < n3; ++s3) {
                coords.push_back(static_cast<hsize_t>(k / ny));
                coords.push_back(static_cast<hsize_t>(k % ny));
                if (rank == 3) coords.push_back(static_cast<hsize_t>(s3));
                if (rank == 4) {
                    coords.push_back(static_cast<hsize_t>(s3) / n4);
                    coords.push_back(static_cast<hsize_t>(s3) % n4);
                }
            }
        }
        check(H5Sselect_elements(file_space.get(), H5S_SELECT_SET, coords.size() / static_cast<std::size_t>(rank), coords.data()),
              "select points of /" + name);
        const Handle mem_space = dataspace({values.size()});
        check(H5Dwrite(d, type, mem_space.get(), file_space.get(), H5P_DEFAULT, bytes.data()),
              "write /" + name);
    }
}

std::vector<std::uint8_t> MapFile::read_status() const {
    std::vector<std::uint8_t> status(static_cast<std::size_t>(impl_->nx * impl_->ny));
    const Handle d = open_dataset(impl_->file.get(), "status");
    if (!status.empty()) {
        check(H5Dread(d.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, status.data()),
              "read /status");
    }
    return status;
}

std::vector<double> MapFile::read_map(const std::string& name) const {
    std::vector<double> values(static_cast<std::size_t>(impl_->nx * impl_->ny));
    const Handle d = open_dataset(impl_->file.get(), name);
    if (!values.empty()) {
        check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read /" + name);
    }
    return values;
}

std::vector<double> MapFile::read_map(const std::string& name, std::int64_t i0, std::int64_t i1) const {
    const auto rows = static_cast<hsize_t>(std::max<std::int64_t>(i1 - i0, 0));
    std::vector<double> values(static_cast<std::size_t>(rows) * static_cast<std::size_t>(impl_->ny));
    if (values.empty()) return values;
    const Handle d = open_dataset(impl_->file.get(), name);
    const Handle file_space(check_id(H5Dget_space(d.get()), "H5Dget_space"), H5Sclose);
    const hsize_t start[2] = {static_cast<hsize_t>(i0), 0};
    const hsize_t count[2] = {rows, static_cast<hsize_t>(impl_->ny)};
    check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
          "select rows of /" + name);
    const Handle mem_space = dataspace({values.size()});
    check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(), H5P_DEFAULT, values.data()),
          "read /" + name);
    return values;
}

std::vector<double> MapFile::read_timing(const std::string& name) const {
    const std::string path = "timing/" + name;
    if (H5Lexists(impl_->file.get(), "timing", H5P_DEFAULT) <= 0 ||
        H5Lexists(impl_->file.get(), path.c_str(), H5P_DEFAULT) <= 0) {
        return {};
    }
    const Handle d = open_dataset(impl_->file.get(), path);
    const Handle space(check_id(H5Dget_space(d.get()), "H5Dget_space"), H5Sclose);
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    std::vector<double> values(static_cast<std::size_t>(std::max<hssize_t>(n, 0)));
    if (!values.empty()) check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + path);
    return values;
}

std::vector<double> MapFile::read_rows(const RecordLayout& layout, std::int64_t i0, std::int64_t i1) const {
    const auto ny = static_cast<std::size_t>(impl_->ny);
    const auto rows = static_cast<std::size_t>(std::max<std::int64_t>(i1 - i0, 0));
    const std::size_t n = rows * ny;
    const auto stride = static_cast<std::size_t>(layout.size());
    std::vector<double> records(n * stride, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t p = 0; p < n; ++p) {
        records[p * stride + RecordLayout::kIndex] = static_cast<double>(static_cast<std::size_t>(i0) * ny + p);
    }
    std::vector<double> buffer;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (!stored(f, impl_->rate_control, impl_->features)) continue;
        const std::string name(kFields[f].name);
        const int n3 = layout.count(kFields[f].extent);
        if (n3 == 0 || n == 0) continue;
        buffer.assign(n * static_cast<std::size_t>(n3), 0.0);
        const Handle d = open_dataset(impl_->file.get(), name);
        const Handle file_space(check_id(H5Dget_space(d.get()), "H5Dget_space"), H5Sclose);
        const hsize_t n4 = kFields[f].extent == Extent::state_species ? static_cast<hsize_t>(layout.n_species) : 1;
        const hsize_t start[4] = {static_cast<hsize_t>(i0), 0, 0, 0};
        const hsize_t count[4] = {rows, ny, static_cast<hsize_t>(n3) / n4, n4};
        check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start, nullptr, count, nullptr),
              "select rows of /" + name);
        const Handle mem_space = dataspace({buffer.size()});
        check(H5Dread(d.get(), H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(), H5P_DEFAULT, buffer.data()),
              "read /" + name);
        const int offset = layout.offset(f);
        for (std::size_t p = 0; p < n; ++p) {
            for (int s3 = 0; s3 < n3; ++s3) {
                records[p * stride + static_cast<std::size_t>(offset + s3)] =
                    buffer[p * static_cast<std::size_t>(n3) + static_cast<std::size_t>(s3)];
            }
        }
    }
    return records;
}

std::string MapFile::root_attribute(const std::string& name) const {
    return read_string_attribute(impl_->file.get(), name);
}

long long MapFile::integer_attribute(const std::string& name, long long fallback) const {
    const hid_t root = impl_->file.get();
    if (H5Aexists(root, name.c_str()) <= 0) return fallback;
    const Handle attr(check_id(H5Aopen(root, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose);
    long long value = fallback;
    check(H5Aread(attr.get(), H5T_NATIVE_LLONG, &value), "read attribute " + name);
    return value;
}

std::string MapFile::model_text() const {
    const Handle model(check_id(H5Gopen2(impl_->file.get(), "model", H5P_DEFAULT), "open /model"), H5Gclose);
    return read_string_attribute(model.get(), "toml");
}

void MapFile::set_root_attribute(const std::string& name, const std::string& value) {
    write_string_attribute(impl_->file.get(), name, value);
}

void MapFile::set_root_attribute(const std::string& name, long long value) {
    write_numeric_attribute<long long>(impl_->file.get(), name, H5T_NATIVE_LLONG, {value}, true);
}

void MapFile::write_timing(const std::vector<double>& compute_s, const std::vector<double>& wait_s,
                           const std::vector<double>& io_s, const std::vector<long long>& points) {
    const hid_t root = impl_->file.get();
    if (H5Lexists(root, "timing", H5P_DEFAULT) > 0) check(H5Ldelete(root, "timing", H5P_DEFAULT), "delete /timing");
    const Handle group(check_id(H5Gcreate2(root, "timing", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                                "create /timing"),
                       H5Gclose);
    // A `rank` dimension scale, so that netCDF readers (xarray's h5netcdf engine) open the
    // group without phony_dims.
    std::vector<std::int32_t> ranks(compute_s.size());
    for (std::size_t r = 0; r < ranks.size(); ++r) ranks[r] = static_cast<std::int32_t>(r);
    const Handle rank_space = dataspace({ranks.size()});
    const Handle rank(check_id(H5Dcreate2(group.get(), "rank", H5T_NATIVE_INT32, rank_space.get(),
                                          H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                               "create /timing/rank"),
                      H5Dclose);
    if (!ranks.empty()) {
        check(H5Dwrite(rank.get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, ranks.data()),
              "write /timing/rank");
    }
    check(H5DSset_scale(rank.get(), "rank"), "H5DSset_scale rank");
    write_string_attribute(rank.get(), "long_name", "MPI rank");
    auto put = [&](const char* name, hid_t type, const void* data, std::size_t n, const char* units) {
        const Handle space = dataspace({n});
        const Handle d(check_id(H5Dcreate2(group.get(), name, type, space.get(), H5P_DEFAULT,
                                           H5P_DEFAULT, H5P_DEFAULT),
                                std::string("create /timing/") + name),
                       H5Dclose);
        if (n > 0) check(H5Dwrite(d.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "write timing");
        if (n == ranks.size()) check(H5DSattach_scale(d.get(), rank.get(), 0), "attach rank");
        write_string_attribute(d.get(), "units", units);
    };
    put("compute_s", H5T_NATIVE_DOUBLE, compute_s.data(), compute_s.size(), "s");
    put("wait_s", H5T_NATIVE_DOUBLE, wait_s.data(), wait_s.size(), "s");
    put("io_s", H5T_NATIVE_DOUBLE, io_s.data(), io_s.size(), "s");
    put("points", H5T_NATIVE_LLONG, points.data(), points.size(), "1");
}

void MapFile::write_fold(const FoldCurves& fold) {
    const hid_t root = impl_->file.get();
    if (H5Lexists(root, "fold", H5P_DEFAULT) > 0) check(H5Ldelete(root, "fold", H5P_DEFAULT), "delete /fold");
    const Handle group(check_id(H5Gcreate2(root, "fold", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create /fold"),
                       H5Gclose);
    const std::size_t n = fold.x.size();
    // A `point` dimension scale, so that netCDF readers open the group without phony_dims.
    std::vector<std::int32_t> index(n);
    for (std::size_t p = 0; p < n; ++p) index[p] = static_cast<std::int32_t>(p);
    auto put = [&](const char* name, hid_t type, const void* data, const char* long_name) {
        const Handle space = dataspace({n});
        Handle d(check_id(H5Dcreate2(group.get(), name, type, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                          std::string("create /fold/") + name),
                 H5Dclose);
        if (n > 0) check(H5Dwrite(d.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), std::string("write /fold/") + name);
        write_string_attribute(d.get(), "long_name", long_name);
        return d;
    };
    const Handle point = put("point", H5T_NATIVE_INT32, index.data(), "point on a fold curve");
    check(H5DSset_scale(point.get(), "point"), "H5DSset_scale point");
    const Handle x = put("x", H5T_NATIVE_DOUBLE, fold.x.data(), "x of a fold point (axis units)");
    const Handle y = put("y", H5T_NATIVE_DOUBLE, fold.y.data(), "y of a fold point (axis units)");
    const Handle curve = put("curve", H5T_NATIVE_INT32, fold.curve.data(), "fold curve id");
    for (const Handle* d : {&x, &y, &curve}) check(H5DSattach_scale(d->get(), point.get(), 0), "attach point");
}

FoldCurves MapFile::read_fold() const {
    FoldCurves fold;
    const hid_t root = impl_->file.get();
    if (H5Lexists(root, "fold", H5P_DEFAULT) <= 0) return fold;
    auto get = [&](const char* name, hid_t type, auto& out) {
        const Handle d = open_dataset(root, std::string("fold/") + name);
        const Handle space(check_id(H5Dget_space(d.get()), "H5Dget_space"), H5Sclose);
        out.resize(static_cast<std::size_t>(std::max<hssize_t>(H5Sget_simple_extent_npoints(space.get()), 0)));
        if (!out.empty()) check(H5Dread(d.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), std::string("read /fold/") + name);
    };
    get("x", H5T_NATIVE_DOUBLE, fold.x);
    get("y", H5T_NATIVE_DOUBLE, fold.y);
    get("curve", H5T_NATIVE_INT32, fold.curve);
    return fold;
}

void MapFile::flush() { check(H5Fflush(impl_->file.get(), H5F_SCOPE_GLOBAL), "H5Fflush"); }

void MapFile::close() {
    if (!impl_ || impl_->file.get() < 0) return;
    // Datasets before the file; every status is checked, because closing is where HDF5 writes
    // its chunk cache and metadata (a full disk fails here, not in H5Dwrite).
    bool ok = true;
    for (Handle& d : impl_->open) ok = d.release() >= 0 && ok;
    impl_->open.clear();
    ok = H5Fflush(impl_->file.get(), H5F_SCOPE_LOCAL) >= 0 && ok;
    ok = impl_->file.release() >= 0 && ok;
    if (!ok) fail("cannot write the map file completely (disk full?)");
}

void commit_output(const std::string& partial_path, const std::string& final_path) {
    if (std::rename(partial_path.c_str(), final_path.c_str()) != 0) {
        throw IoError("cannot rename " + partial_path + " to " + final_path);
    }
}

}  // namespace kinmap::io
