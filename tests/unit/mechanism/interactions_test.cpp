// [interactions] (DESIGN §11) as the reader and the builder take it: the resolved ε (explicit
// entries, mixing, transition-state rules) and every located error.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "../../support/interaction_models.hpp"
#include "kinmap/mechanism/model_file.hpp"

using namespace kinmap;
using namespace kinmap::test;

namespace {

// The CO-oxidation model with an [interactions] table written line by line; the table starts
// on line `kFirst`.
std::string with_interactions(const std::string& table) { return co_oxidation_interacting(table); }
int first_line() {
    const std::string text = co_oxidation_interacting("");
    int lines = 0;
    for (char ch : text) lines += ch == '\n';
    return lines + 1;  // the table's first line
}

void require_error(const std::string& table, int line_offset, int column, const std::string& key,
                   const std::string& fragment) {
    try {
        parse_model(with_interactions(table), "m.toml");
        FAIL("no InputError for " << table);
    } catch (const InputError& e) {
        INFO(e.what());
        CHECK(e.where().file == "m.toml");
        CHECK(e.where().line == first_line() + line_offset);
        CHECK(e.where().column == column);
        CHECK(e.key() == key);
        CHECK(std::string(e.what()).find(fragment) != std::string::npos);
    }
}

double eps(const Mechanism& m, const char* a, const char* b) {
    return m.interactions->at(m.find_species(a), m.find_species(b));
}

}  // namespace

TEST_CASE("ε is resolved from explicit entries, mixing and the transition-state rule", "[mechanism][interactions]") {
    SECTION("geometric mixing, intermediate_state w = 0.3, an explicit TS entry wins") {
        const ModelFile model = parse_model(with_interactions("[interactions]\n"
                                                              "model = \"first_order\"\n"
                                                              "response = \"linear\"\n"
                                                              "ts_weight = 0.3\n"
                                                              "[interactions.eps]\n"
                                                              "\"CO_s|CO_s\" = 2.0\n"
                                                              "\"O_s|O_s\" = -2.5\n"
                                                              "\"CO_s|CO-O_2s\" = 0.7\n"),
                                            "m.toml");
        const Mechanism& m = model.mechanism;
        REQUIRE(m.interactions);
        CHECK(m.interactions->model == InteractionModel::first_order);
        CHECK(m.interactions->response.kind == InteractionResponse::linear);
        const double cross = std::sqrt(2.0 * 2.5);  // sqrt(|ε_ii·ε_jj|)
        CHECK(eps(m, "CO_s", "CO_s") == 2.0);
        CHECK(eps(m, "O_s", "O_s") == -2.5);
        CHECK(eps(m, "CO_s", "O_s") == cross);
        CHECK(eps(m, "O_s", "CO_s") == cross);
        // CO-O_2s from IS = CO + O with weight 1 − w; its CO entry is explicit.
        CHECK(eps(m, "CO-O_2s", "CO_s") == 0.7);
        CHECK(eps(m, "CO-O_2s", "O_s") == Approx(0.7 * (cross - 2.5)).epsilon(1e-15));
        // O-O_2s from FS = 2 O with weight w (IS has no adsorbate).
        CHECK(eps(m, "O-O_2s", "O_s") == Approx(0.3 * 2 * -2.5).epsilon(1e-15));
        CHECK(eps(m, "O-O_2s", "CO_s") == Approx(0.3 * 2 * cross).epsilon(1e-15));
        CHECK(eps(m, "CO_g", "CO_s") == 0.0);
    }
    SECTION("arithmetic mixing, explicit cross entry, final_state rule built from the mixed block") {
        const ModelFile model = parse_model(with_interactions("[interactions]\n"
                                                              "model = \"second_order\"\n"
                                                              "response = \"piecewise_linear\"\n"
                                                              "cutoff = 0.1\n"
                                                              "mixing = \"arithmetic_mean\"\n"
                                                              "ts_rule = \"initial_state\"\n"
                                                              "[interactions.eps]\n"
                                                              "\"CO_s|CO_s\" = 2.0\n"
                                                              "\"O_s|CO_s\" = 9.0\n"
                                                              "\"O_s|O_s\" = 3.0\n"),
                                            "m.toml");
        const Mechanism& m = model.mechanism;
        CHECK(eps(m, "CO_s", "O_s") == 9.0);
        CHECK(eps(m, "O_s", "CO_s") == 9.0);
        // IS = CO + O: ε_TS,CO = ε_CO,CO + ε_O,CO with the mixed (arithmetic) cross 2.5.
        CHECK(eps(m, "CO-O_2s", "CO_s") == 2.0 + 2.5);
        CHECK(eps(m, "CO-O_2s", "O_s") == 2.5 + 3.0);
        CHECK(eps(m, "O-O_2s", "O_s") == 0.0);  // initial state O2_g + 2*_s
    }
}

