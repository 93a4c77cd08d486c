#include "report/report_html.hpp"

#include <filesystem>
#include "core/output_paths.hpp"

#include "core/error.hpp"
#include "report/assets.hpp"
#include "report/backdrop.hpp"
#include "write/style.hpp"
#include "write/vector_writer.hpp"

#include <cerrno>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>

#include <ogr_geometry.h>

namespace nightout {

namespace report_assets {

std::string_view get(std::string_view name) {
    for (std::size_t i = 0; i < kAssetCount; ++i)
        if (name == kAssets[i].name) return {reinterpret_cast<const char*>(kAssets[i].data), kAssets[i].size};
    throw_internal("report asset " + std::string(name) + " is not embedded");
}

}  // namespace report_assets

namespace {

constexpr const char* kVersion = "nightout 0.1.0";
// Report geometry: 6 decimals (~0.1 m), and lines simplified within ~2 m (invisible at city scale).
constexpr int kPrecision = 6;
constexpr double kSimplifyDeg = 0.00002;

std::string base64(std::string_view in) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
        out += {abc[v >> 18], abc[(v >> 12) & 63], abc[(v >> 6) & 63], abc[v & 63]};
    }
    if (i + 1 == in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += {abc[v >> 18], abc[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += {abc[v >> 18], abc[(v >> 12) & 63], abc[(v >> 6) & 63], '='};
    }
    return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

// Leaflet's stylesheet with its images as data: URIs, so that nothing is fetched.
std::string leaflet_css() {
    std::string css(report_assets::get("leaflet.css"));
    for (const char* img : {"layers.png", "layers-2x.png", "marker-icon.png"})
        replace_all(css, std::string("url(images/") + img + ")", "url(data:image/png;base64," + base64(report_assets::get(img)) + ")");
    return css;
}

// Text safe inside <script type="application/json">: "</" cannot close the element.
std::string script_safe(std::string s) {
    replace_all(s, "</", "<\\/");
    replace_all(s, "<!--", "<\\u0021--");
    return s;
}

std::string percent(double share, int decimals = 1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100 * share);
    return buf;
}

std::string thousands(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
    std::string s = buf, out;
    std::size_t start = s[0] == '-' ? 1 : 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i > start && (s.size() - i) % 3 == 0) out += ',';
        out += s[i];
    }
    return out;
}

}  // namespace

std::string basemap_origin(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos || url.find("{z}") == std::string::npos) throw_usage("--basemap: '" + url + "' is not a tile URL template; expected e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png");
    auto end = url.find('/', scheme + 3);
    std::string origin = url.substr(0, end);
    // {s} subdomains: allow every subdomain of the host.
    auto s = origin.find("{s}.");
    if (s != std::string::npos) origin.replace(s, 3, "*");
    return origin;
}

Backdrop study_backdrop(const std::string& network_path, const std::vector<const OutLayer*>& layers) {
    if (!is_osm_extract(network_path)) return {};
    LonLatBox box;
    for (const bool areas_only : {true, false}) {
        for (const OutLayer* l : layers) {
            if (areas_only && l->kind != LayerKind::Areas) continue;
            for (const auto& wkb : l->wkb) {
                OGRGeometry* g = nullptr;
                if (wkb.empty() || OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g) continue;
                std::unique_ptr<OGRGeometry> owned(g);
                OGREnvelope e;
                g->getEnvelope(&e);
                box = {std::min(box.west, e.MinX), std::min(box.south, e.MinY), std::max(box.east, e.MaxX), std::max(box.north, e.MaxY)};
            }
        }
        if (!box.empty()) break;
    }
    return read_backdrop(network_path, box);
}

void add_backdrop(Report& report, const Backdrop& backdrop) {
    report.backdrop = backdrop_json(backdrop);
    if (report.backdrop.empty()) return;
    const bool credited = std::any_of(report.attribution.begin(), report.attribution.end(),
                                      [](const std::string& a) { return a.find("OpenStreetMap") != std::string::npos; });
    if (!credited) report.attribution.push_back("Streets: © OpenStreetMap contributors (ODbL)");
}

