#!/usr/bin/env bash
# Scale benchmark (issue 16): single-machine `nightout coverage` on census-block-like data at
# 100k, 1M and 4M blocks (time, peak memory), then the same through nightout.distributed on a
# 2-worker LocalCluster (bench/scale/run_distributed.py). Figures: docs/benchmarks.md.
#   bash bench/scale/run.sh                 # SIZES="100000 1000000 4000000" DATA=/tmp/nightout-scale BUILD=build
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
DATA=${DATA:-/tmp/nightout-scale}
SIZES=${SIZES:-"100000 1000000 4000000"}
for n in $SIZES; do
  dir=$DATA/$n
  events=$((n / 10))
  [[ -f $dir/blocks.csv ]] || /usr/bin/python3 bench/scale/generate.py --blocks "$n" --events "$events" --out "$dir"
  rm -rf "$dir/out"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "$BUILD/nightout" -q coverage --areas "$dir/blocks.csv" --events "$dir/events.csv" \
    --population-field pop --radius 400m,800m --out "$dir/out"
  read -r secs kb < "$dir/time.txt"
  blocks=$(($(wc -l < "$dir/blocks.csv") - 1))
  echo "single $blocks blocks, $events events: ${secs} s, peak $((kb / 1024)) MiB (load at start $load, end $(cut -d' ' -f1 /proc/loadavg))"
done
for n in $SIZES; do
  [[ $n -le 1000000 ]] || continue  # the 4M run on a 24 GiB machine: single only (see docs)
  PYTHONPATH=$BUILD/python /usr/bin/python3 bench/scale/run_distributed.py "$DATA/$n"
done
