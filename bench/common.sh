# Functions shared by the bench/ scripts; sourced, not run. The sourcing script sets ROOT, and RESULTS and BIN itself
# or by bench_workspace; for run_channel_loop also LOOP_DLL, CONCURRENCY and WARMUP, for run_loadgen and
# run_result_writer WARMUP.

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# Makes a run's folders: RESULTS, bench/results/NAME/<time>[-SUFFIX], kept; and, removed on exit, a private LAB_DIR
# for its fleet and BIN for its private builds (others run fleets and rebuild the same projects meanwhile, and a
# rebuild must not swap a client's binaries between rounds). On exit, the clients it started are ended (by their
# PIDs) and its fleet stopped, the servers' logs kept in RESULTS/server-logs.
bench_workspace() {
  RESULTS=$ROOT/bench/results/$1/$(date +%Y%m%d-%H%M%S)${2:+-$2}
  mkdir -p "$RESULTS"
  export LAB_DIR
  LAB_DIR=$(mktemp -d)
  BIN=$(mktemp -d)
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  # timeout passes the signal on to its client.
  [[ -z $LOOP_PID ]] || kill -TERM "$LOOP_PID" 2>/dev/null || true
  [[ -z $LOADGEN_PID ]] || kill -TERM "$LOADGEN_PID" 2>/dev/null || true
  # Many open streams take their servers longer to drain.
  "$ROOT/scripts/servers.sh" stop --timeout 20 >/dev/null || true
  cp -r "$LAB_DIR/logs" "$RESULTS/server-logs" 2>/dev/null || true
  rm -rf "$LAB_DIR" "$BIN"
}

# The commit the benchmark's sources are at, short, with " + uncommitted changes in PATH..." when any of the
# PATHs (the code it measures) differs from it: a figure is quoted with the sources it measured.
sources_commit() {
  local commit
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [[ -z $(git -C "$ROOT" status --porcelain -- "$@" 2>/dev/null) ]] || commit+=" + uncommitted changes in $*"
  echo "$commit"
}

# Installs the Debian PACKAGE that provides COMMAND when COMMAND is missing: as root, or dies saying how.
need_debian_package() {
  local command=$1 package=$2
  command -v "$command" >/dev/null && return 0
  ((EUID == 0)) || die "$command is missing: install it as root with: apt-get install -y $package"
  echo "installing $command ($package)..."
  apt-get install -y "$package" >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y "$package" >/dev/null; } ||
    die "could not install $package"
}

# The median of the numbers on stdin, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Builds PROJECT (relative to ROOT) in Release and copies its output folder to DEST: others build the same projects
# meanwhile, and a rebuild must not swap a client's or a server's binaries between rounds.
build_copy() {
  local project=$1 dest=$2 attempt
  for attempt in 1 2 3 4; do
    if dotnet build "$ROOT/$project" -c Release --nologo -v quiet -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1; then
      mkdir -p "$dest"
      cp -r "$ROOT/$(dirname "$project")/bin/Release/net10.0/." "$dest/"
      return 0
    fi
    # Release outputs (src/Server, src/Balancer) are shared with the fleet script and the tests: a file in use
    # clears soon.
    ((attempt < 4)) || { cat "$RESULTS/build.log" >&2 && die "$project did not build"; }
    echo "build of $project failed (attempt $attempt); retrying in 10 s..."
    sleep 10
  done
}

