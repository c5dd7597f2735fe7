// kinmap._kinmap: the compiled half of the Python module (DESIGN §9), a thin layer over the
// library. Points go through the same point_conditions/SteadySolver/point_json path as
// `kinmap point --json`, maps through the same PointWorker records and map-file writer as
// `kinmap run`, so the answers cannot drift from the command line's. The Python half
// (kinmap/__init__.py) wraps these in Model, PointResult and an xarray Dataset.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kinmap/core/error.hpp"
#include "kinmap/core/version.hpp"
#include "kinmap/core/hash.hpp"
#include "kinmap/driver/map_layout.hpp"
#include "kinmap/io/map_file.hpp"
#include "kinmap/steady/status.hpp"
#include "kinmap/sweep/fields.hpp"
#include "kinmap/driver/point_report.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/thread_sweep.hpp"

namespace py = pybind11;
using namespace kinmap;

namespace {

// Where Python arguments are located in an InputError: file "<python>", line 1, the column
// the keyword's position (1-based) among the call's keywords, the keyword as the key.
constexpr const char* kPythonFile = "<python>";

PyObject* input_error_type = nullptr;  // kinmap.InputError (a ValueError), created at import

// A model as Python holds it: immutable, shared by the Model objects derived from it.
struct PyModel {
    std::shared_ptr<const ModelFile> model;
};

// The keywords of a call as (name, value) in call order; a value must be a real number.
std::vector<AxisValue> keyword_values(const py::kwargs& kwargs) {
    std::vector<AxisValue> out;
    int position = 0;
    for (const auto& item : kwargs) {
        ++position;
        const std::string key = py::str(item.first);
        const SourceLocation where{kPythonFile, 1, position};
        PyObject* value = item.second.ptr();
        if (PyBool_Check(value) || !PyNumber_Check(value)) {
            throw InputError(where, key, "expected a number, got " + std::string(py::repr(item.second)));
        }
        const double number = py::cast<double>(py::float_(py::reinterpret_borrow<py::object>(value)));
        if (!std::isfinite(number)) throw InputError(where, key, "'" + std::to_string(number) + "' is not a finite number");
        out.emplace_back(key, number);
    }
    return out;
}

// The `point --json` object as Python values: objects keep their key order, NaN and Inf are
// None as in the dumped JSON (nlohmann writes them as null).
py::object to_python(const nlohmann::ordered_json& j) {
    switch (j.type()) {
        case nlohmann::ordered_json::value_t::null: return py::none();
        case nlohmann::ordered_json::value_t::boolean: return py::bool_(j.get<bool>());
        case nlohmann::ordered_json::value_t::number_integer: return py::int_(j.get<long long>());
        case nlohmann::ordered_json::value_t::number_unsigned: return py::int_(j.get<unsigned long long>());
        case nlohmann::ordered_json::value_t::number_float: {
            const double v = j.get<double>();
            if (!std::isfinite(v)) return py::none();
            return py::float_(v);
        }
        case nlohmann::ordered_json::value_t::string: return py::str(j.get<std::string>());
        case nlohmann::ordered_json::value_t::array: {
            py::list list;
            for (const auto& e : j) list.append(to_python(e));
            return std::move(list);
        }
        case nlohmann::ordered_json::value_t::object: {
            py::dict dict;
            for (const auto& [key, value] : j.items()) dict[py::str(key)] = to_python(value);
            return std::move(dict);
        }
        default: break;
    }
    throw std::logic_error("kinmap: unexpected JSON value");
}

PyModel load_file(const std::string& path) {
    return {std::make_shared<const ModelFile>(read_model_file(path))};
}

PyModel load_string(const std::string& text, const std::string& name) {
    return {std::make_shared<const ModelFile>(parse_model(text, name))};
}

std::vector<std::string> surface_names(const Mechanism& m) {
    std::vector<std::string> names;
    for (int s : m.surface) names.push_back(m.species[static_cast<std::size_t>(s)].name);
    return names;
}

// A derived model's source text records what was changed (so its model_hash differs from the
// original's, and the map file's /model toml says how it came about).
void record_change(ModelFile& m, const std::string& what, const std::vector<AxisValue>& values,
                   const char* units) {
    std::string line = "\n# kinmap Python: Model." + what + "(";
    char number[64];
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::snprintf(number, sizeof number, "%.17g", values[i].second);
        line += (i ? ", " : "") + values[i].first + "=" + number;
    }
    m.source.text += line + ") [" + units + "]\n";
}

