// The lanes (ode::LaneTransient) against the scalar rodas4 Transient, point by point, on every
// shipped model whose kinetics has a lane form: a lane's trajectory must be the scalar one bit
// for bit (the same state, time, next step size and step counts at the end of the first
// stretch), whichever lane the point runs in and whichever points run beside it; and the
// Transient that takes a lane over must continue exactly as the scalar one does.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kinmap/kinetics/kinetics.hpp"
#include "kinmap/kinetics/rate_constants.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/ode/lane_transient.hpp"
#include "kinmap/ode/transient.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"

using namespace kinmap;

namespace {

// Where one stretch ended.
struct End {
    ode::Outcome outcome = ode::Outcome::reached;
    std::vector<double> x;
    double t = 0.0, dt = 0.0;
    long accepted = 0, rejected = 0;
    // After a second stretch to 1e3·t_end from there.
    std::vector<double> x2;
    double t2 = 0.0;
    long accepted2 = 0;
};

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void require_same(const End& a, const End& b) {
    REQUIRE(a.outcome == b.outcome);
    REQUIRE(a.accepted == b.accepted);
    REQUIRE(a.rejected == b.rejected);
    REQUIRE(same_bits(a.t, b.t));
    REQUIRE(same_bits(a.dt, b.dt));
    for (std::size_t i = 0; i < a.x.size(); ++i) {
        INFO("state " << i << ": " << a.x[i] << " vs " << b.x[i]);
        REQUIRE(same_bits(a.x[i], b.x[i]));
    }
    REQUIRE(a.accepted2 == b.accepted2);
    REQUIRE(same_bits(a.t2, b.t2));
    for (std::size_t i = 0; i < a.x2.size(); ++i) REQUIRE(same_bits(a.x2[i], b.x2[i]));
}

// The stretch that ended with `outcome` at the transient's state, then the second stretch.
End ended(ode::Outcome outcome, ode::Transient& transient, const SolverSettings& s, int n) {
    End end;
    end.outcome = outcome;
    end.x.assign(transient.state(), transient.state() + n);
    end.t = transient.time();
    end.dt = transient.step_size();
    end.accepted = transient.accepted();
    end.rejected = transient.rejected();
    transient.advance_to(1e3 * s.t_end_s, s.max_ode_steps, Deadline());
    end.x2.assign(transient.state(), transient.state() + n);
    end.t2 = transient.time();
    end.accepted2 = transient.accepted();
    return end;
}

struct Case {
    ModelFile model;
    std::vector<Conditions> points;
    std::vector<double> clean;
};

Case load(const std::string& path, int count) {
    Case c{read_model_file(path), {}, {}};
    const Grid grid = make_grid(c.model);
    const GridConditions conditions(c.model, grid);
    const std::int64_t n = grid.size();
    for (int q = 0; q < count && q < n; ++q) c.points.push_back(conditions.at(q * n / std::min<std::int64_t>(count, n)));
    const Mechanism& m = c.model.mechanism;
    c.clean.assign(m.surface.size(), 0.0);
    for (const SiteType& site : m.sites) c.clean[static_cast<std::size_t>(m.surface_position(site.free_species))] = site.total;
    return c;
}

std::unique_ptr<Kinetics> kinetics_at(const Mechanism& m, const Conditions& c) {
    auto k = make_kinetics(m);
    k->set_conditions(c, rate_constants(m, c));
    return k;
}

End scalar(const Case& c, const Conditions& point) {
    const SolverSettings& s = c.model.solver;
    const auto k = kinetics_at(c.model.mechanism, point);
    ode::Transient transient(*k, ode::StepperKind::rodas4);
    transient.start(c.clean.data(), s.ode_rtol, s.ode_atol);
    const ode::Outcome outcome = transient.advance_to(s.t_end_s, s.max_ode_steps, Deadline());
    return ended(outcome, transient, s, k->n_state());
}

// The points in `order` through the lanes: each free lane takes the next point, starting at
// lane `first_lane`; at most `width` lanes are used at once.
std::vector<End> lanes(const Case& c, const std::vector<std::size_t>& order, int first_lane, int width) {
    const SolverSettings& s = c.model.solver;
    const Mechanism& m = c.model.mechanism;
    const auto prototype = make_kinetics(m);
    ode::LaneTransient lane(*prototype);
    std::vector<std::unique_ptr<Kinetics>> kinetics(static_cast<std::size_t>(kLanes));
    std::vector<std::size_t> point_of(static_cast<std::size_t>(kLanes), 0);
    std::vector<End> ends(c.points.size());
    std::size_t next = 0, done = 0;
    while (done < order.size()) {
        for (int u = 0; u < width && next < order.size(); ++u) {
            const int w = (first_lane + u) % kLanes;
            if (lane.busy(w)) continue;
            const std::size_t p = order[next++];
            kinetics[static_cast<std::size_t>(w)] = kinetics_at(m, c.points[p]);
            point_of[static_cast<std::size_t>(w)] = p;
            lane.start(w, *kinetics[static_cast<std::size_t>(w)], c.clean.data(), s.ode_rtol, s.ode_atol,
                       s.t_end_s, s.max_ode_steps, Deadline());
        }
        const unsigned finished = lane.run();
        REQUIRE(finished != 0u);
        for (int w = 0; w < kLanes; ++w) {
            if ((finished & (1u << w)) == 0) continue;
            const std::size_t p = point_of[static_cast<std::size_t>(w)];
            const Kinetics& k = *kinetics[static_cast<std::size_t>(w)];
            ode::Transient transient(k, ode::StepperKind::rodas4);
            const ode::Outcome outcome = lane.outcome(w);
            lane.hand_over(w, transient);
            REQUIRE_FALSE(lane.busy(w));
            ends[p] = ended(outcome, transient, s, k.n_state());
            ++done;
        }
    }
    return ends;
}

}  // namespace

