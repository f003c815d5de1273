#!/usr/bin/env bash
# What a C# scenario's step costs: the lab's unary call in a closed loop at full speed, made by a C# scenario's step
# (bench/StepLoop, src/LoadGen/CodeScenarios) and by loadgen's typed driver (loadgen run), from one scenario file,
# against the same lab server, in one run, in rounds that alternate which goes first; printed as throughput ratios
# step/typed (issue 18's target: a median of at least 0.95).
#
#   bench/code-scenario-overhead.sh [--rounds K] [--duration S] [--warmup S] [--concurrency C] [--port P]
#
#   --rounds       rounds; each runs both once, the first one alternating (default 5)
#   --duration     measured seconds per run (default 10)
#   --warmup       seconds of calls before each measurement, not counted (default 10: the JIT compiles for several seconds)
#   --concurrency  calls in flight at once, the same in both (default 64)
#   --port         the lab server's port (default 7120)
#
# Both run the same engine (the closed model, the recorders, the balanced channel, result.json) with loadgen's GC
# settings; they differ only in who makes the call: the step (a delegate given a reused context and a kept client,
# its state pooled) or the typed driver. One lab server is started by scripts/servers.sh in a temporary LAB_DIR, warmed up by one
# unmeasured run, and stopped on exit. Every output and result.json is kept in bench/results/code-scenario-overhead/.
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
    -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
check_closed_options 1

bench_workspace code-scenario-overhead

echo "building src/LoadGen and bench/StepLoop (Release)..."
build_copy src/LoadGen/LoadGen.csproj "$BIN/loadgen"
build_copy bench/StepLoop/StepLoop.csproj "$BIN/step"

"$ROOT/scripts/servers.sh" start 1 --base-port "$PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the server did not start"; }
ADDRESS=127.0.0.1:$PORT

SCENARIO=$RESULTS/closed.json
write_closed_scenario "$SCENARIO" code-scenario-overhead "static:$ADDRESS" '"kind": "unary", "replySize": 16' "$DURATION"

# Sets RATE and VALID of one run of SIDE (typed or step) in ROUND: calls/s of its measured phase and its own
# verdict's validity. A run with failed calls stops the benchmark: it would not be comparable.
run_side() {
  local side=$1 round=$2 name=$1-$2 out=$RESULTS/$1-$2.txt flat=$RESULTS/$1-$2.flat
  case $side in
    typed) run_loadgen "$SCENARIO" "$name" "$out" "$flat" "$DURATION" ;;
    step) run_result_writer "$name" "$out" "$flat" "$DURATION" dotnet "$BIN/step/GrpcLoadLab.Bench.StepLoop.dll" "$SCENARIO" "$name" ;;
  esac
  [[ $(field totals.calls.failed "$flat") == 0 ]] || die "$name had failed calls (see $out)"
  RATE=$(field totals.callsPerSecond "$flat")
  VALID=$(field verdict.valid "$flat")
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

load_before=$(uptime | sed 's/.*load average: //')
# A fresh server is still compiling its hot paths: one unmeasured run first, so that round 1 does not pay for it.
echo "warming up the server (one unmeasured ${SERVER_WARMUP}s run)..."
run_result_writer warm-up "$RESULTS/warm-up.txt" "$RESULTS/warm-up.flat" "$SERVER_WARMUP" \
  dotnet "$BIN/loadgen/loadgen.dll" run "$SCENARIO" --name warm-up --duration "${SERVER_WARMUP}s"

commit=$(sources_commit src/LoadGen src/Balancer bench/StepLoop)
echo "a C# scenario's step vs loadgen's typed driver: unary, reply_size 16, 1 lab server at $ADDRESS; sources: $commit"
echo "the server and the clients share this machine's $(nproc) CPUs, with whatever else runs on it (load average at start: $load_before)"
echo "raw outputs: ${RESULTS#"$ROOT"/}"
echo
echo "closed model: $ROUNDS rounds x ${DURATION}s per side (+${WARMUP}s warm-up each), $CONCURRENCY calls in flight"
format='%-6s %-12s %11s %11s %10s %-11s %-10s\n'
# shellcheck disable=SC2059
printf "$format" round order "typed rps" "step rps" step/typed "typed valid" "step valid"
typed_rates=() step_rates=() ratios=()
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then order=(typed step); else order=(step typed); fi
  for side in "${order[@]}"; do
    run_side "$side" "$round"
    declare "${side}_rate=$RATE" "${side}_valid=$VALID"
  done
  typed_rates+=("$typed_rate") step_rates+=("$step_rate") ratios+=("$(ratio "$step_rate" "$typed_rate")")
  # shellcheck disable=SC2059
  printf "$format" "$round" "${order[0]} first" "$typed_rate" "$step_rate" "${ratios[-1]}" "$typed_valid" "$step_valid"
done

med() { printf '%s\n' "$@" | median; }
echo
awk -v t="$(med "${typed_rates[@]}")" -v s="$(med "${step_rates[@]}")" -v r="$(med "${ratios[@]}")" 'BEGIN {
    printf "median rps: typed %.1f, step %.1f\n", t, s
    printf "ratio step/typed: %.3f of the medians, %.3f median of the per-round ratios (target: at least 0.95)\n", s / t, r
  }'
echo "load average at the end: $(uptime | sed 's/.*load average: //')"