// New model with species free energies replaced: G_eV as a [species] G_eV entry would set it
// (taken as given at every temperature; an E_eV, [scaling] row or BEP relation of the species
// no longer applies), which is what the `G_<species>` axis does at a point.
PyModel with_energies(const PyModel& self, const py::kwargs& kwargs) {
    const std::vector<AxisValue> values = keyword_values(kwargs);
    auto copy = std::make_shared<ModelFile>(*self.model);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const SourceLocation where{kPythonFile, 1, static_cast<int>(i) + 1};
        // The G_ axis's checks: a species of the model whose energy some rate constant uses.
        const BoundAxis axis = bind_axis(copy->mechanism, "G_" + values[i].first, where, values[i].first);
        Species& sp = copy->mechanism.species[static_cast<std::size_t>(axis.ref.index)];
        sp.G_eV = values[i].second;
        sp.E_eV.reset();
        sp.scaling.reset();
        sp.bep_step = -1;
        sp.thermochemistry = false;
    }
    record_change(*copy, "with_energies", values, "eV");
    return {std::move(copy)};
}

// New model with fixed partial pressures ([pressures]) replaced.
PyModel with_pressures(const PyModel& self, const py::kwargs& kwargs) {
    const std::vector<AxisValue> values = keyword_values(kwargs);
    auto copy = std::make_shared<ModelFile>(*self.model);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const SourceLocation where{kPythonFile, 1, static_cast<int>(i) + 1};
        const BoundAxis axis = bind_axis(copy->mechanism, "p_" + values[i].first, where, values[i].first);
        if (axis.ref.kind != AxisKind::pressure) throw InputError(where, values[i].first, "not a gas of the model");
        // The range check of a --set value, located at this keyword.
        const std::string problem = axis_value_problem(AxisKind::pressure, values[i].second);
        if (!problem.empty()) throw InputError(where, values[i].first, problem);
        copy->base.pressure_bar[static_cast<std::size_t>(axis.ref.index)] = values[i].second;
    }
    record_change(*copy, "with_pressures", values, "bar");
    return {std::move(copy)};
}

// One point, as `kinmap point --json` computes and reports it.
py::object solve(const PyModel& self, bool all_states, const py::kwargs& kwargs) {
    const ModelFile& model = *self.model;
    const Conditions c = point_conditions(model, keyword_values(kwargs), kPythonFile, "");
    SolverSettings settings = model.solver;
    if (all_states) settings.all_states = true;  // as `kinmap point --all-states`
    PointResult r;
    {
        py::gil_scoped_release release;
        SteadySolver solver(model.mechanism, settings);
        r = solver.solve(c);
        if (settings.all_states) AllStatesSearch(model.mechanism, settings).find(solver, r);
    }
    return to_python(point_json(model.mechanism, c, r));
}

py::list axes(const PyModel& self) {
    py::list out;
    const Grid grid = make_grid(*self.model);
    auto one = [](const Axis& a, const std::vector<double>& values) {
        py::dict d;
        d["name"] = a.name();
        d["units"] = a.units();
        d["values"] = py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data());
        return d;
    };
    out.append(one(grid.x, grid.xs));
    out.append(one(grid.y, grid.ys));
    return out;
}

