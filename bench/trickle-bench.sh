#!/usr/bin/env bash
# Live "trickle" ingestion against a bulk import (issue #21): does a store that vigild filled a few
# records per commit end up as compact as `vigil import` of the same records, once vigild has
# compacted its sealed segments of small blocks ([store] compact = true)? Four shapes, each into a
# fresh data directory under bench/work/trickle/:
#
#   http1     HTTP NDJSON (gen_shapes.py --shape json), 1 record per POST, one after the other
#             as fast as vigild answers (each answered once durable: one block each); 20,000 records
#   http10    the same, 10 records per POST; 60,000 records
#   udp       syslog over UDP, RFC 5424 lines (--shape rfc5424), 100 datagrams/s; 12,000 records
#   journald  [inputs.journald] directory = …, fed by systemd-journal-remote from Journal Export
#             Format (--shape rfc3164 through bench/to_journal_export.py) at 50 entries/s; 6,000
#
# Per shape: (a) vigild takes the trickle (bench/trickle_send.py), then SIGTERM (it seals the
# active segment): records, blocks, segment bytes (sum of *.vseg) "before"; (b) vigild restarted on
# the same directory with [store] recompress_after = "0s" and nothing sent, until it logs
# "compacted segment" and the block count settles (at most 120 s), then SIGTERM: "after";
# (c) `vigil import --format json|rfc5424|syslog` of the same lines into a fresh directory (journald:
# the RFC 3164 lines the entries were made from, since import does not read the export format; and,
# same fields, the finished journal read by a fresh vigild in one batch); (d) `zstd -3 -T1` of the
# raw file; (e) the record count after compaction against the number sent, `vigil verify`, and
# whether `vigil query -o json` gives the same records (sorted) as on the import.
# udp and journald run side by side (separate vigild), the HTTP shapes alone. Prints a Markdown
# table and writes it to bench/work/trickle-results.md.
#
#   bench/trickle-bench.sh [--quick] [--seed 42] [--bin-dir .build/release] [--shapes "http1 http10 udp journald"]
#
# --quick sends 10× fewer records (a smoke run, about 1 minute). vigild and vigil are copied from
# --bin-dir into bench/work/trickle/bin/ first (a --bin-dir of bench/work/trickle/bin itself is
# used as it is, its COMMIT file naming the commit), so a rebuild during the run changes nothing.
# The work directory is wiped at the start (but for bin/). About 3 minutes; needs python3, zstd and
# /lib/systemd/systemd-journal-remote (Debian package systemd-journal-remote) for the journald shape.
# bench/RESULTS.md, "#21", "Live trickle ingestion, after compaction", has the last run.

set -euo pipefail

usage() {
    sed -n '2,34s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
    echo "trickle-bench: $*" >&2
    exit 1
}

log() {
    echo "trickle-bench: $(date -u +%H:%M:%S) $*" >&2
}

# ---- options -----------------------------------------------------------------------------

