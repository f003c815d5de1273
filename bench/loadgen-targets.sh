#!/usr/bin/env bash
# Every target of issue 16 (the load generator's own cost) in one command, for a quiet machine:
#   1. allocated bytes per unary call, loadgen's own beyond the call's (BenchmarkDotNet, bench/LoadGen.Benchmarks);
#   2. closed model: loadgen vs the bare loop over the same balanced channel, median of 5 rounds (target >= 0.95), and
#      open model: valid with schedule lag p99 < 1 ms at every rate from 10/s to 8,000/s (bench/loadgen-overhead.sh);
#   3. streams: 5,000 on one instance and 20,000 over four, at 1 and 5 messages a second each, valid, messages/s
#      >= 0.95 of the bare streaming loop (bench/loadgen-streams.sh), for server streams and for bidi.
#
#   bench/loadgen-targets.sh [--quick]
#
#   --quick  shorter runs (3 rounds, 5 s steps, streams at 1,000 and 4,000): a check that everything runs, not a measurement
#
# Takes about 40 minutes on 2 cores. Each part prints its own table and the load average; everything is kept under
# bench/results/. Uses ports 7100 (one server) and 7110-7113 (four).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

QUICK=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=1 && shift ;;
    -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

overhead=(--rounds 5) streams=() bidi=()
if ((QUICK)); then
  overhead=(--rounds 3 --duration 5 --open-duration 5)
  streams=(--setups "1000:1 4000:4" --duration 8 --warmup 5) bidi=("${streams[@]}")
fi

echo "== 1. allocated bytes per call (BenchmarkDotNet; deterministic, unlike the timings beside them) =="
echo "load average: $(uptime | sed 's/.*load average: //')"
dotnet run -c Release --project "$ROOT/bench/LoadGen.Benchmarks" -- --filter '*' --artifacts "$ROOT/bench/results/loadgen-benchmarks" |
  sed -n '/^| Method/,/^$/p'
echo
echo "== 2. closed and open model (bench/loadgen-overhead.sh ${overhead[*]}) =="
"$ROOT/bench/loadgen-overhead.sh" "${overhead[@]}"
echo
echo "== 3a. server streams (bench/loadgen-streams.sh ${streams[*]}) =="
"$ROOT/bench/loadgen-streams.sh" "${streams[@]}"
echo
echo "== 3b. bidi streams (bench/loadgen-streams.sh --kind bidi ${bidi[*]}) =="
"$ROOT/bench/loadgen-streams.sh" --kind bidi "${bidi[@]}"
