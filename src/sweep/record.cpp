#include "kinmap/sweep/record.hpp"

#include <limits>

namespace kinmap {

RecordLayout record_layout(const Mechanism& mechanism) {
    RecordLayout layout{static_cast<int>(mechanism.surface.size()),
                        static_cast<int>(mechanism.steps.size()),
                        static_cast<int>(mechanism.gases.size()),
                        static_cast<int>(mechanism.descriptors.size()), FeatureSet{}};
    if (!mechanism.descriptors.empty()) layout.features.add(Feature::descriptors);
    if (mechanism.interactions) layout.features.add(Feature::interactions);
    if (mechanism.electrochemistry) layout.features.add(Feature::electrochemistry);
    return layout;
}

RecordLayout record_layout(const Mechanism& mechanism, const SolverSettings& settings) {
    RecordLayout layout = record_layout(mechanism);
    if (settings.all_states) {
        layout.features.add(Feature::all_states);
        layout.n_states = settings.max_states;
    }
    return layout;
}

void pack_record(const RecordLayout& layout, std::int64_t index, int rank, const PointResult& r,
                 double* out) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    out[RecordLayout::kIndex] = static_cast<double>(index);
    // A point that is not OK has no steady state: its coverages, rates and rate control are
    // NaN (DESIGN §6), not the last unconverged iterate, which a heatmap would draw as data.
    const bool ok = r.status == Status::ok;
    int slot = RecordLayout::kHeader;  // layout.offset(f) of the next non-point field
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        const Field& field = kFields[f];
        const int n = layout.count(field.extent);
        const bool point = field.extent == Extent::point;
        double* to = out + (point ? detail::kPointSlots[f] : slot);
        if (!point) slot += n;
        int have = 0;
        if (ok || field.if_not_ok == IfNotOk::keep) have = field.get(r, rank, to, n);
        const double rest = !ok && field.if_not_ok == IfNotOk::zero ? 0.0 : kNaN;
        for (int i = have; i < n; ++i) to[i] = rest;
    }
}

PointResult unpack_record(const RecordLayout& layout, const double* in) {
    PointResult r;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        const Field& field = kFields[f];
        if (field.put != nullptr) field.put(r, in + layout.offset(f), layout.count(field.extent));
    }
    return r;
}

}  // namespace kinmap
