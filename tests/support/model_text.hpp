#pragma once
// A small valid model file as text, and helpers that edit it one line at a time and expect a
// located InputError: shared by the parser and the validation tests.
#include <catch2/catch.hpp>
#include <string>

#include "kinmap/mechanism/model_file.hpp"

namespace kinmap::test {

// A valid model; tests replace one line at a time. Line numbers are stated per test.
inline const std::string kValid =
    "[model]\n"                                          // 1
    "name = \"t\"\n"                                     // 2
    "temperature_K = 500.0\n"                            // 3
    "tof_of = \"CO2_g\"\n"                               // 4
    "[sites]\n"                                          // 5
    "s = 1.0\n"                                          // 6
    "[pressures]\n"                                      // 7
    "CO2_g = 0.01\n"                                     // 8
    "[[step]]\n"                                         // 9
    "equation = \"CO_g + *_s -> CO_s\"\n"                // 10
    "kf = 1e8\n"                                         // 11
    "kr = 1e-5\n"                                        // 12
    "[[step]]\n"                                         // 13
    "equation = \"O2_g + 2*_s -> 2O_s\"\n"               // 14
    "kf = 1e7\n"                                         // 15
    "kr = 0\n"                                           // 16
    "[[step]]\n"                                         // 17
    "equation = \"CO_s + O_s <-> CO-O_2s -> CO2_g + 2*_s\"\n"  // 18
    "kf = 1e9\n"                                         // 19
    "kr = 1e-6\n"                                        // 20
    "[sweep]\n"                                          // 21
    "x = { pressure = \"O2_g\", from = 1e-4, to = 10.0, points = 5 }\n"  // 22
    "y = { pressure = \"CO_g\", from = 0.0, to = 1.0, points = 3, scale = \"linear\" }\n";  // 23

// kValid with line `line` (1-based) replaced by `text` (may hold several lines).
inline std::string with_line(int line, const std::string& text) {
    std::string out;
    int n = 1;
    std::size_t start = 0;
    while (start < kValid.size()) {
        const std::size_t end = kValid.find('\n', start);
        out += n == line ? text : kValid.substr(start, end - start);
        out += '\n';
        start = end + 1;
        ++n;
    }
    return out;
}

struct Expected {
    int line;
    int column;
    std::string key;
};

inline void require_error(const std::string& text, const Expected& e, const std::string& fragment = "") {
    try {
        parse_model(text, "m.toml");
        FAIL("no InputError for a model expected to fail at " << e.line << ":" << e.column);
    } catch (const InputError& error) {
        INFO(error.what());
        CHECK(error.where().file == "m.toml");
        CHECK(error.where().line == e.line);
        CHECK(error.where().column == e.column);
        CHECK(error.key() == e.key);
        if (!fragment.empty()) CHECK(std::string(error.what()).find(fragment) != std::string::npos);
    }
}

}  // namespace kinmap::test
