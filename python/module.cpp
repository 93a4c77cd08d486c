// nightout._nightout: the C++ half of the Python module, a thin binding of the public API
// (include/nightout/nightout.hpp). Requests arrive as plain dicts built by nightout/__init__.py
// from GeoDataFrames or paths; results leave as dicts of lists, bytes (WKB) and JSON text that
// __init__.py turns into GeoDataFrames. The GIL is released while the engine works; progress
// reaches a Python callback (the GIL taken back for each message).
#include <nightout/nightout.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <exception>
#include <mutex>

namespace py = pybind11;
using namespace nightout;

namespace {

// The exception classes, defined in __init__.py and handed over by _set_exceptions().
// Kept for the interpreter's lifetime (never released: no destructor runs after Python's end).
PyObject* g_errors[5] = {};  // indexed by ErrorKind (1..4); 0 unused

// Messages to a Python callable: callback(kind, message, done, total), kind "info", "warning"
// or "progress". An exception raised by the callback stops nothing in the engine: the first is
// kept and raised when the call returns.
class PythonSink : public LogSink {
public:
    void set(py::object callback) { callback_ = std::move(callback); }
    void info(const std::string& m) override { call("info", m, 0, 0); }
    void warning(const std::string& m) override { call("warning", m, 0, 0); }
    void progress(const std::string& label, std::size_t done, std::size_t total, bool) override { call("progress", label, done, total); }
    void rethrow() {
        std::exception_ptr e;
        std::swap(e, failed_);
        if (e) std::rethrow_exception(e);
    }

private:
    void call(const char* kind, const std::string& message, std::size_t done, std::size_t total) {
        std::lock_guard lock(mutex_);
        py::gil_scoped_acquire gil;
        if (callback_.is_none() || failed_) return;
        try {
            callback_(kind, message, done, total);
        } catch (py::error_already_set&) {
            failed_ = std::current_exception();
        }
    }
    std::mutex mutex_;
    py::object callback_ = py::none();
    std::exception_ptr failed_;
};

// A study and the sink its messages go to.
struct PyStudy {
    PythonSink sink;
    api::Study study;
    PyStudy(unsigned threads) : study(api::Options{threads, &sink}) {}
};

template <class T>
T get(const py::dict& d, const char* key, T fallback) {
    return d.contains(key) && !d[key].is_none() ? d[key].cast<T>() : fallback;
}

api::Input input_of(const py::dict& d) {
    api::Input in;
    in.path = get<std::string>(d, "path", "");
    in.layer = get<std::string>(d, "layer", "");
    in.id_field = get<std::string>(d, "id_field", "");
    in.name_field = get<std::string>(d, "name_field", "");
    in.lat_field = get<std::string>(d, "lat_field", "");
    in.lon_field = get<std::string>(d, "lon_field", "");
    in.wkt_field = get<std::string>(d, "wkt_field", "");
    in.crs = get<std::string>(d, "crs", "");
    if (d.contains("wkb")) {
        auto f = std::make_shared<api::Features>();
        f->crs = in.crs;
        in.crs.clear();
        for (const auto& g : d["wkb"].cast<py::list>()) f->wkb.push_back(g.is_none() ? std::string() : g.cast<std::string>());
        for (const auto& item : d["columns"].cast<py::list>()) {
            const auto c = item.cast<py::dict>();
            api::Column col;
            col.name = c["name"].cast<std::string>();
            col.numeric = c["numeric"].cast<bool>();
            if (col.numeric) {
                auto values = c["values"].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
                col.numbers.assign(values.data(), values.data() + values.size());
            } else {
                col.texts = c["values"].cast<std::vector<std::string>>();
                col.null = c["null"].cast<std::vector<bool>>();
            }
            f->columns.push_back(std::move(col));
        }
        in.features = std::move(f);
    }
    return in;
}

api::Network network_of(const py::dict& d) {
    api::Network n;
    n.path = get<std::string>(d, "network", "");
    n.profile = get<std::string>(d, "profile", "drive");
    return n;
}

py::bytes bytes_of(const std::string& s) { return py::bytes(s); }

py::object cell(const api::Cell& c) {
    if (std::holds_alternative<std::int64_t>(c)) return py::int_(std::get<std::int64_t>(c));
    if (std::holds_alternative<double>(c)) return py::float_(std::get<double>(c));
    if (std::holds_alternative<std::string>(c)) return py::str(std::get<std::string>(c));
    return py::none();
}

py::list layers_of(const std::vector<api::Layer>& layers) {
    py::list out;
    for (const auto& l : layers) {
        py::dict d;
        d["name"] = l.name;
        d["fields"] = l.fields;
        d["boolean"] = l.boolean;
        py::list wkb, rows;
        for (const auto& g : l.wkb) wkb.append(bytes_of(g));
        for (const auto& r : l.rows) {
            py::list row;
            for (const auto& c : r) row.append(cell(c));
            rows.append(row);
        }
        d["wkb"] = wkb;
        d["rows"] = rows;
        out.append(d);
    }
    return out;
}

// Each area's unrounded figures (the layers hold them rounded as the files do): columns of the
// per-area table, one list per break for the per-break figures.
py::dict figures_of(const api::CoverageResult& r) {
    py::dict d;
    std::vector<std::string> ids;
    std::vector<double> area, population;
    const std::size_t breaks = r.totals.breaks.size();
    std::vector<std::vector<double>> covered(breaks), people(breaks);
    for (const auto& a : r.areas) {
        ids.push_back(a.id);
        area.push_back(a.area_m2);
        population.push_back(a.population.value_or(NAN));
        for (std::size_t k = 0; k < breaks; ++k) {
            covered[k].push_back(a.covered_m2[k]);
            people[k].push_back(k < a.population_covered.size() ? a.population_covered[k] : NAN);
        }
    }
    d["id"] = ids;
    d["area_m2"] = area;
    d["population"] = population;
    d["covered_m2"] = covered;
    d["population_covered"] = people;
    return d;
}

// Runs `work` without the GIL, then raises what the progress callback raised, if anything.
template <class F>
auto unlocked(PyStudy& s, py::object progress, F work) {
    s.sink.set(std::move(progress));
    struct Reset {
        PyStudy& s;
        ~Reset() { s.sink.set(py::none()); }
    } reset{s};
    auto result = [&] {
        py::gil_scoped_release release;
        return work();
    }();
    s.sink.rethrow();
    return result;
}

py::dict coverage(PyStudy& s, const py::dict& req, py::object progress) {
    api::CoverageRequest r;
    r.areas = input_of(req["areas"]);
    r.events = input_of(req["events"]);
    if (req.contains("stations")) r.stations = input_of(req["stations"]);
    if (req.contains("population")) r.population = input_of(req["population"]);
    r.population_field = get<std::string>(req, "population_field", "");
    r.network = network_of(req);
    r.min_coverage = get<double>(req, "min_coverage", 0.5);
    r.out_dir = req["out_dir"].cast<std::string>();
    r.formats = req["formats"].cast<std::vector<std::string>>();
    r.report = get<bool>(req, "report", false);
    r.flags = req["flags"].cast<api::Flags>();
    if (req.contains("projection_extent")) r.projection_extent = req["projection_extent"].cast<std::vector<double>>();
    std::vector<api::Layer> layers;
    const api::CoverageResult result = unlocked(s, progress, [&] { return s.study.coverage(r, &layers); });
    py::dict out;
    out["summary"] = result.summary_json;
    out["layers"] = layers_of(layers);
    out["figures"] = figures_of(result);
    return out;
}

py::dict travel(PyStudy& s, const py::dict& req, py::object progress) {
    api::TravelRequest r;
    r.from = input_of(req["from"]);
    r.to = input_of(req["to"]);
    r.network = network_of(req);
    r.max_snap = get<std::string>(req, "max_snap", "300m");
    r.matrix_out = req["matrix_out"].cast<std::string>();
    r.nearest_out = get<std::string>(req, "nearest_out", "");
    r.routes_out = get<std::string>(req, "routes_out", "");
    const api::Travel t = unlocked(s, progress, [&] { return s.study.travel(r); });
    py::dict out;
    out["from_ids"] = t.from_ids;
    out["to_ids"] = t.to_ids;
    const auto shape = std::vector<py::ssize_t>{static_cast<py::ssize_t>(t.from_ids.size()), static_cast<py::ssize_t>(t.to_ids.size())};
    out["distance_m"] = py::array_t<double>(shape, t.distance_m.data());
    if (!t.duration_s.empty()) out["duration_s"] = py::array_t<double>(shape, t.duration_s.data());
    out["method"] = t.method;
    out["unreachable_pairs"] = t.unreachable_pairs;
    out["summary"] = t.summary_json;
    return out;
}

py::dict site(PyStudy& s, const py::dict& req, py::object progress) {
    api::SiteRequest r;
    r.demand = input_of(req["demand"]);
    for (const auto& c : req["candidates"].cast<py::list>()) r.candidates.push_back(input_of(c.cast<py::dict>()));
    for (const auto& c : req["required"].cast<py::list>()) r.required.push_back(input_of(c.cast<py::dict>()));
    r.population_field = get<std::string>(req, "population_field", "");
    r.network = network_of(req);
    r.out_dir = req["out_dir"].cast<std::string>();
    r.formats = req["formats"].cast<std::vector<std::string>>();
    r.flags = req["flags"].cast<api::Flags>();
    std::vector<api::Layer> layers;
    const api::SiteResult result = unlocked(s, progress, [&] { return s.study.site(r, &layers); });
    py::dict out;
    out["summary"] = result.summary_json;
    out["layers"] = layers_of(layers);
    return out;
}

py::dict route(PyStudy& s, const py::dict& req, py::object progress) {
    api::RouteRequest r;
    r.events = input_of(req["events"]);
    r.officers = input_of(req["officers"]);
    if (req.contains("stations")) r.stations = input_of(req["stations"]);
    r.network = network_of(req);
    r.out_dir = req["out_dir"].cast<std::string>();
    r.flags = req["flags"].cast<api::Flags>();
    std::vector<api::Layer> layers;
    const api::RouteResult result = unlocked(s, progress, [&] { return s.study.route(r, &layers); });
    py::dict out;
    out["summary"] = result.summary_json;
    out["layers"] = layers_of(layers);
    return out;
}

py::dict plan(const std::string& path, const std::string& out_dir, unsigned threads, py::object progress) {
    PythonSink sink;
    sink.set(std::move(progress));
    api::PlanResult r;
    {
        py::gil_scoped_release release;
        r = api::run_plan(path, out_dir, api::Options{threads, &sink});
    }
    sink.rethrow();
    sink.set(py::none());
    py::dict out;
    out["out_dir"] = r.out_dir;
    out["summary"] = r.summary_json;
    out["coverage_summary"] = r.coverage.summary_json;
    if (r.site) out["site_summary"] = r.site->summary_json;
    if (r.route) out["route_summary"] = r.route->summary_json;
    out["inputs_read"] = r.inputs_read;
    out["networks_built"] = r.networks_built;
    return out;
}

}  // namespace

