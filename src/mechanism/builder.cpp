// Every chemistry check of a model, independent of the format it is written in: the reader
// hands over located values, the checks here raise InputError at those locations.
#include "kinmap/mechanism/builder.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>
#include <utility>

#include "builder_checks.hpp"
#include "electrochemistry_build.hpp"
#include "kinmap/mechanism/species_name.hpp"

namespace kinmap {
namespace {

// Largest partial pressure an axis or [pressures] may hold [bar]: beyond it k·p^ν of an
// adsorption step overflows double precision for ordinary k; no experiment comes near it.
constexpr double kMaxPressure_bar = 1e10;

using detail::fail;

Origin with_key(const Origin& at, const std::string& key) {
    return {at.where, key};
}

double number(const Given<double>& g) { return detail::finite(g); }

double positive(const Given<double>& g) {
    const double v = number(g);
    if (!(v > 0.0)) fail(g.at, "must be > 0");
    return v;
}

double non_negative(const Given<double>& g) {
    const double v = number(g);
    if (!(v >= 0.0)) fail(g.at, "must be >= 0");
    return v;
}

long long in_range(const Given<long long>& g, long long lo, long long hi) {
    if (g.value < lo || g.value > hi) {
        fail(g.at, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                       ", not " + std::to_string(g.value));
    }
    return g.value;
}

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

std::map<std::string, int> elements_of(const Mechanism& m, const std::vector<StoichTerm>& terms) {
    std::map<std::string, int> total;
    for (const StoichTerm& t : terms) {
        for (const auto& [e, n] : m.species[static_cast<std::size_t>(t.species)].elements) {
            total[e] += n * t.coefficient;
        }
    }
    return total;
}

std::vector<int> sites_of(const Mechanism& m, const std::vector<StoichTerm>& terms) {
    std::vector<int> total(m.sites.size(), 0);
    for (const StoichTerm& t : terms) {
        const Species& sp = m.species[static_cast<std::size_t>(t.species)];
        if (sp.site_type >= 0)
            total[static_cast<std::size_t>(sp.site_type)] += sp.site_count * t.coefficient;
    }
    return total;
}

std::string describe(const std::map<std::string, int>& elements) {
    std::string s;
    for (const auto& [e, n] : elements) s += e + (n != 1 ? std::to_string(n) : "");
    return s.empty() ? "(none)" : s;
}

std::vector<StoichTerm> sorted(std::vector<StoichTerm> terms) {
    std::sort(terms.begin(), terms.end(),
              [](const StoichTerm& a, const StoichTerm& b) { return a.species < b.species; });
    return terms;
}

bool same(const std::vector<StoichTerm>& a, const std::vector<StoichTerm>& b) {
    const auto sa = sorted(a), sb = sorted(b);
    if (sa.size() != sb.size()) return false;
    for (std::size_t i = 0; i < sa.size(); ++i) {
        if (sa[i].species != sb[i].species || sa[i].coefficient != sb[i].coefficient) return false;
    }
    return true;
}

}  // namespace

ModelBuilder::ModelBuilder(ModelSource source) : m_(model_.mechanism) {
    model_.source = std::move(source);
}

ModelBuilder::ModelBuilder(ModelBuilder&& other) noexcept
    : model_(std::move(other.model_)), m_(model_.mechanism) {}

void ModelBuilder::set_model(const Given<std::string>& name, const Given<double>& temperature_K) {
    m_.name = name.value;
    m_.temperature_K = positive(temperature_K);
}

void ModelBuilder::add_site(const Given<std::string>& label, const Given<double>& total) {
    std::string why;
    if (!detail::parse_species_name("*_" + label.value, why) || label.value == "g") {
        fail(label.at, "invalid site label '" + label.value + "'");
    }
    SiteType site;
    site.name = label.value;
    site.total = positive(total);
    site.where = label.at.where;
    m_.sites.push_back(site);
}

void ModelBuilder::end_sites(const Origin& table) {
    if (m_.sites.empty()) fail(table, "declare at least one site type");
}

void ModelBuilder::set_electrochemistry(const ElectrochemistryInput& input) {
    m_.electrochemistry = detail::build_electrochemistry(input);
}

int ModelBuilder::site_index(const std::string& label) const {
    for (std::size_t t = 0; t < m_.sites.size(); ++t) {
        if (m_.sites[t].name == label) return static_cast<int>(t);
    }
    return -1;
}

// Register (or find) a species named in a step equation.
int ModelBuilder::species(const std::string& name, bool transition_state, const Origin& at) {
    const int found = m_.find_species(name);
    if (found >= 0) {
        const bool was_ts =
            m_.species[static_cast<std::size_t>(found)].kind == SpeciesKind::transition_state;
        if (was_ts != transition_state) {
            fail(at, "'" + name +
                         "' is used both as a transition state and as an initial or final "
                         "state species");
        }
        return found;
    }
    std::string why;
    const auto parsed = detail::parse_species_name(name, why);
    if (!parsed) fail(at, why);
    Species sp;
    sp.name = name;
    sp.formula = parsed->formula;
    sp.elements = parsed->elements;
    sp.where = at.where;
    if (parsed->gas) {
        if (transition_state) fail(at, "transition state '" + name + "' cannot be a gas");
        sp.kind = SpeciesKind::gas;
    } else {
        sp.site_type = site_index(parsed->site_label);
        if (sp.site_type < 0) {
            fail(at, "species '" + name + "' is on site type '" + parsed->site_label +
                         "', which [sites] does not declare");
        }
        sp.site_count = parsed->site_count;
        sp.kind = transition_state    ? SpeciesKind::transition_state
                  : sp.formula == "*" ? SpeciesKind::free_site
                                      : SpeciesKind::adsorbate;
        if (transition_state && sp.formula == "*")
            fail(at, "a free site cannot be a transition state");
    }
    detail::mark_reservoir(m_, sp, at);
    m_.species.push_back(sp);
    const int index = static_cast<int>(m_.species.size()) - 1;
    if (sp.kind == SpeciesKind::gas) m_.gases.push_back(index);
    if (sp.kind == SpeciesKind::adsorbate || sp.kind == SpeciesKind::free_site)
        m_.surface.push_back(index);
    return index;
}

std::vector<StoichTerm> ModelBuilder::side(const std::string& text, const Origin& at) {
    std::vector<StoichTerm> terms;
    std::vector<std::string> pieces;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '+') {
            pieces.push_back(trim(std::string_view(text).substr(start, i - start)));
            start = i + 1;
        }
    }
    for (const std::string& piece : pieces) {
        if (piece.empty()) fail(at, "empty term in '" + trim(text) + "'");
        std::size_t i = 0;
        int coefficient = 0;
        while (i < piece.size() && std::isdigit(static_cast<unsigned char>(piece[i]))) {
            coefficient = coefficient * 10 + (piece[i++] - '0');
            if (coefficient > 100) fail(at, "coefficient too large in '" + piece + "'");
        }
        if (i == 0) coefficient = 1;
        if (coefficient == 0) fail(at, "coefficient 0 in '" + piece + "'");
        const std::string name = trim(std::string_view(piece).substr(i));
        if (name.empty() || name.find_first_of(" \t") != std::string::npos) {
            fail(at, "cannot read term '" + piece + "' (expected e.g. 2O_s)");
        }
        const int s = species(name, false, at);
        auto existing = std::find_if(terms.begin(), terms.end(),
                                     [&](const StoichTerm& t) { return t.species == s; });
        if (existing != terms.end())
            existing->coefficient += coefficient;
        else
            terms.push_back({s, coefficient});
    }
    return terms;
}