QUICK=0
SEED=42
BIN_DIR=.build/release
SHAPES="http1 http10 udp journald"
while (($# > 0)); do
    case $1 in
        --quick) QUICK=1; shift ;;
        --seed) SEED=${2:?--seed needs a value}; shift 2 ;;
        --seed=*) SEED=${1#*=}; shift ;;
        --bin-dir) BIN_DIR=${2:?--bin-dir needs a directory}; shift 2 ;;
        --bin-dir=*) BIN_DIR=${1#*=}; shift ;;
        --shapes) SHAPES=${2:?--shapes needs a list}; shift 2 ;;
        --shapes=*) SHAPES=${1#*=}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $SEED =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, not '$SEED'"
for s in $SHAPES; do
    [[ $s =~ ^(http1|http10|udp|journald)$ ]] || die "unknown shape '$s'"
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

JREMOTE=/lib/systemd/systemd-journal-remote
for tool in python3 zstd stat awk find; do
    command -v "$tool" > /dev/null || die "needs $tool on PATH"
done
[[ " $SHAPES " != *" journald "* || -x $JREMOTE ]] || die "needs $JREMOTE (Debian package systemd-journal-remote) for the journald shape"

export TZ=UTC
W=$ROOT/bench/work/trickle
RESULTS=bench/work/trickle-results.md
DIV=1
((QUICK)) && DIV=10

# Records per shape, and the rates of the paced shapes.
declare -A N=([http1]=$((20000 / DIV)) [http10]=$((60000 / DIV)) [udp]=$((12000 / DIV)) [journald]=$((6000 / DIV)))
UDP_RATE=100
JOURNAL_RATE=50
HTTP_PORT=18480
UDP_PORT=18514

# ---- the binaries --------------------------------------------------------------------------

mkdir -p "$W"
find "$W" -mindepth 1 -maxdepth 1 ! -name bin -exec rm -rf {} +
BIN=$W/bin
if [[ $(cd "$BIN_DIR" 2> /dev/null && pwd) != "$BIN" ]]; then
    [[ -x $BIN_DIR/vigild && -x $BIN_DIR/vigil ]] || die "no vigild and vigil in $BIN_DIR (swift build -c release)"
    rm -rf "$BIN"
    mkdir -p "$BIN"
    cp "$BIN_DIR/vigild" "$BIN_DIR/vigil" "$BIN/"
    echo "$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- Sources 2> /dev/null || echo ' (with uncommitted changes under Sources/)')" > "$BIN/COMMIT"
    echo "copied from $BIN_DIR at $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$BIN/COMMIT"
fi
[[ -x $BIN/vigild && -x $BIN/vigil ]] || die "no vigild and vigil in $BIN"
VIGILD=$BIN/vigild
VIGIL=$BIN/vigil
COMMIT=$(head -n 1 "$BIN/COMMIT" 2> /dev/null || echo unknown)
mkdir -p "$W/in" "$W/out"

# ---- helpers -----------------------------------------------------------------------------

usec() { local t=$EPOCHREALTIME; echo "${t/./}"; }
secs() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1e6 }'; }
div() { awk -v a="$1" -v b="$2" -v p="${3:-3}" 'BEGIN { if (b > 0) printf "%.*f", p, a / b; else printf "n/a" }'; }
json_field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
# seg_bytes DIR: the sum of the sizes of DIR's segment files.
seg_bytes() { find "$1" -maxdepth 1 -name '*.vseg' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
seg_count() { find "$1" -maxdepth 1 -name '*.vseg' | wc -l; }
# stats DIR FIELD: a field of `vigil stats -o json`.
stats() { "$VIGIL" stats --data-dir "$1" -o json 2> /dev/null | json_field "$2"; }

# write_config DIR DATA SHAPE [STORE_LINES] [JOURNALD_LINES]: DIR/vigil.toml for one shape's vigild:
# only its input, the management API off.
write_config() {
    local dir=$1 data=$2 shape=$3 store=${4:-} jextra=${5:-} udp=false http=false journald=false jdir=
    case $shape in
        http1 | http10) http=true ;;
        udp) udp=true ;;
        journald) journald=true jdir="directory = \"$W/journald/journal\"" ;;
    esac
    mkdir -p "$dir"
    cat > "$dir/vigil.toml" << C
data_dir = "$data"
[store]
$store
[inputs.syslog_udp]
enabled = $udp
listen = "127.0.0.1:$UDP_PORT"
[inputs.syslog_tcp]
enabled = false
[inputs.http]
enabled = $http
listen = "127.0.0.1:$HTTP_PORT"
[inputs.journald]
enabled = $journald
$jdir
$jextra
[api]
enabled = false
C
}

declare -A PID=()
# start_vigild SHAPE CONF LOG: starts vigild, waits until its input is ready (or, for the
# compaction run, until it has started); PID[SHAPE].
start_vigild() {
    local shape=$1 conf=$2 logf=$3 ready i
    : > "$logf"
    "$VIGILD" --config "$conf" > "$logf" 2>&1 &
    PID[$shape]=$!
    case $shape in
        http1 | http10) ready="listening for HTTP" ;;
        udp) ready="listening for syslog over UDP" ;;
        journald) ready="reading the journal" ;;
    esac
    [[ $logf == *compact* ]] && ready="vigild starting"
    for ((i = 0; i < 300; i++)); do
        grep -q "$ready" "$logf" && return 0
        kill -0 "${PID[$shape]}" 2> /dev/null || die "vigild ($shape) exited: $(tail -n 3 "$logf" | tr '\n' ' ')"
        sleep 0.1
    done
    die "vigild ($shape) not ready after 30 s: $(tail -n 3 "$logf" | tr '\n' ' ')"
}

stop_vigild() {
    local shape=$1 rc=0
    kill -TERM "${PID[$shape]}"
    wait "${PID[$shape]}" || rc=$?
    ((rc == 0)) || die "vigild ($shape) exited $rc after SIGTERM"
    unset "PID[$shape]"
}

