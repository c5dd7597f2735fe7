#pragma once
//! \file
//! Parsing of species names `NAME_SITE` and chemical formulas (kinmap::detail).

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kinmap::detail {

//! The parts of a species name.
struct ParsedName {
    std::string formula;     //!< NAME: "CO", "*", "CO-O"
    bool gas = false;        //!< SITE == "g"
    std::string site_label;  //!< "s" for `_s` and `_2s`; empty for gases
    int site_count = 0;      //!< 2 for `_2s`; 0 for gases
    std::map<std::string, int> elements;  //!< empty for free sites `*`
};

//! Parse `NAME_SITE`; on failure return nullopt and set `why`.
std::optional<ParsedName> parse_species_name(std::string_view name, std::string& why);

//! Elements of a formula such as "CO2", "CH3OH" or "CO-O" (fragments joined by '-'); on
//! failure return nullopt and set `why`.
std::optional<std::map<std::string, int>> parse_formula(std::string_view formula, std::string& why);

}  // namespace kinmap::detail
