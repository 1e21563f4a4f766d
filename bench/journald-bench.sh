#!/usr/bin/env bash
# The store against journald (issue #21): for each corpus shape of bench/gen_shapes.py (RFC 3164,
# RFC 5424 with structured data, JSON with many fields, kernel lines), import it into a fresh Vigil
# store and, converted to the Journal Export Format, into a journal file with Debian's
# systemd-journal-remote; compare the sizes with zstd -3 and zstd -19 of the raw file, and time the
# same queries with `vigil query` and `journalctl --file`, interleaved. Prints Markdown and writes it
# to bench/work/journald-results.md.
#
#   bench/journald-bench.sh [--size 100MiB | --quick] [--seed 42] [--runs 5] [--import-runs 3]
#                           [--shapes "rfc3164 rfc5424 json kernel"] [--vigil PATH]
#                           [--no-follow] [--follow-trials 5]
#
# --quick is --size 10MiB. Queries run --runs times each, Vigil and journalctl taking turns (the
# order alternating from run to run), page cache warm, output to /dev/null (fully printed); the
# median wall time is reported. Also -f latency (bench/follow_latency.py) unless --no-follow.
# bench/README.md's table says what the scripts do; bench/RESULTS.md, "#21 — the store against
# journald", has the last run.

set -euo pipefail

usage() {
    sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
    echo "journald-bench: $*" >&2
    exit 1
}

log() {
    echo "journald-bench: $*" >&2
}

# ---- options -----------------------------------------------------------------------------

SIZE=100MiB
SEED=42
RUNS=5
IMPORT_RUNS=3
SHAPES="rfc3164 rfc5424 json kernel"
VIGIL=
FOLLOW=1
FOLLOW_TRIALS=5
while (($# > 0)); do
    case $1 in
        --size) SIZE=${2:?--size needs a value}; shift 2 ;;
        --size=*) SIZE=${1#*=}; shift ;;
        --quick) SIZE=10MiB; shift ;;
        --seed) SEED=${2:?--seed needs a value}; shift 2 ;;
        --seed=*) SEED=${1#*=}; shift ;;
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --import-runs) IMPORT_RUNS=${2:?--import-runs needs a number}; shift 2 ;;
        --import-runs=*) IMPORT_RUNS=${1#*=}; shift ;;
        --shapes) SHAPES=${2:?--shapes needs a list}; shift 2 ;;
        --shapes=*) SHAPES=${1#*=}; shift ;;
        --vigil) VIGIL=${2:?--vigil needs a path}; shift 2 ;;
        --vigil=*) VIGIL=${1#*=}; shift ;;
        --no-follow) FOLLOW=0; shift ;;
        --follow-trials) FOLLOW_TRIALS=${2:?--follow-trials needs a number}; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $SEED =~ ^[0-9]+$ ]] || die "--seed must be a non-negative integer, not '$SEED'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"
[[ $IMPORT_RUNS =~ ^[1-9][0-9]*$ ]] || die "--import-runs must be a positive integer, not '$IMPORT_RUNS'"
[[ $FOLLOW_TRIALS =~ ^[1-9][0-9]*$ ]] || die "--follow-trials must be a positive integer"
[[ $SIZE =~ ^[0-9]+(\.[0-9]+)?([kKmMgGtT]i?[bB]?)?$ ]] || die "--size must look like 100MiB or 123456, not '$SIZE'"
for s in $SHAPES; do
    [[ $s =~ ^(rfc3164|rfc5424|json|kernel)$ ]] || die "unknown shape '$s'"
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

JREMOTE=/lib/systemd/systemd-journal-remote
[[ -x $JREMOTE ]] || die "needs $JREMOTE (Debian package systemd-journal-remote)"
for tool in python3 zstd journalctl du stat awk sort; do
    command -v "$tool" > /dev/null || die "needs $tool on PATH"
done
if [[ -z $VIGIL ]]; then
    VIGIL=.build/release/vigil
fi
[[ -x $VIGIL ]] || die "no executable vigil at $VIGIL (swift build -c release --product vigil)"
VIGIL=$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")

# Both tools print times in UTC; the windows are given in UTC to both.
export TZ=UTC

W=bench/work/journald
OUT=$W/out
RESULTS=bench/work/journald-results.md
mkdir -p "$W" bench/corpus
rm -rf "$OUT"
mkdir -p "$OUT"

# ---- helpers -----------------------------------------------------------------------------

