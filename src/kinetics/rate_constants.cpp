#include "kinmap/kinetics/rate_constants.hpp"

namespace kinmap {

RateConstants rate_constants(const Mechanism& mechanism, const Conditions& /*conditions*/) {
    RateConstants k;
    k.kf.reserve(mechanism.steps.size());
    k.kr.reserve(mechanism.steps.size());
    for (const Step& step : mechanism.steps) {
        k.kf.push_back(step.kf);
        k.kr.push_back(step.kr);
    }
    return k;
}

}  // namespace kinmap
