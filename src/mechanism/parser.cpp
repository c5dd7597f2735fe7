// The model file of DESIGN.md §3, read with toml++ and validated. Every problem is an
// InputError with the file, line and column of the offending key or value and its key path.
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/species_name.hpp"

namespace kinmap {
namespace {

// Largest partial pressure an axis or [pressures] may hold [bar]: beyond it k·p^ν of an
// adsorption step overflows double precision for ordinary k; no experiment comes near it.
constexpr double kMaxPressure_bar = 1e10;

class Reader {
public:
    explicit Reader(std::string path) : path_(std::move(path)) {}

    SourceLocation at(const toml::node& node) const {
        return {path_, static_cast<int>(node.source().begin.line),
                static_cast<int>(node.source().begin.column)};
    }
    SourceLocation at(const toml::key& key) const {
        return {path_, static_cast<int>(key.source().begin.line),
                static_cast<int>(key.source().begin.column)};
    }
    SourceLocation start() const { return {path_, 1, 1}; }

    [[noreturn]] void fail(const SourceLocation& where, const std::string& key,
                           const std::string& message) const {
        throw InputError(where, key, message);
    }

    // Every key of `table` must be in `allowed`.
    void only_keys(const toml::table& table, const std::string& prefix,
                   std::initializer_list<std::string_view> allowed) const {
        for (auto&& [key, node] : table) {
            (void)node;
            if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
                std::string list;
                for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
                fail(at(key), join(prefix, std::string(key.str())),
                     "unknown key (expected one of: " + list + ")");
            }
        }
    }

    static std::string join(const std::string& prefix, const std::string& key) {
        return prefix.empty() ? key : prefix + "." + key;
    }

    const toml::table& table(const toml::node& node, const std::string& key) const {
        if (const auto* t = node.as_table()) return *t;
        fail(at(node), key, std::string("must be a table, not ") + type_name(node));
    }

    std::string string(const toml::node& node, const std::string& key) const {
        if (const auto* s = node.as_string()) return s->get();
        fail(at(node), key, std::string("must be a string, not ") + type_name(node));
    }

    // A finite number; integers are accepted where a float is expected.
    double number(const toml::node& node, const std::string& key) const {
        double value = 0.0;
        if (const auto* f = node.as_floating_point()) {
            value = f->get();
        } else if (const auto* i = node.as_integer()) {
            value = static_cast<double>(i->get());
        } else {
            fail(at(node), key, std::string("must be a number, not ") + type_name(node));
        }
        if (!std::isfinite(value)) fail(at(node), key, "must be finite, not nan or inf");
        return value;
    }

    double positive(const toml::node& node, const std::string& key) const {
        const double v = number(node, key);
        if (!(v > 0.0)) fail(at(node), key, "must be > 0");
        return v;
    }

    double non_negative(const toml::node& node, const std::string& key) const {
        const double v = number(node, key);
        if (!(v >= 0.0)) fail(at(node), key, "must be >= 0");
        return v;
    }

    long long integer(const toml::node& node, const std::string& key, long long lo,
                      long long hi) const {
        const auto* i = node.as_integer();
        if (i == nullptr) fail(at(node), key, std::string("must be an integer, not ") + type_name(node));
        const long long v = i->get();
        if (v < lo || v > hi) {
            fail(at(node), key,
                 "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                     ", not " + std::to_string(v));
        }
        return v;
    }

    static const char* type_name(const toml::node& node) {
        switch (node.type()) {
            case toml::node_type::table: return "a table";
            case toml::node_type::array: return "an array";
            case toml::node_type::string: return "a string";
            case toml::node_type::integer: return "an integer";
            case toml::node_type::floating_point: return "a float";
            case toml::node_type::boolean: return "a boolean";
            default: return "a date or time";
        }
    }

    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct Side {
    std::vector<StoichTerm> terms;
};

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

// Split an equation at its arrows "->" and "<->".
std::vector<std::string> split_arrows(const std::string& equation) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    std::size_t i = 0;
    while (i < equation.size()) {
        if (equation.compare(i, 3, "<->") == 0) {
            parts.push_back(equation.substr(start, i - start));
            i += 3;
            start = i;
        } else if (equation.compare(i, 2, "->") == 0) {
            parts.push_back(equation.substr(start, i - start));
            i += 2;
            start = i;
        } else {
            ++i;
        }
    }
    parts.push_back(equation.substr(start));
    return parts;
}

class ModelBuilder {
public:
    ModelBuilder(Mechanism& m, const Reader& reader) : m_(m), r_(reader) {}

    void read(const toml::table& root) {
        r_.only_keys(root, "", {"model", "sites", "pressures", "species", "step", "sweep", "solver"});
        read_model(root);
        read_sites(root);
        read_steps(root);
        finish_sites(root);
        read_tof(root);
        read_pressures(root);
        read_species_energies(root);
        check_species_energies(root);
        read_sweep(root);
        read_solver(root);
    }

private:
    const toml::node& required(const toml::table& t, const toml::node& table_node,
                               const std::string& prefix, const char* key) {
        const toml::node* node = t.get(key);
        if (node == nullptr) r_.fail(r_.at(table_node), Reader::join(prefix, key), "missing");
        return *node;
    }

