#include "report/schedule_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace nightout {

namespace {

std::string esc(const std::string& s) {
    std::string out;
    out.reserve(s.size());
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

// An equirectangular view of a lon/lat box in a W x H drawing (y down), the box grown so that
// it keeps its aspect ratio at its latitude.
struct View {
    double west = 0, north = 0, k = 1, kx = 1;  // pixels per degree of latitude, and of longitude
    static constexpr double W = 720, H = 420;
    View(LonLatBox b) {
        const double mid = 0.5 * (b.south + b.north), c = std::cos(mid * M_PI / 180);
        double w = std::max(1e-4, (b.east - b.west) * c), h = std::max(1e-4, b.north - b.south);
        w *= 1.12, h *= 1.12;  // a margin
        k = std::min(W / w, H / h);
        kx = k * c;
        const double cx = 0.5 * (b.west + b.east), cy = mid;
        west = cx - W / 2 / kx, north = cy + H / 2 / k;
    }
    double x(double lon) const { return (lon - west) * kx; }
    double y(double lat) const { return (north - lat) * k; }
    bool inside(double lon, double lat, double slack = 40) const {
        const double px = x(lon), py = y(lat);
        return px > -slack && px < W + slack && py > -slack && py < H + slack;
    }
};

void polyline(std::ostringstream& out, const View& v, const std::vector<std::array<double, 2>>& pts, const char* cls, bool closed = false) {
    bool any = false;
    for (const auto& p : pts) any = any || v.inside(p[0], p[1]);
    if (!any || pts.size() < 2) return;
    out << "<" << (closed ? "polygon" : "polyline") << " class=\"" << cls << "\" points=\"";
    char buf[48];
    double lx = 1e9, ly = 1e9;
    for (const auto& p : pts) {
        const double px = std::round(v.x(p[0]) * 10) / 10, py = std::round(v.y(p[1]) * 10) / 10;
        if (px == lx && py == ly) continue;
        std::snprintf(buf, sizeof buf, "%.1f,%.1f ", px, py);
        out << buf;
        lx = px, ly = py;
    }
    out << "\"/>";
}

const char* street_class(BackdropClass c) {
    switch (c) {
    case BackdropClass::Motorway:
    case BackdropClass::Trunk:
    case BackdropClass::Primary: return "major";
    case BackdropClass::Secondary:
    case BackdropClass::Tertiary: return "mid";
    case BackdropClass::Minor: return "minor";
    case BackdropClass::Water:
    case BackdropClass::WaterLine: return "water";
    case BackdropClass::Park: return "park";
    default: return nullptr;  // service roads and paths: too fine for a printed sheet
    }
}

void sheet_map(std::ostringstream& out, const ScheduleSheet& s, const Backdrop& streets, const std::vector<LonLatRing>& areas) {
    LonLatBox box;
    auto grow = [&](double lon, double lat) {
        box.west = std::min(box.west, lon), box.east = std::max(box.east, lon);
        box.south = std::min(box.south, lat), box.north = std::max(box.north, lat);
    };
    for (const auto& p : s.line) grow(p[0], p[1]);
    for (const auto& st : s.stops) grow(st.lon, st.lat);
    grow(s.station[0], s.station[1]);
    const View v(box);
    out << "<svg class=\"map\" viewBox=\"0 0 " << View::W << " " << View::H << "\" role=\"img\" aria-label=\"route of " << esc(s.officer) << "\">";
    out << "<rect class=\"ground\" width=\"" << View::W << "\" height=\"" << View::H << "\"/>";
    for (const auto& ring : areas) polyline(out, v, ring, "area", true);
    for (const char* pass : {"park", "water", "minor", "mid", "major"})
        for (const BackdropWay& w : streets.ways) {
            const char* cls = street_class(w.cls);
            if (!cls || std::string(cls) != pass) continue;
            std::vector<std::array<double, 2>> pts(w.lonlat.begin(), w.lonlat.end());
            polyline(out, v, pts, cls, w.cls == BackdropClass::Park || w.cls == BackdropClass::Water);
        }
    polyline(out, v, s.line, "route");
    char buf[160];
    std::snprintf(buf, sizeof buf, "<rect class=\"station\" x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\"/>", v.x(s.station[0]) - 6, v.y(s.station[1]) - 6);
    out << buf;
    for (const auto& st : s.stops) {
        std::snprintf(buf, sizeof buf, "<g class=\"stop\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\"/><text x=\"%.1f\" y=\"%.1f\">%d</text></g>", v.x(st.lon), v.y(st.lat),
                      v.x(st.lon), v.y(st.lat) + 3.5, st.order);
        out << buf;
    }
    out << "</svg>";
}

const char* kStyle = R"(
:root { font-family: "DejaVu Sans", Arial, sans-serif; color: #111; }
body { margin: 0; background: #eee; }
.sheet { background: #fff; max-width: 8in; margin: 1em auto; padding: 0.4in; box-sizing: border-box; }
h1 { font-size: 15pt; margin: 0 0 0.2em; }
.meta { font-size: 9.5pt; margin: 0 0 0.5em; }
.map { width: 100%; height: auto; border: 1px solid #999; display: block; }
.ground { fill: #fafaf7; }
.area { fill: none; stroke: #9a7fb8; stroke-width: 1.2; stroke-dasharray: 4 3; }
.park { fill: #d8ecd0; stroke: none; }
.water { fill: #cfe2f3; stroke: #9cc3e6; stroke-width: 0.8; }
.minor { fill: none; stroke: #c9c9c9; stroke-width: 0.8; }
.mid { fill: none; stroke: #a9a9a9; stroke-width: 1.4; }
.major { fill: none; stroke: #8a8a8a; stroke-width: 2.2; }
.route { fill: none; stroke: #d7301f; stroke-width: 3; stroke-linejoin: round; opacity: 0.85; }
.station { fill: #1f3b73; }
.stop circle { fill: #fff; stroke: #d7301f; stroke-width: 2; }
.stop text { font-size: 10px; font-weight: bold; text-anchor: middle; fill: #111; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin-top: 0.5em; }
th, td { border-bottom: 1px solid #ccc; padding: 2px 4px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.n { text-align: right; }
.foot { font-size: 7.5pt; color: #555; margin-top: 0.4em; }
@page { margin: 0.45in; }
@media print {
  body { background: none; }
  .sheet { margin: 0; padding: 0; max-width: none; break-after: page; page-break-after: always; break-inside: avoid; }
  .sheet:last-of-type { break-after: auto; page-break-after: auto; }
  .map { max-height: 4.2in; }
}
)";

}  // namespace

std::string schedule_html(const std::string& title, const std::string& attribution, const std::vector<ScheduleSheet>& sheets, const Backdrop& streets,
                          const std::vector<LonLatRing>& areas) {
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << esc(title) << "</title><style>" << kStyle << "</style></head><body>\n";
    for (const ScheduleSheet& s : sheets) {
        out << "<section class=\"sheet\" data-officer=\"" << esc(s.officer) << "\">";
        out << "<h1>" << esc(s.officer) << (s.name.empty() ? "" : " — " + esc(s.name)) << "</h1>";
        out << "<p class=\"meta\">" << esc(title) << "<br>Shift " << esc(s.shift) << "; leave " << esc(s.from) << " at " << esc(s.depart) << ", back at "
            << esc(s.to) << " by " << esc(s.back);
        if (!s.group.empty()) out << "<br>Travels as one with: " << esc(s.group);
        if (!s.breaks.empty()) out << "<br>Break " << esc(s.breaks);
        out << "<br>" << esc(s.totals) << "</p>";
        sheet_map(out, s, streets, areas);
        out << "<table><thead><tr><th>#</th><th>arrive</th><th>visit</th><th>party</th><th>address</th><th>host / contact</th><th>units</th><th>window</th></tr></thead><tbody>";
        for (const ScheduleStop& st : s.stops) {
            out << "<tr><td class=\"n\">" << st.order << "</td><td>" << esc(st.arrive) << "</td><td>" << esc(st.start) << "–" << esc(st.end) << "</td><td>"
                << esc(st.name.empty() ? st.id : st.name) << (st.name.empty() ? "" : " <small>(" + esc(st.id) + ")</small>") << "</td><td>" << esc(st.address)
                << "</td><td>" << esc(st.host) << (st.host.empty() || st.contact.empty() ? "" : ", ") << esc(st.contact) << "</td><td>" << esc(st.units)
                << "</td><td>" << esc(st.window) << "</td></tr>";
        }
        out << "</tbody></table><p class=\"foot\">Red line: the route" << (streets.empty() ? " (straight legs)" : ", along the streets")
            << "; numbers: the stops in order; blue square: the station. " << esc(attribution) << "</p></section>\n";
    }
    if (sheets.empty()) out << "<section class=\"sheet\"><h1>" << esc(title) << "</h1><p>No officer has visits.</p></section>\n";
    out << "</body></html>\n";
    return out.str();
}

}  // namespace nightout
