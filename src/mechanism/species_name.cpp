#include "kinmap/mechanism/species_name.hpp"

#include <cctype>

namespace kinmap::detail {
namespace {

bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower(char c) { return std::islower(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::optional<std::map<std::string, int>> parse_formula(std::string_view formula, std::string& why) {
    std::map<std::string, int> elements;
    std::size_t i = 0;
    bool fragment_empty = true;
    while (i < formula.size()) {
        const char c = formula[i];
        if (c == '-') {
            if (fragment_empty) {
                why = "empty fragment in formula '" + std::string(formula) + "'";
                return std::nullopt;
            }
            fragment_empty = true;
            ++i;
            continue;
        }
        // DESIGN §12: the fragments `pe` (a proton-electron pair, counted as H) and `ele` (an
        // electron, no element), so that CatMAP's names such as pe-OH_s and H-ele_s balance.
        if (fragment_empty) {
            bool matched = false;
            for (const std::string_view fragment : {std::string_view("pe"), std::string_view("ele")}) {
                const std::size_t end = i + fragment.size();
                if (formula.substr(i, fragment.size()) == fragment &&
                    (end == formula.size() || formula[end] == '-')) {
                    if (fragment == "pe") elements["H"] += 1;
                    i = end;
                    fragment_empty = false;
                    matched = true;
                    break;
                }
            }
            if (matched) continue;
        }
        if (!is_upper(c)) {
            why = "formula '" + std::string(formula) + "' must be elements like CO2 or CH3OH "
                  "(an element is an uppercase letter with optional lowercase letters)";
            return std::nullopt;
        }
        std::string element(1, c);
        ++i;
        while (i < formula.size() && is_lower(formula[i])) element += formula[i++];
        int count = 0;
        bool has_count = false;
        while (i < formula.size() && is_digit(formula[i])) {
            count = count * 10 + (formula[i++] - '0');
            has_count = true;
            if (count > 1000) {
                why = "element count too large in formula '" + std::string(formula) + "'";
                return std::nullopt;
            }
        }
        if (has_count && count == 0) {
            why = "element count 0 in formula '" + std::string(formula) + "'";
            return std::nullopt;
        }
        elements[element] += has_count ? count : 1;
        fragment_empty = false;
    }
    if (fragment_empty) {
        why = "empty formula or trailing '-' in '" + std::string(formula) + "'";
        return std::nullopt;
    }
    return elements;
}

std::optional<ParsedName> parse_species_name(std::string_view name, std::string& why) {
    const auto underscore = name.rfind('_');
    if (underscore == std::string_view::npos || underscore == 0 || underscore + 1 == name.size()) {
        why = "species '" + std::string(name) +
              "' must be NAME_SITE: NAME_g for a gas, NAME_s for an adsorbate on site type s, "
              "*_s for a free site";
        return std::nullopt;
    }
    ParsedName parsed;
    parsed.formula = std::string(name.substr(0, underscore));
    const std::string_view site = name.substr(underscore + 1);
    if (site == "g") {
        parsed.gas = true;
    } else {
        std::size_t i = 0;
        int count = 0;
        while (i < site.size() && is_digit(site[i])) {
            count = count * 10 + (site[i++] - '0');
            if (count > 100) break;
        }
        if (i == 0) count = 1;
        if (count < 1 || count > 100 || i >= site.size() || !is_alpha(site[i])) {
            why = "species '" + std::string(name) + "': site '" + std::string(site) +
                  "' must be a site label (letters and digits, starting with a letter) with an "
                  "optional site count, e.g. s or 2s";
            return std::nullopt;
        }
        for (std::size_t k = i; k < site.size(); ++k) {
            if (!std::isalnum(static_cast<unsigned char>(site[k]))) {
                why = "species '" + std::string(name) + "': invalid site label '" +
                      std::string(site.substr(i)) + "'";
                return std::nullopt;
            }
        }
        parsed.site_label = std::string(site.substr(i));
        if (parsed.site_label == "g") {
            why = "species '" + std::string(name) + "': 'g' is the gas phase, not a site label";
            return std::nullopt;
        }
        parsed.site_count = count;
    }
    if (parsed.formula == "*") {
        if (parsed.gas || parsed.site_count != 1) {
            why = "free site '" + std::string(name) + "' must be *_<site> (one site)";
            return std::nullopt;
        }
        return parsed;
    }
    auto elements = parse_formula(parsed.formula, why);
    if (!elements) {
        why = "species '" + std::string(name) + "': " + why;
        return std::nullopt;
    }
    parsed.elements = std::move(*elements);
    return parsed;
}

}  // namespace kinmap::detail
