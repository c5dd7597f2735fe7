// Steady states with coverage-dependent interactions (DESIGN §11): an independent closed form
// over a map (one adsorbate, solved here in one variable), rate control against central
// differences of the solver's own TOF with interactions on, continuation in the interaction
// strength, and hard maps (low temperature, strong repulsion) that must converge everywhere.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../../support/interaction_models.hpp"
#include "../../support/sweep_sink.hpp"
#include "kinmap/core/constants.hpp"
#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/fields.hpp"
#include "kinmap/sweep/grid.hpp"
#include "kinmap/sweep/grid_conditions.hpp"
#include "kinmap/sweep/record.hpp"
#include "kinmap/sweep/serial_sweep.hpp"

using namespace kinmap;
using namespace kinmap::test;

namespace {

// θ of A_g + *_s <-> A_s with G_A = G0 + ε·θ: the root of
// g(u) = u − ln(1 − e^u) + ε·e^u/kB·T − ln(K·p), u = ln θ, K = exp(−G0/kB·T), increasing in u
// for ε ≥ 0; bisection on u in [−200, 0) to the last bit.
double closed_form_theta(double g0, double eps, double T, double p) {
    const double kT = constants::kB_eV_per_K * T;
    const double target = -g0 / kT + std::log(p);
    auto g = [&](double u) { return u - std::log1p(-std::exp(u)) + eps * std::exp(u) / kT - target; };
    double lo = -200.0, hi = -1e-300;
    REQUIRE(g(lo) < 0.0);
    REQUIRE(g(hi) > 0.0);
    for (int it = 0; it < 400; ++it) {
        const double mid = 0.5 * (lo + hi);
        if (mid == lo || mid == hi) break;
        (g(mid) < 0.0 ? lo : hi) = mid;
    }
    return std::exp(0.5 * (lo + hi));
}

double solve_tof(const ModelFile& model, const Conditions& c) {
    SteadySolver solver(model.mechanism, model.solver);
    const PointResult r = solver.solve(c);
    REQUIRE(r.status == Status::ok);
    return r.tof;
}

// Central difference of ln |TOF| in `h` of a change `change(model, conditions, ±h)`.
template <class Change>
double dlntof(const ModelFile& base, const Conditions& c, double h, Change change) {
    ModelFile up = base, down = base;
    Conditions cu = c, cd = c;
    change(up, cu, h);
    change(down, cd, -h);
    return (std::log(std::abs(solve_tof(up, cu))) - std::log(std::abs(solve_tof(down, cd)))) / (2.0 * h);
}

void shift_g(ModelFile& model, const std::string& species, double delta_eV) {
    Species& sp = model.mechanism.species[static_cast<std::size_t>(model.mechanism.find_species(species))];
    sp.G_eV = *sp.G_eV + delta_eV;
}

}  // namespace

TEST_CASE("One adsorbate with linear repulsion: the map equals the closed form to 1e-10, down to "
          "coverages of 1e-24", "[steady][interactions]") {
    const double g0 = -0.5, eps = 0.8;
    const ModelFile model = parse_model(one_adsorbate(g0, eps), "one.toml");
    const Grid grid = make_grid(model);
    const GridConditions conditions(model, grid);
    testing::CollectingSink sink;
    run_sweep_serial(model, grid, PointList::all(grid.size()), sink, SweepOptions());
    REQUIRE(static_cast<std::int64_t>(sink.values.size()) == grid.size());
    const RecordLayout layout = record_layout(model.mechanism);
    CHECK(layout.features.has(Feature::interactions));
    const Mechanism& m = model.mechanism;
    const int a = m.surface_position(m.find_species("A_s"));
    const int free_site = m.surface_position(m.find_species("*_s"));
    const auto coverage = static_cast<std::size_t>(layout.offset("coverage"));
    const auto energy = static_cast<std::size_t>(layout.offset("interaction_energy_eV"));
    const auto status = static_cast<std::size_t>(layout.offset("status"));
    double smallest = 1.0;
    for (std::int64_t k = 0; k < grid.size(); ++k) {
        const Conditions c = conditions.at(k);
        const std::vector<double>& rec = sink.values.at(k);
        INFO("T " << c.temperature_K << " K, p " << c.pressure_bar[0] << " bar");
        REQUIRE(rec[status] == static_cast<double>(Status::ok));
        const double theta = closed_form_theta(g0, eps, c.temperature_K, c.pressure_bar[0]);
        const double got = rec[coverage + static_cast<std::size_t>(a)];
        const double got_free = rec[coverage + static_cast<std::size_t>(free_site)];
        CHECK(std::abs(got - theta) <= 1e-10 * theta);
        CHECK(std::abs(got_free - (1.0 - theta)) <= 1e-10 * (1.0 - theta));
        CHECK(std::abs(rec[energy + static_cast<std::size_t>(a)] - eps * got) <= 1e-12);
        CHECK(rec[energy + static_cast<std::size_t>(free_site)] == 0.0);
        smallest = std::min(smallest, theta);
    }
    CHECK(smallest < 1e-24);
}

