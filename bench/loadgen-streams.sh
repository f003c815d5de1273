#!/usr/bin/env bash
# Streams: loadgen's closed model of many concurrent server streams (or bidi streams) next to the bare streaming loop
# (bench/ChannelLoop --kind) with the same streams, work and balanced channel, in one run; prints messages/s of each,
# their ratio, CPU per message and loadgen's own verdict (issue 16's targets: 5,000 streams on one instance and
# 20,000 over four, valid, at one and at five messages a second per stream; messages/s at least 0.95 of the loop's).
#
#   bench/loadgen-streams.sh [--kind server-stream|bidi] [--setups "STREAMS:INSTANCES ..."] [--rates "R ..."]
#                            [--stream-seconds S] [--duration S] [--warmup S] [--base-port P]
#
#   --kind            server-stream (default) or bidi (ping-pong; the server delays each echo)
#   --setups          concurrent streams and instances (default "5000:1 20000:4")
#   --rates           messages a second per stream: the server waits 1/R s before each message (default "1 5")
#   --stream-seconds  how long each stream lasts; it carries R x S messages, then the caller opens the next (default 10)
#   --duration        measured seconds per client (default 20)
#   --warmup          seconds of streams before each measurement, not counted (default 10)
#   --base-port       the first lab server's port; four are started (default 7110)
#
# Per setup and rate, the bare loop and loadgen run one after the other (the first rotating), both through one
# BalancedChannelFactory channel (round_robin) to the same instances, both with loadgen's runtime settings. "mps" is
# messages received a second: for the loop, those received in its measured window; for loadgen, the measured phase's
# messagesReceived over its seconds (a stream counts in the phase it started in). CPU per message is the client's CPU
# time over the messages; "gc %" how long the client's GC paused it, as a share of the measured time (loadgen judges a
# run invalid over 10 %; the loop, with the same GC settings, shows whether its GC paused it as much). Four lab
# servers are started by scripts/servers.sh in a temporary LAB_DIR and stopped on exit; outputs go to
# bench/results/loadgen-streams/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

KIND=server-stream SETUPS="5000:1 20000:4" STREAM_RATES="1 5" STREAM_SECONDS=10 DURATION=20 WARMUP=10 PORT=7110
while [[ $# -gt 0 ]]; do
  case $1 in
    --kind) KIND=${2:-} && shift 2 ;;
    --setups) SETUPS=${2:-} && shift 2 ;;
    --rates) STREAM_RATES=${2:-} && shift 2 ;;
    --stream-seconds) STREAM_SECONDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warmup) WARMUP=${2:-} && shift 2 ;;
    --base-port) PORT=${2:-} && shift 2 ;;
    -h | --help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ $KIND == server-stream || $KIND == bidi ]] || die "--kind must be server-stream or bidi"
check_stream_options --setups --rates

bench_workspace loadgen-streams

echo "building bench/ChannelLoop and src/LoadGen (Release)..."
build_copy bench/ChannelLoop/ChannelLoop.csproj "$BIN/loop"
build_copy src/LoadGen/LoadGen.csproj "$BIN/loadgen"
LOOP_DLL=$BIN/loop/GrpcLoadLab.Bench.ChannelLoop.dll
loop_runs_as_loadgen

"$ROOT/scripts/servers.sh" start 4 --base-port "$PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the servers did not start"; }

load_before=$(uptime | sed 's/.*load average: //')
commit=$(sources_commit src/LoadGen src/Balancer bench/ChannelLoop)
echo "loadgen vs the bare streaming loop: $KIND, reply_size 16, each stream ${STREAM_SECONDS}s long; sources: $commit"
echo "4 lab servers and the clients share this machine's $(nproc) CPUs (load average at start: $load_before)"
echo "raw outputs: ${RESULTS#"$ROOT"/}"
echo
# The bare loop's own failed calls are shown rather than stopping the benchmark: a setup that the reference cannot
# hold on this machine either is a finding about the machine.
ALLOW_LOOP_ERRORS=1
format='%-8s %-9s %-5s %12s %10s %12s %8s %10s %10s %9s %8s %-8s %s\n'
# shellcheck disable=SC2059
printf "$format" streams instances msg/s "loop mps" "loop err" "lg mps" "lg/loop" "loop cpu" "lg cpu" "loop gc %" "lg gc %" "lg valid" "loadgen's reasons"
first=0 all_met=yes
for setup in $SETUPS; do
  count=${setup%:*} instances=${setup#*:}
  for rate in $STREAM_RATES; do
    name=$KIND-$count-$instances-$rate
    scenario=$RESULTS/$name.json
    write_stream_scenario "$scenario" loadgen-streams "$KIND" "$count" "$rate" "$instances"
    order=(loop loadgen)
    ((first % 2 == 0)) || order=(loadgen loop)
    first=$((first + 1))
    for client in "${order[@]}"; do
      if [[ $client == loop ]]; then
        CONCURRENCY=$count
        run_channel_loop balanced "$DURATION" "$RESULTS/loop-$name.txt" --target "$(static_target "$instances")" \
          --kind "$KIND" --messages $((rate * STREAM_SECONDS)) --interval-ms $((1000 / rate))
        loop_mps=$MPS loop_cpu=$CPU_PER_MESSAGE loop_errors=$LOOP_ERRORS loop_gc=$LOOP_GC_PERCENT
      else
        flat=$RESULTS/loadgen-$name.flat
        run_loadgen "$scenario" "$name" "$RESULTS/loadgen-$name.txt" "$flat" $((DURATION + STREAM_SECONDS))
        lg_valid=$(field verdict.valid "$flat")
        # The verdict's reasons, one a line inside result.json's invalidReasons array, joined with ";"; printf %b
        # decodes the JSON's \uXXXX escapes (an apostrophe is written \u0027).
        lg_reasons=$(sed -n '/"invalidReasons": \[$/,/^ *\]/p' "$(sed -n 's/^result: //p' "$RESULTS/loadgen-$name.txt")" |
          sed '1d;$d; s/^ *"//; s/",\{0,1\}$//' | paste -sd';' - || true)
        lg_reasons=$(printf '%b' "$lg_reasons")
        read -r lg_mps lg_cpu lg_gc < <(measured_seconds "$flat" | awk -v cores="$(nproc)" \
          -v messages="$(field totals.messagesReceived "$flat")" -v seconds="$(field totals.seconds "$flat")" '
          { cpu += $3 / 100 * cores; gc += $5; n++ }
          END {
            mps = seconds ? messages / seconds : 0
            printf "%.1f %.1f %s\n", mps, (mps && n) ? 1e6 * cpu / (mps * n) : 0, n ? sprintf("%.1f", gc / n / 10) : "-"
          }')
      fi
    done
    lg_loop=$(awk -v a="$lg_mps" -v b="$loop_mps" 'BEGIN { printf "%.3f", b ? a / b : 0 }')
    awk -v r="$lg_loop" 'BEGIN { exit !(r >= 0.95) }' && [[ $lg_valid == true ]] || all_met=no
    # shellcheck disable=SC2059
    printf "$format" "$count" "$instances" "$rate" "$loop_mps" "$loop_errors" "$lg_mps" "$lg_loop" "${loop_cpu}us" "${lg_cpu}us" "$loop_gc" "$lg_gc" "$lg_valid" "$lg_reasons"
  done
done
echo
echo "streams target (every row valid, lg/loop >= 0.95): $([[ $all_met == yes ]] && echo met || echo NOT met)"
echo "load average at the end: $(uptime | sed 's/.*load average: //')"
