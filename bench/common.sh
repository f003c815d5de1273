# Functions shared by the bench/ scripts; sourced, not run. The sourcing script sets ROOT and RESULTS, and for
# run_channel_loop also LOOP_DLL, CONCURRENCY and WARMUP.

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

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
# the arguments (its --addresses or --target), and sets RATE (calls/s) and CPU_PER_CALL (client CPU µs per call).
LOOP_PID=
run_channel_loop() {
  local mode=$1 seconds=$2 out=$3 line
  shift 3
  timeout $((WARMUP + seconds + 60)) dotnet "$LOOP_DLL" --mode "$mode" "$@" \
    --concurrency "$CONCURRENCY" --duration "$seconds" --warmup "$WARMUP" >"$out" 2>&1 &
  LOOP_PID=$!
  wait "$LOOP_PID" || die "the $mode run failed (see $out)"
  LOOP_PID=
  line=$(grep "^mode=$mode " "$out") || die "no result line in $out"
  RATE=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  CPU_PER_CALL=$(awk -v l="$line" 'BEGIN {
    n = split(l, f, " "); for (i = 1; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
    printf "%.1f", 1e6 * v["client_cpu_seconds"] / v["calls"] }')
}
