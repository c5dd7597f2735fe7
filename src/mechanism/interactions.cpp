// The [interactions] table (DESIGN §11): the response function and the builder's checks and
// ε resolution. Kept out of builder.cpp so that the chemistry checks of other features stay
// where they are; ModelBuilder::set_interactions is the one hook.
#include "kinmap/mechanism/interactions.hpp"

#include <cmath>
#include <map>
#include <utility>

#include <cstdio>

#include "builder_checks.hpp"
#include "kinmap/mechanism/builder.hpp"

namespace kinmap {
namespace {

using detail::fail;
using detail::finite;

// The enum value named by `given` among `names`, or an error listing them.
template <class E, std::size_t N>
E choose(const Given<std::string>& given, const std::pair<const char*, E> (&names)[N]) {
    std::string list;
    for (const auto& [name, value] : names) {
        if (given.value == name) return value;
        list += (list.empty() ? "" : ", ") + std::string(name);
    }
    fail(given.at, "unknown value \"" + given.value + "\" (expected one of: " + list + ")");
}

constexpr std::pair<const char*, InteractionModel> kModels[] = {
    {"first_order", InteractionModel::first_order}, {"second_order", InteractionModel::second_order}};
constexpr std::pair<const char*, InteractionResponse> kResponses[] = {
    {"linear", InteractionResponse::linear},
    {"piecewise_linear", InteractionResponse::piecewise_linear},
    {"smooth_piecewise_linear", InteractionResponse::smooth_piecewise_linear}};
constexpr std::pair<const char*, InteractionMixing> kMixings[] = {
    {"geometric_mean", InteractionMixing::geometric_mean},
    {"arithmetic_mean", InteractionMixing::arithmetic_mean},
    {"zero", InteractionMixing::zero}};
constexpr std::pair<const char*, TransitionStateRule> kRules[] = {
    {"initial_state", TransitionStateRule::initial_state},
    {"final_state", TransitionStateRule::final_state},
    {"intermediate_state", TransitionStateRule::intermediate_state},
    {"zero", TransitionStateRule::zero}};

template <class E, std::size_t N>
const char* name_of(E value, const std::pair<const char*, E> (&names)[N]) {
    for (const auto& [name, v] : names) {
        if (v == value) return name;
    }
    return "?";
}

}  // namespace

void ResponseFunction::evaluate(double t, double& f, double& df, double& d2f) const noexcept {
    f = df = d2f = 0.0;
    const double m = slope, c = cutoff;
    switch (kind) {
        case InteractionResponse::linear:
            if (t > 0.0) f = m;
            return;
        case InteractionResponse::piecewise_linear:
            if (t > c) {
                f = m * (t - c) / t;
                df = m * c / (t * t);
                d2f = -2.0 * m * c / (t * t * t);
            }
            return;
        case InteractionResponse::smooth_piecewise_linear: {
            const double x0 = c - smoothing, x1 = c + smoothing;
            if (t <= x0) return;
            if (t <= x1) {
                const double alpha = m / (2.0 * (x1 - x0));
                f = alpha * (t - x0) * (t - x0) / t;
                df = alpha * (1.0 - x0 * x0 / (t * t));
                d2f = 2.0 * alpha * x0 * x0 / (t * t * t);
            } else {
                f = m * (t - c) / t;
                df = m * c / (t * t);
                d2f = -2.0 * m * c / (t * t * t);
            }
            return;
        }
    }
}

const char* to_string(InteractionModel model) { return name_of(model, kModels); }
const char* to_string(InteractionResponse response) { return name_of(response, kResponses); }
const char* to_string(InteractionMixing mixing) { return name_of(mixing, kMixings); }
const char* to_string(TransitionStateRule rule) { return name_of(rule, kRules); }

std::string describe_interactions(const Mechanism& m) {
    if (!m.interactions) return "";
    const Interactions& x = *m.interactions;
    const ResponseFunction& f = x.response;
    char line[256];
    std::string out = "\ninteractions (DESIGN §11; eV per monolayer, positive = repulsive):\n";
    std::snprintf(line, sizeof line, "  model %s, response %s, slope %g", to_string(x.model), to_string(f.kind), f.slope);
    out += line;
    if (f.kind != InteractionResponse::linear) {
        std::snprintf(line, sizeof line, ", cutoff %g ML", f.cutoff);
        out += line;
    }
    if (f.kind == InteractionResponse::smooth_piecewise_linear) {
        std::snprintf(line, sizeof line, ", smoothing %g ML", f.smoothing);
        out += line;
    }
    std::snprintf(line, sizeof line, "\n  mixing %s, ts_rule %s (w = %g), %zu explicit entries\n", to_string(x.mixing),
                  to_string(x.ts_rule), x.ts_weight, x.entries.size());
    out += line;
    for (std::size_t s = 0; s < m.sites.size(); ++s) {
        std::vector<int> columns, rows;
        for (std::size_t i = 0; i < m.species.size(); ++i) {
            const Species& sp = m.species[i];
            if (sp.site_type != static_cast<int>(s)) continue;
            if (sp.kind == SpeciesKind::adsorbate) columns.push_back(static_cast<int>(i));
            if (sp.kind == SpeciesKind::adsorbate || sp.kind == SpeciesKind::transition_state) rows.push_back(static_cast<int>(i));
        }
        if (columns.empty()) continue;
        out += "  eps on site type " + m.sites[s].name + ":\n  " + std::string(16, ' ');
        for (int j : columns) {
            std::snprintf(line, sizeof line, " %10s", m.species[static_cast<std::size_t>(j)].name.c_str());
            out += line;
        }
        out += "\n";
        for (int i : rows) {
            std::snprintf(line, sizeof line, "  %-16s", m.species[static_cast<std::size_t>(i)].name.c_str());
            out += line;
            for (int j : columns) {
                std::snprintf(line, sizeof line, " %10.4f", x.at(i, j));
                out += line;
            }
            out += "\n";
        }
    }
    return out;
}

void ModelBuilder::set_interactions(const InteractionsInput& in) {
    Interactions x;
    x.where = in.table.where;
    auto warn = [&](const Origin& at, const std::string& message) {
        model_.warnings.push_back({at.where, at.key, message});
    };
    // The coverage-dependent energies do not yet carry the potential terms of DESIGN §12: a
    // model with both would be silently wrong, so it is refused.
    if (model_.mechanism.electrochemistry) {
        fail({in.table.where, "interactions"},
             "[interactions] together with [electrochemistry] is not supported yet");
    }
    if (!in.model) fail({in.table.where, "interactions.model"}, "missing: first_order or second_order");
    x.model = choose(*in.model, kModels);
    if (!in.response) {
        fail({in.table.where, "interactions.response"},
             "missing: linear, piecewise_linear or smooth_piecewise_linear");
    }
    ResponseFunction& f = x.response;
    f.kind = choose(*in.response, kResponses);
    if (in.slope) f.slope = finite(*in.slope);
    if (f.kind == InteractionResponse::linear) {
        if (in.cutoff) warn(in.cutoff->at, "has no effect with response = \"linear\"");
        if (in.smoothing) warn(in.smoothing->at, "has no effect with response = \"linear\"");
    } else {
        if (!in.cutoff) {
            fail({in.table.where, "interactions.cutoff"},
                 std::string("missing: the coverage c [ML] where the interactions switch on (required "
                             "with response = \"") + to_string(f.kind) + "\")");
        }
        f.cutoff = finite(*in.cutoff);
        if (!(f.cutoff >= 0.0)) fail(in.cutoff->at, "must be >= 0");
        if (f.kind == InteractionResponse::smooth_piecewise_linear) {
            if (!in.smoothing) {
                fail({in.table.where, "interactions.smoothing"},
                     "missing: the half-width δ [ML] of the smoothing window (required with "
                     "response = \"smooth_piecewise_linear\")");
            }
            f.smoothing = finite(*in.smoothing);
            // δ > c would put x0 = c − δ below 0, where α(t − x0)²/t diverges as t → 0.
            if (!(f.smoothing > 0.0) || !(f.smoothing <= f.cutoff)) {
                fail(in.smoothing->at, "must be > 0 and <= cutoff (" + std::to_string(f.cutoff) + ")");
            }
        } else if (in.smoothing) {
            warn(in.smoothing->at, "has no effect with response = \"piecewise_linear\"");
        }
    }
    if (in.mixing) x.mixing = choose(*in.mixing, kMixings);
    if (in.ts_rule) x.ts_rule = choose(*in.ts_rule, kRules);
    switch (x.ts_rule) {
        case TransitionStateRule::initial_state: x.ts_weight = 0.0; break;
        case TransitionStateRule::final_state: x.ts_weight = 1.0; break;
        case TransitionStateRule::zero: x.ts_weight = 0.0; break;
        case TransitionStateRule::intermediate_state: x.ts_weight = 0.5; break;
    }
    if (in.ts_weight) {
        const double w = finite(*in.ts_weight);
        if (!(w >= 0.0 && w <= 1.0)) fail(in.ts_weight->at, "must be between 0 and 1");
        if (x.ts_rule != TransitionStateRule::intermediate_state) {
            warn(in.ts_weight->at, "has no effect unless ts_rule = \"intermediate_state\"");
        } else {
            x.ts_weight = w;
        }
    }

    // Explicit entries.
    const std::size_t n = m_.species.size();
    x.n_species = n;
    std::vector<double> given(n * n, 0.0);
    std::vector<bool> has(n * n, false);
    for (const NamedValue& entry : in.eps) {
        const std::string& key = entry.name.value;
        const Origin at = entry.name.at;
        const auto bar = key.find('|');
        if (bar == std::string::npos || key.find('|', bar + 1) != std::string::npos) {
            fail(at, "an entry is named \"A|B\" by two species separated by one '|'");
        }
        int index[2];
        const std::string names[2] = {key.substr(0, bar), key.substr(bar + 1)};
        for (int k = 0; k < 2; ++k) {
            index[k] = m_.find_species(names[k]);
            if (index[k] < 0) fail(at, "unknown species " + names[k] + " (not in any step)");
            const Species& sp = m_.species[static_cast<std::size_t>(index[k])];
            if (sp.kind == SpeciesKind::gas || sp.kind == SpeciesKind::free_site) {
                fail(at, names[k] + " is a " + (sp.kind == SpeciesKind::gas ? "gas" : "free site") +
                             ": interactions are between adsorbates and transition states");
            }
        }
        const Species& a = m_.species[static_cast<std::size_t>(index[0])];
        const Species& b = m_.species[static_cast<std::size_t>(index[1])];
        if (a.kind == SpeciesKind::transition_state && b.kind == SpeciesKind::transition_state) {
            fail(at, "both are transition states, which have no coverage: the entry has no effect");
        }
        if (a.site_type != b.site_type) {
            fail(at, a.name + " and " + b.name +
                         " are on different site types; interactions between site types are 0");
        }
        const double value = finite(entry.value);
        // A transition state's row is its own: store it as (TS, adsorbate).
        int i = index[0], j = index[1];
        if (b.kind == SpeciesKind::transition_state) std::swap(i, j);
        const std::size_t ij = static_cast<std::size_t>(i) * n + static_cast<std::size_t>(j);
        const std::size_t ji = static_cast<std::size_t>(j) * n + static_cast<std::size_t>(i);
        const bool symmetric = m_.species[static_cast<std::size_t>(i)].kind != SpeciesKind::transition_state;
        if (has[ij]) {
            if (given[ij] != value) {
                fail(at, "given twice with different values (" + std::to_string(given[ij]) + " and " +
                             std::to_string(value) + " eV); ε is symmetric, \"A|B\" and \"B|A\" are one entry");
            }
            warn(at, "given twice (\"A|B\" and \"B|A\" are one entry)");
            continue;
        }
        given[ij] = value;
        has[ij] = true;
        if (symmetric) {
            given[ji] = value;
            has[ji] = true;
        }
        x.entries.push_back({i, j, value, at.where, at.key});
    }

    // The mixed adsorbate block, then the explicit cross entries over it.
    auto adsorbate = [&](std::size_t i) { return m_.species[i].kind == SpeciesKind::adsorbate; };
    std::vector<double> mixed(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        if (!adsorbate(i)) continue;
        for (std::size_t j = 0; j < n; ++j) {
            if (!adsorbate(j) || m_.species[i].site_type != m_.species[j].site_type) continue;
            if (i == j) {
                mixed[i * n + j] = given[i * n + i];
                continue;
            }
            const double a = given[i * n + i], b = given[j * n + j];
            switch (x.mixing) {
                case InteractionMixing::geometric_mean: mixed[i * n + j] = std::sqrt(std::abs(a * b)); break;
                case InteractionMixing::arithmetic_mean: mixed[i * n + j] = 0.5 * (a + b); break;
                case InteractionMixing::zero: mixed[i * n + j] = 0.0; break;
            }
        }
    }
    x.eps = mixed;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            if (has[i * n + j] && adsorbate(i)) x.eps[i * n + j] = given[i * n + j];
        }
    }
    // Transition-state rows from the mixed block over the adsorbates of their step.
    for (std::size_t s = 0; s < m_.steps.size(); ++s) {
        const Step& step = m_.steps[s];
        if (step.transition_state < 0) continue;
        const auto ts = static_cast<std::size_t>(step.transition_state);
        bool first = true;  // a transition state named by several steps takes its first
        for (std::size_t q = 0; q < s; ++q) first = first && m_.steps[q].transition_state != step.transition_state;
        if (!first) continue;
        for (std::size_t j = 0; j < n; ++j) {
            if (!adsorbate(j) || m_.species[j].site_type != m_.species[ts].site_type) continue;
            double value = 0.0;
            if (x.ts_rule != TransitionStateRule::zero) {
                for (const StoichTerm& t : step.initial) {
                    if (adsorbate(static_cast<std::size_t>(t.species)))
                        value += (1.0 - x.ts_weight) * t.coefficient * mixed[static_cast<std::size_t>(t.species) * n + j];
                }
                for (const StoichTerm& t : step.final) {
                    if (adsorbate(static_cast<std::size_t>(t.species)))
                        value += x.ts_weight * t.coefficient * mixed[static_cast<std::size_t>(t.species) * n + j];
                }
            }
            x.eps[ts * n + j] = has[ts * n + j] ? given[ts * n + j] : value;
        }
    }

    bool any_reader = false;
    for (const Step& step : m_.steps) any_reader = any_reader || step.source == Step::Source::species_energies;
    if (!any_reader) {
        warn(in.table,
             "no step takes its rate constants from species energies (steps with kf/kr or "
             "Ga_eV/dG_eV stay coverage independent): the interactions change no rate");
    }
    m_.interactions = std::move(x);
}

}  // namespace kinmap
