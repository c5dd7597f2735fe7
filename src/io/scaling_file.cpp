#include "kinmap/io/scaling_file.hpp"

#include <hdf5.h>

#include <fstream>
#include <limits>
#include <map>

#include "hdf5_util.hpp"

namespace kinmap::io {
namespace {

using namespace detail;

void write_doubles(hid_t group, const std::string& name, const std::vector<double>& values,
                   const std::vector<hsize_t>& dims, const char* units) {
    const Handle space = dataspace(dims);
    const Handle d(check_id(H5Dcreate2(group, name.c_str(), H5T_NATIVE_DOUBLE, space.get(),
                                       H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                            "create " + name),
                   H5Dclose);
    if (!values.empty()) {
        check(H5Dwrite(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
              "write " + name);
    }
    write_string_attribute(d.get(), "units", units);
}

void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
    const Handle type = string_type();
    const Handle space = dataspace({values.size()});
    const Handle d(check_id(H5Dcreate2(group, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                       H5P_DEFAULT, H5P_DEFAULT),
                            "create " + name),
                   H5Dclose);
    std::vector<const char*> data;
    for (const auto& v : values) data.push_back(v.c_str());
    if (!data.empty()) {
        check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
              "write " + name);
    }
}

Handle create_group(hid_t loc, const char* name) {
    return {check_id(H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                     std::string("create ") + name),
            H5Gclose};
}

void write_environment(hid_t g, const ScalingEnvironment& e) {
    write_string_attribute(g, "host", e.host);
    write_numeric_attribute<int>(g, "physical_cores", H5T_NATIVE_INT, {e.physical_cores}, true);
    write_numeric_attribute<int>(g, "logical_cores", H5T_NATIVE_INT, {e.logical_cores}, true);
    write_numeric_attribute<int>(g, "job_ranks", H5T_NATIVE_INT, {e.job_ranks}, true);
    write_numeric_attribute<int>(g, "oversubscribed", H5T_NATIVE_INT, {e.oversubscribed ? 1 : 0},
                                 true);
    write_string_attribute(g, "mpi_library", e.mpi_library);
    write_string_attribute(g, "compiler", e.compiler);
    write_string_attribute(g, "compiler_flags", e.compiler_flags);
    write_string_attribute(g, "kinmap_version", e.kinmap_version);
    write_string_attribute(g, "model_hash", e.model_hash);
    write_string_attribute(g, "model", e.model);
    write_numeric_attribute<double>(g, "latency_s", H5T_NATIVE_DOUBLE, {e.latency_s}, true);
}

void write_runs(hid_t g, const std::vector<ScalingRun>& runs, std::size_t max_ranks) {
    const Handle group = create_group(g, "runs");
    std::vector<std::string> modes, schedules;
    std::vector<double> ranks_col, repeat_col, points_col, wall_col, pps_col, compute, wait, io;
    const auto n_runs = static_cast<hsize_t>(runs.size());
    const auto width = static_cast<hsize_t>(max_ranks);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const ScalingRun& row : runs) {
        modes.push_back(row.mode);
        schedules.push_back(row.schedule);
        ranks_col.push_back(row.ranks);
        repeat_col.push_back(row.repeat);
        points_col.push_back(static_cast<double>(row.points));
        wall_col.push_back(row.wall_s);
        pps_col.push_back(static_cast<double>(row.points) / row.wall_s);
        for (hsize_t r = 0; r < width; ++r) {
            const bool has = r < row.compute_s.size();
            compute.push_back(has ? row.compute_s[r] : nan);
            wait.push_back(has ? row.wait_s[r] : nan);
            io.push_back(has ? row.io_s[r] : nan);
        }
    }
    const hid_t rg = group.get();
    write_strings(rg, "mode", modes);
    write_strings(rg, "schedule", schedules);
    write_doubles(rg, "ranks", ranks_col, {n_runs}, "1");
    write_doubles(rg, "repeat", repeat_col, {n_runs}, "1");
    write_doubles(rg, "points", points_col, {n_runs}, "1");
    write_doubles(rg, "wall_s", wall_col, {n_runs}, "s");
    write_doubles(rg, "points_per_s", pps_col, {n_runs}, "1/s");
    write_doubles(rg, "compute_s", compute, {n_runs, width}, "s");
    write_doubles(rg, "wait_s", wait, {n_runs, width}, "s");
    write_doubles(rg, "io_s", io, {n_runs, width}, "s");
}

void write_summary(hid_t g, const std::vector<ScalingSummaryRow>& summary) {
    const Handle group = create_group(g, "summary");
    const hid_t sg = group.get();
    std::vector<std::string> s_mode, s_schedule;
    // Columns with their units: times [s], rates [1/s], the rest dimensionless.
    struct Column {
        const char* units;
        std::vector<double> values;
    };
    std::map<std::string, Column> cols = {
        {"ranks", {"1", {}}},      {"points", {"1", {}}},     {"wall_median_s", {"s", {}}},
        {"wall_min_s", {"s", {}}}, {"wall_max_s", {"s", {}}}, {"points_per_s", {"1/s", {}}},
        {"speedup", {"1", {}}},    {"efficiency", {"1", {}}}, {"load_balance", {"1", {}}},
        {"karp_flatt", {"1", {}}}, {"simulated", {"1", {}}},  {"simulated_wall_s", {"s", {}}}};
    for (const auto& s : summary) {
        s_mode.push_back(s.mode);
        s_schedule.push_back(s.schedule);
        cols["ranks"].values.push_back(s.ranks);
        cols["points"].values.push_back(static_cast<double>(s.points));
        cols["wall_median_s"].values.push_back(s.wall_median_s);
        cols["wall_min_s"].values.push_back(s.wall_min_s);
        cols["wall_max_s"].values.push_back(s.wall_max_s);
        cols["points_per_s"].values.push_back(s.points_per_s);
        cols["speedup"].values.push_back(s.speedup);
        cols["efficiency"].values.push_back(s.efficiency);
        cols["load_balance"].values.push_back(s.load_balance);
        cols["karp_flatt"].values.push_back(s.karp_flatt);
        cols["simulated"].values.push_back(s.simulated ? 1.0 : 0.0);
        cols["simulated_wall_s"].values.push_back(s.simulated_wall_s);
    }
    write_strings(sg, "mode", s_mode);
    write_strings(sg, "schedule", s_schedule);
    for (const auto& [name, column] : cols) {
        write_doubles(sg, name, column.values, {column.values.size()}, column.units);
    }
}

}  // namespace

