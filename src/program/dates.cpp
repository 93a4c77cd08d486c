#include "program/dates.hpp"

#include "core/error.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <vector>

namespace nightout::program {

namespace {

using namespace std::chrono;

std::string trimmed(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return s.substr(a, b - a);
}

std::vector<std::string> parts(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == sep) {
            std::string p = trimmed(s.substr(start, i - start));
            if (!p.empty()) out.push_back(p);
            start = i + 1;
        }
    return out;
}

bool whole(const std::string& s, int& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

constexpr std::array<const char*, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int day_index(std::string s, const std::string& what) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int d = 0; d < 7; ++d)
        if (s.size() >= 3 && s.compare(0, 3, kDays[d]) == 0) return d;
    throw_usage(what + ": '" + s + "' is not a day of the week; expected e.g. Tue,Thu or Mon-Fri");
}

}  // namespace

int parse_date(const std::string& text, const std::string& what) {
    const std::string t = trimmed(text);
    int y = 0, m = 0, d = 0;
    if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !whole(t.substr(0, 4), y) || !whole(t.substr(5, 2), m) || !whole(t.substr(8, 2), d))
        throw_usage(what + ": '" + text + "' is not a date; expected YYYY-MM-DD, e.g. 2027-01-01");
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) throw_usage(what + ": '" + text + "' is not a calendar date");
    return static_cast<int>(sys_days{ymd}.time_since_epoch().count());
}

std::string date_text(int d) {
    const year_month_day ymd{sys_days{days{d}}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string compact_date(int d) {
    std::string s = date_text(d);
    return s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
}

int weekday(int d) { return static_cast<int>(std::chrono::weekday{sys_days{days{d}}}.iso_encoding()) - 1; }

int month_of(int d) { return static_cast<int>(static_cast<unsigned>(year_month_day{sys_days{days{d}}}.month())); }

int parse_span_days(const std::string& text, const std::string& what) {
    const std::string t = trimmed(text);
    int v = 0;
    const char unit = t.empty() ? '\0' : static_cast<char>(std::tolower(static_cast<unsigned char>(t.back())));
    // Bounded at ten years (522 weeks): no program rule spans more, and 7 * v cannot overflow.
    if ((unit != 'w' && unit != 'd') || !whole(t.substr(0, t.size() - 1), v) || v < 1 || v > (unit == 'w' ? 522 : 3653))
        throw_usage(what + ": '" + text + "' is not a span; expected weeks (1 to 522) or days (1 to 3653), e.g. 8w or 56d");
    return unit == 'w' ? 7 * v : v;
}

unsigned parse_weekdays(const std::string& text, const std::string& what) {
    unsigned mask = 0;
    for (const std::string& p : parts(text, ',')) {
        const std::size_t dash = p.find('-');
        if (dash == std::string::npos) {
            mask |= 1u << day_index(p, what);
            continue;
        }
        const int a = day_index(trimmed(p.substr(0, dash)), what), b = day_index(trimmed(p.substr(dash + 1)), what);
        for (int d = a;; d = (d + 1) % 7) {
            mask |= 1u << d;
            if (d == b) break;
        }
    }
    if (mask == 0) throw_usage(what + ": no day of the week; expected e.g. Tue,Thu or Mon-Fri");
    return mask;
}

unsigned parse_months(const std::string& text, const std::string& what) {
    unsigned mask = 0;
    auto month_number = [&](const std::string& s) {
        int m = 0;
        if (!whole(s, m) || m < 1 || m > 12) throw_usage(what + ": '" + s + "' is not a month; expected months 1 to 12, e.g. 4-10 or 6,7,8");
        return m;
    };
    for (const std::string& p : parts(text, ',')) {
        const std::size_t dash = p.find('-');
        if (dash == std::string::npos) {
            mask |= 1u << month_number(p);
            continue;
        }
        const int a = month_number(trimmed(p.substr(0, dash))), b = month_number(trimmed(p.substr(dash + 1)));
        for (int m = a;; m = m % 12 + 1) {
            mask |= 1u << m;
            if (m == b) break;
        }
    }
    if (mask == 0) throw_usage(what + ": no month; expected e.g. 4-10 or 6,7,8");
    return mask;
}

std::set<int> parse_dates(const std::string& text, const std::string& what) {
    std::set<int> out;
    for (const std::string& p : parts(text, ',')) {
        const std::size_t dots = p.find("..");
        if (dots == std::string::npos) {
            out.insert(parse_date(p, what));
            continue;
        }
        const int a = parse_date(p.substr(0, dots), what), b = parse_date(p.substr(dots + 2), what);
        if (b < a) throw_usage(what + ": '" + p + "' ends before it starts");
        if (b - a > 3653) throw_usage(what + ": '" + p + "' spans more than ten years; give the dates of the program's period");
        for (int d = a; d <= b; ++d) out.insert(d);
    }
    return out;
}

int parse_minutes_of_day(const std::string& text, const std::string& what) {
    const std::string t = trimmed(text);
    int h = 0, m = 0;
    const std::size_t colon = t.find(':');
    if (colon == std::string::npos || !whole(t.substr(0, colon), h) || !whole(t.substr(colon + 1), m) || h < 0 || h > 23 || m < 0 || m > 59)
        throw_usage(what + ": '" + text + "' is not a time of day; expected HH:MM, e.g. 18:00");
    return 60 * h + m;
}

}  // namespace nightout::program
