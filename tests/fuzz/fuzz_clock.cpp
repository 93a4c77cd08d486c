// The time parsers of route (clock times, windows, breaks) and program (dates, spans, weekdays,
// months, blackout lists, times of day) on arbitrary text. Each either refuses the text or
// returns a value inside its documented range; a clock time written back parses to itself.
#include "core/error.hpp"
#include "program/dates.hpp"
#include "route/clock.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

namespace {

constexpr double kLatestClock = 47 * 3600 + 59 * 60 + 59;  // 47:59:59, the next evening at the latest

void check_clock(const std::optional<double>& v) {
    if (!v) return;
    if (!(*v >= 0 && *v <= kLatestClock)) std::abort();
    const auto again = nightout::route::parse_clock(nightout::route::clock_text(*v));
    if (!again || *again != *v) std::abort();
}

template <class F>
void refused_or_ok(F&& parse) {
    try {
        parse();
    } catch (const nightout::Error&) {  // a usage error naming the option: the documented refusal
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace route = nightout::route;
    namespace program = nightout::program;
    const std::string text(reinterpret_cast<const char*>(data), size);

    check_clock(route::parse_clock(text));
    if (const auto w = route::parse_clock_window(text)) check_clock(w->first), check_clock(w->second);
    if (const auto b = route::parse_break(text)) {
        check_clock(b->open), check_clock(b->close);
        if (!(b->length > 0 && b->length <= 48 * 3600)) std::abort();
    }
    (void)route::clock_text(std::strtod(text.c_str(), nullptr));  // any number, NaN and infinities too

    refused_or_ok([&] {
        const int day = program::parse_date(text, "--from");
        if (program::parse_date(program::date_text(day), "--from") != day) std::abort();
        if (program::weekday(day) < 0 || program::weekday(day) > 6 || program::month_of(day) < 1 || program::month_of(day) > 12) std::abort();
    });
    refused_or_ok([&] {
        if (program::parse_span_days(text, "--site-gap") <= 0) std::abort();
    });
    refused_or_ok([&] {
        if (program::parse_weekdays(text, "days") >> 7) std::abort();
    });
    refused_or_ok([&] {
        if (program::parse_months(text, "months") & ~0x1FFEu) std::abort();
    });
    refused_or_ok([&] { (void)program::parse_dates(text, "--blackout"); });
    refused_or_ok([&] {
        const int m = program::parse_minutes_of_day(text, "--start");
        if (m < 0 || m >= 48 * 60) std::abort();
    });
    return 0;
}
