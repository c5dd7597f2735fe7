#pragma once
// Internal to src/io: a thin RAII layer over the HDF5 C API. Every failing call throws
// IoError carrying the HDF5 error stack.
#include <hdf5.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "kinmap/core/error.hpp"

namespace kinmap::io::detail {

// ---- errors --------------------------------------------------------------------------

inline herr_t collect_error(unsigned n, const H5E_error2_t* e, void* data) {
    auto* text = static_cast<std::string*>(data);
    char line[512];
    std::snprintf(line, sizeof line, "\n  #%u %s: %s", n, e->func_name ? e->func_name : "?",
                  e->desc ? e->desc : "");
    *text += line;
    return 0;
}

[[noreturn]] inline void fail(const std::string& what) {
    std::string stack;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &stack);
    H5Eclear2(H5E_DEFAULT);
    throw IoError("HDF5: " + what + (stack.empty() ? "" : "; HDF5 error stack:" + stack));
}

inline hid_t check_id(hid_t id, const std::string& what) {
    if (id < 0) fail(what);
    return id;
}

inline void check(herr_t status, const std::string& what) {
    if (status < 0) fail(what);
}

// HDF5 prints its error stack on failure unless told not to; we put it into IoError.
struct QuietHdf5 {
    QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
inline const QuietHdf5 quiet_hdf5;

// ---- RAII handles --------------------------------------------------------------------

class Handle {
public:
    Handle() = default;
    Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), close_(closer) {}
    ~Handle() { reset(); }
    Handle(Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), close_(o.close_) {}
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, -1);
            close_ = o.close_;
        }
        return *this;
    }
    Handle(const Handle&) = delete;  // an hid_t is closed exactly once
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return id_; }
    //! Close now and return the status of the close call (0 if nothing was open): closing a
    //! dataset or file is where HDF5 writes its caches, so a full disk shows up here.
    herr_t release() {
        herr_t status = 0;
        if (id_ >= 0 && close_ != nullptr) status = close_(id_);
        id_ = -1;
        return status;
    }
    void reset() {
        if (id_ >= 0 && close_ != nullptr) close_(id_);
        id_ = -1;
    }

private:
    hid_t id_ = -1;
    herr_t (*close_)(hid_t) = nullptr;
};

inline Handle dataspace(const std::vector<hsize_t>& dims) {
    return {check_id(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                     "H5Screate_simple"),
            H5Sclose};
}
inline Handle scalar_space() { return {check_id(H5Screate(H5S_SCALAR), "H5Screate"), H5Sclose}; }

inline Handle string_type() {
    Handle t(check_id(H5Tcopy(H5T_C_S1), "H5Tcopy"), H5Tclose);
    check(H5Tset_size(t.get(), H5T_VARIABLE), "H5Tset_size");
    check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "H5Tset_cset");
    return t;
}

//! `access`: a dataset access property list (e.g. its chunk cache), or HDF5's default.
inline Handle open_dataset(hid_t loc, const std::string& name, hid_t access = H5P_DEFAULT) {
    return {check_id(H5Dopen2(loc, name.c_str(), access), "open dataset " + name), H5Dclose};
}

inline void write_string_attribute(hid_t loc, const std::string& name, const std::string& value) {
    if (H5Aexists(loc, name.c_str()) > 0) check(H5Adelete(loc, name.c_str()), "H5Adelete " + name);
    const Handle type = string_type();
    const Handle space = scalar_space();
    const Handle attr(check_id(H5Acreate2(loc, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                          H5P_DEFAULT),
                               "create attribute " + name),
                      H5Aclose);
    const char* data = value.c_str();
    check(H5Awrite(attr.get(), type.get(), &data), "write attribute " + name);
}

inline void write_string_array_attribute(hid_t loc, const std::string& name,
                                  const std::vector<std::string>& values) {
    const Handle type = string_type();
    const Handle space = dataspace({values.size()});
    const Handle attr(check_id(H5Acreate2(loc, name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                          H5P_DEFAULT),
                               "create attribute " + name),
                      H5Aclose);
    std::vector<const char*> data;
    for (const auto& v : values) data.push_back(v.c_str());
    check(H5Awrite(attr.get(), type.get(), data.data()), "write attribute " + name);
}

template <class T>
inline void write_numeric_attribute(hid_t loc, const std::string& name, hid_t type,
                             const std::vector<T>& values, bool scalar = false) {
    if (H5Aexists(loc, name.c_str()) > 0) check(H5Adelete(loc, name.c_str()), "H5Adelete " + name);
    const Handle space = scalar ? scalar_space() : dataspace({values.size()});
    const Handle attr(check_id(H5Acreate2(loc, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                               "create attribute " + name),
                      H5Aclose);
    check(H5Awrite(attr.get(), type, values.data()), "write attribute " + name);
}

inline std::string read_string_attribute(hid_t loc, const std::string& name) {
    if (H5Aexists(loc, name.c_str()) <= 0) return {};
    const Handle attr(check_id(H5Aopen(loc, name.c_str(), H5P_DEFAULT), "open attribute " + name), H5Aclose);
    const Handle file_type(check_id(H5Aget_type(attr.get()), "H5Aget_type"), H5Tclose);
    if (H5Tget_class(file_type.get()) != H5T_STRING) return {};
    const Handle type = string_type();
    char* data = nullptr;
    check(H5Aread(attr.get(), type.get(), &data), "read attribute " + name);
    std::string value = data != nullptr ? data : "";
    const Handle space = scalar_space();
    H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, &data);
    return value;
}


}  // namespace kinmap::io::detail
