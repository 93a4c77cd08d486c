#include "equity/equity.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "engine/study.hpp"
#include "geo/geodesic.hpp"
#include "jobs/report.hpp"
#include "write/csv.hpp"
#include "write/layer.hpp"

#include <Eigen/SparseCore>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nightout {

namespace {

bool valid_name(const std::string& s) {
    if (s.empty() || s.size() > 32) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

std::string suffix(const std::vector<Distance>& radii, const Distance& r) { return radii.size() == 1 ? "" : "_" + r.label; }

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

GroupSpec parse_group(const std::string& text, const options::Origin& origin) {
    const std::string accepted = "NAME=FIELD[:share|:count], e.g. black=p9:share (a percent of residents) or hispanic=hisp_pop:count";
    const std::size_t eq = text.find('=');
    if (eq == std::string::npos) options::reject(origin, "'" + text + "' is not accepted; expected " + accepted);
    GroupSpec g;
    g.name = trim(text.substr(0, eq));
    std::string rest = trim(text.substr(eq + 1));
    const std::size_t colon = rest.rfind(':');
    if (colon != std::string::npos) {
        const std::string kind = lower(trim(rest.substr(colon + 1)));
        if (kind != "share" && kind != "count") options::reject(origin, "'" + text + "': kind '" + kind + "' is not accepted; expected share or count");
        g.is_share = kind == "share";
        rest = trim(rest.substr(0, colon));
    }
    g.field = rest;
    if (!valid_name(g.name)) options::reject(origin, "'" + text + "': group name '" + g.name + "' is not accepted; expected letters, digits and _ (at most 32)");
    if (g.field.empty()) options::reject(origin, "'" + text + "': no field; expected " + accepted);
    return g;
}

PrioritySpec parse_priority(const std::string& text, const options::Origin& origin) {
    PrioritySpec p;
    std::string t = trim(text);
    const std::size_t colon = t.rfind(':');
    if (colon != std::string::npos) {
        const std::string end = lower(trim(t.substr(colon + 1)));
        if (end != "high" && end != "low")
            options::reject(origin, "'" + text + "': '" + end + "' is not accepted; expected FIELD:high (high values are needier, e.g. s1:high) or FIELD:low (e.g. m1:low)");
        p.high_is_needier = end == "high";
        t = trim(t.substr(0, colon));
    }
    if (t.empty()) options::reject(origin, "'" + text + "' names no field; expected FIELD[:high|:low], e.g. s1:high");
    p.field = t;
    return p;
}

void load_groups(const std::vector<GroupSpec>& groups, const Dataset& areas, const Dataset* layer, PopulationSource& population, Log& log) {
    if (groups.empty()) return;
    if (population.kind == PopulationSource::Kind::None) throw_usage("--group needs --population-field: a group's share is a percent of the residents");
    for (std::size_t a = 0; a < groups.size(); ++a)
        for (std::size_t b = 0; b < a; ++b)
            if (groups[a].name == groups[b].name) throw_usage("--group: group '" + groups[a].name + "' is given twice");
    population.group_per_area.clear();
    population.group_per_layer.clear();
    const bool from_layer = population.kind == PopulationSource::Kind::Layer;
    for (const GroupSpec& g : groups) {
        if (from_layer && layer->field_index(g.field) < 0 && areas.field_index(g.field) >= 0)
            throw_usage("--group " + g.name + ": field '" + g.field + "' is on the areas, but residents come from the --population layer " + layer->path +
                        "; give the group's field of that layer");
        const Dataset& ds = from_layer ? *layer : areas;
        std::vector<double> v = ds.numeric_field(g.field, log);
        const std::vector<double>& residents = from_layer ? population.layer_values : population.per_area;
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (g.is_share) {
                if (v[i] > 100)
                    throw_input(ds.path + ": " + ds.features[i].where + " (id " + ds.features[i].id + "): field '" + g.field + "' is " + format_number(v[i]) +
                                "; group " + g.name + " is a share, a percent from 0 to 100 (give :count for a number of residents)");
                v[i] = residents[i] * v[i] / 100.0;
            } else if (v[i] > residents[i] * (1 + 1e-9) + 0.5) {
                log.warn(ds.path + ": " + ds.features[i].where + " (id " + ds.features[i].id + "): group " + g.name + " counts " + format_number(v[i]) +
                         " residents, more than the " + format_number(residents[i]) + " of the population field");
            }
        }
        (from_layer ? population.group_per_layer : population.group_per_area).push_back(std::move(v));
    }
}

double weighted_gini(const std::vector<double>& x, const std::vector<double>& w) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (w[i] > 0) order.push_back(i);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    // sum_{i<j} w_i w_j (x_j - x_i) over the sorted values, with running sums of w and w x.
    double total_w = 0, total_wx = 0, pairs = 0;
    for (std::size_t i : order) {
        pairs += w[i] * (x[i] * total_w - total_wx);
        total_w += w[i];
        total_wx += w[i] * x[i];
    }
    if (total_w <= 0 || total_wx <= 0) return 0.0;
    const double mean = total_wx / total_w;
    return 2 * pairs / (2 * total_w * total_w * mean);
}

