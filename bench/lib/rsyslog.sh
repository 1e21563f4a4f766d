# Shared by bench/daemon-bench.sh, bench/daemon-threads.sh and bench/udp-trials.sh (sourced): the
# baseline's configuration, and the kernel's counters of a UDP socket.

# write_rsyslog_config DIR PORT: DIR/rsyslog.conf for Debian's rsyslogd, imudp on 127.0.0.1:PORT
# (32 MiB receive buffer, as vigild gets) → omfile DIR/messages.log.
write_rsyslog_config() {
    cat >"$1/rsyslog.conf" <<C
global(workDirectory="$1")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$2" rcvbufSize="32m")
action(type="omfile" file="$1/messages.log")
C
}

# udp_field PORT rxq|drops: the receive-queue bytes or the kernel's drops of the UDP sockets bound
# to a local port (/proc/net/udp).
udp_field() {
    local line sum=0
    while read -r line; do sum=$((sum + line)); done < <(
        awk -v p=":$(printf '%04X' "$1")" -v f="$2" 'NR > 1 && substr($2, length($2) - 4) == p {
            split($5, q, ":"); if (f == "rxq") print "16#" q[2]; else print $NF }' /proc/net/udp)
    echo "$sum"
}
