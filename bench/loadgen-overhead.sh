#!/usr/bin/env bash
# What the load generator costs: loadgen's closed model at full speed next to bare Grpc.Net.Client loops
# (bench/ChannelLoop) at the same concurrency against the same lab server, in one run, in rotating rounds, printed as
# throughput ratios; then whether loadgen's open model holds each of a list of rates with a schedule lag p99 under
# 1 ms (issue 16's target: every rate from 10/s to 8,000/s), each run beside a bare open loop at the same rate.
#
#   bench/loadgen-overhead.sh [--rounds K] [--duration S] [--warmup S] [--concurrency C] [--port P]
#                             [--open-duration S] [--open-runs K] [--rates "R1 R2 ..."]
#
#   --rounds         closed-model rounds; each runs the three clients once, the first one rotating (default 5)
#   --duration       measured seconds per client per round (default 10)
#   --warmup         seconds of calls before each measurement, not counted, in every client (default 10: the JIT compiles for several seconds)
#   --concurrency    calls in flight at once, the same in every client (default 64)
#   --port           the lab server's port (default 7100)
#   --open-duration  measured seconds of each open-model run (default 10)
#   --open-runs      runs at each rate (default 3): a rate holds when more than half of its runs hold it, since one run's
#                    p99 can be a few stalls of this virtual machine long
#   --rates          the open-model rates to try, in calls/s (default "10 100 500 1000 2000 4000 8000"; "" skips them)
#
# The clients, all sending Unary with reply_size 16 and a 10 s deadline:
#   plain     ChannelLoop --mode plain: one plain GrpcChannel to the server
#   balanced  ChannelLoop --mode balanced: one BalancedChannelFactory channel (round_robin) to the same server
#   loadgen   loadgen run, static:127.0.0.1:PORT, round_robin: the generator with its balanced channel
# loadgen/plain is the whole cost of using loadgen; loadgen/balanced is the generator's own, net of the balanced
# channel it calls through (measured over 4 instances in bench/balancer-overhead.sh).
# The open model has two references. The bare loop: ChannelLoop --rate, unary calls started through the same balanced
# channel, paced as loadgen's dispatcher paces its calls (its SchedulePacer), with loadgen's runtime settings (its
# runtimeconfig and gen0 budget), recording nothing but each call's lag: what grpc-dotnet, the server and this machine
# allow at the rate, so that loadgen's lag beyond it is loadgen's own. And the machine's own wake-up: cyclictest
# (Debian's rt-tests, installed when missing), a bare C thread at the dispatcher's real-time priority sleeping until
# each due time at the same rate, without spinning.
# One lab server is started by scripts/servers.sh in a temporary LAB_DIR, warmed up by one unmeasured run, and
# stopped on exit. Every output and result.json is kept in bench/results/loadgen-overhead/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
SERVER_WARMUP=5
LAG_LIMIT_MICROS=1000

ROUNDS=5 DURATION=10 WARMUP=10 CONCURRENCY=64 PORT=7100 OPEN_DURATION=10 OPEN_RUNS=3 RATES="10 100 500 1000 2000 4000 8000"

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warmup) WARMUP=${2:-} && shift 2 ;;
    --concurrency) CONCURRENCY=${2:-} && shift 2 ;;
    --port) PORT=${2:-} && shift 2 ;;
    --open-duration) OPEN_DURATION=${2:-} && shift 2 ;;
    --open-runs) OPEN_RUNS=${2:-} && shift 2 ;;
    --rates) RATES=${2-} && shift 2 ;;
    -h | --help) sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for value in "$ROUNDS" "$DURATION" "$WARMUP" "$CONCURRENCY" "$PORT" "$OPEN_DURATION" "$OPEN_RUNS" $RATES; do
  is_uint "$value" || die "options take whole numbers, not '$value'"
done
((ROUNDS >= 1 && ROUNDS <= 50)) || die "--rounds must be 1-50"
# loadgen's CPU and per-second lag are read from the measured phase's whole seconds, less its first and last.
((DURATION >= 3 && DURATION <= 600)) || die "--duration must be 3-600 seconds"
# A loadgen phase must last more than 0 s, so the warm-up phase needs at least 1 s.
((WARMUP >= 1 && WARMUP <= 60)) || die "--warmup must be 1-60 seconds"
((CONCURRENCY >= 1 && CONCURRENCY <= 1024)) || die "--concurrency must be 1-1024"
((PORT >= 1024 && PORT <= 65535)) || die "--port must be 1024-65535"
((OPEN_DURATION >= 3 && OPEN_DURATION <= 60)) || die "--open-duration must be 3-60 seconds"
((OPEN_RUNS >= 1 && OPEN_RUNS <= 10)) || die "--open-runs must be 1-10"
for rate in $RATES; do ((rate >= 1 && rate <= 1000000)) || die "--rates must be 1-1000000 calls/s each"; done
[[ -z $RATES ]] || need_debian_package cyclictest rt-tests