// A text progress bar on Python's sys.stderr (so that notebooks show it), rewritten in place.
class ProgressBar {
public:
    explicit ProgressBar(std::int64_t total) : total_(total), start_(std::chrono::steady_clock::now()) {}
    void show(std::int64_t done, bool final) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0.0;
        const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
        constexpr int kWidth = 30;
        const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
        const int filled = static_cast<int>(fraction * kWidth);
        char line[160];
        std::snprintf(line, sizeof line, "\rkinmap [%s%s] %lld/%lld points, %.0f points/s, ETA %.1f s%s",
                      std::string(static_cast<std::size_t>(filled), '#').c_str(),
                      std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(),
                      static_cast<long long>(done), static_cast<long long>(total_), rate, eta,
                      final ? "\n" : "");
        py::object err = py::module_::import("sys").attr("stderr");
        err.attr("write")(std::string(line));
        err.attr("flush")();
    }

private:
    std::int64_t total_;
    std::chrono::steady_clock::time_point start_;
};

// A record field as the NumPy array of its map-file variable: the file's dtype and shape, the
// IfNotOk rule as MapFile::write_records applies it, the fill value at points not computed.
template <typename T>
py::array field_array(const ThreadSweepResult& result, std::size_t f, std::int64_t nx, std::int64_t ny) {
    const Field& field = kFields[f];
    const RecordLayout& layout = result.layout;
    const int n3 = field.extent == Extent::point ? 1 : layout.count(field.extent);
    std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(nx), static_cast<py::ssize_t>(ny)};
    if (field.extent == Extent::state_species) {
        // [x, y, state, species], species fastest, as the record holds it.
        shape.push_back(layout.n_states);
        shape.push_back(layout.n_species);
    } else if (field.extent != Extent::point) {
        shape.push_back(n3);
    }
    py::array_t<T> array(shape);
    T* out = array.mutable_data();
    const auto stride = static_cast<std::size_t>(layout.size());
    const int offset = layout.offset(f);
    const double not_ok = field.if_not_ok == IfNotOk::zero ? 0.0 : std::numeric_limits<double>::quiet_NaN();
    const std::int64_t n = nx * ny;
    for (std::int64_t k = 0; k < n; ++k) {
        const double* rec = result.records.data() + static_cast<std::size_t>(k) * stride;
        const bool computed = rec[RecordLayout::kIndex] >= 0.0;
        const bool keep = field.if_not_ok == IfNotOk::keep || rec[RecordLayout::kStatus] == 0.0;
        for (int s3 = 0; s3 < n3; ++s3) {
            const double v = !computed ? field.fill : keep ? rec[offset + s3] : not_ok;
            out[static_cast<std::size_t>(k) * static_cast<std::size_t>(n3) + static_cast<std::size_t>(s3)] =
                static_cast<T>(v);
        }
    }
    return std::move(array);
}