TEST_CASE("[interactions] mistakes are located errors", "[mechanism][interactions]") {
    const std::string head = "[interactions]\nmodel = \"first_order\"\nresponse = \"linear\"\n[interactions.eps]\n";
    require_error(head + "\"CO_s|X_s\" = 1.0\n", 4, 1, "interactions.eps.CO_s|X_s", "unknown species X_s");
    require_error(head + "\"CO_g|CO_s\" = 1.0\n", 4, 1, "interactions.eps.CO_g|CO_s", "is a gas");
    require_error(head + "\"*_s|CO_s\" = 1.0\n", 4, 1, "interactions.eps.*_s|CO_s", "free site");
    require_error(head + "\"CO_s|O_s\" = 1.0\n\"O_s|CO_s\" = 1.5\n", 5, 1, "interactions.eps.O_s|CO_s",
                  "different values");
    require_error(head + "\"CO-O_2s|O-O_2s\" = 1.0\n", 4, 1, "interactions.eps.CO-O_2s|O-O_2s", "transition states");
    require_error(head + "\"CO_s\" = 1.0\n", 4, 1, "interactions.eps.CO_s", "\"A|B\"");
    require_error(head + "\"CO_s|O_s\" = nan\n", 4, 14, "interactions.eps.CO_s|O_s", "finite");
    require_error("[interactions]\nmodel = \"third_order\"\nresponse = \"linear\"\n", 1, 9, "interactions.model",
                  "first_order, second_order");
    require_error("[interactions]\nresponse = \"linear\"\n", 0, 1, "interactions.model", "missing");
    require_error("[interactions]\nmodel = \"first_order\"\n", 0, 1, "interactions.response", "missing");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"step\"\n", 2, 12, "interactions.response",
                  "smooth_piecewise_linear");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"piecewise_linear\"\n", 0, 1,
                  "interactions.cutoff", "missing");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"smooth_piecewise_linear\"\ncutoff = 0.2\n", 0,
                  1, "interactions.smoothing", "missing");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"smooth_piecewise_linear\"\ncutoff = 0.2\n"
                  "smoothing = 0.3\n",
                  4, 13, "interactions.smoothing", "<= cutoff");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"piecewise_linear\"\ncutoff = -0.1\n", 3, 10,
                  "interactions.cutoff", ">= 0");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"linear\"\nmixing = \"harmonic\"\n", 3, 10,
                  "interactions.mixing", "geometric_mean");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"linear\"\nts_rule = \"middle\"\n", 3, 11,
                  "interactions.ts_rule", "intermediate_state");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"linear\"\nts_weight = 1.5\n", 3, 13,
                  "interactions.ts_weight", "between 0 and 1");
    require_error("[interactions]\nmodel = \"first_order\"\nresponse = \"linear\"\nstrength = 1.0\n", 3, 1,
                  "interactions.strength", "unknown key");
}

TEST_CASE("[interactions] keys that change nothing are warnings", "[mechanism][interactions]") {
    const ModelFile model = parse_model(with_interactions("[interactions]\n"
                                                          "model = \"first_order\"\n"
                                                          "response = \"linear\"\n"
                                                          "cutoff = 0.2\n"
                                                          "ts_rule = \"zero\"\n"
                                                          "ts_weight = 0.4\n"
                                                          "[interactions.eps]\n"
                                                          "\"CO_s|CO_s\" = 1.0\n"),
                                        "m.toml");
    REQUIRE(model.warnings.size() == 2);
    CHECK(model.warnings[0].key == "interactions.cutoff");
    CHECK(model.warnings[1].key == "interactions.ts_weight");
    CHECK(model.mechanism.interactions->at(model.mechanism.find_species("CO-O_2s"),
                                           model.mechanism.find_species("CO_s")) == 0.0);
}
