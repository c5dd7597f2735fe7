// The TOML reader of the model file (DESIGN.md §3): it walks the toml++ tree only (types,
// unknown keys, nesting, locations) and hands every value with its location and key path to
// the format-free ModelBuilder, which owns the chemistry checks.
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "kinmap/mechanism/builder.hpp"
#include "kinmap/mechanism/model_file.hpp"

namespace kinmap {
namespace {

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

    Given<std::string> string(const toml::node& node, const std::string& key) const {
        if (const auto* s = node.as_string()) return {s->get(), {at(node), key}};
        fail(at(node), key, std::string("must be a string, not ") + type_name(node));
    }

    // A number; integers are accepted where a float is expected (finiteness is the builder's).
    Given<double> number(const toml::node& node, const std::string& key) const {
        if (const auto* f = node.as_floating_point()) return {f->get(), {at(node), key}};
        if (const auto* i = node.as_integer()) return {static_cast<double>(i->get()), {at(node), key}};
        fail(at(node), key, std::string("must be a number, not ") + type_name(node));
    }

    Given<long long> integer(const toml::node& node, const std::string& key) const {
        const auto* i = node.as_integer();
        if (i == nullptr) fail(at(node), key, std::string("must be an integer, not ") + type_name(node));
        return {i->get(), {at(node), key}};
    }

    std::optional<Given<double>> number_if(const toml::table& t, const char* k, const std::string& prefix) const {
        if (const toml::node* n = t.get(k)) return number(*n, join(prefix, k));
        return std::nullopt;
    }
    std::optional<Given<long long>> integer_if(const toml::table& t, const char* k, const std::string& prefix) const {
        if (const toml::node* n = t.get(k)) return integer(*n, join(prefix, k));
        return std::nullopt;
    }
    std::optional<Given<bool>> boolean_if(const toml::table& t, const char* k, const std::string& prefix) const {
        const toml::node* n = t.get(k);
        if (n == nullptr) return std::nullopt;
        if (const auto* b = n->as_boolean()) return Given<bool>{b->get(), {at(*n), join(prefix, k)}};
        fail(at(*n), join(prefix, k), std::string("must be a boolean, not ") + type_name(*n));
    }
    std::optional<Given<std::string>> string_if(const toml::table& t, const char* k, const std::string& prefix) const {
        if (const toml::node* n = t.get(k)) return string(*n, join(prefix, k));
        return std::nullopt;
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

private:
    std::string path_;
};

// Walks the TOML tree in the order the builder expects its values.
class TomlModelReader {
public:
    TomlModelReader(const Reader& reader, ModelBuilder& builder) : r_(reader), b_(builder) {}

    void read(const toml::table& root) {
        r_.only_keys(root, "", {"model", "sites", "pressures", "descriptors", "species", "scaling",
                                "step", "surfaces", "sweep", "solver", "interactions",
                                "electrochemistry"});
        read_model(root);
        read_sites(root);
        read_electrochemistry(root);
        read_steps(root);
        b_.end_steps();
        b_.set_tof_of(r_.string(*root["model"].as_table()->get("tof_of"), "model.tof_of"));
        read_pressures(root);
        read_descriptors(root);
        read_species(root);
        read_scaling(root);
        b_.end_species();
        read_interactions(root);
        read_surfaces(root);
        read_sweep(root);
        read_solver(root);
    }

private:
    const toml::node& required(const toml::table& t, const toml::node& table_node,
                               const std::string& prefix, const char* key) const {
        const toml::node* node = t.get(key);
        if (node == nullptr) r_.fail(r_.at(table_node), Reader::join(prefix, key), "missing");
        return *node;
    }

    void read_model(const toml::table& root) {
        const toml::node* node = root.get("model");
        if (node == nullptr) r_.fail(r_.start(), "model", "missing [model] table");
        const toml::table& t = r_.table(*node, "model");
        r_.only_keys(t, "model", {"name", "temperature_K", "tof_of"});
        const Given<std::string> name = r_.string(required(t, *node, "model", "name"), "model.name");
        const Given<double> temperature =
            r_.number(required(t, *node, "model", "temperature_K"), "model.temperature_K");
        b_.set_model(name, temperature);
        required(t, *node, "model", "tof_of");  // read after the steps are known
    }