std::string render_report(const Report& report) {
    // The data: meta as JSON, each layer's GeoJSON spliced in as written by GDAL.
    std::string layers_json = "[";
    for (std::size_t i = 0; i < report.layers.size(); ++i) {
        const ReportLayer& rl = report.layers[i];
        const OutLayer& l = *rl.layer;
        nlohmann::json meta{{"name", l.name},
                            {"title", l.title.empty() ? l.name : l.title},
                            {"kind", layer_kind_key(l.kind)},
                            {"visible", rl.visible},
                            {"value_field", l.value_field}};
        if (!rl.split.empty()) meta["split"] = rl.split;
        meta["shares"] = nlohmann::json::array();
        for (const auto& [field, label] : rl.shares) meta["shares"].push_back({{"field", field}, {"label", label}});
        std::string m = meta.dump();
        m.pop_back();  // reopen the object for the GeoJSON member
        layers_json += (i ? "," : "") + m + ",\"geojson\":" + layer_geojson(l, kPrecision, kSimplifyDeg) + "}";
    }
    layers_json += "]";
    nlohmann::json meta;
    meta["title"] = report.title;
    meta["subtitle"] = report.subtitle;
    meta["headline"] = nlohmann::json::array();
    for (const auto& h : report.headline) meta["headline"].push_back({{"label", h.label}, {"value", h.value}, {"note", h.note}});
    meta["attribution"] = report.attribution;
    meta["coverage_ramp"] = std::vector<std::string>(std::begin(style::kCoverageRamp), std::end(style::kCoverageRamp));
    meta["basemap"] = nullptr;
    if (!report.basemap_url.empty()) meta["basemap"] = {{"url", report.basemap_url}, {"attribution", report.basemap_attribution}};
    meta["table"] = nullptr;
    if (!report.tables.empty()) {
        const ReportTable& t = report.tables.front();
        nlohmann::json cols = nlohmann::json::array();
        for (const auto& c : t.columns) cols.push_back({{"field", c.field}, {"label", c.label}, {"format", c.format}});
        meta["table"] = {{"layer", t.layer}, {"title", t.title}, {"sort", t.sort}, {"limit", t.limit}, {"columns", cols}};
    }
    meta["equity"] = report.equity;
    meta["program"] = report.program;
    meta["generator"] = kVersion;
    std::string data = meta.dump();
    data.pop_back();
    if (!report.backdrop.empty()) data += ",\"backdrop\":" + report.backdrop;
    data += ",\"layers\":" + layers_json + "}";

    std::string csp = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
    if (!report.basemap_url.empty()) csp += " " + basemap_origin(report.basemap_url);

    const std::string tmpl(report_assets::get("report.html"));
    const std::pair<std::string, std::string> values[] = {
        {"GENERATOR", kVersion},
        {"CSP", csp},
        {"TITLE", html_escape(report.title)},
        {"LEAFLET_CSS", leaflet_css()},
        {"REPORT_CSS", std::string(report_assets::get("report.css"))},
        {"DATA", script_safe(data)},
        {"LEAFLET_LICENSE", std::string(report_assets::get("LICENSE"))},
        {"LEAFLET_JS", std::string(report_assets::get("leaflet.js"))},
        {"REPORT_JS", std::string(report_assets::get("report.js"))},
    };
    // Placeholders are looked up in the template only, never in what replaces them.
    std::string out;
    out.reserve(tmpl.size() + data.size() + 200000);
    std::size_t pos = 0;
    while (true) {
        std::size_t at = tmpl.find('@', pos);
        if (at == std::string::npos) break;
        std::size_t end = tmpl.find('@', at + 1);
        bool done = false;
        if (end != std::string::npos) {
            std::string key = tmpl.substr(at + 1, end - at - 1);
            for (const auto& [k, v] : values) {
                if (k != key) continue;
                out.append(tmpl, pos, at - pos);
                out += v;
                pos = end + 1;
                done = true;
                break;
            }
        }
        if (!done) {
            out.append(tmpl, pos, at + 1 - pos);
            pos = at + 1;
        }
    }
    out.append(tmpl, pos, std::string::npos);
    return out;
}

void write_report(const Report& report, const std::filesystem::path& path) {
    std::string html = render_report(report);
    std::ofstream f(path, std::ios::binary);
    f << html;
    if (!f.flush()) throw_output(path.string() + ": cannot write" + os_reason(errno));
}

