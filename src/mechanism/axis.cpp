#include "kinmap/mechanism/axis.hpp"

#include <cmath>

namespace kinmap {
namespace {

int no_target(const Mechanism&, const std::string&, std::string&) {
    return -1;
}

int find_gas_target(const Mechanism& m, const std::string& target, std::string& problem) {
    const int g = m.find_gas(target);
    if (g < 0) {
        problem = "'" + target + "' is not a gas of the model (gases:";
        for (int s : m.gases) problem += " " + m.species[static_cast<std::size_t>(s)].name;
        problem += ")";
    }
    return g;
}

int find_energy_target(const Mechanism& m, const std::string& target, std::string& problem) {
    const int s = m.find_species(target);
    if (s < 0 || m.species[static_cast<std::size_t>(s)].kind == SpeciesKind::free_site) {
        problem = "'" + target + "' is not a species with an energy";
        return -1;
    }
    return s;
}

int find_descriptor_target(const Mechanism& m, const std::string& target, std::string& problem) {
    const int d = m.find_descriptor(target);
    if (d < 0) {
        problem = "'" + target + "' is not a descriptor of the model (";
        if (m.descriptors.empty()) problem += "it has no [descriptors]";
        else {
            problem += "descriptors:";
            for (const Descriptor& desc : m.descriptors) problem += " " + desc.name;
        }
        problem += ")";
    }
    return d;
}

std::string no_conflict(const Mechanism&, int) {
    return "";
}

std::string pressure_conflict(const Mechanism& m, int gas) {
    const Species& sp = m.species[static_cast<std::size_t>(m.gases[static_cast<std::size_t>(gas)])];
    if (sp.reservoir == Reservoir::none) return "";
    return sp.name + " is a reserved reservoir of activity 1 (DESIGN §12): it has no pressure";
}

std::string potential_conflict(const Mechanism& m, int) {
    if (!m.electrochemistry) return "the model has no [electrochemistry]: U_V changes nothing";
    for (const Step& step : m.steps) {
        if (step.electrochemical) return "";
    }
    return "no step is electrochemical (pe_g or ele_g in it): U_V changes nothing";
}

std::string pH_conflict(const Mechanism& m, int) {
    if (!m.electrochemistry) return "the model has no [electrochemistry]: pH changes nothing";
    if (m.electrochemistry->reference != Reference::SHE) {
        return "pH enters only on the SHE scale (reference = \"SHE\"): on RHE the potential "
               "already includes it";
    }
    for (const Step& step : m.steps) {
        for (const auto* side : {&step.initial, &step.final}) {
            for (const StoichTerm& t : *side) {
                const Reservoir r = m.species[static_cast<std::size_t>(t.species)].reservoir;
                if (r == Reservoir::H || r == Reservoir::OH) return "";
            }
        }
    }
    return "no step has H_g or OH_g: pH changes nothing";
}

std::string temperature_conflict(const Mechanism& m, int) {
    for (const Step& step : m.steps) {
        if (step.source != Step::Source::explicit_constants) return "";
    }
    return "every step has explicit kf/kr, which do not change with temperature: give "
           "energies (Ga_eV/dG_eV or [species]) to vary T_K";
}

std::string energy_conflict(const Mechanism& m, int index) {
    if (m.species[static_cast<std::size_t>(index)].reservoir != Reservoir::none) {
        return "the free energy of the reserved reservoir " + m.species[static_cast<std::size_t>(index)].name +
               " follows from U and pH (DESIGN §12): set U_V or pH instead";
    }
    for (const Step& step : m.steps) {
        if (step.source != Step::Source::species_energies) continue;
        for (const auto* side : {&step.initial, &step.final}) {
            for (const StoichTerm& t : *side) {
                if (t.species == index) return "";
            }
        }
        if (step.transition_state == index) return "";
    }
    const std::string& target = m.species[static_cast<std::size_t>(index)].name;
    return "no step takes its rate constants from the free energy of " + target +
           " (steps with kf/kr or Ga_eV/dG_eV ignore it): G_" + target + " changes nothing";
}

std::string descriptor_conflict(const Mechanism& m, int index) {
    for (const Species& sp : m.species) {
        if (!sp.scaling) continue;
        for (const auto& term : sp.scaling->terms) {
            if (term.first == index) return "";
        }
    }
    return "no [scaling] row reads descriptor " + m.descriptors[static_cast<std::size_t>(index)].name +
           ": it changes nothing";
}

std::string any_value(double) {
    return "";
}
std::string pressure_value(double v) {
    return v < 0.0 ? "a pressure must be >= 0 bar" : "";
}
std::string temperature_value(double v) {
    return v > 0.0 ? "" : "must be > 0 K";
}

}  // namespace

const std::vector<AxisKindInfo>& axis_kinds() {
    static const std::vector<AxisKindInfo> table = {
        {AxisKind::pressure, "pressure", "p_", true, "bar", true, find_gas_target, pressure_conflict,
         pressure_value},
        {AxisKind::temperature, "temperature", "T_K", false, "K", false, no_target,
         temperature_conflict, temperature_value},
        {AxisKind::energy, "energy", "G_", true, "eV", false, find_energy_target, energy_conflict,
         any_value},
        {AxisKind::none, "", "none", false, "1", false, no_target, no_conflict, any_value},
        // Its name is the descriptor's own: parse_axis_name leaves it to bind_axis.
        {AxisKind::descriptor, "descriptor", "", true, "eV", false, find_descriptor_target,
         descriptor_conflict, any_value},
        {AxisKind::potential, "potential", "U_V", false, "V", false, no_target, potential_conflict,
         any_value},
        {AxisKind::pH, "pH", "pH", false, "1", false, no_target, pH_conflict, any_value},
    };
    return table;
}

const AxisKindInfo& axis_kind_info(AxisKind kind) {
    return axis_kinds()[static_cast<std::size_t>(kind)];
}

std::optional<AxisName> parse_axis_name(std::string_view name) {
    for (const AxisKindInfo& info : axis_kinds()) {
        // none is not an axis one can set; a descriptor is named by the model (bind_axis).
        if (info.kind == AxisKind::none || info.kind == AxisKind::descriptor) continue;
        if (info.has_target) {
            if (name.size() > info.prefix.size() &&
                name.substr(0, info.prefix.size()) == info.prefix) {
                return AxisName{info.kind, std::string(name.substr(info.prefix.size()))};
            }
        } else if (name == info.prefix) {
            return AxisName{info.kind, ""};
        }
    }
    return std::nullopt;
}

std::string axis_name(AxisKind kind, const std::string& target) {
    const AxisKindInfo& info = axis_kind_info(kind);
    return std::string(info.prefix) + (info.has_target ? target : "");
}

std::string resolve_axis(const Mechanism& mechanism, AxisKind kind, const std::string& target,
                         AxisRef& out) {
    const AxisKindInfo& info = axis_kind_info(kind);
    std::string problem;
    const int index = info.find(mechanism, target, problem);
    if (!problem.empty()) return problem;
    // The gas position (pressure), species or descriptor index; -1 for kinds without a target.
    problem = info.conflict(mechanism, index);
    if (!problem.empty()) return problem;
    out = AxisRef{kind, index};
    return "";
}

std::string axis_value_problem(AxisKind kind, double value) {
    if (!std::isfinite(value)) return "value must be finite";
    return axis_kind_info(kind).value_problem(value);
}

std::string Axis::name() const {
    return axis_name(kind, target);
}

std::string Axis::units() const {
    return std::string(axis_kind_info(kind).units);
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
        v[static_cast<std::size_t>(i)] = log_scale ? std::pow(10.0, (a * last + f * (b - a)) / last)
                                                   : from + (to - from) * (f / last);
    }
    v.front() = from;  // exact end points, whatever the rounding in between
    v.back() = to;
    return v;
}

}  // namespace kinmap
