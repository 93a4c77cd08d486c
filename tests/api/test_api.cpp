// The public API (include/nightout/nightout.hpp) through libnightout.so: typed results equal to
// the command line's figures, messages to the caller's sink, nightout::Error with the CLI's
// exit codes, and inputs shared between the requests of one study.
#define BOOST_TEST_MODULE api
#include <boost/test/unit_test.hpp>

#include <nightout/nightout.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace tt = boost::test_tools;
using namespace nightout;

namespace {

struct Captured : LogSink {
    std::vector<std::string> infos, warnings;
    std::size_t progress_calls = 0;
    void info(const std::string& m) override { infos.push_back(m); }
    void warning(const std::string& m) override { warnings.push_back(m); }
    void progress(const std::string&, std::size_t, std::size_t, bool) override { ++progress_calls; }
};

struct TempOut {
    fs::path path = fs::temp_directory_path() / ("nightout-api-" + std::to_string(::getpid()));
    ~TempOut() { fs::remove_all(path); }
};

api::CoverageRequest charlotte(const fs::path& out) {
    const std::string data = std::string(NIGHTOUT_SOURCE_DIR) + "/data/charlotte/";
    api::CoverageRequest r;
    r.areas.path = data + "neighborhoods.geojson";
    r.events.path = data + "events.csv";
    r.stations.path = data + "police_stations.geojson";
    r.population_field = "p1";
    r.radius = {"400m", "800m"};
    r.out_dir = out.string();
    return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(coverage_through_the_library_gives_the_readmes_figures) {
    TempOut tmp;
    Captured sink;
    api::Study study({2, &sink});
    const api::CoverageResult r = study.coverage(charlotte(tmp.path / "a"));
    BOOST_TEST(r.totals.areas == 464u);
    BOOST_TEST(r.totals.events == 184u);
    BOOST_TEST(*r.totals.population == 919628.0, tt::tolerance(1e-9));
    BOOST_REQUIRE(r.totals.breaks.size() == 2u);
    BOOST_TEST(r.totals.breaks[0].label == "400m");
    BOOST_TEST(*r.totals.breaks[0].meters == 400.0);
    BOOST_TEST(*r.totals.breaks[1].population_uncovered == 672895.0, tt::tolerance(1e-5));
    BOOST_TEST(r.totals.breaks[1].underserved_areas == 348u);
    BOOST_TEST(*r.totals.event_to_nearest_station_max_m == 17176.0, tt::tolerance(1e-4));
    // Per area: the shares add up to the totals.
    BOOST_REQUIRE(r.areas.size() == 464u);
    double covered = 0, area = 0, people = 0;
    for (const auto& a : r.areas) {
        covered += a.covered_m2[1];
        area += a.area_m2;
        people += a.population_covered[1];
        BOOST_TEST(a.covered_share[1] >= a.covered_share[0]);
    }
    BOOST_TEST(covered / area == r.totals.breaks[1].covered_share, tt::tolerance(1e-5));
    BOOST_TEST(people == *r.totals.breaks[1].population_covered, tt::tolerance(1e-7));  // totals are rounded to 0.01
    BOOST_TEST(r.summary_json.find("\"per_radius\"") != std::string::npos);
    BOOST_TEST(fs::exists(tmp.path / "a" / "neighborhoods.geojson"));
    BOOST_TEST(!sink.infos.empty());  // progress went to the sink, not to stderr

    // A second request over the same study reads nothing again.
    const std::size_t read = study.inputs_read();
    api::CoverageRequest wider = charlotte(tmp.path / "b");
    wider.radius = {"1mi"};
    const api::CoverageResult w = study.coverage(wider);
    BOOST_TEST(study.inputs_read() == read);
    BOOST_TEST(*w.totals.breaks[0].population_share > *r.totals.breaks[1].population_share);
}

BOOST_AUTO_TEST_CASE(errors_are_nightout_errors_with_the_clis_exit_codes) {
    TempOut tmp;
    api::Study study;
    api::CoverageRequest bad = charlotte(tmp.path / "c");
    bad.radius = {"800"};
    try {
        study.coverage(bad);
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 2);
        BOOST_TEST(std::string(e.what()).find("'800' has no unit") != std::string::npos, e.what());
    }
    api::CoverageRequest missing = charlotte(tmp.path / "d");
    missing.areas.path = "no-such-file.geojson";
    try {
        study.coverage(missing);
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 3);
        BOOST_TEST(std::string(e.what()).find("no-such-file.geojson") != std::string::npos, e.what());
    }
    BOOST_TEST(!fs::exists(tmp.path / "d"));
}

BOOST_AUTO_TEST_CASE(the_version_is_the_projects) { BOOST_TEST(api::version() == NIGHTOUT_VERSION); }
