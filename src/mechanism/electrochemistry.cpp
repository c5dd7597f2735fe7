// The reserved reservoirs and the [electrochemistry] checks of DESIGN §12. The free energies
// themselves are kinetics' (rate_constants.cpp): here only what a model may say.
#include "kinmap/mechanism/electrochemistry.hpp"

#include <cmath>
#include <vector>

#include "builder_checks.hpp"
#include "electrochemistry_build.hpp"

namespace kinmap {

Reservoir reservoir_of(std::string_view name) {
    if (name == "pe_g") return Reservoir::pe;
    if (name == "ele_g") return Reservoir::ele;
    if (name == "H_g") return Reservoir::H;
    if (name == "OH_g") return Reservoir::OH;
    return Reservoir::none;
}

namespace detail {
namespace {


bool has_energy(const Species& sp) {
    return sp.G_eV || sp.E_eV || sp.scaling || sp.bep_step >= 0;
}

}  // namespace

Electrochemistry build_electrochemistry(const ElectrochemistryInput& in) {
    Electrochemistry e;
    e.where = in.table.where;
    if (in.reference) {
        if (in.reference->value == "RHE") e.reference = Reference::RHE;
        else if (in.reference->value == "SHE") e.reference = Reference::SHE;
        else fail(in.reference->at, "unknown reference \"" + in.reference->value + "\" (expected \"RHE\" or \"SHE\")");
    }
    if (in.potential_V) e.potential_V = finite(*in.potential_V);
    if (in.beta) {
        e.beta = finite(*in.beta);
        if (e.beta < 0.0 || e.beta > 1.0) fail(in.beta->at, "a symmetry factor must be in [0, 1]");
    }
    const bool she = e.reference == Reference::SHE;
    if (in.pH) {
        if (!she) {
            fail(in.pH->at, "pH is for reference = \"SHE\" only: on the RHE scale the potential "
                            "already includes it");
        }
        e.pH = finite(*in.pH);
    }
    if (in.pH_slope_text || in.pH_slope_eV) {
        const Origin& at = in.pH_slope_text ? in.pH_slope_text->at : in.pH_slope_eV->at;
        if (!she) fail(at, "pH_slope_eV is for reference = \"SHE\" only (pH does not enter on RHE)");
        if (in.pH_slope_text) {
            if (in.pH_slope_text->value != "kT")
                fail(at, "must be a number [eV per pH unit] or \"kT\" (kB*T*ln 10)");
            e.pH_slope_kT = true;
        } else {
            e.pH_slope_eV = finite(*in.pH_slope_eV);
            if (e.pH_slope_eV < 0.0) fail(at, "must be >= 0");
        }
    }
    if (in.site_density_per_cm2) {
        const double v = finite(*in.site_density_per_cm2);
        if (!(v > 0.0)) fail(in.site_density_per_cm2->at, "must be > 0");
        e.site_density_per_cm2 = v;
    }
    return e;
}

void mark_reservoir(const Mechanism& m, Species& sp, const Origin& at) {
    sp.reservoir = reservoir_of(sp.name);
    if (sp.reservoir == Reservoir::none) return;
    if (!m.electrochemistry) {
        fail(at, sp.name + " is a reserved reservoir of the computational hydrogen electrode: "
                           "it needs an [electrochemistry] table");
    }
    const bool she = m.electrochemistry->reference == Reference::SHE;
    if (sp.reservoir == Reservoir::pe && she) {
        fail(at, "pe_g (H+ + e- at U vs RHE) needs reference = \"RHE\"; on SHE write H_g + ele_g");
    }
    if (sp.reservoir != Reservoir::pe && !she) {
        fail(at, sp.name + " needs reference = \"SHE\" (on RHE the proton-electron pair is pe_g)");
    }
}

void set_electrochemical_step(const Mechanism& m, Step& step, const StepRatesInput& r,
                              const std::string& prefix) {
    for (const StoichTerm& t : step.initial) {
        const Species& sp = m.species[static_cast<std::size_t>(t.species)];
        if (carries_electron(sp.reservoir)) {
            step.electrochemical = true;
            step.electrons += t.coefficient;
        }
    }
    for (const StoichTerm& t : step.final) {
        const Species& sp = m.species[static_cast<std::size_t>(t.species)];
        if (carries_electron(sp.reservoir)) {
            step.electrochemical = true;
            step.electrons -= t.coefficient;
        }
    }
    const std::string why_chemical =
        "is for electrochemical steps only (pe_g or ele_g in the initial or final state)";
    if (r.beta) {
        if (!step.electrochemical) fail(r.beta->at, "beta " + why_chemical);
        const double b = finite(*r.beta);
        if (b < 0.0 || b > 1.0) fail(r.beta->at, "a symmetry factor must be in [0, 1]");
        step.beta = b;
    }
    if (step.electrochemical && r.bep) {
        fail(*r.bep, "bep is not for an electrochemical step (its initial and final energies move "
                     "with U): give Ga_echem_eV, or a transition state whose G_TS(U) = G_TS - "
                     "(1 - beta)*U");
    }
    if (r.Ga_echem_eV) {
        if (!step.electrochemical) fail(r.Ga_echem_eV->at, "Ga_echem_eV " + why_chemical);
        if (step.transition_state >= 0) {
            fail(r.Ga_echem_eV->at, "Ga_echem_eV gives this step's transition state: write the "
                                    "step as IS -> FS, or give the named transition state an energy "
                                    "instead");
        }
        if (r.bep) fail(r.Ga_echem_eV->at, "give Ga_echem_eV or bep, not both");
        step.Ga_echem_eV = finite(*r.Ga_echem_eV);
        // As Ga_eV: a barrier below the end states is not one (the max rule would hide it).
        if (*step.Ga_echem_eV < 0.0) fail(r.Ga_echem_eV->at, "must be >= 0");
    }
    if (step.electrochemical) {
        // Explicit constants and step energies would ignore the potential.
        for (const auto* k : {&r.kf, &r.kr, &r.Ga_eV, &r.dG_eV, &r.site_area_m2, &r.sticking}) {
            if (*k) {
                fail((*k)->at, "an electrochemical step takes its rate constants from species "
                               "energies (with Ga_echem_eV or a named transition state): kf/kr and "
                               "Ga_eV/dG_eV would not follow the potential");
            }
        }
    }
    if (r.prefactor_per_s) {
        if (r.kf || r.kr) fail(r.prefactor_per_s->at, "prefactor_per_s is for energy-based steps, not with kf/kr");
        if (r.site_area_m2) fail(r.prefactor_per_s->at, "prefactor_per_s replaces kB*T/h: not with collision theory (site_area_m2)");
        const double a = finite(*r.prefactor_per_s);
        if (!(a > 0.0)) fail(r.prefactor_per_s->at, "must be > 0");
        step.prefactor_per_s = a;
    }
    (void)prefix;
}

void check_reservoir_pressure(const Species& sp, const Origin& at) {
    if (sp.reservoir == Reservoir::none) return;
    fail(at, sp.name + " is a reserved reservoir (activity 1 in the rate law): it has no pressure");
}

void check_reservoir_entry(const Species& sp, const SpeciesInput& in, const Origin& at) {
    if (sp.reservoir == Reservoir::none) return;
    if (sp.reservoir != Reservoir::pe) {
        fail(at, sp.name + " is a reserved reservoir whose free energy follows from U and pH "
                           "(DESIGN §12): it takes no [species] entry");
    }
    const Origin* other = in.E_eV                    ? &in.E_eV->at
                          : in.frequencies_cm        ? &in.frequencies_cm->at
                          : in.rotational_constants_cm ? &in.rotational_constants_cm->at
                          : in.symmetry              ? &in.symmetry->at
                          : in.spin_multiplicity     ? &in.spin_multiplicity->at
                          : in.mass_amu              ? &in.mass_amu->at
                                                     : nullptr;
    if (other != nullptr) fail(*other, "pe_g has no thermochemistry: give G_eV only (G = G_eV - U)");
}

void end_electrochemistry(const Mechanism& m) {
    for (const Species& sp : m.species) {
        if (sp.reservoir != Reservoir::H && sp.reservoir != Reservoir::OH) continue;
        const std::vector<const char*> needs =
            sp.reservoir == Reservoir::H ? std::vector<const char*>{"H2_g"} : std::vector<const char*>{"H2_g", "H2O_g"};
        for (const char* needed : needs) {
            const int s = m.find_species(needed);
            if (s < 0 || !has_energy(m.species[static_cast<std::size_t>(s)])) {
                throw InputError(sp.where, sp.name,
                                 std::string(sp.reservoir == Reservoir::H
                                                 ? "G(H_g) = 1/2 G(H2_g) - pH_slope*pH needs "
                                                 : "G(OH_g) = G(H2O_g) - G(H_g) needs ") +
                                     needed + (s < 0 ? " as a species of a step" : " to have an energy in [species] or [scaling]"));
            }
        }
    }
}

}  // namespace detail
}  // namespace kinmap