Report coverage_report(const std::vector<const OutLayer*>& layers, const nlohmann::json& summary, const std::string& title) {
    Report r;
    r.title = title;
    const auto& totals = summary.at("totals");
    const auto& per = totals.at("per_radius");
    const bool has_pop = totals.contains("population");
    const bool by_network = summary.value("distance", "") != "straight-line";
    r.subtitle = std::to_string(totals.at("areas").get<std::size_t>()) + " areas, " + std::to_string(totals.at("events").get<std::size_t>()) +
                 " events; reach " + (by_network ? "along the streets (" + summary["network"].value("profile", "") + ")" : std::string("in straight lines")) +
                 " within ";
    for (std::size_t k = 0; k < per.size(); ++k) r.subtitle += (k ? (k + 1 == per.size() ? " and " : ", ") : "") + per[k].at("radius").get<std::string>();

    if (has_pop) r.headline.push_back({"residents", thousands(totals["population"].get<double>()), std::to_string(totals["areas"].get<std::size_t>()) + " areas"});
    r.headline.push_back({"events", thousands(totals["events"].get<double>()), ""});
    for (const auto& p : per) {
        const std::string label = p.at("radius").get<std::string>();
        if (has_pop)
            r.headline.push_back({"of residents within " + label, percent(p["population_share"].get<double>()),
                                  thousands(p["population_uncovered"].get<double>()) + " not reached; " +
                                      std::to_string(p["underserved_areas"].get<long>()) + " underserved areas"});
        else
            r.headline.push_back({"of the area within " + label, percent(p["covered_share"].get<double>()),
                                  std::to_string(p["underserved_areas"].get<long>()) + " underserved areas"});
    }
    if (totals.contains("event_to_nearest_station_mean_m"))
        r.headline.push_back({"event to nearest station, mean", thousands(totals["event_to_nearest_station_mean_m"].get<double>()) + " m",
                              "max " + thousands(totals["event_to_nearest_station_max_m"].get<double>()) + " m (straight line)"});

    // Ordinary mistakes in the inputs, said where the figures are: rows rejected (--skip-bad-rows)
    // and points far beyond the areas (left out of every figure).
    if (summary.contains("rejected_rows") && summary["rejected_rows"].value("count", 0) > 0) {
        std::string files;
        for (const auto& [path, count] : summary["rejected_rows"]["by_input"].items())
            files += (files.empty() ? "" : ", ") + std::to_string(count.get<std::size_t>()) + " in " + std::filesystem::path(path).filename().string();
        r.headline.push_back({"input rows rejected", thousands(summary["rejected_rows"]["count"].get<double>()), files + "; listed in rejected.csv"});
    }
    if (summary.contains("far_off")) {
        std::size_t far = 0;
        std::string which;
        for (const auto& [role, f] : summary["far_off"].items()) {
            if (!f.is_object() || f.value("count", 0) == 0) continue;
            far += f["count"].get<std::size_t>();
            which += (which.empty() ? "" : ", ") + role + ": " + std::to_string(f["count"].get<std::size_t>());
        }
        if (far)
            r.headline.push_back({"far-off points", thousands(static_cast<double>(far)),
                                  which + " more than " + thousands(summary["far_off"].value("max_offset_m", 0.0) / 1000) +
                                      " km beyond the areas: reach no one; listed in summary.json"});
    }

    const std::size_t n = per.size();
    auto suffix = [&](std::size_t k) { return n == 1 ? std::string() : "_" + per[k].at("radius").get<std::string>(); };
    for (const OutLayer* lp : layers) {
        const OutLayer& l = *lp;
        ReportLayer rl;
        rl.layer = &l;
        if (l.kind == LayerKind::Areas)
            for (std::size_t k = 0; k < n; ++k) rl.shares.push_back({"covered_share" + suffix(k), "within " + per[k].at("radius").get<std::string>()});
        if (l.kind == LayerKind::Areas && summary.contains("equity") && summary["equity"].contains("priority"))
            rl.shares.push_back({"priority_index", "priority index (need)"});
        if (l.kind == LayerKind::Gaps) rl.split = "radius";
        if (l.kind == LayerKind::ServiceAreas) rl.split = "break";
        r.layers.push_back(rl);
    }
    // Drawing order: areas, then gaps and service areas, then points.
    auto rank = [](const ReportLayer& a) {
        switch (a.layer->kind) {
        case LayerKind::Areas: case LayerKind::Demand: return 0;
        case LayerKind::ServiceAreas: return 1;
        case LayerKind::Gaps: return 2;
        case LayerKind::Allocation: case LayerKind::Routes: return 3;
        default: return 4;
        }
    };
    std::stable_sort(r.layers.begin(), r.layers.end(), [&](const ReportLayer& a, const ReportLayer& b) { return rank(a) < rank(b); });

    for (const OutLayer* lp : layers) {
        const OutLayer& l = *lp;
        if (l.kind != LayerKind::Areas) continue;
        const std::string main = suffix(n - 1), main_label = per[n - 1].at("radius").get<std::string>();
        ReportTable t;
        t.layer = l.name;
        t.title = "The most underserved areas (by " + std::string(has_pop ? "residents" : "area") + " beyond " + main_label + ")";
        t.sort = "rank" + main;
        t.columns.push_back({"rank" + main, "rank", "int"});
        t.columns.push_back({"title", "area", "text"});  // the name, or "Area <id>"
        if (has_pop) t.columns.push_back({"population", "residents", "int"});
        for (std::size_t k = 0; k < n; ++k) t.columns.push_back({"covered_share" + suffix(k), "covered " + per[k].at("radius").get<std::string>(), "share"});
        if (has_pop) t.columns.push_back({"population_uncovered" + main, "not reached " + main_label, "int"});
        t.columns.push_back({"events_inside", "events inside", "int"});
        t.columns.push_back({"nearest_event_m", "nearest event (m)", "int"});
        t.columns.push_back({"underserved" + main, "underserved", "bool"});
        if (summary.contains("equity") && summary["equity"].contains("priority")) {
            t.columns.push_back({"priority_rank", "priority rank", "int"});
            t.columns.push_back({"priority_index", "priority index", "share"});
            t.columns.push_back({"priority", "priority area", "bool"});
        }
        if (summary.contains("equity") && summary["equity"].contains("access")) t.columns.push_back({"access", "access (E2SFCA)", ""});
        r.tables.push_back(t);
        break;
    }
    if (summary.contains("equity")) {
        r.equity = summary["equity"];
        // The widest break's gap between the best- and worst-reached group.
        const auto& eb = r.equity.value("breaks", nlohmann::json::array());
        if (!eb.empty() && eb.back().contains("gap_points") && eb.back()["gap_points"].is_number()) {
            char pts[32];
            std::snprintf(pts, sizeof pts, "%.1f points", eb.back()["gap_points"].get<double>());
            r.headline.push_back({"gap between groups within " + eb.back().value("label", ""), pts,
                                  eb.back().value("best", "") + " best, " + eb.back().value("worst", "") + " worst reached"});
        }
    }
    if (by_network && summary.contains("network")) {
        std::string src = summary["network"].value("source", "");
        if (src.find(".osm") != std::string::npos || src.find(".pbf") != std::string::npos)
            r.attribution.push_back("Streets: © OpenStreetMap contributors (ODbL)");
    }
    return r;
}

