#include <catch2/catch.hpp>

#include "kinmap/core/deadline.hpp"
#include "kinmap/core/error.hpp"
#include "kinmap/core/hash.hpp"

using namespace kinmap;

TEST_CASE("An input error reads file:line:column: key: message", "[core]") {
    const InputError e({"model.toml", 12, 6}, "step[1].kr", "must be >= 0");
    CHECK(std::string(e.what()) == "model.toml:12:6: step[1].kr: must be >= 0");
    CHECK(e.where().line == 12);
    CHECK(e.where().column == 6);
    CHECK(e.key() == "step[1].kr");
}

TEST_CASE("The content hash is FNV-1a 64 and changes with one byte", "[core]") {
    // Reference values of FNV-1a 64: the empty string is the offset basis; "a" is published.
    CHECK(content_hash("") == "cbf29ce484222325");
    CHECK(content_hash("a") == "af63dc4c8601ec8c");
    CHECK(content_hash("kf = 1.0") != content_hash("kf = 1.1"));
}

TEST_CASE("A deadline of zero seconds never expires; a past one has", "[core]") {
    CHECK_FALSE(Deadline::after(0.0).active());
    CHECK_FALSE(Deadline().expired());
    const Deadline soon = Deadline::after(1e-9);
    while (!soon.expired()) {
    }
    CHECK(Deadline::earliest(Deadline(), soon).expired());
}
