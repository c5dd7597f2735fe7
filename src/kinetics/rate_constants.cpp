#include "kinmap/kinetics/rate_constants.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/interacting.hpp"
#include "kinmap/kinetics/thermo.hpp"

namespace kinmap {
namespace {

constexpr double kPi = 3.14159265358979323846;

// The thermal correction of §3 of a species with a [species] entry: its free energy at T with
// an energy of 0 (harmonic vibrations; for a gas also translation, rotation and spin).
double thermal_correction_eV(const Species& species, double T) {
    Species zero = species;
    zero.G_eV.reset();
    zero.E_eV = 0.0;
    zero.scaling.reset();
    return free_energy_eV(zero, T);
}

// Energies E and free energies G of the species at temperature T and descriptor values D,
// with the G_ overrides of the conditions; evaluated lazily (a species is evaluated only if a
// step reads it) and cached.
//   E: G_eV, E_eV, the [scaling] relation, or for a bep transition state
//      E(IS) + alpha·(E(FS) − E(IS)) + beta; an override is both E and G.
//   G: G_eV; E_eV with the §3 thermochemistry; a scaled or bep energy plus the thermal
//      correction where the species has a [species] entry, else the energy itself.
class SpeciesEnergyModel {
public:
    SpeciesEnergyModel(const Mechanism& m, double T, const std::vector<double>& D,
                       const std::vector<std::pair<int, double>>& overrides,
                       const ElectrodeState& electrode = {}, ThermoCache* cache = nullptr)
        : m_(m), T_(T), D_(D), overrides_(overrides), electrode_(electrode), cache_(cache),
          e_(m.species.size(), std::numeric_limits<double>::quiet_NaN()),
          g_(m.species.size(), std::numeric_limits<double>::quiet_NaN()) {}

    const double* override_of(int s) const {
        const double* found = nullptr;
        for (const auto& [index, value] : overrides_) {
            if (index == s) found = &value;
        }
        return found;
    }

    double energy(int s) {
        double& value = e_[static_cast<std::size_t>(s)];
        if (!std::isnan(value)) return value;
        const Species& sp = m_.species[static_cast<std::size_t>(s)];
        if (const double* o = override_of(s)) value = *o;
        else if (sp.reservoir != Reservoir::none) value = reservoir_energy(sp);
        else if (sp.kind == SpeciesKind::free_site) value = 0.0;
        else if (sp.G_eV) value = *sp.G_eV;
        else if (sp.E_eV) value = *sp.E_eV;
        else if (sp.scaling) {
            value = sp.scaling->constant;
            for (const auto& [d, coefficient] : sp.scaling->terms)
                value += coefficient * D_[static_cast<std::size_t>(d)];
        } else if (sp.bep_step >= 0) {
            const Step& step = m_.steps[static_cast<std::size_t>(sp.bep_step)];
            const double e_is = side_energy(step.initial), e_fs = side_energy(step.final);
            value = e_is + step.bep->alpha * (e_fs - e_is) + step.bep->beta;
        } else {
            value = free_energy_eV(sp, T_);  // throws: no energy
        }
        return value;
    }

    double free_energy(int s) {
        double& value = g_[static_cast<std::size_t>(s)];
        if (!std::isnan(value)) return value;
        const Species& sp = m_.species[static_cast<std::size_t>(s)];
        if (const double* o = override_of(s)) value = *o;
        else if (sp.reservoir != Reservoir::none) value = energy(s);  // no thermochemistry
        else if (sp.scaling || sp.bep_step >= 0) {
            value = energy(s);
            if (sp.thermochemistry) value += thermal(s, 1, [&] { return thermal_correction_eV(sp, T_); });
        } else {
            value = thermal(s, 0, [&] { return free_energy_eV(sp, T_); });
        }
        return value;
    }

    // ∂E/∂D_d = ∂G/∂D_d [dimensionless] (the thermal correction does not depend on D).
    double d_energy(int s, int d) {
        const Species& sp = m_.species[static_cast<std::size_t>(s)];
        if (override_of(s) != nullptr) return 0.0;
        if (sp.reservoir == Reservoir::H) return 0.5 * d_energy(m_.find_species("H2_g"), d);
        if (sp.reservoir == Reservoir::OH)
            return d_energy(m_.find_species("H2O_g"), d) - 0.5 * d_energy(m_.find_species("H2_g"), d);
        if (sp.G_eV || sp.E_eV || sp.kind == SpeciesKind::free_site) return 0.0;
        if (sp.scaling) {
            double sum = 0.0;
            for (const auto& [index, coefficient] : sp.scaling->terms) {
                if (index == d) sum += coefficient;
            }
            return sum;
        }
        if (sp.bep_step >= 0) {
            const Step& step = m_.steps[static_cast<std::size_t>(sp.bep_step)];
            const double d_is = side_derivative(step.initial, d), d_fs = side_derivative(step.final, d);
            return d_is + step.bep->alpha * (d_fs - d_is);
        }
        return 0.0;
    }

