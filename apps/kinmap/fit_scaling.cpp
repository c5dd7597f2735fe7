// `kinmap fit-scaling`: [scaling] rows by least squares from a CSV table of energies per surface.
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "kinmap/mechanism/scaling_fit.hpp"

namespace kinmap::app {

int run_fit_scaling(const FitScalingOptions& options) {
    const EnergyTable table = read_energy_table(options.table);
    const std::vector<ScalingFit> fits = fit_scaling(table, options.descriptors, options.targets);
    std::string descriptors;
    for (const auto& d : options.descriptors) descriptors += (descriptors.empty() ? "" : ", ") + d;
    std::cout << "# [scaling] rows fitted by least squares to " << options.table << " ("
              << table.surfaces.size() << " surfaces): energy = const + sum of coefficient x "
              << "descriptor [eV], descriptors " << descriptors << "\n"
              << format_scaling_rows(fits, options.descriptors);
    return kExitOk;
}

}  // namespace kinmap::app
