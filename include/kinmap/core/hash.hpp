#pragma once
//! \file
//! A stable 64-bit content hash (FNV-1a) for recognising the same input across runs.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace kinmap {

//! FNV-1a 64-bit hash of `text`.
inline std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

//! The hash of `text` as 16 lowercase hex digits.
inline std::string content_hash(std::string_view text) {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(fnv1a64(text)));
    return out;
}

}  // namespace kinmap
