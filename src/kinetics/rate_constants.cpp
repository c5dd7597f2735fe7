#include "kinmap/kinetics/rate_constants.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/thermo.hpp"

namespace kinmap {
namespace {

constexpr double kPi = 3.14159265358979323846;

// ln kf and ln kr of every step at temperature T (energies: species free energies at T with
// the overrides of `conditions`).
void log_constants(const Mechanism& m, const Conditions& c, double T, std::vector<double>& lnkf,
                   std::vector<double>& lnkr) {
    using namespace constants;
    const double kT = kB_eV_per_K * T;
    const double ln_prefactor = std::log(kB_eV_per_K * T / h_eV_s);
    std::vector<double> g(m.species.size(), std::numeric_limits<double>::quiet_NaN());
    auto energy = [&](int s) {
        double& value = g[static_cast<std::size_t>(s)];
        if (std::isnan(value)) {
            value = free_energy_eV(m.species[static_cast<std::size_t>(s)], T);
            for (const auto& [index, override_eV] : c.energy_eV) {
                if (index == s) value = override_eV;
            }
        }
        return value;
    };
    auto side = [&](const std::vector<StoichTerm>& terms) {
        double sum = 0.0;
        for (const StoichTerm& t : terms) sum += t.coefficient * energy(t.species);
        return sum;
    };
    lnkf.resize(m.steps.size());
    lnkr.resize(m.steps.size());
    for (std::size_t s = 0; s < m.steps.size(); ++s) {
        const Step& step = m.steps[s];
        switch (step.source) {
            case Step::Source::explicit_constants:
                lnkf[s] = std::log(step.kf);
                lnkr[s] = std::log(step.kr);
                break;
            case Step::Source::step_energies: {
                if (step.site_area_m2) {
                    double mass = 0.0;
                    for (const StoichTerm& t : step.initial) {
                        const Species& sp = m.species[static_cast<std::size_t>(t.species)];
                        if (sp.kind == SpeciesKind::gas) mass += species_mass_amu(sp) * amu_kg;
                    }
                    lnkf[s] = std::log(step.sticking * *step.site_area_m2 * bar_Pa /
                                       std::sqrt(2.0 * kPi * mass * kB_J_per_K * T));
                } else {
                    lnkf[s] = ln_prefactor - *step.Ga_eV / kT;
                }
                const double dG = step.dG_from_species ? side(step.final) - side(step.initial) : *step.dG_eV;
                lnkr[s] = lnkf[s] + dG / kT;
                break;
            }
            case Step::Source::species_energies: {
                const double g_is = side(step.initial);
                const double g_fs = side(step.final);
                double g_ts = std::max(g_is, g_fs);
                if (step.transition_state >= 0) g_ts = std::max(g_ts, energy(step.transition_state));
                lnkf[s] = ln_prefactor - (g_ts - g_is) / kT;
                lnkr[s] = ln_prefactor - (g_ts - g_fs) / kT;
                break;
            }
        }
    }
}

}  // namespace

RateConstants rate_constants(const Mechanism& mechanism, const Conditions& conditions) {
    bool any_energy = false;
    for (const Step& step : mechanism.steps) any_energy = any_energy || step.source != Step::Source::explicit_constants;
    // Axes are checked when they are bound (the sweep's when the model is read, --set's by
    // make_conditions); these guard library callers that fill Conditions themselves, located
    // at a step with explicit constants or at the species.
    if (!any_energy && conditions.temperature_K != mechanism.temperature_K) {
        AxisRef ref;
        throw InputError(mechanism.steps.front().where, "T_K",
                         resolve_axis(mechanism, AxisKind::temperature, "", ref));
    }
    for (const auto& [index, g] : conditions.energy_eV) {
        const Species& sp = mechanism.species[static_cast<std::size_t>(index)];
        AxisRef ref;
        const std::string conflict = resolve_axis(mechanism, AxisKind::energy, sp.name, ref);
        if (!conflict.empty()) throw InputError(sp.where, "G_" + sp.name, conflict);
    }
    RateConstants k;
    const std::size_t n = mechanism.steps.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (!any_energy) {
        // Explicit constants only (called once per point): nothing to evaluate.
        for (const Step& step : mechanism.steps) {
            k.kf.push_back(step.kf);
            k.kr.push_back(step.kr);
        }
        k.dlnkf_dT.assign(n, nan);
        k.dlnkr_dT.assign(n, nan);
        return k;
    }
    const double T = conditions.temperature_K;
    std::vector<double> lnkf, lnkr, up_f, up_r, down_f, down_r;
    log_constants(mechanism, conditions, T, lnkf, lnkr);
    // ∂ln k/∂T of the closed forms above by a central difference over ±1e-3 K (the functions
    // are smooth; error ~1e-9 relative). The steady state's own sensitivities come from the
    // Jacobian (SteadySolver::rate_control), not from differences.
    const double h = 1e-3;
    log_constants(mechanism, conditions, T + h, up_f, up_r);
    log_constants(mechanism, conditions, T - h, down_f, down_r);
    k.kf.resize(n);
    k.kr.resize(n);
    k.dlnkf_dT.resize(n);
    k.dlnkr_dT.resize(n);
    for (std::size_t s = 0; s < n; ++s) {
        const Step& step = mechanism.steps[s];
        if (step.source == Step::Source::explicit_constants) {
            k.kf[s] = step.kf;
            k.kr[s] = step.kr;
            k.dlnkf_dT[s] = k.dlnkr_dT[s] = nan;
            continue;
        }
        k.kf[s] = std::exp(lnkf[s]);
        k.kr[s] = std::exp(lnkr[s]);
        k.dlnkf_dT[s] = (up_f[s] - down_f[s]) / (2.0 * h);
        k.dlnkr_dT[s] = (up_r[s] - down_r[s]) / (2.0 * h);
    }
    return k;
}

std::vector<double> species_free_energies(const Mechanism& mechanism, double temperature_K) {
    std::vector<double> g;
    for (const Species& sp : mechanism.species) {
        const bool has = sp.kind == SpeciesKind::free_site || sp.G_eV || sp.E_eV;
        g.push_back(has ? free_energy_eV(sp, temperature_K) : std::numeric_limits<double>::quiet_NaN());
    }
    return g;
}

std::vector<StepEnergies> step_energies(const Mechanism& mechanism, double temperature_K) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> g = species_free_energies(mechanism, temperature_K);
    auto side = [&](const std::vector<StoichTerm>& terms) {
        double sum = 0.0;
        for (const StoichTerm& t : terms) sum += t.coefficient * g[static_cast<std::size_t>(t.species)];
        return sum;
    };
    std::vector<StepEnergies> out;
    for (const Step& step : mechanism.steps) {
        StepEnergies e{side(step.initial), nan, side(step.final), nan, nan, nan, false};
        if (step.transition_state >= 0) e.G_ts = g[static_cast<std::size_t>(step.transition_state)];
        switch (step.source) {
            case Step::Source::explicit_constants: break;
            case Step::Source::step_energies:
                e.dG = step.dG_from_species ? e.G_fs - e.G_is : *step.dG_eV;
                if (step.Ga_eV) {
                    e.Ga_forward = *step.Ga_eV;
                    e.Ga_reverse = e.Ga_forward - e.dG;
                }
                break;
            case Step::Source::species_energies: {
                double top = std::max(e.G_is, e.G_fs);
                if (step.transition_state >= 0) {
                    e.ts_below = e.G_ts < top;
                    top = std::max(top, e.G_ts);
                }
                e.dG = e.G_fs - e.G_is;
                e.Ga_forward = top - e.G_is;
                e.Ga_reverse = top - e.G_fs;
                break;
            }
        }
        out.push_back(e);
    }
    return out;
}