QgisProject qgis_project_of(const Report& report, const std::vector<const OutLayer*>& gpkg_layers, const OutputCrs& crs) {
    QgisProject p;
    p.title = report.title;
    if (!crs.wgs84()) p.data_crs = crs.code;
    for (const OutLayer* l : gpkg_layers) {
        ProjectLayer pl{l, false, "", ""};
        for (const ReportLayer& rl : report.layers)
            if (rl.layer->name == l->name) pl = {l, rl.visible, rl.split, ""};
        if (l->kind == LayerKind::Backdrop) pl.visible = true;  // drawn under every map of the report
        // As on the report's map, the suggested sites only: the existing ones are the events.
        if (l->kind == LayerKind::Sites && l->find("status") >= 0) pl.filter = "\"status\" = 'new'";
        p.layers.push_back(pl);
    }
    return p;
}

nlohmann::json program_report(const api::ProgramResult& p, const OutLayer& areas) {
    static const char* kMonth[] = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};
    nlohmann::json months = nlohmann::json::array();
    for (const auto& m : p.months) {
        const int mm = std::stoi(m.month.substr(5, 2));
        months.push_back({{"month", m.month}, {"label", std::string(kMonth[mm - 1]) + " " + m.month.substr(0, 4)}, {"events", m.events},
                          {"areas", m.area_ids}, {"residents", m.residents}});
    }
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : p.calendar) {
        std::string officers;
        for (const auto& o : e.officers) officers += (officers.empty() ? "" : ", ") + o;
        events.push_back({{"date", e.date}, {"weekday", e.weekday}, {"start", e.start}, {"end", e.end}, {"site", e.event.empty() ? e.site : e.event + " (" + e.site + ")"},
                          {"source", e.source}, {"lon", e.lon}, {"lat", e.lat}, {"fixed", e.fixed}, {"areas", e.area_ids.size()},
                          {"residents", e.residents_reached}, {"first", e.residents_first_in_window}, {"officers", officers},
                          {"unstaffed", e.unstaffed_reason}});
    }
    return {{"areas_geojson", nlohmann::json::parse(layer_geojson(areas, kPrecision, kSimplifyDeg))},
            {"from", p.from},
            {"to", p.to},
            {"cadence", p.cadence},
            {"reach", p.reach},
            {"areas_total", p.areas},
            {"areas_meeting", p.target.areas_meeting},
            {"every_days", p.window_days},
            {"gap", p.objective.gap},
            {"months", months},
            {"events", events}};
}

}  // namespace nightout