TEST_CASE("Rate control with interactions equals central differences of the solver's own TOF",
          "[steady][interactions][rate-control]") {
    struct Sample {
        std::string order, response;
        double p_o2, p_co;
    };
    const std::vector<Sample> samples = {{"first_order", "smooth_piecewise_linear", 0.5, 0.02},
                                         {"first_order", "linear", 1.0, 0.1},
                                         {"second_order", "smooth_piecewise_linear", 0.5, 0.05},
                                         {"second_order", "piecewise_linear", 2.0, 0.01}};
    const double h = 1e-4;  // eV (and ln p, K/100): truncation ~h², rounding ~1e-14/h
    for (const Sample& s : samples) {
        const std::string extra = s.response == "linear" ? "" : "cutoff = 0.2\nsmoothing = 0.05\n";
        const ModelFile model = parse_model(co_oxidation_interacting(co_interactions(s.order, s.response, extra)), "m.toml");
        const Mechanism& m = model.mechanism;
        const Conditions c = make_conditions(model, {{"p_O2_g", s.p_o2}, {"p_CO_g", s.p_co}});
        SteadySolver solver(m, model.solver);
        const PointResult r = solver.solve(c);
        INFO(s.order << " " << s.response << " TOF " << r.tof);
        REQUIRE(r.status == Status::ok);
        REQUIRE(r.tof > 0.0);
        const double kT = constants::kB_eV_per_K * c.temperature_K;
        // The interactions are on: G − G0 of CO and O is far from 0 at this state.
        const int co = m.surface_position(m.find_species("CO_s"));
        const int o = m.surface_position(m.find_species("O_s"));
        CHECK(std::abs(r.interaction_energy_eV[static_cast<std::size_t>(co)]) +
                  std::abs(r.interaction_energy_eV[static_cast<std::size_t>(o)]) > 0.01);
        // trc: G0 of the adsorbate up by δ, transition states fixed.
        for (const char* species : {"CO_s", "O_s"}) {
            const double fd = -kT * dlntof(model, c, h, [&](ModelFile& mm, Conditions&, double d) { shift_g(mm, species, d); });
            const int i = m.surface_position(m.find_species(species));
            CHECK(r.trc[static_cast<std::size_t>(i)] == Approx(fd).margin(2e-6));
        }
        // drc of the steps whose transition state is the top: G0_TS down by kB·T·δ scales kf
        // and kr by e^δ at every state (both steps here, whose TS lies above IS and FS).
        const char* ts_of[3] = {nullptr, "O-O_2s", "CO-O_2s"};
        double sum = 0.0;
        for (int j = 0; j < 3; ++j) {
            sum += r.drc[static_cast<std::size_t>(j)];
            if (ts_of[j] == nullptr) continue;
            const double fd = dlntof(model, c, h, [&](ModelFile& mm, Conditions&, double d) { shift_g(mm, ts_of[j], -kT * d); });
            CHECK(r.drc[static_cast<std::size_t>(j)] == Approx(fd).margin(2e-6));
        }
        CHECK(sum == Approx(1.0).margin(1e-9));
        // Orders in ln p and Ea_app = kB·T²·∂ln TOF/∂T.
        for (std::size_t q = 0; q < m.gases.size(); ++q) {
            const double fd = dlntof(model, c, h, [&](ModelFile&, Conditions& cc, double d) { cc.pressure_bar[q] *= std::exp(d); });
            CHECK(r.orders[q] == Approx(fd).margin(2e-6));
        }
        const double dT = 1e-2;
        const double fd_T = dlntof(model, c, dT, [&](ModelFile&, Conditions& cc, double d) { cc.temperature_K += d; });
        CHECK(r.ea_app_eV == Approx(kT * c.temperature_K * fd_T).margin(1e-5));
    }
}

