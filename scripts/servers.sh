#!/usr/bin/env bash
# The fleet script: starts, inspects and stops N lab server processes on 127.0.0.1.
#
#   scripts/servers.sh start N [--base-port P] [--capacity K] [--queue Q] [--pin] [--allow-faults]
#   scripts/servers.sh status            table of instances; exit 0 when every one is SERVING
#   scripts/servers.sh stop [--timeout S] graceful (SIGTERM), then forced (SIGKILL) after S seconds (default 20)
#   scripts/servers.sh kill I            kill -9 instance I (1-based), for failure experiments
#   scripts/servers.sh terminate I       SIGTERM instance I: it drains gracefully and exits (not waited for)
#   scripts/servers.sh restart I         stop instance I if it runs, start it again on the same port
#
# State lives in $LAB_DIR (default: .lab/ at the repository root): the registry servers.txt (one host:port a line,
# written once every instance is SERVING), fleet.conf, pids/I.pid and logs/I.log.
# Needs bash and the .NET SDK; --pin also needs taskset (util-linux).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_DIR=${LAB_DIR:-$ROOT/.lab}
REGISTRY=$LAB_DIR/servers.txt
CONFIG=$LAB_DIR/fleet.conf
PID_DIR=$LAB_DIR/pids
LOG_DIR=$LAB_DIR/logs
SERVER_DLL=$ROOT/src/Server/bin/Release/net10.0/GrpcLoadLab.Server.dll
HOST=127.0.0.1
HEALTH_TIMEOUT=${LAB_HEALTH_TIMEOUT:-30s}
MAX_INSTANCES=64
# shellcheck source=lib/build.sh
source "$ROOT/scripts/lib/build.sh"

die() {
  echo "servers.sh: $*" >&2
  exit 1
}

