#include "kinmap/sweep/fields.hpp"

namespace kinmap {

std::string_view to_string(Extent extent) {
    switch (extent) {
        case Extent::point: return "point";
        case Extent::species: return "species";
        case Extent::step: return "step";
        case Extent::gas: return "gas";
        case Extent::descriptor: return "descriptor";
        case Extent::state: return "state";
        case Extent::state_species: return "state_species";
    }
    return "point";
}

std::string expand_long_name(const Field& f, std::string_view tof_of) {
    std::string text(f.long_name);
    constexpr std::string_view kPlaceholder = "{tof_of}";
    const auto at = text.find(kPlaceholder);
    if (at != std::string::npos) text.replace(at, kPlaceholder.size(), tof_of);
    return text;
}

}  // namespace kinmap