std::vector<double> priority_index(const std::vector<double>& values, bool high_is_needier) {
    const std::size_t n = values.size();
    std::vector<double> key(values);
    if (!high_is_needier)
        for (double& k : key) k = -k;
    std::vector<double> sorted(key);
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), key[i]) - sorted.begin()) / static_cast<double>(n);
    return out;
}

std::vector<double> e2sfca(const std::vector<std::vector<std::pair<std::size_t, double>>>& weight_of, const std::vector<double>& demand,
                           const std::vector<double>& supply) {
    using Sparse = Eigen::SparseMatrix<double, Eigen::RowMajor>;
    std::vector<Eigen::Triplet<double>> triplets;
    for (std::size_t i = 0; i < weight_of.size(); ++i)
        for (const auto& [j, w] : weight_of[i]) triplets.emplace_back(static_cast<int>(i), static_cast<int>(j), w);
    Sparse W(static_cast<Eigen::Index>(weight_of.size()), static_cast<Eigen::Index>(supply.size()));
    W.setFromTriplets(triplets.begin(), triplets.end());
    const Eigen::Map<const Eigen::VectorXd> p(demand.data(), static_cast<Eigen::Index>(demand.size()));
    const Eigen::Map<const Eigen::VectorXd> s(supply.data(), static_cast<Eigen::Index>(supply.size()));
    // Step 1: each site's supply over the distance-weighted demand around it.
    const Eigen::VectorXd weighted_demand = W.transpose() * p;
    Eigen::VectorXd ratio = Eigen::VectorXd::Zero(s.size());
    for (Eigen::Index j = 0; j < s.size(); ++j)
        if (weighted_demand[j] > 0) ratio[j] = s[j] / weighted_demand[j];
    // Step 2: each area's sum of the ratios of the sites around it, weighted the same way.
    const Eigen::VectorXd a = W * ratio;
    return std::vector<double>(a.data(), a.data() + a.size());
}

api::EquityBreak group_break(const std::string& label, const std::vector<GroupSpec>& groups, const std::vector<double>& population,
                             const std::vector<double>& population_covered, const std::vector<std::vector<double>>& group_residents,
                             const std::vector<std::vector<double>>& group_covered) {
    api::EquityBreak b;
    b.label = label;
    const double pop = sum(population), reached = sum(population_covered);
    b.overall_share = pop > 0 ? reached / pop : 0.0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        api::GroupReach r;
        r.name = groups[g].name;
        r.field = groups[g].field;
        r.kind = groups[g].is_share ? "share" : "count";
        r.population = sum(group_residents[g]);
        r.reached = sum(group_covered[g]);
        r.share = r.population > 0 ? r.reached / r.population : 0.0;
        r.ratio = b.overall_share > 0 ? r.share / b.overall_share : 0.0;
        b.groups.push_back(r);
    }
    const api::GroupReach* best = nullptr;
    const api::GroupReach* worst = nullptr;
    for (const auto& r : b.groups) {
        if (r.population <= 0) continue;
        if (!best || r.share > best->share) best = &r;
        if (!worst || r.share < worst->share) worst = &r;
    }
    if (best) {
        b.gap_points = 100 * (best->share - worst->share);
        b.best = best->name;
        b.worst = worst->name;
    }
    std::vector<double> covered_share(population.size(), 0.0);
    for (std::size_t i = 0; i < population.size(); ++i)
        if (population[i] > 0) covered_share[i] = population_covered[i] / population[i];
    b.gini = weighted_gini(covered_share, population);
    return b;
}

