#!/usr/bin/env bash
# shellcheck disable=SC2317 # the command functions are called indirectly, through timed
# Store benchmark: import a synthetic corpus into a zstd and an lz4 Vigil store, compare the stored
# sizes with zstd/lz4 of the raw file, and time full-scan, time-range and level queries against
# `zstdcat | grep -c`. Prints a Markdown table and writes it to bench/work/store-results.md.
#
#   bench/store-bench.sh [--size 1GiB] [--seed 42] [--vigil PATH] [--runs 3]
#
# Every timed command runs --runs times (3 by default); the table shows the median wall time
# (date +%s.%N around the command; peak RSS from /usr/bin/time -v where the command is a single
# program). Nothing is dropped from the page cache (that needs root): the corpus is read once
# before timing, and each store is queried right after it was written, so every tool reads
# from a hot cache — the same conditions for Vigil and for the baselines.
# See bench/README.md for what each figure means.

set -euo pipefail

usage() {
    sed -n '3,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
    echo "store-bench: $*" >&2
    exit 1
}

log() {
    echo "store-bench: $*" >&2
}

# ---- options -----------------------------------------------------------------------------

SIZE=1GiB
SEED=42
VIGIL=
RUNS=3
while (($# > 0)); do
    case $1 in
        --size) SIZE=${2:?--size needs a value}; shift 2 ;;
        --size=*) SIZE=${1#*=}; shift ;;
        --seed) SEED=${2:?--seed needs a value}; shift 2 ;;
        --seed=*) SEED=${1#*=}; shift ;;
        --vigil) VIGIL=${2:?--vigil needs a path}; shift 2 ;;
        --vigil=*) VIGIL=${1#*=}; shift ;;
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $SEED =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, not '$SEED'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"
[[ $SIZE =~ ^[0-9]+(\.[0-9]+)?([kKmMgGtT]i?[bB]?)?$ ]] || die "--size must look like 100MiB, 1GiB or 123456, not '$SIZE'"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

W=bench/work
OUT=$W/out
CORPUS=bench/corpus/corpus-$SEED-$SIZE.log
STATS=$CORPUS.stats.json
ZST=$W/corpus.log.zst
LZ4=$W/corpus.log.lz4
RESULTS=$W/store-results.md
# The generator's span (bench/gen_corpus.py): 7 days from 2026-11-01T00:00:00Z.
SPAN_START=$(date -u -d 2026-11-01T00:00:00Z +%s)
SPAN=$((7 * 86400))

for tool in python3 zstd zstdcat lz4 lz4cat grep awk sort du stat date; do
    command -v "$tool" > /dev/null || die "needs $tool on PATH"
done
TIME_V=
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true 2> /dev/null; then
    TIME_V=/usr/bin/time
fi

# ---- vigil -------------------------------------------------------------------------------

if [[ -z $VIGIL ]]; then
    VIGIL=.build/release/vigil
    if [[ ! -x $VIGIL ]]; then
        command -v swift > /dev/null || die "$VIGIL is missing and swift is not on PATH"
        log "building $VIGIL (swift build -c release --product vigil)"
        swift build -c release --product vigil
    fi
fi
[[ -x $VIGIL ]] || die "no executable vigil at $VIGIL"
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")

# ---- corpus ------------------------------------------------------------------------------

GEN_SECS=
if [[ ! -s $CORPUS ]]; then
    log "generating $CORPUS (seed $SEED, size $SIZE)"
    t0=$(date +%s.%N)
    python3 bench/gen_corpus.py --seed "$SEED" --size "$SIZE" --out "$CORPUS"
    t1=$(date +%s.%N)
    GEN_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
fi

RAW_BYTES=$(stat -c %s "$CORPUS")

# Expected answers, from the generator's statistics when they are there.
stat_field() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[k]
print(d)' "$STATS" "$1"
}
if [[ -f $STATS ]]; then
    LINES=$(stat_field lines)
    EXP_RARE=$(stat_field rareword_lines)
    EXP_ERR=$(stat_field err_or_worse_lines)
    EXP_WINDOW=$(stat_field window.lines_half_open)
    EXP_WINDOW_END=$(stat_field window.lines_at_until)
else
    log "no $STATS: counting lines with wc -l, no expected counts"
    LINES=$(wc -l < "$CORPUS")
    EXP_RARE='' EXP_ERR='' EXP_WINDOW='' EXP_WINDOW_END=''
fi

