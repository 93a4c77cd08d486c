#include "geo/geodesic.hpp"

#include <geodesic.h>

#include <cmath>
#include <vector>

namespace nightout {

namespace {

const geod_geodesic& wgs84() {
    static const geod_geodesic g = [] {
        geod_geodesic tmp{};
        geod_init(&tmp, 6378137.0, 1.0 / 298.257223563);
        return tmp;
    }();
    return g;
}

}  // namespace

double geodesic_distance(double lon1, double lat1, double lon2, double lat2) {
    double s12 = 0;
    geod_inverse(&wgs84(), lat1, lon1, lat2, lon2, &s12, nullptr, nullptr);
    return s12;
}

GeodesicResult geodesic_inverse(double lon1, double lat1, double lon2, double lat2) {
    GeodesicResult r;
    geod_inverse(&wgs84(), lat1, lon1, lat2, lon2, &r.s12, &r.azi1, &r.azi2);
    return r;
}

double geodesic_ring_area(const double* lons, const double* lats, int n) {
    double area = 0, perimeter = 0;
    std::vector<double> la(lats, lats + n), lo(lons, lons + n);
    geod_polygonarea(&wgs84(), la.data(), lo.data(), n, &area, &perimeter);
    return std::fabs(area);
}

}  // namespace nightout

namespace nightout {

void geodesic_interior_points(double lon1, double lat1, double lon2, double lat2, int pieces,
                              std::vector<double>& lons, std::vector<double>& lats) {
    if (pieces < 2) return;
    geod_geodesicline line{};
    geod_inverseline(&line, &wgs84(), lat1, lon1, lat2, lon2, 0);
    for (int k = 1; k < pieces; ++k) {
        double lat = 0, lon = 0;
        geod_position(&line, line.s13 * k / pieces, &lat, &lon, nullptr);
        lons.push_back(lon);
        lats.push_back(lat);
    }
}

}  // namespace nightout