usec() { local t=$EPOCHREALTIME; echo "${t/./}"; }
secs() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1e6 }'; }
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
faster() { # VIGIL_S JOURNALCTL_S: "Vigil 2.1× faster" or "journalctl 1.3× faster"
    awk -v v="$1" -v j="$2" 'BEGIN { if (v <= 0 || j <= 0) print "n/a"; else if (v <= j) printf "Vigil %.1f× faster", j / v; else printf "journalctl %.1f× faster", v / j }'
}
kib() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1024 }'; }
div() { awk -v a="$1" -v b="$2" -v p="${3:-2}" 'BEGIN { if (b > 0) printf "%.*f", p, a / b; else printf "n/a" }'; }
mib() { div "$1" 1048576 1; }
stat_field() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    d = d[k]
print(d)' "$1" "$2"
}

# timed_once KEY COMMAND...: runs it once, its output to $OUT/KEY.out, stderr to $OUT/KEY.err;
# prints the wall time in seconds; dies when it fails.
timed_once() {
    local key=$1 t0 t1
    shift
    t0=$(usec)
    "$@" > "$OUT/$key.out" 2> "$OUT/$key.err" || die "$key failed: $(tail -n 3 "$OUT/$key.err" | tr '\n' ' ')"
    t1=$(usec)
    secs $((t1 - t0))
}

declare -A MED=() ALL=() NOTE=()
SUMMARY_ROWS=()
QUERY_ROWS=()
FOLLOW_ROWS=()

# ---- per shape ---------------------------------------------------------------------------

