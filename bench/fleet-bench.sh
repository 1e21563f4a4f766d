#!/usr/bin/env bash
# The fleet benchmark (bench/RESULTS.md § Fleet), on release builds and Debian's nats-server:
#   1. what forwarding costs an edge: its HTTP NDJSON ingest rate (loadgen http, 4 connections,
#      1,000-record batches, 2,000,000 records) with [outputs.nats] and without, three rounds
#      interleaved, a fresh data directory each time; the ratio of the medians;
#   2. forwarding throughput edge -> JetStream -> central: a store of 2,000,000 records forwarded
#      from the start (start_at = "oldest") to a central vigild: records/s and MB/s (message
#      bytes) until the central store has them all;
#   3. catch-up after a NATS outage: NATS stopped while the edge ingests 300 s worth of records at
#      50,000/s (15,000,000 records, posted as fast as the edge takes them), then started: the time
#      until the edge has no block left to send, and until the central store has every record.
# Usage: bench/fleet-bench.sh [--bin DIR] [--quick] (default .build/release: swift build -c release
# --product vigild --product vigil first). --quick divides every record count by 10.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
SCALE=1
while [ $# -gt 0 ]; do
    case $1 in
    --bin) BIN=$2; shift ;;
    --quick) SCALE=10 ;;
    *) echo "unknown option $1"; exit 2 ;;
    esac
    shift
done
WORK=$PWD/bench/work/fleet
rm -rf "$WORK" && mkdir -p "$WORK"
TOKEN=bench-token
# shellcheck source=bench/lib/vigild-api.sh
. bench/lib/vigild-api.sh
make -s -C bench/loadgen >/dev/null
LOADGEN=bench/loadgen/loadgen
NATS_PORT=$(free_port)
NATS_URL=nats://127.0.0.1:$NATS_PORT
NATS_PID=
start_nats() {
    nats-server -js -a 127.0.0.1 -p "$NATS_PORT" -sd "$WORK/nats" > "$WORK/nats.log" 2>&1 &
    NATS_PID=$!
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT") 2>/dev/null && return; sleep 0.1; done
    echo "nats-server did not start"; exit 1
}
stop_nats() { kill "$NATS_PID"; wait "$NATS_PID" || true; }
trap 'kill $NATS_PID 2>/dev/null || true; pkill -f "$WORK/" 2>/dev/null || true' EXIT

edge_tables() { printf '[outputs.nats]\nurl = "%s"\nhost = "edge1"\n' "$NATS_URL"; }
central_tables() { printf '[inputs.nats]\nurl = "%s"\nbatch = 256\n' "$NATS_URL"; }
metric() { curl -fs "$1/metrics" | awk -v k="$2" '$1 == k {s += $2} END {printf "%.0f\n", s}'; }
# stored LOGS_URL: records the central vigild took from NATS so far.
stored() { metric "$1" 'vigil_input_records_total{input="nats"}' 2>/dev/null || echo 0; }
pending() { curl -fs -H "Authorization: Bearer $TOKEN" "$API/v1/fleet" | python3 -c 'import json,sys; f=json.load(sys.stdin)["forwarder"]; print(f["pending_blocks"] if f["connected"] else -1)'; }
now() { date +%s.%N; }
# ingest URL RECORDS: posts RECORDS records (4 connections, 1,000-record batches); prints records/s.
ingest() {
    "$LOADGEN" http --host 127.0.0.1 --port "${1##*:}" --conns 4 --batch 1000 --requests $(($2 / 1000)) | tee -a "$WORK/loadgen.log" |
        tr ' ' '\n' | awk -F= '$1 == "records_per_s" {print $2}'
}

echo "## commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg), scale 1/$SCALE"
start_nats
N=$((2000000 / SCALE))
echo "### 1. edge ingest with and without forwarding ($N records per run)"
for round in 1 2 3; do
    for mode in plain forwarding; do
        rm -rf "$WORK/edge-$mode"
        if [ $mode = forwarding ]; then start_vigild "$WORK/edge-$mode" "$(edge_tables)"; else start_vigild "$WORK/edge-$mode"; fi
        rate=$(ingest "$LOGS" "$N")
        stop_vigild
        echo "round $round $mode: $rate records/s"
        echo "$mode $rate" >> "$WORK/rates"
    done
done
python3 - "$WORK/rates" <<'PY'
import statistics, sys
rates = {}
for line in open(sys.argv[1]):
    mode, rate = line.split()
    rates.setdefault(mode, []).append(float(rate))
plain, forwarding = statistics.median(rates["plain"]), statistics.median(rates["forwarding"])
print(f"median: without forwarding {plain:.0f} records/s, with {forwarding:.0f} records/s: ratio {forwarding / plain:.3f} (cost {100 * (1 - forwarding / plain):.1f} %)")
PY

echo "### 2. forwarding throughput edge -> JetStream -> central ($N records)"
stop_nats && rm -rf "$WORK/nats" && start_nats
rm -rf "$WORK/edge2" && start_vigild "$WORK/edge2"
ingest "$LOGS" "$N" > /dev/null
stop_vigild
EDGE_BYTES=$(du -sb "$WORK/edge2" | cut -f1)
start_vigild "$WORK/central2" "$(central_tables)"
CENTRAL_LOGS=$LOGS CENTRAL_PID=$PID
t0=$(now)
start_vigild "$WORK/edge2" "$(edge_tables)"
EDGE_PID=$PID
until [ "$(stored "$CENTRAL_LOGS")" -ge "$N" ]; do sleep 0.2; done
t1=$(now)
BYTES=$(metric "$LOGS" vigil_forward_bytes_total)
python3 -c "import sys; n,b,s=$N,$BYTES,$t1-$t0; print(f'{n} records in {s:.2f} s = {n/s:.0f} records/s, {b/s/1e6:.1f} MB/s of messages ({b/1e6:.1f} MB; edge data dir {$EDGE_BYTES/1e6:.1f} MB)')"
kill "$EDGE_PID"; wait "$EDGE_PID" || true
kill "$CENTRAL_PID"; wait "$CENTRAL_PID" || true

M=$((15000000 / SCALE))
echo "### 3. catch-up after a NATS outage ($M records ingested while NATS is down)"
stop_nats && rm -rf "$WORK/nats" && start_nats
start_vigild "$WORK/central3" "$(central_tables)"
CENTRAL_LOGS=$LOGS CENTRAL_PID=$PID
start_vigild "$WORK/edge3" "$(edge_tables)"
EDGE_PID=$PID EDGE_API=$API
stop_nats
t0=$(now)
rate=$(ingest "$LOGS" "$M")
t1=$(now)
echo "ingested $M records in $(python3 -c "print(f'{$t1-$t0:.1f}')") s ($rate records/s) with NATS down"
start_nats
t2=$(now)
API=$EDGE_API
until [ "$(pending)" = 0 ]; do sleep 0.2; done
t3=$(now)
until [ "$(stored "$CENTRAL_LOGS")" -ge "$M" ]; do sleep 0.5; done
t4=$(now)
python3 -c "print(f'NATS back: edge has sent everything after {$t3-$t2:.1f} s ({$M/($t3-$t2):.0f} records/s); the central store has every record after {$t4-$t2:.1f} s ({$M/($t4-$t2):.0f} records/s)')"
kill "$EDGE_PID"; wait "$EDGE_PID" || true
kill "$CENTRAL_PID"; wait "$CENTRAL_PID" || true