    // ∂G/∂U [eV/V] of a species: −1 for pe_g and ele_g (G = G_eV − U, −U), else 0.
    static double d_potential(const Species& sp) { return carries_electron(sp.reservoir) ? -1.0 : 0.0; }
    double side_d_potential(const std::vector<StoichTerm>& terms) const {
        double sum = 0.0;
        for (const StoichTerm& t : terms)
            sum += t.coefficient * d_potential(m_.species[static_cast<std::size_t>(t.species)]);
        return sum;
    }

    double side_energy(const std::vector<StoichTerm>& terms) {
        double sum = 0.0;
        for (const StoichTerm& t : terms) sum += t.coefficient * energy(t.species);
        return sum;
    }
    double side_free_energy(const std::vector<StoichTerm>& terms) {
        double sum = 0.0;
        for (const StoichTerm& t : terms) sum += t.coefficient * free_energy(t.species);
        return sum;
    }
    double side_derivative(const std::vector<StoichTerm>& terms, int d) {
        double sum = 0.0;
        for (const StoichTerm& t : terms) sum += t.coefficient * d_energy(t.species, d);
        return sum;
    }

private:
    // A thermochemistry term of species s, from the cache where there is one.
    template <class Compute>
    double thermal(int s, int kind, Compute&& compute) {
        return cache_ != nullptr ? cache_->get(m_, s, T_, kind, compute) : compute();
    }

    // DESIGN §12: pe_g G_eV − U (RHE), ele_g −U, H_g ½·G(H2_g) − s·pH, OH_g G(H2O_g) − G(H_g).
    double reservoir_energy(const Species& sp) {
        const double U = electrode_.potential_V;
        switch (sp.reservoir) {
            case Reservoir::pe: return sp.G_eV.value_or(0.0) - U;
            case Reservoir::ele: return -U;
            case Reservoir::H: return proton_energy();
            // H_g itself need not be a species of the model (an alkaline mechanism has OH_g only).
            case Reservoir::OH: return free_energy(m_.find_species("H2O_g")) - proton_energy();
            case Reservoir::none: break;
        }
        return std::numeric_limits<double>::quiet_NaN();
    }

    double proton_energy() {
        return 0.5 * free_energy(m_.find_species("H2_g")) - pH_slope_eV(*m_.electrochemistry, T_) * electrode_.pH;
    }

