#!/usr/bin/env bash
# Where a daemon's CPU goes under a UDP syslog load: for vigild or rsyslogd (imudp → omfile), the
# CPU time of each thread (user and system) and how long it waited for a CPU, from
# /proc/PID/task/*/stat and schedstat, over one run of bench/loadgen. With --perf, vigild's run is
# also sampled with `perf record -g` and the largest inclusive shares are printed; --perf-data FILE
# keeps the samples for `perf report -i FILE --children --sort sym --stdio -g none`.
#
#   bench/daemon-threads.sh vigild|rsyslogd [--bin VIGILD] [--rate 300000] [--count 3000000]
#                           [--times week] [--perf] [--perf-data FILE]
#
# Prints the generator's summary, the records stored (and kernel drops), then one line per thread
# that used at least 0.05 s: ticks are 1/100 s; "ran" and "waited" (for a CPU) are milliseconds;
# "switches" are voluntary + involuntary context switches.
# Threads that start during the load (rsyslog's queue workers) count from zero.
set -euo pipefail
usage() { sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
[[ $# -ge 1 ]] || { usage; exit 2; }
DAEMON=$1; shift
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$ROOT/.build-static/release/vigild RATE=300000 COUNT=3000000 TIMES=week PERF=0 PERF_DATA=
while (($# > 0)); do
    case $1 in
        --bin) BIN=$2; shift 2 ;;
        --rate) RATE=$2; shift 2 ;;
        --count) COUNT=$2; shift 2 ;;
        --times) TIMES=$2; shift 2 ;;
        --perf) PERF=1; shift ;;
        --perf-data) PERF=1; PERF_DATA=$2; shift 2 ;;
        *) usage; exit 2 ;;
    esac
done
LG=$ROOT/bench/loadgen/loadgen
make -s -C "$ROOT/bench/loadgen" loadgen >&2
UDP_PORT=25514 HTTP_PORT=28080
# shellcheck source=bench/lib/vigild.sh
. "$ROOT/bench/lib/vigild.sh"
# shellcheck source=bench/lib/rsyslog.sh
. "$ROOT/bench/lib/rsyslog.sh"
d=$(mktemp -d)
pid=
# The daemon is stopped however the script ends (also when its output is cut short by a pipe).
trap '[[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$d"' EXIT
PERF_DATA=${PERF_DATA:-$d/perf.data}

case $DAEMON in
    vigild)
        write_vigild_config "$d"
        "$BIN" --config "$d/conf" >"$d/log" 2>&1 &
        pid=$!
        for _ in $(seq 100); do curl -fs "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
        stored() { metric 'vigil_input_records_total{input="syslog_udp"}'; }
        ;;
    rsyslogd)
        write_rsyslog_config "$d" "$UDP_PORT"
        rsyslogd -n -f "$d/rsyslog.conf" -i "$d/pid" >"$d/log" 2>&1 &
        pid=$!
        stored() { wc -l <"$d/messages.log"; }
        ;;
    *) usage; exit 2 ;;
esac
sleep 1

# One line per thread: tid, name, utime, stime (ticks), run time, run-queue wait (ms), voluntary
# and involuntary context switches.
snapshot() {
    for t in /proc/"$pid"/task/*; do
        printf '%s %s %s %s %s\n' "${t##*/}" "$(tr ' ' _ <"$t/comm")" \
            "$(sed 's/^.*) //' "$t/stat" | awk '{print $12, $13}')" \
            "$(awk '{printf "%d %d", $1 / 1e6, $2 / 1e6}' "$t/schedstat")" \
            "$(awk '/^voluntary_ctxt_switches/ {v = $2} /^nonvoluntary_ctxt_switches/ {n = $2} END {print v, n}' "$t/status")"
    done | sort
}

snapshot >"$d/before"
perf_pid=
if ((PERF)) && [[ $DAEMON == vigild ]]; then
    perf record -F "${PERF_FREQ:-499}" -g -p "$pid" -o "$PERF_DATA" -- sleep $((COUNT / RATE)) >/dev/null 2>&1 &
    perf_pid=$!
fi
"$LG" udp --host 127.0.0.1 --port "$UDP_PORT" --rate "$RATE" --count "$COUNT" --seed 42 --times "$TIMES"
snapshot >"$d/after"
[[ -n $perf_pid ]] && wait "$perf_pid" 2>/dev/null
drops=$(udp_field "$UDP_PORT" drops)
sleep 2
echo "stored: $(stored) of $COUNT; kernel drops: ${drops:-0}"
join -a 2 -e 0 -o 2.1,2.2,1.3,1.4,1.5,1.6,1.7,1.8,2.3,2.4,2.5,2.6,2.7,2.8 "$d/before" "$d/after" | awk '
    { u = $9 - $3; s = $10 - $4; r = $11 - $5; w = $12 - $6; v = $13 - $7; n = $14 - $8
      tu += u; ts += s; tv += v; tn += n
      if (u + s >= 5) printf "%-8s %-20s user %5d  sys %5d ticks  ran %6d ms  waited %6d ms  switches %7d + %6d\n", $1, $2, u, s, r, w, v, n }
    END { printf "all threads: user %d sys %d ticks = %.2f CPU-s; context switches %d voluntary + %d involuntary\n", tu, ts, (tu + ts) / 100, tv, tn }'
if ((PERF)) && [[ $DAEMON == vigild ]]; then
    perf report -i "$PERF_DATA" --children --sort sym --stdio -g none 2>/dev/null |
        grep -v '^#' | grep '%' | head -40 | awk '{printf "%7s %s\n", $1, substr($4, 1, 140)}'
fi