// The model's [sweep] on `threads` threads, as the parts of the xarray Dataset of its map file
// (DESIGN §6, §9): root attrs, coordinates and variables, each with the attributes the run's
// file has; the layout is the run's own (driver/map_layout.hpp). The GIL is released while the
// workers solve; the calling thread takes it back every 0.1 s to check for signals (Ctrl-C
// stops the workers after their current point and raises KeyboardInterrupt) and to draw the
// progress bar.
py::dict map_parts(const PyModel& self, int threads, bool progress, bool all_states) {
    // Every steady state (DESIGN §8) as `kinmap run --all-states`: the same records.
    ModelFile model = *self.model;
    if (all_states) model.solver.all_states = true;
    const Grid grid = make_grid(model);
    const PointList work = PointList::all(grid.size());
    ProgressBar bar(work.size());
    bool interrupted = false;
    std::int64_t last_shown = -1;
    const SweepPoll poll = [&](std::int64_t done) {
        py::gil_scoped_acquire gil;
        // The Python error (KeyboardInterrupt) stays set in this thread's state, raised below.
        if (!interrupted && PyErr_CheckSignals() != 0) interrupted = true;
        if (progress && !interrupted && done != last_shown) {
            bar.show(done, done == work.size());
            last_shown = done;
        }
        return !interrupted;
    };
    ThreadSweepResult result;
    {
        py::gil_scoped_release release;
        result = run_sweep_threads(model, grid, work, threads, SweepOptions{}, poll);
    }
    if (interrupted) {
        if (progress) py::module_::import("sys").attr("stderr").attr("write")(std::string("\n"));
        throw py::error_already_set();
    }

    const io::MapLayout layout = map_file_layout(model.mechanism, grid, result.layout);
    py::dict attrs;
    attrs["kinmap_version"] = kVersion;
    attrs["schema_version"] = py::module_::import("numpy").attr("int32")(io::kSchemaVersion);
    attrs["model_hash"] = content_hash(model.source.text);
    attrs["n_ranks"] = py::module_::import("numpy").attr("int32")(1);
    attrs["schedule"] = "threads";
    attrs["created_utc"] = utc_timestamp();
    attrs["tof_of"] = layout.tof_of;
    attrs["title"] = io::kMapTitle;

    py::list coords;
    auto axis = [&](const char* name, const io::AxisInfo& a) {
        py::dict at;
        at["name"] = a.name;
        at["units"] = a.units;
        at["scale"] = a.scale;
        at["long_name"] = a.name;  // as the file: xarray's labels append the units
        py::array values = py::array_t<double>(static_cast<py::ssize_t>(a.values.size()), a.values.data());
        coords.append(py::make_tuple(name, values, at));
    };
    auto labels = [&](const char* name, const std::vector<std::string>& values) {
        py::list list;
        for (const auto& v : values) list.append(py::str(v));
        coords.append(py::make_tuple(name, list, py::dict()));
    };
    axis("x", layout.x);
    axis("y", layout.y);
    labels("species", layout.species);
    labels("step", layout.steps);
    labels("gas", layout.gases);
    if (!layout.descriptors.empty()) labels("descriptor", layout.descriptors);
    if (layout.features.has(Feature::all_states) && layout.n_states > 0) {
        std::vector<std::int32_t> slots(static_cast<std::size_t>(layout.n_states));
        for (std::size_t s = 0; s < slots.size(); ++s) slots[s] = static_cast<std::int32_t>(s);
        py::dict at;
        at["long_name"] = "steady state (stable first, by ascending TOF)";  // as the file's /state
        coords.append(py::make_tuple("state", py::array_t<std::int32_t>(static_cast<py::ssize_t>(slots.size()), slots.data()), at));
    }

    py::list variables;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (!map_file_has(layout, f)) continue;
        const Field& field = kFields[f];
        py::dict at;
        at["units"] = std::string(field.units);
        at["long_name"] = expand_long_name(field, layout.tof_of);
        if (field.kind == ValueKind::status) {
            py::list names;
            std::vector<std::uint8_t> flags;
            std::string meanings;
            for (int st = 0; st < kStatusCount; ++st) {
                const std::string label(kStatusLabels[static_cast<std::size_t>(st)]);
                names.append(label);
                flags.push_back(static_cast<std::uint8_t>(st));
                meanings += (st ? " " : "") + label;
            }
            at["labels"] = names;
            at["flag_values"] = py::array_t<std::uint8_t>(static_cast<py::ssize_t>(flags.size()), flags.data());
            at["flag_meanings"] = meanings;
        }
        py::array values;
        switch (field.storage) {
            case Storage::f64: values = field_array<double>(result, f, grid.nx(), grid.ny()); break;
            case Storage::u8: values = field_array<std::uint8_t>(result, f, grid.nx(), grid.ny()); break;
            case Storage::i32: values = field_array<std::int32_t>(result, f, grid.nx(), grid.ny()); break;
            case Storage::i64: values = field_array<std::int64_t>(result, f, grid.nx(), grid.ny()); break;
            case Storage::i8: values = field_array<std::int8_t>(result, f, grid.nx(), grid.ny()); break;
        }
        py::tuple dims = field.extent == Extent::point           ? py::make_tuple("x", "y")
                         : field.extent == Extent::state_species ? py::make_tuple("x", "y", "state", "species")
                                                                 : py::make_tuple("x", "y", std::string(to_string(field.extent)));
        variables.append(py::make_tuple(std::string(field.name), dims, values, at));
    }

    py::dict stats;
    stats["points"] = result.stats.points_done;
    stats["threads"] = result.stats.compute_s.size();
    stats["wall_s"] = result.stats.wall_s;
    stats["compute_s"] = result.stats.compute_s;
    stats["points_per_thread"] = result.stats.points_per_rank;

    py::dict parts;
    parts["attrs"] = attrs;
    parts["coords"] = coords;
    parts["variables"] = variables;
    parts["stats"] = stats;
    return parts;
}

}  // namespace

