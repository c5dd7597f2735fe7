#pragma once
// The located checks every part of the model builder shares (builder.cpp, interactions.cpp,
// electrochemistry.cpp): an error at a value's origin, and a finite number.
#include <cmath>
#include <string>

#include "kinmap/core/error.hpp"
#include "kinmap/mechanism/builder.hpp"

namespace kinmap::detail {

[[noreturn]] inline void fail(const Origin& at, const std::string& message) {
    throw InputError(at.where, at.key, message);
}

inline double finite(const Given<double>& g) {
    if (!std::isfinite(g.value)) fail(g.at, "must be finite, not nan or inf");
    return g.value;
}

}  // namespace kinmap::detail
