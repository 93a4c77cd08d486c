// Dates of a program as day numbers (days since 1970-01-01, std::chrono::sys_days), and the
// rules written as text: "2027-01-01", "8w" / "56d", "Tue,Thu" / "Mon-Fri", "4-10" / "4,5,6",
// blackout lists "2027-07-05,2027-12-24..2027-12-26". Each parser throws a Usage error
// naming `what` (the option) and what it accepts.
#pragma once

#include <set>
#include <string>

namespace nightout::program {

int parse_date(const std::string& text, const std::string& what);
std::string date_text(int day);         // "2027-08-03"
std::string compact_date(int day);      // "20270803" (iCalendar)
int weekday(int day);                   // 0 Monday .. 6 Sunday
int month_of(int day);                  // 1 .. 12
int parse_span_days(const std::string& text, const std::string& what);  // "8w" -> 56, "10d" -> 10
unsigned parse_weekdays(const std::string& text, const std::string& what);  // bit 0 Monday
unsigned parse_months(const std::string& text, const std::string& what);    // bit 1 January .. bit 12
// Dates and ranges (a..b), comma-separated.
std::set<int> parse_dates(const std::string& text, const std::string& what);
int parse_minutes_of_day(const std::string& text, const std::string& what);  // "18:00" -> 1080

}  // namespace nightout::program
