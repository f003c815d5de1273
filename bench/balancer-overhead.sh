#!/usr/bin/env bash
# What the client-side balancer costs: the same closed loop of unary calls (bench/ChannelLoop) through one balanced
# channel (round_robin over 4 instances) and through 4 plain Grpc.Net.Client channels, in one run, in alternating
# rounds, printed as a throughput ratio.
#
#   bench/balancer-overhead.sh [--rounds K] [--duration S] [--warmup S] [--concurrency C] [--base-port P]
#
#   --rounds       rounds; each runs both modes once, the first one alternating (default 5)
#   --duration     measured seconds per mode per round (default 10)
#   --warmup       seconds of calls before each measurement, not counted (default 2)
#   --concurrency  calls in flight at once, the same in both modes (default 64)
#   --base-port    the 4 lab servers listen on P..P+3 (default 5420)
#
# The 4 servers are started by scripts/servers.sh in a temporary LAB_DIR, warmed up by one unmeasured run, and
# stopped on exit. Every line a run prints is kept in bench/results/balancer-overhead/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
INSTANCES=4
SERVER_WARMUP=5

ROUNDS=5 DURATION=10 WARMUP=2 CONCURRENCY=64 BASE_PORT=5420

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warmup) WARMUP=${2:-} && shift 2 ;;
    --concurrency) CONCURRENCY=${2:-} && shift 2 ;;
    --base-port) BASE_PORT=${2:-} && shift 2 ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for value in "$ROUNDS" "$DURATION" "$WARMUP" "$CONCURRENCY" "$BASE_PORT"; do
  is_uint "$value" || die "options take whole numbers, not '$value'"
done
((ROUNDS >= 1 && ROUNDS <= 50)) || die "--rounds must be 1-50"
((DURATION >= 1 && DURATION <= 600)) || die "--duration must be 1-600 seconds"
((WARMUP <= 60)) || die "--warmup must be 0-60 seconds"
((CONCURRENCY >= 1 && CONCURRENCY <= 1024)) || die "--concurrency must be 1-1024"
((BASE_PORT >= 1024 && BASE_PORT + INSTANCES - 1 <= 65535)) || die "--base-port must be 1024-$((65535 - INSTANCES + 1))"

RESULTS=$ROOT/bench/results/balancer-overhead/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
# A private fleet directory and a private copy of the client build: others run fleets and rebuild the same
# projects meanwhile, and a rebuild must not swap the client's binaries between rounds.
export LAB_DIR
LAB_DIR=$(mktemp -d)
BIN=$(mktemp -d)

cleanup() {
  # timeout passes the signal on to its client.
  [[ -z $LOOP_PID ]] || kill -TERM "$LOOP_PID" 2>/dev/null || true
  "$ROOT/scripts/servers.sh" stop --timeout 10 >/dev/null || true
  cp -r "$LAB_DIR/logs" "$RESULTS/server-logs" 2>/dev/null || true
  rm -rf "$LAB_DIR" "$BIN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building bench/ChannelLoop (Release)..."
build_copy bench/ChannelLoop/ChannelLoop.csproj "$BIN"
LOOP_DLL=$BIN/GrpcLoadLab.Bench.ChannelLoop.dll

"$ROOT/scripts/servers.sh" start "$INSTANCES" --base-port "$BASE_PORT" >"$RESULTS/servers.txt" 2>&1 ||
  { cat "$RESULTS/servers.txt" >&2 && die "the servers did not start"; }
REGISTRY=$LAB_DIR/servers.txt
ADDRESSES=$(paste -sd, "$REGISTRY")

# Runs MODE for ROUND [for SECONDS] and sets RATE (calls/s) and CPU_PER_CALL (client CPU microseconds per call).
run_mode() {
  local mode=$1 round=$2 seconds=${3:-$DURATION}
  if [[ $mode == balanced ]]; then
    run_channel_loop balanced "$seconds" "$RESULTS/$mode-$round.txt" --target "file:$REGISTRY"
  else
    run_channel_loop plain "$seconds" "$RESULTS/$mode-$round.txt" --addresses "$ADDRESSES"
  fi
}

# Fresh servers are still compiling their hot paths: one unmeasured run first, so that round 1 does not pay for it.
echo "warming up the servers (one unmeasured ${SERVER_WARMUP}s plain run)..."
run_mode plain warm-up "$SERVER_WARMUP"

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git -C "$ROOT" status --porcelain -- src/Balancer bench/ChannelLoop 2>/dev/null) ]] || commit+=" + uncommitted changes"
echo "balanced channel (round_robin, 1 channel) vs plain channels (1 per instance): unary, reply_size 16, $INSTANCES lab servers"
echo "$ROUNDS rounds x ${DURATION}s per mode (+${WARMUP}s warm-up each), $CONCURRENCY calls in flight; sources: $commit"
echo "the $INSTANCES servers and the client share this machine's $(nproc) CPUs, with whatever else runs on it; raw outputs: ${RESULTS#"$ROOT"/}"
echo
format='%-6s %-15s %12s %12s %8s %14s %14s\n'
# shellcheck disable=SC2059
printf "$format" round order "plain rps" "balanced rps" ratio "plain cpu/call" "bal. cpu/call"
plain_rates=() balanced_rates=() ratios=() plain_cpus=() balanced_cpus=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which mode goes first (plain, balanced, balanced, plain, ...), so that a drift in the machine's load
  # favours neither.
  if ((round % 2)); then order=(plain balanced); else order=(balanced plain); fi
  for mode in "${order[@]}"; do
    run_mode "$mode" "$round"
    if [[ $mode == plain ]]; then plain_rate=$RATE plain_cpu=$CPU_PER_CALL; else balanced_rate=$RATE balanced_cpu=$CPU_PER_CALL; fi
  done
  ratio=$(awk -v a="$balanced_rate" -v b="$plain_rate" 'BEGIN { printf "%.3f", a / b }')
  plain_rates+=("$plain_rate") balanced_rates+=("$balanced_rate") ratios+=("$ratio")
  plain_cpus+=("$plain_cpu") balanced_cpus+=("$balanced_cpu")
  # shellcheck disable=SC2059
  printf "$format" "$round" "${order[0]} first" "$plain_rate" "$balanced_rate" "$ratio" "${plain_cpu}us" "${balanced_cpu}us"
done

echo
awk -v p="$(printf '%s\n' "${plain_rates[@]}" | median)" -v b="$(printf '%s\n' "${balanced_rates[@]}" | median)" \
  -v r="$(printf '%s\n' "${ratios[@]}" | median)" \
  -v pc="$(printf '%s\n' "${plain_cpus[@]}" | median)" -v bc="$(printf '%s\n' "${balanced_cpus[@]}" | median)" 'BEGIN {
    printf "median rps: plain %.1f, balanced %.1f\n", p, b
    printf "ratio balanced/plain: %.3f of the medians, %.3f median of the per-round ratios (target: at least 0.95)\n", b / p, r
    printf "median client CPU per call: plain %.1f us, balanced %.1f us (ratio %.3f)\n", pc, bc, bc / pc
  }'
