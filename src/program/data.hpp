// A program as the stage holds it between solving and writing: the model's instance and
// solution with what the outputs say of each area, site and slot.
#pragma once

#include "geo/spatial_index.hpp"
#include "program/model.hpp"
#include "read/dataset.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace nightout::program {

struct AreaInfo {
    std::string id, name;
    double population = 0, weight = 0;  // weight: population x priority
    LonLat lonlat;
    std::size_t feature = 0;
};

struct SiteInfo {
    std::string id, name, source;
    LonLat lonlat;
    bool indoor = false, fixed = false;
    unsigned weekdays = 0x7f, months = 0x1ffe;  // bit 0 Monday; bit 1 January
    int max_events = -1;                        // capacity: events over the program (-1: no limit)
    const Dataset* dataset = nullptr;
    std::size_t feature = 0;
};

// Who staffs each event (program/staffing.hpp).
struct Staffing {
    std::vector<std::vector<int>> teams_of_slot;  // per slot: team indices
    std::vector<std::string> unstaffed_reason;    // per slot: empty when staffed (or no event)
    struct Team {
        std::string id, name, station;
        LonLat lonlat;
        double weekly_hours = 0, hours = 0, travel_km = 0;
        int events = 0;
    };
    std::vector<Team> teams;
    int per_event = 0;
    bool given = false;
    std::string method;  // how the teams were chosen (summary.json)
};

struct ProgramData {
    Instance instance;
    Solution solution;
    std::vector<AreaInfo> areas;
    std::vector<SiteInfo> sites;
    int from = 0, to = 0, start_min = 0, length_min = 0, every_days = 0, blacked_out = 0;
    std::string reach_label, timezone, cadence;
    std::vector<std::pair<int, std::string>> fixed_names;  // (day, name) of fixed events held at a candidate site
    double solve_seconds = 0;
    Staffing staffing;
    const Dataset* areas_dataset = nullptr;
    int windows = 1;

    // Windows of --every days from the first day; a remainder shorter than half a window joins
    // the last one (a year of 13-week windows: four, the last 92 days long).
    static int window_count(int from, int to, int every) {
        const int span = to - from + 1, full = span / every, rest = span % every;
        return std::max(1, full + (2 * rest >= every ? 1 : 0));
    }
    int window_of(int day) const { return std::min((day - from) / every_days, windows - 1); }
    int window_first(int w) const { return from + w * every_days; }
    int window_last(int w) const { return w + 1 == windows ? to : from + (w + 1) * every_days - 1; }
};

}  // namespace nightout::program