# Runs bench/ChannelLoop in MODE ("plain", "grpc-round-robin" or "balanced") for SECONDS into OUT, with the rest of
# the arguments (its --addresses or --target, and for streams --kind, --messages, --interval-ms, or --rate for an
# open loop, which takes no --concurrency: leave CONCURRENCY empty), with LOOP_ENV's VAR=VALUE settings and the
# runtime settings of the file LOOP_RUNTIMECONFIG (another program's: loadgen's GC and thread pool) when set, and
# sets RATE (calls/s), CPU_PER_CALL (client CPU µs per call), MPS (messages received/s), CPU_PER_MESSAGE (µs),
# LOOP_ERRORS (failed calls) and, for an open loop, LOOP_LAG_P99 (µs), LOOP_WAKE_P99 (how late its dispatcher's sleeps
# ended, µs) and LOOP_REALTIME_PERCENT (its time at real-time priority, % of the measured time), and LOOP_GC_PERCENT (how
# long its GC paused it, % of the measured time, one decimal). A run with failed calls stops the benchmark
# unless the sourcing script set ALLOW_LOOP_ERRORS=1.
LOOP_PID=
run_channel_loop() {
  local mode=$1 seconds=$2 out=$3 line status=0
  shift 3
  timeout $((WARMUP + seconds + 60)) env ${LOOP_ENV[@]+"${LOOP_ENV[@]}"} \
    dotnet ${LOOP_RUNTIMECONFIG:+exec --runtimeconfig "$LOOP_RUNTIMECONFIG"} "$LOOP_DLL" --mode "$mode" "$@" \
    ${CONCURRENCY:+--concurrency "$CONCURRENCY"} --duration "$seconds" --warmup "$WARMUP" >"$out" 2>&1 &
  LOOP_PID=$!
  wait "$LOOP_PID" || status=$?
  LOOP_PID=
  # ChannelLoop exits with 1 when some calls failed, after its result line.
  ((status == 0 || (status == 1 && ${ALLOW_LOOP_ERRORS:-0} == 1))) || die "the $mode run failed (see $out)"
  line=$(grep "^mode=$mode " "$out") || die "no result line in $out"
  LOOP_ERRORS=$(loop_field errors "$line")
  RATE=$(loop_field rps "$line")
  MPS=$(loop_field mps "$line")
  LOOP_LAG_P99=$(loop_field lag_p99_us "$line")
  LOOP_WAKE_P99=$(loop_field wake_p99_us "$line")
  LOOP_REALTIME_PERCENT=$(percent_of "$(loop_field realtime_seconds "$line")" "$(loop_field paced_seconds "$line")")
  CPU_PER_CALL=$(per_million "$(loop_field client_cpu_seconds "$line")" "$(loop_field calls "$line")")
  CPU_PER_MESSAGE=$(per_million "$(loop_field client_cpu_seconds "$line")" "$(loop_field messages "$line")")
  LOOP_GC_PERCENT=$(awk -v p="$(loop_field gc_pause_seconds "$line")" -v w="$(loop_field seconds "$line")" \
    'BEGIN { if (p == "" || !w) print "-"; else printf "%.1f", 100 * p / w }')
}

# The value of KEY in ChannelLoop's result LINE (key=value fields), empty when the line has none.
loop_field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

# 1e6 × SECONDS / COUNT to one decimal (µs per item), 0 when COUNT is 0.
per_million() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f", n ? 1e6 * s / n : 0 }'; }

# PART as a whole percentage of WHOLE; "-" when either is missing or WHOLE is 0.
percent_of() { awk -v p="$1" -v w="$2" 'BEGIN { if (p == "" || w == "" || w == 0) print "-"; else printf "%.0f", 100 * p / w }'; }

# Prints result.json's scalars as PATH=VALUE lines (totals.scheduleLag.p99=812, timeline.3.phase=1): the JSON is
# written indented, two spaces a level, and jq need not be installed.
flatten_json() {
  awk '
    { match($0, /^ */); depth = RLENGTH / 2 }
    /^ *"[^"]+": / {
      key = $0; sub(/^ *"/, "", key); sub(/".*/, "", key)
      value = $0; sub(/^ *"[^"]+": /, "", value); sub(/,$/, "", value)
      name[depth] = key
      if (value == "[") count[depth + 1] = 0
      if (value == "{" || value == "[") next
      path = name[1]; for (i = 2; i <= depth; i++) path = path "." name[i]
      print path "=" value
      next
    }
    /^ *\{$/ && depth > 0 { name[depth] = ++count[depth] }
  ' "$1"
}

field() { grep -m1 "^$1=" "$2" | cut -d= -f2-; }

