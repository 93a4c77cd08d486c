#include "route/benchmarks.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nightout::route {

namespace {

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

bool numbers(const std::string& line, std::vector<double>& out) {
    out.clear();
    std::istringstream in(line);
    std::string tok;
    while (in >> tok) {
        char* end = nullptr;
        const double v = std::strtod(tok.c_str(), &end);
        if (end == tok.c_str() || *end != '\0' || !std::isfinite(v)) return false;
        out.push_back(v);
    }
    return true;
}

}  // namespace

SolomonInstance read_solomon(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw_input(path + ": cannot be opened");
    SolomonInstance inst;
    std::string line;
    std::vector<double> v;
    int lineno = 0;
    enum { InName, InVehicle, InCustomer } state = InName;
    bool fleet = false;
    while (std::getline(in, line)) {
        ++lineno;
        const std::string t = trim(line);
        if (t.empty()) continue;
        const std::string u = upper(t);
        if (state == InName) {
            inst.name = t;
            state = InVehicle;
            continue;
        }
        if (u.rfind("VEHICLE", 0) == 0 || u.rfind("NUMBER", 0) == 0) continue;
        if (u.rfind("CUSTOMER", 0) == 0 || u.rfind("CUST", 0) == 0) {
            state = InCustomer;
            continue;
        }
        if (!numbers(t, v))
            throw_input(path + ": line " + std::to_string(lineno) + ": expected numbers, found '" + t +
                        "' (Solomon format: name, VEHICLE, NUMBER CAPACITY, CUSTOMER, then CUST NO. XCOORD. YCOORD. DEMAND READY DUE SERVICE)");
        if (state == InVehicle) {
            if (v.size() != 2 || v[0] < 1 || v[0] > 100000 || v[1] <= 0)
                throw_input(path + ": line " + std::to_string(lineno) + ": expected the number of vehicles and their capacity, found '" + t + "'");
            inst.vehicles = static_cast<int>(v[0]);
            inst.capacity = v[1];
            fleet = true;
            continue;
        }
        if (v.size() != 7)
            throw_input(path + ": line " + std::to_string(lineno) + ": expected 7 values (CUST NO. XCOORD. YCOORD. DEMAND READY DUE SERVICE), found " +
                        std::to_string(v.size()));
        if (!(v[0] >= 0 && v[0] <= 1e9 && v[0] == std::floor(v[0])))
            throw_input(path + ": line " + std::to_string(lineno) + ": customer number '" + t.substr(0, t.find_first_of(" \t")) +
                        "' is not a whole number from 0 to 10^9");
        if (inst.x.size() >= 10001)
            throw_input(path + ": line " + std::to_string(lineno) + ": more than 10,000 customers (the travel-time matrix is kept in memory)");
        if (v[5] < v[4])
            throw_input(path + ": line " + std::to_string(lineno) + ": customer " + std::to_string(static_cast<long long>(v[0])) +
                        ": due date " + std::to_string(v[5]) + " is before its ready time " + std::to_string(v[4]));
        inst.x.push_back(v[1]);
        inst.y.push_back(v[2]);
        Problem& p = inst.problem;
        if (inst.x.size() == 1) {  // the depot
            Vehicle veh;
            veh.shift_start = v[4];
            veh.shift_end = v[5];
            p.vehicles.push_back(veh);
            continue;
        }
        Job j;
        j.node = static_cast<int>(inst.x.size()) - 1;
        j.demand = v[3];
        j.open = v[4];
        j.close = v[5];
        j.service = v[6];
        p.jobs.push_back(j);
        inst.customer_ids.push_back(static_cast<int>(v[0]));
    }
    if (!fleet) throw_input(path + ": no VEHICLE section with the number of vehicles and their capacity");
    if (inst.x.size() < 2) throw_input(path + ": no customers");
    Problem& p = inst.problem;
    p.nodes = inst.x.size();
    p.time.resize(p.nodes * p.nodes);
    for (std::size_t a = 0; a < p.nodes; ++a)
        for (std::size_t b = 0; b < p.nodes; ++b) p.time[a * p.nodes + b] = std::hypot(inst.x[a] - inst.x[b], inst.y[a] - inst.y[b]);
    set_fleet(inst, inst.vehicles);
    return inst;
}

void set_fleet(SolomonInstance& inst, int k) {
    Vehicle depot = inst.problem.vehicles.front();
    depot.start = depot.end = 0;
    depot.capacity = inst.capacity;
    inst.problem.vehicles.assign(static_cast<std::size_t>(std::max(k, 1)), depot);
}