void ModelBuilder::add_step(const Given<std::string>& equation, const StepRatesInput& rates,
                            const SourceLocation& step_at, const std::string& prefix) {
    Step step;
    step.where = step_at;
    step.equation = equation.value;
    const Origin& eq = equation.at;
    const std::vector<std::string> parts = split_arrows(step.equation);
    if (parts.size() != 2 && parts.size() != 3) {
        fail(eq, "expected 'IS -> FS', 'IS <-> FS' or 'IS <-> TS -> FS'");
    }
    // Species are numbered in order of appearance as written: IS, TS, FS.
    step.initial = side(parts.front(), eq);
    if (parts.size() == 3) {
        const std::string ts = trim(parts[1]);
        if (ts.empty() || ts.find_first_of("+ \t") != std::string::npos) {
            fail(eq, "the middle term must be one transition-state species");
        }
        step.transition_state = species(ts, true, eq);
    }
    step.final = side(parts.back(), eq);
    if (same(step.initial, step.final)) fail(eq, "initial and final states are the same");
    const auto e_is = elements_of(m_, step.initial), e_fs = elements_of(m_, step.final);
    if (e_is != e_fs)
        fail(eq, "elements do not balance: " + describe(e_is) + " -> " + describe(e_fs));
    const auto s_is = sites_of(m_, step.initial), s_fs = sites_of(m_, step.final);
    for (std::size_t k = 0; k < m_.sites.size(); ++k) {
        if (s_is[k] != s_fs[k]) {
            fail(eq, "sites of type " + m_.sites[k].name + " do not balance: " +
                         std::to_string(s_is[k]) + " -> " + std::to_string(s_fs[k]));
        }
    }
    if (step.transition_state >= 0) {
        const Species& ts = m_.species[static_cast<std::size_t>(step.transition_state)];
        if (ts.elements != e_is) {
            fail(eq, "transition state " + ts.name + " has elements " + describe(ts.elements) +
                         " but the initial state " + describe(e_is));
        }
        if (ts.site_count != s_is[static_cast<std::size_t>(ts.site_type)]) {
            fail(eq, "transition state " + ts.name + " spans " + std::to_string(ts.site_count) +
                         " sites but the initial state occupies " +
                         std::to_string(s_is[static_cast<std::size_t>(ts.site_type)]));
        }
    }
    for (std::size_t o = 0; o < m_.steps.size(); ++o) {
        const Step& other = m_.steps[o];
        if ((same(other.initial, step.initial) && same(other.final, step.final)) ||
            (same(other.initial, step.final) && same(other.final, step.initial))) {
            fail(eq, "duplicate of step " + std::to_string(o + 1) + " (" + other.equation +
                         "); every step is reversible");
        }
    }
    detail::set_electrochemical_step(m_, step, rates, prefix);
    set_rates(step, rates, prefix);
    m_.steps.push_back(std::move(step));
}

