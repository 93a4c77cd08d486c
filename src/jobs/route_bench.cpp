// `nightout route --solomon FILE`, `--tsplib FILE` and `--toptw FILE`: the public benchmarks, JSON on stdout.
#include "jobs/route_job.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "route/benchmarks.hpp"
#include "route/solver.hpp"
#include "route/tsp.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>

namespace nightout {

namespace {

// Most profit with `--vehicles` routes; arrival and service times per stop.
nlohmann::json run_toptw(const RouteBenchmarkJob& job, unsigned threads, Log& log, std::chrono::steady_clock::time_point started) {
    if (job.vehicles < 0) throw_usage("--vehicles: expected a positive number of routes");
    route::DistancePrecision precision = route::DistancePrecision::Exact;
    if (job.distances == "tenth") precision = route::DistancePrecision::TruncatedTenth;
    else if (job.distances != "exact") throw_usage("--distances: expected exact or tenth, found '" + job.distances + "'");
    const int routes = job.vehicles > 0 ? job.vehicles : 1;
    route::ToptwInstance inst = route::read_toptw(job.toptw, routes, precision);
    const route::Problem& p = inst.problem;
    route::SolverOptions o;
    o.seed = job.seed;
    o.time_limit_s = job.iterations ? 0 : job.time_limit_s;
    o.iterations = job.iterations;
    o.threads = threads;
    o.collect_prizes = true;
    route::Solution s = route::solve(p, o);
    const std::vector<std::string> violations = route::validate(p, s);
    nlohmann::json out, routes_json = nlohmann::json::array();
    double distance = 0, profit = 0;
    int visited = 0;
    for (std::size_t v = 0; v < s.routes.size(); ++v) {
        const route::Schedule sch = route::schedule_route(p, static_cast<int>(v), s.routes[v]);
        nlohmann::json stops = nlohmann::json::array();
        for (const route::Stop& st : sch.stops) {
            profit += p.jobs[st.job].prize;
            ++visited;
            stops.push_back({{"vertex", inst.vertex_ids[st.job]}, {"arrival", st.arrival}, {"start", st.start}, {"departure", st.departure}});
        }
        distance += sch.travel;
        routes_json.push_back({{"stops", stops}, {"depart", sch.depart}, {"back", sch.back}, {"travel", sch.travel}});
    }
    std::vector<int> unvisited;
    for (int j : s.unassigned) unvisited.push_back(inst.vertex_ids[j]);
    out["instance"] = inst.name;
    out["customers"] = p.nodes - 1;
    out["vehicles"] = routes;
    out["distances"] = job.distances;
    out["profit"] = profit;
    out["total_profit"] = inst.total_profit;
    out["visited"] = visited;
    out["distance"] = distance;
    out["feasible"] = violations.empty();
    out["violations"] = violations;
    out["unvisited"] = unvisited;
    out["iterations"] = s.iterations;
    out["seed"] = job.seed;
    out["threads"] = threads;
    out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out["routes"] = routes_json;
    if (!violations.empty()) log.warn(job.toptw + ": the solution breaks " + std::to_string(violations.size()) + " constraint(s): " + violations.front());
    return out;
}

}  // namespace

nlohmann::json run_route_benchmark(const RouteBenchmarkJob& job, Log& log) {
    const auto started = std::chrono::steady_clock::now();
    if (!job.solomon.empty() + !job.tsplib.empty() + !job.toptw.empty() != 1) throw_usage("give one of --solomon FILE, --tsplib FILE or --toptw FILE");
    if (job.iterations == 0 && !(job.time_limit_s > 0)) throw_usage("--time-limit: expected a positive number of seconds");
    const unsigned threads = job.threads ? job.threads : default_threads();
    nlohmann::json out;
    if (!job.tsplib.empty()) {
        route::TspInstance inst = route::read_tsplib(job.tsplib);
        route::TspOptions o;
        o.seed = job.seed;
        o.time_limit_s = job.iterations ? 0 : job.time_limit_s;
        o.kicks = job.iterations;
        o.threads = threads;
        route::TspResult r = route::solve_tsp(inst, o);
        std::vector<int> tour;
        for (int c : r.tour) tour.push_back(c + 1);
        out["instance"] = inst.name.empty() ? std::filesystem::path(job.tsplib).stem().string() : inst.name;
        out["cities"] = inst.n;
        out["edge_weight_type"] = inst.weight_type;
        if (!inst.weight_format.empty()) out["edge_weight_format"] = inst.weight_format;
        out["vehicles"] = 1;
        out["distance"] = route::tour_length(inst, r.tour);
        out["initial_distance"] = r.initial_length;
        out["kicks"] = r.kicks;
        out["seed"] = job.seed;
        out["threads"] = threads;
        out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        out["tour"] = tour;
        return out;
    }
    if (!job.toptw.empty()) return run_toptw(job, threads, log, started);
    route::SolomonInstance inst = route::read_solomon(job.solomon);
    if (job.vehicles < 0) throw_usage("--vehicles: expected a positive number");
    const int k = job.vehicles > 0 ? job.vehicles : inst.vehicles;
    route::set_fleet(inst, k);
    route::SolverOptions o;
    o.seed = job.seed;
    o.time_limit_s = job.iterations ? 0 : job.time_limit_s;
    o.iterations = job.iterations;
    o.threads = threads;
    o.minimise_vehicles = true;
    o.all_required = true;
    o.t_start = 100;  // SISR's temperatures for these instances
    o.t_end = 1;
    route::Solution s = route::solve(inst.problem, o);
    const std::vector<std::string> violations = route::validate(inst.problem, s, true);
    nlohmann::json routes = nlohmann::json::array();
    double distance = 0;
    for (std::size_t v = 0; v < s.routes.size(); ++v) {
        if (s.routes[v].empty()) continue;
        std::vector<int> ids;
        for (int j : s.routes[v]) ids.push_back(inst.customer_ids[j]);
        routes.push_back(ids);
        distance += route::route_cost(inst.problem, static_cast<int>(v), s.routes[v]);
    }
    out["instance"] = inst.name;
    out["customers"] = inst.problem.jobs.size();
    out["max_vehicles"] = k;
    out["vehicles"] = s.vehicles_used;
    out["distance"] = distance;
    out["feasible"] = violations.empty();
    out["violations"] = violations;
    std::vector<int> missing;
    for (int j : s.unassigned) missing.push_back(inst.customer_ids[j]);
    out["unserved"] = missing;
    out["iterations"] = s.iterations;
    out["phases"] = s.phases;
    out["seed"] = job.seed;
    out["threads"] = threads;
    out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out["routes"] = routes;
    if (!violations.empty()) log.warn(job.solomon + ": the solution breaks " + std::to_string(violations.size()) + " constraint(s): " + violations.front());
    return out;
}

}  // namespace nightout