namespace {

constexpr double kPi = 3.141592;   // TSPLIB95's value for GEO
constexpr double kRrr = 6378.388;

int nint(double x) { return static_cast<int>(x + 0.5); }

double geo_radians(double x) {
    const double deg = std::trunc(x);  // TSPLIB95 (and Concorde): integer part, then minutes
    const double min = x - deg;
    return kPi * (deg + 5.0 * min / 3.0) / 180.0;
}

}  // namespace

TspInstance read_tsplib(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw_input(path + ": cannot be opened");
    TspInstance inst;
    std::string line, type;
    int lineno = 0;
    std::vector<double> xs, ys;
    std::vector<double> weights;
    auto fail = [&](const std::string& what) { throw_input(path + ": line " + std::to_string(lineno) + ": " + what); };
    enum { Header, Coords, Weights, Skip } section = Header;
    while (std::getline(in, line)) {
        ++lineno;
        std::string t = trim(line);
        if (t.empty()) continue;
        const std::string u = upper(t);
        if (u == "EOF") break;
        if (u.find("_SECTION") != std::string::npos) {
            if (u.rfind("NODE_COORD_SECTION", 0) == 0) section = Coords;
            else if (u.rfind("EDGE_WEIGHT_SECTION", 0) == 0) section = Weights;
            else section = Skip;  // DISPLAY_DATA_SECTION, FIXED_EDGES_SECTION, ...
            continue;
        }
        const auto colon = t.find(':');
        if (section == Header || (colon != std::string::npos && !std::isdigit(static_cast<unsigned char>(t[0])) && t[0] != '-')) {
            if (colon == std::string::npos) fail("expected 'KEY : VALUE', found '" + t + "'");
            const std::string key = upper(trim(t.substr(0, colon))), value = trim(t.substr(colon + 1));
            if (key == "NAME") inst.name = value;
            else if (key == "TYPE") type = upper(value);
            else if (key == "DIMENSION") {
                char* end = nullptr;
                const long n = std::strtol(value.c_str(), &end, 10);
                if (end == value.c_str() || n < 3 || n > 5000) fail("DIMENSION: expected a number of cities from 3 to 5000 (the full distance matrix is kept in memory), found '" + value + "'");
                inst.n = static_cast<int>(n);
            } else if (key == "EDGE_WEIGHT_TYPE") inst.weight_type = upper(value);
            else if (key == "EDGE_WEIGHT_FORMAT") inst.weight_format = upper(value);
            section = Header;
            continue;
        }
        std::vector<double> v;
        if (!numbers(t, v)) fail("expected numbers, found '" + t + "'");
        if (section == Coords) {
            if (v.size() < 3) fail("expected 'city x y', found '" + t + "'");
            const long id = static_cast<long>(v[0]);
            if (id != static_cast<long>(xs.size()) + 1) fail("cities must be numbered 1.." + std::to_string(inst.n) + " in order; found " + std::to_string(id));
            xs.push_back(v[1]);
            ys.push_back(v[2]);
        } else if (section == Weights) {
            weights.insert(weights.end(), v.begin(), v.end());
        }
    }
    if (!type.empty() && type != "TSP") throw_input(path + ": TYPE " + type + " is not supported; expected TSP (symmetric)");
    if (inst.n == 0) throw_input(path + ": no DIMENSION");
    const int n = inst.n;
    inst.dist.assign(static_cast<std::size_t>(n) * n, 0);
    const std::string& w = inst.weight_type;
    if (w == "EXPLICIT") {
        const std::string& f = inst.weight_format;
        std::size_t expected = 0;
        if (f == "FULL_MATRIX") expected = static_cast<std::size_t>(n) * n;
        else if (f == "UPPER_ROW" || f == "LOWER_ROW" || f == "UPPER_COL" || f == "LOWER_COL") expected = static_cast<std::size_t>(n) * (n - 1) / 2;
        else if (f == "UPPER_DIAG_ROW" || f == "LOWER_DIAG_ROW" || f == "UPPER_DIAG_COL" || f == "LOWER_DIAG_COL") expected = static_cast<std::size_t>(n) * (n + 1) / 2;
        else throw_input(path + ": EDGE_WEIGHT_FORMAT '" + f + "' is not supported; expected FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW, LOWER_DIAG_ROW (or the _COL forms)");
        if (weights.size() != expected)
            throw_input(path + ": EDGE_WEIGHT_SECTION holds " + std::to_string(weights.size()) + " numbers; " + f + " of dimension " + std::to_string(n) +
                        " needs " + std::to_string(expected));
        std::size_t k = 0;
        auto set = [&](int i, int j) {
            const int d = static_cast<int>(std::lround(weights[k++]));
            inst.dist[static_cast<std::size_t>(i) * n + j] = d;
            inst.dist[static_cast<std::size_t>(j) * n + i] = d;
        };
        // A column-wise upper triangle is a row-wise lower one, and so on.
        const bool upper_rows = f == "UPPER_ROW" || f == "LOWER_COL" || f == "UPPER_DIAG_ROW" || f == "LOWER_DIAG_COL";
        const bool diag = f.find("DIAG") != std::string::npos;
        if (f == "FULL_MATRIX") {
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < n; ++j) inst.dist[static_cast<std::size_t>(i) * n + j] = static_cast<int>(std::lround(weights[k++]));
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < i; ++j)
                    if (inst.d(i, j) != inst.d(j, i))
                        throw_input(path + ": FULL_MATRIX is not symmetric (cities " + std::to_string(i + 1) + " and " + std::to_string(j + 1) + "); TYPE TSP needs a symmetric matrix");
        } else if (upper_rows) {
            for (int i = 0; i < n; ++i)
                for (int j = diag ? i : i + 1; j < n; ++j) set(i, j);
        } else {
            for (int i = 0; i < n; ++i)
                for (int j = 0; j < (diag ? i + 1 : i); ++j) set(i, j);
        }
        for (int i = 0; i < n; ++i) inst.dist[static_cast<std::size_t>(i) * n + i] = 0;
        return inst;
    }
    if (static_cast<int>(xs.size()) != n)
        throw_input(path + ": NODE_COORD_SECTION holds " + std::to_string(xs.size()) + " cities; DIMENSION is " + std::to_string(n));
    std::vector<double> lat, lon;
    if (w == "GEO") {
        for (int i = 0; i < n; ++i) lat.push_back(geo_radians(xs[i])), lon.push_back(geo_radians(ys[i]));
    } else if (w != "EUC_2D" && w != "CEIL_2D" && w != "ATT" && w != "MAN_2D" && w != "MAX_2D") {
        throw_input(path + ": EDGE_WEIGHT_TYPE '" + w + "' is not supported; expected EUC_2D, CEIL_2D, ATT, GEO, MAN_2D, MAX_2D or EXPLICIT");
    }
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            if (i == j) continue;
            const double dx = xs[i] - xs[j], dy = ys[i] - ys[j];
            int d = 0;
            if (w == "EUC_2D") d = nint(std::sqrt(dx * dx + dy * dy));
            else if (w == "CEIL_2D") d = static_cast<int>(std::ceil(std::sqrt(dx * dx + dy * dy)));
            else if (w == "MAN_2D") d = nint(std::fabs(dx) + std::fabs(dy));
            else if (w == "MAX_2D") d = std::max(nint(std::fabs(dx)), nint(std::fabs(dy)));
            else if (w == "ATT") {
                const double r = std::sqrt((dx * dx + dy * dy) / 10.0);
                const int tt = nint(r);
                d = tt < r ? tt + 1 : tt;
            } else {  // GEO
                const double q1 = std::cos(lon[i] - lon[j]), q2 = std::cos(lat[i] - lat[j]), q3 = std::cos(lat[i] + lat[j]);
                d = static_cast<int>(kRrr * std::acos(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)) + 1.0);
            }
            inst.dist[static_cast<std::size_t>(i) * n + j] = d;
        }
    return inst;
}

