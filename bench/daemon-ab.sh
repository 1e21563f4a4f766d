#!/usr/bin/env bash
# A/B of vigild builds under one load: each binary in turn gets a fresh data directory, the same
# load from bench/loadgen, and is measured for CPU-seconds per 100k stored records and RSS.
# Run it a few times alternating the builds: single samples on a shared machine vary by ±10 %.
#
#   bench/daemon-ab.sh udp|http1|http4|http16 VIGILD [VIGILD…]
#
# Environment: RATE (UDP msgs/s, 133000), COUNT (UDP messages, 1330000), DUR (HTTP seconds, 10),
# EXTRA_HTTP (lines added to [inputs.http]), EXTRA_END (tables appended to vigil.toml), TIMES
# (loadgen --times: week, the default, or now to have the detectors evaluate every record).
# Prints one line per binary: stored records, cpu100k, faults100 (minor page faults per 100
# records), idle/steady/high-water RSS (MiB), UDP pipeline drops, and the generator's own summary.
set -u
[[ $# -ge 2 ]] || { sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 2; }
LOAD=$1; shift
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LG=$ROOT/bench/loadgen/loadgen
make -s -C "$ROOT/bench/loadgen" loadgen >&2
UDP_PORT=25514 HTTP_PORT=28080
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
minor_faults() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $8}'; }
# shellcheck source=bench/lib/vigild.sh
. "$ROOT/bench/lib/vigild.sh"
for BIN in "$@"; do
    d=$(mktemp -d)
    write_vigild_config "$d" "${EXTRA_HTTP:-}" "${EXTRA_END:-}"
    "$BIN" --config "$d/conf" >"$d/log" 2>&1 & pid=$!
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    sleep 0.5
    idle=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    c0=$(cpu_ticks $pid) f0=$(minor_faults $pid)
    ( while [[ -e /proc/$pid/status ]]; do awk '/VmRSS/ {print $2}' "/proc/$pid/status" >>"$d/rss"; sleep 0.2; done ) & sampler=$!
    case $LOAD in
        udp) out=$("$LG" udp --host 127.0.0.1 --port $UDP_PORT --rate "${RATE:-133000}" --count "${COUNT:-1330000}" --seed 42 --times "${TIMES:-week}") ;;
        http*) out=$("$LG" http --host 127.0.0.1 --port $HTTP_PORT --conns "${LOAD#http}" --batch 1000 --duration "${DUR:-10}" --seed 42 --times "${TIMES:-week}" 2>/dev/null) ;;
        *) echo "unknown load $LOAD" >&2; exit 2 ;;
    esac
    last=-1
    for _ in $(seq 200); do   # drained: the stored count stopped moving and nothing is queued
        n=$(( $(metric 'vigil_input_records_total{input="syslog_udp"}') + $(metric 'vigil_input_records_total{input="http"}') ))
        [[ $n == "$last" && $(metric vigil_pipeline_queue_records) == 0 ]] && break
        last=$n; sleep 0.5
    done
    c1=$(cpu_ticks $pid) f1=$(minor_faults $pid)
    kill $sampler; wait $sampler 2>/dev/null
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    drops=$(metric 'vigil_input_dropped_total{input="syslog_udp"}')
    kill -TERM $pid; wait $pid
    steady=$(awk '{v[NR] = $1} END {h = int(NR / 2) + 1; n = 0; for (i = h; i <= NR; i++) s[++n] = v[i]
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
        printf "%.1f", s[int((n + 1) / 2)] / 1024}' "$d/rss")
    cpu=$(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.3f", (b - a) / hz / n * 100000}')
    faults=$(awk -v a="$f0" -v b="$f1" -v n="$n" 'BEGIN {printf "%.2f", (b - a) / n * 100}')
    echo "$BIN load=$LOAD stored=$n cpu100k=$cpu faults100=$faults idle=$((idle / 1024)) steady=$steady hwm=$((hwm / 1024)) drops=$drops gen: $out"
    rm -rf "$d"
done
