// Who staffs each event: per event in date order, the teams with the event's hours left in that
// week (Monday to Sunday) that score lowest on straight-line km from their station plus 0.5 km
// per hour already worked in the year (travel first, balance second); the spread of hours over
// the year is reported. An
// event without enough teams left is reported with the reason.
#pragma once

#include "geo/geos.hpp"
#include "program/data.hpp"

namespace nightout::program {

// Teams table: id, name, start or station (a station id or name of `stations`), weekly_hours.
Staffing staff(const GeosContext& ctx, const ProgramData& data, const Table& teams, const Dataset* stations, int per_event, double default_hours);

}  // namespace nightout::program