void write_scaling_file(const std::string& path, const ScalingEnvironment& environment,
                        const std::vector<ScalingRun>& runs, std::size_t max_ranks,
                        const std::vector<ScalingSummaryRow>& summary,
                        const std::vector<double>& point_costs_s) {
    Handle file(check_id(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                         "cannot create " + path),
                H5Fclose);
    {
        const Handle group = create_group(file.get(), "scaling");
        write_environment(group.get(), environment);
        write_runs(group.get(), runs, max_ranks);
        write_summary(group.get(), summary);
        write_doubles(group.get(), "point_costs_s", point_costs_s, {point_costs_s.size()}, "s");
    }
    // Closing the file is where HDF5 writes its caches: a full disk shows up here.
    check(file.release(), "close " + path);
}

void write_scaling_csv(const std::string& path, const std::vector<ScalingSummaryRow>& summary,
                       int physical_cores) {
    std::ofstream out(path);
    out << "mode,schedule,ranks,points,wall_median_s,wall_min_s,wall_max_s,points_per_s,speedup,"
           "efficiency,load_balance,karp_flatt,simulated,simulated_wall_s,oversubscribed\n";
    for (const auto& s : summary) {
        out << s.mode << ',' << s.schedule << ',' << s.ranks << ',' << s.points << ','
            << s.wall_median_s << ',' << s.wall_min_s << ',' << s.wall_max_s << ','
            << s.points_per_s << ',' << s.speedup << ',' << s.efficiency << ',' << s.load_balance
            << ',' << s.karp_flatt << ',' << (s.simulated ? 1 : 0) << ',' << s.simulated_wall_s
            << ',' << (s.ranks > physical_cores ? 1 : 0) << '\n';
    }
}

}  // namespace kinmap::io