    void read_model(const toml::table& root) {
        const toml::node* node = root.get("model");
        if (node == nullptr) r_.fail(r_.start(), "model", "missing [model] table");
        const toml::table& t = r_.table(*node, "model");
        r_.only_keys(t, "model", {"name", "temperature_K", "tof_of"});
        m_.name = r_.string(required(t, *node, "model", "name"), "model.name");
        m_.temperature_K = r_.positive(required(t, *node, "model", "temperature_K"), "model.temperature_K");
        required(t, *node, "model", "tof_of");  // checked after the steps are known
    }

    void read_sites(const toml::table& root) {
        const toml::node* node = root.get("sites");
        if (node == nullptr) r_.fail(r_.start(), "sites", "missing [sites] table (e.g. s = 1.0)");
        const toml::table& t = r_.table(*node, "sites");
        if (t.empty()) r_.fail(r_.at(*node), "sites", "declare at least one site type");
        for (auto&& [key, value] : t) {
            const std::string label(key.str());
            const std::string path = "sites." + label;
            std::string why;
            if (!detail::parse_species_name("*_" + label, why) || label == "g") {
                r_.fail(r_.at(key), path, "invalid site label '" + label + "'");
            }
            SiteType site;
            site.name = label;
            site.total = r_.positive(value, path);
            site.where = r_.at(key);
            m_.sites.push_back(site);
        }
    }

    int site_index(const std::string& label) const {
        for (std::size_t t = 0; t < m_.sites.size(); ++t) {
            if (m_.sites[t].name == label) return static_cast<int>(t);
        }
        return -1;
    }

    // Register (or find) a species named in a step equation.
    int species(const std::string& name, bool transition_state, const SourceLocation& where,
                const std::string& key) {
        const int found = m_.find_species(name);
        if (found >= 0) {
            const bool was_ts = m_.species[static_cast<std::size_t>(found)].kind == SpeciesKind::transition_state;
            if (was_ts != transition_state) {
                r_.fail(where, key, "'" + name + "' is used both as a transition state and as an "
                                    "initial or final state species");
            }
            return found;
        }
        std::string why;
        const auto parsed = detail::parse_species_name(name, why);
        if (!parsed) r_.fail(where, key, why);
        Species sp;
        sp.name = name;
        sp.formula = parsed->formula;
        sp.elements = parsed->elements;
        sp.where = where;
        if (parsed->gas) {
            if (transition_state) r_.fail(where, key, "transition state '" + name + "' cannot be a gas");
            sp.kind = SpeciesKind::gas;
        } else {
            sp.site_type = site_index(parsed->site_label);
            if (sp.site_type < 0) {
                r_.fail(where, key, "species '" + name + "' is on site type '" + parsed->site_label +
                                        "', which [sites] does not declare");
            }
            sp.site_count = parsed->site_count;
            sp.kind = transition_state      ? SpeciesKind::transition_state
                      : sp.formula == "*"   ? SpeciesKind::free_site
                                            : SpeciesKind::adsorbate;
            if (transition_state && sp.formula == "*") {
                r_.fail(where, key, "a free site cannot be a transition state");
            }
        }
        m_.species.push_back(sp);
        const int index = static_cast<int>(m_.species.size()) - 1;
        if (sp.kind == SpeciesKind::gas) m_.gases.push_back(index);
        if (sp.kind == SpeciesKind::adsorbate || sp.kind == SpeciesKind::free_site) m_.surface.push_back(index);
        return index;
    }

    std::vector<StoichTerm> side(const std::string& text, const SourceLocation& where,
                                 const std::string& key) {
        std::vector<StoichTerm> terms;
        std::stringstream parts(text);
        std::string part;
        std::vector<std::string> pieces;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= text.size(); ++i) {
            if (i == text.size() || text[i] == '+') {
                pieces.push_back(trim(std::string_view(text).substr(start, i - start)));
                start = i + 1;
            }
        }
        for (const std::string& piece : pieces) {
            if (piece.empty()) r_.fail(where, key, "empty term in '" + trim(text) + "'");
            std::size_t i = 0;
            int coefficient = 0;
            while (i < piece.size() && std::isdigit(static_cast<unsigned char>(piece[i]))) {
                coefficient = coefficient * 10 + (piece[i++] - '0');
                if (coefficient > 100) r_.fail(where, key, "coefficient too large in '" + piece + "'");
            }
            if (i == 0) coefficient = 1;
            if (coefficient == 0) r_.fail(where, key, "coefficient 0 in '" + piece + "'");
            const std::string name = trim(std::string_view(piece).substr(i));
            if (name.empty() || name.find_first_of(" \t") != std::string::npos) {
                r_.fail(where, key, "cannot read term '" + piece + "' (expected e.g. 2O_s)");
            }
            const int s = species(name, false, where, key);
            auto existing = std::find_if(terms.begin(), terms.end(),
                                         [&](const StoichTerm& t) { return t.species == s; });
            if (existing != terms.end()) existing->coefficient += coefficient;
            else terms.push_back({s, coefficient});
        }
        return terms;
    }