// Rate constants: explicit kf and kr; or dG_eV with Ga_eV (transition-state theory) or
// site_area_m2 (collision theory, a gas in the IS); or nothing, and the species' free
// energies (checked by end_species).
void ModelBuilder::set_rates(Step& step, const StepRatesInput& r, const std::string& prefix) {
    if (r.bep) {
        // The transition state's energy from the BEP relation; kf and kr from species energies.
        for (const auto* other : {&r.kf, &r.kr, &r.Ga_eV, &r.dG_eV, &r.site_area_m2, &r.sticking}) {
            if (*other) {
                fail((*other)->at,
                     "give bep (species energies) or kf/kr or step energies, not both");
            }
        }
        if (step.transition_state < 0) {
            fail(*r.bep, "bep gives the energy of the transition state: name one, as in "
                         "'IS <-> TS -> FS'");
        }
        Species& ts = m_.species[static_cast<std::size_t>(step.transition_state)];
        if (ts.bep_step >= 0) {
            fail(*r.bep, "the energy of " + ts.name + " is already given by the bep of step[" +
                             std::to_string(ts.bep_step + 1) + "]");
        }
        Bep bep;
        bep.where = r.bep->where;
        for (const auto* v : {&r.bep_alpha, &r.bep_beta}) {
            const bool alpha = v == &r.bep_alpha;
            if (!*v) {
                fail(with_key(*r.bep, r.bep->key + (alpha ? ".alpha" : ".beta")),
                     alpha ? "missing: the slope alpha of E(TS) = E(IS) + alpha*(E(FS) - E(IS)) + beta"
                           : "missing: the offset beta [eV] of E(TS) = E(IS) + alpha*(E(FS) - E(IS)) + beta");
            }
            (alpha ? bep.alpha : bep.beta) = number(**v);
        }
        step.bep = bep;
        ts.bep_step = static_cast<int>(m_.steps.size());
        step.source = Step::Source::species_energies;
        return;
    }
    if (r.kf || r.kr) {
        for (const auto* other : {&r.Ga_eV, &r.dG_eV, &r.site_area_m2, &r.sticking}) {
            if (*other) fail((*other)->at, "give either kf and kr, or energies, not both");
        }
        for (const auto* k : {&r.kf, &r.kr}) {
            const bool forward = k == &r.kf;
            if (!*k) {
                fail({step.where, prefix + (forward ? ".kf" : ".kr")},
                     std::string("missing: give the ") + (forward ? "forward" : "reverse") +
                         " rate constant in 1/s (pressures in bar)");
            }
            (forward ? step.kf : step.kr) = non_negative(**k);
        }
        step.source = Step::Source::explicit_constants;
        return;
    }
    if (r.Ga_eV || r.dG_eV || r.site_area_m2) {
        // Without dG_eV the reaction free energy comes from the species (end_species).
        if (r.dG_eV) step.dG_eV = number(*r.dG_eV);
        step.dG_where = r.dG_eV ? r.dG_eV->at.where : step.where;
        if (r.Ga_eV) {
            step.Ga_eV = number(*r.Ga_eV);
            if (*step.Ga_eV < 0.0 || (step.dG_eV && *step.Ga_eV < *step.dG_eV)) {
                fail(r.Ga_eV->at, "the barrier must be >= 0 and >= dG_eV");
            }
        }
        if (r.site_area_m2) {
            step.site_area_m2 = positive(*r.site_area_m2);
            bool gas_in_is = false;
            for (const StoichTerm& term : step.initial) {
                gas_in_is = gas_in_is || m_.species[static_cast<std::size_t>(term.species)].kind ==
                                             SpeciesKind::gas;
            }
            if (!gas_in_is)
                fail(r.site_area_m2->at, "collision theory needs a gas in the initial state");
            if (r.Ga_eV) fail(r.Ga_eV->at, "give Ga_eV or site_area_m2, not both");
        }
        if (!r.Ga_eV && !r.site_area_m2) {
            fail({step.where, prefix + ".Ga_eV"},
                 "missing: a barrier Ga_eV, or site_area_m2 for collision theory");
        }
        if (r.sticking) {
            step.sticking = positive(*r.sticking);
            if (step.sticking > 1.0) fail(r.sticking->at, "must be <= 1");
        }
        step.source = Step::Source::step_energies;
        return;
    }
    if (r.sticking) fail(r.sticking->at, "sticking needs site_area_m2");
    step.source = Step::Source::species_energies;
}

