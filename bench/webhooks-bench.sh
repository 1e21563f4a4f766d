#!/usr/bin/env bash
# The webhooks benchmark (bench/RESULTS.md § Webhooks), on release builds, with a fast local receiver
# (bench/webhooks/receiver.py: asyncio, keep-alive, answers 204 at once):
#   1. end to end, default settings: the POST of a log batch that trips the default rule -> the
#      `opened` webhook at the receiver, p50 and p99 over 250 incidents (bench/webhooks/latency.py);
#   2. deliveries/s: 20,000 incidents (25,000 notifications) filled by vigil-incidents-bench, then
#      vigild started with one endpoint: default concurrency (4), then concurrency 16;
#   3. the same with a second endpoint that never answers (timeout 10 s): the first one's rate, and
#      its ratio to run 2's in the same run.
# Usage: bench/webhooks-bench.sh [--bin DIR] (default .build/release: swift build -c release first).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
[ "${1:-}" = "--bin" ] && BIN=$2
WORK=$PWD/bench/work/webhooks
rm -rf "$WORK" && mkdir -p "$WORK"
TOKEN=bench-token
# shellcheck source=bench/lib/vigild-api.sh
. bench/lib/vigild-api.sh

python3 bench/webhooks/receiver.py "$WORK/receiver.port" "$WORK/receiver.log" &
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$WORK/receiver.port" ] && break; sleep 0.1; done
RURL=http://127.0.0.1:$(cat "$WORK/receiver.port")

endpoint() { printf '[[webhooks]]\nname = "%s"\nurl = "%s"\n%s\n' "$1" "$2" "${3:-}"; }

echo "## commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "### 1. end to end, default settings"
start_vigild "$WORK/live" "$(endpoint fast "$RURL/ok/live")"
python3 bench/webhooks/latency.py "$LOGS" "$WORK/receiver.log" --bursts 250
stop_vigild

echo "### 2-3. deliveries/s from a filled outbox (20,000 incidents: 25,000 notifications)"
"$BIN/vigil-incidents-bench" fill "$WORK/filled" --incidents 20000
rate() {  # NAME DATA_DIR WEBHOOKS_TOML PATH_PREFIX
    rm -rf "$2" && mkdir -p "$2" && cp "$WORK/filled/incidents.db" "$2/"
    : > "$WORK/receiver.log"
    local start=$SECONDS
    start_vigild "$2" "$3"
    until [ "$(grep -c " " "$WORK/receiver.log")" -ge 25000 ] || [ $((SECONDS - start)) -gt 300 ]; do sleep 0.5; done
    stop_vigild
    python3 - "$1" "$WORK/receiver.log" <<'PY'
import sys
name, path = sys.argv[1], sys.argv[2]
times = sorted(int(line.split()[0]) for line in open(path))
ids = {line.split()[1] for line in open(path)}
span = (times[-1] - times[0]) / 1e9
print(f"{name}: {len(times)} deliveries ({len(ids)} distinct webhook-ids) in {span:.2f} s = {len(times) / span:.0f}/s")
PY
}
rate "one endpoint, concurrency 4 (default)" "$WORK/rate4" "$(endpoint fast "$RURL/ok/rate")"
rate "one endpoint, concurrency 16" "$WORK/rate16" "$(endpoint fast "$RURL/ok/rate" 'concurrency = 16')"
rate "beside an endpoint that never answers, concurrency 4" "$WORK/hang" \
    "$(endpoint fast "$RURL/ok/rate")
$(endpoint stuck "$RURL/hang/1")"