ToptwInstance read_toptw(const std::string& path, int routes, DistancePrecision distances) {
    std::ifstream in(path);
    if (!in) throw_input(path + ": cannot be opened");
    if (routes < 1) throw_usage("--vehicles: expected a positive number of routes");
    ToptwInstance inst;
    inst.name = std::filesystem::path(path).stem().string();
    const std::string format = " (Vansteenwegen's TOPTW format: 'k v N t', 'D Q', then per vertex 'i x y d S f a list O C')";
    std::string line;
    std::vector<double> v;
    int lineno = 0, header = 0, customers = -1;
    std::vector<double> service, profit, open, close;
    auto fail = [&](const std::string& what) { throw_input(path + ": line " + std::to_string(lineno) + ": " + what); };
    auto num = [](double x) {
        std::ostringstream o;
        o << x;
        return o.str();
    };
    while (std::getline(in, line)) {
        ++lineno;
        const std::string t = trim(line);
        if (t.empty()) continue;
        if (customers >= 0 && static_cast<int>(inst.x.size()) == customers + 1) break;  // trailing data
        if (!numbers(t, v)) fail("expected numbers, found '" + t + "'" + format);
        if (header == 0) {
            if (v.size() != 4) fail("expected 4 values 'k v N t' on the first line, found " + std::to_string(v.size()) + format);
            if (v[2] < 1 || v[2] != std::floor(v[2])) fail("N (the number of customers): expected a positive whole number, found " + num(v[2]));
            inst.paths_to_visit_all = static_cast<int>(v[1]);
            customers = static_cast<int>(v[2]);
            ++header;
            continue;
        }
        if (header == 1) {
            if (v.size() != 2) fail("expected 2 values 'D Q' on the second line, found " + std::to_string(v.size()) + format);
            ++header;
            continue;
        }
        const int vertex = static_cast<int>(inst.x.size());
        if (v.size() < 9) fail("vertex line: expected at least 9 values 'i x y d S f a list O C', found " + std::to_string(v.size()) + format);
        if (v[0] != vertex) fail("vertices must be numbered 0.." + std::to_string(customers) + " in order; expected " + std::to_string(vertex) + ", found " + num(v[0]));
        const double a = v[6];
        if (a < 0 || a != std::floor(a) || v.size() != 9 + static_cast<std::size_t>(a))
            fail("vertex " + std::to_string(vertex) + ": a = " + num(a) + " announces " + num(a) + " list values, so the line needs " + num(9 + a) + " values; found " +
                 std::to_string(v.size()));
        const double d = v[3], S = v[4], O = v[v.size() - 2], C = v[v.size() - 1];
        if (d < 0) fail("vertex " + std::to_string(vertex) + ": service duration d = " + num(d) + " is negative");
        if (S < 0) fail("vertex " + std::to_string(vertex) + ": profit S = " + num(S) + " is negative");
        if (C < O) fail("vertex " + std::to_string(vertex) + ": window closes at " + num(C) + ", before it opens at " + num(O));
        inst.x.push_back(v[1]);
        inst.y.push_back(v[2]);
        service.push_back(d);
        profit.push_back(S);
        open.push_back(O);
        close.push_back(C);
    }
    if (header < 2) throw_input(path + ": expected the lines 'k v N t' and 'D Q'" + format);
    if (static_cast<int>(inst.x.size()) != customers + 1)
        throw_input(path + ": the first line announces " + std::to_string(customers) + " customers (N), so " + std::to_string(customers + 1) +
                    " vertex lines with the depot; found " + std::to_string(inst.x.size()));
    Problem& p = inst.problem;
    p.nodes = inst.x.size();
    p.time.resize(p.nodes * p.nodes);
    for (std::size_t a = 0; a < p.nodes; ++a)
        for (std::size_t b = 0; b < p.nodes; ++b) {
            double dist = std::hypot(inst.x[a] - inst.x[b], inst.y[a] - inst.y[b]);
            if (distances == DistancePrecision::TruncatedTenth) dist = std::floor(dist * 10 + 1e-9) / 10;
            p.time[a * p.nodes + b] = dist;
        }
    for (std::size_t i = 1; i < p.nodes; ++i) {
        inst.total_profit += profit[i];
        if (!(profit[i] > 0)) continue;
        Job j;
        j.node = static_cast<int>(i);
        j.service = service[i];
        j.open = open[i];
        j.close = close[i];
        j.demand = 0;
        j.prize = profit[i];
        p.jobs.push_back(j);
        inst.vertex_ids.push_back(static_cast<int>(i));
    }
    Vehicle depot;
    depot.start = depot.end = 0;
    depot.shift_start = open[0];
    depot.shift_end = close[0];
    p.vehicles.assign(static_cast<std::size_t>(routes), depot);
    return inst;
}

long long tour_length(const TspInstance& inst, const std::vector<int>& tour) {
    long long s = 0;
    for (std::size_t i = 0; i < tour.size(); ++i) s += inst.d(tour[i], tour[(i + 1) % tour.size()]);
    return s;
}

}  // namespace nightout::route
