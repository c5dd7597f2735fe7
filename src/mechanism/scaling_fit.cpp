#include "kinmap/mechanism/scaling_fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "kinmap/core/error.hpp"

namespace kinmap {
namespace {

struct Cell {
    std::string text;
    int column = 1;  // 1-based character column of the cell's first non-blank character
};

std::vector<Cell> split_csv_line(const std::string& line) {
    std::vector<Cell> cells;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        const std::size_t end = comma == std::string::npos ? line.size() : comma;
        std::size_t a = start;
        std::size_t b = end;
        while (a < b && (line[a] == ' ' || line[a] == '\t')) ++a;
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t' || line[b - 1] == '\r')) --b;
        cells.push_back({line.substr(a, b - a), static_cast<int>(a) + 1});
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return cells;
}

bool skipped(const std::string& line) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    return first == std::string::npos || line[first] == '#';
}

std::optional<double> parse_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    const char* begin = text.c_str();
    char* end = nullptr;
    const double value = std::strtod(begin, &end);
    if (end != begin + text.size() || !std::isfinite(value)) throw std::invalid_argument(text);
    return value;
}

int column_index(const EnergyTable& table, const std::string& name) {
    const auto it = std::find(table.columns.begin(), table.columns.end(), name);
    return it == table.columns.end() ? -1 : static_cast<int>(it - table.columns.begin());
}

std::string column_list(const EnergyTable& table) {
    std::string out;
    for (const auto& c : table.columns) out += (out.empty() ? "" : ", ") + c;
    return out;
}

std::string number(double value) {
    // 12 significant digits: far below any DFT error, and an exact fit prints as 0.5, not as
    // the 0.49999999999999994 that the QR's rounding may leave.
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.12g", value);
    return buffer;
}

std::string toml_key(const std::string& name) {
    const bool bare = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    });
    return bare ? name : "\"" + name + "\"";
}

}  // namespace

EnergyTable read_energy_table(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError({path, 0, 0}, "", "cannot open the energy table");
    EnergyTable table;
    table.file = path;
    std::string line;
    int line_no = 0;
    bool header = false;
    while (std::getline(in, line)) {
        ++line_no;
        if (skipped(line)) continue;
        const std::vector<Cell> cells = split_csv_line(line);
        if (!header) {
            if (cells[0].text != "surface")
                throw InputError({path, line_no, cells[0].column}, "surface",
                                 "the header row must start with 'surface' (then one column per "
                                 "species or descriptor), found '" +
                                     cells[0].text + "'");
            for (std::size_t c = 1; c < cells.size(); ++c) {
                if (cells[c].text.empty())
                    throw InputError({path, line_no, cells[c].column}, "header",
                                     "column " + std::to_string(c + 1) + " has no name");
                if (column_index(table, cells[c].text) >= 0)
                    throw InputError({path, line_no, cells[c].column}, cells[c].text,
                                     "the column is named twice");
                table.columns.push_back(cells[c].text);
                table.header_columns.push_back(cells[c].column);
            }
            if (table.columns.empty())
                throw InputError({path, line_no, 1}, "header", "no columns after 'surface'");
            table.header_line = line_no;
            header = true;
            continue;
        }
        if (cells.size() != table.columns.size() + 1)
            throw InputError({path, line_no, 1}, cells[0].text,
                             "the row has " + std::to_string(cells.size()) + " cells, the header " +
                                 std::to_string(table.columns.size() + 1));
        std::vector<std::optional<double>> row;
        for (std::size_t c = 1; c < cells.size(); ++c) {
            try {
                row.push_back(parse_number(cells[c].text));
            } catch (const std::invalid_argument&) {
                throw InputError({path, line_no, cells[c].column}, table.columns[c - 1],
                                 "not a number: '" + cells[c].text + "' (surface " + cells[0].text +
                                     "; leave the cell empty for no value)");
            }
        }
        table.surfaces.push_back(cells[0].text);
        table.lines.push_back(line_no);
        table.values.push_back(std::move(row));
    }
    if (!header) throw InputError({path, line_no, 0}, "", "the table has no header row");
    return table;
}