cleanup() {
    local p
    for p in "${PID[@]}"; do kill -TERM "$p" 2> /dev/null || true; done
    for p in "${SENDERS[@]}"; do kill "$p" 2> /dev/null || true; done
}
SENDERS=()
trap cleanup EXIT

# wait_records SHAPE DATA EXPECTED: until `vigil stats` counts EXPECTED records, or the count has
# not moved for 10 s (lost datagrams), at most 120 s; prints the count.
wait_records() {
    local shape=$1 data=$2 want=$3 have=-1 last=-1 still=0 i
    for ((i = 0; i < 240; i++)); do
        have=$(stats "$data" records || echo 0)
        ((have >= want)) && break
        if ((have == last)); then
            ((++still >= 20)) && break
        else
            still=0
        fi
        last=$have
        sleep 0.5
    done
    ((have == want)) || log "$shape: $have of $want records committed"
    echo "$have"
}

declare -A SENT=() REC_BEFORE=() BLK_BEFORE=() B_BEFORE=() SEG_BEFORE=() REC_AFTER=() BLK_AFTER=() B_AFTER=()
declare -A SEG_AFTER=() COMPACT_S=() COMPACT_LINES=() BLK_IMPORT=() B_IMPORT=() REC_IMPORT=() Z3=() RAW=()
declare -A VERIFY=() SAME=() SEND_NOTE=() FORMAT=() INPUT=() SOURCE=()

# ---- the records -------------------------------------------------------------------------

# gen SHAPE SIZE OUT: a gen_shapes.py corpus.
gen() {
    python3 bench/gen_shapes.py --shape "$1" --seed "$SEED" --size "$2" --out "$3" --quiet 2> "$W/out/gen-$1.err" ||
        die "gen_shapes.py --shape $1 failed: $(tail -n 3 "$W/out/gen-$1.err")"
}
# first_lines N SRC OUT: the first N lines of SRC (dies when it has fewer).
first_lines() {
    head -n "$1" "$2" > "$3"
    [[ $(wc -l < "$3") == "$1" ]] || die "$2 has fewer than $1 lines"
}

log "commit $COMMIT; writing the records (seed $SEED)"
need() { [[ " $SHAPES " == *" $1 "* ]]; }
if need http1 || need http10; then
    gen json $((N[http10] * 700)) "$W/in/json.src"
    first_lines "${N[http1]}" "$W/in/json.src" "$W/in/http1.ndjson"
    first_lines "${N[http10]}" "$W/in/json.src" "$W/in/http10.ndjson"
fi
if need udp; then
    gen rfc5424 $((N[udp] * 400)) "$W/in/rfc5424.src"
    first_lines "${N[udp]}" "$W/in/rfc5424.src" "$W/in/udp.log"
fi
if need journald; then
    gen rfc3164 $((N[journald] * 300)) "$W/in/rfc3164.src"
    first_lines "${N[journald]}" "$W/in/rfc3164.src" "$W/in/journald.log"
    python3 bench/to_journal_export.py --format syslog "$W/in/journald.log" "$W/in/journald.export" 2> "$W/out/export.err" ||
        die "to_journal_export.py failed: $(tail -n 3 "$W/out/export.err")"
