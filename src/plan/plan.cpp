#include "plan/plan.hpp"

#include "core/error.hpp"
#include "core/units.hpp"
#include "options/schema.hpp"
#include "program/options.hpp"

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
        throw_input(where(node) + ": " + (key.empty() ? "" : key + ": ") + message);
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

    // Applies the table's keys that `schema` declares to `target`, each checked by its one
    // rule; the other keys must be among `also` (handled by the caller).
    template <class Target>
    void bind(const toml::table& t, const std::string& table, const options::Schema<Target>& schema, std::initializer_list<const char*> also,
              Target& target) const {
        std::vector<std::string> known(also.begin(), also.end());
        for (const auto& k : options::keys(schema, table)) known.push_back(k);
        for (const auto& [k, v] : t) {
            const std::string full = table + "." + std::string(k.str());
            const auto* option = [&]() -> const options::Option<Target>* {
                for (const auto& o : schema)
                    if (o.key == full) return &o;
                return nullptr;
            }();
            if (option) {
                options::Origin origin{options::Origin::Kind::Plan, where(&v) + ": " + table + "." + std::string(k.str())};
                option->apply(target, raw(v, origin), origin);
                continue;
            }
            bool ok = false;
            for (const char* name : also) ok = ok || k.str() == name;
            if (ok) continue;
            std::string list;
            for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
            fail(&v, table + "." + std::string(k.str()), "unknown key; [" + table + "] accepts " + list);
        }
    }

    std::string where(const toml::node* node) const {
        std::string w = file_.string();
        if (node && node->source().begin) w += ":" + std::to_string(node->source().begin.line);
        return w;
    }

    options::Raw raw(const toml::node& n, const options::Origin& origin) const {
        if (n.is_array()) {  // a list of scalars, as the command line writes it: "400m,800m"
            std::string joined;
            for (const auto& e : *n.as_array()) {
                if (e.is_array() || e.is_table()) options::reject(origin, "expected a list of values, not a nested list or table");
                const std::string text = options::text_of(raw(e, origin));
                if (text.find(',') != std::string::npos) options::reject(origin, "'" + text + "': a list item cannot hold a comma");
                joined += (joined.empty() ? "" : ",") + text;
            }
            if (joined.empty()) options::reject(origin, "is an empty list");
            return joined;
        }
        if (n.is_string()) return n.as_string()->get();
        if (n.is_integer()) return n.as_integer()->get();
        if (n.is_floating_point()) return n.as_floating_point()->get();
        if (n.is_boolean()) return n.as_boolean()->get();
        options::reject(origin, "expected a single value (text, number or true/false), not a table or list");
    }

    std::string path(const std::string& p) const { return p.empty() ? p : (base_ / p).lexically_normal().string(); }

    // An input: "file.geojson" or { path = "...", layer, id, name, lat, lon, wkt, crs }.
    InputSpec input(const toml::node& n, const std::string& key) const {
        InputSpec s;
        s.skip_bad_rows = skip_bad_rows;
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
    bool skip_bad_rows = false;  // [inputs] skip_bad_rows: for every input of the plan

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
    r.only(root, "", {"title", "name", "attribution", "formats", "out_crs", "inputs", "coverage", "network", "travel", "site", "report", "route", "program"});

    plan.name = fs::absolute(file).parent_path().filename().string();
    if (const auto* n = root.get("name")) plan.name = r.text(*n, "name", "a folder name for the default output folder out/NAME");
    if (plan.name.empty() || plan.name.find('/') != std::string::npos || plan.name == "." || plan.name == "..")
        r.fail(root.get("name"), "name", "'" + plan.name + "' cannot name an output folder; expected e.g. \"charlotte\"");
    plan.title = plan.name;
    if (const auto* n = root.get("title")) plan.title = r.text(*n, "title", "the report's title, e.g. \"Charlotte: National Night Out\"");
    if (const auto* n = root.get("attribution")) plan.attribution = r.texts(*n, "attribution", "a data credit or a list of them");
    if (const auto* n = root.get("formats")) {
        const options::Origin origin{options::Origin::Kind::Plan, r.where(n) + ": formats"};
        plan.formats = options::formats(r.raw(*n, origin), origin);
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
    r.only(*inputs, "inputs", {"areas", "events", "stations", "population", "population_field", "crs", "skip_bad_rows", "groups", "incidents"});
    if (const auto* n = inputs->get("skip_bad_rows")) r.skip_bad_rows = r.boolean(*n, "inputs.skip_bad_rows");
    CoverageJob& cj = plan.coverage;
    for (const char* key : {"areas", "events"})
        if (!inputs->get(key)) r.fail(root.get("inputs"), "inputs", std::string("needs ") + key + " = \"FILE\"");
    cj.areas = r.input(*inputs->get("areas"), "inputs.areas");
    cj.events = r.input(*inputs->get("events"), "inputs.events");
    if (const auto* n = inputs->get("stations")) cj.stations = r.input(*n, "inputs.stations");
    if (const auto* n = inputs->get("population")) cj.population = r.input(*n, "inputs.population");
    if (const auto* n = inputs->get("population_field")) cj.population_field = r.text(*n, "inputs.population_field", "a field name");
    // [inputs.groups]: black = { field = "p9", kind = "share" }, or black = "p9:share" as on the command line.
    if (const toml::table* groups = r.table(*inputs, "groups")) {
        for (const auto& [name, v] : *groups) {
            const std::string key = "inputs.groups." + std::string(name.str());
            const options::Origin origin{options::Origin::Kind::Plan, r.where(&v) + ": " + key};
            std::string spec = std::string(name.str()) + "=";
            if (const auto* t = v.as_table()) {
                r.only(*t, key, {"field", "kind"});
                if (!t->get("field")) r.fail(&v, key, "needs field = \"FIELD\", e.g. { field = \"p9\", kind = \"share\" }");
                spec += r.text(*t->get("field"), key + ".field", "a field name");
                if (const auto* k = t->get("kind")) spec += ":" + r.text(*k, key + ".kind", "share or count");
            } else {
                spec += r.text(v, key, "{ field = \"p9\", kind = \"share\" } or \"p9:share\"");
            }
            cj.equity.groups.push_back(parse_group(spec, origin));
        }
    }
    if (const auto* n = inputs->get("incidents")) cj.equity.incidents = r.input(*n, "inputs.incidents");
    if (!cj.population.path.empty() && cj.population_field.empty())
        r.fail(inputs->get("population"), "inputs.population", "needs population_field, the count field of the population layer");
    if (const auto* n = inputs->get("crs")) {
        std::string crs = r.text(*n, "inputs.crs", "a CRS for inputs that carry none, e.g. \"EPSG:2264\"");
        for (InputSpec* s : {&cj.areas, &cj.events, &cj.stations, &cj.population, &cj.equity.incidents})
            if (s->crs.empty()) s->crs = crs;
    }

    // [network]
    if (const toml::table* net = r.table(root, "network")) {
        r.bind(*net, "network", options::coverage_schema(), {"path", "profile", "layer"}, cj);
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
    }

    // [coverage]
    const toml::table* cov = r.table(root, "coverage");
    if (!cov) throw_input(file.string() + ": needs a [coverage] table with radius = [\"400m\", \"800m\"] (or minutes = [5, 10, 15] with [network])");
    r.bind(*cov, "coverage", options::coverage_schema(), {}, cj);
    const auto* radius = cov->get("radius");
    const auto* minutes = cov->get("minutes");
    if (radius && minutes) r.fail(minutes, "coverage.minutes", "give radius or minutes, not both");
    if (!radius && !minutes)
        r.fail(root.get("coverage"), "coverage", "needs radius = [\"400m\", \"800m\"] (or minutes = [5, 10, 15] with [network])");
    if (minutes && cj.network.path.empty()) r.fail(minutes, "coverage.minutes", "travel time needs a [network] table (path, profile)");

    // A step's own network: `network` (a path) where it differs from [network], `profile`
    // where it is not the step's default. Officers drive unless the plan says otherwise.
    auto step_network = [&](const toml::table& t, const std::string& step) {
        NetworkOptions n = cj.network;
        if (const auto* p = t.get("network")) {
            n = NetworkOptions{};
            n.path = r.path(r.text(*p, step + ".network", "a road network file (OSM extract, centerline layer or .graph)"));
        }
        if (n.path.empty()) {
            if (const auto* p = t.get("profile")) r.fail(p, step + ".profile", "a profile needs a network: a [network] table or " + step + ".network");
            return n;
        }
        n.profile = "drive";
        if (const auto* p = t.get("profile")) {
            std::string profile = r.text(*p, step + ".profile", "walk, bike, drive or a profile file");
            if (profile != "walk" && profile != "bike" && profile != "drive") profile = r.path(profile);
            n.profile = profile;
        }
        n.profile_given = true;
        return n;
    };

    // [travel]
    if (const toml::table* tr = r.table(root, "travel")) {
        r.only(*tr, "travel", {"enabled", "profile", "network"});
        bool enabled = true;
        if (const auto* n = tr->get("enabled")) enabled = r.boolean(*n, "travel.enabled");
        if (enabled && cj.stations.path.empty()) r.fail(root.get("travel"), "travel", "needs inputs.stations (distances from each station to each event)");
        if (enabled) plan.travel = Plan::Travel{step_network(*tr, "travel"), cj.max_snap_m};
    }

    // [site]
    if (const toml::table* st = r.table(root, "site")) {
        SiteJob sj;
        sj.max_offset_m = cj.max_offset_m;  // coverage.max_offset, unless site.max_offset is given
        r.bind(*st, "site", options::site_schema(), {"candidates", "keep_events"}, sj);
        // With a [network], costs follow the streets (travel time, or street distance with a radius).
        sj.network = cj.network;
        sj.max_snap_m = cj.max_snap_m;
        sj.demand = cj.areas;
        sj.population_field = cj.population_field;
        sj.groups = cj.equity.groups;
        sj.priority = cj.equity.priority;
        if (!cj.population.path.empty())
            r.fail(root.get("site"), "site", "site suggestions take their demand from the areas' population_field; a separate [inputs] population layer is not supported for [site]");
        if (!st->get("model")) r.fail(root.get("site"), "site", "needs model = \"mclp\" (or lscp, pmedian, pcenter)");
        if (const auto* n = st->get("minutes")) {
            if (cj.network.path.empty()) r.fail(n, "site.minutes", "travel time needs a [network] table (path, profile)");
            if (sj.radius) r.fail(n, "site.minutes", "give radius or minutes, not both");
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
        plan.site = std::move(sj);
    }

    // [route]: officer visits to the events, from the stations
    if (const toml::table* rt = r.table(root, "route")) {
        RouteJob rj;
        rj.max_offset_m = cj.max_offset_m;  // coverage.max_offset, unless route.max_offset is given
        r.bind(*rt, "route", options::route_schema(), {"officers", "stations", "profile", "network", "positions", "done", "previous"}, rj);
        rj.events = cj.events;
        rj.areas = cj.areas;  // drawn on schedule.html's maps, under the plan's title and credits
        rj.title = plan.title;
        for (const std::string& a : plan.attribution) rj.attribution += (rj.attribution.empty() ? "" : "; ") + a;
        rj.stations = cj.stations;
        const auto* off = rt->get("officers");
        if (!off) r.fail(root.get("route"), "route", "needs officers = \"officers.csv\" (id, start station, shift_start, shift_end)");
        rj.officers = r.input(*off, "route.officers");
        if (const auto* n = rt->get("stations")) rj.stations = r.input(*n, "route.stations");
        if (const auto* n = rt->get("positions")) rj.positions = r.input(*n, "route.positions");  // re-planning (with now)
        if (const auto* n = rt->get("done")) rj.done = r.input(*n, "route.done");
        if (const auto* n = rt->get("previous")) rj.previous = r.input(*n, "route.previous");
        // Officers drive: with a network the route step uses its streets with its own profile.
        rj.network = step_network(*rt, "route");
        rj.max_snap_m = cj.max_snap_m;
        plan.route = std::move(rj);
    }

    // [program]: a year-round calendar of events over the areas (src/program)
    if (const toml::table* pg = r.table(root, "program")) {
        ProgramJob pj;
        r.bind(*pg, "program", options::program_schema(), {"candidates", "indoor", "fixed", "teams"}, pj);
        pj.areas = cj.areas;
        pj.population_field = cj.population_field;
        pj.stations = cj.stations;
        pj.network = cj.network;
        pj.max_snap_m = cj.max_snap_m;
        if (!pj.radius && !pj.minutes) {  // the widest coverage break
            if (!cj.minutes.empty()) pj.minutes = cj.minutes.back();
            else if (!cj.options.radii.empty()) pj.radius = cj.options.radii.back();
        }
        const auto* cand = pg->get("candidates");
        if (!cand) r.fail(root.get("program"), "program", "needs candidates = [\"parks.geojson\", ...], the places events can be held");
        if (cand->is_array()) {
            for (const auto& e : *cand->as_array()) pj.candidates.push_back(r.input(e, "program.candidates"));
        } else {
            pj.candidates.push_back(r.input(*cand, "program.candidates"));
        }
        if (const auto* n = pg->get("indoor")) {
            if (n->is_array()) {
                for (const auto& e : *n->as_array()) pj.indoor.push_back(r.path(r.text(e, "program.indoor", "a candidate file")));
            } else {
                pj.indoor.push_back(r.path(r.text(*n, "program.indoor", "a candidate file")));
            }
        }
        if (const auto* n = pg->get("fixed")) pj.fixed = r.input(*n, "program.fixed");
        if (const auto* n = pg->get("teams")) pj.teams = r.input(*n, "program.teams");
        if (!pj.blackout.empty() && std::filesystem::is_regular_file(r.path(pj.blackout))) pj.blackout = r.path(pj.blackout);
        if (pj.from.empty() || pj.to.empty()) r.fail(root.get("program"), "program", "needs from = \"2027-01-01\" and to = \"2027-12-31\"");
        plan.program = std::move(pj);
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
