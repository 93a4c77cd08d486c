// Who staffs each event: the teams of each event chosen to minimise
//   J = sum of travel km (station to site and back, straight line) + beta x sum over teams of
//       (hours over the year)^2,
// beta = kBalanceKmPerHour2 km per h^2, so that travel comes first and the year's hours are
// balanced (a team with more hours costs more for the next event): each event in date order
// gets the teams of least marginal J among those with its hours left in that week (Monday to
// Sunday), then local search moves one team off an event for another (replace) or trades two
// teams between two events (exchange) while J falls and the weekly hours are kept. The spread
// of hours over the year is reported; an event without enough teams left is reported with the
// reason.
#pragma once

#include "geo/geos.hpp"
#include "program/data.hpp"

#include <string>
#include <vector>

namespace nightout::program {

constexpr double kBalanceKmPerHour2 = 0.5;

// The assignment problem without files: per event its week and each team's round-trip km,
// the events' length in hours, teams per event and each team's weekly hours.
struct StaffingProblem {
    std::vector<int> event_week;
    std::vector<std::vector<double>> km;  // [event][team], there and back
    std::vector<double> weekly_hours;     // per team
    double hours = 2;                     // per event
    int per_event = 2;
    double beta = kBalanceKmPerHour2;
};
struct StaffingPlan {
    std::vector<std::vector<int>> teams;  // per event: its teams (empty when unstaffed)
    std::vector<std::string> unstaffed;   // per event: the reason, empty when staffed
    double cost = 0;                      // J
    long long moves = 0;                  // improving moves of the local search
};
StaffingPlan assign_teams(const StaffingProblem& p);
// J of an assignment, from scratch.
double staffing_cost(const StaffingProblem& p, const std::vector<std::vector<int>>& teams);

// Teams table: id, name, start or station (a station id or name of `stations`), weekly_hours.
Staffing staff(const GeosContext& ctx, const ProgramData& data, const Table& teams, const Dataset* stations, int per_event, double default_hours);

}  // namespace nightout::program