bench_workspace loadgen-overhead

echo "building bench/ChannelLoop and src/LoadGen (Release)..."
build_copy bench/ChannelLoop/ChannelLoop.csproj "$BIN/loop"
build_copy src/LoadGen/LoadGen.csproj "$BIN/loadgen"
LOOP_DLL=$BIN/loop/GrpcLoadLab.Bench.ChannelLoop.dll

"$ROOT/scripts/servers.sh" start 1 --base-port "$PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the server did not start"; }
ADDRESS=127.0.0.1:$PORT

# Writes a scenario of a WARMUP-second warm-up phase and a measured phase, both of TYPE with KEY=VALUE, to FILE.
# The call is ChannelLoop's (unary, reply_size 16, 10 s deadline); loadgen also sends reply_count 10 (the default
# "replies", ignored by Unary): 2 bytes more per request.
write_scenario() {
  local file=$1 type=$2 key=$3 value=$4 seconds=$5
  cat >"$file" <<EOF
{
  "name": "loadgen-overhead",
  "target": { "address": "static:$ADDRESS", "policy": "round_robin" },
  "call": { "kind": "unary", "replySize": 16, "deadline": "10s" },
  "phases": [
    { "type": "$type", "name": "warm-up", "warmup": true, "$key": $value, "duration": "${WARMUP}s" },
    { "type": "$type", "$key": $value, "duration": "${seconds}s" }
  ],
  "report": { "directory": "$RESULTS/reports" }
}
EOF
}

# Sets RATE, CPU_PER_CALL and VALID of closed round ROUND from loadgen: calls/s of the measured phase, its CPU per
# call over the measured whole seconds (the timeline's cpuPercent is of all cores), and its own verdict's validity.
run_loadgen_closed() {
  local round=$1 flat=$RESULTS/loadgen-$1.flat
  run_loadgen "$CLOSED" "closed-$round" "$RESULTS/loadgen-$round.txt" "$flat" "$DURATION"
  [[ $(field totals.calls.failed "$flat") == 0 ]] || die "loadgen round $round had failed calls (see $RESULTS/loadgen-$round.txt)"
  RATE=$(field totals.callsPerSecond "$flat")
  VALID=$(field verdict.valid "$flat")
  CPU_PER_CALL=$(measured_seconds "$flat" | awk -v cores="$(nproc)" '
    { calls += $2; cpu += $3 / 100 * cores } END { printf "%.1f", calls ? 1e6 * cpu / calls : 0 }')
}

run_client() {
  local client=$1 round=$2
  case $client in
    plain) run_channel_loop plain "$DURATION" "$RESULTS/plain-$round.txt" --addresses "$ADDRESS" ;;
    balanced) run_channel_loop balanced "$DURATION" "$RESULTS/balanced-$round.txt" --target "static:$ADDRESS" ;;
    loadgen) run_loadgen_closed "$round" ;;
  esac
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

load_before=$(uptime | sed 's/.*load average: //')
# A fresh server is still compiling its hot paths: one unmeasured run first, so that round 1 does not pay for it.
echo "warming up the server (one unmeasured ${SERVER_WARMUP}s plain run)..."
run_channel_loop plain "$SERVER_WARMUP" "$RESULTS/plain-warm-up.txt" --addresses "$ADDRESS"

