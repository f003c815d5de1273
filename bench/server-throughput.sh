#!/usr/bin/env bash
# What the lab server's features cost: its unary throughput under h2load next to a minimal Grpc.AspNetCore server of
# the same proto (bench/MinimalServer), measured in one run, in alternating rounds, and printed as a ratio.
#
#   bench/server-throughput.sh [--rounds K] [--duration S] [--warm-up S] [--connections C] [--streams M] [--port P]
#                              [--baseline COMMIT]
#
#   --rounds       rounds; each runs both servers once, in alternating order (default 5)
#   --duration     measured seconds per server per round (default 10)
#   --warm-up      h2load warm-up seconds after each server start, not measured (default 2)
#   --connections  h2load connections (default 8); --streams: concurrent calls per connection (default 32)
#   --port         the lab server's port; the minimal server uses the next one (default 5390)
#   --baseline     compare with the lab server of an earlier commit (built from `git archive COMMIT`) in place of the
#                  minimal server: what a change to the server costs
#
# Each server process runs pinned to CPU 1 and h2load to CPU 0, so that they do not compete for one core.
# Installs h2load and nghttp (Debian package nghttp2-client) when missing; needs taskset (util-linux).
# Raw h2load outputs are kept in bench/results/server-throughput/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
HOST=127.0.0.1
SERVER_CPU=1
CLIENT_CPU=0
METHOD=/lab.v1.LoadLab/Unary
STOP_TIMEOUT=20
READY_TIMEOUT=30

ROUNDS=5 DURATION=10 WARM_UP=2 CONNECTIONS=8 STREAMS=32 PORT=5390 BASELINE=

while [[ $# -gt 0 ]]; do
  case $1 in
    --rounds) ROUNDS=${2:-} && shift 2 ;;
    --duration) DURATION=${2:-} && shift 2 ;;
    --warm-up) WARM_UP=${2:-} && shift 2 ;;
    --connections) CONNECTIONS=${2:-} && shift 2 ;;
    --streams) STREAMS=${2:-} && shift 2 ;;
    --port) PORT=${2:-} && shift 2 ;;
    --baseline) BASELINE=${2:-} && shift 2 ;;
    -h | --help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' && exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for value in "$ROUNDS" "$DURATION" "$WARM_UP" "$CONNECTIONS" "$STREAMS" "$PORT"; do
  is_uint "$value" || die "options take whole numbers, not '$value'"
done
((ROUNDS >= 1 && ROUNDS <= 50)) || die "--rounds must be 1-50"
((DURATION >= 1 && DURATION <= 300)) || die "--duration must be 1-300 seconds"
((WARM_UP <= 60)) || die "--warm-up must be 0-60 seconds"
((CONNECTIONS >= 1 && STREAMS >= 1)) || die "--connections and --streams must be at least 1"
((PORT >= 1024 && PORT < 65535)) || die "--port must be 1024-65534"

command -v taskset >/dev/null || die "needs taskset (Debian package util-linux)"
allowed=$(taskset -pc $$ | sed 's/.*: //')
for cpu in $SERVER_CPU $CLIENT_CPU; do
  taskset -c "$cpu" true 2>/dev/null || die "needs CPUs $CLIENT_CPU and $SERVER_CPU (this shell may use: $allowed)"
done

need_debian_package h2load nghttp2-client
need_debian_package nghttp nghttp2-client

RESULTS=$ROOT/bench/results/server-throughput/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
# Private copies of both builds: others build and test the same projects meanwhile, and a rebuild must not swap
# a server's binaries between rounds.
BIN=$(mktemp -d)
SERVER_PID= H2LOAD_PID=