api::EquityResult equity_stage(const EquityOptions& options, const EquityInputs& in, Study& study) {
    Log& log = study.log();
    const CoverageResult& cov = *in.coverage;
    const std::size_t n = in.areas->geoms.size();
    const bool has_pop = !cov.population.empty();
    const std::size_t widest = in.radii.size() - 1;  // the break that colours the maps
    api::EquityResult eq;
    eq.areas.resize(n);
    eq.population_model = !has_pop ? "none" : in.population_from_layer ? "areal interpolation from the population layer" : "uniform density within each area";

    // Groups.
    if (!options.groups.empty()) {
        for (std::size_t k = 0; k < in.radii.size(); ++k) {
            const RadiusResult& rr = cov.per_radius[k];
            eq.breaks.push_back(group_break(in.radii[k].label, options.groups, cov.population, rr.population_covered, cov.group_residents, rr.group_covered));
        }
        for (std::size_t i = 0; i < n; ++i) {
            api::AreaEquity& a = eq.areas[i];
            for (std::size_t g = 0; g < options.groups.size(); ++g) a.group_residents.push_back(cov.group_residents[g][i]);
            for (std::size_t k = 0; k < in.radii.size(); ++k) {
                std::vector<double> reached;
                for (std::size_t g = 0; g < options.groups.size(); ++g) reached.push_back(cov.per_radius[k].group_covered[g][i]);
                a.group_reached.push_back(std::move(reached));
            }
        }
    }

    // Incidents: the areas holding them (first by input order), and those inside each gap.
    if (!options.incidents.path.empty()) {
        const Dataset& inc = study.dataset(options.incidents, GeomKind::Point, "incidents");
        std::vector<double> weight(inc.features.size(), 1.0);
        if (!options.incident_weight.empty()) weight = inc.numeric_field(options.incident_weight, log);
        const ProjectedPoints pinc = project_points(in.pool->main(), *in.to_local, inc);
        const EventsInAreas located = locate_events(*in.pool, *in.areas, pinc);
        std::vector<std::vector<std::size_t>> of_area(n);
        double outside = 0;
        for (std::size_t e = 0; e < located.area_of_event.size(); ++e) {
            if (located.area_of_event[e] < 0) outside += weight[e];
            else of_area[static_cast<std::size_t>(located.area_of_event[e])].push_back(e);
        }
        if (outside > 0) log.warn(inc.path + ": " + format_number(outside) + " incident(s) lie outside every area and are not counted");
        eq.incidents_total = 0;
        eq.incidents_unreached.assign(in.radii.size(), 0.0);
        parallel_for(n, in.pool->size(), [&](unsigned t) {
            return [&, t](std::size_t i) {
                const GeosContext& ctx = (*in.pool)[t];
                api::AreaEquity& a = eq.areas[i];
                double count = 0;
                for (std::size_t e : of_area[i]) count += weight[e];
                a.incidents = count;
                if (has_pop) a.incident_rate = cov.population[i] > 0 ? 1000.0 * count / cov.population[i] : 0.0;
                a.incidents_unreached.assign(in.radii.size(), 0.0);
                for (std::size_t k = 0; k < in.radii.size(); ++k) {
                    const GeomPtr& gap = cov.per_radius[k].gaps[i];
                    if (!gap || of_area[i].empty()) continue;
                    PreparedPtr prepared = prepare(ctx, gap.get());
                    for (std::size_t e : of_area[i]) {
                        GeomPtr pt = make_point(ctx, pinc.xy[e].x, pinc.xy[e].y);
                        if (GEOSPreparedIntersects_r(ctx, prepared.get(), pt.get()) == 1) a.incidents_unreached[k] += weight[e];
                    }
                }
            };
        });
        for (const auto& a : eq.areas) {
            *eq.incidents_total += *a.incidents;
            for (std::size_t k = 0; k < in.radii.size(); ++k) eq.incidents_unreached[k] += a.incidents_unreached[k];
        }
    }

    // Priority: a field's quantile, else incidents per 1,000 residents.
    std::vector<double> value;
    bool high = true;
    if (options.priority) {
        value = in.area_data->numeric_field(options.priority->field, log);
        high = options.priority->high_is_needier;
        eq.priority_source = "field " + options.priority->field + (high ? " (high values are needier)" : " (low values are needier)");
    } else if (!options.incidents.path.empty()) {
        if (!has_pop) throw_usage("--incidents: a priority from incidents per 1,000 residents needs --population-field (or give --priority FIELD)");
        for (const auto& a : eq.areas) value.push_back(*a.incident_rate);
        eq.priority_source = options.incident_weight.empty() ? "incidents per 1,000 residents" : "incidents (weighted by " + options.incident_weight + ") per 1,000 residents";
    }
    if (!value.empty()) {
        const std::vector<double> index = priority_index(value, high);
        // Ranked by priority-weighted unreached residents (or unreached area) at the widest break.
        std::vector<double> score(n);
        const RadiusResult& rr = cov.per_radius[widest];
        for (std::size_t i = 0; i < n; ++i) {
            api::AreaEquity& a = eq.areas[i];
            a.priority_value = value[i];
            a.priority_index = index[i];
            a.priority_area = index[i] > eq.priority_threshold;
            eq.priority_areas += a.priority_area ? 1 : 0;
            score[i] = index[i] * (has_pop ? rr.gap_population[i] : rr.gap_m2[i]);
        }
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
        for (std::size_t r = 0; r < n; ++r) eq.areas[order[r]].priority_rank = static_cast<int>(r + 1);
    }

    // E2SFCA access from each area's representative point to every event, straight-line.
    if (options.access) {
        if (in.by_network) throw_usage("--access: accessibility is computed along straight lines; leave out --network (or --access)");
        if (!has_pop) throw_usage("--access needs --population-field: E2SFCA divides each event among the residents around it");
        std::vector<std::size_t> by_reach(in.radii.size());
        std::iota(by_reach.begin(), by_reach.end(), 0);
        std::sort(by_reach.begin(), by_reach.end(), [&](std::size_t a, std::size_t b) { return in.radii[a].meters < in.radii[b].meters; });
        std::vector<double> weights = options.access_weights;
        if (weights.empty()) {
            const double defaults[] = {1.0, 0.68, 0.22};
            if (in.radii.size() > 3) throw_usage("--access: give --access-weights, one per break (" + std::to_string(in.radii.size()) + "), e.g. 1,0.68,0.22,0.1");
            for (std::size_t k = 0; k < in.radii.size(); ++k) weights.push_back(defaults[k]);
        }
        if (weights.size() != in.radii.size())
            throw_usage("--access-weights: " + std::to_string(weights.size()) + " weight(s) for " + std::to_string(in.radii.size()) + " break(s); give one per break, nearest first");
        // weights[r] belongs to the r-th nearest break.
        eq.access_weights.assign(in.radii.size(), 0.0);
        for (std::size_t r = 0; r < by_reach.size(); ++r) eq.access_weights[by_reach[r]] = weights[r];
        const double r_max = in.radii[by_reach.back()].meters;
        const PointIndex index(in.pool->main(), in.events->lonlat, in.events->xy, in.scale_bound);
        std::vector<std::vector<std::pair<std::size_t, double>>> weight_of(n);
        parallel_for(n, in.pool->size(), [&](unsigned t) {
            return [&, t](std::size_t i) {
                const LonLat& p = in.areas->rep_lonlat[i];
                for (std::size_t j : index.within((*in.pool)[t], p, in.areas->rep_xy[i], r_max)) {
                    const double d = geodesic_distance(p.lon, p.lat, in.events->lonlat[j].lon, in.events->lonlat[j].lat);
                    for (std::size_t r = 0; r < by_reach.size(); ++r)
                        if (d <= in.radii[by_reach[r]].meters) {
                            weight_of[i].push_back({j, weights[r]});
                            break;
                        }
                }
            };
        });
        const std::vector<double> access = e2sfca(weight_of, cov.population, std::vector<double>(in.events->lonlat.size(), 1.0));
        double weighted = 0;
        for (std::size_t i = 0; i < n; ++i) {
            eq.areas[i].access = 1000.0 * access[i];
            weighted += cov.population[i] * 1000.0 * access[i];
        }
        const double pop = sum(cov.population);
        eq.access_mean = pop > 0 ? weighted / pop : 0.0;
    }
    return eq;
}