    std::map<std::string, int> elements_of(const std::vector<StoichTerm>& terms) const {
        std::map<std::string, int> total;
        for (const StoichTerm& t : terms) {
            for (const auto& [e, n] : m_.species[static_cast<std::size_t>(t.species)].elements) {
                total[e] += n * t.coefficient;
            }
        }
        return total;
    }

    std::vector<int> sites_of(const std::vector<StoichTerm>& terms) const {
        std::vector<int> total(m_.sites.size(), 0);
        for (const StoichTerm& t : terms) {
            const Species& sp = m_.species[static_cast<std::size_t>(t.species)];
            if (sp.site_type >= 0) total[static_cast<std::size_t>(sp.site_type)] += sp.site_count * t.coefficient;
        }
        return total;
    }

    static std::string describe(const std::map<std::string, int>& elements) {
        std::string s;
        for (const auto& [e, n] : elements) s += e + (n != 1 ? std::to_string(n) : "");
        return s.empty() ? "(none)" : s;
    }

    static std::vector<StoichTerm> sorted(std::vector<StoichTerm> terms) {
        std::sort(terms.begin(), terms.end(), [](const StoichTerm& a, const StoichTerm& b) {
            return a.species < b.species;
        });
        return terms;
    }
    static bool same(const std::vector<StoichTerm>& a, const std::vector<StoichTerm>& b) {
        const auto sa = sorted(a), sb = sorted(b);
        if (sa.size() != sb.size()) return false;
        for (std::size_t i = 0; i < sa.size(); ++i) {
            if (sa[i].species != sb[i].species || sa[i].coefficient != sb[i].coefficient) return false;
        }
        return true;
    }

    void read_steps(const toml::table& root) {
        const toml::node* node = root.get("step");
        if (node == nullptr) r_.fail(r_.start(), "step", "no [[step]] tables: a mechanism needs steps");
        const toml::array* steps = node->as_array();
        if (steps == nullptr || !steps->is_array_of_tables()) {
            r_.fail(r_.at(*node), "step", "must be written as [[step]] tables");
        }
        if (steps->empty()) r_.fail(r_.at(*node), "step", "no steps");
        int number = 0;
        for (const toml::node& item : *steps) {
            ++number;
            const std::string prefix = "step[" + std::to_string(number) + "]";
            const toml::table& t = r_.table(item, prefix);
            r_.only_keys(t, prefix, {"equation", "kf", "kr", "Ga_eV", "dG_eV", "site_area_m2", "sticking"});
            Step step;
            step.where = r_.at(item);
            const toml::node& eq_node = required(t, item, prefix, "equation");
            const std::string eq_key = prefix + ".equation";
            step.equation = r_.string(eq_node, eq_key);
            const SourceLocation eq_at = r_.at(eq_node);
            const std::vector<std::string> parts = split_arrows(step.equation);
            if (parts.size() != 2 && parts.size() != 3) {
                r_.fail(eq_at, eq_key, "expected 'IS -> FS', 'IS <-> FS' or 'IS <-> TS -> FS'");
            }
            // Species are numbered in order of appearance as written: IS, TS, FS.
            step.initial = side(parts.front(), eq_at, eq_key);
            if (parts.size() == 3) {
                const std::string ts = trim(parts[1]);
                if (ts.empty() || ts.find_first_of("+ \t") != std::string::npos) {
                    r_.fail(eq_at, eq_key, "the middle term must be one transition-state species");
                }
                step.transition_state = species(ts, true, eq_at, eq_key);
            }
            step.final = side(parts.back(), eq_at, eq_key);
            if (same(step.initial, step.final)) {
                r_.fail(eq_at, eq_key, "initial and final states are the same");
            }
            const auto e_is = elements_of(step.initial), e_fs = elements_of(step.final);
            if (e_is != e_fs) {
                r_.fail(eq_at, eq_key, "elements do not balance: " + describe(e_is) + " -> " + describe(e_fs));
            }
            const auto s_is = sites_of(step.initial), s_fs = sites_of(step.final);
            for (std::size_t k = 0; k < m_.sites.size(); ++k) {
                if (s_is[k] != s_fs[k]) {
                    r_.fail(eq_at, eq_key, "sites of type " + m_.sites[k].name + " do not balance: " +
                                               std::to_string(s_is[k]) + " -> " + std::to_string(s_fs[k]));
                }
            }
            if (step.transition_state >= 0) {
                const Species& ts = m_.species[static_cast<std::size_t>(step.transition_state)];
                if (ts.elements != e_is) {
                    r_.fail(eq_at, eq_key, "transition state " + ts.name + " has elements " +
                                               describe(ts.elements) + " but the initial state " +
                                               describe(e_is));
                }
                if (ts.site_count != s_is[static_cast<std::size_t>(ts.site_type)]) {
                    r_.fail(eq_at, eq_key, "transition state " + ts.name + " spans " +
                                               std::to_string(ts.site_count) + " sites but the "
                                               "initial state occupies " +
                                               std::to_string(s_is[static_cast<std::size_t>(ts.site_type)]));
                }
            }
            for (std::size_t o = 0; o < m_.steps.size(); ++o) {
                const Step& other = m_.steps[o];
                if ((same(other.initial, step.initial) && same(other.final, step.final)) ||
                    (same(other.initial, step.final) && same(other.final, step.initial))) {
                    r_.fail(eq_at, eq_key, "duplicate of step " + std::to_string(o + 1) + " (" +
                                               other.equation + "); every step is reversible");
                }
            }
            read_rate_source(t, prefix, step);
            m_.steps.push_back(std::move(step));
        }
    }