commit=$(sources_commit src/LoadGen src/Balancer bench/ChannelLoop)
echo "loadgen (closed model) vs bare Grpc.Net.Client loops: unary, reply_size 16, 1 lab server at $ADDRESS; sources: $commit"
echo "the server and the clients share this machine's $(nproc) CPUs, with whatever else runs on it (load average at start: $load_before)"
echo "raw outputs: ${RESULTS#"$ROOT"/}"
echo
echo "closed model: $ROUNDS rounds x ${DURATION}s per client (+${WARMUP}s warm-up each), $CONCURRENCY calls in flight"
CLOSED=$RESULTS/closed.json
write_scenario "$CLOSED" constant-concurrency concurrency "$CONCURRENCY" "$DURATION"
clients=(plain balanced loadgen)
format='%-6s %-16s %11s %11s %11s %9s %9s %9s %9s %9s %-8s\n'
# shellcheck disable=SC2059
printf "$format" round order "plain rps" "bal. rps" "lg rps" "lg/plain" "lg/bal." "plain cpu" "bal. cpu" "lg cpu" "lg valid"
declare -A rates=() cpus=()
lg_plain=() lg_balanced=()
for round in $(seq 1 "$ROUNDS"); do
  # Rotate which client goes first, so that a drift in the machine's load favours none.
  first=$(((round - 1) % 3))
  order=("${clients[@]:first}" "${clients[@]:0:first}")
  for client in "${order[@]}"; do
    run_client "$client" "$round"
    rates[$client]+="$RATE " cpus[$client]+="$CPU_PER_CALL "
    [[ $client != loadgen ]] || lg_valid=$VALID
    declare "${client}_rate=$RATE" "${client}_cpu=$CPU_PER_CALL"
  done
  lg_plain+=("$(ratio "$loadgen_rate" "$plain_rate")") lg_balanced+=("$(ratio "$loadgen_rate" "$balanced_rate")")
  # shellcheck disable=SC2059
  printf "$format" "$round" "${order[0]} first" "$plain_rate" "$balanced_rate" "$loadgen_rate" "${lg_plain[-1]}" \
    "${lg_balanced[-1]}" "${plain_cpu}us" "${balanced_cpu}us" "${loadgen_cpu}us" "$lg_valid"
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
echo
awk -v p="$(med "${rates[plain]}")" -v b="$(med "${rates[balanced]}")" -v l="$(med "${rates[loadgen]}")" \
  -v rp="$(med "${lg_plain[*]}")" -v rb="$(med "${lg_balanced[*]}")" \
  -v pc="$(med "${cpus[plain]}")" -v bc="$(med "${cpus[balanced]}")" -v lc="$(med "${cpus[loadgen]}")" 'BEGIN {
    printf "median rps: plain %.1f, balanced %.1f, loadgen %.1f\n", p, b, l
    printf "ratio loadgen/plain: %.3f of the medians, %.3f median of the per-round ratios (target: at least 0.95)\n", l / p, rp
    printf "ratio loadgen/balanced: %.3f of the medians, %.3f median of the per-round ratios\n", l / b, rb
    printf "median client CPU per call: plain %.1f us, balanced %.1f us, loadgen %.1f us\n", pc, bc, lc
  }'

echo
echo "open model: constant rate, $OPEN_RUNS runs of ${OPEN_DURATION}s measured (+${WARMUP}s warm-up at the same rate) per rate; a run holds"
echo "the rate when loadgen judged the run valid, schedule lag p99 < ${LAG_LIMIT_MICROS} us and calls/s >= 99% of the rate; \"1s lag p99\" is the median"
echo "of the per-second lag p99s: a few seconds in which other processes held the CPUs raise the whole run's p99 alone;"
echo "\"bare\": the bare open loop's lag p99 and calls/s in the same run (it and loadgen take turns going first), held by the same rule;"
echo "\"machine p99 us\": cyclictest's wake-up p99 at the same rate, ${OPEN_DURATION}s before the rate's runs (the machine's floor without spinning);"
echo "\"wake p99 us\": how late the machine woke loadgen's dispatcher from its sleeps during the run (p99, sleeps with a GC pause left out);"
echo "\"rt %\": the share of the measured time its dispatcher paced at real-time priority (it leaves real time while awake over 10%);"
echo "\"bare wake\" and \"bare rt %\": the same of the bare loop's dispatcher"
OPEN=$RESULTS/open.json
write_scenario "$OPEN" constant-rate rate 1 "$OPEN_DURATION"
format='%-6s %9s %11s %12s %14s %15s %11s %13s %12s %5s %10s %10s %15s %-5s %8s %7s %-5s %-5s\n'
# shellcheck disable=SC2059
printf "$format" run rate "calls/s" "lag p99 us" "1s lag p99 us" "bare lag p99 us" "bare calls/s" "machine p99 us" "wake p99 us" "rt %" \
  "bare wake" "bare rt %" "latency p99 us" valid dropped failed holds "bare holds"
loop_runs_as_loadgen

# Prints this machine's wake-up p99 in µs at RATE wake-ups a second for SECONDS: how late cyclictest's thread
# (SCHED_FIFO 1, as loadgen's dispatcher) woke from each sleep, the machine left as it is (--default-system: no
# /dev/cpu_dma_latency); ">MAX" when beyond the histogram, "-" when cyclictest could not run.
machine_wakeup_p99() {
  local rate=$1 seconds=$2 max=100000
  { cyclictest --default-system -m -q -p 1 -i $(((1000000 + rate / 2) / rate)) -l $((rate * seconds)) -h "$max" 2>/dev/null || true; } |
    awk -v max="$max" '
      /^[0-9]+ [0-9]+$/ { count[$1 + 0] = $2 + 0 }
      /^# Total:/ { total = $3 + 0 }
      END {
        if (!total) { print "-"; exit }
        for (us = 0; us < max; us++) { seen += count[us]; if (seen >= 0.99 * total) { print us; exit } }
        print ">" max
      }'
}

