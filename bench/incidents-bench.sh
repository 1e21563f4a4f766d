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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "## commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "### 1. storms (vigil-incidents-bench storm)"
for shape in "--rate 10000 --seconds 10 --fingerprints 1" "--rate 20000 --seconds 10 --fingerprints 1" \
             "--rate 0 --seconds 5 --fingerprints 1" "--rate 5000 --seconds 5 --fingerprints 1000" \
             "--rate 20000 --seconds 5 --fingerprints 1000" \
             "--rate 0 --seconds 5 --fingerprints 1000"; do
    # shellcheck disable=SC2086
    "$BIN/vigil-incidents-bench" storm "$WORK/storm" $shape
done

start_vigild() {  # DATA_DIR → sets PID, LOGS, API
    local data=$1 udp http api
    udp=$(free_port); http=$(free_port); api=$(free_port)
    mkdir -p "$data/etc"
    cat > "$data/etc/vigil.toml" <<TOML
data_dir = "$data"
[inputs.syslog_udp]
listen = "127.0.0.1:$udp"
[inputs.journald]
enabled = false
[inputs.http]
listen = "127.0.0.1:$http"
[api]
listen = "127.0.0.1:$api"
tokens = ["$TOKEN"]
TOML
    "$BIN/vigild" --config "$data/etc" > "$data/vigild.log" 2>&1 &
    PID=$!
    LOGS=http://127.0.0.1:$http API=http://127.0.0.1:$api
    for _ in $(seq 100); do curl -sf "$API/healthz" >/dev/null 2>&1 && curl -sf "$LOGS/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
    echo "vigild did not start:"; cat "$data/vigild.log"; exit 1
}
stop_vigild() { kill "$PID"; wait "$PID" || true; }
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
