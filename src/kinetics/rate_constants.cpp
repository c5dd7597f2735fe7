#include "kinmap/kinetics/rate_constants.hpp"

#include <algorithm>
#include <cmath>
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
                lnkr[s] = lnkf[s] + *step.dG_eV / kT;
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
    if (!any_energy && conditions.temperature_K != mechanism.temperature_K) {
        throw InputError({mechanism.path, 0, 0}, "T_K",
                         "every step has explicit kf/kr, which do not change with temperature: "
                         "give energies to sweep or set T_K");
    }
    for (const auto& [index, g] : conditions.energy_eV) {
        bool used = false;
        for (const Step& step : mechanism.steps) {
            if (step.source != Step::Source::species_energies) continue;
            for (const auto* side : {&step.initial, &step.final}) {
                for (const StoichTerm& t : *side) used = used || t.species == index;
            }
            used = used || step.transition_state == index;
        }
        if (!used) {
            throw InputError({mechanism.path, 0, 0},
                             "G_" + mechanism.species[static_cast<std::size_t>(index)].name,
                             "no step takes its rate constants from this species' free energy");
        }
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

}  // namespace kinmap
