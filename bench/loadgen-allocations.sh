#!/usr/bin/env bash
# Whose garbage a real loadgen run makes (issue 16): runs loadgen once on many concurrent server streams with an
# EventPipe trace of its GC allocation ticks (one each ~100 KB allocated, with the call stack), then charges each
# sampled allocation to its owner (ours, grpc-dotnet, Google.Protobuf, HdrHistogram, System.Net.Http, ...) with
# bench/AllocationOwners, in bytes per message received.
#
#   bench/loadgen-allocations.sh [--setup STREAMS:INSTANCES] [--rate R] [--stream-seconds S] [--duration S]
#                                [--warmup S] [--base-port P] [--loop]
#
#   --setup           concurrent streams and lab server instances (default 20000:4)
#   --rate            messages a second per stream: the server waits 1/R s before each message (default 5)
#   --stream-seconds  how long each stream lasts; it carries R x S messages, then the caller opens the next (default 10)
#   --duration        measured seconds (default 10)
#   --warmup          seconds of streams before the measurement (default 10)
#   --base-port       the first lab server's port, the others on the next ones (default 7150)
#   --loop            also trace the bare streaming loop (bench/ChannelLoop --kind server-stream, the same streams
#                     through the same balanced channel) for what loadgen allocates beyond a bare client
#
# loadgen runs with its runtime settings (scripts/lib/loadgen-gc.sh) plus DOTNET_EnableEventPipe: the trace covers
# the process's life, so only the samples between result.json's startedAt and endedAt (warm-up and measured phases,
# and the streams' drain) are counted, and bytes per message divides them by the messages received by all phases,
# warm-up included. The loop prints no timestamps: its samples are counted in the window from 1 s after its warm-up
# was due to end to the end of its measured window (counted from its start), and divided by its measured messages
# a second times the window's seconds. The setup's lab servers are started by scripts/servers.sh in a temporary LAB_DIR and
# stopped on exit; outputs (trace, tables) go to bench/results/loadgen-allocations/<time>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

SETUP=20000:4 STREAM_RATE=5 STREAM_SECONDS=10 DURATION=10 WARMUP=10 PORT=7150 LOOP=no
while [[ $# -gt 0 ]]; do
  case $1 in
    --setup) SETUP=${2:-} && shift 2 ;;
    --rate) STREAM_RATE=${2:-} && shift 2 ;;
    --stream-seconds) STREAM_SECONDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warmup) WARMUP=${2:-} && shift 2 ;;
    --base-port) PORT=${2:-} && shift 2 ;;
    --loop) LOOP=yes && shift ;;
    -h | --help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
SETUPS=$SETUP STREAM_RATES=$STREAM_RATE
check_stream_options --setup --rate
[[ $SETUP != *" "* && $STREAM_RATE != *" "* ]] || die "--setup and --rate take one value each"
STREAMS=${SETUP%:*} INSTANCES=${SETUP#*:}

bench_workspace loadgen-allocations

echo "building src/LoadGen, bench/AllocationOwners and, with --loop, bench/ChannelLoop (Release)..."
build_copy src/LoadGen/LoadGen.csproj "$BIN/loadgen"
build_copy bench/AllocationOwners/AllocationOwners.csproj "$BIN/owners"
if [[ $LOOP == yes ]]; then
  build_copy bench/ChannelLoop/ChannelLoop.csproj "$BIN/loop"
  LOOP_DLL=$BIN/loop/GrpcLoadLab.Bench.ChannelLoop.dll
  loop_runs_as_loadgen
fi

# EventPipe from the start of the process into FILE: the runtime provider's GC (allocation ticks, with stacks),
# Loader and JIT keywords at verbose level, so that the trace names the modules and the methods JIT-compiled; the
# rundown at the end (on by default, set anyway) names the precompiled (ReadyToRun) methods the stacks went through.
# Sets TRACE_ENV to those settings.
trace_into() {
  TRACE_ENV=(DOTNET_EnableEventPipe=1 "DOTNET_EventPipeOutputPath=$1" DOTNET_EventPipeConfig=Microsoft-Windows-DotNETRuntime:0x19:5
    DOTNET_EventPipeRundown=1)
}

"$ROOT/scripts/servers.sh" start "$INSTANCES" --base-port "$PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the servers did not start"; }
target=$(static_target "$INSTANCES")

name=server-stream-$STREAMS-$INSTANCES-$STREAM_RATE
scenario=$RESULTS/$name.json
write_stream_scenario "$scenario" loadgen-allocations server-stream "$STREAMS" "$STREAM_RATE" "$INSTANCES"

