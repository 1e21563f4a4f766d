#!/usr/bin/env bash
# The incidents benchmark (bench/RESULTS.md § Incidents), on release builds:
#   1. signal storms through SignalQueue → IncidentRecorder → SQLite (vigil-incidents-bench storm):
#      signals/s and signal → committed latency;
#   2. a real vigild (default rule, default lateness): time to detect over HTTP (bench/incidents/probe.py
#      ttd), and the API's latency while bursts open 1,000 incidents at a time (probe.py storm);
#   3. 100,000 incidents (vigil-incidents-bench fill): GET /v1/incidents?limit=50, `vigil incidents
#      list`, and vigild's RSS.
# Usage: bench/incidents-bench.sh [--bin DIR] (default .build/release: swift build -c release first).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
[ "${1:-}" = "--bin" ] && BIN=$2
WORK=bench/work/incidents
rm -rf "$WORK" && mkdir -p "$WORK"
TOKEN=bench-token

echo "## commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "### 1. storms (vigil-incidents-bench storm)"
for shape in "--rate 10000 --seconds 10 --fingerprints 1" "--rate 20000 --seconds 10 --fingerprints 1" \
             "--rate 0 --seconds 5 --fingerprints 1" "--rate 5000 --seconds 5 --fingerprints 1000" \
             "--rate 20000 --seconds 5 --fingerprints 1000" \
             "--rate 0 --seconds 5 --fingerprints 1000"; do
    # shellcheck disable=SC2086
    "$BIN/vigil-incidents-bench" storm "$WORK/storm" $shape
done

# shellcheck source=bench/lib/vigild-api.sh
. bench/lib/vigild-api.sh
rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %.1f MiB  ", $1, $2/1024}' "/proc/$PID/status"; echo; }

echo "### 2. a live vigild"
start_vigild "$PWD/$WORK/live"
python3 bench/incidents/probe.py ttd --logs "$LOGS" --api "$API" --token "$TOKEN" --bursts 200
python3 bench/incidents/probe.py storm --logs "$LOGS" --api "$API" --token "$TOKEN" --seconds 10 --services 1000
echo "vigild after the storm: $(rss)"
stop_vigild

echo "### 3. 100,000 incidents"
"$BIN/vigil-incidents-bench" fill "$PWD/$WORK/full" --incidents 100000
start_vigild "$PWD/$WORK/full"
python3 bench/incidents/probe.py list --api "$API" --token "$TOKEN" --runs 50 --limit 50
python3 - "$BIN/vigil" "$API" "$TOKEN" <<'PY'
import os, statistics, subprocess, sys, time
vigil, api, token = sys.argv[1:]
env = dict(os.environ, VIGIL_SERVER=api, VIGIL_TOKEN=token)
times = []
for _ in range(20):
    start = time.perf_counter()
    out = subprocess.run([vigil, "incidents", "list"], env=env, capture_output=True, check=True)
    times.append((time.perf_counter() - start) * 1000)
    assert out.stdout.count(b"\n") == 51
times.sort()
print(f"vigil incidents list (50 rows, process start to exit): n=20 p50 {times[9]:.1f} ms, max {times[-1]:.1f} ms")
PY
echo "vigild with 100,000 incidents stored, after the lists: $(rss)"
stop_vigild
