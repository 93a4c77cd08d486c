#!/usr/bin/env bash
# Installs what nightout needs from Debian packages, and only what is missing.
# Usage: bash .ci/setup.sh [--bench]   (--bench adds the peers measured in bench/)
set -euo pipefail

packages=(cmake g++ make pkg-config libgdal-dev libgeos-dev libproj-dev libboost-test-dev
          nlohmann-json3-dev libcli11-dev
          libosmium2-dev libprotozero-dev zlib1g-dev libbz2-dev libexpat1-dev python3-networkx libgoogle-perftools-dev coinor-libcbc-dev)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-geopandas python3-shapely python3-pyproj hyperfine python3-pulp coinor-cbc)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present" >&2
fi
