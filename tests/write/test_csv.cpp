// The one CSV writer (src/write/csv): RFC 4180 quoting, locale-free numbers that read back
// exactly, and failures that name the file as the user knows it.
#define BOOST_TEST_MODULE csv
#include <boost/test/unit_test.hpp>

#include "support.hpp"

#include "core/error.hpp"
#include "core/text.hpp"
#include "write/csv.hpp"

#include <charconv>
#include <clocale>
#include <cmath>
#include <random>

using namespace nightout;
using namespace nightout::test;

BOOST_AUTO_TEST_CASE(fields_are_quoted_only_where_rfc_4180_needs_it) {
    TempDir dir;
    CsvWriter csv(dir / "a.csv");
    csv.text("id").text("name").text("value").end_row();
    csv.text("E1").text("Park, \"north\"").number(0.1).end_row();
    csv.text("E2").text("two\nlines").fixed(2.5, 3).end_row();
    csv.text("E3").empty().integer(-7).end_row();
    csv.close();
    BOOST_TEST(read_text(dir / "a.csv") == "id,name,value\nE1,\"Park, \"\"north\"\"\",0.1\nE2,\"two\nlines\",2.500\nE3,,-7\n");
    BOOST_TEST(CsvWriter::quoted("plain") == "plain");
    BOOST_TEST(CsvWriter::quoted("a\"b") == "\"a\"\"b\"");
}

BOOST_AUTO_TEST_CASE(numbers_read_back_exactly_whatever_the_locale) {
    TempDir dir;
    const bool german = std::setlocale(LC_ALL, "de_DE.UTF-8") != nullptr;
    const double values[] = {1.0 / 3.0, 1234567.8, 1e-300, -0.0, 6.02214076e23};
    {
        CsvWriter csv(dir / "n.csv");
        for (double v : values) csv.number(v).end_row();
        csv.close();
    }
    if (german) std::setlocale(LC_ALL, "C");
    const std::string text = read_text(dir / "n.csv");
    std::size_t start = 0, i = 0;
    for (double v : values) {
        const std::size_t end = text.find('\n', start);
        const auto parsed = parse_number(text.substr(start, end - start));
        BOOST_REQUIRE(parsed.has_value());
        BOOST_TEST(*parsed == v, "row " << i);
        start = end + 1;
        ++i;
    }
    BOOST_TEST(text.find(',') == std::string::npos);  // no decimal comma, one column
}

BOOST_AUTO_TEST_CASE(large_tables_are_written_whole_across_buffer_flushes) {
    TempDir dir;
    CsvWriter csv(dir / "big.csv");
    for (int i = 0; i < 200000; ++i) csv.integer(i).fixed(i * 0.001, 3).end_row();  // ~3 MB: several flushes
    csv.close();
    const std::string text = read_text(dir / "big.csv");
    BOOST_TEST(std::count(text.begin(), text.end(), '\n') == 200000);
    BOOST_TEST(text.substr(text.size() - 15) == "199999,199.999\n");
}

BOOST_AUTO_TEST_CASE(an_unwritable_file_is_an_output_error_naming_it) {
    TempDir dir;
    try {
        CsvWriter csv(dir / "missing-folder" / "m.csv", "out/travel/matrix.csv");
        BOOST_FAIL("no error");
    } catch (const Error& e) {
        BOOST_TEST(e.exit_code() == 4);
        BOOST_TEST(std::string(e.what()).find("out/travel/matrix.csv: cannot be written (No such file or directory)") == 0u, e.what());
    }
    if (fs::exists("/dev/full")) {
        auto fill = [] {
            CsvWriter full("/dev/full", "out/full.csv");
            for (int i = 0; i < 100000; ++i) full.text("0123456789abcdef").end_row();
            full.close();
        };
        BOOST_CHECK_THROW(fill(), Error);  // no space left on device: never silent
    }
}

// append_fixed's fast path (integer rounding) gives std::to_chars's digits, halves and all.
BOOST_AUTO_TEST_CASE(fixed_decimals_equal_to_chars_on_random_and_boundary_values) {
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<double> values = {0, 0.0005, 0.0015, 0.0025, 1.0005, 2.5, 0.125, 1e-7, 8589934.5915, 8589934.592, 8589935.0, 1e15, 123.4565};
    for (int k = 0; k < 200000; ++k) values.push_back(std::pow(10, 7 * unit(rng) - 2) * unit(rng));
    for (int k = 0; k < 20000; ++k) values.push_back(std::round(unit(rng) * 1e6) / 1000 + 0.0005);  // near halves
    for (double v : values)
        for (int d : {0, 1, 3, 6}) {
            char buf[400];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, d);
            const std::string expected(buf, end), got = format_fixed(v, d);
            if (got != expected) BOOST_ERROR(expected + " != " + got);
        }
}
