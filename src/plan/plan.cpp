#include "plan/plan.hpp"

#include "core/error.hpp"
#include "core/units.hpp"

#include <toml++/toml.h>

#include <set>

namespace fs = std::filesystem;

namespace nightout {

namespace {

// Reads one plan file; every error names the file, the line and the key.
class PlanReader {
public:
    explicit PlanReader(const fs::path& file) : file_(file), base_(fs::absolute(file).parent_path()) {}

    [[noreturn]] void fail(const toml::node* node, const std::string& key, const std::string& message) const {
        std::string where = file_.string();
        if (node && node->source().begin) where += ":" + std::to_string(node->source().begin.line);
        throw_input(where + ": " + (key.empty() ? "" : key + ": ") + message);
    }

    // Rejects keys a table does not know, with the list of those it does.
    void only(const toml::table& t, const std::string& table, std::initializer_list<const char*> known) const {
        for (const auto& [k, v] : t) {
            bool ok = false;
            for (const char* name : known) ok = ok || k.str() == name;
            if (ok) continue;
            std::string list;
            for (const char* name : known) list += (list.empty() ? "" : ", ") + std::string(name);
            fail(&v, table.empty() ? std::string(k.str()) : table + "." + std::string(k.str()),
                 "unknown key; " + (table.empty() ? std::string("the top level") : "[" + table + "]") + " accepts " + list);
        }
    }

    const toml::table* table(const toml::table& root, const char* name) const {
        const toml::node* n = root.get(name);
        if (!n) return nullptr;
        if (!n->is_table()) fail(n, name, "expected a table [" + std::string(name) + "]");
        return n->as_table();
    }

    std::string text(const toml::node& n, const std::string& key, const std::string& accepted) const {
        if (!n.is_string()) fail(&n, key, "expected " + accepted);
        return n.as_string()->get();
    }

    double number(const toml::node& n, const std::string& key, const std::string& accepted) const {
        if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
        if (n.is_floating_point()) return n.as_floating_point()->get();
        fail(&n, key, "expected " + accepted);
    }

    bool boolean(const toml::node& n, const std::string& key) const {
        if (!n.is_boolean()) fail(&n, key, "expected true or false");
        return n.as_boolean()->get();
    }

    // A string or a list of strings.
    std::vector<std::string> texts(const toml::node& n, const std::string& key, const std::string& accepted) const {
        std::vector<std::string> out;
        if (n.is_string()) return {n.as_string()->get()};
        if (!n.is_array()) fail(&n, key, "expected " + accepted);
        for (const auto& e : *n.as_array()) out.push_back(text(e, key, accepted));
        if (out.empty()) fail(&n, key, "is empty; expected " + accepted);
        return out;
    }

    Distance distance(const toml::node& n, const std::string& key) const {
        std::string t = text(n, key, "a distance with a unit, e.g. \"800m\", \"0.5mi\"");
        try {
            return parse_distance(t, key);
        } catch (const Error& e) {
            fail(&n, "", e.what());
        }
    }

    std::string path(const std::string& p) const { return p.empty() ? p : (base_ / p).lexically_normal().string(); }

    // An input: "file.geojson" or { path = "...", layer, id, name, lat, lon, wkt, crs }.
    InputSpec input(const toml::node& n, const std::string& key) const {
        InputSpec s;
        const std::string accepted = "a file name, or a table { path = \"...\", layer, id, name, lat, lon, wkt, crs }";
        if (n.is_string()) {
            s.path = path(n.as_string()->get());
            return s;
        }
        if (!n.is_table()) fail(&n, key, "expected " + accepted);
        const toml::table& t = *n.as_table();
        only(t, key, {"path", "layer", "id", "name", "lat", "lon", "wkt", "crs"});
        const toml::node* p = t.get("path");
        if (!p) fail(&n, key, "needs path = \"...\"");
        s.path = path(text(*p, key + ".path", "a file name"));
        auto field = [&](const char* k, std::string& into) {
            if (const toml::node* v = t.get(k)) into = text(*v, key + "." + k, "a name");
        };
        field("layer", s.layer);
        field("id", s.id_field);
        field("name", s.name_field);
        field("lat", s.lat_field);
        field("lon", s.lon_field);
        field("wkt", s.wkt_field);
        field("crs", s.crs);
        return s;
    }

