#include "kinmap/kinetics/conditions.hpp"

#include <cmath>
#include <sstream>

namespace kinmap {
namespace {

SourceLocation model_location(const Mechanism& mechanism) { return {mechanism.path, 0, 0}; }

}  // namespace

void apply_axis_value(const Mechanism& mechanism, const std::string& name, double value,
                      Conditions& conditions) {
    if (!std::isfinite(value)) {
        throw InputError(model_location(mechanism), name, "value must be finite");
    }
    if (name.rfind("p_", 0) == 0) {
        const int gas = mechanism.find_gas(name.substr(2));
        if (gas < 0) {
            std::ostringstream msg;
            msg << "unknown axis: '" << name.substr(2) << "' is not a gas of the model (gases:";
            for (int g : mechanism.gases) msg << ' ' << mechanism.species[static_cast<std::size_t>(g)].name;
            msg << ')';
            throw InputError(model_location(mechanism), name, msg.str());
        }
        if (value < 0.0) {
            throw InputError(model_location(mechanism), name, "a pressure must be >= 0 bar");
        }
        conditions.pressure_bar[static_cast<std::size_t>(gas)] = value;
        return;
    }
    if (name == "T_K") {
        if (value <= 0.0) throw InputError(model_location(mechanism), name, "must be > 0 K");
        conditions.temperature_K = value;
        return;
    }
    if (name.rfind("G_", 0) == 0) {
        const int s = mechanism.find_species(name.substr(2));
        if (s < 0 || mechanism.species[static_cast<std::size_t>(s)].kind == SpeciesKind::free_site) {
            throw InputError(model_location(mechanism), name,
                             "unknown axis: '" + name.substr(2) + "' is not a species with an energy");
        }
        for (auto& [index, g] : conditions.energy_eV) {
            if (index == s) {
                g = value;
                return;
            }
        }
        conditions.energy_eV.emplace_back(s, value);
        return;
    }
    throw InputError(model_location(mechanism), name,
                     "unknown axis (expected p_<gas> in bar, e.g. p_O2_g, T_K, or G_<species> in eV)");
}

Conditions make_conditions(const Mechanism& mechanism, const std::vector<AxisValue>& overrides) {
    Conditions conditions;
    conditions.temperature_K = mechanism.temperature_K;
    conditions.pressure_bar.assign(mechanism.gases.size(), std::nan(""));
    std::vector<bool> given(mechanism.gases.size(), false);
    for (std::size_t g = 0; g < mechanism.gases.size(); ++g) {
        if (mechanism.pressure_bar[g]) {
            conditions.pressure_bar[g] = *mechanism.pressure_bar[g];
            given[g] = true;
        }
    }
    for (const auto& [name, value] : overrides) {
        apply_axis_value(mechanism, name, value, conditions);
        if (name.rfind("p_", 0) == 0) given[static_cast<std::size_t>(mechanism.find_gas(name.substr(2)))] = true;
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

}  // namespace kinmap
