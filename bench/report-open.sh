#!/usr/bin/env bash
# How heavy loadgen's pages are: a compare of 10 runs of 60 s each should open in Chromium in under 2 seconds, and
# one run's report.html should stay under 5 MB.
#
#   bench/report-open.sh [--runs N] [--duration S] [--parallel P] [--rate R] [--port P] [--loads K]
#
#   --runs      real loadgen runs to make and compare (default 10)
#   --duration  seconds of each run's measured phase (default 60)
#   --parallel  runs at once (default 5): each is light, and the machine stays responsive
#   --rate      calls/s of each run, Poisson arrivals of unary calls with 1 ms of delay (default 100)
#   --port      the first of the 3 lab servers' ports (default 5450)
#   --loads     loads of compare.html measured; the median is the figure (default 5)
#
# Three lab servers are started by scripts/servers.sh in a temporary LAB_DIR and stopped on exit; loadgen (Release)
# runs the scenario RUNS times; then loadgen report makes each run's report.html again (as a run whose loadgen failed
# after writing its result.json lacks one) and loadgen compare makes one compare.html of all of them. Then bench/report-open.js opens compare.html from disk in headless Chromium with the network
# off, LOADS times in fresh contexts, and times each load from the start of the navigation to the first frame in
# which every chart is drawn. The runs, the pages and the outputs are kept in bench/results/report-open/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
OPEN_LIMIT_MS=2000
REPORT_LIMIT_BYTES=$((5 * 1000 * 1000))

RUNS=10 DURATION=60 PARALLEL=5 RATE=100 PORT=5450 LOADS=5

while [[ $# -gt 0 ]]; do
  case $1 in
    --runs) RUNS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --parallel) PARALLEL=${2:-} && shift 2 ;;
    --rate) RATE=${2:-} && shift 2 ;;
    --port) PORT=${2:-} && shift 2 ;;
    --loads) LOADS=${2:-} && shift 2 ;;
    -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for value in "$RUNS" "$DURATION" "$PARALLEL" "$RATE" "$PORT" "$LOADS"; do
  is_uint "$value" || die "options take whole numbers, not '$value'"
done
((RUNS >= 2 && RUNS <= 20)) || die "--runs must be 2-20"
((DURATION >= 1 && DURATION <= 600)) || die "--duration must be 1-600 seconds"
((PARALLEL >= 1 && PARALLEL <= 10)) || die "--parallel must be 1-10"
((RATE >= 1 && RATE <= 2000)) || die "--rate must be 1-2000 calls/s"
((PORT >= 1024 && PORT <= 65533)) || die "--port must be 1024-65533"
((LOADS >= 1 && LOADS <= 50)) || die "--loads must be 1-50"
command -v chromium >/dev/null || die "needs Debian's chromium (apt-get install chromium)"

RESULTS=$ROOT/bench/results/report-open/$(date +%Y%m%d-%H%M%S)
REPORTS=$RESULTS/reports
mkdir -p "$REPORTS"
export LAB_DIR
LAB_DIR=$(mktemp -d)
BIN=$(mktemp -d)
LOADGEN_PIDS=()