bench_shape() {
    local shape=$1
    local corpus=bench/corpus/shape-$shape-$SEED-$SIZE.log
    local stats=$corpus.stats.json
    local vd=$W/vigil-$shape jd=$W/journal-$shape export=$W/$shape.export
    local fmt conv
    case $shape in
        rfc3164 | kernel) fmt=syslog conv=syslog ;;
        rfc5424) fmt=rfc5424 conv=rfc5424 ;;
        json) fmt=json conv=json ;;
    esac

    if [[ ! -s $corpus || ! -s $stats ]]; then
        log "generating $corpus"
        python3 bench/gen_shapes.py --shape "$shape" --seed "$SEED" --size "$SIZE" --out "$corpus" --quiet 2> "$OUT/gen-$shape.err" ||
            die "gen_shapes.py failed: $(tail -n 3 "$OUT/gen-$shape.err")"
    fi
    local raw lines
    raw=$(stat -c %s "$corpus")
    lines=$(stat_field "$stats" lines)
    log "$shape: $corpus, $raw bytes, $lines lines; warming the page cache"
    cat -- "$corpus" > /dev/null

    # Journal Export Format (once; not part of journald's import time).
    local conv_s
    conv_s=$(timed_once "convert-$shape" python3 bench/to_journal_export.py --format "$conv" "$corpus" "$export")

    # Imports, interleaved, each into a fresh directory.
    local -a vi=() ji=()
    local r t0 t1
    for ((r = 1; r <= IMPORT_RUNS; r++)); do
        rm -rf "$vd"
        t0=$(usec)
        "$VIGIL" import --data-dir "$vd" --format "$fmt" "$corpus" > /dev/null 2> "$OUT/import-vigil-$shape.err" ||
            die "vigil import failed: $(tail -n 3 "$OUT/import-vigil-$shape.err")"
        t1=$(usec)
        vi+=("$(secs $((t1 - t0)))")
        rm -rf "$jd"
        mkdir -p "$jd"
        t0=$(usec)
        "$JREMOTE" -o "$jd/x.journal" "$export" > /dev/null 2> "$OUT/import-journal-$shape.err" ||
            die "systemd-journal-remote failed: $(tail -n 3 "$OUT/import-journal-$shape.err")"
        t1=$(usec)
        ji+=("$(secs $((t1 - t0)))")
        log "  import run $r: vigil ${vi[-1]} s, journal-remote ${ji[-1]} s"
    done
    local vi_med ji_med
    vi_med=$(median "${vi[@]}")
    ji_med=$(median "${ji[@]}")

    # zstd of the whole raw file, one thread.
    local z3=$W/$shape.log.zst3 z19=$W/$shape.log.zst19 z3_s z19_s
    log "  zstd -3 and zstd -19 (-T1)"
    z3_s=$(timed_once "zstd3-$shape" zstd -3 -T1 -q -f -k "$corpus" -o "$z3")
    z19_s=$(timed_once "zstd19-$shape" zstd -19 -T1 -q -f -k "$corpus" -o "$z19")

    local s_vigil s_journal s_z3 s_z19 s_export nfiles
    s_vigil=$(du -sb -- "$vd" | cut -f1)
    s_journal=$(du -sb -- "$jd" | cut -f1)
    nfiles=$(find "$jd" -name '*.journal' | wc -l)
    s_z3=$(stat -c %s "$z3")
    s_z19=$(stat -c %s "$z19")
    s_export=$(stat -c %s "$export")
    "$VIGIL" stats --data-dir "$vd" -o json > "$OUT/stats-vigil-$shape.json" 2>&1 || true
    journalctl --file "$jd/*.journal" --header --no-pager > "$OUT/header-journal-$shape.txt" 2>&1 || true
    rm -f "$export"

    SUMMARY_ROWS+=("| $shape | $(mib "$raw") | $lines | $s_vigil ($(div "$raw" "$s_vigil")×) | $s_z3 ($(div "$raw" "$s_z3")×) | $s_z19 ($(div "$raw" "$s_z19")×) | $s_journal ($(div "$raw" "$s_journal")×, $nfiles file(s)) | **$(div "$s_vigil" "$s_z3" 3)** | $(div "$s_vigil" "$s_z19" 3) | **$(div "$s_vigil" "$s_journal" 3)** (1/$(div "$s_journal" "$s_vigil" 1)) | $vi_med ($(div "$raw" "$(awk -v s="$vi_med" 'BEGIN { print s * 1e6 }')" 1) MB/s; runs ${vi[*]}) | $ji_med ($(div "$raw" "$(awk -v s="$ji_med" 'BEGIN { print s * 1e6 }')" 1) MB/s; runs ${ji[*]}) | $conv_s ($(mib "$s_export") MiB) | zstd -3 ${z3_s} s, -19 ${z19_s} s |")

    # ---- queries --------------------------------------------------------------------------
    local p_a p_b m_a m_b
    p_a=$(stat_field "$stats" windows.pct1.since)
    p_b=$(stat_field "$stats" windows.pct1.until)
    m_a=$(stat_field "$stats" windows.min1.since)
    m_b=$(stat_field "$stats" windows.min1.until)
    jt() { local t=${1/T/ }; echo "${t%Z} UTC"; }
    # The mid-frequency service (kernel: host): the middle of the ranking, among names that are
    # valid unit names.
    local pick_key pick_name pick_count
    if [[ $shape == kernel ]]; then pick_key=hosts; else pick_key=services; fi
    read -r pick_name pick_count < <(python3 -c 'import json, re, sys
d = json.load(open(sys.argv[1]))[sys.argv[2]]
names = [k for k in d if re.fullmatch(r"[A-Za-z0-9_.-]+", k)]
k = names[len(names) // 2]
print(k, d[k])' "$stats" "$pick_key")

    local -A exp=(
        [min1]=$(stat_field "$stats" windows.min1.lines)
        [pct1]=$(stat_field "$stats" windows.pct1.lines)
        [err]=$(stat_field "$stats" err_or_worse_lines)
        [unit]=$pick_count
        [grep]=$(stat_field "$stats" rareword_lines)
        [json]=$(stat_field "$stats" windows.pct1.lines)
    )
    local -a keys=(min1 pct1 err unit grep json)
    local -A vargs=() jargs=() what=()
    # Arguments as one string each, split on tabs below (times contain spaces).
    local TAB=$'\t'
    vargs[min1]="-S${TAB}$m_a${TAB}-U${TAB}$m_b"
    jargs[min1]="-S${TAB}$(jt "$m_a")${TAB}-U${TAB}$(jt "$m_b")"
    what[min1]="1-minute window"
    vargs[pct1]="-S${TAB}$p_a${TAB}-U${TAB}$p_b"
    jargs[pct1]="-S${TAB}$(jt "$p_a")${TAB}-U${TAB}$(jt "$p_b")"
    what[pct1]="1 % window"
    vargs[err]="-p${TAB}err"
    jargs[err]="-p${TAB}err"
    what[err]="-p err"
    if [[ $shape == kernel ]]; then
        vargs[unit]="-H${TAB}$pick_name"
        jargs[unit]="_HOSTNAME=$pick_name"
        what[unit]="host $pick_name (no units in kernel lines)"
    else
        vargs[unit]="-u${TAB}$pick_name"
        jargs[unit]="-u${TAB}$pick_name"
        what[unit]="-u $pick_name"
    fi
    vargs[grep]="-g${TAB}RAREWORD"
    jargs[grep]="-g${TAB}RAREWORD"
    what[grep]="--grep RAREWORD"
    vargs[json]="${vargs[pct1]}${TAB}-o${TAB}json"
    jargs[json]="${jargs[pct1]}${TAB}-o${TAB}json"
    what[json]="-o json, 1 % window"

    run_side() { # SIDE KEY OUTFILE
        local -a a
        if [[ $1 == v ]]; then
            IFS=$'\t' read -r -a a <<< "${vargs[$2]}"
            "$VIGIL" query --data-dir "$vd" --no-pager "${a[@]}" > "$3"
        else
            IFS=$'\t' read -r -a a <<< "${jargs[$2]}"
            journalctl --file "$jd/*.journal" --no-pager -q "${a[@]}" > "$3"
        fi
    }

    # Answers first (untimed): lines printed by each side against the generator's count.
    local key
    local -A vlines=() jlines=() vbytes=() jbytes=()
    for key in "${keys[@]}"; do
        run_side v "$key" "$OUT/q-$shape-$key-vigil.out" 2> "$OUT/q-$shape-$key-vigil.err" || die "vigil query $key failed"
        run_side j "$key" "$OUT/q-$shape-$key-journal.out" 2> "$OUT/q-$shape-$key-journal.err" || die "journalctl $key failed"
        vlines[$key]=$(wc -l < "$OUT/q-$shape-$key-vigil.out")
        jlines[$key]=$(wc -l < "$OUT/q-$shape-$key-journal.out")
        vbytes[$key]=$(stat -c %s "$OUT/q-$shape-$key-vigil.out")
        jbytes[$key]=$(stat -c %s "$OUT/q-$shape-$key-journal.out")
    done
    # Keep only the small outputs.
    find "$OUT" -name "q-$shape-*.out" -size +1M -delete

    # Timed: every query RUNS times, Vigil and journalctl taking turns.
    local -A vt=() jt_=()
    local side t
    log "  queries, $RUNS runs each"
    for ((r = 1; r <= RUNS; r++)); do
        for key in "${keys[@]}"; do
            local -a order=(v j)
            ((r % 2)) || order=(j v)
            for side in "${order[@]}"; do
                t0=$(usec)
                run_side "$side" "$key" /dev/null 2>> "$OUT/q-$shape-$key-timed.err" || die "$side $key failed in run $r"
                t1=$(usec)
                t=$(secs $((t1 - t0)))
                if [[ $side == v ]]; then vt[$key]+="$t "; else jt_[$key]+="$t "; fi
            done
        done
    done
    local vm jm check vcmd jcmd
    for key in "${keys[@]}"; do
        # shellcheck disable=SC2086 # the lists are space-separated numbers
        vm=$(median ${vt[$key]})
        # shellcheck disable=SC2086
        jm=$(median ${jt_[$key]})
        check="${vlines[$key]} / ${jlines[$key]}"
        if [[ ${vlines[$key]} == "${exp[$key]}" && ${jlines[$key]} == "${exp[$key]}" ]]; then
            check+=" (as expected)"
        else
            check+=" **(expected ${exp[$key]})**"
        fi
        vcmd="vigil query --data-dir $vd ${vargs[$key]//$TAB/ }"
        jcmd="journalctl --file '$jd/*.journal' -q ${jargs[$key]//$TAB/ }"
        case $key in
            min1) jcmd="journalctl --file '$jd/*.journal' -q -S '$(jt "$m_a")' -U '$(jt "$m_b")'" ;;
            pct1) jcmd="journalctl --file '$jd/*.journal' -q -S '$(jt "$p_a")' -U '$(jt "$p_b")'" ;;
            json) jcmd="journalctl --file '$jd/*.journal' -q -S '$(jt "$p_a")' -U '$(jt "$p_b")' -o json" ;;
        esac
        QUERY_ROWS+=("| $shape | ${what[$key]} | \`$vcmd\` | \`$jcmd\` | $check | $(kib "${vbytes[$key]}") / $(kib "${jbytes[$key]}") | $vm (${vt[$key]% }) | $jm (${jt_[$key]% }) | **$(div "$vm" "$jm" 3)** ($(faster "$vm" "$jm")) |")
        MED[$shape/$key/v]=$vm
        MED[$shape/$key/j]=$jm
    done

    # ---- -f latency (last: it appends to both) ------------------------------------------
    if ((FOLLOW)); then
        local active=$jd/x.journal
        log "  -f latency, $FOLLOW_TRIALS trials"
        python3 bench/follow_latency.py --vigil "$VIGIL" --store "$vd" --journal "$active" --trials "$FOLLOW_TRIALS" > "$OUT/follow-$shape.out" 2>&1 ||
            log "follow_latency.py failed (see $OUT/follow-$shape.out)"
        local fv fj fvn fjn fva fja
        read -r fv fvn fva < <(awk '/^median vigil/ { print $3, $6, $(NF - 1) }' "$OUT/follow-$shape.out")
        read -r fj fjn fja < <(awk '/^median journald/ { print $3, $6, $(NF - 1) }' "$OUT/follow-$shape.out")
        FOLLOW_ROWS+=("| $shape | ${fv:-?} ms | ${fj:-?} ms | **$(div "${fv:-0}" "${fj:-0}" 1)** | ${fvn:-?} / ${fjn:-?} of $FOLLOW_TRIALS | ${fva:-?} / ${fja:-?} ms |")
    fi
    rm -f "$z3" "$z19"
}

STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(usec)

# Process start-up alone, for scale: `vigil --version` and `journalctl --version`, taking turns.
SV=() SJ=()
for ((r = 1; r <= RUNS * 2; r++)); do
    t0=$(usec); "$VIGIL" --version > /dev/null; t1=$(usec); SV+=("$(secs $((t1 - t0)))")
    t0=$(usec); journalctl --version > /dev/null; t1=$(usec); SJ+=("$(secs $((t1 - t0)))")
done
STARTUP_V=$(median "${SV[@]}")
STARTUP_J=$(median "${SJ[@]}")
for shape in $SHAPES; do
    bench_shape "$shape"
done
T_END=$(usec)

# ---- the report --------------------------------------------------------------------------

report() {
    echo "# Vigil store against journald"
    echo
    echo "- Date: $STARTED – $(date -u +%Y-%m-%dT%H:%M:%SZ) ($(secs $((T_END - T_START))) s)"
    echo "- Machine: $(nproc) CPUs ($(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || echo unknown)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), $(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2> /dev/null | tr -d '"'); load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- Vigil: \`$VIGIL\`, commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)"
    echo "- journald: $(journalctl --version | head -n 1) (\`journalctl\`, \`$JREMOTE\`); $(zstd --version | grep -Eo 'v[0-9.]+' | head -n 1 | sed 's/^/zstd /')"
    echo "- Corpora: \`python3 bench/gen_shapes.py --shape SHAPE --seed $SEED --size $SIZE\` → \`bench/corpus/shape-SHAPE-$SEED-$SIZE.log\`"
    echo "- Start-up alone (median of $((RUNS * 2)), taking turns): \`vigil --version\` $STARTUP_V s, \`journalctl --version\` $STARTUP_J s"
    echo "- Method: imports median of $IMPORT_RUNS (fresh directory each, Vigil and journal-remote taking turns); queries median of $RUNS, Vigil and journalctl taking turns (order alternating per run), page cache warm, stdout to /dev/null; TZ=UTC."
    echo
    echo "## Sizes and imports"
    echo
    echo "Sizes in bytes (raw ÷ stored). Vigil: \`du -sb\` of the data directory; journal: \`du -sb\` of the directory systemd-journal-remote wrote (journal files grow in 8 MiB steps). Import: \`vigil import --format F CORPUS\` vs \`systemd-journal-remote -o DIR/x.journal EXPORT\` (the conversion to the export format is timed apart)."
    echo
    echo "| Shape | Raw MiB | Lines | Vigil store | zstd -3 -T1 | zstd -19 -T1 | journal | Vigil / zstd -3 | Vigil / zstd -19 | Vigil / journal | vigil import s | journal-remote s | to_journal_export.py s | zstd time |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${SUMMARY_ROWS[@]}"
    echo
    echo "## Queries"
    echo
    echo "Lines printed: Vigil / journalctl (and the generator's count). Ratio = Vigil's median ÷ journalctl's (below 1: Vigil faster). KiB: what each printed (Vigil / journalctl)."
    echo
    echo "| Shape | Query | Vigil | journalctl | Lines | KiB printed | Vigil s (runs) | journalctl s (runs) | Vigil / journalctl |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${QUERY_ROWS[@]}"
    if ((FOLLOW)); then
        echo
        echo "## -f latency"
        echo
        echo "\`python3 bench/follow_latency.py\`: from starting the append (\`vigil import … -\` / \`systemd-journal-remote -o FILE -\`) to the follower (\`vigil query -f\` / \`journalctl -f --file FILE\`) printing the line; median of $FOLLOW_TRIALS."
        echo
        echo "| Shape | Vigil | journald | Vigil / journald | lines printed (Vigil / journald) | append process alone (Vigil / journald) |"
        echo "|---|---|---|---|---|---|"
        printf '%s\n' "${FOLLOW_ROWS[@]}"
    fi
    echo
    echo "Raw outputs: \`$OUT/\` (follow-*.out, stats-vigil-*.json, header-journal-*.txt, small query outputs)."
}

report | tee "$RESULTS"
log "results written to $RESULTS"
