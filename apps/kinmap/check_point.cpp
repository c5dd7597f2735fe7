// `kinmap check` and `kinmap point`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "kinmap/driver/point_report.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/electrochemistry.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/steady/all_states.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/record.hpp"

namespace kinmap::app {
namespace {

const char* kind_name(SpeciesKind kind) {
    switch (kind) {
        case SpeciesKind::gas: return "gas";
        case SpeciesKind::adsorbate: return "adsorbate";
        case SpeciesKind::free_site: return "free site";
        case SpeciesKind::transition_state: return "transition state";
    }
    return "?";
}

// "  -0.1234" or "       -" for a value the step does not define.
std::string energy(double value) {
    char text[32];
    if (std::isnan(value)) std::snprintf(text, sizeof text, "%9s", "-");
    else std::snprintf(text, sizeof text, "%9.4f", value);
    return text;
}

// DESIGN §12: where each electrochemical step's ΔG(U) crosses zero, and the range of U in
// which every one of them runs downhill as written (the thermodynamic limiting potential).
void print_limiting_potentials(const Mechanism& m) {
    if (!m.electrochemistry) return;
    const Electrochemistry& ec = *m.electrochemistry;
    const char* scale = ec.reference == Reference::RHE ? "RHE" : "SHE";
    std::printf("\nelectrochemistry: U = %g V vs %s, beta = %g", ec.potential_V, scale, ec.beta);
    if (ec.reference == Reference::SHE) std::printf(", pH = %g", ec.pH);
    std::printf("\nlimiting potentials (V vs %s; dG(U) = dG(0) + slope*U at %g K):\n", scale, m.temperature_K);
    const std::vector<LimitingPotential> steps = limiting_potentials(m);
    for (const LimitingPotential& l : steps) {
        std::printf("  %2d  %-44s dG(0) %9.4f eV  slope %+g eV/V  U_L = %.4f V  (%s)\n", l.step + 1,
                    m.steps[static_cast<std::size_t>(l.step)].equation.c_str(), l.dG0_eV,
                    l.slope_eV_per_V, l.U_L_V,
                    l.slope_eV_per_V > 0 ? "a reduction: downhill below U_L" : "an oxidation: downhill above U_L");
    }
    const PathLimitingPotential path = path_limiting_potential(steps);
    if (path.high_V && path.low_V) {
        if (*path.low_V <= *path.high_V) {
            std::printf("  every electrochemical step downhill for %.4f V <= U <= %.4f V\n", *path.low_V, *path.high_V);
        } else {
            std::printf("  no potential makes every electrochemical step downhill (reductions need U <= %.4f V, "
                        "oxidations U >= %.4f V)\n", *path.high_V, *path.low_V);
        }
    } else if (path.high_V) {
        std::printf("  thermodynamic limiting potential of the path: U_L = %.4f V (every reduction downhill "
                    "below it)\n", *path.high_V);
    } else if (path.low_V) {
        std::printf("  thermodynamic limiting potential of the path: U_L = %.4f V (every oxidation downhill "
                    "above it)\n", *path.low_V);
    }
}

}  // namespace

void print_warnings(const ModelFile& model) {
    if (process_rank() != 0) return;
    for (const Warning& w : model_warnings(model)) {
        std::fprintf(stderr, "[rank 0] warning: %s\n", w.text().c_str());
    }
}

void print_error(int rank, const std::string& message) {
    const std::string line = "[rank " + std::to_string(rank) + "] error: " + message + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

int process_rank() {
    for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK", "SLURM_PROCID"}) {
        if (const char* value = std::getenv(name)) return std::atoi(value);
    }
    return 0;
}

int run_check(const CheckOptions& options) {
    const ModelFile model = read_model_file(options.model);
    const Mechanism& m = model.mechanism;
    std::printf("model %s: %s, T = %g K, TOF of %s\n", options.model.c_str(), m.name.c_str(),
                m.temperature_K, m.species[static_cast<std::size_t>(m.tof_of)].name.c_str());
    std::printf("\nsite types:\n");
    for (const SiteType& s : m.sites) {
        std::printf("  %-6s total %g, free site %s\n", s.name.c_str(), s.total,
                    m.species[static_cast<std::size_t>(s.free_species)].name.c_str());
    }
    std::printf("\nspecies:\n");
    for (const Species& s : m.species) {
        std::printf("  %-16s %-16s", s.name.c_str(), kind_name(s.kind));
        if (s.reservoir != Reservoir::none) {
            std::printf(" reservoir, activity 1 (DESIGN §12: no pressure)");
        } else if (s.kind == SpeciesKind::gas) {
            const auto& p = model.base.pressure_bar[static_cast<std::size_t>(m.find_gas(s.name))];
            if (p) std::printf(" p = %g bar", *p);
            else std::printf(" p = (swept or --set)");
        }
        std::printf("\n");
    }
    print_warnings(model);
    if (!m.descriptors.empty()) {
        std::printf("\ndescriptors (eV; the defaults of point and check):\n");
        for (const Descriptor& d : m.descriptors) std::printf("  %-16s %.4f\n", d.name.c_str(), d.value);
        for (const Surface& surface : model.surfaces) {
            std::printf("  surface %-8s", surface.name.c_str());
            for (std::size_t d = 0; d < m.descriptors.size(); ++d) {
                std::printf(" %s = %.4f", m.descriptors[d].name.c_str(), surface.values[d]);
            }
            std::printf("\n");
        }
    }
    std::printf("%s", describe_interactions(m).c_str());
    const std::vector<SpeciesEnergy> g =
        species_energies(m, m.temperature_K, m.descriptor_defaults());
    std::printf("\nfree energies at %g K (eV; gases at 1 bar, free sites 0)%s:\n", m.temperature_K,
                m.descriptors.empty() ? "" : " at the default descriptor values");
    for (std::size_t i = 0; i < m.species.size(); ++i) {
        const Species& sp = m.species[i];
        if (std::isnan(g[i].G)) {
            std::printf("  G(%s) = - (no energy)\n", sp.name.c_str());
            continue;
        }
        std::string from;
        switch (g[i].source) {
            case EnergySource::none: break;
            case EnergySource::free_site: from = "free site"; break;
            case EnergySource::species: from = sp.G_eV ? "[species] G_eV" : "[species] E_eV"; break;
            case EnergySource::scaling: from = "[scaling]"; break;
            case EnergySource::descriptor:
                from = "descriptor " + m.descriptors[static_cast<std::size_t>(sp.scaling->terms[0].first)].name;
                break;
            case EnergySource::bep: from = "bep of step " + std::to_string(sp.bep_step + 1); break;
            case EnergySource::reservoir: from = "reservoir (DESIGN 12) at the default U and pH"; break;
        }
        if ((g[i].source == EnergySource::scaling || g[i].source == EnergySource::descriptor ||
             g[i].source == EnergySource::bep) && sp.thermochemistry) {
            from += " + [species] thermochemistry";
        }
        std::printf("  G(%s) = %.4f  E = %.4f  from %s\n", sp.name.c_str(), g[i].G, g[i].E, from.c_str());
    }
    const std::vector<StepEnergies> e = step_energies(m, m.temperature_K);
    std::printf("\nstep energies at %g K (eV): G(IS) G(TS) G(FS), dG, forward and reverse barrier "
                "(to the highest of the three)\n",
                m.temperature_K);
    for (std::size_t s = 0; s < m.steps.size(); ++s) {
        const Step& step = m.steps[s];
        if (step.source == Step::Source::explicit_constants) {
            std::printf("  %2zu  %-44s explicit kf/kr\n", s + 1, step.equation.c_str());
            continue;
        }
        const bool tst = step.source == Step::Source::species_energies || step.Ga_eV;
        std::printf("  %2zu  %-44s IS %s TS %s FS %s  dG %s  Ga %s  Ga_rev %s%s%s\n", s + 1,
                    step.equation.c_str(), energy(e[s].G_is).c_str(), energy(e[s].G_ts).c_str(),
                    energy(e[s].G_fs).c_str(), energy(e[s].dG).c_str(),
                    energy(e[s].Ga_forward).c_str(), energy(e[s].Ga_reverse).c_str(),
                    tst ? "" : "  (collision theory)",
                    e[s].ts_below ? "  (TS below IS/FS: barrierless, see warning)" : "");
    }
    Conditions c;
    c.temperature_K = m.temperature_K;
    c.pressure_bar.assign(m.gases.size(), 1.0);
    const RateConstants k = rate_constants(m, c);
    std::printf("\nsteps (rate constants at %g K, 1/s, pressures in bar):\n", m.temperature_K);
    for (std::size_t s = 0; s < m.steps.size(); ++s) {
        std::printf("  %2zu  %-44s kf = %-12.6g kr = %-12.6g K = %.6g\n", s + 1,
                    m.steps[s].equation.c_str(), k.kf[s], k.kr[s],
                    k.kr[s] > 0 ? k.kf[s] / k.kr[s] : INFINITY);
    }
    print_limiting_potentials(m);
    if (model.sweep) {
        // The preflight of `run`: the grid and every point's conditions (a gas that no axis
        // sweeps needs a pressure); axis values and compatibility were checked when read.
        const Grid grid = make_grid(model);
        const GridConditions conditions(model, grid);
        const Axis& x = grid.x;
        const Axis& y = grid.y;
        if (y.kind == AxisKind::none) {
            std::printf("\nsweep (1-D): x = %s [%s] %d points from %g to %g\n", x.name().c_str(),
                        x.units().c_str(), x.points, grid.xs.front(), grid.xs.back());
        } else {
            std::printf("\nsweep: x = %s [%s] %d points, y = %s [%s] %d points (%lld points)\n",
                        x.name().c_str(), x.units().c_str(), x.points, y.name().c_str(),
                        y.units().c_str(), y.points, static_cast<long long>(x.points) * y.points);
        }
    }
    std::printf("\nOK: %zu species, %zu steps, %zu site types\n", m.species.size(),
                m.steps.size(), m.sites.size());
    return kExitOk;
}

int run_point(const PointOptions& options) {
    ModelFile model = read_model_file(options.model);
    if (options.all_states) model.solver.all_states = true;
    const Mechanism& m = model.mechanism;
    std::vector<AxisValue> assignments;
    for (std::size_t i = 0; i < options.sets.size(); ++i) {
        assignments.push_back(parse_axis_assignment(options.sets[i], static_cast<int>(i)));
    }
    print_warnings(model);
    const Conditions c = point_conditions(model, assignments);
    SteadySolver solver(m, model.solver);
    PointResult r = solver.solve(c);
    if (model.solver.all_states) AllStatesSearch(m, model.solver).find(solver, r);

    const nlohmann::ordered_json j = point_json(m, c, r);

    if (options.json) {
        // NaN and Inf are written as null (nlohmann's choice), as the contract asks.
        std::cout << j.dump() << std::endl;
    } else {
        std::printf("status     %s\n", std::string(to_string(r.status)).c_str());
        std::printf("TOF        %.10g 1/s (%s)\n", r.tof,
                    m.species[static_cast<std::size_t>(m.tof_of)].name.c_str());
        for (std::size_t i = 0; i < m.surface.size(); ++i) {
            std::printf("  theta %-12s %.10g\n",
                        m.species[static_cast<std::size_t>(m.surface[i])].name.c_str(), r.coverage[i]);
        }
        for (std::size_t s = 0; s < m.steps.size(); ++s) {
            std::printf("  rate %2zu %-40s %.10g 1/s\n", s + 1, m.steps[s].equation.c_str(), r.rates[s]);
        }
        std::printf("residual   %.3g (relative), stable %s, %ld ODE steps, %d Newton iterations, "
                    "%.3g ms\n",
                    r.residual, r.stable ? "yes" : "no", r.ode_steps, r.newton_iterations,
                    1e3 * r.wall_time_s);
        if (r.all_states) {
            std::printf("%zu steady states (stable first, by ascending TOF):\n", r.states.size());
            for (std::size_t s = 0; s < r.states.size(); ++s) {
                std::printf("  %zu  %-8s TOF %.10g 1/s%s\n", s, r.states[s].stable ? "stable" : "unstable",
                            r.states[s].tof, static_cast<int>(s) == r.clean_state ? "  (clean surface)" : "");
            }
        }
    }
    return r.status == Status::ok ? kExitOk : kExitFailure;
}

}  // namespace kinmap::app