cleanup() {
  ((${#LOADGEN_PIDS[@]} == 0)) || kill -TERM "${LOADGEN_PIDS[@]}" 2>/dev/null || true
  "$ROOT/scripts/servers.sh" stop --timeout 10 >/dev/null || true
  rm -rf "$LAB_DIR" "$BIN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building src/LoadGen (Release) and installing tests/Browser's packages (playwright-core)..."
build_copy src/LoadGen/LoadGen.csproj "$BIN/loadgen"
LOADGEN=$BIN/loadgen/loadgen.dll
(cd "$ROOT/tests/Browser" && npm ci --silent)

"$ROOT/scripts/servers.sh" start 3 --base-port "$PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the servers did not start"; }

SCENARIO=$RESULTS/scenario.json
cat >"$SCENARIO" <<EOF
{
  "name": "report-open",
  "target": { "address": "static:127.0.0.1:$PORT,127.0.0.1:$((PORT + 1)),127.0.0.1:$((PORT + 2))", "policy": "round_robin" },
  "call": { "kind": "unary", "requestSize": 256, "replySize": 256, "delay": "1ms" },
  "phases": [
    { "type": "constant-rate", "name": "warm-up", "warmup": true, "rate": $RATE, "duration": "3s" },
    { "type": "poisson", "rate": $RATE, "duration": "${DURATION}s" }
  ],
  "report": { "directory": "$REPORTS" }
}
EOF

# Runs RUNS loadgen runs, PARALLEL at a time. Only their result.json files matter here: a run that exits non-zero
# after writing one (an invalid run, or a crash on the way out) is told of and kept, and its pages are made below.
echo "$RUNS runs of ${DURATION}s at $RATE calls/s, $PARALLEL at a time, against 3 lab servers..."
for first in $(seq 1 "$PARALLEL" "$RUNS"); do
  LOADGEN_PIDS=()
  for run in $(seq "$first" $((first + PARALLEL - 1))); do
    ((run <= RUNS)) || break
    timeout $((DURATION + 120)) dotnet "$LOADGEN" run "$SCENARIO" --name "report-open-$run" \
      >"$RESULTS/run-$run.txt" 2>&1 &
    LOADGEN_PIDS+=($!)
  done
  for index in "${!LOADGEN_PIDS[@]}"; do
    status=0
    wait "${LOADGEN_PIDS[index]}" || status=$?
    ((status == 0)) || echo "run $((first + index)) exited with $status (see run-$((first + index)).txt)"
  done
done
LOADGEN_PIDS=()
"$ROOT/scripts/servers.sh" stop --timeout 10 >/dev/null

mapfile -t run_dirs < <(find "$REPORTS" -mindepth 2 -maxdepth 2 -name result.json -printf '%h\n' | sort)
((${#run_dirs[@]} == RUNS)) || die "expected $RUNS result.json files in $REPORTS, found ${#run_dirs[@]}"
for dir in "${run_dirs[@]}"; do
  dotnet "$LOADGEN" report "$dir" >>"$RESULTS/report.txt" 2>&1 || die "loadgen report $dir failed (see $RESULTS/report.txt)"
done
COMPARE=$RESULTS/compare.html
dotnet "$LOADGEN" compare "${run_dirs[@]}" -o "$COMPARE" >"$RESULTS/compare.txt" 2>&1 ||
  die "loadgen compare failed (see $RESULTS/compare.txt)"

load=$(uptime | sed 's/.*load average: //')
node "$ROOT/bench/report-open.js" "$COMPARE" "$LOADS" | tee "$RESULTS/loads.txt"
median_ms=$(sed -nE 's/^load=[0-9]+ ms=([0-9]+)$/\1/p' "$RESULTS/loads.txt" | median)
compare_bytes=$(stat -c %s "$COMPARE")
largest=$(for dir in "${run_dirs[@]}"; do stat -c '%s %n' "$dir/report.html"; done | sort -n | tail -n 1)
largest_bytes=${largest%% *}
result_bytes=$(stat -c %s "${run_dirs[0]}/result.json")

mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? "yes" : "NO" }'; }
commit=$(sources_commit src/LoadGen)
echo
echo "sources: $commit; Chromium: $(chromium --version 2>/dev/null | head -n 1); raw outputs: ${RESULTS#"$ROOT"/}"
echo "load average before the loads (the machine's $(nproc) CPUs are shared with whatever else runs): $load"
echo "compare.html of $RUNS runs x ${DURATION}s: $(mb "$compare_bytes"); median load to all charts drawn over $LOADS loads: ${median_ms} ms (under ${OPEN_LIMIT_MS} ms: $(below "$median_ms" "$OPEN_LIMIT_MS"))"
echo "largest report.html: $(mb "$largest_bytes") (under $(mb "$REPORT_LIMIT_BYTES"): $(below "$largest_bytes" "$REPORT_LIMIT_BYTES")); one result.json: $(mb "$result_bytes")"