ScalingFit least_squares_fit(const std::vector<std::vector<double>>& x,
                             const std::vector<double>& y) {
    const auto n = static_cast<Eigen::Index>(y.size());
    const auto p = static_cast<Eigen::Index>(x.empty() ? 0 : x[0].size());
    Eigen::MatrixXd a(n, p + 1);
    Eigen::VectorXd b(n);
    for (Eigen::Index k = 0; k < n; ++k) {
        const auto& row = x[static_cast<std::size_t>(k)];
        for (Eigen::Index d = 0; d < p; ++d) a(k, d) = row[static_cast<std::size_t>(d)];
        a(k, p) = 1.0;
        b(k) = y[static_cast<std::size_t>(k)];
    }
    const Eigen::VectorXd c = a.colPivHouseholderQr().solve(b);
    const Eigen::VectorXd r = a * c - b;
    ScalingFit fit;
    fit.coefficients.assign(c.data(), c.data() + p);
    fit.constant = c(p);
    fit.surfaces = static_cast<int>(n);
    fit.rms_residual_eV = n > 0 ? std::sqrt(r.squaredNorm() / static_cast<double>(n)) : 0.0;
    fit.max_abs_residual_eV = n > 0 ? r.cwiseAbs().maxCoeff() : 0.0;
    return fit;
}

std::vector<ScalingFit> fit_scaling(const EnergyTable& table,
                                    const std::vector<std::string>& descriptors,
                                    const std::vector<std::string>& targets) {
    const SourceLocation header{table.file, table.header_line, 1};
    if (descriptors.empty())
        throw InputError({"<command line>", 0, 0}, "--descriptors", "no descriptor named");
    std::vector<int> regressors;
    for (const auto& d : descriptors) {
        const int c = column_index(table, d);
        if (c < 0)
            throw InputError(header, d,
                             "no such descriptor column (columns: " + column_list(table) + ")");
        if (std::find(regressors.begin(), regressors.end(), c) != regressors.end())
            throw InputError(header, d, "descriptor named twice");
        regressors.push_back(c);
    }
    std::vector<int> fitted;
    if (targets.empty()) {
        for (std::size_t c = 0; c < table.columns.size(); ++c)
            if (std::find(regressors.begin(), regressors.end(), static_cast<int>(c)) ==
                regressors.end())
                fitted.push_back(static_cast<int>(c));
    } else {
        for (const auto& t : targets) {
            const int c = column_index(table, t);
            if (c < 0)
                throw InputError(header, t,
                                 "no such target column (columns: " + column_list(table) + ")");
            if (std::find(regressors.begin(), regressors.end(), c) != regressors.end())
                throw InputError(header, t, "a descriptor cannot also be a target");
            fitted.push_back(c);
        }
    }
    if (fitted.empty())
        throw InputError(header, "surface", "no column to fit: every column is a descriptor");

    std::vector<ScalingFit> fits;
    for (const int t : fitted) {
        std::vector<std::vector<double>> x;
        std::vector<double> y;
        for (std::size_t row = 0; row < table.values.size(); ++row) {
            const auto& v = table.values[row];
            if (!v[static_cast<std::size_t>(t)]) continue;
            std::vector<double> xs;
            for (const int d : regressors)
                if (v[static_cast<std::size_t>(d)]) xs.push_back(*v[static_cast<std::size_t>(d)]);
            if (xs.size() != regressors.size()) continue;
            x.push_back(std::move(xs));
            y.push_back(*v[static_cast<std::size_t>(t)]);
        }
        const std::size_t unknowns = regressors.size() + 1;
        const std::string& name = table.columns[static_cast<std::size_t>(t)];
        if (y.size() < unknowns)
            throw InputError(
                {table.file, table.header_line, table.header_columns[static_cast<std::size_t>(t)]},
                name,
                std::to_string(y.size()) +
                    " surface(s) have this value and every "
                    "descriptor, fewer than the " +
                    std::to_string(unknowns) +
                    " unknowns of the fit (one per descriptor and a constant)");
        ScalingFit fit = least_squares_fit(x, y);
        fit.target = name;
        fits.push_back(std::move(fit));
    }
    return fits;
}

std::string format_scaling_rows(const std::vector<ScalingFit>& fits,
                                const std::vector<std::string>& descriptors) {
    std::ostringstream out;
    for (const auto& fit : fits) {
        out << toml_key(fit.target) << " = {";
        for (std::size_t d = 0; d < descriptors.size(); ++d)
            out << ' ' << descriptors[d] << " = " << number(fit.coefficients[d]) << ',';
        out << " const = " << number(fit.constant) << " }\n";
        char comment[200];
        std::snprintf(comment, sizeof comment,
                      "# %s: RMS residual %.3g eV, max |residual| %.3g eV, %d surfaces\n",
                      fit.target.c_str(), fit.rms_residual_eV, fit.max_abs_residual_eV,
                      fit.surfaces);
        out << comment;
    }
    return out.str();
}

}  // namespace kinmap