# Ends the server we started, by its PID, and only while that PID still runs our server (PIDs are reused).
stop_server() {
  local pid=$SERVER_PID waited=0
  SERVER_PID=
  [[ -n $pid ]] || return 0
  is_ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while is_ours "$pid" && ((waited < STOP_TIMEOUT * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if is_ours "$pid"; then
    echo "server pid $pid did not stop within ${STOP_TIMEOUT}s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # A child we started must be reaped; its exit status does not matter once it has stopped.
  wait "$pid" 2>/dev/null || true
}

is_ours() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | grep -q "$BIN/"; }

cleanup() {
  # timeout passes the signal on to its h2load.
  [[ -z $H2LOAD_PID ]] || kill -TERM "$H2LOAD_PID" 2>/dev/null || true
  stop_server
  rm -rf "$BIN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "building both servers (Release)..."
build_copy src/Server/Server.csproj "$BIN/lab"
LAB_DLL=$BIN/lab/GrpcLoadLab.Server.dll
if [[ -n $BASELINE ]]; then
  # The other server is the lab server of BASELINE, built from a copy of that commit's files; it takes the minimal
  # server's place in the rounds below.
  OTHER=base
  git -C "$ROOT" rev-parse -q --verify "$BASELINE^{commit}" >/dev/null || die "--baseline '$BASELINE' is not a commit"
  mkdir -p "$BIN/baseline-src"
  git -C "$ROOT" archive "$BASELINE" | tar -x -C "$BIN/baseline-src"
  ROOT=$BIN/baseline-src build_copy src/Server/Server.csproj "$BIN/minimal"
  MINIMAL_DLL=$BIN/minimal/GrpcLoadLab.Server.dll
else
  OTHER=minimal
  build_copy bench/MinimalServer/MinimalServer.csproj "$BIN/minimal"
  MINIMAL_DLL=$BIN/minimal/GrpcLoadLab.Bench.MinimalServer.dll
fi

# One gRPC frame: compressed flag 0, big-endian length 2, then WorkRequest { reply_size: 16 } (field 2, varint 16).
BODY=$RESULTS/body.bin
printf '\x00\x00\x00\x00\x02\x10\x10' >"$BODY"

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_port() {
  local port=$1 waited=0
  until port_open "$port"; do
    ((waited < READY_TIMEOUT * 10)) || return 1
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Starts server NAME on PORT pinned to the server CPU and waits until it is ready: the lab server by its health
# check (SERVING), the minimal one, which has no health service, by its port accepting connections.
start_server() {
  local name=$1 port=$2 log=$RESULTS/$1-$3.log
  ! port_open "$port" || die "port $port is already in use: choose another --port"
  if [[ $name == lab ]]; then
    taskset -c "$SERVER_CPU" dotnet "$LAB_DLL" --port "$port" >"$log" 2>&1 </dev/null &
    SERVER_PID=$!
    dotnet "$LAB_DLL" probe --wait "${READY_TIMEOUT}s" "$HOST:$port" >>"$log" 2>&1 ||
      die "the lab server did not become SERVING (log: $log)"
  else
    taskset -c "$SERVER_CPU" dotnet "$MINIMAL_DLL" --port "$port" >"$log" 2>&1 </dev/null &
    SERVER_PID=$!
    wait_port "$port" || die "the minimal server did not open port $port (log: $log)"
  fi
}

# A 2xx from h2load is not yet a gRPC success (errors come as grpc-status in the trailers), so one call per start
# is checked end to end with nghttp: grpc-status 0 and a reply naming the instance.
check_grpc_ok() {
  local port=$1 out=$RESULTS/check-$1.txt
  nghttp -v -d "$BODY" -H 'content-type: application/grpc' -H 'te: trailers' "http://$HOST:$port$METHOD" >"$out" 2>&1 || true
  grep -q 'grpc-status: 0' "$out" && grep -aqE '(server|minimal)-[0-9]+' "$out" ||
    die "a sanity call to port $port did not return gRPC OK (see $out)"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# Runs h2load against PORT and sets RATE (req/s) and CPU (the server's CPU use, % of one CPU) for the measured
# window. CPU below 100 means other processes took time from the server's CPU.
measure() {
  local port=$1 out=$2 ticks_start ticks_end
  timeout $((WARM_UP + DURATION + 30)) taskset -c "$CLIENT_CPU" h2load -D "$DURATION" --warm-up-time "$WARM_UP" \
    -c "$CONNECTIONS" -m "$STREAMS" -t 1 -d "$BODY" \
    -H 'content-type: application/grpc' -H 'te: trailers' "http://$HOST:$port$METHOD" >"$out" 2>&1 &
  H2LOAD_PID=$!
  sleep "$WARM_UP"
  ticks_start=$(cpu_ticks "$SERVER_PID")
  wait "$H2LOAD_PID" || die "h2load failed (see $out)"
  H2LOAD_PID=
  ticks_end=$(cpu_ticks "$SERVER_PID")

  # Every measured request must have succeeded: no failures, errors, timeouts or non-2xx statuses.
  grep -qE '^requests: ([0-9]+) total, [0-9]+ started, [0-9]+ done, [1-9][0-9]* succeeded, 0 failed, 0 errored, 0 timeout' "$out" &&
    grep -qE '^status codes: [0-9]+ 2xx, 0 3xx, 0 4xx, 0 5xx' "$out" ||
    die "not every request succeeded (see $out)"
  # "finished in 12.00s, 74046.00 req/s, 4.80MB/s": the rate over the measured duration only.
  RATE=$(awk '/^finished in/ { printf "%.0f", $4 }' "$out")
  CPU=$(awk -v ticks=$((ticks_end - ticks_start)) -v hz="$(getconf CLK_TCK)" -v s="$DURATION" 'BEGIN { printf "%.1f", 100 * ticks / hz / s }')
}

run_one() {
  local name=$1 round=$2 port
  if [[ $name == lab ]]; then port=$PORT; else port=$((PORT + 1)); fi
  start_server "$name" "$port" "$round"
  check_grpc_ok "$port"
  measure "$port" "$RESULTS/h2load-$name-$round.txt"
  stop_server
}

lab_commit=$(sources_commit src/Server protos)
other_text="minimal Grpc.AspNetCore server"
[[ -z $BASELINE ]] || other_text="lab server of $(git -C "$ROOT" rev-parse --short "$BASELINE") (as 'base')"
echo "lab server vs $other_text: unary, reply_size 16, $ROUNDS rounds × ${DURATION}s each (+${WARM_UP}s warm-up per start)"
echo "h2load -c $CONNECTIONS -m $STREAMS -t 1 on CPU $CLIENT_CPU; each server on CPU $SERVER_CPU; $(nproc --all) CPUs in the machine, shared with whatever else runs"
echo "sources: $lab_commit; raw outputs: ${RESULTS#"$ROOT"/}"
echo
# The per-CPU ratio compares calls per second of server CPU time: it discounts time other processes took from CPU 1.
format='%-6s %-14s %10s %8s %10s %8s %7s %10s\n'
# shellcheck disable=SC2059
printf "$format" round order "lab req/s" "lab cpu" "$OTHER req/s" "$OTHER cpu" ratio "per-CPU"
lab_rates=() minimal_rates=() ratios=() cpu_ratios=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which server goes first, so that a drift in the machine's load does not favour either.
  if ((round % 2)); then order=(lab minimal); else order=(minimal lab); fi
  labels=("${order[@]/minimal/$OTHER}")
  for name in "${order[@]}"; do
    run_one "$name" "$round"
    if [[ $name == lab ]]; then lab_rate=$RATE lab_cpu=$CPU; else minimal_rate=$RATE minimal_cpu=$CPU; fi
  done
  ratio=$(awk -v a="$lab_rate" -v b="$minimal_rate" 'BEGIN { printf "%.3f", a / b }')
  cpu_ratio=$(awk -v r="$ratio" -v a="$lab_cpu" -v b="$minimal_cpu" 'BEGIN { printf "%.3f", r * b / a }')
  lab_rates+=("$lab_rate") minimal_rates+=("$minimal_rate") ratios+=("$ratio") cpu_ratios+=("$cpu_ratio")
  # shellcheck disable=SC2059
  printf "$format" "$round" "${labels[0]} first" "$lab_rate" "$lab_cpu%" "$minimal_rate" "$minimal_cpu%" "$ratio" "$cpu_ratio"
done

echo
awk -v a="$(printf '%s\n' "${lab_rates[@]}" | median)" -v b="$(printf '%s\n' "${minimal_rates[@]}" | median)" \
  -v other="$OTHER" -v r="$(printf '%s\n' "${ratios[@]}" | median)" -v c="$(printf '%s\n' "${cpu_ratios[@]}" | median)" 'BEGIN {
    printf "median req/s: lab %.0f, %s %.0f\n", a, other, b
    printf "ratio lab/%s: %.3f of the medians, %.3f median of the per-round ratios (target: at least 0.95)\n", other, a / b, r
    printf "per-CPU ratio (calls per server CPU-second), median of the rounds: %.3f\n", c
  }'