# loadgen runs here with the GC settings that scripts/loadgen gives it.
# shellcheck source=scripts/lib/loadgen-gc.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/loadgen-gc.sh"

# Makes run_channel_loop run the bare loop with loadgen's runtime settings (the environment scripts/loadgen gives it, its
# runtimeconfig.json from $BIN/loadgen): a comparison of the two is then of their code, not of their GC's configuration.
loop_runs_as_loadgen() {
  LOOP_ENV=("${LOADGEN_GC_ENV[@]}")
  LOOP_RUNTIMECONFIG=$BIN/loadgen/loadgen.runtimeconfig.json
}

# The static target of the first COUNT lab servers, from port PORT on.
static_target() { seq -s, -f "127.0.0.1:%.0f" "$PORT" $((PORT + $1 - 1)) | sed 's/^/static:/'; }

# Checks the stream benchmarks' options: each STREAMS:INSTANCES of SETUPS and each rate of STREAM_RATES (named in the
# messages as SETUP_OPTION and RATE_OPTION), STREAM_SECONDS, DURATION, WARMUP and PORT.
check_stream_options() {
  local setup_option=$1 rate_option=$2 value setup rate
  for value in "$STREAM_SECONDS" "$DURATION" "$WARMUP" "$PORT" $STREAM_RATES; do
    is_uint "$value" || die "options take whole numbers, not '$value'"
  done
  [[ -n $SETUPS && -n $STREAM_RATES ]] || die "$setup_option and $rate_option take at least one value"
  for setup in $SETUPS; do
    [[ $setup =~ ^[0-9]+:[1-4]$ ]] || die "$setup_option takes STREAMS:INSTANCES with 1-4 instances, not '$setup'"
    ((${setup%:*} >= 1 && ${setup%:*} <= 100000)) || die "streams must be 1-100000, not '${setup%:*}'"
  done
  for rate in $STREAM_RATES; do ((rate >= 1 && rate <= 1000)) || die "$rate_option must be 1-1000 messages a second each"; done
  ((STREAM_SECONDS >= 1 && STREAM_SECONDS <= 600)) || die "--stream-seconds must be 1-600"
  ((DURATION >= 3 && DURATION <= 600)) || die "--duration must be 3-600 seconds"
  ((WARMUP >= 1 && WARMUP <= 120)) || die "--warmup must be 1-120 seconds"
  ((PORT >= 1024 && PORT <= 65532)) || die "--base-port must be 1024-65532"
}

# Writes to FILE the loadgen scenario NAME of COUNT concurrent streams of KIND (server-stream or bidi) over the first
# INSTANCES servers, RATE messages a second each (the server waits 1/RATE s before each), each stream STREAM_SECONDS
# long, after a warm-up of WARMUP seconds and measured DURATION seconds; its reports go to RESULTS/reports.
write_stream_scenario() {
  local file=$1 name=$2 kind=$3 count=$4 rate=$5 instances=$6 size_key=replies
  [[ $kind == server-stream ]] || size_key=messages
  cat >"$file" <<JSON
{
  "name": "$name",
  "target": { "address": "$(static_target "$instances")", "policy": "round_robin" },
  "call": { "kind": "$kind", "replySize": 16, "$size_key": $((rate * STREAM_SECONDS)), "delay": "$((1000 / rate))ms", "deadline": "$((STREAM_SECONDS + 10))s" },
  "phases": [
    { "type": "constant-concurrency", "name": "warm-up", "warmup": true, "concurrency": $count, "duration": "${WARMUP}s" },
    { "type": "constant-concurrency", "concurrency": $count, "duration": "${DURATION}s" }
  ],
  "report": { "directory": "$RESULTS/reports" }
}
JSON
}

# Runs loadgen on SCENARIO as run NAME, output into OUT, and flattens its result.json into FLAT (the exit code of a
# run that measured something, invalid or not, does not stop the benchmark).
LOADGEN_PID=
run_loadgen() {
  local scenario=$1 name=$2 out=$3 flat=$4 seconds=$5
  shift 5
  run_result_writer "$name" "$out" "$flat" "$seconds" dotnet "$BIN/loadgen/loadgen.dll" run "$scenario" --name "$name" "$@"
}

