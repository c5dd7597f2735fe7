#include "kinmap/kinetics/conditions.hpp"

#include <cmath>

namespace kinmap {

void BoundAxis::apply(double value, Conditions& conditions) const {
    switch (ref.kind) {
        case AxisKind::pressure:
            conditions.pressure_bar[static_cast<std::size_t>(ref.index)] = value;
            return;
        case AxisKind::temperature:
            conditions.temperature_K = value;
            return;
        case AxisKind::energy:
            for (auto& [index, g] : conditions.energy_eV) {
                if (index == ref.index) {
                    g = value;
                    return;
                }
            }
            conditions.energy_eV.emplace_back(ref.index, value);
            return;
        case AxisKind::none:
            return;
        case AxisKind::descriptor:
            conditions.descriptor_eV[static_cast<std::size_t>(ref.index)] = value;
            return;
        case AxisKind::potential:
            conditions.potential_V = value;
            return;
        case AxisKind::pH:
            conditions.pH = value;
            return;
    }
}

BoundAxis bind_axis(const Mechanism& mechanism, const std::string& name,
                    const SourceLocation& where, const std::string& key) {
    // A descriptor is named by the model; every other kind by its prefix.
    const std::optional<AxisName> parsed =
        mechanism.find_descriptor(name) >= 0 ? AxisName{AxisKind::descriptor, name} : parse_axis_name(name);
    if (!parsed) {
        std::string descriptors;
        for (const Descriptor& d : mechanism.descriptors) descriptors += ", " + d.name;
        throw InputError(where, key,
                         descriptors.empty()
                             ? "unknown axis (expected p_<gas> in bar, e.g. p_O2_g, T_K, "
                               "G_<species> in eV, U_V or pH)"
                             : "unknown axis (expected p_<gas> in bar, e.g. p_O2_g, T_K, "
                               "G_<species> in eV, or a descriptor in eV: " +
                                   descriptors.substr(2) + ")");
    }
    BoundAxis bound;
    const std::string problem = resolve_axis(mechanism, parsed->kind, parsed->target, bound.ref);
    if (!problem.empty()) {
        // An unknown gas or species is an unknown axis; a known one the model ignores is not.
        const bool known =
            parsed->kind == AxisKind::temperature || parsed->kind == AxisKind::descriptor ||
            parsed->kind == AxisKind::potential || parsed->kind == AxisKind::pH ||
            (parsed->kind == AxisKind::pressure && mechanism.find_gas(parsed->target) >= 0) ||
            (parsed->kind == AxisKind::energy && mechanism.find_species(parsed->target) >= 0 &&
             mechanism.species[static_cast<std::size_t>(mechanism.find_species(parsed->target))]
                     .kind != SpeciesKind::free_site);
        throw InputError(where, key, known ? problem : "unknown axis: " + problem);
    }
    return bound;
}

BoundAxis bind_axis(const Axis& axis) {
    // Axes are resolved by the builder; one made by hand and never resolved would set nothing.
    if (axis.ref.kind != axis.kind)
        throw Error("axis " + axis.name() + " was not resolved against the model");
    return BoundAxis{axis.ref};
}

Conditions make_conditions(const Mechanism& mechanism, const BaseConditions& base,
                           const std::vector<AxisSetting>& settings) {
    Conditions conditions;
    conditions.temperature_K = mechanism.temperature_K;
    conditions.pressure_bar.assign(mechanism.gases.size(), std::nan(""));
    conditions.descriptor_eV = mechanism.descriptor_defaults();
    if (mechanism.electrochemistry) {
        conditions.potential_V = mechanism.electrochemistry->potential_V;
        conditions.pH = mechanism.electrochemistry->pH;
    }
    std::vector<bool> given(mechanism.gases.size(), false);
    for (std::size_t g = 0; g < mechanism.gases.size(); ++g) {
        // A reserved reservoir (DESIGN §12) has activity 1 and never a pressure of its own.
        if (mechanism.species[static_cast<std::size_t>(mechanism.gases[g])].reservoir != Reservoir::none) {
            conditions.pressure_bar[g] = 1.0;
            given[g] = true;
            continue;
        }
        if (g < base.pressure_bar.size() && base.pressure_bar[g]) {
            conditions.pressure_bar[g] = *base.pressure_bar[g];
            given[g] = true;
        }
    }
    for (const AxisSetting& s : settings) {
        const std::string problem = axis_value_problem(s.axis.ref.kind, s.value);
        if (!problem.empty()) throw InputError(s.where, s.key, problem);
        s.axis.apply(s.value, conditions);
        if (s.axis.ref.kind == AxisKind::pressure)
            given[static_cast<std::size_t>(s.axis.ref.index)] = true;
    }
    for (std::size_t g = 0; g < mechanism.gases.size(); ++g) {
        if (!given[g]) {
            const Species& gas = mechanism.species[static_cast<std::size_t>(mechanism.gases[g])];
            throw InputError(gas.where, "pressures." + gas.name,
                             "no pressure for gas " + gas.name +
                                 ": give it in [pressures] or with --set p_" + gas.name + "=BAR");
        }
    }
    return conditions;
}

Conditions make_conditions(const ModelFile& model, const std::vector<AxisValue>& overrides) {
    const SourceLocation where{model.source.path, 0, 0};
    std::vector<AxisSetting> settings;
    for (const auto& [name, value] : overrides) {
        settings.push_back({bind_axis(model.mechanism, name, where, name), value, where, name});
    }
    return make_conditions(model.mechanism, model.base, settings);
}

}  // namespace kinmap
