#!/usr/bin/env bash
# The fleet script: starts, inspects and stops N server processes on 127.0.0.1: the lab's, or any gRPC server.
#
#   scripts/servers.sh start N [--base-port P] [--capacity K] [--queue Q] [--pin] [--allow-faults]
#   scripts/servers.sh start N --command 'CMD ... {port} ...' [--base-port P] [--pin]
#                                        any gRPC server, run N times by bash with {port} replaced by each one's port;
#                                        ready when it answers grpc.health.v1 SERVING, or without health a reflection
#                                        list, or without either any gRPC call (start says which it waited for)
#     TLS: [--tls-cert F --tls-key F [--client-ca F]]  the lab's server serves TLS (mTLS with a client CA)
#          --tls-ca F [--tls-client-cert F --tls-client-key F]
#                                        the servers speak TLS: readiness and status check them against this CA, and
#                                        present this client certificate to servers that require one
#   scripts/servers.sh status            table of instances; exit 0 when every one is ready (SERVING)
#   scripts/servers.sh stop [--timeout S] graceful (SIGTERM), then forced (SIGKILL) after S seconds (default 20)
#   scripts/servers.sh kill I            kill -9 instance I (1-based), for failure experiments
#   scripts/servers.sh terminate I       SIGTERM instance I: it drains gracefully and exits (not waited for)
#   scripts/servers.sh restart I         stop instance I if it runs, start it again on the same port
#
# State lives in $LAB_DIR (default: .lab/ at the repository root): the registry servers.txt (one host:port a line,
# written once every instance is ready), fleet.conf, pids/I.pid and logs/I.log. Commands that change the fleet hold
# fleet.lock there, so that two at once run one after the other. A --command server runs in a process group of its
# own (its command may be a shell that starts it), which is signalled as a whole.
# Numbers are read in base 10 (010 is ten). Exit codes: 0 done, 1 the fleet's state stood in the way (already
# running, not running, a port in use, a start that failed), 2 bad input (a command, option or value); one line each.
# Needs bash, flock (util-linux) and the .NET SDK; --pin also needs taskset (util-linux).
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
LOCK=$LAB_DIR/fleet.lock
# Carried in the environment of every server this fleet starts, so that its PIDs can be told from reused ones.
FLEET_MARK=LAB_FLEET=$LAB_DIR
# A start may build the server first: a second command waits that long for the first before it gives up.
LOCK_WAIT_SECONDS=600
MAX_INSTANCES=64
# The server's own ranges for --capacity and --queue (src/Server/Hosting/ServerOptions.cs).
MAX_CALLS=1000000
MAX_STOP_TIMEOUT=3600
# shellcheck source=lib/build.sh
source "$ROOT/scripts/lib/build.sh"

# The fleet's state stood in the way: one line, exit 1.
die() {
  echo "servers.sh: $*" >&2
  exit 1
}

# Bad input (a command, option or value): one line, exit 2.
refuse() {
  echo "servers.sh: $*" >&2
  exit 2
}