    // Rate constants: explicit kf and kr; or dG_eV with Ga_eV (transition-state theory) or
    // site_area_m2 (collision theory, a gas in the IS); or nothing, and the species' free
    // energies (checked once [species] is read).
    void read_rate_source(const toml::table& t, const std::string& prefix, Step& step) {
        const toml::node* kf = t.get("kf");
        const toml::node* kr = t.get("kr");
        const toml::node* ga = t.get("Ga_eV");
        const toml::node* dg = t.get("dG_eV");
        const toml::node* area = t.get("site_area_m2");
        const toml::node* sticking = t.get("sticking");
        if (kf != nullptr || kr != nullptr) {
            for (auto [node, key] : {std::pair{ga, "Ga_eV"}, {dg, "dG_eV"}, {area, "site_area_m2"}, {sticking, "sticking"}}) {
                if (node != nullptr) r_.fail(r_.at(*node), prefix + "." + key, "give either kf and kr, or energies, not both");
            }
            for (const char* k : {"kf", "kr"}) {
                const toml::node* value = t.get(k);
                if (value == nullptr) {
                    r_.fail(step.where, prefix + "." + k,
                            std::string("missing: give the ") + (k[1] == 'f' ? "forward" : "reverse") +
                                " rate constant in 1/s (pressures in bar)");
                }
                (k[1] == 'f' ? step.kf : step.kr) = r_.non_negative(*value, prefix + "." + k);
            }
            step.source = Step::Source::explicit_constants;
            return;
        }
        if (ga != nullptr || dg != nullptr || area != nullptr) {
            // Without dG_eV the reaction free energy comes from the species (checked once
            // [species] is read).
            if (dg != nullptr) step.dG_eV = r_.number(*dg, prefix + ".dG_eV");
            step.dG_where = dg != nullptr ? r_.at(*dg) : step.where;
            if (ga != nullptr) {
                step.Ga_eV = r_.number(*ga, prefix + ".Ga_eV");
                if (*step.Ga_eV < 0.0 || (step.dG_eV && *step.Ga_eV < *step.dG_eV)) {
                    r_.fail(r_.at(*ga), prefix + ".Ga_eV", "the barrier must be >= 0 and >= dG_eV");
                }
            }
            if (area != nullptr) {
                step.site_area_m2 = r_.positive(*area, prefix + ".site_area_m2");
                bool gas_in_is = false;
                for (const StoichTerm& term : step.initial) {
                    gas_in_is = gas_in_is || m_.species[static_cast<std::size_t>(term.species)].kind == SpeciesKind::gas;
                }
                if (!gas_in_is) r_.fail(r_.at(*area), prefix + ".site_area_m2", "collision theory needs a gas in the initial state");
                if (ga != nullptr) r_.fail(r_.at(*ga), prefix + ".Ga_eV", "give Ga_eV or site_area_m2, not both");
            }
            if (ga == nullptr && area == nullptr) {
                r_.fail(step.where, prefix + ".Ga_eV", "missing: a barrier Ga_eV, or site_area_m2 for collision theory");
            }
            if (sticking != nullptr) {
                step.sticking = r_.positive(*sticking, prefix + ".sticking");
                if (step.sticking > 1.0) r_.fail(r_.at(*sticking), prefix + ".sticking", "must be <= 1");
            }
            step.source = Step::Source::step_energies;
            return;
        }
        if (sticking != nullptr) r_.fail(r_.at(*sticking), prefix + ".sticking", "sticking needs site_area_m2");
        step.source = Step::Source::species_energies;
    }