nlohmann::json to_json(const api::EquityResult& eq, const std::vector<GroupSpec>& groups) {
    nlohmann::json j;
    j["population_model"] = eq.population_model;
    if (!groups.empty()) {
        j["note"] = "Groups are residents, not attendees; they may overlap (e.g. Hispanic of any race) and need not sum to the population";
        for (const auto& b : eq.breaks) {
            nlohmann::json jb{{"label", b.label}, {"overall_share", round_to(b.overall_share, 1e-6)}, {"gini", round_to(b.gini, 1e-6)}};
            jb["gap_points"] = b.gap_points ? nlohmann::json(round_to(*b.gap_points, 1e-4)) : nlohmann::json(nullptr);
            jb["best"] = b.best;
            jb["worst"] = b.worst;
            for (const auto& g : b.groups)
                jb["groups"].push_back({{"name", g.name}, {"field", g.field}, {"kind", g.kind}, {"population", round_to(g.population, 0.01)},
                                        {"reached", round_to(g.reached, 0.01)}, {"not_reached", round_to(g.population - g.reached, 0.01)},
                                        {"share", round_to(g.share, 1e-6)}, {"ratio", round_to(g.ratio, 1e-6)}});
            j["breaks"].push_back(std::move(jb));
        }
    }
    if (eq.priority_source) {
        std::vector<std::pair<int, std::size_t>> top;
        for (std::size_t i = 0; i < eq.areas.size(); ++i)
            if (eq.areas[i].priority_rank) top.push_back({*eq.areas[i].priority_rank, i});
        std::sort(top.begin(), top.end());
        j["priority"] = {{"source", *eq.priority_source},
                         {"index", "the share of areas no needier than the area (ties share the highest); priority areas lie above the threshold"},
                         {"threshold", eq.priority_threshold},
                         {"areas", eq.priority_areas},
                         {"ranking", "by priority index x residents not reached at the widest break"}};
    }
    if (eq.incidents_total) {
        j["incidents"] = {{"total", round_to(*eq.incidents_total, 1e-6)}, {"not_reached", nlohmann::json::array()}};
        for (double v : eq.incidents_unreached) j["incidents"]["not_reached"].push_back(round_to(v, 1e-6));
    }
    if (eq.access_mean) {
        j["access"] = {{"method", "E2SFCA (Luo and Qi 2009), straight-line from each area's representative point; one unit of supply per event"},
                       {"unit", "events per 1,000 residents"},
                       {"weights", eq.access_weights},
                       {"population_weighted_mean", round_to(*eq.access_mean, 1e-9)}};
    }
    return j;
}

