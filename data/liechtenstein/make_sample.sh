#!/usr/bin/env bash
# Builds the Liechtenstein sample from the OpenStreetMap extract (run from the repo root):
#   bash data/liechtenstein/make_sample.sh ../shared/data/osm/liechtenstein.osm.pbf
# Needs gdal-bin (ogr2ogr) and osmium-tool. Data © OpenStreetMap contributors, ODbL 1.0.
set -euo pipefail
src=${1:-../shared/data/osm/liechtenstein.osm.pbf}
dst=$(dirname "$0")
export OSM_USE_CUSTOM_INDEXING=NO

# The municipalities: administrative boundaries of level 8.
ogr2ogr -f GeoJSON -overwrite -lco RFC7946=YES "$dst/municipalities.geojson" "$src" multipolygons \
  -dialect sqlite -sql "SELECT osm_id AS id, name, geometry FROM multipolygons WHERE admin_level = '8' AND boundary = 'administrative' ORDER BY name"

# Where people live: OSM place nodes that carry a population tag (villages and towns).
ogr2ogr -f GeoJSON -overwrite -lco RFC7946=YES "$dst/places.geojson" "$src" points \
  -dialect sqlite -sql "SELECT osm_id AS id, name, place, CAST(hstore_get_value(other_tags, 'population') AS INTEGER) AS population, geometry
                        FROM points WHERE place IS NOT NULL AND hstore_get_value(other_tags, 'population') IS NOT NULL ORDER BY name"

# The police station(s).
ogr2ogr -f GeoJSON -overwrite -lco RFC7946=YES "$dst/police.geojson" "$src" points \
  -dialect sqlite -sql "SELECT osm_id AS id, COALESCE(name, hstore_get_value(other_tags, 'operator'), 'Landespolizei') AS name, geometry
                        FROM points WHERE hstore_get_value(other_tags, 'amenity') = 'police'"

# Illustrative events at real schools and parks (centroids for mapped areas).
ogr2ogr -f CSV -overwrite "$dst/events.csv" "$src" -dialect sqlite -sql "
  SELECT 'E' || substr('00' || (ROW_NUMBER() OVER (ORDER BY kind, name, lon)), -3) AS id, name, kind, lat, lon, '18:00' AS start, '21:00' AS end FROM (
    SELECT COALESCE(name, 'School') AS name, 'school' AS kind, round(ST_Y(ST_PointOnSurface(geometry)), 7) AS lat, round(ST_X(ST_PointOnSurface(geometry)), 7) AS lon
      FROM multipolygons WHERE amenity = 'school'
    UNION ALL SELECT COALESCE(name, 'School'), 'school', round(ST_Y(geometry), 7), round(ST_X(geometry), 7)
      FROM points WHERE hstore_get_value(other_tags, 'amenity') = 'school'
    UNION ALL SELECT COALESCE(name, 'Park'), 'park', round(ST_Y(ST_PointOnSurface(geometry)), 7), round(ST_X(ST_PointOnSurface(geometry)), 7)
      FROM multipolygons WHERE leisure = 'park')"

# The road network: every highway way of the extract, with the nodes they use.
osmium tags-filter "$src" w/highway -o "$dst/roads.osm.pbf" --overwrite
