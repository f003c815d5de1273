#!/usr/bin/env bash
# Runs every test of the lab (unit, functional with real Kestrel servers, end to end with real processes, the demo,
# interop with a Node.js gRPC client, and loadgen's HTML pages in headless Chromium) and ends with one line:
# "N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
output=$(mktemp)
trap 'rm -f "$output"' EXIT

# install_debian_packages WHAT PACKAGE...: some tests use Debian's packages, which a fresh machine, such as CI's, does
# not have yet; CI runs as root, so it can install them.
install_debian_packages() {
  local what=$1
  shift
  echo "installing Debian's $* for $what..."
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
}

# The browser tests drive Debian's Chromium (a test tool's own browser download cannot reach its host here).
ensure_chromium() { command -v chromium >/dev/null || install_debian_packages "the browser tests" chromium; }

# The end-to-end tests of any service run a Python grpcio server (tests/RouteGuide) with Debian's python3.
ensure_python_grpc() {
  /usr/bin/python3 -c 'import grpc, grpc_tools' 2>/dev/null ||
    install_debian_packages "the route_guide server" python3-grpcio python3-grpc-tools
}

ensure_python_grpc || echo "python3-grpcio could not be installed: the route_guide tests will fail"

# The Kubernetes topology test (tests/EndToEnd.Tests/Namespaces) makes network namespaces, veth pairs and a bridge
# with iproute2's ip, as root (which CI is).
ensure_iproute2() { command -v ip >/dev/null || install_debian_packages "the network namespace test" iproute2; }
ensure_iproute2 || echo "iproute2 could not be installed: the network namespace test will fail"

# Release, so that the end-to-end tests, the interop tests and scripts/servers.sh share one build of the server.
# A hung test is stopped (with a dump of where it hung) rather than left to eat the run's time.
dotnet test Lab.sln -c Release --nologo --blame-hang-timeout 10m 2>&1 | tee "$output"
dotnet_status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed < <(grep -E '^(Passed|Failed)! +- Failed:' "$output" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' |
  awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }')
# A build or run that failed before any test counted still fails the run.
if ((dotnet_status != 0 && failed == 0)); then failed=1; fi
# Each failed test's name and the first lines of its message, repeated at the end: CI's record keeps only the end of
# a long run's output. A theory's name holds spaces: "  Failed Class.Method(kind: Unary, byDeadline: True) [1 s]".
dotnet_failures=$(grep -E -A4 '^  Failed .+ \[[^]]+\]$' "$output" | grep -v -E '^(--|  Stack Trace:)$' | head -n 60)

# Runs the Node.js test project in DIR (node --test) with the environment assignments that follow, and adds its
# counts to passed and failed. Node's closing lines: "# pass 6" and "# fail 0".
node_status=0
run_node_tests() {
  local dir=$1 status node_passed node_failed
  shift
  (cd "$dir" && npm ci --silent && env "$@" node --test) 2>&1 | tee "$output"
  status=${PIPESTATUS[0]}
  node_passed=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$output" | tail -n 1)
  node_failed=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$output" | tail -n 1)
  passed=$((passed + ${node_passed:-0}))
  failed=$((failed + ${node_failed:-0}))
  if ((status != 0)); then
    node_status=$status
    if ((${node_failed:-0} == 0)); then failed=$((failed + 1)); fi
  fi
}


# The demo, the README's first command, as a user runs it (its runs into a folder of its own, not the repository's
# reports/): it must end well and name its study page, which the browser tests below open.
demo_reports=$(mktemp -d)
trap 'rm -f "$output"; rm -rf "$demo_reports"' EXIT
demo_status=0
scripts/demo.sh --reports "$demo_reports" 2>&1 | tee "$output" || demo_status=$?
study_page=$(sed -nE 's/^study: (.*)$/\1/p' "$output" | tail -n 1)
if ((demo_status == 0)) && [[ -f $study_page ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

# Interop: a gRPC client written by others (Node.js) calls every method, knowing the server through reflection alone.
run_node_tests tests/Interop LAB_SERVER_DLL="$ROOT/src/Server/bin/Release/net10.0/GrpcLoadLab.Server.dll"

# Browser: loadgen's HTML pages, opened from disk in headless Chromium with the network off, draw every chart.
ensure_chromium || echo "chromium could not be installed: the browser tests will fail"
run_node_tests tests/Browser LOADGEN_DLL="$ROOT/src/LoadGen/bin/Release/net10.0/loadgen.dll" STUDY_PAGE="${study_page:-$demo_reports/no-study.html}"

if [[ -n $dotnet_failures ]]; then printf 'failed tests:\n%s\n' "$dotnet_failures"; fi
echo "$passed passed, $failed failed"
if ((dotnet_status != 0 || demo_status != 0 || node_status != 0)); then exit 1; fi
