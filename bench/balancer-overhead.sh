#!/usr/bin/env bash
# What the client-side balancer costs: the same closed loop of unary calls (bench/ChannelLoop) through one balanced
# channel of the lab (round_robin over 4 instances), through one channel on grpc-dotnet's own round_robin with no lab
# code, and through 4 plain Grpc.Net.Client channels, in one run, in rotating rounds, printed as throughput ratios:
# grpc-round-robin/plain is what grpc-dotnet's balancing costs, balanced/grpc-round-robin what the lab's balancer
# code adds on top, balanced/plain the total.
#
#   bench/balancer-overhead.sh [--rounds K] [--duration S] [--warmup S] [--concurrency C] [--base-port P]
#
#   --rounds       rounds; each runs the 3 modes once, the first one rotating (default 5)
#   --duration     measured seconds per mode per round (default 10)
#   --warmup       seconds of calls before each measurement, not counted (default 10: the JIT compiles for several seconds)
#   --concurrency  calls in flight at once, the same in every mode (default 64)
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

ROUNDS=5 DURATION=10 WARMUP=10 CONCURRENCY=64 BASE_PORT=5420

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warmup) WARMUP=${2:-} && shift 2 ;;
    --concurrency) CONCURRENCY=${2:-} && shift 2 ;;
    --base-port) BASE_PORT=${2:-} && shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/p;}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
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

bench_workspace balancer-overhead

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
  case $mode in
    balanced) run_channel_loop balanced "$seconds" "$RESULTS/$mode-$round.txt" --target "file:$REGISTRY" ;;
    *) run_channel_loop "$mode" "$seconds" "$RESULTS/$mode-$round.txt" --addresses "$ADDRESSES" ;;
  esac
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

load_before=$(uptime | sed 's/.*load average: //')
# Fresh servers are still compiling their hot paths: one unmeasured run first, so that round 1 does not pay for it.
echo "warming up the servers (one unmeasured ${SERVER_WARMUP}s plain run)..."
run_mode plain warm-up "$SERVER_WARMUP"

commit=$(sources_commit src/Balancer bench/ChannelLoop)
echo "balanced channel (lab, round_robin, 1 channel) vs grpc-round-robin (grpc-dotnet only, 1 channel) vs plain channels"
echo "(1 per instance): unary, reply_size 16, $INSTANCES lab servers; sources: $commit"
echo "$ROUNDS rounds x ${DURATION}s per mode (+${WARMUP}s warm-up each), $CONCURRENCY calls in flight"
echo "the $INSTANCES servers and the client share this machine's $(nproc) CPUs, with whatever else runs on it (load average at start: $load_before)"
echo "raw outputs: ${RESULTS#"$ROOT"/}"
echo
# "grpc-rr" is the grpc-round-robin mode.
format='%-6s %-22s %11s %11s %11s %9s %9s %9s %10s %10s %10s\n'
# shellcheck disable=SC2059
printf "$format" round order "plain rps" "grpc-rr rps" "bal. rps" "rr/plain" "bal./rr" "bal./pl." "plain cpu" "rr cpu" "bal. cpu"
modes=(plain grpc-round-robin balanced)
# rates and cpus: every round's, a space-separated list per mode; rate and cpu: this round's, per mode.
declare -A rates=() cpus=() rate=() cpu=()
rr_plain=() balanced_rr=() balanced_plain=()
for round in $(seq 1 "$ROUNDS"); do
  # Rotate which mode goes first, so that a drift in the machine's load favours none.
  first=$(((round - 1) % ${#modes[@]}))
  order=("${modes[@]:first}" "${modes[@]:0:first}")
  for mode in "${order[@]}"; do
    run_mode "$mode" "$round"
    rates[$mode]+="$RATE " cpus[$mode]+="$CPU_PER_CALL "
    rate[$mode]=$RATE cpu[$mode]=$CPU_PER_CALL
  done
  rr_plain+=("$(ratio "${rate[grpc-round-robin]}" "${rate[plain]}")")
  balanced_rr+=("$(ratio "${rate[balanced]}" "${rate[grpc-round-robin]}")")
  balanced_plain+=("$(ratio "${rate[balanced]}" "${rate[plain]}")")
  # shellcheck disable=SC2059
  printf "$format" "$round" "${order[0]} first" "${rate[plain]}" "${rate[grpc-round-robin]}" "${rate[balanced]}" \
    "${rr_plain[-1]}" "${balanced_rr[-1]}" "${balanced_plain[-1]}" "${cpu[plain]}us" "${cpu[grpc-round-robin]}us" "${cpu[balanced]}us"
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
echo
awk -v p="$(med "${rates[plain]}")" -v r="$(med "${rates[grpc-round-robin]}")" -v b="$(med "${rates[balanced]}")" \
  -v rp="$(med "${rr_plain[*]}")" -v br="$(med "${balanced_rr[*]}")" -v bp="$(med "${balanced_plain[*]}")" \
  -v pc="$(med "${cpus[plain]}")" -v rc="$(med "${cpus[grpc-round-robin]}")" -v bc="$(med "${cpus[balanced]}")" 'BEGIN {
    printf "median rps: plain %.1f, grpc-round-robin %.1f, balanced %.1f\n", p, r, b
    printf "ratio grpc-round-robin/plain (grpc-dotnet balancing): %.3f of the medians, %.3f median of the per-round ratios\n", r / p, rp
    printf "ratio balanced/grpc-round-robin (the lab code on top): %.3f of the medians, %.3f median of the per-round ratios\n", b / r, br
    printf "ratio balanced/plain (the total): %.3f of the medians, %.3f median of the per-round ratios (target: at least 0.95)\n", b / p, bp
    printf "median client CPU per call: plain %.1f us, grpc-round-robin %.1f us, balanced %.1f us\n", pc, rc, bc
    printf "CPU per call ratios: grpc-round-robin/plain %.3f, balanced/grpc-round-robin %.3f, balanced/plain %.3f\n", rc / pc, bc / rc, bc / pc
  }'
echo "load average at the end: $(uptime | sed 's/.*load average: //')"