    void read_sites(const toml::table& root) {
        const toml::node* node = root.get("sites");
        if (node == nullptr) r_.fail(r_.start(), "sites", "missing [sites] table (e.g. s = 1.0)");
        const toml::table& t = r_.table(*node, "sites");
        for (auto&& [key, value] : t) {
            const std::string label(key.str());
            const std::string path = "sites." + label;
            b_.add_site({label, {r_.at(key), path}}, r_.number(value, path));
        }
        b_.end_sites({r_.at(*node), "sites"});
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
            r_.only_keys(t, prefix, {"equation", "kf", "kr", "Ga_eV", "dG_eV", "site_area_m2", "sticking", "bep",
                                   "beta", "Ga_echem_eV", "prefactor_per_s"});
            const Given<std::string> equation = r_.string(required(t, item, prefix, "equation"), prefix + ".equation");
            StepRatesInput rates;
            rates.kf = r_.number_if(t, "kf", prefix);
            rates.kr = r_.number_if(t, "kr", prefix);
            rates.Ga_eV = r_.number_if(t, "Ga_eV", prefix);
            rates.dG_eV = r_.number_if(t, "dG_eV", prefix);
            rates.site_area_m2 = r_.number_if(t, "site_area_m2", prefix);
            rates.sticking = r_.number_if(t, "sticking", prefix);
            rates.beta = r_.number_if(t, "beta", prefix);
            rates.Ga_echem_eV = r_.number_if(t, "Ga_echem_eV", prefix);
            rates.prefactor_per_s = r_.number_if(t, "prefactor_per_s", prefix);
            if (const toml::node* bep = t.get("bep")) {
                const std::string bep_key = prefix + ".bep";
                const toml::table& bt = r_.table(*bep, bep_key);
                r_.only_keys(bt, bep_key, {"alpha", "beta"});
                rates.bep = Origin{r_.at(*bep), bep_key};
                rates.bep_alpha = r_.number_if(bt, "alpha", bep_key);
                rates.bep_beta = r_.number_if(bt, "beta", bep_key);
            }
            b_.add_step(equation, rates, r_.at(item), prefix);
        }
    }

    // DESIGN §12; `pH_slope_eV` is a number or the string "kT".
    void read_electrochemistry(const toml::table& root) {
        const toml::node* node = root.get("electrochemistry");
        if (node == nullptr) return;
        const toml::table& t = r_.table(*node, "electrochemistry");
        const std::string path = "electrochemistry";
        r_.only_keys(t, path, {"reference", "potential_V", "beta", "pH", "pH_slope_eV",
                               "site_density_per_cm2"});
        ElectrochemistryInput in;
        in.table = {r_.at(*node), path};
        in.reference = r_.string_if(t, "reference", path);
        in.potential_V = r_.number_if(t, "potential_V", path);
        in.beta = r_.number_if(t, "beta", path);
        in.pH = r_.number_if(t, "pH", path);
        if (const toml::node* slope = t.get("pH_slope_eV")) {
            if (slope->is_string()) in.pH_slope_text = r_.string(*slope, path + ".pH_slope_eV");
            else in.pH_slope_eV = r_.number(*slope, path + ".pH_slope_eV");
        }
        in.site_density_per_cm2 = r_.number_if(t, "site_density_per_cm2", path);
        b_.set_electrochemistry(in);
    }

    void read_pressures(const toml::table& root) {
        const toml::node* node = root.get("pressures");
        if (node == nullptr) return;
        for (auto&& [key, value] : r_.table(*node, "pressures")) {
            const std::string name(key.str());
            const std::string path = "pressures." + name;
            b_.set_pressure({name, {r_.at(key), path}}, r_.number(value, path));
        }
    }

