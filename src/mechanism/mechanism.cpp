#include "kinmap/mechanism/mechanism.hpp"

#include <cmath>

namespace kinmap {

std::string Axis::name() const {
    switch (kind) {
        case AxisKind::pressure: return "p_" + target;
        case AxisKind::temperature: return "T_K";
        case AxisKind::energy: return "G_" + target;
    }
    return "?";
}

std::string Axis::units() const {
    switch (kind) {
        case AxisKind::pressure: return "bar";
        case AxisKind::temperature: return "K";
        case AxisKind::energy: return "eV";
    }
    return "?";
}

std::vector<double> Axis::values() const {
    std::vector<double> v(static_cast<std::size_t>(points));
    if (points == 1) {
        v[0] = from;
        return v;
    }
    const double last = static_cast<double>(points - 1);
    for (int i = 0; i < points; ++i) {
        const double f = static_cast<double>(i) / last;
        v[static_cast<std::size_t>(i)] =
            log_scale ? from * std::pow(to / from, f) : from + (to - from) * f;
    }
    v.front() = from;  // exact end points, whatever the rounding in between
    v.back() = to;
    return v;
}

int Mechanism::find_species(std::string_view species_name) const {
    for (std::size_t i = 0; i < species.size(); ++i) {
        if (species[i].name == species_name) return static_cast<int>(i);
    }
    return -1;
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
