#!/usr/bin/env bash
# Instruction counts of vigild's UDP path under callgrind: unlike CPU time on this shared machine,
# they repeat within a few percent whatever else runs, so they show what a change to the parser,
# the pipeline or the encoder saves per record.
#
#   bench/daemon-callgrind.sh VIGILD [VIGILD…]
#
# Each binary (debug info stripped into a copy: valgrind 3.19 does not read Swift's DWARF 5) runs
# under `valgrind --tool=callgrind` with a fresh data directory and gets COUNT (60000) UDP datagrams
# from bench/loadgen at RATE (4000/s, slow enough for callgrind to lose none), `--times ordered`.
# `catch_up_codec = "zstd"`, so that no block's codec depends on how far behind the slowed-down
# writer got. Prints, per binary, the stored count and the inclusive instructions (millions) of the
# whole run and of its parts: the receiving thread (reads, splitting and copying into bursts,
# handing over), of that the splitting and copying, the parser, the store's commits, block
# encoding, compression, and what encoding costs without compression. (Builds before 2026-12-04
# read UDP with NIO: their receiving parts are not found and print as empty.)
# Totals include start-up (about 250 M) and move a few percent with timing (batch sizes); the parts
# that do not depend on timing repeat closely.
set -u
[[ $# -ge 1 ]] || { sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LG=$ROOT/bench/loadgen/loadgen
make -s -C "$ROOT/bench/loadgen" loadgen >&2
command -v valgrind >/dev/null || { echo "daemon-callgrind: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
COUNT=${COUNT:-60000} RATE=${RATE:-4000}
UDP_PORT=25514 HTTP_PORT=28080
# shellcheck source=bench/lib/vigild.sh
. "$ROOT/bench/lib/vigild.sh"
for BIN in "$@"; do
    d=$(mktemp -d)
    write_vigild_config "$d" "" $'[store]\ncatch_up_codec = "zstd"'
    strip --strip-debug -o "$d/vigild" "$BIN"
    valgrind --tool=callgrind --callgrind-out-file="$d/callgrind.out" "$d/vigild" --config "$d/conf" >"$d/log" 2>&1 & pid=$!
    for _ in $(seq 600); do
        kill -0 $pid 2>/dev/null || { echo "daemon-callgrind: vigild exited:" >&2; tail -5 "$d/log" >&2; exit 1; }
        curl -fs "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1 && break
        sleep 0.2
    done
    sleep 1
    "$LG" udp --host 127.0.0.1 --port $UDP_PORT --rate "$RATE" --count "$COUNT" --seed 42 --times ordered >/dev/null
    for _ in $(seq 120); do
        n=$(metric 'vigil_input_records_total{input="syslog_udp"}')
        [[ $n -ge $COUNT ]] && break
        sleep 0.5
    done
    sleep 2
    kill -TERM $pid; wait $pid
    callgrind_annotate --inclusive=yes --threshold=100 "$d/callgrind.out" 2>/dev/null >"$d/inclusive.txt"
    part() { awk -v p="$1" 'index($0, p) {gsub(",", "", $1); printf "%.1f", $1 / 1e6; exit}' "$d/inclusive.txt"; }
    total=$(part "PROGRAM TOTALS")
    encode=$(part 'BlockEncoderC6encode_11sourceSizes4into')
    compress=$(part 'BlockCompressorC8compress_11appendingTo')
    echo "$BIN stored=$n total=${total}M receive=$(part 'SyslogDatagramReceiverC3run')M" \
        "split_copy=$(part 'SyslogDatagramReceiverC3add')M" \
        "parse=$(part 'SyslogParserV5parse_10receivedAt')M commits=$(part 'WriterC13commitPending')M" \
        "encode=${encode}M compress=${compress}M encode_without_compression=$(awk -v a="$encode" -v b="$compress" 'BEGIN {printf "%.1f", a - b}')M"
    rm -rf "$d"
done
