#!/usr/bin/env bash
# What calling a method by its schema costs: loadgen's closed model at full speed on the lab's own Unary called by
# name (a call of any service: lab.v1.LoadLab/Unary from protos/lab.proto, its JSON request encoded once, bytes both
# ways) next to the same call through the typed LoadLab client, against the same lab server, in one run, in
# rotating rounds, printed as throughput ratios (issue 14's target: the dynamic call at least 0.95 of the typed one).
#
#   bench/loadgen-any-service.sh [--rounds K] [--duration S] [--warmup S] [--concurrency C] [--port P]
#
#   --rounds       rounds; each runs the two clients once, the first one alternating (default 5)
#   --duration     measured seconds per client per round (default 10)
#   --warmup       seconds of calls before each measurement, not counted, in every client (default 10: the JIT compiles for several seconds)
#   --concurrency  calls in flight at once, the same in both clients (default 64)
#   --port         the lab server's port (default 7120)
#
# The clients, both loadgen run on static:127.0.0.1:PORT, round_robin, with a 10 s deadline:
#   typed    "call": { "kind": "unary", "replySize": 16 }: the lab's typed driver (WorkRequest, WorkReply)
#   dynamic  "call": { "method": "lab.v1.LoadLab/Unary", "protos": ["protos/lab.proto"],
#            "request": { "replySize": 16, "replyCount": 10 } }: the same request bytes, sent by the dynamic driver
# One lab server is started by scripts/servers.sh in a temporary LAB_DIR, warmed up by one unmeasured run, and
# stopped on exit. Every output and result.json is kept in bench/results/loadgen-any-service/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
SERVER_WARMUP=5

ROUNDS=5 DURATION=10 WARMUP=10 CONCURRENCY=64 PORT=7120

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warmup) WARMUP=${2:-} && shift 2 ;;
    --concurrency) CONCURRENCY=${2:-} && shift 2 ;;
    --port) PORT=${2:-} && shift 2 ;;
    -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
# loadgen's CPU is read from the measured phase's whole seconds, less its first and last.
check_closed_options 3

bench_workspace loadgen-any-service

echo "building src/LoadGen (Release)..."
build_copy src/LoadGen/LoadGen.csproj "$BIN/loadgen"

"$ROOT/scripts/servers.sh" start 1 --base-port "$PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the server did not start"; }
ADDRESS=127.0.0.1:$PORT

# Writes the scenario of CLIENT (typed or dynamic) to NAME.json: a WARMUP-second warm-up and a SECONDS-second measured
# phase, both at CONCURRENCY callers.
write_scenario() {
  local client=$1 seconds=$2 name=$3 call
  case $client in
    typed) call='"kind": "unary", "replySize": 16' ;;
    dynamic) call="\"kind\": \"unary\", \"method\": \"lab.v1.LoadLab/Unary\", \"protos\": [\"$ROOT/protos/lab.proto\"], \"request\": { \"replySize\": 16, \"replyCount\": 10 }" ;;
  esac
  write_closed_scenario "$RESULTS/$name.json" "any-service-$name" "static:$ADDRESS" "$call" "$seconds"
}

# Sets RATE, CPU_PER_CALL and VALID of the run NAME of the scenario SCENARIO.json: calls/s of the measured phase, its
# CPU per call over the measured whole seconds (the timeline's cpuPercent is of all cores), and its own verdict's
# validity.
run_client() {
  local scenario=$1 name=$2 seconds=$3 flat=$RESULTS/$2.flat
  run_loadgen "$RESULTS/$scenario.json" "$name" "$RESULTS/$name.txt" "$flat" "$seconds"
  [[ $(field totals.calls.failed "$flat") == 0 ]] || die "$name had failed calls (see $RESULTS/$name.txt)"
  RATE=$(field totals.callsPerSecond "$flat")
  VALID=$(field verdict.valid "$flat")
  CPU_PER_CALL=$(measured_seconds "$flat" | awk -v cores="$(nproc)" '
    { calls += $2; cpu += $3 / 100 * cores } END { printf "%.1f", calls ? 1e6 * cpu / calls : 0 }')
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

load_before=$(uptime | sed 's/.*load average: //')
clients=(typed dynamic)
for client in "${clients[@]}"; do write_scenario "$client" "$DURATION" "$client"; done
# A fresh server is still compiling its hot paths: one unmeasured run first, so that round 1 does not pay for it.
echo "warming up the server (one unmeasured ${SERVER_WARMUP}s typed run)..."
write_scenario typed "$SERVER_WARMUP" warm-up
run_client warm-up warm-up "$SERVER_WARMUP"

commit=$(sources_commit src/LoadGen src/Balancer)
echo "loadgen (closed model): the lab's Unary by schema (dynamic) vs the typed LoadLab client (typed), reply_size 16,"
echo "1 lab server at $ADDRESS; sources: $commit"
echo "the server and the clients share this machine's $(nproc) CPUs, with whatever else runs on it (load average at start: $load_before)"
echo "raw outputs: ${RESULTS#"$ROOT"/}"
echo
echo "$ROUNDS rounds x ${DURATION}s per client (+${WARMUP}s warm-up each), $CONCURRENCY calls in flight"
format='%-6s %-15s %11s %11s %9s %9s %9s %-9s\n'
# shellcheck disable=SC2059
printf "$format" round order "typed rps" "dyn. rps" "dyn/typed" "typed cpu" "dyn. cpu" "valid"
declare -A rates=() cpus=() valid=()
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which client goes first, so that a drift in the machine's load favours neither.
  first=$(((round - 1) % 2))
  order=("${clients[@]:first}" "${clients[@]:0:first}")
  for client in "${order[@]}"; do
    run_client "$client" "$client-$round" "$DURATION"
    rates[$client]+="$RATE " cpus[$client]+="$CPU_PER_CALL "
    valid[$client]=$VALID
    declare "${client}_rate=$RATE" "${client}_cpu=$CPU_PER_CALL"
  done
  ratios+=("$(ratio "$dynamic_rate" "$typed_rate")")
  # shellcheck disable=SC2059
  printf "$format" "$round" "${order[0]} first" "$typed_rate" "$dynamic_rate" "${ratios[-1]}" "${typed_cpu}us" \
    "${dynamic_cpu}us" "${valid[typed]}/${valid[dynamic]}"
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
echo
awk -v t="$(med "${rates[typed]}")" -v d="$(med "${rates[dynamic]}")" -v r="$(med "${ratios[*]}")" \
  -v tc="$(med "${cpus[typed]}")" -v dc="$(med "${cpus[dynamic]}")" 'BEGIN {
    printf "median rps: typed %.1f, dynamic %.1f\n", t, d
    printf "ratio dynamic/typed: %.3f median of the per-round ratios, %.3f of the medians (target: at least 0.95)\n", r, d / t
    printf "median client CPU per call: typed %.1f us, dynamic %.1f us\n", tc, dc
  }'
echo "load average at the end: $(uptime | sed 's/.*load average: //')"
