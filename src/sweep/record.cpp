#include "kinmap/sweep/record.hpp"

#include <limits>

namespace kinmap {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void copy_or_nan(const std::vector<double>& from, int count, double* to) {
    for (int i = 0; i < count; ++i) {
        to[i] = static_cast<std::size_t>(i) < from.size() ? from[static_cast<std::size_t>(i)] : kNaN;
    }
}

}  // namespace

void pack_record(const RecordLayout& layout, std::int64_t index, int rank, const PointResult& r,
                 double* out) {
    out[RecordLayout::kIndex] = static_cast<double>(index);
    out[RecordLayout::kStatus] = static_cast<double>(static_cast<int>(r.status));
    out[RecordLayout::kTof] = r.status == Status::ok ? r.tof : kNaN;
    out[RecordLayout::kResidual] = r.residual;
    out[RecordLayout::kWallTime] = r.wall_time_s;
    out[RecordLayout::kRank] = static_cast<double>(rank);
    out[RecordLayout::kOdeSteps] = static_cast<double>(r.ode_steps);
    out[RecordLayout::kNewtonIterations] = static_cast<double>(r.newton_iterations);
    // A point that is not OK has no steady state: its coverages, rates and rate control are
    // NaN (DESIGN §6), not the last unconverged iterate, which a heatmap would draw as data.
    const bool ok = r.status == Status::ok;
    static const std::vector<double> none;
    out[RecordLayout::kStable] = ok && r.stable ? 1.0 : 0.0;
    out[RecordLayout::kEaApp] = ok ? r.ea_app_eV : kNaN;
    copy_or_nan(ok ? r.coverage : none, layout.n_species, out + layout.coverage());
    copy_or_nan(ok ? r.rates : none, layout.n_steps, out + layout.rates());
    copy_or_nan(ok ? r.drc : none, layout.n_steps, out + layout.drc());
    copy_or_nan(ok ? r.trc : none, layout.n_species, out + layout.trc());
    copy_or_nan(ok ? r.orders : none, layout.n_gases, out + layout.orders());
}

PointResult unpack_record(const RecordLayout& layout, const double* in) {
    PointResult r;
    r.status = static_cast<Status>(static_cast<int>(in[RecordLayout::kStatus]));
    r.tof = in[RecordLayout::kTof];
    r.residual = in[RecordLayout::kResidual];
    r.wall_time_s = in[RecordLayout::kWallTime];
    r.ode_steps = static_cast<long>(in[RecordLayout::kOdeSteps]);
    r.newton_iterations = static_cast<int>(in[RecordLayout::kNewtonIterations]);
    r.stable = in[RecordLayout::kStable] != 0.0;
    r.ea_app_eV = in[RecordLayout::kEaApp];
    auto slice = [&](int offset, int count) {
        return std::vector<double>(in + offset, in + offset + count);
    };
    r.coverage = slice(layout.coverage(), layout.n_species);
    r.rates = slice(layout.rates(), layout.n_steps);
    r.drc = slice(layout.drc(), layout.n_steps);
    r.trc = slice(layout.trc(), layout.n_species);
    r.orders = slice(layout.orders(), layout.n_gases);
    return r;
}

}  // namespace kinmap