PYBIND11_MODULE(_nightout, m) {
    m.doc() = "nightout's engine (C++); use the `nightout` package, not this module";
    m.def("version", &api::version);
    m.def("_set_exceptions", [](py::object internal, py::object usage, py::object input, py::object output) {
        for (PyObject* c : {internal.ptr(), usage.ptr(), input.ptr(), output.ptr()}) Py_INCREF(c);
        g_errors[1] = internal.ptr();
        g_errors[2] = usage.ptr();
        g_errors[3] = input.ptr();
        g_errors[4] = output.ptr();
    });
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const Error& e) {
            const int kind = e.exit_code();
            PyErr_SetString(kind >= 1 && kind <= 4 && g_errors[kind] ? g_errors[kind] : PyExc_RuntimeError, e.what());
        } catch (const std::bad_alloc&) {
            PyErr_SetString(g_errors[3] ? g_errors[3] : PyExc_MemoryError,
                            "not enough memory for this run; try smaller inputs, or a machine with more memory");
        }
    });
    py::class_<PyStudy>(m, "Study")
        .def(py::init<unsigned>(), py::arg("threads") = 0)
        .def("coverage", &coverage)
        .def("travel", &travel)
        .def("site", &site)
        .def("route", &route)
        .def("open_network",
             [](PyStudy& s, const std::string& path, const std::string& profile, py::object progress) {
                 api::Network n{path, profile};
                 return unlocked(s, progress, [&] { return s.study.open_network(n); });
             })
        .def("inputs_read", [](const PyStudy& s) { return s.study.inputs_read(); })
        .def("networks_built", [](const PyStudy& s) { return s.study.networks_built(); });
    m.def("plan", &plan);
}