void add_equity_fields(OutLayer& nb, const api::EquityResult& eq, const std::vector<GroupSpec>& groups, const std::vector<Distance>& radii) {
    auto field = [&](const std::string& name, FieldType type, bool boolean = false) {
        return nb.add_field(nb.find(name) >= 0 ? "equity_" + name : name, type, boolean);
    };
    struct GroupCols {
        std::size_t residents;
        std::vector<std::size_t> reached, unreached;
    };
    std::vector<GroupCols> gc;
    for (const GroupSpec& g : groups) {
        GroupCols c{field("grp_" + g.name, FieldType::Real), {}, {}};
        for (const Distance& r : radii) {
            c.reached.push_back(field("grp_" + g.name + "_reached" + suffix(radii, r), FieldType::Real));
            c.unreached.push_back(field("grp_" + g.name + "_unreached" + suffix(radii, r), FieldType::Real));
        }
        gc.push_back(std::move(c));
    }
    const bool has_priority = eq.priority_source.has_value(), has_incidents = eq.incidents_total.has_value(), has_access = eq.access_mean.has_value();
    std::size_t p_value = 0, p_index = 0, p_area = 0, p_rank = 0, i_count = 0, i_rate = 0, a_access = 0;
    std::vector<std::size_t> i_unreached;
    if (has_priority) {
        p_value = field("priority_value", FieldType::Real);
        p_index = field("priority_index", FieldType::Real);
        p_area = field("priority", FieldType::Integer, true);
        p_rank = field("priority_rank", FieldType::Integer);
    }
    if (has_incidents) {
        i_count = field("incidents", FieldType::Real);
        i_rate = field("incident_rate", FieldType::Real);
        for (const Distance& r : radii) i_unreached.push_back(field("incidents_unreached" + suffix(radii, r), FieldType::Real));
    }
    if (has_access) a_access = field("access", FieldType::Real);
    for (std::size_t i = 0; i < nb.rows.size(); ++i) {
        std::vector<Value>& row = nb.rows[i];
        row.resize(nb.fields.size());
        const api::AreaEquity& a = eq.areas[i];
        for (std::size_t g = 0; g < gc.size(); ++g) {
            row[gc[g].residents] = round_to(a.group_residents[g], 0.01);
            for (std::size_t k = 0; k < radii.size(); ++k) {
                row[gc[g].reached[k]] = round_to(a.group_reached[k][g], 0.01);
                row[gc[g].unreached[k]] = round_to(a.group_residents[g] - a.group_reached[k][g], 0.01);
            }
        }
        if (has_priority) {
            row[p_value] = *a.priority_value;
            row[p_index] = round_to(*a.priority_index, 1e-6);
            row[p_area] = static_cast<std::int64_t>(a.priority_area ? 1 : 0);
            row[p_rank] = static_cast<std::int64_t>(*a.priority_rank);
        }
        if (has_incidents) {
            row[i_count] = *a.incidents;
            if (a.incident_rate) row[i_rate] = round_to(*a.incident_rate, 1e-4);
            for (std::size_t k = 0; k < radii.size(); ++k) row[i_unreached[k]] = a.incidents_unreached[k];
        }
        if (has_access) row[a_access] = round_to(*a.access, 1e-9);
    }
}

void write_equity_csv(const api::EquityResult& eq, const std::vector<api::CoverageBreak>& totals, const std::string& path, const std::string& shown) {
    CsvWriter csv(path, shown);
    csv.text("group").text("field").text("kind").text("break").text("population").text("reached").text("not_reached").text("share").text("ratio").end_row();
    for (std::size_t k = 0; k < eq.breaks.size(); ++k) {
        const api::EquityBreak& b = eq.breaks[k];
        const api::CoverageBreak& t = totals[k];
        const double pop = t.population_covered.value_or(0) + t.population_uncovered.value_or(0);
        csv.text("all residents").empty().text("population").text(b.label).fixed(pop, 2).fixed(t.population_covered.value_or(0), 2)
            .fixed(t.population_uncovered.value_or(0), 2).fixed(b.overall_share, 6).fixed(1.0, 6);
        csv.end_row();
        for (const auto& g : b.groups) {
            csv.text(g.name).text(g.field).text(g.kind).text(b.label).fixed(g.population, 2).fixed(g.reached, 2).fixed(g.population - g.reached, 2)
                .fixed(g.share, 6).fixed(g.ratio, 6);
            csv.end_row();
        }
    }
    csv.close();
}

}  // namespace nightout
