# Shared by bench/daemon-ab.sh and bench/daemon-callgrind.sh (sourced): a throw-away vigild
# configuration, and its metrics. Both need UDP_PORT and HTTP_PORT set.

# write_vigild_config DIR [HTTP_LINES] [MORE_TABLES]: DIR/conf/vigil.toml storing into DIR/data,
# with syslog over UDP (32 MiB receive buffer) and HTTP on 127.0.0.1 and journald off.
# HTTP_LINES go into [inputs.http]; MORE_TABLES are appended.
write_vigild_config() {
    local dir=$1 http_lines=${2:-} more_tables=${3:-}
    mkdir -p "$dir/conf" "$dir/data"
    cat >"$dir/conf/vigil.toml" <<C
data_dir = "$dir/data"
[inputs.syslog_udp]
listen = "127.0.0.1:$UDP_PORT"
receive_buffer = "32MiB"
[inputs.http]
listen = "127.0.0.1:$HTTP_PORT"
$http_lines
[inputs.journald]
enabled = false
$more_tables
C
}

# metrics: vigild's /metrics text.
metrics() { curl -fs "http://127.0.0.1:$HTTP_PORT/metrics"; }

# metric 'NAME{labels}' [TEXT]: the sum of that series' samples, as an integer, in TEXT (a /metrics
# text read earlier) or in vigild's /metrics now.
metric() {
    awk -v k="$1" '$1 == k {s += $2} END {printf "%.0f\n", s}' <<<"${2:-$(metrics)}"
}
