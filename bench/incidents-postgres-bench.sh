#!/usr/bin/env bash
# Shared incidents on PostgreSQL (bench/RESULTS.md § Fleet), on release builds: signal storms through
# SignalQueue → IncidentRecorder → the incident store (vigil-incidents-bench storm), in the same run:
#   1. the baseline, SQLite (one vigild's own incidents.db);
#   2. PostgreSQL, one vigild;
#   3. PostgreSQL, two vigild processes competing for the same fingerprints (both receive every
#      signal, as two central consumers of one stream would);
# then checks the shared database: one incident per fingerprint, the counts the sum of both.
# PostgreSQL 15 (Debian's) runs in bench/work with its defaults (fsync and synchronous_commit on).
# Usage: bench/incidents-postgres-bench.sh [--bin DIR] [--seconds S] (default .build/release, 5 s)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
SECONDS_EACH=5
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift 2 ;;
        --seconds) SECONDS_EACH=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
WORK=$PWD/bench/work/incidents-postgres
PG=/usr/lib/postgresql/15/bin
rm -rf "$WORK" && mkdir -p "$WORK"
AS=()
if [ "$(id -u)" = 0 ]; then chown postgres "$WORK"; AS=(runuser -u postgres --); fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${AS[@]}" "$PG/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 >"$WORK/initdb.log"
"${AS[@]}" "$PG/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -o "-h 127.0.0.1 -p $PORT -k $WORK" -w start >/dev/null
trap '"${AS[@]}" "$PG/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null 2>&1 || true' EXIT
psql_() { "$PG/psql" -h 127.0.0.1 -p "$PORT" -U postgres -X -A -t -v ON_ERROR_STOP=1 "$@"; }
fresh() { psql_ -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; echo "postgres://postgres@127.0.0.1:$PORT/$1"; }
# `signals=N` from a storm's line.
produced() { sed -n 's/.*signals=\([0-9]*\).*/\1/p' "$1"; }

echo "## commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg), $("$PG/postgres" --version)"
for shape in "--rate 0 --fingerprints 1" "--rate 0 --fingerprints 1000" "--rate 5000 --fingerprints 1000"; do
    echo "### $shape, $SECONDS_EACH s"
    # shellcheck disable=SC2086
    echo "sqlite, one:     $("$BIN/vigil-incidents-bench" storm "$WORK/sqlite" $shape --seconds "$SECONDS_EACH")"
    url=$(fresh one)
    # shellcheck disable=SC2086
    echo "postgres, one:   $("$BIN/vigil-incidents-bench" storm "$WORK/pg" $shape --seconds "$SECONDS_EACH" --postgres "$url")"
    url=$(fresh two)
    # shellcheck disable=SC2086
    "$BIN/vigil-incidents-bench" storm "$WORK/pg" $shape --seconds "$SECONDS_EACH" --postgres "$url" --shared >"$WORK/a.out" &
    a=$!
    # shellcheck disable=SC2086
    "$BIN/vigil-incidents-bench" storm "$WORK/pg" $shape --seconds "$SECONDS_EACH" --postgres "$url" --shared >"$WORK/b.out" &
    b=$!
    wait $a $b
    echo "postgres, two A: $(cat "$WORK/a.out")"
    echo "postgres, two B: $(cat "$WORK/b.out")"
    total=$(( $(produced "$WORK/a.out") + $(produced "$WORK/b.out") ))
    read -r incidents counted < <(psql_ -d two -F ' ' -c "SELECT COUNT(*), COALESCE(SUM(signal_count), 0) FROM incidents")
    fingerprints=$(echo "$shape" | sed -n 's/.*--fingerprints \([0-9]*\).*/\1/p')
    verdict=$([ "$incidents" = "$fingerprints" ] && [ "$counted" = "$total" ] && echo exact || echo "NOT EXACT")
    echo "postgres, two:   together $total signals; $incidents incidents (of $fingerprints fingerprints), counts summing to $counted: $verdict"
done