fi
rm -f "$W"/in/*.src "$W"/in/*.src.stats.json
INPUT=([http1]=$W/in/http1.ndjson [http10]=$W/in/http10.ndjson [udp]=$W/in/udp.log [journald]=$W/in/journald.log)
FORMAT=([http1]=json [http10]=json [udp]=rfc5424 [journald]=syslog)
SOURCE=([http1]="gen_shapes.py --shape json" [http10]="gen_shapes.py --shape json" [udp]="gen_shapes.py --shape rfc5424" [journald]="gen_shapes.py --shape rfc3164 → to_journal_export.py")

# ---- (a) the trickle ---------------------------------------------------------------------

# trickle_start SHAPE: fresh data directory, vigild on it, the sender in the background.
trickle_start() {
    local shape=$1 d=$W/$1
    mkdir -p "$d"
    write_config "$d/conf-trickle" "$d/data" "$shape"
    if [[ $shape == journald ]]; then
        rm -rf "$W/journald/journal"
        mkdir -p "$W/journald/journal"
    fi
    start_vigild "$shape" "$d/conf-trickle" "$d/vigild-trickle.log"
    log "$shape: vigild ${PID[$shape]} takes ${N[$shape]} records"
    case $shape in
        http1) python3 bench/trickle_send.py http --url "http://127.0.0.1:$HTTP_PORT/v1/logs" --batch 1 "${INPUT[$shape]}" ;;
        http10) python3 bench/trickle_send.py http --url "http://127.0.0.1:$HTTP_PORT/v1/logs" --batch 10 "${INPUT[$shape]}" ;;
        udp) python3 bench/trickle_send.py udp --addr "127.0.0.1:$UDP_PORT" --rate "$UDP_RATE" "${INPUT[$shape]}" ;;
        journald) python3 bench/trickle_send.py journal --output "$W/journald/journal/remote.journal" --rate "$JOURNAL_RATE" \
            --journal-remote "$JREMOTE" "$W/in/journald.export" ;;
    esac > "$d/send.out" 2> "$d/send.err" &
    SENDERS+=($!)
    SENDER_PID=$!
}

# trickle_finish SHAPE SENDER_PID: waits for the sender and the commits, stops vigild, measures.
trickle_finish() {
    local shape=$1 sender=$2 d=$W/$1 rc=0
    wait "$sender" || rc=$?
    ((rc == 0)) || die "$shape: trickle_send.py failed ($rc): $(tail -n 3 "$d/send.err" | tr '\n' ' ')"
    SEND_NOTE[$shape]=$(cat "$d/send.out")
    SENT[$shape]=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' "$d/send.out")
    log "$shape: sent: ${SEND_NOTE[$shape]}"
    wait_records "$shape" "$d/data" "${SENT[$shape]}" > /dev/null
    stop_vigild "$shape"
    REC_BEFORE[$shape]=$(stats "$d/data" records)
    BLK_BEFORE[$shape]=$(stats "$d/data" blocks)
    B_BEFORE[$shape]=$(seg_bytes "$d/data")
    SEG_BEFORE[$shape]=$(seg_count "$d/data")
    "$VIGIL" stats --data-dir "$d/data" > "$d/stats-before.txt" 2>&1 || true
    log "$shape: before compaction: ${REC_BEFORE[$shape]} records, ${BLK_BEFORE[$shape]} blocks, ${B_BEFORE[$shape]} bytes in ${SEG_BEFORE[$shape]} segment(s)"
}

# ---- (b) compaction at start-up ------------------------------------------------------------

compact() {
    local shape=$1 d=$W/$1 t0 t1 i blocks last=-1 still=0 seen=0
    write_config "$d/conf-compact" "$d/data" "$shape" 'recompress_after = "0s"'
    t0=$(usec)
    start_vigild "$shape" "$d/conf-compact" "$d/vigild-compact.log"
    for ((i = 0; i < 240; i++)); do
        ((seen)) || { grep -q "compacted segment" "$d/vigild-compact.log" && seen=1 && t1=$(usec); }
        blocks=$(stats "$d/data" blocks || echo -1)
        if ((seen)); then
            if ((blocks == last)); then ((++still >= 4)) && break; else still=0; fi
        fi
        last=$blocks
        sleep 0.5
    done
    ((seen)) || { t1=$(usec); log "$shape: no \"compacted segment\" in the log after 120 s"; }
    stop_vigild "$shape"
    COMPACT_LINES[$shape]=$(grep -c "compacted segment" "$d/vigild-compact.log" || true)
    COMPACT_S[$shape]=$(secs $((t1 - t0)))
    REC_AFTER[$shape]=$(stats "$d/data" records)
    BLK_AFTER[$shape]=$(stats "$d/data" blocks)
    B_AFTER[$shape]=$(seg_bytes "$d/data")
    SEG_AFTER[$shape]=$(seg_count "$d/data")
    "$VIGIL" stats --data-dir "$d/data" > "$d/stats-after.txt" 2>&1 || true
    if "$VIGIL" verify --data-dir "$d/data" > "$d/verify.out" 2>&1; then VERIFY[$shape]=clean; else VERIFY[$shape]="**CORRUPT** (see $d/verify.out)"; fi
    log "$shape: after compaction: ${REC_AFTER[$shape]} records, ${BLK_AFTER[$shape]} blocks, ${B_AFTER[$shape]} bytes in ${SEG_AFTER[$shape]} segment(s); ${COMPACT_LINES[$shape]} \"compacted segment\"; verify ${VERIFY[$shape]}"
}

# ---- (c, d, e) the import, zstd, the checks --------------------------------------------------

# records_key [fields]: `vigil query -o json` on stdin → one sorted line per record: time, host,
# service, level, facility, message, and with "fields" the fields but source_ip.
records_key() {
    python3 -c 'import json, sys
with_fields = sys.argv[1:] == ["fields"]
for line in sys.stdin:
    r = json.loads(line)
    key = [r.get(k) for k in ("time", "host", "service", "level", "facility", "message")]
    if with_fields:
        key.append(sorted((k, v) for k, v in r.get("fields", {}).items() if k != "source_ip"))
    print(json.dumps(key))' "$@" | LC_ALL=C sort
}

# journald_bulk: the finished journal read by a fresh vigild in one batch (batch_size 16384): the
# same records with the same fields as the trickle, written at once (a second baseline, since the
# import's RFC 3164 records carry pid where the journald ones carry _BOOT_ID and _SYSTEMD_UNIT).
journald_bulk() {
    local d=$W/journald
    write_config "$d/conf-bulk" "$d/bulk" journald "" "batch_size = 16384"
    start_vigild journald "$d/conf-bulk" "$d/vigild-bulk.log"
    wait_records journald-bulk "$d/bulk" "${SENT[journald]}" > /dev/null
    stop_vigild journald
    BULK_REC=$(stats "$d/bulk" records)
    BULK_BLK=$(stats "$d/bulk" blocks)
    BULK_B=$(seg_bytes "$d/bulk")
    "$VIGIL" query --data-dir "$d/data" --no-pager -o json | records_key fields > "$d/records-trickle-fields.txt"
    "$VIGIL" query --data-dir "$d/bulk" --no-pager -o json | records_key fields > "$d/records-bulk.txt"
    if cmp -s "$d/records-trickle-fields.txt" "$d/records-bulk.txt"; then BULK_SAME=yes; else BULK_SAME="**no**"; fi
    log "journald: bulk read of the finished journal: $BULK_REC records, $BULK_BLK blocks, $BULK_B bytes"
}
BULK_REC= BULK_BLK= BULK_B= BULK_SAME=

baseline() {
    local shape=$1 d=$W/$1
    rm -rf "$d/import"
    "$VIGIL" import --data-dir "$d/import" --format "${FORMAT[$shape]}" "${INPUT[$shape]}" > /dev/null 2> "$d/import.err" ||
        die "$shape: vigil import failed: $(tail -n 3 "$d/import.err")"
    REC_IMPORT[$shape]=$(stats "$d/import" records)
    BLK_IMPORT[$shape]=$(stats "$d/import" blocks)
    B_IMPORT[$shape]=$(seg_bytes "$d/import")
    RAW[$shape]=$(stat -c %s "${INPUT[$shape]}")
    zstd -3 -T1 -q -f -k "${INPUT[$shape]}" -o "$d/raw.zst"
    Z3[$shape]=$(stat -c %s "$d/raw.zst")
    rm -f "$d/raw.zst"
    # The same records in both stores (sorted, since compaction orders a block by time)? Time, host,
    # service, level, facility, message, and the fields but source_ip (journald: not the fields,
    # which differ from the import's; they are compared with the bulk read's below).
    local with=fields
    [[ $shape == journald ]] && with=
    "$VIGIL" query --data-dir "$d/data" --no-pager -o json | records_key $with > "$d/records-trickle.txt"
    "$VIGIL" query --data-dir "$d/import" --no-pager -o json | records_key $with > "$d/records-import.txt"
    if cmp -s "$d/records-trickle.txt" "$d/records-import.txt"; then
        SAME[$shape]=yes
    else
        SAME[$shape]="**no** ($(diff "$d/records-trickle.txt" "$d/records-import.txt" | grep -c '^<' || true) differ)"
    fi
    if [[ $shape == journald ]]; then journald_bulk; fi
    log "$shape: import: ${REC_IMPORT[$shape]} records, ${BLK_IMPORT[$shape]} blocks, ${B_IMPORT[$shape]} bytes; zstd -3 ${Z3[$shape]}; same records: ${SAME[$shape]}"
}

# ---- the run -------------------------------------------------------------------------------

STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(usec)
for shape in http1 http10; do
    need "$shape" || continue
    trickle_start "$shape"
    trickle_finish "$shape" "$SENDER_PID"
done
# udp and journald side by side.
declare -A SPID=()
for shape in udp journald; do
    need "$shape" || continue
    trickle_start "$shape"
    SPID[$shape]=$SENDER_PID
done
for shape in udp journald; do
    need "$shape" || continue
    trickle_finish "$shape" "${SPID[$shape]}"
done
for shape in $SHAPES; do
    compact "$shape"
    baseline "$shape"
done
T_END=$(usec)

# ---- the report ----------------------------------------------------------------------------

describe() {
    case $1 in
        http1) echo "HTTP NDJSON, 1 record per POST" ;;
        http10) echo "HTTP NDJSON, 10 records per POST" ;;
        udp) echo "syslog UDP RFC 5424, $UDP_RATE/s" ;;
        journald) echo "journald directory, $JOURNAL_RATE entries/s" ;;
    esac
}

report() {
    echo "# Live trickle ingestion against a bulk import"
    echo
    echo "- Date: $STARTED – $(date -u +%Y-%m-%dT%H:%M:%SZ) ($(secs $((T_END - T_START))) s)$( ((QUICK)) && echo ', --quick')"
    echo "- Machine: $(nproc) CPUs ($(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || echo unknown)), $(uname -sr); load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Vigil: \`$BIN\` ($(tr '\n' ';' < "$BIN/COMMIT" | sed 's/;$//; s/;/, /g')); $(zstd --version | grep -Eo 'v[0-9.]+' | head -n 1 | sed 's/^/zstd /')"
    echo "- Records: \`python3 bench/gen_shapes.py --shape SHAPE --seed $SEED\`, first N lines; \`[store]\` defaults (compact = true, zstd_level 3 live and zstd_bulk_level 7 for compaction and import, commit_delay 50ms); compaction run with recompress_after = \"0s\"."
    echo
    echo "Bytes: sum of the \`*.vseg\` files. Before: after the trickle and SIGTERM; after: once vigild, restarted, compacted at start-up; import: \`vigil import --format F\` of the same lines into a fresh directory."
    echo
    echo "| Shape | Records sent / after / import | Blocks before / after / import | Bytes before / after / import | **after ÷ import** | before ÷ import | zstd -3 bytes (raw) | Compaction (to the log line) | verify, same records |"
    echo "|---|---|---|---|---|---|---|---|---|"
    local s
    for s in $SHAPES; do
        echo "| $s ($(describe "$s")) | ${SENT[$s]} / ${REC_AFTER[$s]} / ${REC_IMPORT[$s]}$([[ ${REC_AFTER[$s]} == "${SENT[$s]}" ]] || echo ' **(mismatch)**') | ${BLK_BEFORE[$s]} / ${BLK_AFTER[$s]} / ${BLK_IMPORT[$s]} | ${B_BEFORE[$s]} / ${B_AFTER[$s]} / ${B_IMPORT[$s]} | **$(div "${B_AFTER[$s]}" "${B_IMPORT[$s]}")** | $(div "${B_BEFORE[$s]}" "${B_IMPORT[$s]}") | ${Z3[$s]} (${RAW[$s]}) | ${COMPACT_LINES[$s]} × \"compacted segment\", ${COMPACT_S[$s]} s; segments ${SEG_BEFORE[$s]} → ${SEG_AFTER[$s]} | ${VERIFY[$s]}, ${SAME[$s]} |"
    done
    echo
    if [[ -n $BULK_B ]]; then
        echo "journald, same fields: the finished journal read by a fresh vigild at once (\`batch_size = 16384\`): $BULK_REC records (the same as the trickle's, fields included: $BULK_SAME), $BULK_BLK block(s), $BULK_B bytes; after ÷ this = **$(div "${B_AFTER[journald]}" "$BULK_B")**, before ÷ this = $(div "${B_BEFORE[journald]}" "$BULK_B"), import ÷ this = $(div "${B_IMPORT[journald]}" "$BULK_B")."
        echo
    fi
    echo "Fields: live HTTP and UDP records carry source_ip, which imported ones do not; journald records carry _BOOT_ID, _SYSTEMD_UNIT and SYSLOG_FACILITY but no pid (SYSLOG_PID is not among \`[inputs.journald] fields\`), where the imported RFC 3164 records carry pid. Every live record has its own received_at; imported ones share the import's. \"Same records\": \`vigil query -o json\` of both stores, sorted, equal in time, host, service, level, facility, message and (but journald) the fields other than source_ip."
    echo
    echo "Senders: $(for s in $SHAPES; do printf '%s: %s; ' "$s" "${SEND_NOTE[$s]}"; done | sed 's/; $//')."
    echo
    echo "Raw outputs: \`$W/SHAPE/\` (vigild-trickle.log, vigild-compact.log, stats-before.txt, stats-after.txt, verify.out, send.out)."
}

report | tee "$RESULTS"
log "results written to $RESULTS"