    void read_descriptors(const toml::table& root) {
        const toml::node* node = root.get("descriptors");
        if (node == nullptr) return;
        // In file order (toml++ iterates a table by key): their order is the map file's.
        std::vector<std::pair<const toml::key*, const toml::node*>> entries;
        for (auto&& [key, value] : r_.table(*node, "descriptors")) entries.emplace_back(&key, &value);
        std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
            const auto& pa = a.first->source().begin;
            const auto& pb = b.first->source().begin;
            return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
        });
        for (const auto& [key, value] : entries) {
            const std::string name(key->str());
            const std::string path = "descriptors." + name;
            b_.add_descriptor({name, {r_.at(*key), path}}, r_.number(*value, path));
        }
    }

    // `{ E_O = 1.0, const = 0.2 }`: every key but `const` names a descriptor.
    std::vector<NamedValue> named_values(const toml::table& t, const std::string& path,
                                         std::string_view skip) const {
        std::vector<NamedValue> out;
        for (auto&& [key, value] : t) {
            if (key.str() == skip) continue;
            const std::string k(key.str());
            out.push_back({{k, {r_.at(key), path + "." + k}}, r_.number(value, path + "." + k)});
        }
        return out;
    }

    void read_scaling(const toml::table& root) {
        const toml::node* node = root.get("scaling");
        if (node == nullptr) return;
        for (auto&& [key, value] : r_.table(*node, "scaling")) {
            const std::string path = "scaling." + std::string(key.str());
            const Given<std::string> name{std::string(key.str()), {r_.at(key), path}};
            const toml::table& t = r_.table(value, path);
            if (!b_.scaling_entry(name)) continue;
            b_.set_scaling(name, {r_.at(value), path}, r_.number_if(t, "const", path),
                           named_values(t, path, "const"));
        }
    }

    // [interactions] (DESIGN §11): keys and types only; every check is the builder's.
    void read_interactions(const toml::table& root) {
        const toml::node* node = root.get("interactions");
        if (node == nullptr) return;
        const std::string path = "interactions";
        const toml::table& t = r_.table(*node, path);
        r_.only_keys(t, path, {"model", "response", "slope", "cutoff", "smoothing", "mixing",
                               "ts_rule", "ts_weight", "eps"});
        InteractionsInput in;
        in.table = {r_.at(*node), path};
        in.model = r_.string_if(t, "model", path);
        in.response = r_.string_if(t, "response", path);
        in.mixing = r_.string_if(t, "mixing", path);
        in.ts_rule = r_.string_if(t, "ts_rule", path);
        in.slope = r_.number_if(t, "slope", path);
        in.cutoff = r_.number_if(t, "cutoff", path);
        in.smoothing = r_.number_if(t, "smoothing", path);
        in.ts_weight = r_.number_if(t, "ts_weight", path);
        if (const toml::node* eps = t.get("eps")) {
            in.eps = named_values(r_.table(*eps, path + ".eps"), path + ".eps", "");
            // In file order, so that messages and `check` follow the file.
            std::stable_sort(in.eps.begin(), in.eps.end(), [](const NamedValue& a, const NamedValue& b) {
                const SourceLocation& pa = a.name.at.where;
                const SourceLocation& pb = b.name.at.where;
                return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
            });
        }
        b_.set_interactions(in);
    }

    void read_surfaces(const toml::table& root) {
        const toml::node* node = root.get("surfaces");
        if (node == nullptr) return;
        const toml::array* surfaces = node->as_array();
        if (surfaces == nullptr || !surfaces->is_array_of_tables()) {
            r_.fail(r_.at(*node), "surfaces", "must be written as [[surfaces]] tables");
        }
        int number = 0;
        for (const toml::node& item : *surfaces) {
            ++number;
            const std::string prefix = "surfaces[" + std::to_string(number) + "]";
            const toml::table& t = r_.table(item, prefix);
            b_.add_surface({r_.at(item), prefix}, r_.string_if(t, "name", prefix),
                           named_values(t, prefix, "name"));
        }
    }

    void read_species(const toml::table& root) {
        const toml::node* node = root.get("species");
        if (node == nullptr) return;
        for (auto&& [key, value] : r_.table(*node, "species")) {
            const std::string path = "species." + std::string(key.str());
            const Given<std::string> name{std::string(key.str()), {r_.at(key), path}};
            const toml::table& t = r_.table(value, path);
            if (!b_.species_entry(name)) continue;
            r_.only_keys(t, path, {"G_eV", "E_eV", "frequencies_cm", "rotational_constants_cm",
                                   "symmetry", "spin_multiplicity", "mass_amu"});
            SpeciesInput in;
            in.G_eV = r_.number_if(t, "G_eV", path);
            in.E_eV = r_.number_if(t, "E_eV", path);
            auto list = [&](const char* k) -> std::optional<Given<std::vector<Given<double>>>> {
                const toml::node* n = t.get(k);
                if (n == nullptr) return std::nullopt;
                const std::string list_key = path + "." + k;
                const toml::array* a = n->as_array();
                if (a == nullptr) r_.fail(r_.at(*n), list_key, "must be an array of numbers");
                Given<std::vector<Given<double>>> out{{}, {r_.at(*n), list_key}};
                for (const toml::node& item : *a) out.value.push_back(r_.number(item, list_key));
                return out;
            };
            in.frequencies_cm = list("frequencies_cm");
            in.rotational_constants_cm = list("rotational_constants_cm");
            in.symmetry = r_.integer_if(t, "symmetry", path);
            in.spin_multiplicity = r_.integer_if(t, "spin_multiplicity", path);
            in.mass_amu = r_.number_if(t, "mass_amu", path);
            b_.set_species(name, in);
        }
    }

    AxisInput axis(const toml::node& node, const std::string& path) const {
        const toml::table& t = r_.table(node, path);
        r_.only_keys(t, path, {"pressure", "temperature", "energy", "descriptor", "potential", "pH",
                              "from", "to", "points", "scale"});
        AxisInput in;
        in.table = {r_.at(node), path};
        in.pressure = r_.string_if(t, "pressure", path);
        if (const toml::node* temp = t.get("temperature")) {
            if (!temp->is_boolean()) r_.fail(r_.at(*temp), path + ".temperature", "write temperature = true");
            in.temperature = Given<bool>{temp->as_boolean()->get(), {r_.at(*temp), path + ".temperature"}};
        }
        for (const char* flag : {"potential", "pH"}) {
            const toml::node* n = t.get(flag);
            if (n == nullptr) continue;
            const std::string key = path + "." + flag;
            if (!n->is_boolean()) r_.fail(r_.at(*n), key, std::string("write ") + flag + " = true");
            (std::string_view(flag) == "pH" ? in.pH : in.potential) =
                Given<bool>{n->as_boolean()->get(), {r_.at(*n), key}};
        }
        in.energy = r_.string_if(t, "energy", path);
        in.descriptor = r_.string_if(t, "descriptor", path);
        in.from = r_.number_if(t, "from", path);
        in.to = r_.number_if(t, "to", path);
        in.points = r_.integer_if(t, "points", path);
        in.scale = r_.string_if(t, "scale", path);
        return in;
    }

    void read_sweep(const toml::table& root) {
        const toml::node* node = root.get("sweep");
        if (node == nullptr) return;
        const toml::table& t = r_.table(*node, "sweep");
        r_.only_keys(t, "sweep", {"x", "y"});
        std::optional<AxisInput> x, y;
        if (const toml::node* n = t.get("x")) x = axis(*n, "sweep.x");
        if (const toml::node* n = t.get("y")) y = axis(*n, "sweep.y");
        b_.set_sweep(x, y, {r_.at(*node), "sweep"});
    }

    void read_solver(const toml::table& root) {
        const toml::node* node = root.get("solver");
        if (node == nullptr) return;
        const toml::table& t = r_.table(*node, "solver");
        r_.only_keys(t, "solver", {"t_end_s", "ode_rtol", "ode_atol", "rtol", "atol", "max_ode_steps",
                                   "newton_max_iterations", "max_rungs", "point_time_limit_s", "stepper",
                                   "linear_solver", "all_states", "max_states"});
        SolverInput in;
        in.t_end_s = r_.number_if(t, "t_end_s", "solver");
        in.ode_rtol = r_.number_if(t, "ode_rtol", "solver");
        in.ode_atol = r_.number_if(t, "ode_atol", "solver");
        in.rtol = r_.number_if(t, "rtol", "solver");
        in.atol = r_.number_if(t, "atol", "solver");
        in.max_ode_steps = r_.integer_if(t, "max_ode_steps", "solver");
        in.newton_max_iterations = r_.integer_if(t, "newton_max_iterations", "solver");
        in.max_rungs = r_.integer_if(t, "max_rungs", "solver");
        in.point_time_limit_s = r_.number_if(t, "point_time_limit_s", "solver");
        in.stepper = r_.string_if(t, "stepper", "solver");
        in.linear_solver = r_.string_if(t, "linear_solver", "solver");
        in.all_states = r_.boolean_if(t, "all_states", "solver");
        in.max_states = r_.integer_if(t, "max_states", "solver");
        b_.set_solver(in);
    }

    const Reader& r_;
    ModelBuilder& b_;
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

ModelFile parse_model(std::string_view text, const std::string& path) {
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
    ModelBuilder builder(ModelSource{path, std::string(text)});
    TomlModelReader(reader, builder).read(root);
    return builder.finish();
}

ModelFile read_model_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError({path, 0, 0}, "", "cannot open the model file");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parse_model(buffer.str(), path);
}

}  // namespace kinmap
