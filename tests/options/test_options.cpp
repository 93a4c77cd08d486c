// Options declared once (src/options) and the text and number helpers (src/core/text): the same
// value is accepted or refused by the same rule on the command line, in a plan and through the
// library, and each error says where the value came from.
#define BOOST_TEST_MODULE options
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "jobs/route_job.hpp"
#include "options/schema.hpp"
#include "plan/plan.hpp"

#include <clocale>
#include <sys/wait.h>

using namespace nightout;
using namespace nightout::test;
namespace tt = boost::test_tools;

namespace {

// The message and exit code of applying `key = value` to a RouteJob through the schema.
std::pair<int, std::string> route_option(const std::string& flag, const options::Raw& value) {
    RouteJob job;
    for (const auto& o : options::route_schema()) {
        if (o.flag != flag) continue;
        try {
            o.apply(job, value, {options::Origin::Kind::CommandLine, flag});
            return {0, ""};
        } catch (const Error& e) {
            return {e.exit_code(), e.what()};
        }
    }
    throw std::logic_error("no option " + flag);
}

std::string plan_error(const std::string& route_table) {
    TempDir dir;
    const std::string c = source_dir() + "/data/charlotte/";
    write_file(dir / "plan.toml", "[inputs]\nareas = \"" + c + "neighborhoods.geojson\"\nevents = \"" + c + "events.csv\"\nstations = \"" + c +
                                      "police_stations.geojson\"\n[coverage]\nradius = \"800m\"\n[route]\nofficers = \"" + c + "officers.csv\"\n" + route_table);
    try {
        read_plan(dir / "plan.toml");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 3);  // a plan is an input
        std::string m = e.what();
        return m.substr(m.find("plan.toml"));
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(numbers_parse_and_print_without_the_c_locale) {
    BOOST_TEST(*parse_number(" 12 ") == 12.0);
    BOOST_TEST(*parse_number("-0.5") == -0.5);
    BOOST_TEST(*parse_number("+2") == 2.0);
    BOOST_TEST(*parse_number("1e3") == 1000.0);
    for (const char* bad : {"", " ", "12m", "0,5", "nan", "inf", "1e400", "--1", "++1", "0x10"}) BOOST_TEST(!parse_number(bad).has_value(), bad);
    BOOST_TEST(*parse_integer("-3") == -3);
    BOOST_TEST(!parse_integer("1.5").has_value());
    BOOST_TEST(!parse_integer("1e3").has_value());
    // Shortest round trip: a priority of 1234567.8 used to become 1.23457e+06.
    BOOST_TEST(format_number(1234567.8) == "1234567.8");
    BOOST_TEST(format_number(0.1) == "0.1");
    BOOST_TEST(*parse_number(format_number(1.0 / 3.0)) == 1.0 / 3.0);
    BOOST_TEST(format_fixed(2.5, 3) == "2.500");
    BOOST_TEST(format_fixed(-0.0004, 3) == "-0.000");
    // A locale with a decimal comma changes nothing (when the machine has one).
    if (std::setlocale(LC_ALL, "de_DE.UTF-8")) {
        BOOST_TEST(format_number(0.5) == "0.5");
        BOOST_TEST(*parse_number("0.5") == 0.5);
        std::setlocale(LC_ALL, "C");
    }
    BOOST_TEST(trim("\t a b \r\n") == "a b");
    BOOST_TEST(lower("Station_ID") == "station_id");
    BOOST_TEST(iequals("LAT", "lat"));
}

BOOST_AUTO_TEST_CASE(route_options_have_one_rule_whatever_their_source) {
    BOOST_TEST(route_option("--duration", std::string("15")).first == 0);
    auto [code, message] = route_option("--duration", std::string("0"));
    BOOST_TEST(code == 2);
    BOOST_TEST(message.find("--duration: '0' is not accepted; expected a visit length in minutes above 0") == 0u, message);
    BOOST_TEST(route_option("--speed", std::string("500")).first == 2);
    BOOST_TEST(route_option("--speed", 30.0).first == 0);
    BOOST_TEST(route_option("--seed", std::string("-3")).first == 2);
    BOOST_TEST(route_option("--seed", std::int64_t{-3}).first == 2);  // never 18446744073709551613
    BOOST_TEST(route_option("--seed", std::int64_t{7}).first == 0);
    BOOST_TEST(route_option("--iterations", std::string("0")).first == 2);
    BOOST_TEST(route_option("--iterations", std::string("1.5")).first == 2);
    BOOST_TEST(route_option("--time-limit", std::string("-1")).first == 2);
    BOOST_TEST(route_option("--balance", true).first == 0);
    BOOST_TEST(route_option("--max-snap", std::string("300")).second.find("--max-snap: '300' has no unit") == 0u);
}

// Before the schema, route.duration = 0 and route.speed = 500 passed the plan reader and failed
// in the job with a message about --duration, a flag the user never typed.
BOOST_AUTO_TEST_CASE(plan_route_values_are_refused_with_the_plans_line_and_key) {
    BOOST_TEST(plan_error("duration = 0\n") == "plan.toml:9: route.duration: '0' is not accepted; expected a visit length in minutes above 0 and at most 1440, e.g. 15");
    BOOST_TEST(plan_error("\nspeed = 500\n").find("plan.toml:10: route.speed: '500' is not accepted") == 0u);
    BOOST_TEST(plan_error("seed = -3\n").find("plan.toml:9: route.seed: '-3' is not accepted; expected a whole number from 0") == 0u);
    BOOST_TEST(plan_error("iterations = 2.5\n").find("route.iterations: '2.5' is not accepted") != std::string::npos);
    BOOST_TEST(plan_error("balance = \"maybe\"\n").find("route.balance: 'maybe' is not accepted; expected true or false") != std::string::npos);
    const std::string unknown = plan_error("durations = 5\n");
    BOOST_TEST(unknown.find("route.durations: unknown key; [route] accepts officers, stations, profile, network, positions, done, previous, window, duration") != std::string::npos, unknown);
    BOOST_TEST(plan_error("duration = 20\nseed = 4\niterations = 300\n").empty());
}

BOOST_AUTO_TEST_CASE(the_command_line_names_the_flag_and_exits_2) {
    TempDir dir;
    const std::string c = source_dir() + "/data/charlotte/";
    const std::string cmd = std::string(NIGHTOUT_BINARY) + " route -q --events " + c + "events.csv --officers " + c + "officers.csv --stations " + c +
                            "police_stations.geojson --out " + (dir / "out").string() + " --speed 500 2>" + (dir / "err.txt").string();
    const int status = std::system(cmd.c_str());
    BOOST_TEST(WEXITSTATUS(status) == 2);
    BOOST_TEST(read_text(dir / "err.txt") ==
               "nightout: error: --speed: '500' is not accepted; expected a speed in km/h above 0 and at most 300, e.g. 30\n");
    BOOST_TEST(!fs::exists(dir / "out"));
}