TEST_CASE("Continuation in the interaction strength reaches the same steady state", "[steady][interactions]") {
    for (const char* order : {"first_order", "second_order"}) {
        const ModelFile model = parse_model(
            co_oxidation_interacting(co_interactions(order, "smooth_piecewise_linear", "cutoff = 0.25\nsmoothing = 0.05\n")),
            "m.toml");
        SteadySolver solver(model.mechanism, model.solver);
        for (const auto& [p_o2, p_co] : std::vector<std::pair<double, double>>{{0.5, 0.02}, {1e-3, 1.0}, {5.0, 0.5}}) {
            INFO(order << " p_O2 " << p_o2 << " p_CO " << p_co);
            const Conditions c = make_conditions(model, {{"p_O2_g", p_o2}, {"p_CO_g", p_co}});
            const PointResult direct = solver.solve(c);
            const PointResult cont = solver.solve_by_continuation(c);
            REQUIRE(direct.status == Status::ok);
            REQUIRE(cont.status == Status::ok);
            CHECK(direct.interaction_continuation == 0);
            CHECK(cont.interaction_continuation >= 4);  // 1/8, then doubling steps up to 1/2
            CHECK(cont.stable);
            for (std::size_t i = 0; i < direct.coverage.size(); ++i) {
                CHECK(std::abs(cont.coverage[i] - direct.coverage[i]) <= 1e-9 * direct.coverage[i] + 1e-300);
            }
            CHECK(cont.tof == Approx(direct.tof).epsilon(1e-8));
            // The strength is 1 again after continuation: solve() gives the same bits.
            const PointResult again = solver.solve(c);
            CHECK(again.coverage == direct.coverage);
        }
    }
}

TEST_CASE("Strongly repulsive maps at low temperature converge at every point, minority coverages "
          "included", "[steady][interactions]") {
    for (const char* order : {"first_order", "second_order"}) {
        for (double T : {300.0, 400.0}) {
            ModelFile model = parse_model(
                co_oxidation_interacting("[interactions]\nmodel = \"" + std::string(order) +
                                             "\"\nresponse = \"smooth_piecewise_linear\"\n"
                                             "cutoff = 0.25\nsmoothing = 0.01\n[interactions.eps]\n"
                                             "\"CO_s|CO_s\" = 3.248\n\"O_s|O_s\" = 3.405\n",
                                         T),
                "hard.toml");
            model.sweep->x.from = 1e-6;
            model.sweep->x.points = 7;
            model.sweep->y.from = 1e-6;
            model.sweep->y.points = 7;
            const Grid grid = make_grid(model);
            testing::CollectingSink sink;
            run_sweep_serial(model, grid, PointList::all(grid.size()), sink, SweepOptions());
            const RecordLayout layout = record_layout(model.mechanism);
            const auto status = static_cast<std::size_t>(layout.offset("status"));
            const auto coverage = static_cast<std::size_t>(layout.offset("coverage"));
            int ok = 0;
            double smallest = 1.0;
            for (const auto& [k, rec] : sink.values) {
                ok += rec[status] == static_cast<double>(Status::ok);
                for (int i = 0; i < layout.n_species; ++i) smallest = std::min(smallest, rec[coverage + static_cast<std::size_t>(i)]);
            }
            INFO(order << " at " << T << " K: smallest coverage " << smallest);
            CHECK(ok == grid.size());
        }
    }
}