    // Steps without constants take them from species free energies: every species they name
    // (but free sites, whose free energy is 0 by convention) needs G_eV or E_eV.
    void check_species_energies(const toml::table& root) {
        (void)root;
        int number = 0;
        for (Step& step : m_.steps) {
            ++number;
            if (step.source == Step::Source::step_energies) {
                // ΔG from the species whenever every IS and FS species has an energy (a
                // contradicting dG_eV is reported by kinetics' model_warnings).
                std::string lacking;
                for (const auto* side : {&step.initial, &step.final}) {
                    for (const StoichTerm& term : *side) {
                        const Species& sp = m_.species[static_cast<std::size_t>(term.species)];
                        if (sp.kind != SpeciesKind::free_site && !sp.G_eV && !sp.E_eV && lacking.empty()) lacking = sp.name;
                    }
                }
                step.dG_from_species = lacking.empty();
                if (!step.dG_eV && !step.dG_from_species) {
                    r_.fail(step.where, "step[" + std::to_string(number) + "].dG_eV",
                            "missing: the reaction free energy in eV (or an energy in [species] for "
                            "every species of the step; " + lacking + " has none)");
                }
                continue;
            }
            if (step.source != Step::Source::species_energies) continue;
            std::vector<int> named;
            for (const auto& term : step.initial) named.push_back(term.species);
            for (const auto& term : step.final) named.push_back(term.species);
            if (step.transition_state >= 0) named.push_back(step.transition_state);
            for (int s : named) {
                const Species& sp = m_.species[static_cast<std::size_t>(s)];
                if (sp.kind == SpeciesKind::free_site || sp.G_eV || sp.E_eV) continue;
                r_.fail(step.where, "step[" + std::to_string(number) + "]",
                        "no rate constants (kf, kr), no step energies (Ga_eV, dG_eV), and species " +
                            sp.name + " has no energy in [species] (G_eV or E_eV)");
            }
        }
    }

    void finish_sites(const toml::table& root) {
        const toml::node* node = root.get("sites");
        (void)node;
        for (std::size_t t = 0; t < m_.sites.size(); ++t) {
            SiteType& site = m_.sites[t];
            site.free_species = m_.find_species("*_" + site.name);
            if (site.free_species < 0) {
                bool used = false;
                for (const Species& sp : m_.species) used = used || sp.site_type == static_cast<int>(t);
                r_.fail(site.where, "sites." + site.name,
                        used ? "no step involves the free site *_" + site.name +
                                   ": the site balance needs it"
                             : "site type '" + site.name + "' is not used by any species");
            }
        }
    }

    void read_tof(const toml::table& root) {
        const toml::node& node = *root["model"].as_table()->get("tof_of");
        const std::string name = r_.string(node, "model.tof_of");
        const int s = m_.find_species(name);
        if (s < 0 || m_.species[static_cast<std::size_t>(s)].kind != SpeciesKind::gas) {
            r_.fail(r_.at(node), "model.tof_of",
                    "'" + name + "' is not a gas of any step (TOF is the net production of a gas)");
        }
        m_.tof_of = s;
    }

    int gas(const std::string& name, const SourceLocation& where, const std::string& key) const {
        const int g = m_.find_gas(name);
        if (g < 0) r_.fail(where, key, "'" + name + "' is not a gas of any step");
        return g;
    }

    void read_pressures(const toml::table& root) {
        m_.pressure_bar.assign(m_.gases.size(), std::nullopt);
        const toml::node* node = root.get("pressures");
        if (node == nullptr) return;
        for (auto&& [key, value] : r_.table(*node, "pressures")) {
            const std::string name(key.str());
            const std::string path = "pressures." + name;
            const int g = gas(name, r_.at(key), path);
            const double p_bar = r_.non_negative(value, path);
            if (p_bar > kMaxPressure_bar) r_.fail(r_.at(value), path, "must be <= 1e10 bar");
            m_.pressure_bar[static_cast<std::size_t>(g)] = p_bar;
        }
    }