# Runs COMMAND... (loadgen, or a C# scenario: anything that writes a run's result.json and names it on a "result: PATH"
# line) as run NAME with loadgen's GC settings, output into OUT, and flattens the result into FLAT, as run_loadgen.
run_result_writer() {
  local name=$1 out=$2 flat=$3 seconds=$4 status=0 result
  shift 4
  # The margin covers the reports loadgen renders after the run: minutes on a busy machine.
  timeout $((WARMUP + seconds + 300)) env "${LOADGEN_GC_ENV[@]}" "$@" >"$out" 2>&1 &
  LOADGEN_PID=$!
  wait "$LOADGEN_PID" || status=$?
  LOADGEN_PID=
  ((status == 0 || status == 1 || status == 3)) || die "run $name exited with $status (see $out)"
  result=$(sed -n 's/^result: //p' "$out")
  [[ -f $result ]] || die "no result.json for run $name (see $out)"
  flatten_json "$result" >"$flat"
}

# Prints the measured phase's (phase 1's) whole seconds of FLAT's timeline as
# "SECOND SUCCEEDED CPU_PERCENT LAG_P99 GC_PAUSE_MILLIS",
# leaving out its first second (it straddles the warm-up) and the last tick (a fraction of a second, at the end).
measured_seconds() {
  awk -F= '
    $1 ~ /^timeline\.[0-9]+\./ { split($1, p, "."); k = substr($1, length(p[1] p[2]) + 3); v[p[2], k] = $2; if (p[2] > n) n = p[2] }
    END { for (s = 2; s < n; s++) if (v[s, "phase"] == 1 && v[s - 1, "phase"] == 1)
      print s, v[s, "succeeded"], v[s, "generator.cpuPercent"], v[s, "generator.scheduleLagP99Micros"], v[s, "generator.gcPauseMillis"] }' "$1"
}

# Checks the options of the closed-loop benchmarks, which every caller sets before (ROUNDS, DURATION, WARMUP,
# CONCURRENCY, PORT), dying in one line on a bad one; MIN_DURATION: the shortest --duration the caller can measure.
check_closed_options() {
  local min_duration=$1
  for value in "$ROUNDS" "$DURATION" "$WARMUP" "$CONCURRENCY" "$PORT"; do
    is_uint "$value" || die "options take whole numbers, not '$value'"
  done
  ((ROUNDS >= 1 && ROUNDS <= 50)) || die "--rounds must be 1-50"
  ((DURATION >= min_duration && DURATION <= 600)) || die "--duration must be $min_duration-600 seconds"
  # A loadgen phase must last more than 0 s, so the warm-up phase needs at least 1 s.
  ((WARMUP >= 1 && WARMUP <= 60)) || die "--warmup must be 1-60 seconds"
  ((CONCURRENCY >= 1 && CONCURRENCY <= 1024)) || die "--concurrency must be 1-1024"
  ((PORT >= 1024 && PORT <= 65535)) || die "--port must be 1024-65535"
}

# Writes FILE, a closed-model scenario NAME against TARGET whose call is CALL (the members of "call" but its 10 s
# deadline): WARMUP s of warm-up, then SECONDS s measured, both at CONCURRENCY calls in flight; reports in
# $RESULTS/reports.
write_closed_scenario() {
  local file=$1 name=$2 target=$3 call=$4 seconds=$5
  cat >"$file" <<JSON
{
  "name": "$name",
  "target": { "address": "$target", "policy": "round_robin" },
  "call": { $call, "deadline": "10s" },
  "phases": [
    { "type": "constant-concurrency", "name": "warm-up", "warmup": true, "concurrency": $CONCURRENCY, "duration": "${WARMUP}s" },
    { "type": "constant-concurrency", "concurrency": $CONCURRENCY, "duration": "${seconds}s" }
  ],
  "report": { "directory": "$RESULTS/reports" }
}
JSON
}
