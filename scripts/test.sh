#!/usr/bin/env bash
# Runs every test of the lab (unit, functional with real Kestrel servers, end to end with real processes)
# and ends with one line: "N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Release, so that the end-to-end tests and scripts/servers.sh share one build of the server.
# A hung test is stopped (with a dump of where it hung) rather than left to eat the run's time.
output=$(mktemp)
dotnet test Lab.sln -c Release --nologo --blame-hang-timeout 10m 2>&1 | tee "$output"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
read -r passed failed < <(grep -E '^(Passed|Failed)! +- Failed:' "$output" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' |
  awk '{ p += $1; f += $2 } END { print p + 0, f + 0 }')
rm -f "$output"

# A build or run that failed before any test counted still fails the run.
if ((status != 0 && failed == 0)); then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