    const Mechanism& m_;
    double T_;
    const std::vector<double>& D_;
    const std::vector<std::pair<int, double>>& overrides_;
    ElectrodeState electrode_;
    ThermoCache* cache_;
    std::vector<double> e_, g_;
};

// Which of IS, TS, FS sets the top of a species-energy step (as the max rule below picks it).
enum class Top { initial, transition, final };

// ln kf and ln kr of every step at temperature T (energies: species free energies at T with
// the descriptor values and overrides of `conditions`); with `dlnkf_dD`, `dlnkr_dD` also their
// derivatives with respect to every descriptor (column-major, n_steps × n_descriptors).
void log_constants(const Mechanism& m, const Conditions& c, const std::vector<double>& D, double T,
                   std::vector<double>& lnkf, std::vector<double>& lnkr,
                   std::vector<double>* dlnkf_dD = nullptr, std::vector<double>* dlnkr_dD = nullptr,
                   std::vector<double>* dlnkf_dU = nullptr, std::vector<double>* dlnkr_dU = nullptr,
                   ThermoCache* cache = nullptr) {
    using namespace constants;
    const double kT = kB_eV_per_K * T;
    const double ln_kT_h = std::log(kB_eV_per_K * T / h_eV_s);
    const ElectrodeState electrode = electrode_state(m, c);
    SpeciesEnergyModel model(m, T, D, c.energy_eV, electrode, cache);
    auto energy = [&](int s) { return model.free_energy(s); };
    auto side = [&](const std::vector<StoichTerm>& terms) { return model.side_free_energy(terms); };
    const std::size_t n = m.steps.size();
    const std::size_t n_d = m.descriptors.size();
    lnkf.resize(n);
    lnkr.resize(n);
    if (dlnkf_dD != nullptr) {
        dlnkf_dD->assign(n * n_d, 0.0);
        dlnkr_dD->assign(n * n_d, 0.0);
    }
    if (dlnkf_dU != nullptr) {
        dlnkf_dU->assign(n, 0.0);
        dlnkr_dU->assign(n, 0.0);
    }
    for (std::size_t s = 0; s < n; ++s) {
        const Step& step = m.steps[s];
        // `prefactor_per_s` replaces kB·T/h of this step only (DESIGN §12).
        const double ln_prefactor = step.prefactor_per_s ? std::log(*step.prefactor_per_s) : ln_kT_h;
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
                if (dlnkr_dD != nullptr && step.dG_from_species) {
                    for (std::size_t d = 0; d < n_d; ++d) {
                        const int di = static_cast<int>(d);
                        (*dlnkr_dD)[s + d * n] = (model.side_derivative(step.final, di) -
                                                  model.side_derivative(step.initial, di)) / kT;
                    }
                }
                break;
            }
            case Step::Source::species_energies: {
                const double g_is = side(step.initial);
                const double g_fs = side(step.final);
                double g_ts = std::max(g_is, g_fs);
                Top top = g_is < g_fs ? Top::final : Top::initial;
                // DESIGN §12: the transition state of an electrochemical step moves with U by
                // its own β (a step's β changes that step only): Ga_echem_eV gives
                // G_TS = Ga + β·G_FS(U) + (1 − β)·G_IS(U); a named one G_TS − (1 − β)·U.
                const double beta = step.electrochemical ? step.beta.value_or(m.electrochemistry->beta) : 0.0;
                const bool has_ts = step.transition_state >= 0 || step.Ga_echem_eV.has_value();
                double d_ts_dU = 0.0;
                if (has_ts) {
                    double g = 0.0;
                    if (step.Ga_echem_eV) {
                        g = *step.Ga_echem_eV + beta * g_fs + (1.0 - beta) * g_is;
                        d_ts_dU = beta * model.side_d_potential(step.final) +
                                  (1.0 - beta) * model.side_d_potential(step.initial);
                    } else {
                        g = energy(step.transition_state);
                        if (step.electrochemical) {
                            g -= (1.0 - beta) * electrode.potential_V;
                            d_ts_dU = -(1.0 - beta);
                        }
                    }
                    if (g_ts < g) top = Top::transition;
                    g_ts = std::max(g_ts, g);
                }
                lnkf[s] = ln_prefactor - (g_ts - g_is) / kT;
                lnkr[s] = ln_prefactor - (g_ts - g_fs) / kT;
                if (dlnkf_dD != nullptr) {
                    for (std::size_t d = 0; d < n_d; ++d) {
                        const int di = static_cast<int>(d);
                        const double d_is = model.side_derivative(step.initial, di);
                        const double d_fs = model.side_derivative(step.final, di);
                        const double d_ts = !has_ts ? 0.0
                                            : step.Ga_echem_eV
                                                ? beta * d_fs + (1.0 - beta) * d_is
                                                : model.d_energy(step.transition_state, di);
                        const double d_top = top == Top::initial ? d_is : top == Top::final ? d_fs : d_ts;
                        (*dlnkf_dD)[s + d * n] = -(d_top - d_is) / kT;
                        (*dlnkr_dD)[s + d * n] = -(d_top - d_fs) / kT;
                    }
                }
                if (dlnkf_dU != nullptr) {
                    const double u_is = model.side_d_potential(step.initial);
                    const double u_fs = model.side_d_potential(step.final);
                    const double u_top = top == Top::initial ? u_is : top == Top::final ? u_fs : d_ts_dU;
                    (*dlnkf_dU)[s] = -(u_top - u_is) / kT;
                    (*dlnkr_dU)[s] = -(u_top - u_fs) / kT;
                }
                break;
            }
        }
    }
}

// The descriptor values of `conditions`, or the model's defaults where it carries none.
std::vector<double> descriptor_values(const Mechanism& m, const Conditions& c) {
    if (c.descriptor_eV.empty()) return m.descriptor_defaults();
    if (c.descriptor_eV.size() != m.descriptors.size()) {
        throw Error("conditions carry " + std::to_string(c.descriptor_eV.size()) +
                    " descriptor values for a model with " + std::to_string(m.descriptors.size()));
    }
    return c.descriptor_eV;
}

}  // namespace

RateConstants rate_constants(const Mechanism& mechanism, const Conditions& conditions, ThermoCache* cache) {
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
        if (!mechanism.descriptors.empty()) {
            k.dlnkf_dD.assign(n * mechanism.descriptors.size(), 0.0);
            k.dlnkr_dD.assign(n * mechanism.descriptors.size(), 0.0);
        }
        if (mechanism.electrochemistry) {
            k.dlnkf_dU.assign(n, 0.0);
            k.dlnkr_dU.assign(n, 0.0);
        }
        return k;
    }
    const double T = conditions.temperature_K;
    const std::vector<double> D = descriptor_values(mechanism, conditions);
    const bool descriptors = !mechanism.descriptors.empty();
    const bool electrochemistry = mechanism.electrochemistry.has_value();
    std::vector<double> lnkf, lnkr, up_f, up_r, down_f, down_r;
    log_constants(mechanism, conditions, D, T, lnkf, lnkr, descriptors ? &k.dlnkf_dD : nullptr,
                  descriptors ? &k.dlnkr_dD : nullptr, electrochemistry ? &k.dlnkf_dU : nullptr,
                  electrochemistry ? &k.dlnkr_dU : nullptr, cache);
    // ∂ln k/∂T of the closed forms above by a central difference over ±1e-3 K (the functions
    // are smooth; error ~1e-9 relative). The steady state's own sensitivities come from the
    // Jacobian (SteadySolver::rate_control), not from differences.
    const double h = 1e-3;
    log_constants(mechanism, conditions, D, T + h, up_f, up_r, nullptr, nullptr, nullptr, nullptr, cache);
    log_constants(mechanism, conditions, D, T - h, down_f, down_r, nullptr, nullptr, nullptr, nullptr, cache);
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

