#!/usr/bin/env bash
# Installs what nightout needs from Debian packages and npm, and only what is missing.
# Usage: bash .ci/setup.sh [--bench]   (--bench adds the peers measured in bench/)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake g++ make pkg-config libgdal-dev libgeos-dev libproj-dev libboost-test-dev
          nlohmann-json3-dev libcli11-dev libtomlplusplus-dev libeigen3-dev
          libosmium2-dev libprotozero-dev zlib1g-dev libbz2-dev libexpat1-dev python3-networkx libgoogle-perftools-dev coinor-libcbc-dev
          # report.html: Leaflet from npm (web/), checked in headless Chromium by the browser test
          chromium
          # notebooks/, executed by the test suite; qgis_process checks the styled GeoPackage (~40 s to install)
          python3-geopandas python3-matplotlib python3-nbclient python3-nbformat python3-ipykernel jupyter-nbconvert qgis
          # the Python module (python/, pybind11) and nightout.distributed (Dask)
          pybind11-dev python3-dev python3-distributed
          # tests/fuzz: libFuzzer harnesses (clang's sanitizer runtimes)
          clang libclang-rt-14-dev
          # data/columbus/make_sample.py cuts its street extract with osmium
          osmium-tool
          # nightout program: calendar.ics written with libical, parsed back by the tests with python3-icalendar
          libical-dev python3-icalendar)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-shapely python3-pyproj hyperfine python3-pulp coinor-cbc)
fi
# Node.js may come from elsewhere (e.g. nodesource, which bundles npm; Debian's npm would conflict).
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present" >&2
fi

# npm packages pinned by web/package-lock.json; reinstalled only when the lock file changed.
if ! cmp -s web/package-lock.json web/node_modules/.nightout-lock.json 2>/dev/null; then
  echo "setup: npm ci in web/" >&2
  (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null && cp package-lock.json node_modules/.nightout-lock.json)
else
  echo "setup: web/node_modules up to date" >&2
fi
