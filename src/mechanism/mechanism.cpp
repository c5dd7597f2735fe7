#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"

namespace kinmap {

std::string Warning::text() const {
    return (where.file.empty() ? "<input>" : where.file) + ":" + std::to_string(where.line) + ":" +
           std::to_string(where.column) + ": " + (key.empty() ? "" : key + ": ") + message;
}

int Mechanism::find_species(std::string_view species_name) const {
    for (std::size_t i = 0; i < species.size(); ++i) {
        if (species[i].name == species_name) return static_cast<int>(i);
    }
    return -1;
}

int Mechanism::find_descriptor(std::string_view descriptor_name) const {
    for (std::size_t d = 0; d < descriptors.size(); ++d) {
        if (descriptors[d].name == descriptor_name) return static_cast<int>(d);
    }
    return -1;
}

std::vector<double> Mechanism::descriptor_defaults() const {
    std::vector<double> values;
    for (const Descriptor& d : descriptors) values.push_back(d.value);
    return values;
}

int Mechanism::find_gas(std::string_view gas_name) const {
    for (std::size_t g = 0; g < gases.size(); ++g) {
        if (species[static_cast<std::size_t>(gases[g])].name == gas_name) return static_cast<int>(g);
    }
    return -1;
}

int Mechanism::surface_position(int species_index) const {
    for (std::size_t i = 0; i < surface.size(); ++i) {
        if (surface[i] == species_index) return static_cast<int>(i);
    }
    return -1;
}

}  // namespace kinmap
