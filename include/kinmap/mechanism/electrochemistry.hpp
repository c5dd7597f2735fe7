#pragma once
//! \file
//! Electrochemistry with the computational hydrogen electrode (DESIGN §12): the
//! `[electrochemistry]` settings of a model and the reserved reservoir species `pe_g`
//! (H⁺ + e⁻ at U vs RHE), `ele_g` (e⁻ at U vs SHE), `H_g` (H⁺ on SHE) and `OH_g` (OH⁻ on SHE).
//! Their free energies (eV) at potential U [V on the reference scale] and pH:
//!   pe_g  G = G_eV − U          (RHE; G_eV from [species], default 0)
//!   ele_g G = −U                (SHE)
//!   H_g   G = ½·G(H2_g) − s·pH  (SHE; s = pH_slope_eV, or kB·T·ln 10 for "kT")
//!   OH_g  G = G(H2O_g) − G(H_g) (SHE)
//! Reservoirs have activity 1 in the rate law and are never in `[pressures]`.

#include <optional>
#include <string_view>

#include "kinmap/core/error.hpp"

namespace kinmap {

//! The potential scale of `[electrochemistry] reference`.
enum class Reference {
    RHE,  //!< reversible hydrogen electrode: `pe_g`, pH-independent
    SHE,  //!< standard hydrogen electrode: `ele_g`, `H_g`, `OH_g`, with pH
};

//! Which reserved reservoir a species is (DESIGN §12), or none.
enum class Reservoir { none, pe, ele, H, OH };

//! The reservoir named `species_name` ("pe_g", "ele_g", "H_g", "OH_g"), or Reservoir::none.
Reservoir reservoir_of(std::string_view species_name);

//! Whether `reservoir` carries electrons (pe_g, ele_g): a step with one is electrochemical.
constexpr bool carries_electron(Reservoir reservoir) {
    return reservoir == Reservoir::pe || reservoir == Reservoir::ele;
}

//! The `[electrochemistry]` table of a model (its presence turns the terms on).
struct Electrochemistry {
    Reference reference = Reference::RHE;
    double potential_V = 0.0;  //!< default U [V vs the reference]; axes and --set U_V override
    double beta = 0.5;         //!< default symmetry factor of electrochemical steps, in [0, 1]
    double pH = 0.0;           //!< default pH (SHE only); axes and --set pH override
    //! Free-energy shift of H⁺ per pH unit [eV]; with `pH_slope_kT` it is kB·T·ln 10 instead.
    double pH_slope_eV = 0.0592;
    bool pH_slope_kT = false;  //!< `pH_slope_eV = "kT"`
    //! Active sites per cm² of electrode (optional): the current density
    //! j = e·Γ·electron_rate is reported only with it.
    std::optional<double> site_density_per_cm2;
    SourceLocation where;      //!< the table
};

}  // namespace kinmap