# The comment block at the top of this file, up to its first line of code.
usage() {
  sed -n '2,/^[^#]/{/^#/p;}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# read_number VAR WHAT TEXT MIN MAX: sets VAR to TEXT read as a whole number in base 10 (bash would read 010 as
# octal, and 08 not at all), or refuses it naming WHAT and the range. At most 9 digits, so bash's arithmetic never
# overflows.
read_number() {
  local -n number=$1
  local what=$2 text=$3 min=$4 max=$5
  [[ $text =~ ^[0-9]{1,9}$ ]] && ((10#$text >= min && 10#$text <= max)) ||
    refuse "$what must be a whole number from $min to $max, not '$text'"
  number=$((10#$text))
}

# Called with an option and what follows it: the option needs a value (else 'shift 2' would end the script silently).
needs_value() { [[ $# -ge 2 ]] || refuse "$1 needs a value"; }

# For commands that take no arguments, or no more than they read.
no_more_arguments() { [[ $# -eq 0 ]] || refuse "unexpected argument '$1' for $COMMAND (see scripts/servers.sh help)"; }

# Held until the script exits by every command that changes the fleet: two at once (two starts, a stop during a
# start) would otherwise write each other's PID files and leave servers that no stop can find. A second command waits
# for the first, then acts on what it left. The servers and the build must not inherit the lock, or they would hold
# it for as long as they run: launch and build_if_needed close it for them.
lock_fleet() {
  command -v flock >/dev/null || die "the fleet script needs flock (Debian package util-linux)"
  mkdir -p "$LAB_DIR"
  exec {LOCK_FD}>"$LOCK"
  flock -w "$LOCK_WAIT_SECONDS" "$LOCK_FD" ||
    die "another servers.sh command has held $LOCK for ${LOCK_WAIT_SECONDS}s: wait for it to finish, or find it with: fuser $LOCK"
}

# A PID is ours only while it still runs our server: PIDs are reused, and we end only what we started. Every server
# the script starts carries FLEET_MARK in its environment (the lab's is also known by its command line).
is_our_server() {
  local pid=$1 cmdline
  [[ -n $pid ]] || return 1
  cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || cmdline=
  if [[ -n $cmdline ]]; then
    [[ $cmdline == *GrpcLoadLab.Server.dll* ]] || tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF "$FLEET_MARK"
  else
    # Gone, or a zombie. A --command's shell may have ended while the server it started runs on in its process
    # group, whose ID no new process can take while the group lasts.
    [[ -n ${SERVER_COMMAND:-} ]] && group_runs "$pid"
  fi
}

# True while a process of group GROUP runs. Zombies do not count: they only wait for a parent to reap them (kill -0
# on the group would count them).
group_runs() {
  local group=$1 file line state pgrp
  for file in /proc/[0-9]*/stat; do
    { read -r line <"$file"; } 2>/dev/null || continue
    # After the command name's closing parenthesis: state, parent's PID, group.
    read -r state _ pgrp _ <<<"${line##*) }"
    [[ $pgrp == "$group" && $state != Z ]] && return 0
  done
  return 1
}

# signal_server SIG PID: signals a server; a --command server's whole process group.
signal_server() {
  local signal=$1 pid=$2
  if [[ -n ${SERVER_COMMAND:-} ]]; then kill "-$signal" -- "-$pid" 2>/dev/null; else kill "-$signal" "$pid" 2>/dev/null; fi
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
  # The build leaves compiler servers running for minutes: they must not hold the fleet's lock.
  build_release_if_needed "$ROOT/src/Server" "$SERVER_DLL" "$LAB_DIR/build.log" {LOCK_FD}>&- || die "the server did not build"
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
  local -a command
  if [[ -n ${SERVER_COMMAND:-} ]]; then
    # setsid: a process group of its own (this script's background job is no group leader, so setsid does not fork
    # and $! stays the group's PID); bash execs a simple command itself, so that is then the server's PID too.
    command=(setsid bash -c "${SERVER_COMMAND//\{port\}/$port}")
  else
    command=(dotnet "$SERVER_DLL" --port "$port" --capacity "$CAPACITY")
    [[ -n $QUEUE ]] && command+=(--queue "$QUEUE")
    # A fleet.conf written before --allow-faults existed has no ALLOW_FAULTS: faults stay off.
    [[ ${ALLOW_FAULTS:-0} == 1 ]] && command+=(--allow-faults)
    [[ -n ${TLS_CERT:-} ]] && command+=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
    [[ -n ${CLIENT_CA:-} ]] && command+=(--client-ca "$CLIENT_CA")
  fi
  if [[ $PIN == 1 ]]; then
    local -a cpus
    mapfile -t cpus < <(allowed_cpus)
    command=(taskset -c "${cpus[$(((index - 1) % ${#cpus[@]}))]}" "${command[@]}")
  fi
  # nohup, env and taskset exec the server, so $! is the server's own PID.
  nohup env "$FLEET_MARK" "${command[@]}" >"$LOG_DIR/$index.log" 2>&1 </dev/null {LOCK_FD}>&- &
  local pid=$!
  echo "$pid" >"$PID_DIR/$index.pid"
  await_exec "$pid"
}

# Until it has exec'd, a forked child is a copy of this script: neither its command line nor its environment marks
# it as our server, and a check then would take a starting instance for one that has exited. Waits (5 s at most, a
# busy machine can be slow to schedule it) until the child is recognisably ours, or is gone.
await_exec() {
  local pid=$1 end=$((SECONDS + 5))
  while ((SECONDS < end)); do
    if is_our_server "$pid" || ! kill -0 "$pid" 2>/dev/null; then return; fi
    sleep 0.01
  done
  echo "servers.sh: process $pid, started for an instance, has not run the server's command after 5 s" >&2
}

address_of() { echo "$HOST:$((BASE_PORT + $1 - 1))"; }

# Waits until the given instances are ready (the probe: SERVING, or without health a reflection list or any gRPC
# answer); its lines are left in probe.out.
wait_serving() {
  local -a addresses=()
  local index probe
  for index in "$@"; do addresses+=("$(address_of "$index")"); done
  probe_tls_options
  dotnet "$SERVER_DLL" probe "${PROBE_TLS[@]}" --wait "$HEALTH_TIMEOUT" "${addresses[@]}" >"$LAB_DIR/probe.out" 2>&1 &
  probe=$!
  # An instance that exits (a command that ends at once, a bad option) fails the start now, not after the whole wait.
  while kill -0 "$probe" 2>/dev/null; do
    for index in "$@"; do
      if ! is_our_server "$(pid_of "$index")"; then
        kill "$probe" 2>/dev/null
        wait "$probe" 2>/dev/null
        return 1
      fi
    done
    sleep 0.2
  done
  wait "$probe"
}

# Sets PROBE_TLS to the probe's TLS options, for a fleet that speaks TLS (a fleet.conf from before TLS has none).
probe_tls_options() {
  PROBE_TLS=()
  [[ -z ${TLS_CA:-} ]] || PROBE_TLS+=(--ca-file "$TLS_CA")
  [[ -z ${TLS_CLIENT_CERT:-} ]] || PROBE_TLS+=(--cert-file "$TLS_CLIENT_CERT" --key-file "$TLS_CLIENT_KEY")
}

# read_file VAR OPTION PATH: sets VAR to PATH made absolute (instances restart from any folder), or refuses a file that
# cannot be read.
read_file() {
  local -n file=$1
  local option=$2 path=$3
  [[ -f $path && -r $path ]] || refuse "$option '$path' is not a readable file"
  file=$(cd "$(dirname "$path")" && pwd)/$(basename "$path")
}

# The TLS options go together: a certificate with its key, a client CA with TLS, and a TLS fleet with the CA that
# readiness checks it against.
check_tls_options() {
  [[ -z $TLS_CERT && -z $TLS_KEY ]] || [[ -n $TLS_CERT && -n $TLS_KEY ]] || refuse "--tls-cert and --tls-key go together"
  [[ -z $CLIENT_CA || -n $TLS_CERT ]] || refuse "--client-ca asks clients for a certificate over TLS: give --tls-cert and --tls-key too"
  [[ -z $TLS_CERT || -n $TLS_CA ]] ||
    refuse "--tls-cert makes the servers speak TLS: give --tls-ca (the CA that signed it), which readiness checks them against"
  [[ -z $TLS_CLIENT_CERT && -z $TLS_CLIENT_KEY ]] || [[ -n $TLS_CLIENT_CERT && -n $TLS_CLIENT_KEY ]] ||
    refuse "--tls-client-cert and --tls-client-key go together"
  [[ -z $TLS_CLIENT_CERT || -n $TLS_CA ]] || refuse "--tls-client-cert is for servers that speak TLS: give --tls-ca too"
  [[ -z $CLIENT_CA || -n $TLS_CLIENT_CERT ]] ||
    refuse "--client-ca makes the servers require a client certificate: give --tls-client-cert and --tls-client-key for readiness to present"
}

# Ends instance I: SIGTERM, then SIGKILL once the timeout has passed. Only our own server's PID is signalled.
end_instance() {
  local index=$1 timeout=$2 pid waited=0
  pid=$(pid_of "$index")
  if is_our_server "$pid"; then
    signal_server TERM "$pid" || true
    while is_our_server "$pid" && ((waited < timeout * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if is_our_server "$pid"; then
      echo "instance $index (pid $pid) did not stop within ${timeout}s: killing it"
      signal_server KILL "$pid" || true
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

# Checks the --command just read: a command line with {port} where each instance's port goes.
read_server_command() {
  [[ $SERVER_COMMAND =~ [^[:space:]] ]] ||
    refuse "--command needs your server's command line, with {port} where its port goes, e.g. --command 'python3 server.py --port {port}'"
  [[ $SERVER_COMMAND == *"{port}"* ]] ||
    refuse "--command must say where each instance's port goes with {port}, e.g. --command 'python3 server.py --port {port}'"
}

cmd_start() {
  [[ $# -ge 1 && $1 != -* ]] || refuse "start needs the number of instances, e.g. scripts/servers.sh start 3"
  read_number COUNT "the number of instances" "$1" 1 "$MAX_INSTANCES"
  shift
  BASE_PORT=5001 CAPACITY=0 QUEUE= PIN=0 ALLOW_FAULTS=0 SERVER_COMMAND=
  TLS_CERT= TLS_KEY= CLIENT_CA= TLS_CA= TLS_CLIENT_CERT= TLS_CLIENT_KEY=
  local lab_option=
  while [[ $# -gt 0 ]]; do
    case $1 in
      --base-port) needs_value "$@" && read_number BASE_PORT --base-port "$2" 1024 $((65536 - COUNT)) && shift 2 ;;
      --capacity) needs_value "$@" && read_number CAPACITY "--capacity (0 = unlimited)" "$2" 0 "$MAX_CALLS" && lab_option=$1 && shift 2 ;;
      --queue) needs_value "$@" && read_number QUEUE --queue "$2" 0 "$MAX_CALLS" && lab_option=$1 && shift 2 ;;
      --pin) PIN=1 && shift ;;
      --allow-faults) ALLOW_FAULTS=1 && lab_option=$1 && shift ;;
      --command) needs_value "$@" && SERVER_COMMAND=$2 && read_server_command && shift 2 ;;
      --tls-cert) needs_value "$@" && read_file TLS_CERT "$@" && lab_option=$1 && shift 2 ;;
      --tls-key) needs_value "$@" && read_file TLS_KEY "$@" && lab_option=$1 && shift 2 ;;
      --client-ca) needs_value "$@" && read_file CLIENT_CA "$@" && lab_option=$1 && shift 2 ;;
      --tls-ca) needs_value "$@" && read_file TLS_CA "$@" && shift 2 ;;
      --tls-client-cert) needs_value "$@" && read_file TLS_CLIENT_CERT "$@" && shift 2 ;;
      --tls-client-key) needs_value "$@" && read_file TLS_CLIENT_KEY "$@" && shift 2 ;;
      *) refuse "unknown option '$1' for start (options: --base-port P, --capacity K, --queue Q, --pin, --allow-faults, --command CMD, --tls-cert F, --tls-key F, --client-ca F, --tls-ca F, --tls-client-cert F, --tls-client-key F)" ;;
    esac
  done
  if [[ -n $SERVER_COMMAND && -n $lab_option ]]; then
    refuse "$lab_option is an option of the lab's server: with --command, give your server's own options in its command"
  fi
  check_tls_options
  if [[ $PIN == 1 ]]; then command -v taskset >/dev/null || die "--pin needs taskset (Debian package util-linux)"; fi

  lock_fleet
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

  # Also for a --command fleet: the lab's server is its probe.
  build_if_needed
  printf 'COUNT=%s\nBASE_PORT=%s\nCAPACITY=%s\nQUEUE=%s\nPIN=%s\nALLOW_FAULTS=%s\nSERVER_COMMAND=%q\n' \
    "$COUNT" "$BASE_PORT" "$CAPACITY" "$QUEUE" "$PIN" "$ALLOW_FAULTS" "$SERVER_COMMAND" >"$CONFIG"
  printf 'TLS_CERT=%q\nTLS_KEY=%q\nCLIENT_CA=%q\nTLS_CA=%q\nTLS_CLIENT_CERT=%q\nTLS_CLIENT_KEY=%q\n' \
    "$TLS_CERT" "$TLS_KEY" "$CLIENT_CA" "$TLS_CA" "$TLS_CLIENT_CERT" "$TLS_CLIENT_KEY" >>"$CONFIG"
  for index in $(seq 1 "$COUNT"); do launch "$index"; done

  if ! wait_serving $(seq 1 "$COUNT"); then
    echo "servers.sh: not every instance became ready (the wait ends at an instance that exits, or after $HEALTH_TIMEOUT):" >&2
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
  local over=
  [[ -z $TLS_CA ]] || over=" over TLS"
  if [[ -n $SERVER_COMMAND ]]; then
    echo "$COUNT server(s) ready$over: $(what_was_waited_for); registry: $REGISTRY"
  else
    echo "$COUNT server(s) SERVING$over; registry: $REGISTRY"
  fi
  # The table is for the reader: every instance was ready above, so a probe that times out now on a busy
  # machine must not turn a good start into a failed one.
  cmd_status || true
}

# What the probe of a ready fleet found, in words (from its lines in probe.out): what start waited for.
what_was_waited_for() {
  local -a found=()
  local count health
  while read -r count health; do
    case $health in
      SERVING) found+=("$count answered grpc.health.v1 SERVING") ;;
      REFLECTION) found+=("$count without grpc.health.v1 answered a reflection list") ;;
      ACCEPTING) found+=("$count without grpc.health.v1 or reflection accepted a gRPC call") ;;
    esac
  done < <(cut -f2 "$LAB_DIR/probe.out" | sort | uniq -c)
  local joined
  joined=$(printf '%s; ' "${found[@]}")
  echo "${joined%; }"
}

cmd_status() {
  no_more_arguments "$@"
  if [[ ! -f $CONFIG ]]; then
    echo "no fleet is running (start one with: scripts/servers.sh start N)"
    return 1
  fi
  load_config
  local -a addresses=()
  local index
  for index in $(seq 1 "$COUNT"); do addresses+=("$(address_of "$index")"); done
  local probe_status=0
  probe_tls_options
  dotnet "$SERVER_DLL" probe "${PROBE_TLS[@]}" "${addresses[@]}" >"$LAB_DIR/probe.out" 2>&1 || probe_status=$?

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
      --timeout) needs_value "$@" && read_number timeout "--timeout (seconds)" "$2" 0 "$MAX_STOP_TIMEOUT" && shift 2 ;;
      *) refuse "unknown option '$1' for stop (options: --timeout SECONDS)" ;;
    esac
  done
  lock_fleet
  if [[ ! -f $CONFIG ]]; then
    echo "no fleet is running"
    return 0
  fi
  load_config
  end_all "$timeout"
  rm -f "$REGISTRY" "$CONFIG"
  echo "stopped $COUNT server(s); logs kept in $LOG_DIR"
}

