// The run's own map layout (map_output.hpp) for callers outside the driver.
#include "kinmap/driver/map_layout.hpp"

#include "map_output.hpp"

namespace kinmap {

io::MapLayout map_file_layout(const Mechanism& mechanism, const Grid& grid) {
    return detail::map_layout(mechanism, grid, record_layout(mechanism));
}

io::MapLayout map_file_layout(const Mechanism& mechanism, const Grid& grid, const RecordLayout& record) {
    return detail::map_layout(mechanism, grid, record);
}

bool map_file_has(const io::MapLayout& layout, std::size_t f) {
    const Field& field = kFields[f];
    // As io::MapFile::create: the descriptor feature needs descriptors to label its dimension.
    FeatureSet features = layout.features;
    if (!layout.descriptors.empty()) features.add(Feature::descriptors);
    const bool feature = field.feature == Feature::descriptors ? !layout.descriptors.empty() : features.has(field.feature);
    return field.in_file && (layout.rate_control || !field.rate_control) && feature;
}

std::string utc_timestamp() { return detail::utc_now(); }

}  // namespace kinmap