# The time-range query: 1 % of the span, in the middle.
WIN_A=$((SPAN_START + SPAN * 495 / 1000))
WIN_B=$((SPAN_START + SPAN * 505 / 1000))
SINCE=$(date -u -d "@$WIN_A" +%Y-%m-%dT%H:%M:%SZ)
UNTIL=$(date -u -d "@$WIN_B" +%Y-%m-%dT%H:%M:%SZ)

# ---- work dir ----------------------------------------------------------------------------

mkdir -p "$W"
rm -rf "$OUT" "$W/zstd" "$W/lz4" "$W/conf-lz4"
mkdir -p "$OUT" "$W/conf-lz4"
printf '[store]\ncodec = "lz4"\n' > "$W/conf-lz4/vigil.toml"

log "corpus $CORPUS: $RAW_BYTES bytes, $LINES lines; warming the page cache"
cat -- "$CORPUS" > /dev/null

# ---- timing ------------------------------------------------------------------------------

declare -A SECS=() ALL=() RC=() RSS=()

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# timed KEY [--prep FUNCTION] COMMAND...
# Runs COMMAND $RUNS times (FUNCTION, untimed, before each run). The last run's stdout and stderr
# go to $OUT/KEY.out and $OUT/KEY.err; SECS[KEY] is the median wall time, ALL[KEY] every time,
# RC[KEY] the first non-zero exit status (then the remaining runs are skipped), RSS[KEY] the peak
# RSS in MiB where COMMAND is a program (not a shell function).
timed() {
    local key=$1 prep=
    shift
    if [[ $1 == --prep ]]; then
        prep=$2
        shift 2
    fi
    local -a secs=() wrap=()
    local i t0 t1 rc=0
    if [[ -n $TIME_V && $(type -t "$1") == file ]]; then
        wrap=("$TIME_V" -v -o "$OUT/$key.time")
    fi
    log "timing $key: $*"
    for ((i = 1; i <= RUNS; i++)); do
        if [[ -n $prep ]]; then "$prep"; fi
        t0=$(date +%s.%N)
        set +e
        "${wrap[@]}" "$@" > "$OUT/$key.out" 2> "$OUT/$key.err"
        rc=$?
        set -e
        t1=$(date +%s.%N)
        secs+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
        if ((rc != 0)); then
            log "  $key exited with status $rc: $(tail -n 3 "$OUT/$key.err" | tr '\n' ' ')"
            break
        fi
    done
    SECS[$key]=$(median "${secs[@]}")
    ALL[$key]=${secs[*]}
    RC[$key]=$rc
    if [[ ${#wrap[@]} -gt 0 && -f $OUT/$key.time ]]; then
        RSS[$key]=$(awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$OUT/$key.time")
    fi
    log "  median ${SECS[$key]} s (runs: ${ALL[$key]})"
}

# The number a count command printed (the last integer on its stdout), or "?".
count_of() {
    local n
    n=$(grep -Eo '[0-9]+' "$OUT/$1.out" | tail -n 1 || true)
    echo "${n:-?}"
}

# ---- the commands ------------------------------------------------------------------------

fresh_zstd_store() { rm -rf "$W/zstd"; }
fresh_lz4_store() { rm -rf "$W/lz4"; }

# grep -c exits 1 when it counts 0 lines: that is a result, not a failure.
scan_pipe() { # DECOMPRESSOR FILE [LC_ALL value]
    if [[ -n ${3:-} ]]; then
        "$1" -q -c -- "$2" | LC_ALL=$3 grep -c -- RAREWORD
    else
        "$1" -q -c -- "$2" | grep -c -- RAREWORD
    fi
    local -a st=("${PIPESTATUS[@]}")
    ((st[0] == 0 && st[1] <= 1))
}
scan_zstd_grep() { scan_pipe zstdcat "$ZST"; }
scan_zstd_grep_c() { scan_pipe zstdcat "$ZST" C; }
scan_lz4_grep_c() { scan_pipe lz4cat "$LZ4" C; }
scan_raw_grep_c() {
    local rc=0
    LC_ALL=C grep -c -- RAREWORD "$CORPUS" || rc=$?
    ((rc <= 1))
}
decompress_zstd() { zstdcat -q -- "$ZST" > /dev/null; }
decompress_lz4() { lz4cat -q -- "$LZ4" > /dev/null; }

timed import_zstd --prep fresh_zstd_store "$VIGIL" import --data-dir "$W/zstd" --format auto "$CORPUS"
timed import_lz4 --prep fresh_lz4_store "$VIGIL" import --data-dir "$W/lz4" --config "$W/conf-lz4" --format auto "$CORPUS"

timed zstd_compress zstd -3 -T1 -q -f -k "$CORPUS" -o "$ZST"
timed lz4_compress lz4 -1 -q -f "$CORPUS" "$LZ4"
timed zstd_decompress decompress_zstd
timed lz4_decompress decompress_lz4

store_bytes() { if [[ -d $1 ]]; then du -sb -- "$1" | cut -f1; else echo 0; fi; }
SIZE_ZSTD_STORE=$(store_bytes "$W/zstd")
SIZE_LZ4_STORE=$(store_bytes "$W/lz4")
# What the stores say about themselves (untimed, kept for the record).
for store in zstd lz4; do
    "$VIGIL" stats --data-dir "$W/$store" -o json > "$OUT/stats_$store.json" 2> "$OUT/stats_$store.err" ||
        log "vigil stats failed on $W/$store (see $OUT/stats_$store.err)"
done
SIZE_ZST=$(stat -c %s "$ZST")
SIZE_LZ4=$(stat -c %s "$LZ4")

for store in zstd lz4; do
    timed "scan_$store" "$VIGIL" query --data-dir "$W/$store" --grep RAREWORD --count
    timed "window_$store" "$VIGIL" query --data-dir "$W/$store" --since "$SINCE" --until "$UNTIL" --count
    timed "level_$store" "$VIGIL" query --data-dir "$W/$store" --level err --count
done
timed grep_zstd scan_zstd_grep
timed grep_zstd_c scan_zstd_grep_c
timed grep_lz4_c scan_lz4_grep_c
timed grep_raw_c scan_raw_grep_c

# ---- the report --------------------------------------------------------------------------

div() { awk -v a="$1" -v b="$2" -v p="${3:-2}" 'BEGIN { if (b > 0) printf "%.*f", p, a / b; else printf "n/a" }'; }
mbps() { div "$RAW_BYTES" "$(awk -v s="$1" 'BEGIN { print s * 1e6 }')" 1; }
rps() { awk -v n="$LINES" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else printf "n/a" }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f %%", 100 * a / b; else printf "n/a" }'; }

# check KEY EXPECTED [ALSO_RIGHT]: "N", "N (as expected)" or "N (expected M)" in bold when it
# differs. ALSO_RIGHT is another acceptable answer (the window count with an inclusive --until).
check() {
    local got
    got=$(count_of "$1")
    if [[ ${RC[$1]} != 0 ]]; then
        echo "**exit ${RC[$1]}**"
    elif [[ -z ${2:-} ]]; then
        echo "$got"
    elif [[ $got == "$2" ]]; then
        echo "$got (as expected)"
    elif [[ -n ${3:-} && $got == "$3" ]]; then
        echo "$got (as expected with an inclusive --until)"
    else
        echo "$got **(expected $2)**"
    fi
}

rss() { [[ -n ${RSS[$1]:-} ]] && echo "${RSS[$1]} MiB" || echo "–"; }
runs() { echo "${ALL[$1]// / / }"; }
status_note() { [[ ${RC[$1]} == 0 ]] || echo "failed (exit ${RC[$1]}, see $OUT/$1.err); "; }

row() { # KEY "what" "command" "MB/s" "records/s" "result" "note"
    local cmd=${3//|/\\|}
    # shellcheck disable=SC2016 # the backquotes are Markdown
    printf '| %s | `%s` | %s | %s | %s | %s | %s | %s | %s%s |\n' \
        "$2" "$cmd" "${SECS[$1]}" "$(runs "$1")" "$4" "$5" "$(rss "$1")" "$6" "$(status_note "$1")" "$7"
}

V=bench/work
C=$CORPUS
IMPORT_ZSTD_NOTE=$(tail -n 1 "$OUT/import_zstd.err" 2> /dev/null | tr '|' '/' || true)
IMPORT_LZ4_NOTE=$(tail -n 1 "$OUT/import_lz4.err" 2> /dev/null | tr '|' '/' || true)
S_ZSTD=${SECS[scan_zstd]}
S_LZ4=${SECS[scan_lz4]}
WINDOW_EXPECTED=$EXP_WINDOW
WINDOW_INCLUSIVE=
WINDOW_NOTE="$SINCE .. $UNTIL"
if [[ -n $EXP_WINDOW_END && $EXP_WINDOW_END != 0 ]]; then
    WINDOW_INCLUSIVE=$((EXP_WINDOW + EXP_WINDOW_END))
    WINDOW_NOTE+=" (expected $EXP_WINDOW lines with an exclusive --until, $WINDOW_INCLUSIVE inclusive)"
fi

report() {
    echo "# Vigil store benchmark"
    echo
    echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- Machine: $(nproc) CPUs ($(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || echo unknown)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2> /dev/null) RAM, $(uname -sr), $(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2> /dev/null | tr -d '"')"
    echo "- Vigil: \`$VIGIL\` ($("$VIGIL" --version 2> /dev/null | head -n 1 || echo "version unknown")), commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)"
    echo "- Tools: $(zstd --version 2> /dev/null | grep -Eo 'v[0-9.]+' | head -n 1 | sed 's/^/zstd /'), $(lz4 --version 2> /dev/null | grep -Eo 'v[0-9.]+' | head -n 1 | sed 's/^/lz4 /'), $(grep --version | head -n 1), locale ${LC_ALL:-${LANG:-POSIX}}"
    echo "- Corpus: \`$C\` — seed $SEED, $RAW_BYTES bytes ($(div "$RAW_BYTES" 1048576 1) MiB), $LINES lines${GEN_SECS:+, generated in $GEN_SECS s}"
    echo "- Method: median of $RUNS runs (wall time, \`date +%s.%N\`); page cache hot for every command (the corpus is read once first; no drop_caches); MB = 10^6 bytes of raw corpus text; records = corpus lines."
    echo
    echo "## Import and compression"
    echo
    echo "| What | Command | Median s | Runs (s) | MB/s (raw) | Records/s | Peak RSS | Result | Notes |"
    echo "|---|---|---|---|---|---|---|---|---|"
    row import_zstd "vigil import, zstd store" "vigil import --data-dir $V/zstd --format auto CORPUS" \
        "$(mbps "${SECS[import_zstd]}")" "$(rps "${SECS[import_zstd]}")" "$LINES records" "${IMPORT_ZSTD_NOTE:+stderr: }${IMPORT_ZSTD_NOTE:-}"
    row import_lz4 "vigil import, lz4 store" "vigil import --data-dir $V/lz4 --config $V/conf-lz4 --format auto CORPUS" \
        "$(mbps "${SECS[import_lz4]}")" "$(rps "${SECS[import_lz4]}")" "$LINES records" "${IMPORT_LZ4_NOTE:+stderr: }${IMPORT_LZ4_NOTE:-}"
    row zstd_compress "zstd -3, one thread" "zstd -3 -T1 -k CORPUS" "$(mbps "${SECS[zstd_compress]}")" "" "" ""
    row lz4_compress "lz4 -1" "lz4 -1 CORPUS" "$(mbps "${SECS[lz4_compress]}")" "" "" ""
    row zstd_decompress "zstd decompression only" "zstdcat corpus.zst > /dev/null" "$(mbps "${SECS[zstd_decompress]}")" "" "" ""
    row lz4_decompress "lz4 decompression only" "lz4cat corpus.lz4 > /dev/null" "$(mbps "${SECS[lz4_decompress]}")" "" "" ""
    echo
    echo "## Sizes"
    echo
    echo "| What | Bytes | MiB | Ratio raw/stored |"
    echo "|---|---|---|---|"
    echo "| raw corpus | $RAW_BYTES | $(div "$RAW_BYTES" 1048576 1) | 1.00 |"
    echo "| Vigil zstd store (\`du -sb $V/zstd\`) | $SIZE_ZSTD_STORE | $(div "$SIZE_ZSTD_STORE" 1048576 1) | $(div "$RAW_BYTES" "$SIZE_ZSTD_STORE") |"
    echo "| Vigil lz4 store (\`du -sb $V/lz4\`) | $SIZE_LZ4_STORE | $(div "$SIZE_LZ4_STORE" 1048576 1) | $(div "$RAW_BYTES" "$SIZE_LZ4_STORE") |"
    echo "| \`zstd -3 -T1\` of the corpus | $SIZE_ZST | $(div "$SIZE_ZST" 1048576 1) | $(div "$RAW_BYTES" "$SIZE_ZST") |"
    echo "| \`lz4 -1\` of the corpus | $SIZE_LZ4 | $(div "$SIZE_LZ4" 1048576 1) | $(div "$RAW_BYTES" "$SIZE_LZ4") |"
    echo
    echo "## Queries"
    echo
    echo "Speed-up = the baseline's time ÷ Vigil's. \"% of full scan\" = the query's time ÷ the same store's \`--grep RAREWORD --count\` time."
    echo
    echo "| What | Command | Median s | Runs (s) | MB/s (raw) | Records/s | Peak RSS | Result | Ratio |"
    echo "|---|---|---|---|---|---|---|---|---|"
    row scan_zstd "full scan, zstd store" "vigil query --data-dir $V/zstd --grep RAREWORD --count" \
        "$(mbps "$S_ZSTD")" "$(rps "$S_ZSTD")" "$(check scan_zstd "$EXP_RARE")" \
        "speed-up $(div "${SECS[grep_zstd]}" "$S_ZSTD")× vs zstdcat \\| grep -c, $(div "${SECS[grep_zstd_c]}" "$S_ZSTD")× vs zstdcat \\| LC_ALL=C grep -c"
    row scan_lz4 "full scan, lz4 store" "vigil query --data-dir $V/lz4 --grep RAREWORD --count" \
        "$(mbps "$S_LZ4")" "$(rps "$S_LZ4")" "$(check scan_lz4 "$EXP_RARE")" \
        "speed-up $(div "${SECS[grep_lz4_c]}" "$S_LZ4")× vs lz4cat \\| LC_ALL=C grep -c, $(div "${SECS[grep_zstd]}" "$S_LZ4")× vs zstdcat \\| grep -c"
    row grep_zstd "baseline: zstdcat + grep" "zstdcat corpus.zst | grep -c RAREWORD" \
        "$(mbps "${SECS[grep_zstd]}")" "$(rps "${SECS[grep_zstd]}")" "$(check grep_zstd "$EXP_RARE")" "grep in ${LC_ALL:-${LANG:-POSIX}}"
    row grep_zstd_c "baseline: zstdcat + C-locale grep" "zstdcat corpus.zst | LC_ALL=C grep -c RAREWORD" \
        "$(mbps "${SECS[grep_zstd_c]}")" "$(rps "${SECS[grep_zstd_c]}")" "$(check grep_zstd_c "$EXP_RARE")" ""
    row grep_lz4_c "baseline: lz4cat + C-locale grep" "lz4cat corpus.lz4 | LC_ALL=C grep -c RAREWORD" \
        "$(mbps "${SECS[grep_lz4_c]}")" "$(rps "${SECS[grep_lz4_c]}")" "$(check grep_lz4_c "$EXP_RARE")" ""
    row grep_raw_c "reference: grep of the raw file" "LC_ALL=C grep -c RAREWORD CORPUS" \
        "$(mbps "${SECS[grep_raw_c]}")" "$(rps "${SECS[grep_raw_c]}")" "$(check grep_raw_c "$EXP_RARE")" "no decompression at all"
    local store s
    for store in zstd lz4; do
        s=${SECS[scan_$store]}
        row "window_$store" "1 % time range, $store store" "vigil query --data-dir $V/$store --since $SINCE --until $UNTIL --count" \
            "$(mbps "${SECS[window_$store]}")" "" "$(check "window_$store" "$WINDOW_EXPECTED" "$WINDOW_INCLUSIVE")" \
            "$(pct "${SECS[window_$store]}" "$s") of full scan"
        row "level_$store" "--level err, $store store" "vigil query --data-dir $V/$store --level err --count" \
            "$(mbps "${SECS[level_$store]}")" "$(rps "${SECS[level_$store]}")" "$(check "level_$store" "$EXP_ERR")" \
            "$(pct "${SECS[level_$store]}" "$s") of full scan"
    done
    echo
    echo "CORPUS = \`$C\`; corpus.zst and corpus.lz4 are \`$ZST\` and \`$LZ4\`. Time-range window: $WINDOW_NOTE."
    echo "MB/s of the time-range and level queries is the raw corpus size over the query time (an equivalent scan rate)."
    echo "Outputs and stderr of the last run of each command, and \`vigil stats -o json\` of each store: \`$OUT/\`."
}

report | tee "$RESULTS"
log "results written to $RESULTS"

failed=0
for key in "${!RC[@]}"; do
    if [[ ${RC[$key]} != 0 ]]; then failed=1; fi
done
exit "$failed"
