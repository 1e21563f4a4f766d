#!/usr/bin/env bash
# The console benchmark (bench/RESULTS.md § Console), on the release build: every page's render
# time (curl's total time, a new connection each request, 20 requests) with 100,000 incidents
# (vigil-incidents-bench fill) and a 1 GiB store (bench/gen_corpus.py, seed 42, imported with
# `vigil import`). The incident shown, INC-1, is moved by SQL into the corpus's time range (2026-11-03
# 12:00–12:10, service nginx) so its chart and evidence read the store.
# Usage: bench/console-bench.sh [--bin DIR] (default .build/release: swift build -c release first).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
[ "${1:-}" = "--bin" ] && BIN=$2
WORK=$PWD/bench/work/console
TOKEN=bench-token
# shellcheck source=bench/lib/vigild-api.sh
. bench/lib/vigild-api.sh
CORPUS=bench/corpus/corpus-42-1GiB.log
rm -rf "$WORK" && mkdir -p "$WORK/data"
[ -s "$CORPUS" ] || { mkdir -p bench/corpus; python3 bench/gen_corpus.py --seed 42 --size 1GiB --out "$CORPUS" --quiet; }

echo "## commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN/vigil" import --data-dir "$WORK/data" --format auto "$CORPUS" 2>&1 | tail -1
"$BIN/vigil-incidents-bench" fill "$WORK/data" --incidents 100000
since=1793707200000000000   # 2026-11-03T12:00:00Z
until=1793707800000000000   # 2026-11-03T12:10:00Z
sqlite3 "$WORK/data/incidents.db" "UPDATE incidents SET first_seen = $since, last_seen = $until,
  labels = '[[\"service\",\"nginx\"]]',
  evidence = json_set(evidence, '$.since', '2026-11-03T12:00:00.000000000Z', '$.until', '2026-11-03T12:10:00.000000000Z',
                      '$.services', json('[\"nginx\"]'), '$.min_severity', 'err')
  WHERE number = 1"
du -sh "$WORK/data" | sed 's/^/data directory: /'
# MORE_TABLES follow [api] tokens in the file written by start_vigild: this line is in [api].
start_vigild "$WORK/data" "anonymous_reads = true"
page() {  # NAME PATH
    python3 - "$1" "$API$2" <<'PY'
import subprocess, sys
name, url = sys.argv[1:]
times = []
for _ in range(20):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", url], capture_output=True, text=True, check=True).stdout
    status, seconds = out.split()
    assert status == "200", (name, status)
    times.append(float(seconds) * 1000)
times.sort()
print(f"{name}: n=20 p50 {times[9]:.1f} ms, p95 {times[18]:.1f} ms, max {times[-1]:.1f} ms")
PY
}
page "incidents (open, then recent)" "/ui/"
page "incidents, all, newest first" "/ui/?status=all"
page "incidents, service filter" "/ui/?status=all&service=api"
page "incident with chart and evidence (1 GiB store)" "/ui/incidents/INC-1"
page "logs, 1 hour, no filter" "/ui/logs?since=2026-11-03T12:00:00Z&until=2026-11-03T13:00:00Z"
page "logs, 1 hour, level err" "/ui/logs?since=2026-11-03T12:00:00Z&until=2026-11-03T13:00:00Z&level=err"
page "logs, 7 days, regex" "/ui/logs?since=2026-11-01T00:00:00Z&until=2026-11-08T00:00:00Z&grep=RAREWORD"
page "status" "/ui/status"
stop_vigild