    void read_species_energies(const toml::table& root) {
        const toml::node* node = root.get("species");
        if (node == nullptr) return;
        for (auto&& [key, value] : r_.table(*node, "species")) {
            const std::string name(key.str());
            const std::string path = "species." + name;
            const int s = m_.find_species(name);
            const toml::table& t = r_.table(value, path);
            if (s < 0) {
                m_.warnings.push_back({r_.at(key), path,
                                       "'" + name + "' is not a species of any step: entry ignored"});
                continue;
            }
            r_.only_keys(t, path, {"G_eV", "E_eV", "frequencies_cm", "rotational_constants_cm",
                                   "symmetry", "spin_multiplicity", "mass_amu"});
            Species& sp = m_.species[static_cast<std::size_t>(s)];
            if (sp.kind == SpeciesKind::free_site) {
                r_.fail(r_.at(key), path, "free sites have free energy 0 by convention");
            }
            if (const toml::node* g = t.get("G_eV")) sp.G_eV = r_.number(*g, path + ".G_eV");
            if (const toml::node* e = t.get("E_eV")) {
                if (sp.G_eV) r_.fail(r_.at(*e), path + ".E_eV", "give G_eV or E_eV, not both");
                sp.E_eV = r_.number(*e, path + ".E_eV");
            }
            auto list = [&](const char* k, std::vector<double>& out) {
                if (const toml::node* n = t.get(k)) {
                    const toml::array* a = n->as_array();
                    if (a == nullptr) r_.fail(r_.at(*n), path + "." + k, "must be an array of numbers");
                    const bool frequencies = std::string_view(k) == "frequencies_cm";
                    bool dropped = false;
                    for (const toml::node& item : *a) {
                        // A transition state's imaginary mode, as codes print it (a negative
                        // wavenumber), is the reaction coordinate: it has no vibrational free
                        // energy. Dropped once, with a note; elsewhere a negative value is an error.
                        if (frequencies && sp.kind == SpeciesKind::transition_state && !dropped &&
                            r_.number(item, path + "." + k) < 0.0) {
                            dropped = true;
                            std::ostringstream note;
                            note << "the imaginary mode " << r_.number(item, path + "." + k)
                                 << " 1/cm (the reaction coordinate) was dropped from the "
                                    "transition state's vibrations";
                            m_.warnings.push_back({r_.at(item), path + "." + k, note.str()});
                            continue;
                        }
                        if (frequencies && r_.number(item, path + "." + k) < 0.0) {
                            r_.fail(r_.at(item), path + "." + k,
                                    sp.kind == SpeciesKind::transition_state
                                        ? "more than one imaginary (negative) mode: a transition "
                                          "state has exactly one"
                                        : "must be > 0 (an imaginary mode belongs only to a "
                                          "transition state)");
                        }
                        out.push_back(r_.positive(item, path + "." + k));
                    }
                    if (sp.G_eV) r_.fail(r_.at(*n), path + "." + k, "only with E_eV (G_eV is already a free energy)");
                }
            };
            list("frequencies_cm", sp.frequencies_cm);
            list("rotational_constants_cm", sp.rotational_constants_cm);
            if (sp.kind != SpeciesKind::gas && !sp.rotational_constants_cm.empty()) {
                r_.fail(r_.at(*t.get("rotational_constants_cm")), path + ".rotational_constants_cm", "only gases rotate freely");
            }
            if (sp.kind == SpeciesKind::gas && sp.E_eV && sp.rotational_constants_cm.size() != 0 &&
                sp.rotational_constants_cm.size() != 1 && sp.rotational_constants_cm.size() != 3) {
                r_.fail(r_.at(*t.get("rotational_constants_cm")), path + ".rotational_constants_cm",
                        "give one constant (linear molecule) or three (nonlinear)");
            }
            if (const toml::node* n = t.get("symmetry")) sp.symmetry = static_cast<int>(r_.integer(*n, path + ".symmetry", 1, 24));
            if (const toml::node* n = t.get("spin_multiplicity")) sp.spin_multiplicity = static_cast<int>(r_.integer(*n, path + ".spin_multiplicity", 1, 9));
            if (const toml::node* n = t.get("mass_amu")) sp.mass_amu = r_.positive(*n, path + ".mass_amu");
        }
    }

    Axis axis(const toml::node& node, const std::string& path) {
        const toml::table& t = r_.table(node, path);
        r_.only_keys(t, path, {"pressure", "temperature", "energy", "from", "to", "points", "scale"});
        Axis a;
        a.where = r_.at(node);
        int kinds = 0;
        if (const toml::node* p = t.get("pressure")) {
            ++kinds;
            a.kind = AxisKind::pressure;
            a.target = r_.string(*p, path + ".pressure");
            gas(a.target, r_.at(*p), path + ".pressure");
        }
        if (const toml::node* temp = t.get("temperature")) {
            ++kinds;
            a.kind = AxisKind::temperature;
            if (!temp->is_boolean() || !temp->as_boolean()->get()) {
                r_.fail(r_.at(*temp), path + ".temperature", "write temperature = true");
            }
        }
        if (const toml::node* e = t.get("energy")) {
            ++kinds;
            a.kind = AxisKind::energy;
            a.target = r_.string(*e, path + ".energy");
            const int s = m_.find_species(a.target);
            if (s < 0 || m_.species[static_cast<std::size_t>(s)].kind == SpeciesKind::gas ||
                m_.species[static_cast<std::size_t>(s)].kind == SpeciesKind::free_site) {
                r_.fail(r_.at(*e), path + ".energy",
                        "'" + a.target + "' is not an adsorbate or transition state of the model");
            }
        }
        if (kinds != 1) {
            r_.fail(a.where, path, "give exactly one of pressure = \"GAS_g\", temperature = true, "
                                   "energy = \"SPECIES\"");
        }
        a.from = r_.number(required(t, node, path, "from"), path + ".from");
        a.points = static_cast<int>(r_.integer(required(t, node, path, "points"), path + ".points", 1, 100000));
        const toml::node& from_node = *t.get("from");
        const toml::node* to_ptr = t.get("to");
        if (to_ptr == nullptr && a.points != 1) {
            r_.fail(a.where, path + ".to", "missing (only a one-point axis, points = 1, may omit it)");
        }
        const toml::node& to_node = to_ptr != nullptr ? *to_ptr : from_node;
        a.to = to_ptr != nullptr ? r_.number(*to_ptr, path + ".to") : a.from;
        if (a.points == 1 && a.to != a.from) {
            r_.fail(r_.at(to_node), path + ".to",
                    "a one-point axis (points = 1) is the value `from`: omit `to` or make it equal "
                    "to `from`");
        }
        if (a.points > 1 && a.to == a.from) {
            r_.fail(r_.at(to_node), path + ".to",
                    "from == to with points = " + std::to_string(a.points) +
                        ": every grid value would be the same (use points = 1)");
        }
        if (const toml::node* s = t.get("scale")) {
            const std::string scale = r_.string(*s, path + ".scale");
            if (scale != "log" && scale != "linear") {
                r_.fail(r_.at(*s), path + ".scale", "must be \"log\" or \"linear\", not \"" + scale + "\"");
            }
            a.log_scale = scale == "log";
        } else {
            a.log_scale = a.kind == AxisKind::pressure;
        }
        if (a.log_scale && !(a.from > 0.0)) r_.fail(r_.at(from_node), path + ".from", "a log axis needs from > 0");
        if (a.log_scale && !(a.to > 0.0)) r_.fail(r_.at(to_node), path + ".to", "a log axis needs to > 0");
        if (a.kind == AxisKind::pressure && a.from < 0.0) r_.fail(r_.at(from_node), path + ".from", "a pressure must be >= 0");
        if (a.kind == AxisKind::pressure && a.to < 0.0) r_.fail(r_.at(to_node), path + ".to", "a pressure must be >= 0");
        if (a.kind == AxisKind::temperature && !(a.from > 0.0)) r_.fail(r_.at(from_node), path + ".from", "a temperature must be > 0 K");
        if (a.kind == AxisKind::temperature && !(a.to > 0.0)) r_.fail(r_.at(to_node), path + ".to", "a temperature must be > 0 K");
        // Every grid value as the sweep will compute it: finite, and a pressure small enough
        // that k·p^ν (k up to ~1e13 1/s, ν up to 3) cannot overflow.
        for (double v : a.values()) {
            const bool bad = !std::isfinite(v) ||
                             (a.kind == AxisKind::pressure && (v < 0.0 || v > kMaxPressure_bar)) ||
                             (a.kind == AxisKind::temperature && !(v > 0.0));
            if (bad) {
                std::ostringstream msg;
                msg << "the axis reaches " << v << " " << a.units() << ", outside the valid range ("
                    << (a.kind == AxisKind::pressure ? "0 to 1e10 bar"
                        : a.kind == AxisKind::temperature ? "> 0 K, finite" : "finite")
                    << ")";
                r_.fail(r_.at(to_node), path + ".to", msg.str());
            }
        }
        return a;
    }

