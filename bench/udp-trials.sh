#!/usr/bin/env bash
# Zero-loss UDP trials at one rate, interleaved between daemons that run side by side: each round
# sends one trial (--msgs messages at --rate from bench/loadgen) to every target in turn, the
# order alternating between rounds, so the machine's drift during the run is shared by all
# targets. A target is a vigild binary (fresh data directory, 32 MiB receive buffer) or
# `rsyslogd` (imudp → omfile, the same receive buffer). Idle targets wait in poll and cost nothing.
# `VIGILD@FILE` appends FILE's TOML tables to that vigild's vigil.toml (a `[pipeline]` setting, say).
#
#   bench/udp-trials.sh [--rate 450000] [--rounds 6] [--msgs 500000] [--times week] TARGET…
#
# Prints one line per trial (achieved rate, stored, lost, kernel drops), then per target: trials
# without loss, and the median, largest and total loss.
set -euo pipefail
usage() { sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
RATE=450000 ROUNDS=6 MSGS=500000 TIMES=week TARGETS=()
while (($# > 0)); do
    case $1 in
        --rate) RATE=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --msgs) MSGS=$2; shift 2 ;;
        --times) TIMES=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        -*) usage >&2; exit 2 ;;
        *) TARGETS+=("$1"); shift ;;
    esac
done
((${#TARGETS[@]} > 0)) || { usage >&2; exit 2; }
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LG=$ROOT/bench/loadgen/loadgen
make -s -C "$ROOT/bench/loadgen" loadgen >&2
# shellcheck source=bench/lib/vigild.sh
. "$ROOT/bench/lib/vigild.sh"
# shellcheck source=bench/lib/rsyslog.sh
. "$ROOT/bench/lib/rsyslog.sh"
d=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$d"' EXIT

# Target i listens for syslog on UDP_BASE+i (and, for vigild, HTTP on HTTP_BASE+i).
UDP_BASE=25600 HTTP_BASE=28100
stored() {   # stored INDEX: records the target has stored so far
    local i=$1
    if [[ ${TARGETS[i]} == rsyslogd ]]; then
        wc -l <"$d/$i/messages.log"
    else
        HTTP_PORT=$((HTTP_BASE + i)) metric 'vigil_input_records_total{input="syslog_udp"}'
    fi
}
for i in "${!TARGETS[@]}"; do
    mkdir -p "$d/$i"
    if [[ ${TARGETS[i]} == rsyslogd ]]; then
        write_rsyslog_config "$d/$i" $((UDP_BASE + i))
        rsyslogd -n -f "$d/$i/rsyslog.conf" -i "$d/$i/pid" >"$d/$i/log" 2>&1 &
        PIDS+=($!)
        for _ in $(seq 50); do [[ -e $d/$i/messages.log ]] && break; sleep 0.1; done
        touch "$d/$i/messages.log"
    else
        bin=${TARGETS[i]%%@*} tables=
        [[ ${TARGETS[i]} == *@* ]] && tables=$(cat "${TARGETS[i]#*@}")
        UDP_PORT=$((UDP_BASE + i)) HTTP_PORT=$((HTTP_BASE + i)) write_vigild_config "$d/$i" "" "$tables"
        "$bin" --config "$d/$i/conf" >"$d/$i/log" 2>&1 &
        PIDS+=($!)
        for _ in $(seq 100); do curl -fs "http://127.0.0.1:$((HTTP_BASE + i))/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    fi
done
sleep 1

declare -A LOST
n=${#TARGETS[@]}
for round in $(seq "$ROUNDS"); do
    for k in $(seq 0 $((n - 1))); do
        # Odd rounds go forwards, even rounds backwards.
        if ((round % 2 == 1)); then i=$k; else i=$((n - 1 - k)); fi
        port=$((UDP_BASE + i))
        before=$(stored "$i") kd0=$(udp_field "$port" drops)
        out=$("$LG" udp --host 127.0.0.1 --port "$port" --rate "$RATE" --count "$MSGS" --seed 42 --times "$TIMES")
        # Drained: the receive queue is empty and the stored count stopped moving for 0.4 s.
        last=-1 same=0
        for _ in $(seq 300); do
            now=$(stored "$i")
            if [[ $(udp_field "$port" rxq) == 0 && $now == "$last" ]]; then ((++same >= 2)) && break; else same=0; fi
            last=$now
            sleep 0.2
        done
        lost=$((MSGS - (now - before))) drops=$(($(udp_field "$port" drops) - kd0))
        LOST[$i]="${LOST[$i]:-} $lost"
        rate=$(sed -n 's/.* rate=\([0-9]*\) .*/\1/p' <<<"$out")
        printf 'round %d  %-40s achieved %7s/s  stored %7d  lost %6d  kernel drops %6d\n' \
            "$round" "${TARGETS[i]}" "$rate" $((now - before)) "$lost" "$drops"
        sleep 1
    done
done
echo
for i in "${!TARGETS[@]}"; do
    # shellcheck disable=SC2086
    read -r -a l <<<"${LOST[$i]}"
    sorted=$(printf '%s\n' "${l[@]}" | sort -n)
    clean=$(grep -c '^0$' <<<"$sorted" || true)
    median=$(sed -n "$(((${#l[@]} + 1) / 2))p" <<<"$sorted")
    total=$(awk "{ s += \$1 } END { print s + 0 }" <<<"$sorted")
    printf '%-40s rate %s: %d of %d trials lossless; lost median %s, max %s, total %s\n' \
        "${TARGETS[i]}" "$RATE" "$clean" "${#l[@]}" "$median" "$(tail -1 <<<"$sorted")" "$total"
done
