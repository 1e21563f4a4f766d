#!/usr/bin/env python3
"""The idle-connection flood benchmark (bench/RESULTS.md § HTTP hardening), standard library only.

  bench/http-flood.py --vigild .build/release/vigild [--connections 10000] [--seconds 10] [--rounds 5] [--pin]

Starts vigild with `ulimit -n 1024` (each HTTP listener then takes 256 connections), then, for
`--seconds` each and `--rounds` times, interleaved: one client posting 10-record NDJSON batches over a
kept-alive connection alone, and the same beside a second process that opens `--connections` idle
connections as fast as it can (a new flooder each round). Prints each round's latency (p50, p99,
max) and records/s, then the medians and the ratio of the median records/s (flood / alone): on a
shared machine one round of each is noisier than the effect measured.
"""
import argparse, http.client, json, multiprocessing, os, resource, shutil, socket, subprocess, sys, tempfile, threading, time

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def post_for(port, seconds):
    body = ("\n".join(json.dumps({"service": "bench", "message": f"line {i}"}) for i in range(10)) + "\n").encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    latencies, deadline = [], time.time() + seconds
    while time.time() < deadline:
        start = time.perf_counter()
        try:
            connection.request("POST", "/v1/logs", body, {"Content-Type": "application/x-ndjson"})
            answer = connection.getresponse(); answer.read()
            assert answer.status == 204, answer.status
        except (ConnectionError, http.client.HTTPException):
            connection.close(); connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
    return len(latencies) * 10 / seconds, pct(0.5), pct(0.99), latencies[-1]

def flood(port, count, stop, opened, cpu):
    # A process of its own: as a thread beside the poster it would take the poster's turns at
    # Python's interpreter lock, and the poster's rate would measure the benchmark, not vigild.
    if cpu is not None: os.sched_setaffinity(0, {cpu})
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 512), hard))
    sockets = []
    while not stop.is_set() and opened.value < count:
        try:
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=5)); opened.value += 1
        except OSError:
            pass
    stop.wait()
    for s in sockets: s.close()

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--vigild", required=True)
parser.add_argument("--connections", type=int, default=10000)
parser.add_argument("--seconds", type=float, default=10)
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--pin", action="store_true",
                    help="vigild and the poster on CPU 0, the flooding client on CPU 1, in both phases: what is "
                         "left is vigild's own cost of the flood, not the flooding client's CPU")
args = parser.parse_args()
work = tempfile.mkdtemp(prefix="vigil-flood-")
http_port, api_port = free_port(), free_port()
os.makedirs(work + "/etc")
with open(work + "/etc/vigil.toml", "w") as f:
    f.write(f'data_dir = "{work}/data"\n[inputs.syslog_udp]\nenabled = false\n[inputs.journald]\nenabled = false\n'
            f'[inputs.http]\nlisten = "127.0.0.1:{http_port}"\n[api]\nlisten = "127.0.0.1:{api_port}"\n')
daemon = subprocess.Popen(["/bin/sh", "-c", 'ulimit -n 1024 && exec "$0" "$@"', args.vigild, "--config", work + "/etc"],
                          stdout=open(work + "/log", "w"), stderr=subprocess.STDOUT)
if args.pin:
    os.sched_setaffinity(0, {0})
    time.sleep(0.2)
    for task in os.listdir(f"/proc/{daemon.pid}/task"):
        os.sched_setaffinity(int(task), {0})
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", http_port), timeout=1).close(); break
        except OSError:
            time.sleep(0.1)
    alones, floods, opened_counts = [], [], []
    for round_ in range(1, args.rounds + 1):
        alone = post_for(http_port, args.seconds)
        stop, opened = multiprocessing.Event(), multiprocessing.Value("i", 0)
        flooder = multiprocessing.Process(target=flood, args=(http_port, args.connections, stop, opened, 1 if args.pin else None)); flooder.start()
        time.sleep(0.5)
        flooded = post_for(http_port, args.seconds)
        stop.set(); flooder.join()
        alones.append(alone); floods.append(flooded); opened_counts.append(opened.value)
        print(f"round {round_} alone:  {alone[0]:,.0f} records/s, POST latency p50 {alone[1]:.2f} ms, p99 {alone[2]:.2f} ms, max {alone[3]:.2f} ms")
        print(f"round {round_} beside {opened.value:,} idle connections: {flooded[0]:,.0f} records/s ({flooded[0] / alone[0]:.2f} of alone), "
              f"p50 {flooded[1]:.2f} ms, p99 {flooded[2]:.2f} ms, max {flooded[3]:.2f} ms", flush=True)
    median = lambda values: sorted(values)[len(values) // 2]
    metrics = subprocess.run(["curl", "-s", f"http://127.0.0.1:{http_port}/metrics"], capture_output=True, text=True).stdout
    evicted = [l for l in metrics.splitlines() if l.startswith('vigil_http_connections_evicted_total{listener="http"}')]
    alone_rate, flood_rate = median([a[0] for a in alones]), median([f[0] for f in floods])
    print(f"medians of {args.rounds} rounds: alone {alone_rate:,.0f} records/s, p99 {median([a[2] for a in alones]):.2f} ms; "
          f"beside the flood {flood_rate:,.0f} records/s, p99 {median([f[2] for f in floods]):.2f} ms; "
          f"ratio {flood_rate / alone_rate:.2f}; {evicted[0] if evicted else 'no eviction metric'}")
    print("'Too many open files' in vigild's log:", "yes" if "Too many open files" in open(work + "/log").read() else "no")
finally:
    daemon.terminate(); daemon.wait(); shutil.rmtree(work, ignore_errors=True)