commit=$(sources_commit src/LoadGen src/Balancer bench/ChannelLoop bench/AllocationOwners)
{
  echo "whose allocations: server-stream, $STREAMS streams over $INSTANCES instances, $STREAM_RATE messages/s each, reply_size 16,"
  echo "each stream ${STREAM_SECONDS}s long; warm-up ${WARMUP}s, measured ${DURATION}s; sources: $commit"
  echo "$(nproc) CPUs shared by the servers and the client; load average at start: $(uptime | sed 's/.*load average: //')"
  echo "raw outputs: ${RESULTS#"$ROOT"/}"
} | tee "$RESULTS/summary.txt"

# loadgen, traced: run_loadgen passes LOADGEN_GC_ENV to it, and only to it.
trace_into "$RESULTS/loadgen.nettrace"
gc_env=("${LOADGEN_GC_ENV[@]}")
LOADGEN_GC_ENV+=("${TRACE_ENV[@]}")
flat=$RESULTS/loadgen.flat
run_loadgen "$scenario" "$name" "$RESULTS/loadgen.txt" "$flat" $((DURATION + STREAM_SECONDS))
LOADGEN_GC_ENV=("${gc_env[@]}")
[[ -s $RESULTS/loadgen.nettrace ]] || die "loadgen wrote no trace (see $RESULTS/loadgen.txt)"
# Every phase's messages: the counted samples cover the warm-up as well as the measured phase.
messages=$(awk -F= '$1 ~ /^phases\.[0-9]+\.stats\.messagesReceived$/ { n += $2 } END { print n + 0 }' "$flat")
started=$(field startedAt "$flat" | tr -d '"') ended=$(field endedAt "$flat" | tr -d '"')
((messages > 0)) || die "loadgen received no messages (see $RESULTS/loadgen.txt)"
{
  echo
  echo "== loadgen: valid=$(field verdict.valid "$flat"), measured $(field totals.messagesReceived "$flat") messages in $(field totals.seconds "$flat") s;"
  echo "   samples from $started to $ended, over all $messages messages received (warm-up included)"
  timeout 600 dotnet "$BIN/owners/GrpcLoadLab.Bench.AllocationOwners.dll" "$RESULTS/loadgen.nettrace" \
    --messages "$messages" --from "$started" --to "$ended"
} 2>&1 | tee -a "$RESULTS/summary.txt"

if [[ $LOOP == yes ]]; then
  trace_into "$RESULTS/loop.nettrace"
  LOOP_ENV+=("${TRACE_ENV[@]}")
  CONCURRENCY=$STREAMS
  ALLOW_LOOP_ERRORS=1
  loop_start=$(date +%s.%N)
  run_channel_loop balanced "$DURATION" "$RESULTS/loop.txt" --target "$target" --kind server-stream \
    --messages $((STREAM_RATE * STREAM_SECONDS)) --interval-ms $((1000 / STREAM_RATE))
  [[ -s $RESULTS/loop.nettrace ]] || die "the loop wrote no trace (see $RESULTS/loop.txt)"
  # The measured window as seen from the loop's start, its first second (startup, the warm-up's end) left out.
  from=$(date -u -d "@$(awk -v s="$loop_start" -v w="$WARMUP" 'BEGIN { printf "%.3f", s + w + 1 }')" +%FT%T.%3NZ)
  to=$(date -u -d "@$(awk -v s="$loop_start" -v w="$WARMUP" -v d="$DURATION" 'BEGIN { printf "%.3f", s + w + d }')" +%FT%T.%3NZ)
  loop_messages=$(awk -v m="$MPS" -v d="$DURATION" 'BEGIN { printf "%.0f", m * (d - 1) }')
  {
    echo
    echo "== the bare loop: $MPS messages/s measured, $LOOP_ERRORS failed calls; samples from $from to $to,"
    echo "   over $loop_messages messages (its measured messages/s x $((DURATION - 1)) s: an estimate)"
    timeout 600 dotnet "$BIN/owners/GrpcLoadLab.Bench.AllocationOwners.dll" "$RESULTS/loop.nettrace" \
      --messages "$loop_messages" --from "$from" --to "$to"
  } 2>&1 | tee -a "$RESULTS/summary.txt"
fi
echo | tee -a "$RESULTS/summary.txt"
echo "load average at the end: $(uptime | sed 's/.*load average: //')" | tee -a "$RESULTS/summary.txt"