    void read_sweep(const toml::table& root) {
        const toml::node* node = root.get("sweep");
        if (node == nullptr) return;
        const toml::table& t = r_.table(*node, "sweep");
        r_.only_keys(t, "sweep", {"x", "y"});
        if (const toml::node* x = t.get("x")) m_.x = axis(*x, "sweep.x");
        if (const toml::node* y = t.get("y")) m_.y = axis(*y, "sweep.y");
        if (m_.y && !m_.x) r_.fail(m_.y->where, "sweep.x", "missing: a 1-D sweep is written with x only");
        if (m_.x && !m_.y) {
            // A 1-D sweep: y is one point of no quantity, so the grid and the file stay 2-D.
            Axis none;
            none.kind = AxisKind::none;
            none.from = none.to = 0.0;
            none.points = 1;
            none.log_scale = false;
            none.where = r_.at(*node);
            m_.y = none;
        }
        for (const auto* a : {&m_.x, &m_.y}) {
            if (!*a || (*a)->kind == AxisKind::none || (*a)->kind == AxisKind::pressure) continue;
            const std::string conflict = axis_conflict(m_, (*a)->kind, (*a)->target);
            const std::string key = std::string(a == &m_.x ? "sweep.x" : "sweep.y") +
                                    ((*a)->kind == AxisKind::temperature ? ".temperature" : ".energy");
            const toml::table& at = *t.get(a == &m_.x ? "x" : "y")->as_table();
            const toml::node* kind_node = at.get((*a)->kind == AxisKind::temperature ? "temperature" : "energy");
            if (!conflict.empty()) r_.fail(r_.at(*kind_node), key, conflict);
            if ((*a)->kind == AxisKind::temperature) {
                std::string fixed;
                for (std::size_t j = 0; j < m_.steps.size(); ++j) {
                    if (m_.steps[j].source == Step::Source::explicit_constants) {
                        fixed += (fixed.empty() ? "" : ", ") + std::to_string(j + 1);
                    }
                }
                if (!fixed.empty()) {
                    m_.warnings.push_back({r_.at(*kind_node), key,
                                           "step(s) " + fixed + " have explicit kf/kr: their rate "
                                           "constants stay fixed along the temperature axis"});
                }
            }
        }
        if (m_.x && m_.y && m_.x->name() == m_.y->name()) {
            r_.fail(m_.y->where, "sweep.y", "x and y both vary " + m_.x->name());
        }
        if (m_.x && m_.y && static_cast<long long>(m_.x->points) * m_.y->points > 1000000000LL) {
            r_.fail(m_.y->where, "sweep.y.points", "more than 1e9 grid points");
        }
    }

