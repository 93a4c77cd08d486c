#!/usr/bin/env bash
# Installs nightout into a temporary prefix, builds examples/consumer against it with
# find_package(nightout), and runs it on the Charlotte sample: the figures must be the CLI's.
# Usage: consumer.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
# Nothing of the build tree or the sources may be needed: only the installed package.
cmake -S "$src/examples/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
out=$("$work/build/consumer" "$src/data/charlotte" "$work/out")
echo "$out"
grep -q "464 areas, 184 events, 919628 residents" <<<"$out"
grep -q "within 400m: 5.8% of the area, 9.0% of residents" <<<"$out"
grep -q "within 800m: 18.6% of the area, 26.8% of residents" <<<"$out"
test -f "$work/out/neighborhoods.geojson"
# The installed headers need no dependency of the engine (standard C++ only).
if grep -h '^#include <' "$work/prefix/include/nightout/"*.hpp | grep -v -E '<(nightout/[a-z]+\.hpp|cstddef|cstdint|functional|map|memory|optional|stdexcept|string|utility|variant|vector)>'; then
  echo "an installed header includes a non-standard header" >&2
  exit 1
fi
echo "consumer: ok"