TEST_CASE("A lane integrates each point bit for bit as the scalar stepper, in any lane, beside any points",
          "[ode][lanes]") {
    int models_in_lanes = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(KINMAP_DATA_DIR) + "/models")) {
        const std::string path = entry.path().string();
        const Case c = load(path, 40);
        const auto prototype = make_kinetics(c.model.mechanism);
        if (!ode::LaneTransient::supports(*prototype)) {
            // Only coverage-dependent interactions have no lane form (their constants depend
            // on θ); those run one point at a time.
            CHECK(c.model.mechanism.interactions.has_value());
            continue;
        }
        ++models_in_lanes;
        INFO(path);
        std::vector<End> reference;
        for (const Conditions& point : c.points) reference.push_back(scalar(c, point));
        std::vector<std::size_t> forward(c.points.size()), backward(c.points.size()), shuffled(c.points.size());
        for (std::size_t p = 0; p < c.points.size(); ++p) {
            forward[p] = p;
            backward[p] = c.points.size() - 1 - p;
            shuffled[p] = (p * 17 + 5) % c.points.size();  // 17 is prime to 40
        }
        std::sort(shuffled.begin(), shuffled.end());
        REQUIRE(std::adjacent_find(shuffled.begin(), shuffled.end()) == shuffled.end());
        for (std::size_t p = 0; p < c.points.size(); ++p) shuffled[p] = (p * 17 + 5) % c.points.size();
        // All lanes busy, in order and reversed (other lanes, other companions); 3 lanes from
        // lane 5 (wrapping); one point at a time in the last lane (no companions at all).
        const std::vector<std::vector<End>> runs = {lanes(c, forward, 0, kLanes), lanes(c, backward, 0, kLanes),
                                                    lanes(c, shuffled, 5, 3), lanes(c, forward, kLanes - 1, 1)};
        for (std::size_t r = 0; r < runs.size(); ++r) {
            for (std::size_t p = 0; p < c.points.size(); ++p) {
                INFO("arrangement " << r << ", point " << p);
                require_same(runs[r][p], reference[p]);
            }
        }
    }
    // data/models holds 9 models, 2 with interactions.
    CHECK(models_in_lanes >= 7);
}

TEST_CASE("Kinetics without a lane form are refused by LaneTransient", "[ode][lanes]") {
    const ModelFile model = read_model_file(std::string(KINMAP_DATA_DIR) + "/models/co_oxidation_pt111_interactions.toml");
    const auto k = make_kinetics(model.mechanism);
    CHECK_FALSE(ode::LaneTransient::supports(*k));
    CHECK_THROWS_AS(ode::LaneTransient(*k), std::logic_error);
}