PYBIND11_MODULE(_kinmap, m) {
    m.doc() = "kinmap's compiled core (use the package kinmap, not this module)";
    m.attr("__version__") = kVersion;
    // Every steady state (DESIGN §8) is not in this library yet: Model.solve/map refuse it.
    // Every steady state (DESIGN §8), in Model.solve and Model.map.
    m.attr("has_all_states") = true;
    m.attr("has_all_states_map") = true;

    input_error_type = PyErr_NewExceptionWithDoc(
        "kinmap.InputError",
        "Bad input (a model, a keyword, a value): a ValueError with attributes file, line, column "
        "and key, as the command line's messages FILE:LINE:COLUMN: KEY: message.",
        PyExc_ValueError, nullptr);
    m.attr("InputError") = py::reinterpret_borrow<py::object>(input_error_type);
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const InputError& e) {
            py::object type = py::reinterpret_borrow<py::object>(input_error_type);
            py::object error = type(py::str(e.what()));
            error.attr("file") = e.where().file;
            error.attr("line") = e.where().line;
            error.attr("column") = e.where().column;
            error.attr("key") = e.key();
            error.attr("message") = e.message();
            PyErr_SetObject(input_error_type, error.ptr());
        }
    });

    py::class_<PyModel>(m, "_Model", "A validated model (immutable)")
        .def_static("from_file", &load_file, py::arg("path"))
        .def_static("from_string", &load_string, py::arg("text"), py::arg("name"))
        .def_property_readonly("species", [](const PyModel& s) { return surface_names(s.model->mechanism); })
        .def_property_readonly("steps", [](const PyModel& s) {
            std::vector<std::string> out;
            for (const Step& step : s.model->mechanism.steps) out.push_back(step.equation);
            return out;
        })
        .def_property_readonly("gases", [](const PyModel& s) {
            std::vector<std::string> out;
            const Mechanism& mech = s.model->mechanism;
            for (int g : mech.gases) out.push_back(mech.species[static_cast<std::size_t>(g)].name);
            return out;
        })
        .def_property_readonly("sites", [](const PyModel& s) {
            std::vector<std::string> out;
            for (const SiteType& site : s.model->mechanism.sites) out.push_back(site.name);
            return out;
        })
        .def_property_readonly("descriptors", [](const PyModel& s) {
            std::vector<std::string> out;
            for (const Descriptor& d : s.model->mechanism.descriptors) out.push_back(d.name);
            return out;
        })
        .def_property_readonly("tof_of", [](const PyModel& s) {
            const Mechanism& mech = s.model->mechanism;
            return mech.species[static_cast<std::size_t>(mech.tof_of)].name;
        })
        .def_property_readonly("temperature_K", [](const PyModel& s) { return s.model->mechanism.temperature_K; })
        .def_property_readonly("path", [](const PyModel& s) { return s.model->source.path; })
        .def_property_readonly("text", [](const PyModel& s) { return s.model->source.text; })
        .def_property_readonly("has_sweep", [](const PyModel& s) { return s.model->sweep.has_value(); })
        .def_property_readonly("warnings", [](const PyModel& s) {
            std::vector<std::string> out;
            for (const Warning& w : s.model->warnings) out.push_back(w.text());
            return out;
        })
        .def("axes", &axes)
        .def("solve", &solve, py::arg("all_states") = false)
        .def("with_energies", &with_energies)
        .def("with_pressures", &with_pressures)
        .def("map_parts", &map_parts, py::arg("threads"), py::arg("progress"), py::arg("all_states") = false);
}
