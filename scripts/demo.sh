#!/usr/bin/env bash
# The lab's main job: a short study of what concurrency and horizontal scaling each buy, on this machine.
#
#   scripts/demo.sh
#
# Builds what it needs, then runs the sweep scenarios/sweeps/demo.json: an I/O-bound and a CPU-bound profile of the
# same unary call, on 1, 2 and 4 server instances (each fleet started by scripts/servers.sh), at 1 to 16 callers per
# instance. Ends by printing the study report's path and reports/index.html. Takes about 3 minutes on 2 cores.
# Ctrl-C stops it: the runs finished so far are kept and reported, and every server it started is stopped.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# The sweep's fleet lives apart from one started by hand (.lab/, port 5001), so the demo neither uses nor stops it.
export LAB_DIR=$ROOT/.lab/sweep

# loadgen stops its fleet itself, also when interrupted; this covers the case where loadgen itself was killed.
stop_fleet() { scripts/servers.sh stop --timeout 10 >/dev/null 2>&1 || true; }
trap stop_fleet EXIT
trap 'exit 130' INT TERM

scripts/loadgen sweep scenarios/sweeps/demo.json --lab-dir "$LAB_DIR" "$@"