# The comment block at the top of this file, up to its first line of code.
usage() {
  sed -n '2,/^[^#]/{/^#/p;}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# Called with an option and what follows it: the option needs a value (else 'shift 2' would end the script silently).
needs_value() { [[ $# -ge 2 ]] || die "$1 needs a value"; }

# A PID is ours only while it still runs our server: PIDs are reused, and we end only what we started.
is_our_server() {
  local pid=$1
  [[ -n $pid && -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'GrpcLoadLab.Server.dll'
}

pid_of() { [[ -f $PID_DIR/$1.pid ]] && cat "$PID_DIR/$1.pid" || true; }

running_instances() {
  local file pid count=0
  for file in "$PID_DIR"/*.pid; do
    [[ -e $file ]] || continue
    pid=$(cat "$file")
    if is_our_server "$pid"; then count=$((count + 1)); fi
  done
  echo "$count"
}

port_in_use() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

build_if_needed() {
  build_release_if_needed "$ROOT/src/Server" "$SERVER_DLL" "$LAB_DIR/build.log" || die "the server did not build"
}

# The CPUs this process may run on, one a line, from the affinity list (e.g. "0-1,4").
allowed_cpus() {
  local list range
  list=$(taskset -pc $$ | sed 's/.*: //')
  IFS=',' read -ra ranges <<<"$list"
  for range in "${ranges[@]}"; do
    if [[ $range == *-* ]]; then seq "${range%-*}" "${range#*-}"; else echo "$range"; fi
  done
}

load_config() {
  [[ -f $CONFIG ]] || die "no fleet is set up in $LAB_DIR (start one with: scripts/servers.sh start N)"
  # shellcheck source=/dev/null
  source "$CONFIG"
}

# Starts instance I (1-based) in the background and records its PID.
launch() {
  local index=$1 port=$((BASE_PORT + $1 - 1))
  local -a command=(dotnet "$SERVER_DLL" --port "$port" --capacity "$CAPACITY")
  [[ -n $QUEUE ]] && command+=(--queue "$QUEUE")
  # A fleet.conf written before --allow-faults existed has no ALLOW_FAULTS: faults stay off.
  [[ ${ALLOW_FAULTS:-0} == 1 ]] && command+=(--allow-faults)
  if [[ $PIN == 1 ]]; then
    local -a cpus
    mapfile -t cpus < <(allowed_cpus)
    command=(taskset -c "${cpus[$(((index - 1) % ${#cpus[@]}))]}" "${command[@]}")
  fi
  # nohup and taskset exec the server, so $! is the server's own PID.
  nohup "${command[@]}" >"$LOG_DIR/$index.log" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$index.pid"
}

address_of() { echo "$HOST:$((BASE_PORT + $1 - 1))"; }

# Waits until the given instances answer their health check as SERVING; prints the probe's lines on failure.
wait_serving() {
  local -a addresses=()
  local index
  for index in "$@"; do addresses+=("$(address_of "$index")"); done
  dotnet "$SERVER_DLL" probe --wait "$HEALTH_TIMEOUT" "${addresses[@]}" >"$LAB_DIR/probe.out" 2>&1
}

# Ends instance I: SIGTERM, then SIGKILL once the timeout has passed. Only our own server's PID is signalled.
end_instance() {
  local index=$1 timeout=$2 pid waited=0
  pid=$(pid_of "$index")
  if is_our_server "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    while is_our_server "$pid" && ((waited < timeout * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if is_our_server "$pid"; then
      echo "instance $index (pid $pid) did not stop within ${timeout}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PID_DIR/$index.pid"
}

end_all() {
  local timeout=$1 index
  local -a pids=()
  for index in $(seq 1 "$COUNT"); do
    # Stop every instance at once: each drains on its own, so the fleet stops in one drain time, not N.
    end_instance "$index" "$timeout" &
    pids+=($!)
  done
  for index in "${pids[@]}"; do wait "$index" || true; done
}

cmd_start() {
  [[ $# -ge 1 ]] || die "start needs the number of instances, e.g. scripts/servers.sh start 3"
  COUNT=$1
  shift
  BASE_PORT=5001 CAPACITY=0 QUEUE= PIN=0 ALLOW_FAULTS=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      --base-port) needs_value "$@" && BASE_PORT=$2 && shift 2 ;;
      --capacity) needs_value "$@" && CAPACITY=$2 && shift 2 ;;
      --queue) needs_value "$@" && QUEUE=$2 && shift 2 ;;
      --pin) PIN=1 && shift ;;
      --allow-faults) ALLOW_FAULTS=1 && shift ;;
      *) die "unknown option '$1' for start (options: --base-port P, --capacity K, --queue Q, --pin, --allow-faults)" ;;
    esac
  done
  { is_uint "$COUNT" && ((COUNT >= 1 && COUNT <= MAX_INSTANCES)); } ||
    die "the number of instances must be 1-$MAX_INSTANCES, not '$COUNT'"
  { is_uint "$BASE_PORT" && ((BASE_PORT >= 1024 && BASE_PORT + COUNT - 1 <= 65535)); } ||
    die "--base-port must leave room for $COUNT ports within 1024-65535, not '$BASE_PORT'"
  is_uint "$CAPACITY" || die "--capacity must be 0 (unlimited) or a positive number, not '$CAPACITY'"
  [[ -z $QUEUE ]] || is_uint "$QUEUE" || die "--queue must be 0 or a positive number, not '$QUEUE'"
  if [[ $PIN == 1 ]]; then command -v taskset >/dev/null || die "--pin needs taskset (Debian package util-linux)"; fi

  mkdir -p "$PID_DIR" "$LOG_DIR"
  local running
  running=$(running_instances)
  ((running == 0)) || die "$running server(s) already running from $LAB_DIR: see 'scripts/servers.sh status', stop them with 'scripts/servers.sh stop'"
  rm -f "$REGISTRY" "$CONFIG" "$PID_DIR"/*.pid

  local index
  for index in $(seq 1 "$COUNT"); do
    ! port_in_use "$((BASE_PORT + index - 1))" ||
      die "port $((BASE_PORT + index - 1)) is already in use: choose another --base-port (nothing was started)"
  done

  build_if_needed
  printf 'COUNT=%s\nBASE_PORT=%s\nCAPACITY=%s\nQUEUE=%s\nPIN=%s\nALLOW_FAULTS=%s\n' \
    "$COUNT" "$BASE_PORT" "$CAPACITY" "$QUEUE" "$PIN" "$ALLOW_FAULTS" >"$CONFIG"
  for index in $(seq 1 "$COUNT"); do launch "$index"; done

  if ! wait_serving $(seq 1 "$COUNT"); then
    echo "servers.sh: not every instance became SERVING within $HEALTH_TIMEOUT:" >&2
    cat "$LAB_DIR/probe.out" >&2
    for index in $(seq 1 "$COUNT"); do
      if ! is_our_server "$(pid_of "$index")"; then
        echo "instance $index exited; the end of its log ($LOG_DIR/$index.log):" >&2
        tail -n 3 "$LOG_DIR/$index.log" >&2
      fi
    done
    end_all 5
    rm -f "$CONFIG"
    die "start failed; every instance it started has been stopped"
  fi

  local tmp=$REGISTRY.tmp
  for index in $(seq 1 "$COUNT"); do address_of "$index"; done >"$tmp"
  mv "$tmp" "$REGISTRY"
  echo "$COUNT server(s) SERVING; registry: $REGISTRY"
  cmd_status
}

cmd_status() {
  if [[ ! -f $CONFIG ]]; then
    echo "no fleet is running (start one with: scripts/servers.sh start N)"
    return 1
  fi
  load_config
  local -a addresses=()
  local index
  for index in $(seq 1 "$COUNT"); do addresses+=("$(address_of "$index")"); done
  local probe_status=0
  dotnet "$SERVER_DLL" probe "${addresses[@]}" >"$LAB_DIR/probe.out" 2>&1 || probe_status=$?

  local format='%-9s %-16s %-8s %-8s %-12s %-14s %10s %12s %9s\n'
  # shellcheck disable=SC2059
  printf "$format" INSTANCE ADDRESS PID PROCESS HEALTH ID IN_FLIGHT COMPLETED REJECTED
  local address health id in_flight completed rejected pid process
  index=0
  while IFS=$'\t' read -r address health id in_flight completed rejected; do
    index=$((index + 1))
    pid=$(pid_of "$index")
    if is_our_server "$pid"; then process=running; else process=dead; fi
    # shellcheck disable=SC2059
    printf "$format" "$index" "$address" "${pid:--}" "$process" "$health" "$id" "$in_flight" "$completed" "$rejected"
  done <"$LAB_DIR/probe.out"
  return "$probe_status"
}

cmd_stop() {
  local timeout=20
  while [[ $# -gt 0 ]]; do
    case $1 in
      --timeout) needs_value "$@" && timeout=$2 && shift 2 ;;
      *) die "unknown option '$1' for stop (options: --timeout SECONDS)" ;;
    esac
  done
  is_uint "$timeout" || die "--timeout must be a whole number of seconds, not '$timeout'"
  if [[ ! -f $CONFIG ]]; then
    echo "no fleet is running"
    return 0
  fi
  load_config
  end_all "$timeout"
  rm -f "$REGISTRY" "$CONFIG"
  echo "stopped $COUNT server(s); logs kept in $LOG_DIR"
}

instance_arg() {
  load_config
  { [[ $# -ge 1 ]] && is_uint "$1" && (($1 >= 1 && $1 <= COUNT)); } ||
    die "name an instance from 1 to $COUNT, e.g. scripts/servers.sh ${FUNCNAME[1]#cmd_} 1"
}

cmd_kill() {
  instance_arg "$@"
  local pid
  pid=$(pid_of "$1")
  is_our_server "$pid" || die "instance $1 is not running"
  kill -KILL "$pid"
  echo "killed instance $1 (pid $pid, $(address_of "$1")) with SIGKILL; it stays in the registry"
}

cmd_terminate() {
  instance_arg "$@"
  local pid
  pid=$(pid_of "$1")
  is_our_server "$pid" || die "instance $1 is not running"
  kill -TERM "$pid"
  echo "sent SIGTERM to instance $1 (pid $pid, $(address_of "$1")): it drains, then exits; it stays in the registry"
}

cmd_restart() {
  instance_arg "$@"
  end_instance "$1" 20
  ! port_in_use "$((BASE_PORT + $1 - 1))" || die "port $((BASE_PORT + $1 - 1)) is taken by another process: instance $1 cannot restart"
  build_if_needed
  launch "$1"
  if ! wait_serving "$1"; then
    cat "$LAB_DIR/probe.out" >&2
    tail -n 3 "$LOG_DIR/$1.log" >&2
    end_instance "$1" 5
    die "instance $1 did not become SERVING within $HEALTH_TIMEOUT"
  fi
  echo "restarted instance $1 (pid $(pid_of "$1"), $(address_of "$1"))"
}

main() {
  local command=${1:-}
  [[ $# -gt 0 ]] && shift
  case $command in
    start) cmd_start "$@" ;;
    status) cmd_status "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    terminate) cmd_terminate "$@" ;;
    restart) cmd_restart "$@" ;;
    -h | --help | help) usage ;;
    '') usage >&2 && exit 2 ;;
    *) echo "servers.sh: unknown command '$command'" >&2 && usage >&2 && exit 2 ;;
  esac
}

main "$@"