    const fs::path& file() const { return file_; }

private:
    fs::path file_, base_;
};

}  // namespace

Plan read_plan(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) throw_input(file.string() + ": plan file not found");
    if (fs::is_directory(file, ec)) throw_input(file.string() + ": is a folder; expected a plan file (TOML), e.g. data/charlotte/plan.toml");
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw_input(file.string() + ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column) + ": " +
                    std::string(e.description()) + " (a plan file is TOML; see docs/user-guide.md#plan-files)");
    }
    PlanReader r(file);
    Plan plan;
    plan.file = file;
    r.only(root, "", {"title", "name", "attribution", "formats", "out_crs", "inputs", "coverage", "network", "travel", "site", "report", "route"});

    plan.name = fs::absolute(file).parent_path().filename().string();
    if (const auto* n = root.get("name")) plan.name = r.text(*n, "name", "a folder name for the default output folder out/NAME");
    if (plan.name.empty() || plan.name.find('/') != std::string::npos || plan.name == "." || plan.name == "..")
        r.fail(root.get("name"), "name", "'" + plan.name + "' cannot name an output folder; expected e.g. \"charlotte\"");
    plan.title = plan.name;
    if (const auto* n = root.get("title")) plan.title = r.text(*n, "title", "the report's title, e.g. \"Charlotte: National Night Out\"");
    if (const auto* n = root.get("attribution")) plan.attribution = r.texts(*n, "attribution", "a data credit or a list of them");
    if (const auto* n = root.get("formats")) {
        plan.formats.clear();
        for (const auto& f : r.texts(*n, "formats", "a list of formats: geojson, gpkg, fgb, shp, kml")) {
            try {
                plan.formats.push_back(parse_format(f));
            } catch (const Error&) {
                r.fail(n, "formats", "unknown format '" + f + "'; expected geojson, gpkg, fgb, shp or kml");
            }
        }
    }

    if (const auto* n = root.get("out_crs")) {
        const std::string code = r.text(*n, "out_crs", "an EPSG code, e.g. \"EPSG:2264\"");
        try {
            plan.out_crs = parse_out_crs(code, "out_crs");
        } catch (const Error& e) {
            r.fail(n, "", e.what());
        }
    }

    // [inputs]
    const toml::table* inputs = r.table(root, "inputs");
    if (!inputs) throw_input(file.string() + ": needs an [inputs] table with at least areas and events");
    r.only(*inputs, "inputs", {"areas", "events", "stations", "population", "population_field", "crs"});
    CoverageJob& cj = plan.coverage;
    for (const char* key : {"areas", "events"})
        if (!inputs->get(key)) r.fail(root.get("inputs"), "inputs", std::string("needs ") + key + " = \"FILE\"");
    cj.areas = r.input(*inputs->get("areas"), "inputs.areas");
    cj.events = r.input(*inputs->get("events"), "inputs.events");
    if (const auto* n = inputs->get("stations")) cj.stations = r.input(*n, "inputs.stations");
    if (const auto* n = inputs->get("population")) cj.population = r.input(*n, "inputs.population");
    if (const auto* n = inputs->get("population_field")) cj.population_field = r.text(*n, "inputs.population_field", "a field name");
    if (!cj.population.path.empty() && cj.population_field.empty())
        r.fail(inputs->get("population"), "inputs.population", "needs population_field, the count field of the population layer");
    if (const auto* n = inputs->get("crs")) {
        std::string crs = r.text(*n, "inputs.crs", "a CRS for inputs that carry none, e.g. \"EPSG:2264\"");
        for (InputSpec* s : {&cj.areas, &cj.events, &cj.stations, &cj.population})
            if (s->crs.empty()) s->crs = crs;
    }

    // [network]
    if (const toml::table* net = r.table(root, "network")) {
        r.only(*net, "network", {"path", "profile", "trim", "max_snap", "service_areas", "layer"});
        const auto* p = net->get("path");
        if (!p) r.fail(root.get("network"), "network", "needs path = \"roads.osm.pbf\" (an OSM extract, a centerline layer or a .graph file)");
        cj.network.path = r.path(r.text(*p, "network.path", "a file name"));
        if (const auto* n = net->get("profile")) {
            std::string profile = r.text(*n, "network.profile", "walk, bike, drive or a profile file");
            if (profile != "walk" && profile != "bike" && profile != "drive") profile = r.path(profile);
            cj.network.profile = profile;
            cj.network.profile_given = true;
        }
        if (const auto* n = net->get("layer")) cj.network.layer = r.text(*n, "network.layer", "a layer name");
        if (const auto* n = net->get("trim")) cj.trim_m = r.distance(*n, "network.trim").meters;
        if (const auto* n = net->get("max_snap")) cj.max_snap_m = r.distance(*n, "network.max_snap").meters;
        if (const auto* n = net->get("service_areas")) {
            cj.service_areas = r.text(*n, "network.service_areas", "dissolve, per-event or split");
            if (cj.service_areas != "dissolve" && cj.service_areas != "per-event" && cj.service_areas != "split")
                r.fail(n, "network.service_areas", "'" + cj.service_areas + "'; expected dissolve, per-event or split");
        }
    }

    // [coverage]
    const toml::table* cov = r.table(root, "coverage");
    if (!cov) throw_input(file.string() + ": needs a [coverage] table with radius = [\"400m\", \"800m\"] (or minutes = [5, 10, 15] with [network])");
    r.only(*cov, "coverage", {"radius", "minutes", "min_coverage"});
    const auto* radius = cov->get("radius");
    const auto* minutes = cov->get("minutes");
    if (radius && minutes) r.fail(minutes, "coverage.minutes", "give radius or minutes, not both");
    if (!radius && !minutes)
        r.fail(root.get("coverage"), "coverage", "needs radius = [\"400m\", \"800m\"] (or minutes = [5, 10, 15] with [network])");
    if (radius) {
        std::set<double> seen;
        const std::string accepted = "a distance with a unit or a list of them, e.g. [\"400m\", \"800m\"]";
        if (radius->is_array()) {
            for (const auto& e : *radius->as_array()) cj.options.radii.push_back(r.distance(e, "coverage.radius"));
            if (cj.options.radii.empty()) r.fail(radius, "coverage.radius", "is empty; expected " + accepted);
        } else {
            cj.options.radii.push_back(r.distance(*radius, "coverage.radius"));
        }
        for (const auto& d : cj.options.radii)
            if (!seen.insert(d.meters).second) r.fail(radius, "coverage.radius", "'" + d.label + "' is given twice");
    }
    if (minutes) {
        if (cj.network.path.empty()) r.fail(minutes, "coverage.minutes", "travel time needs a [network] table (path, profile)");
        const std::string accepted = "positive numbers of minutes, e.g. [5, 10, 15]";
        std::vector<const toml::node*> items;
        if (minutes->is_array())
            for (const auto& e : *minutes->as_array()) items.push_back(&e);
        else
            items.push_back(minutes);
        if (items.empty()) r.fail(minutes, "coverage.minutes", "is empty; expected " + accepted);
        std::set<double> seen;
        for (const auto* e : items) {
            double m = r.number(*e, "coverage.minutes", accepted);
            if (!(m > 0)) r.fail(e, "coverage.minutes", "expected " + accepted);
            if (!seen.insert(m).second) r.fail(e, "coverage.minutes", "a break is given twice");
            cj.minutes.push_back(m);
        }
    }
    if (const auto* n = cov->get("min_coverage")) {
        cj.options.min_coverage = r.number(*n, "coverage.min_coverage", "a share between 0 and 1, e.g. 0.5");
        if (!(cj.options.min_coverage >= 0 && cj.options.min_coverage <= 1))
            r.fail(n, "coverage.min_coverage", "expected a share between 0 and 1, e.g. 0.5");
    }

    // [travel]
    if (const toml::table* tr = r.table(root, "travel")) {
        r.only(*tr, "travel", {"enabled"});
        plan.travel = true;
        if (const auto* n = tr->get("enabled")) plan.travel = r.boolean(*n, "travel.enabled");
        if (plan.travel && cj.stations.path.empty()) r.fail(root.get("travel"), "travel", "needs inputs.stations (distances from each station to each event)");
    }

    // [site]
    if (const toml::table* st = r.table(root, "site")) {
        r.only(*st, "site", {"model", "k", "radius", "minutes", "candidates", "keep_events", "grid", "target", "exact", "time_limit", "seed"});
        SiteJob sj;
        // With a [network], costs follow the streets (travel time, or street distance with a radius).
        sj.network = cj.network;
        sj.max_snap_m = cj.max_snap_m;
        sj.demand = cj.areas;
        sj.population_field = cj.population_field;
        if (!cj.population.path.empty())
            r.fail(root.get("site"), "site", "site suggestions take their demand from the areas' population_field; a separate [inputs] population layer is not supported for [site]");
        const auto* model = st->get("model");
        if (!model) r.fail(root.get("site"), "site", "needs model = \"mclp\" (or lscp, pmedian, pcenter)");
        sj.model = r.text(*model, "site.model", "mclp, lscp, pmedian or pcenter");
        if (sj.model != "mclp" && sj.model != "lscp" && sj.model != "pmedian" && sj.model != "pcenter")
            r.fail(model, "site.model", "'" + sj.model + "'; expected mclp, lscp, pmedian or pcenter");
        if (const auto* n = st->get("k")) {
            double k = r.number(*n, "site.k", "a whole number of new sites, e.g. 10");
            if (!(k >= 0) || k != static_cast<double>(static_cast<int>(k))) r.fail(n, "site.k", "expected a whole number of new sites, e.g. 10");
            sj.k = static_cast<int>(k);
        }
        if (const auto* n = st->get("radius")) sj.radius = r.distance(*n, "site.radius");
        if (const auto* n = st->get("minutes")) {
            if (cj.network.path.empty()) r.fail(n, "site.minutes", "travel time needs a [network] table (path, profile)");
            if (sj.radius) r.fail(n, "site.minutes", "give radius or minutes, not both");
            const double m = r.number(*n, "site.minutes", "a positive number of minutes, e.g. 10");
            if (!(m > 0)) r.fail(n, "site.minutes", "expected a positive number of minutes, e.g. 10");
            sj.minutes = m;
        }
        if (!sj.radius && !sj.minutes) {  // the widest coverage break
            if (!cj.minutes.empty()) sj.minutes = cj.minutes.back();
            else if (!cj.options.radii.empty()) sj.radius = cj.options.radii.back();
        }
        const auto* cand = st->get("candidates");
        if (!cand) r.fail(root.get("site"), "site", "needs candidates = [\"parks.geojson\", ...], the places new events could be held");
        const std::string accepted = "a file or a list of files (or tables { path, layer, id, name })";
        if (cand->is_array()) {
            for (const auto& e : *cand->as_array()) sj.candidates.push_back(r.input(e, "site.candidates"));
            if (sj.candidates.empty()) r.fail(cand, "site.candidates", "is empty; expected " + accepted);
        } else {
            sj.candidates.push_back(r.input(*cand, "site.candidates"));
        }
        if (const auto* n = st->get("keep_events")) plan.keep_events = r.boolean(*n, "site.keep_events");
        if (plan.keep_events) sj.required.push_back(cj.events);
        if (const auto* n = st->get("grid")) sj.grid = r.distance(*n, "site.grid");
        if (const auto* n = st->get("target")) sj.target = r.text(*n, "site.target", "a share such as \"95%\"");
        if (const auto* n = st->get("exact")) sj.exact = r.boolean(*n, "site.exact");
        if (const auto* n = st->get("time_limit")) sj.time_limit_s = r.number(*n, "site.time_limit", "seconds, e.g. 60");
        if (const auto* n = st->get("seed")) sj.seed = static_cast<std::uint64_t>(r.number(*n, "site.seed", "a whole number"));
        plan.site = std::move(sj);
    }

    // [route]: officer visits to the events, from the stations
    if (const toml::table* rt = r.table(root, "route")) {
        r.only(*rt, "route", {"officers", "stations", "window", "duration", "speed", "profile", "balance", "time_limit", "iterations", "seed"});
        RouteJob rj;
        rj.events = cj.events;
        rj.stations = cj.stations;
        const auto* off = rt->get("officers");
        if (!off) r.fail(root.get("route"), "route", "needs officers = \"officers.csv\" (id, start station, shift_start, shift_end)");
        rj.officers = r.input(*off, "route.officers");
        if (const auto* n = rt->get("stations")) rj.stations = r.input(*n, "route.stations");
        if (const auto* n = rt->get("window")) rj.window = r.text(*n, "route.window", "a default event window, e.g. \"18:00-21:00\"");
        if (const auto* n = rt->get("duration")) {
            rj.duration_min = r.number(*n, "route.duration", "minutes per visit, e.g. 15");
            if (!(rj.duration_min >= 0)) r.fail(n, "route.duration", "expected minutes per visit, e.g. 15");
        }
        if (const auto* n = rt->get("speed")) {
            rj.speed_kmh = r.number(*n, "route.speed", "km/h in straight lines, e.g. 30");
            if (!(rj.speed_kmh > 0)) r.fail(n, "route.speed", "expected a positive speed in km/h, e.g. 30");
        }
        // Officers drive: with a [network] the route step uses its streets with its own profile.
        if (!cj.network.path.empty()) {
            rj.network = cj.network;
            rj.network.profile = "drive";
            rj.max_snap_m = cj.max_snap_m;
        }
        if (const auto* n = rt->get("profile")) {
            if (cj.network.path.empty()) r.fail(n, "route.profile", "a profile needs a [network] table (path)");
            rj.network.profile = r.text(*n, "route.profile", "walk, bike, drive or a profile file");
        }
        rj.network.profile_given = !rj.network.path.empty();
        if (const auto* n = rt->get("balance")) rj.balance = r.boolean(*n, "route.balance");
        if (const auto* n = rt->get("time_limit")) {
            rj.time_limit_s = r.number(*n, "route.time_limit", "seconds, e.g. 10");
            if (!(rj.time_limit_s > 0)) r.fail(n, "route.time_limit", "expected a positive number of seconds, e.g. 10");
        }
        if (const auto* n = rt->get("iterations")) {
            const double it = r.number(*n, "route.iterations", "a whole number of solver iterations, e.g. 50000");
            if (!(it >= 1) || it != static_cast<double>(static_cast<std::uint64_t>(it)))
                r.fail(n, "route.iterations", "expected a whole number of solver iterations, e.g. 50000");
            rj.iterations = static_cast<std::uint64_t>(it);
        }
        if (const auto* n = rt->get("seed")) rj.seed = static_cast<std::uint64_t>(r.number(*n, "route.seed", "a whole number"));
        plan.route = std::move(rj);
    }

    // [report]
    if (const toml::table* rep = r.table(root, "report")) {
        r.only(*rep, "report", {"basemap", "basemap_attribution", "rows"});
        if (const auto* n = rep->get("basemap")) plan.basemap_url = r.text(*n, "report.basemap", "a tile URL template, e.g. \"https://tile.openstreetmap.org/{z}/{x}/{y}.png\"");
        if (const auto* n = rep->get("basemap_attribution")) plan.basemap_attribution = r.text(*n, "report.basemap_attribution", "the tile provider's credit");
        if (const auto* n = rep->get("rows")) {
            double rows = r.number(*n, "report.rows", "a number of table rows, e.g. 25");
            if (!(rows >= 1 && rows <= 100000)) r.fail(n, "report.rows", "expected a number of table rows from 1, e.g. 25");
            plan.table_rows = static_cast<std::size_t>(rows);
        }
    }
    return plan;
}

}  // namespace nightout