# Sets INSTANCE to the one instance the command names (1-based), after taking the lock: the fleet it is checked
# against cannot change meanwhile.
instance_arg() {
  [[ $# -ge 1 ]] || refuse "name an instance, e.g. scripts/servers.sh $COMMAND 1"
  local text=$1
  shift
  no_more_arguments "$@"
  [[ $text =~ ^[0-9]{1,9}$ ]] || refuse "the instance must be a whole number from 1 to the fleet's size, not '$text'"
  lock_fleet
  load_config
  read_number INSTANCE "the instance" "$text" 1 "$COUNT"
}

cmd_kill() {
  instance_arg "$@"
  local pid
  pid=$(pid_of "$INSTANCE")
  is_our_server "$pid" || die "instance $INSTANCE is not running"
  signal_server KILL "$pid"
  echo "killed instance $INSTANCE (pid $pid, $(address_of "$INSTANCE")) with SIGKILL; it stays in the registry"
}

cmd_terminate() {
  instance_arg "$@"
  local pid
  pid=$(pid_of "$INSTANCE")
  is_our_server "$pid" || die "instance $INSTANCE is not running"
  signal_server TERM "$pid"
  echo "sent SIGTERM to instance $INSTANCE (pid $pid, $(address_of "$INSTANCE")): it drains, then exits; it stays in the registry"
}

cmd_restart() {
  instance_arg "$@"
  end_instance "$INSTANCE" 20
  local port=$((BASE_PORT + INSTANCE - 1))
  ! port_in_use "$port" || die "port $port is taken by another process: instance $INSTANCE cannot restart"
  build_if_needed
  launch "$INSTANCE"
  if ! wait_serving "$INSTANCE"; then
    cat "$LAB_DIR/probe.out" >&2
    tail -n 3 "$LOG_DIR/$INSTANCE.log" >&2
    end_instance "$INSTANCE" 5
    die "instance $INSTANCE did not become ready within $HEALTH_TIMEOUT"
  fi
  echo "restarted instance $INSTANCE (pid $(pid_of "$INSTANCE"), $(address_of "$INSTANCE"))"
}

main() {
  COMMAND=${1:-}
  [[ $# -gt 0 ]] && shift
  case $COMMAND in
    start) cmd_start "$@" ;;
    status) cmd_status "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    terminate) cmd_terminate "$@" ;;
    restart) cmd_restart "$@" ;;
    -h | --help | help) no_more_arguments "$@" && usage ;;
    '') refuse "name a command: start N, status, stop, kill I, terminate I or restart I (scripts/servers.sh help shows each)" ;;
    *) refuse "unknown command '$COMMAND': use start, status, stop, kill, terminate or restart (scripts/servers.sh help shows each)" ;;
  esac
}

main "$@"