void ModelBuilder::end_steps() {
    for (std::size_t t = 0; t < m_.sites.size(); ++t) {
        SiteType& site = m_.sites[t];
        site.free_species = m_.find_species("*_" + site.name);
        if (site.free_species < 0) {
            bool used = false;
            for (const Species& sp : m_.species) used = used || sp.site_type == static_cast<int>(t);
            fail({site.where, "sites." + site.name},
                 used ? "no step involves the free site *_" + site.name +
                            ": the site balance needs it"
                      : "site type '" + site.name + "' is not used by any species");
        }
    }
    model_.base.pressure_bar.assign(m_.gases.size(), std::nullopt);
}

void ModelBuilder::set_tof_of(const Given<std::string>& gas) {
    const int s = m_.find_species(gas.value);
    if (s < 0 || m_.species[static_cast<std::size_t>(s)].kind != SpeciesKind::gas) {
        fail(gas.at,
             "'" + gas.value + "' is not a gas of any step (TOF is the net production of a gas)");
    }
    m_.tof_of = s;
}

void ModelBuilder::set_pressure(const Given<std::string>& gas, const Given<double>& p_bar) {
    const int g = m_.find_gas(gas.value);
    if (g < 0) fail(gas.at, "'" + gas.value + "' is not a gas of any step");
    detail::check_reservoir_pressure(m_.species[static_cast<std::size_t>(m_.gases[static_cast<std::size_t>(g)])], gas.at);
    const double p = non_negative(p_bar);
    if (p > kMaxPressure_bar) fail(p_bar.at, "must be <= 1e10 bar");
    model_.base.pressure_bar[static_cast<std::size_t>(g)] = p;
}

bool ModelBuilder::species_entry(const Given<std::string>& name) {
    if (m_.find_species(name.value) >= 0) return true;
    model_.warnings.push_back({name.at.where, name.at.key,
                               "'" + name.value + "' is not a species of any step: entry ignored"});
    return false;
}

void ModelBuilder::set_species(const Given<std::string>& name, const SpeciesInput& in) {
    Species& sp = m_.species[static_cast<std::size_t>(m_.find_species(name.value))];
    if (sp.kind == SpeciesKind::free_site)
        fail(name.at, "free sites have free energy 0 by convention");
    detail::check_reservoir_entry(sp, in, name.at);
    sp.thermochemistry = true;
    for (const auto* e : {&in.G_eV, &in.E_eV}) {
        if (*e && sp.bep_step >= 0) {
            fail((*e)->at, "the energy of " + sp.name + " is already given by the bep of step[" +
                               std::to_string(sp.bep_step + 1) +
                               "]: a species' energy comes from exactly one place");
        }
    }
    if (in.G_eV) sp.G_eV = number(*in.G_eV);
    if (in.E_eV) {
        if (sp.G_eV) fail(in.E_eV->at, "give G_eV or E_eV, not both");
        sp.E_eV = number(*in.E_eV);
    }
    auto list = [&](const std::optional<Given<std::vector<Given<double>>>>& given,
                    std::vector<double>& out, bool frequencies) {
        if (!given) return;
        bool dropped = false;
        for (const Given<double>& item : given->value) {
            const double v = number(item);
            // A transition state's imaginary mode, as codes print it (a negative wavenumber),
            // is the reaction coordinate: it has no vibrational free energy. Dropped once, with
            // a note; elsewhere a negative value is an error.
            if (frequencies && sp.kind == SpeciesKind::transition_state && !dropped && v < 0.0) {
                dropped = true;
                std::ostringstream note;
                note << "the imaginary mode " << v
                     << " 1/cm (the reaction coordinate) was dropped from the transition state's "
                        "vibrations";
                model_.warnings.push_back({item.at.where, item.at.key, note.str()});
                continue;
            }
            if (frequencies && v < 0.0) {
                fail(item.at,
                     sp.kind == SpeciesKind::transition_state
                         ? "more than one imaginary (negative) mode: a transition state has "
                           "exactly one"
                         : "must be > 0 (an imaginary mode belongs only to a transition state)");
            }
            out.push_back(positive(item));
        }
        if (sp.G_eV) fail(given->at, "only with E_eV (G_eV is already a free energy)");
    };
    list(in.frequencies_cm, sp.frequencies_cm, true);
    list(in.rotational_constants_cm, sp.rotational_constants_cm, false);
    if (sp.kind != SpeciesKind::gas && !sp.rotational_constants_cm.empty()) {
        fail(in.rotational_constants_cm->at, "only gases rotate freely");
    }
    if (sp.kind == SpeciesKind::gas && sp.E_eV && sp.rotational_constants_cm.size() != 0 &&
        sp.rotational_constants_cm.size() != 1 && sp.rotational_constants_cm.size() != 3) {
        fail(in.rotational_constants_cm->at,
             "give one constant (linear molecule) or three (nonlinear)");
    }
    if (in.symmetry) sp.symmetry = static_cast<int>(in_range(*in.symmetry, 1, 24));
    if (in.spin_multiplicity)
        sp.spin_multiplicity = static_cast<int>(in_range(*in.spin_multiplicity, 1, 9));
    if (in.mass_amu) sp.mass_amu = positive(*in.mass_amu);
}