std::vector<Warning> model_warnings(const ModelFile& model) {
    const Mechanism& mechanism = model.mechanism;
    std::vector<Warning> warnings = model.warnings;
    const std::vector<StepEnergies> energies = step_energies(mechanism, mechanism.temperature_K);
    char text[320];
    for (std::size_t j = 0; j < mechanism.steps.size(); ++j) {
        const Step& step = mechanism.steps[j];
        const StepEnergies& e = energies[j];
        const std::string key = "step[" + std::to_string(j + 1) + "]";
        if (step.source == Step::Source::step_energies && step.dG_eV && step.dG_from_species &&
            std::abs(*step.dG_eV - (e.G_fs - e.G_is)) > 1e-6) {
            std::snprintf(text, sizeof text,
                          "dG_eV = %.6g eV contradicts the species energies, G(FS) - G(IS) = "
                          "%.6g eV at %g K; the species energies are used",
                          *step.dG_eV, e.G_fs - e.G_is, mechanism.temperature_K);
            warnings.push_back({step.dG_where, key + ".dG_eV", text});
        }
        if (e.ts_below) {
            const std::string& ts = mechanism.species[static_cast<std::size_t>(step.transition_state)].name;
            std::snprintf(text, sizeof text,
                          "transition state %s (G = %.4f eV at %g K) lies below its %s state "
                          "(G = %.4f eV): the barrier is taken to the higher state, so the step "
                          "is barrierless %s",
                          ts.c_str(), e.G_ts, mechanism.temperature_K,
                          e.G_is >= e.G_fs ? "initial" : "final", std::max(e.G_is, e.G_fs),
                          e.G_is >= e.G_fs ? "forward" : "in reverse");
            warnings.push_back({step.where, key + ".equation", text});
        }
    }
    return warnings;
}

}  // namespace kinmap
