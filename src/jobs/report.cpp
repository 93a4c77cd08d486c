#include "jobs/report.hpp"
#include "core/output_paths.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>

namespace nightout {

double round_to(double v, double step) { return std::round(v / step) * step; }

std::string percent(double share, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100.0 * share);
    return buf;
}

std::string thousands(double v) {
    if (!std::isfinite(v)) return std::isnan(v) ? "n/a" : v > 0 ? "unbounded" : "-unbounded";  // never llround a non-finite value
    const std::string digits = std::to_string(std::llabs(std::llround(v)));
    std::string out = v < -0.5 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

Value text_or_null(const std::string& s) { return s.empty() ? Value{} : Value{s}; }

nlohmann::json describe_input(const Dataset& ds) {
    return {{"path", ds.path},       {"layer", ds.layer},           {"features", ds.features.size()},
            {"crs", ds.crs_name},     {"id_field", ds.id_field},     {"name_field", ds.name_field},
            {"repaired_polygons", ds.repaired}, {"duplicate_ids_renamed", ds.duplicate_ids}};
}

void write_json(const std::filesystem::path& path, const nlohmann::json& doc) {
    std::ofstream js(path);
    js << std::setw(2) << doc << '\n';
    if (!js.flush()) throw_output(path.string() + ": cannot write" + os_reason(errno));
}

void commit_with_summary(OutputDir& out, nlohmann::json& summary, const std::vector<std::string>& files, const Log& log, double run_time_s) {
    summary["outputs"] = files;
    summary["warnings"] = log.warnings();
    summary["run_time_s"] = round_to(run_time_s, 0.001);
    write_json(out.file("summary.json"), summary);
    out.commit();
}

}  // namespace nightout
