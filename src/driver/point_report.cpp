// The point a user names and the `point --json` object (DESIGN §2).
#include "kinmap/driver/point_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "kinmap/core/error.hpp"
#include "kinmap/steady/status.hpp"
#include "kinmap/sweep/fields.hpp"
#include "kinmap/sweep/record.hpp"

namespace kinmap {

// "p_O2_g=0.1" -> {"p_O2_g", 0.1}; errors name the argument's position on the command line.
AxisValue parse_axis_assignment(const std::string& text, int index) {
    const SourceLocation where{"<command line>", 1, index + 1};
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw InputError(where, "--set", "expected AXIS=VALUE (e.g. p_O2_g=0.1), got '" + text + "'");
    }
    const std::string value = text.substr(eq + 1);
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (value.empty() || end == nullptr || *end != '\0' || !std::isfinite(number)) {
        throw InputError(where, "--set " + text.substr(0, eq),
                         "'" + value + "' is not a finite number");
    }
    return {text.substr(0, eq), number};
}

Conditions point_conditions(const ModelFile& model, const std::vector<AxisValue>& assignments,
                            const std::string& where_file, const std::string& key_prefix) {
    // Each assignment is bound once, located at its place among the assignments.
    std::vector<AxisSetting> settings;
    for (std::size_t i = 0; i < assignments.size(); ++i) {
        const SourceLocation where{where_file, 1, static_cast<int>(i) + 1};
        const std::string key = key_prefix + assignments[i].first;
        settings.push_back({bind_axis(model.mechanism, assignments[i].first, where, key),
                            assignments[i].second, where, key});
    }
    return make_conditions(model.mechanism, model.base, settings);
}

// The `point --json` object (DESIGN §2): "status" first, then every field of the table that
// has `in_json`, in table order, then the conditions. Per-species and per-gas fields are
// objects by name, per-step fields arrays in file order; a field that `r` does not carry is null.
nlohmann::ordered_json point_json(const Mechanism& m, const Conditions& c, const PointResult& r) {
    std::vector<std::string> species, gases, descriptors;
    for (int s : m.surface) species.push_back(m.species[static_cast<std::size_t>(s)].name);
    for (int g : m.gases) gases.push_back(m.species[static_cast<std::size_t>(g)].name);
    for (const Descriptor& d : m.descriptors) descriptors.push_back(d.name);
    const RecordLayout counts = record_layout(m);
    auto value = [](const Field& f, double v) -> nlohmann::ordered_json {
        switch (f.kind) {
            case ValueKind::status: return std::string(to_string(static_cast<Status>(static_cast<int>(v))));
            case ValueKind::flag: return v != 0.0;
            case ValueKind::integer: return static_cast<long long>(v);
            case ValueKind::real: break;
        }
        return v;
    };
    nlohmann::ordered_json j;
    auto add = [&](const Field& f) {
        // A field of an optional feature the model lacks has no key (as in the file).
        if (!counts.present(f)) return;
        std::vector<double> values(static_cast<std::size_t>(std::max(counts.count(f.extent), 1)));
        const auto have = static_cast<std::size_t>(f.get(r, 0, values.data(), counts.count(f.extent)));
        const std::string key(f.name);
        if (f.extent == Extent::point) {
            j[key] = value(f, values[0]);
        } else if (have == 0) {
            j[key] = nullptr;
        } else if (f.extent == Extent::step) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (std::size_t i = 0; i < have; ++i) list.push_back(value(f, values[i]));
            j[key] = list;
        } else {
            const std::vector<std::string>& names = f.extent == Extent::species ? species
                                                    : f.extent == Extent::gas   ? gases
                                                                                : descriptors;
            nlohmann::ordered_json by_name = nlohmann::ordered_json::object();
            for (std::size_t i = 0; i < have; ++i) by_name[names[i]] = value(f, values[i]);
            j[key] = by_name;
        }
    };
    add(field("status"));
    for (const Field& f : kFields) {
        if (f.in_json && f.kind != ValueKind::status) add(f);
    }
    nlohmann::ordered_json conditions = nlohmann::ordered_json::object();
    conditions["T_K"] = c.temperature_K;
    for (std::size_t g = 0; g < m.gases.size(); ++g) {
        // A reserved reservoir (DESIGN §12) has activity 1, not a pressure.
        if (m.species[static_cast<std::size_t>(m.gases[g])].reservoir != Reservoir::none) continue;
        conditions["p_" + gases[g]] = c.pressure_bar[g];
    }
    // Descriptor values (DESIGN §10): the point's, or the [descriptors] defaults it did not set.
    for (std::size_t d = 0; d < m.descriptors.size(); ++d) {
        conditions[m.descriptors[d].name] =
            d < c.descriptor_eV.size() ? c.descriptor_eV[d] : m.descriptors[d].value;
    }
    if (m.electrochemistry) {
        // DESIGN §12: the point's potential (on the model's scale) and, on SHE, its pH.
        conditions["U_V"] = std::isnan(c.potential_V) ? m.electrochemistry->potential_V : c.potential_V;
        if (m.electrochemistry->reference == Reference::SHE)
            conditions["pH"] = std::isnan(c.pH) ? m.electrochemistry->pH : c.pH;
    }
    // Every steady state (DESIGN §8): a list in the §8 order, null when not asked for.
    if (r.all_states) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (std::size_t s = 0; s < r.states.size(); ++s) {
            const SteadyState& state = r.states[s];
            nlohmann::ordered_json item;
            item["tof"] = state.tof;
            nlohmann::ordered_json coverage = nlohmann::ordered_json::object();
            for (std::size_t i = 0; i < species.size() && i < state.coverage.size(); ++i) {
                coverage[species[i]] = state.coverage[i];
            }
            item["coverage"] = coverage;
            item["rates"] = state.rates;
            item["residual"] = state.residual;
            item["stable"] = state.stable;
            item["clean"] = static_cast<int>(s) == r.clean_state;
            list.push_back(item);
        }
        j["states"] = list;
    } else {
        j["states"] = nullptr;
    }
    j["conditions"] = conditions;
    return j;
}

}  // namespace kinmap
