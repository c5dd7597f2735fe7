#include "kinmap/kinetics/kinetics.hpp"

#include <cmath>
#include <cstddef>

#include "kinmap/kinetics/interacting.hpp"
#include "kinmap/kinetics/mass_action.hpp"

namespace kinmap {
namespace {

std::int32_t to_i32(std::size_t n) { return static_cast<std::int32_t>(n); }

}  // namespace

Kinetics::Kinetics(const Mechanism& mechanism)
    : n_state_(static_cast<int>(mechanism.surface.size())),
      n_steps_(static_cast<int>(mechanism.steps.size())),
      n_gases_(static_cast<int>(mechanism.gases.size())),
      tof_gas_(mechanism.tof_of >= 0
                   ? mechanism.find_gas(mechanism.species[static_cast<std::size_t>(mechanism.tof_of)].name)
                   : -1) {
    net_change_ = Eigen::MatrixXd::Zero(n_state_, n_steps_);
    for (int s = 0; s < n_steps_; ++s) {
        const Step& step = mechanism.steps[static_cast<std::size_t>(s)];
        change_begin_.push_back(to_i32(change_.size()));
        gas_change_begin_.push_back(to_i32(gas_change_.size()));
        std::vector<double> nu_surface(static_cast<std::size_t>(n_state_), 0.0);
        std::vector<double> nu_gas(static_cast<std::size_t>(n_gases_), 0.0);
        for (int sign : {-1, 1}) {
            for (const StoichTerm& term : sign < 0 ? step.initial : step.final) {
                const Species& sp = mechanism.species[static_cast<std::size_t>(term.species)];
                const double nu = sign * static_cast<double>(term.coefficient);
                if (sp.kind == SpeciesKind::gas) {
                    nu_gas[static_cast<std::size_t>(mechanism.find_gas(sp.name))] += nu;
                } else {
                    nu_surface[static_cast<std::size_t>(mechanism.surface_position(term.species))] += nu;
                }
            }
        }
        for (std::size_t i = 0; i < nu_surface.size(); ++i) {
            if (nu_surface[i] != 0.0) change_.push_back({to_i32(i), nu_surface[i]});
            net_change_(static_cast<Eigen::Index>(i), s) = nu_surface[i];
        }
        for (std::size_t g = 0; g < nu_gas.size(); ++g) {
            if (nu_gas[g] != 0.0) gas_change_.push_back({to_i32(g), nu_gas[g]});
        }
    }
    change_begin_.push_back(to_i32(change_.size()));
    gas_change_begin_.push_back(to_i32(gas_change_.size()));
    tof_stoichiometry_.assign(static_cast<std::size_t>(n_steps_), 0.0);
    for (int s = 0; s < n_steps_; ++s) {
        for (std::int32_t q = gas_change_begin_[s]; q < gas_change_begin_[s + 1]; ++q) {
            if (gas_change_[q].position == tof_gas_) {
                tof_stoichiometry_[static_cast<std::size_t>(s)] += gas_change_[q].nu;
            }
        }
    }
}

void Kinetics::gross_flux(const double* rf, const double* rr, double* flux) const noexcept {
    for (int i = 0; i < n_state_; ++i) flux[i] = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        const double gross = rf[s] + rr[s];
        for (std::int32_t q = change_begin_[s]; q < change_begin_[s + 1]; ++q) {
            flux[change_[q].position] += std::abs(change_[q].nu) * gross;
        }
    }
}

void Kinetics::gas_production(const double* rf, const double* rr, double* production) const noexcept {
    for (int g = 0; g < n_gases_; ++g) production[g] = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        const double net = rf[s] - rr[s];
        for (std::int32_t q = gas_change_begin_[s]; q < gas_change_begin_[s + 1]; ++q) {
            production[gas_change_[q].position] += gas_change_[q].nu * net;
        }
    }
}

double Kinetics::tof(const double* rf, const double* rr) const noexcept {
    double production = 0.0;
    for (int s = 0; s < n_steps_; ++s) {
        for (std::int32_t q = gas_change_begin_[s]; q < gas_change_begin_[s + 1]; ++q) {
            if (gas_change_[q].position == tof_gas_) production += gas_change_[q].nu * (rf[s] - rr[s]);
        }
    }
    return production;
}

std::vector<char> Kinetics::jacobian_structure() const {
    return std::vector<char>(
        static_cast<std::size_t>(n_state_) * static_cast<std::size_t>(n_state_), 1);
}

void Kinetics::interaction_energies(const double* /*theta*/, double* out) const noexcept {
    for (int i = 0; i < n_state_; ++i) out[i] = 0.0;
}

std::unique_ptr<Kinetics> make_kinetics(const Mechanism& mechanism) {
    if (mechanism.interactions) return std::make_unique<InteractingKinetics>(mechanism);
    return std::make_unique<MassActionKinetics>(mechanism);
}

}  // namespace kinmap