std::vector<SpeciesEnergy> species_energies(const Mechanism& mechanism, double temperature_K,
                                            const std::vector<double>& descriptor_eV) {
    Conditions defaults;
    return species_energies(mechanism, temperature_K, descriptor_eV,
                            electrode_state(mechanism, defaults));
}

std::vector<SpeciesEnergy> species_energies(const Mechanism& mechanism, double temperature_K,
                                            const std::vector<double>& descriptor_eV,
                                            const ElectrodeState& electrode) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<std::pair<int, double>> none;
    SpeciesEnergyModel model(mechanism, temperature_K, descriptor_eV, none, electrode);
    std::vector<SpeciesEnergy> out;
    for (std::size_t i = 0; i < mechanism.species.size(); ++i) {
        const Species& sp = mechanism.species[i];
        const int s = static_cast<int>(i);
        SpeciesEnergy e{nan, nan, EnergySource::none};
        if (sp.kind == SpeciesKind::free_site) e.source = EnergySource::free_site;
        else if (sp.reservoir != Reservoir::none) e.source = EnergySource::reservoir;
        else if (sp.G_eV || sp.E_eV) e.source = EnergySource::species;
        else if (sp.scaling) {
            const bool one = sp.scaling->constant == 0.0 && sp.scaling->terms.size() == 1 &&
                             sp.scaling->terms[0].second == 1.0;
            e.source = one ? EnergySource::descriptor : EnergySource::scaling;
        } else if (sp.bep_step >= 0) e.source = EnergySource::bep;
        if (e.source != EnergySource::none) {
            e.E = model.energy(s);
            e.G = model.free_energy(s);
        }
        out.push_back(e);
    }
    return out;
}

std::vector<double> free_energies_at(const Mechanism& mechanism, const Conditions& conditions,
                                     double temperature_K, std::vector<double>* dG_dD) {
    const std::vector<double> D = descriptor_values(mechanism, conditions);
    SpeciesEnergyModel model(mechanism, temperature_K, D, conditions.energy_eV);
    const std::size_t n = mechanism.species.size();
    const std::size_t n_d = mechanism.descriptors.size();
    std::vector<double> g(n, std::numeric_limits<double>::quiet_NaN());
    if (dG_dD != nullptr) dG_dD->assign(n * n_d, 0.0);
    for (const Step& step : mechanism.steps) {
        if (step.source != Step::Source::species_energies) continue;
        auto read = [&](int s) {
            const auto i = static_cast<std::size_t>(s);
            if (!std::isnan(g[i])) return;
            g[i] = model.free_energy(s);
            if (dG_dD != nullptr) {
                for (std::size_t d = 0; d < n_d; ++d) (*dG_dD)[i + d * n] = model.d_energy(s, static_cast<int>(d));
            }
        };
        for (const StoichTerm& t : step.initial) read(t.species);
        for (const StoichTerm& t : step.final) read(t.species);
        if (step.transition_state >= 0) read(step.transition_state);
    }
    return g;
}

std::vector<double> species_free_energies(const Mechanism& mechanism, double temperature_K) {
    std::vector<double> g;
    for (const SpeciesEnergy& e :
         species_energies(mechanism, temperature_K, mechanism.descriptor_defaults())) {
        g.push_back(e.G);
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
        if (step.electrochemical) {
            // DESIGN §12 at the default potential, as log_constants takes it.
            const double beta = step.beta.value_or(mechanism.electrochemistry->beta);
            if (step.Ga_echem_eV) e.G_ts = *step.Ga_echem_eV + beta * e.G_fs + (1.0 - beta) * e.G_is;
            else if (step.transition_state >= 0)
                e.G_ts -= (1.0 - beta) * mechanism.electrochemistry->potential_V;
        }
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
                if (!std::isnan(e.G_ts)) {
                    // Ga_echem_eV's TS names no species: below an end state is the max rule.
                    e.ts_below = step.transition_state >= 0 && e.G_ts < top;
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
    for (Warning& w : interaction_warnings(model)) warnings.push_back(std::move(w));
    return warnings;
}

}  // namespace kinmap