    void read_solver(const toml::table& root) {
        const toml::node* node = root.get("solver");
        if (node == nullptr) return;
        const toml::table& t = r_.table(*node, "solver");
        r_.only_keys(t, "solver", {"t_end_s", "ode_rtol", "ode_atol", "rtol", "atol", "max_ode_steps",
                                   "newton_max_iterations", "max_rungs", "point_time_limit_s", "stepper"});
        SolverSettings& s = m_.solver;
        auto tolerance = [&](const char* key, double& out, double hi) {
            if (const toml::node* v = t.get(key)) {
                out = r_.positive(*v, std::string("solver.") + key);
                if (out >= hi) r_.fail(r_.at(*v), std::string("solver.") + key, "must be < " + std::to_string(hi));
            }
        };
        if (const toml::node* v = t.get("t_end_s")) s.t_end_s = r_.positive(*v, "solver.t_end_s");
        tolerance("ode_rtol", s.ode_rtol, 1.0);
        tolerance("ode_atol", s.ode_atol, 1.0);
        tolerance("rtol", s.rtol, 1.0);
        tolerance("atol", s.atol, 1.0);
        if (const toml::node* v = t.get("max_ode_steps")) {
            s.max_ode_steps = static_cast<long>(r_.integer(*v, "solver.max_ode_steps", 10, 1000000000LL));
        }
        if (const toml::node* v = t.get("newton_max_iterations")) {
            s.newton_max_iterations = static_cast<int>(r_.integer(*v, "solver.newton_max_iterations", 1, 10000));
        }
        if (const toml::node* v = t.get("max_rungs")) {
            s.max_rungs = static_cast<int>(r_.integer(*v, "solver.max_rungs", 1, 20));
        }
        if (const toml::node* v = t.get("point_time_limit_s")) {
            s.point_time_limit_s = r_.non_negative(*v, "solver.point_time_limit_s");
        }
        if (const toml::node* v = t.get("stepper")) {
            s.stepper = r_.string(*v, "solver.stepper");
            if (s.stepper != "rodas4" && s.stepper != "odeint") {
                r_.fail(r_.at(*v), "solver.stepper", "must be \"rodas4\" or \"odeint\"");
            }
        }
    }

    Mechanism& m_;
    const Reader& r_;
};

// toml++ parses nested keys, tables and arrays recursively: 50,000 nested dotted keys
// overflowed the stack (SIGSEGV). Refuse deep nesting before it parses: no key segment (text
// between = , { } [ ] or a line end, outside strings and comments) may hold more than
// kMaxDots dots, and [ and { may nest at most kMaxDepth deep. Numbers hold at most one dot.
void check_nesting(std::string_view text, const std::string& path) {
    constexpr int kMaxDots = 32;
    constexpr int kMaxDepth = 32;
    int line = 1, column = 0, depth = 0, dots = 0;
    int seg_line = 1, seg_column = 1;
    std::size_t seg_begin = 0;
    auto fail = [&](const std::string& message) {
        const std::string key(text.substr(seg_begin, std::min<std::size_t>(24, text.size() - seg_begin)));
        throw InputError({path, seg_line, seg_column}, "", message + " (at '" + key + "...')");
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        ++column;
        if (c == '\n') {
            ++line;
            column = 0;
        }
        auto start_segment = [&] {
            dots = 0;
            seg_begin = i + 1;
            seg_line = line;
            seg_column = column + 1;
        };
        if (c == '#') {
            while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
            continue;
        }
        if (c == '"' || c == '\'') {
            const bool triple = text.substr(i, 3) == std::string(3, c);
            const std::string_view close = triple ? std::string_view(c == '"' ? "\"\"\"" : "\'\'\'")
                                                  : std::string_view(c == '"' ? "\"" : "'");
            std::size_t j = i + close.size();
            while (j < text.size() && text.substr(j, close.size()) != close) {
                if (c == '"' && text[j] == '\\') ++j;
                if (j < text.size() && text[j] == '\n') {
                    ++line;
                    column = 0;
                }
                ++j;
            }
            column += static_cast<int>(j + close.size() - 1 - i);
            i = std::min(text.size(), j + close.size()) - 1;
            continue;
        }
        if (c == '.') {
            if (++dots > kMaxDots) fail("more than 32 dotted key parts: nesting this deep is refused");
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxDepth) {
                seg_line = line;
                seg_column = column;
                seg_begin = i;
                fail("tables or arrays nested more than 32 deep are refused");
            }
            start_segment();
        } else if (c == ']' || c == '}') {
            depth = std::max(0, depth - 1);
            start_segment();
        } else if (c == '=' || c == ',' || c == '\n') {
            start_segment();
        }
    }
}

}  // namespace

Mechanism parse_model(std::string_view text, const std::string& path) {
    check_nesting(text, path);
    const Reader reader(path);
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw InputError({path, static_cast<int>(e.source().begin.line),
                          static_cast<int>(e.source().begin.column)},
                         "", std::string("TOML syntax: ") + std::string(e.description()));
    }
    Mechanism m;
    m.path = path;
    m.text = std::string(text);
    ModelBuilder(m, reader).read(root);
    return m;
}

Mechanism read_model_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError({path, 0, 0}, "", "cannot open the model file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_model(buffer.str(), path);
}

}  // namespace kinmap