# Sets HOLDS (loadgen) and BARE_HOLDS (the bare loop) to yes or no for run RUN at RATE calls/s.
open_run() {
  local rate=$1 run=$2 flat out lag cps lag_seconds bare_lag bare_cps bare_valid bare_wake bare_rt
  out=$RESULTS/open-$rate-$run.txt flat=$RESULTS/open-$rate-$run.flat
  # Odd runs start with loadgen, even ones with the bare loop, so that a drift in the machine's load favours neither.
  if ((run % 2 == 0)); then open_bare_run "$rate" "$run"; fi
  run_loadgen "$OPEN" "open-$rate-$run" "$out" "$flat" "$OPEN_DURATION" --rate "$rate"
  if ((run % 2 == 1)); then open_bare_run "$rate" "$run"; fi
  lag=$(field totals.scheduleLag.p99 "$flat")
  cps=$(field totals.callsPerSecond "$flat")
  HOLDS=$(holds "$(field verdict.valid "$flat")" "$lag" "$cps" "$rate")
  BARE_HOLDS=$(holds "$bare_valid" "$bare_lag" "$bare_cps" "$rate")
  lag_seconds=$(measured_seconds "$flat" | cut -d' ' -f4)
  # shellcheck disable=SC2059
  printf "$format" "$run" "$rate" "$cps" "$lag" "$([[ -n $lag_seconds ]] && median <<<"$lag_seconds" || echo -)" \
    "$bare_lag" "$bare_cps" "$machine_p99" "$(field totals.dispatcher.wakeUpLateness.p99 "$flat")" \
    "$(percent_of "$(field totals.dispatcher.realTimeSeconds "$flat")" "$(field totals.dispatcher.pacedSeconds "$flat")")" \
    "$bare_wake" "$bare_rt" "$(field totals.latency.p99 "$flat")" "$(field verdict.valid "$flat")" \
    "$(field totals.calls.dropped "$flat")" "$(field totals.calls.failed "$flat")" "$HOLDS" "$BARE_HOLDS"
}

# The bare open loop at RATE for run RUN: sets bare_lag (p99 µs), bare_cps, bare_valid (true when no call failed),
# bare_wake (its dispatcher's wake-up p99, µs) and bare_rt (its time at real-time priority, %).
open_bare_run() {
  ALLOW_LOOP_ERRORS=1 CONCURRENCY='' run_channel_loop balanced "$OPEN_DURATION" "$RESULTS/open-bare-$1-$2.txt" \
    --target "static:$ADDRESS" --rate "$1"
  bare_lag=$LOOP_LAG_P99 bare_cps=$RATE bare_valid=$([[ $LOOP_ERRORS == 0 ]] && echo true || echo false)
  bare_wake=$LOOP_WAKE_P99 bare_rt=$LOOP_REALTIME_PERCENT
}

# yes when a run was valid (VALID is true), its lag p99 under the limit and its calls/s at least 99% of RATE.
holds() {
  awk -v valid="$1" -v lag="$2" -v cps="$3" -v r="$4" -v limit="$LAG_LIMIT_MICROS" \
    'BEGIN { print (valid == "true" && lag < limit && cps >= 0.99 * r) ? "yes" : "no" }'
}

held=() missed=() bare_held=() bare_missed=()
for rate in $RATES; do
  holding=0 bare_holding=0
  machine_p99=$(machine_wakeup_p99 "$rate" "$OPEN_DURATION")
  for run in $(seq 1 "$OPEN_RUNS"); do
    open_run "$rate" "$run"
    [[ $HOLDS == no ]] || holding=$((holding + 1))
    [[ $BARE_HOLDS == no ]] || bare_holding=$((bare_holding + 1))
  done
  if ((2 * holding > OPEN_RUNS)); then held+=("$rate"); else missed+=("$rate"); fi
  if ((2 * bare_holding > OPEN_RUNS)); then bare_held+=("$rate"); else bare_missed+=("$rate"); fi
done

echo
if [[ -n $RATES ]]; then
  echo "open model: held ${held[*]:-none}; missed ${missed[*]:-none} (calls/s; held by more than half of its runs; target: every rate from 10 to 8000 held)"
  echo "bare open loop: held ${bare_held[*]:-none}; missed ${bare_missed[*]:-none}"
fi
echo "load average at the end: $(uptime | sed 's/.*load average: //')"
