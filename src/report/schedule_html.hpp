// schedule.html: the printable evening for the officers, one sheet per officer with visits —
// a map of the route drawn offline (the study's own streets when the plan travels on an
// OpenStreetMap extract, and its areas when given), then the stops in order with their times,
// names, addresses, hosts, contacts and the units asked for. Print CSS puts each sheet on a
// page of its own (US Letter or A4), so a browser's "Print" hands each officer its page.
#pragma once

#include "report/backdrop.hpp"

#include <array>
#include <string>
#include <vector>

namespace nightout {

struct ScheduleStop {
    int order = 0;
    std::string arrive, start, end;   // "18:05"
    std::string id, name, address, host, contact, units, window;
    double lon = 0, lat = 0;
};

struct ScheduleSheet {
    std::string officer, name, shift, from, to, group, depart, back, breaks, totals;
    std::vector<ScheduleStop> stops;
    std::vector<std::array<double, 2>> line;  // the route, lon/lat, along the streets when planned on them
    std::array<double, 2> station{0, 0};
};

using LonLatRing = std::vector<std::array<double, 2>>;

// The whole page (self-contained: no script, no request). `streets` and `areas` may be empty.
std::string schedule_html(const std::string& title, const std::string& attribution, const std::vector<ScheduleSheet>& sheets, const Backdrop& streets,
                          const std::vector<LonLatRing>& areas);

}  // namespace nightout
