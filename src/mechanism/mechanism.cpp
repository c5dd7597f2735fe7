#include "kinmap/mechanism/mechanism.hpp"

#include <cmath>

namespace kinmap {

std::string Axis::name() const {
    switch (kind) {
        case AxisKind::pressure: return "p_" + target;
        case AxisKind::temperature: return "T_K";
        case AxisKind::energy: return "G_" + target;
        case AxisKind::none: return "none";
    }
    return "?";
}

std::string Axis::units() const {
    switch (kind) {
        case AxisKind::pressure: return "bar";
        case AxisKind::temperature: return "K";
        case AxisKind::energy: return "eV";
        case AxisKind::none: return "1";
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
    // The exponent's numerator a·(n−1) + i·(b−a) is an exact integer when a and b are, so
    // exponents that should be integers are, and std::pow(10, k) is then the decade itself.
    const double a = std::log10(from), b = std::log10(to);
    for (int i = 0; i < points; ++i) {
        const double f = static_cast<double>(i);
        v[static_cast<std::size_t>(i)] =
            log_scale ? std::pow(10.0, (a * last + f * (b - a)) / last) : from + (to - from) * (f / last);
    }
    v.front() = from;  // exact end points, whatever the rounding in between
    v.back() = to;
    return v;
}

std::string Warning::text() const {
    return (where.file.empty() ? "<input>" : where.file) + ":" + std::to_string(where.line) + ":" +
           std::to_string(where.column) + ": " + (key.empty() ? "" : key + ": ") + message;
}

std::string axis_conflict(const Mechanism& mechanism, AxisKind kind, const std::string& target) {
    if (kind == AxisKind::temperature) {
        for (const Step& step : mechanism.steps) {
            if (step.source != Step::Source::explicit_constants) return "";
        }
        return "every step has explicit kf/kr, which do not change with temperature: give "
               "energies (Ga_eV/dG_eV or [species]) to vary T_K";
    }
    if (kind == AxisKind::energy) {
        const int index = mechanism.find_species(target);
        for (const Step& step : mechanism.steps) {
            if (step.source != Step::Source::species_energies) continue;
            for (const auto* side : {&step.initial, &step.final}) {
                for (const StoichTerm& t : *side) {
                    if (t.species == index) return "";
                }
            }
            if (step.transition_state == index) return "";
        }
        return "no step takes its rate constants from the free energy of " + target +
               " (steps with kf/kr or Ga_eV/dG_eV ignore it): G_" + target + " changes nothing";
    }
    return "";
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
