#pragma once
//! \file
//! One point as users see it: the conditions `--set` names (or Python keywords) give, and the
//! `point --json` object of DESIGN §2. `kinmap point` and the Python module (DESIGN §9) both
//! use these, so their answers cannot drift apart.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/mechanism.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/point_result.hpp"

namespace kinmap {

//! "p_O2_g=0.1" -> {"p_O2_g", 0.1}. Errors are located at `<command line>:1:(index + 1)`.
AxisValue parse_axis_assignment(const std::string& text, int index);

//! The conditions of one point: the model's own (temperature, [pressures], [descriptors])
//! with each assignment bound and applied in order. Assignment i is located at
//! `where_file:1:(i + 1)` with key `key_prefix + name` in every error (e.g.
//! `<command line>:1:2: --set p_N2_g: ...`).
Conditions point_conditions(const ModelFile& model, const std::vector<AxisValue>& assignments,
                            const std::string& where_file = "<command line>",
                            const std::string& key_prefix = "--set ");

//! The `point --json` object (DESIGN §2): "status" first, then every field of the field table
//! that has `in_json`, in table order, then "conditions". Per-species, per-gas and
//! per-descriptor fields are objects by name, per-step fields arrays in file order; a field
//! that `result` does not carry is null (NaN and Inf become null when dumped).
nlohmann::ordered_json point_json(const Mechanism& mechanism, const Conditions& conditions,
                                  const PointResult& result);

}  // namespace kinmap
