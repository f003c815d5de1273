#!/usr/bin/env bash
# What following the servers (or exporting over OTLP) costs the load generator: loadgen's closed model at full speed
# against lab servers, with and without following their timelines (WatchStats; loadgen run --no-follow), in one run,
# in alternating rounds, printed as throughput ratios and the generator's CPU per call, with the load average.
#
#   bench/follow-cost.sh [--feature follow|otlp] [--rounds K] [--duration S] [--warmup S] [--concurrency C]
#                        [--instances N] [--port P]
#
#   --feature      follow (default): with and without following the servers; otlp: neither follows, and one exports
#                  its live metrics over OTLP each second (--otlp-endpoint, --otlp-interval 1s) to the first server,
#                  which serves no OTLP and refuses each export (no collector needed: the metrics are aggregated,
#                  encoded and sent all the same; the run ends warning that its last export was not taken)
#   --rounds       rounds; each runs loadgen once with the feature and once without, the first one alternating (default 5)
#   --duration     measured seconds per run (default 10)
#   --warmup       seconds of calls before each measurement, not counted (default 10: the JIT compiles for several seconds)
#   --concurrency  calls in flight at once (default 64)
#   --instances    lab servers, each followed by its own stream (default 2)
#   --port         the first server's port (default 7200)
#
# The call: Unary, reply_size 16, 10 s deadline, round_robin over the instances. followed/not (exported/not) is the
# cost of the feature (1.0 = none). The servers are started by scripts/servers.sh in a temporary LAB_DIR, warmed up
# by one unmeasured run, and stopped on exit. Every output and result.json is kept in bench/results/follow-cost/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

FEATURE=follow ROUNDS=5 DURATION=10 WARMUP=10 CONCURRENCY=64 INSTANCES=2 PORT=7200

while [[ $# -gt 0 ]]; do
  case $1 in
    --feature) FEATURE=${2:-} && shift 2 ;;
    --rounds) ROUNDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warmup) WARMUP=${2:-} && shift 2 ;;
    --concurrency) CONCURRENCY=${2:-} && shift 2 ;;
    --instances) INSTANCES=${2:-} && shift 2 ;;
    --port) PORT=${2:-} && shift 2 ;;
    -h | --help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
is_uint "$INSTANCES" || die "options take whole numbers, not '$INSTANCES'"
check_closed_options 3
((INSTANCES >= 1 && INSTANCES <= 16)) || die "--instances must be 1-16"
((PORT + INSTANCES - 1 <= 65535)) || die "--port must leave room for --instances ports up to 65535"
# ON: the variant with the feature; the arguments of each variant; WHAT they compare.
case $FEATURE in
  follow) ON=followed ON_ARGS=() OFF_ARGS=(--no-follow) WHAT="with and without following them" ;;
  otlp)
    ON=exported ON_ARGS=(--no-follow --otlp-endpoint "http://127.0.0.1:$PORT" --otlp-interval 1s) OFF_ARGS=(--no-follow)
    WHAT="not following them, with and without the OTLP export each second"
    ;;
  *) die "--feature must be follow or otlp, not '$FEATURE'" ;;
esac

bench_workspace follow-cost "$FEATURE"

echo "building src/LoadGen (Release)..."
build_copy src/LoadGen/LoadGen.csproj "$BIN/loadgen"

"$ROOT/scripts/servers.sh" start "$INSTANCES" --base-port "$PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the servers did not start"; }

SCENARIO=$RESULTS/closed.json
write_closed_scenario "$SCENARIO" follow-cost "file:$LAB_DIR/servers.txt" '"kind": "unary", "replySize": 16' "$DURATION"

# Sets RATE and CPU_PER_CALL (the generator's, over the measured whole seconds) of one run NAME with ARGS.
run_once() {
  local name=$1 flat=$RESULTS/$1.flat
  shift
  run_loadgen "$SCENARIO" "$name" "$RESULTS/$name.txt" "$flat" "$DURATION" "$@"
  [[ $(field totals.calls.failed "$flat") == 0 ]] || die "loadgen run $name had failed calls (see $RESULTS/$name.txt)"
  RATE=$(field totals.callsPerSecond "$flat")
  CPU_PER_CALL=$(measured_seconds "$flat" | awk -v cores="$(nproc)" '
    { calls += $2; cpu += $3 / 100 * cores } END { printf "%.1f", calls ? 1e6 * cpu / calls : 0 }')
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

load_before=$(uptime | sed 's/.*load average: //')
echo "warming up the servers (one unmeasured run)..."
run_once warm-up
commit=$(sources_commit src/LoadGen)
echo "loadgen closed model, $CONCURRENCY calls in flight over $INSTANCES lab servers, $WHAT; sources: $commit"
echo "the servers and loadgen share this machine's $(nproc) CPUs, with whatever else runs on it (load average at start: $load_before)"
echo "raw outputs: ${RESULTS#"$ROOT"/}"
echo
format='%-6s %-15s %12s %12s %9s %11s %11s\n'
# shellcheck disable=SC2059
printf "$format" round order "$ON rps" "not rps" "ratio" "${ON:0:4}. cpu" "not cpu"
ratios=() on_rates=() not_rates=() on_cpus=() not_cpus=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which goes first, so that a drift in the machine's load favours neither.
  if ((round % 2)); then order=(on not); else order=(not on); fi
  for variant in "${order[@]}"; do
    if [[ $variant == on ]]; then run_once "$ON-$round" "${ON_ARGS[@]}"; else run_once "not-$round" "${OFF_ARGS[@]}"; fi
    declare "${variant}_rate=$RATE" "${variant}_cpu=$CPU_PER_CALL"
  done
  ratios+=("$(ratio "$on_rate" "$not_rate")")
  on_rates+=("$on_rate") not_rates+=("$not_rate") on_cpus+=("$on_cpu") not_cpus+=("$not_cpu")
  first=${order[0]/on/$ON}
  # shellcheck disable=SC2059
  printf "$format" "$round" "$first first" "$on_rate" "$not_rate" "${ratios[-1]}" "${on_cpu}us" "${not_cpu}us"
done

med() { printf '%s\n' "$@" | median; }
echo
awk -v on="$ON" -v f="$(med "${on_rates[@]}")" -v n="$(med "${not_rates[@]}")" -v r="$(med "${ratios[@]}")" \
  -v fc="$(med "${on_cpus[@]}")" -v nc="$(med "${not_cpus[@]}")" 'BEGIN {
    printf "median rps: %s %.1f, not %.1f\n", on, f, n
    printf "ratio %s/not: %.3f of the medians, %.3f median of the per-round ratios (1.0 = it costs nothing)\n", on, f / n, r
    printf "median loadgen CPU per call: %s %.1f us, not %.1f us\n", on, fc, nc
  }'
echo "load average at the end: $(uptime | sed 's/.*load average: //')"
