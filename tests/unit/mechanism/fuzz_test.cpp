// Hostile input: a deterministic mutator turns valid model files into 12,000 malformed or
// meaningless ones (byte flips, truncation, deleted and duplicated lines, huge, negative and
// NaN numbers, unbalanced equations, absurd grid sizes). Each must either parse into a model
// that the library then handles, or throw InputError naming a location - never crash, hang,
// or throw anything else. The sanitizer build runs this too.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kinmap/kinetics/conditions.hpp"
#include "kinmap/kinetics/mass_action.hpp"
#include "kinmap/mechanism/model_file.hpp"
#include "kinmap/steady/steady_solver.hpp"
#include "kinmap/sweep/grid.hpp"

using namespace kinmap;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

std::string join(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + '\n';
    return out;
}

std::string mutate(const std::string& text, std::mt19937_64& rng) {
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % std::max<std::size_t>(n, 1)); };
    std::string s = text;
    std::vector<std::string> lines = lines_of(s);
    static const std::vector<std::string> numbers = {"1e308", "-1e308", "nan", "-nan", "inf", "-inf",
                                                     "-1", "0", "1e-320", "99999999999999999999",
                                                     "-0.0", "\"text\"", "[1, 2]", "{ a = 1 }", "true"};
    static const std::vector<std::string> equations = {
        "\"CO_g + *_s -> CO_s + O_s\"", "\"\"", "\"->\"", "\"CO_g -> CO_g\"", "\"2*_s -> \"",
        "\"A_x + *_s -> A_s\"", "\"CO_s + O_s <-> <-> CO2_g\"", "\"100000CO_s -> CO_g\"",
        "\"*_g + *_s -> *_s\"", "\"CO_2s -> CO_g + 2*_s\"", "\"co_s -> CO_g + *_s\""};
    switch (rng() % 9) {
        case 0:  // flip bytes
            for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) {
                if (!s.empty()) s[pick(s.size())] = static_cast<char>(rng() % 256);
            }
            return s;
        case 1:  // truncate
            return s.substr(0, pick(s.size()));
        case 2:  // delete a line
            if (!lines.empty()) lines.erase(lines.begin() + static_cast<long>(pick(lines.size())));
            return join(lines);
        case 3:  // duplicate a line
            if (!lines.empty()) {
                const std::size_t i = pick(lines.size());
                lines.insert(lines.begin() + static_cast<long>(i), lines[i]);
            }
            return join(lines);
        case 4:  // replace a number by something hostile
        case 5: {
            std::vector<std::size_t> candidates;
            for (std::size_t i = 0; i < lines.size(); ++i) {
                if (lines[i].find('=') != std::string::npos) candidates.push_back(i);
            }
            if (candidates.empty()) return s;
            std::string& line = lines[candidates[pick(candidates.size())]];
            const auto eq = line.find('=');
            if (line.find('{') != std::string::npos) {
                // inside an inline table: replace one value after a key
                const auto pos = line.find("points = ");
                if (pos != std::string::npos) {
                    line = line.substr(0, pos) + "points = " + numbers[pick(numbers.size())] + " }";
                    return join(lines);
                }
            }
            line = line.substr(0, eq + 1) + " " + numbers[pick(numbers.size())];
            return join(lines);
        }
        case 6: {  // unbalanced or nonsense equation
            for (auto& line : lines) {
                if (line.rfind("equation", 0) == 0 && rng() % 2 == 0) {
                    line = "equation = " + equations[pick(equations.size())];
                    break;
                }
            }
            return join(lines);
        }
        case 7: {  // absurd grid sizes
            for (auto& line : lines) {
                const auto pos = line.find("points = ");
                if (pos != std::string::npos) {
                    const char* sizes[] = {"0", "-5", "100000", "100001", "2147483648", "1"};
                    line = line.substr(0, pos) + "points = " + sizes[pick(6)] + " }";
                }
            }
            return join(lines);
        }
        default: {  // insert junk keys and tables
            const char* junk[] = {"bogus = 1", "[model]", "[[step]]", "[sweep]\nz = 1", "kf = 1",
                                  "equation = 5", "[sites]\ns = 2.0", "[species]\nX_s = { G_eV = 1 }",
                                  "[solver]\nmax_rungs = 1000"};
            lines.insert(lines.begin() + static_cast<long>(pick(lines.size() + 1)), junk[pick(9)]);
            return join(lines);
        }
    }
}

}  // namespace

TEST_CASE("12,000 mutated model files parse or fail with a located InputError", "[mechanism][fuzz]") {
    std::vector<std::string> seeds;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(KINMAP_DATA_DIR) + "/models")) {
        if (entry.path().extension() != ".toml") continue;
        std::ifstream in(entry.path());
        std::stringstream buffer;
        buffer << in.rdbuf();
        seeds.push_back(buffer.str());
    }
    REQUIRE(!seeds.empty());
    std::mt19937_64 rng(424242);
    int parsed = 0, rejected = 0, solved = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < 12000; ++n) {
        std::string text = seeds[static_cast<std::size_t>(n) % seeds.size()];
        const int rounds = 1 + static_cast<int>(rng() % 3);
        for (int r = 0; r < rounds; ++r) text = mutate(text, rng);
        try {
            ModelFile model = parse_model(text, "fuzz.toml");
            const Mechanism& m = model.mechanism;
            ++parsed;
            // What parses must be usable: rate law, grid and (sometimes) a short solve.
            MassActionKinetics law(m);
            std::vector<double> theta(static_cast<std::size_t>(law.n_state()), 0.5), f(theta.size());
            law.derivative(theta.data(), f.data());
            if (model.sweep) (void)make_grid(model).size();
            if (n % 20 == 0) {
                std::vector<AxisValue> all;
                for (int g : m.gases) {
                    // Reserved reservoirs (DESIGN §12) have activity 1 and no pressure.
                    if (m.species[static_cast<std::size_t>(g)].reservoir == Reservoir::none)
                        all.push_back({"p_" + m.species[static_cast<std::size_t>(g)].name, 0.1});
                }
                model.solver.point_time_limit_s = 0.05;
                SteadySolver solver(m, model.solver);
                const PointResult result = solver.solve(make_conditions(model, all));
                CHECK(static_cast<int>(result.status) < kStatusCount);
                ++solved;
            }
        } catch (const InputError& e) {
            ++rejected;
            // Every rejection names the file and a line (syntax errors too).
            if (e.where().file != "fuzz.toml" || e.where().line < 1) {
                FAIL("input error without a location: " << e.what());
            }
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO("parsed " << parsed << ", rejected " << rejected << ", solved " << solved << " in " << seconds << " s");
    CHECK(parsed > 100);     // the mutator also produces valid models...
    CHECK(rejected > 5000);  // ...but mostly hostile ones
    CHECK(solved > 5);
}