// Steps without constants take them from species free energies: every species they name (but
// free sites, whose free energy is 0 by convention) needs G_eV or E_eV.
void ModelBuilder::end_species() {
    int number_of_step = 0;
    for (Step& step : m_.steps) {
        ++number_of_step;
        const std::string key = "step[" + std::to_string(number_of_step) + "]";
        if (step.source == Step::Source::step_energies) {
            // ΔG from the species whenever every IS and FS species has an energy (a
            // contradicting dG_eV is reported by kinetics' model_warnings).
            std::string lacking;
            for (const auto* s : {&step.initial, &step.final}) {
                for (const StoichTerm& term : *s) {
                    const Species& sp = m_.species[static_cast<std::size_t>(term.species)];
                    if (sp.kind != SpeciesKind::free_site && !sp.G_eV && !sp.E_eV &&
                        !sp.scaling && sp.reservoir == Reservoir::none && lacking.empty())
                        lacking = sp.name;
                }
            }
            step.dG_from_species = lacking.empty();
            if (!step.dG_eV && !step.dG_from_species) {
                fail({step.where, key + ".dG_eV"},
                     "missing: the reaction free energy in eV (or an energy in [species] for every "
                     "species of the step; " +
                         lacking + " has none)");
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
            if (sp.kind == SpeciesKind::free_site || sp.G_eV || sp.E_eV || sp.scaling ||
                sp.bep_step >= 0 || sp.reservoir != Reservoir::none)
                continue;
            fail({step.where, key},
                 "no rate constants (kf, kr), no step energies (Ga_eV, dG_eV), and species " +
                     sp.name + " has no energy in [species] (G_eV or E_eV) or [scaling]");
        }
    }
    detail::end_electrochemistry(m_);
    // A scaling row is read by the steps that take rate constants from species energies (and
    // by the ΔG of step-energy steps whose species all have energies); any other is inert.
    std::vector<bool> read(m_.species.size(), false);
    for (const Step& step : m_.steps) {
        const bool species_read = step.source == Step::Source::species_energies ||
                                  (step.source == Step::Source::step_energies && step.dG_from_species);
        if (!species_read) continue;
        for (const auto* side : {&step.initial, &step.final}) {
            for (const StoichTerm& t : *side) read[static_cast<std::size_t>(t.species)] = true;
        }
        if (step.transition_state >= 0 && step.source == Step::Source::species_energies)
            read[static_cast<std::size_t>(step.transition_state)] = true;
    }
    for (std::size_t i = 0; i < m_.species.size(); ++i) {
        const Species& sp = m_.species[i];
        if (!sp.scaling || read[i]) continue;
        model_.warnings.push_back(
            {sp.scaling->where, "scaling." + sp.name,
             "no step takes its rate constants from the energy of " + sp.name +
                 " (steps with kf/kr or Ga_eV/dG_eV ignore it): the row changes nothing"});
    }
}

void ModelBuilder::add_descriptor(const Given<std::string>& name, const Given<double>& value) {
    const std::string& n = name.value;
    const bool identifier =
        !n.empty() && (std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_') &&
        std::all_of(n.begin(), n.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        });
    if (!identifier) {
        fail(name.at, "a descriptor name is an identifier (letters, digits, _), not '" + n + "'");
    }
    if (m_.find_species(n) >= 0) {
        fail(name.at, "'" + n + "' is a species of the model: a descriptor needs a name of its own");
    }
    if (n.rfind("p_", 0) == 0 || n.rfind("G_", 0) == 0 || n == "T_K" || n == "U_V" || n == "pH") {
        fail(name.at, "'" + n +
                          "' would read as a pressure, energy, temperature, potential or pH axis: "
                          "a descriptor name may not start with p_ or G_ or be T_K, U_V or pH");
    }
    Descriptor d;
    d.name = n;
    d.value = number(value);
    d.where = name.at.where;
    m_.descriptors.push_back(d);
}

bool ModelBuilder::scaling_entry(const Given<std::string>& name) {
    if (m_.find_species(name.value) >= 0) return true;
    model_.warnings.push_back({name.at.where, name.at.key,
                               "'" + name.value + "' is not a species of any step: row ignored"});
    return false;
}

void ModelBuilder::set_scaling(const Given<std::string>& name, const Origin& row,
                               const std::optional<Given<double>>& constant,
                               const std::vector<NamedValue>& coefficients) {
    Species& sp = m_.species[static_cast<std::size_t>(m_.find_species(name.value))];
    if (sp.kind == SpeciesKind::free_site)
        fail(name.at, "free sites have free energy 0 by convention");
    if (sp.G_eV || sp.E_eV) {
        fail(name.at, "the energy of " + sp.name + " is already given in [species] (" +
                          (sp.G_eV ? "G_eV" : "E_eV") +
                          "): a species' energy comes from exactly one place (keep frequencies "
                          "there, drop the energy)");
    }
    if (sp.bep_step >= 0) {
        fail(name.at, "the energy of " + sp.name + " is already given by the bep of step[" +
                          std::to_string(sp.bep_step + 1) +
                          "]: a species' energy comes from exactly one place");
    }
    Scaling scaling;
    scaling.where = row.where;
    if (constant) scaling.constant = number(*constant);
    for (const NamedValue& c : coefficients) {
        const int d = m_.find_descriptor(c.name.value);
        if (d < 0) {
            std::string known;
            for (const Descriptor& desc : m_.descriptors) known += (known.empty() ? "" : ", ") + desc.name;
            fail(c.name.at, "unknown descriptor '" + c.name.value + "' (" +
                                (known.empty() ? "[descriptors] declares none"
                                               : "[descriptors]: " + known) +
                                "; the constant is `const`)");
        }
        scaling.terms.emplace_back(d, number(c.value));
    }
    sp.scaling = scaling;
}

void ModelBuilder::add_surface(const Origin& table, const std::optional<Given<std::string>>& name,
                               const std::vector<NamedValue>& values) {
    if (!name) fail(with_key(table, table.key + ".name"), "missing: the surface's name, e.g. \"Pt\"");
    if (name->value.empty()) fail(name->at, "must not be empty");
    for (const Surface& other : model_.surfaces) {
        if (other.name == name->value) {
            fail(name->at, "duplicate surface '" + name->value + "' (also at line " +
                               std::to_string(other.where.line) + ")");
        }
    }
    Surface surface;
    surface.name = name->value;
    surface.where = table.where;
    const double nan = std::nan("");
    surface.values.assign(m_.descriptors.size(), nan);
    std::vector<bool> given(m_.descriptors.size(), false);
    for (const NamedValue& v : values) {
        const int d = m_.find_descriptor(v.name.value);
        if (d < 0) {
            fail(v.name.at, "unknown descriptor '" + v.name.value + "' (a surface gives name and "
                            "a value of every descriptor of [descriptors])");
        }
        surface.values[static_cast<std::size_t>(d)] = number(v.value);
        given[static_cast<std::size_t>(d)] = true;
    }
    for (std::size_t d = 0; d < m_.descriptors.size(); ++d) {
        if (!given[d]) {
            fail(with_key(table, table.key + "." + m_.descriptors[d].name),
                 "missing: surface '" + surface.name + "' needs a value of every descriptor");
        }
    }
    model_.surfaces.push_back(std::move(surface));
}

Axis ModelBuilder::axis(const AxisInput& in) {
    const std::string& path = in.table.key;
    Axis a;
    a.where = in.table.where;
    int kinds = 0;
    if (in.pressure) {
        ++kinds;
        a.kind = AxisKind::pressure;
        a.target = in.pressure->value;
        a.quantity_where = in.pressure->at.where;
        const std::string problem = resolve_axis(m_, AxisKind::pressure, a.target, a.ref);
        if (!problem.empty()) fail(in.pressure->at, problem);
    }
    if (in.temperature) {
        ++kinds;
        a.kind = AxisKind::temperature;
        a.quantity_where = in.temperature->at.where;
        if (!in.temperature->value) fail(in.temperature->at, "write temperature = true");
    }
    if (in.energy) {
        ++kinds;
        a.kind = AxisKind::energy;
        a.target = in.energy->value;
        a.quantity_where = in.energy->at.where;
        // A sweep varies an adsorbate or a transition state; `--set G_<gas>` may shift a gas.
        const int s = m_.find_species(a.target);
        if (s < 0 || m_.species[static_cast<std::size_t>(s)].kind == SpeciesKind::gas ||
            m_.species[static_cast<std::size_t>(s)].kind == SpeciesKind::free_site) {
            fail(in.energy->at,
                 "'" + a.target + "' is not an adsorbate or transition state of the model");
        }
    }
    if (in.descriptor) {
        ++kinds;
        a.kind = AxisKind::descriptor;
        a.target = in.descriptor->value;
        a.quantity_where = in.descriptor->at.where;
        if (m_.find_descriptor(a.target) < 0) {
            std::string known;
            for (const Descriptor& d : m_.descriptors) known += (known.empty() ? "" : ", ") + d.name;
            fail(in.descriptor->at, "'" + a.target + "' is not a descriptor of the model (" +
                                        (known.empty() ? "it has no [descriptors]"
                                                       : "[descriptors]: " + known) +
                                        ")");
        }
    }
    for (const auto* flag : {&in.potential, &in.pH}) {
        if (!*flag) continue;
        ++kinds;
        const bool potential = flag == &in.potential;
        a.kind = potential ? AxisKind::potential : AxisKind::pH;
        a.quantity_where = (*flag)->at.where;
        if (!(*flag)->value) fail((*flag)->at, potential ? "write potential = true" : "write pH = true");
        const std::string problem = resolve_axis(m_, a.kind, "", a.ref);
        if (!problem.empty()) fail((*flag)->at, problem);
    }
    if (kinds != 1) {
        fail(in.table,
             "give exactly one of pressure = \"GAS_g\", temperature = true, energy = \"SPECIES\", "
             "descriptor = \"NAME\", potential = true, pH = true");
    }
    if (!in.from) fail(with_key(in.table, path + ".from"), "missing");
    a.from = number(*in.from);
    if (!in.points) fail(with_key(in.table, path + ".points"), "missing");
    a.points = static_cast<int>(in_range(*in.points, 1, 100000));
    if (!in.to && a.points != 1) {
        fail(with_key(in.table, path + ".to"),
             "missing (only a one-point axis, points = 1, may omit it)");
    }
    const Origin to_at = in.to ? in.to->at : with_key(in.from->at, path + ".to");
    const Origin& from_at = in.from->at;
    a.to = in.to ? number(*in.to) : a.from;
    if (a.points == 1 && a.to != a.from) {
        fail(to_at,
             "a one-point axis (points = 1) is the value `from`: omit `to` or make it equal to "
             "`from`");
    }
    if (a.points > 1 && a.to == a.from) {
        fail(to_at, "from == to with points = " + std::to_string(a.points) +
                        ": every grid value would be the same (use points = 1)");
    }
    if (in.scale) {
        const std::string& scale = in.scale->value;
        if (scale != "log" && scale != "linear") {
            fail(in.scale->at, "must be \"log\" or \"linear\", not \"" + scale + "\"");
        }
        a.log_scale = scale == "log";
    } else {
        a.log_scale = axis_kind_info(a.kind).default_log;
    }
    if (a.log_scale && !(a.from > 0.0)) fail(from_at, "a log axis needs from > 0");
    if (a.log_scale && !(a.to > 0.0)) fail(to_at, "a log axis needs to > 0");
    if (a.kind == AxisKind::pressure && a.from < 0.0) fail(from_at, "a pressure must be >= 0");
    if (a.kind == AxisKind::pressure && a.to < 0.0) fail(to_at, "a pressure must be >= 0");
    if (a.kind == AxisKind::temperature && !(a.from > 0.0))
        fail(from_at, "a temperature must be > 0 K");
    if (a.kind == AxisKind::temperature && !(a.to > 0.0))
        fail(to_at, "a temperature must be > 0 K");
    // Every grid value as the sweep will compute it: in the kind's range, and a pressure small
    // enough that k·p^ν (k up to ~1e13 1/s, ν up to 3) cannot overflow.
    for (double v : a.values()) {
        const bool bad = !axis_value_problem(a.kind, v).empty() ||
                         (a.kind == AxisKind::pressure && v > kMaxPressure_bar);
        if (bad) {
            std::ostringstream msg;
            msg << "the axis reaches " << v << " " << a.units() << ", outside the valid range ("
                << (a.kind == AxisKind::pressure      ? "0 to 1e10 bar"
                    : a.kind == AxisKind::temperature ? "> 0 K, finite"
                                                      : "finite")
                << ")";
            fail(to_at, msg.str());
        }
    }
    return a;
}

void ModelBuilder::set_sweep(const std::optional<AxisInput>& x_in,
                             const std::optional<AxisInput>& y_in, const Origin& table) {
    std::optional<Axis> x, y;
    if (x_in) x = axis(*x_in);
    if (y_in) y = axis(*y_in);
    if (y && !x) fail({y->where, "sweep.x"}, "missing: a 1-D sweep is written with x only");
    if (!x) return;
    if (!y) {
        // A 1-D sweep: y is one point of no quantity, so the grid and the file stay 2-D.
        Axis none;
        none.kind = AxisKind::none;
        none.from = none.to = 0.0;
        none.points = 1;
        none.log_scale = false;
        none.where = none.quantity_where = table.where;
        y = none;
    }
    for (Axis* a : {&*x, &*y}) {
        if (a->kind == AxisKind::none || a->kind == AxisKind::pressure) continue;
        const std::string key = std::string(a == &*x ? "sweep.x." : "sweep.y.") +
                                std::string(axis_kind_info(a->kind).sweep_key);
        const std::string conflict = resolve_axis(m_, a->kind, a->target, a->ref);
        if (!conflict.empty()) fail({a->quantity_where, key}, conflict);
        if (a->kind == AxisKind::temperature) {
            std::string fixed;
            for (std::size_t j = 0; j < m_.steps.size(); ++j) {
                if (m_.steps[j].source == Step::Source::explicit_constants) {
                    fixed += (fixed.empty() ? "" : ", ") + std::to_string(j + 1);
                }
            }
            if (!fixed.empty()) {
                model_.warnings.push_back({a->quantity_where, key,
                                           "step(s) " + fixed +
                                               " have explicit kf/kr: their rate "
                                               "constants stay fixed along the temperature axis"});
            }
        }
    }
    if (x->name() == y->name()) fail({y->where, "sweep.y"}, "x and y both vary " + x->name());
    if (static_cast<long long>(x->points) * y->points > 1000000000LL) {
        fail({y->where, "sweep.y.points"}, "more than 1e9 grid points");
    }
    model_.sweep = Sweep{*x, *y};
}

void ModelBuilder::set_solver(const SolverInput& in) {
    SolverSettings& s = model_.solver;
    auto tolerance = [&](const std::optional<Given<double>>& v, double& out, double hi) {
        if (!v) return;
        out = positive(*v);
        if (out >= hi) fail(v->at, "must be < " + std::to_string(hi));
    };
    if (in.t_end_s) s.t_end_s = positive(*in.t_end_s);
    tolerance(in.ode_rtol, s.ode_rtol, 1.0);
    tolerance(in.ode_atol, s.ode_atol, 1.0);
    tolerance(in.rtol, s.rtol, 1.0);
    tolerance(in.atol, s.atol, 1.0);
    if (in.max_ode_steps)
        s.max_ode_steps = static_cast<long>(in_range(*in.max_ode_steps, 10, 1000000000LL));
    if (in.newton_max_iterations) {
        s.newton_max_iterations = static_cast<int>(in_range(*in.newton_max_iterations, 1, 10000));
    }
    if (in.max_rungs) s.max_rungs = static_cast<int>(in_range(*in.max_rungs, 1, 20));
    if (in.point_time_limit_s) s.point_time_limit_s = non_negative(*in.point_time_limit_s);
    if (in.stepper) {
        s.stepper = in.stepper->value;
        if (s.stepper != "rodas4" && s.stepper != "odeint")
            fail(in.stepper->at, "must be \"rodas4\" or \"odeint\"");
    }
    if (in.linear_solver) {
        s.linear_solver = in.linear_solver->value;
        if (s.linear_solver != "auto" && s.linear_solver != "dense" && s.linear_solver != "sparse")
            fail(in.linear_solver->at, "must be \"auto\", \"dense\" or \"sparse\"");
        if (s.linear_solver == "sparse" && s.stepper != "rodas4")
            fail(in.linear_solver->at, "\"sparse\" needs stepper = \"rodas4\"");
    }
    if (in.all_states) s.all_states = in.all_states->value;
    if (in.max_states) s.max_states = static_cast<int>(in_range(*in.max_states, 1, 64));
}

ModelFile ModelBuilder::finish() {
    return std::move(model_);
}

}  // namespace kinmap
