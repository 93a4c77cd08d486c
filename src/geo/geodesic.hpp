// Geodesics on the WGS84 ellipsoid, by Karney's algorithm as shipped with PROJ.
#pragma once

#include <vector>

namespace nightout {

// Shortest distance in meters between two lon/lat points (degrees), accurate to nanometers.
double geodesic_distance(double lon1, double lat1, double lon2, double lat2);

struct GeodesicResult {
    double s12 = 0;          // distance, m
    double azi1 = 0, azi2 = 0;  // forward azimuths at each end, degrees
};
GeodesicResult geodesic_inverse(double lon1, double lat1, double lon2, double lat2);

// Area (m^2, positive) of a ring of lon/lat vertices on the ellipsoid.
double geodesic_ring_area(const double* lons, const double* lats, int n);

}  // namespace nightout

namespace nightout {

// Appends the `pieces - 1` points that cut the geodesic from (lon1, lat1) to (lon2, lat2)
// into `pieces` equal lengths (longitudes may come back wrapped to [-180, 180]).
void geodesic_interior_points(double lon1, double lat1, double lon2, double lat2, int pieces,
                              std::vector<double>& lons, std::vector<double>& lats);

}  // namespace nightout
