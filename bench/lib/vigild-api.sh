# Shared by bench/incidents-bench.sh and bench/webhooks-bench.sh (sourced): a throw-away vigild with
# the logs input and the management API on free ports. Needs BIN (the directory of vigild) and TOKEN.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_vigild DATA_DIR [MORE_TABLES]: vigild storing into DATA_DIR, journald off, the API accepting
# TOKEN; MORE_TABLES are appended to its vigil.toml. Sets PID, LOGS and API (base URLs).
start_vigild() {
    local data=$1 udp http api
    udp=$(free_port); http=$(free_port); api=$(free_port)
    mkdir -p "$data/etc"
    cat > "$data/etc/vigil.toml" <<TOML
data_dir = "$data"
[inputs.syslog_udp]
listen = "127.0.0.1:$udp"
[inputs.journald]
enabled = false
[inputs.http]
listen = "127.0.0.1:$http"
[api]
listen = "127.0.0.1:$api"
tokens = ["$TOKEN"]
${2:-}
TOML
    "$BIN/vigild" --config "$data/etc" > "$data/vigild.log" 2>&1 &
    PID=$!
    LOGS=http://127.0.0.1:$http API=http://127.0.0.1:$api
    for _ in $(seq 100); do curl -sf "$API/healthz" >/dev/null 2>&1 && curl -sf "$LOGS/healthz" >/dev/null 2>&1 && return; sleep 0.1; done
    echo "vigild did not start:"; cat "$data/vigild.log"; exit 1
}

stop_vigild() { kill "$PID"; wait "$PID" || true; }
