// Re-planning during the evening: the visits an earlier plan promised, the routes that keep
// as many of them as the new situation allows (each officer from where and when it is free),
// an independent check of the new plan against those facts, and what changed.
#pragma once

#include "route/problem.hpp"

#include <string>
#include <vector>

namespace nightout::route {

// A visit the earlier plan promised: job, the vehicle that promised it, its start then.
struct Promise {
    int job = 0;
    int vehicle = -1;  // -1: an officer no longer on the plan
    double start = 0;
};

// Per vehicle, its promised jobs in the earlier order, dropping (greedily, in that order)
// those that no longer fit the vehicle (skills, visit cap, windows, shift, break, working
// time): routes to start the search from.
std::vector<std::vector<int>> promised_routes(const Problem& p, const std::vector<Promise>& promises);

// What the re-plan knows about each vehicle: where it is and from when it is free, or that it
// was called away. Checked against the plan without the Problem's vehicles.
struct VehicleFact {
    int position = 0;      // node it leaves from
    double ready = 0;      // free from (at least the re-planning time)
    bool away = false;     // called away: no more visits
};

// Violations of the re-planning facts: a vehicle called away with visits, a route that does
// not leave from the vehicle's position, a visit that starts before the vehicle is free or
// before `now`, or that misses its windows or the shift end when replayed from the position
// and time given (its own simulation, not the solver's schedule). Empty when the plan keeps them.
std::vector<std::string> validate_replan(const Problem& p, const Solution& s, double now, const std::vector<VehicleFact>& facts);

enum class ChangeKind { Kept, Moved, Dropped, Added };
const char* change_name(ChangeKind k);  // "kept", "moved", "dropped", "added"

struct Change {
    int job = 0;
    ChangeKind kind = ChangeKind::Kept;
    int before_vehicle = -1, after_vehicle = -1;
    double before_start = -1, after_start = -1;  // -1: none
};

// Every promised job (kept by its vehicle, moved to another, or dropped) and every new
// visit (added), promised ones first in their earlier order, then the added by vehicle and time.
std::vector<Change> plan_changes(const Problem& p, const std::vector<Promise>& promises, const Solution& s);

}  // namespace nightout::route
