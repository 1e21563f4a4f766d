#!/usr/bin/env python3
# Does one HTTP poster's rate hold up while the store grows? (#27: the flood benchmark compares a
# poster beside a flood with the same poster alone, so a rate that falls on its own biases it.)
#   python3 bench/http-drift.py VIGILD [SECONDS=150] [WINDOW=15]
# Run it for two binaries, interleaved, and compare last ÷ first (bench/RESULTS.md § HTTP hardening).
# vigild under ulimit -n 1024 with http-flood.py's configuration; vigild and one kept-alive poster of
# 10-record NDJSON batches pinned to CPU 0 (as diag.py and `http-flood.py --pin`), no flood.
# Every WINDOW seconds: records/s, vigild CPU (utime+stime of /proc/PID/stat) per 1,000 records,
# .vseg bytes. At the end: first window, last window, last ÷ first.
import http.client, json, os, shutil, signal, socket, subprocess, sys, tempfile, time
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
vigild = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 150
window = float(sys.argv[3]) if len(sys.argv) > 3 else 15
work = tempfile.mkdtemp(prefix="vigil-drift-")
hp, ap = free_port(), free_port()
os.makedirs(work + "/etc")
open(work + "/etc/vigil.toml", "w").write(f'data_dir = "{work}/data"\n[inputs.syslog_udp]\nenabled = false\n[inputs.journald]\nenabled = false\n'
    f'[inputs.http]\nlisten = "127.0.0.1:{hp}"\n[api]\nlisten = "127.0.0.1:{ap}"\n')
d = subprocess.Popen(["/bin/sh", "-c", 'ulimit -n 1024 && exec "$0" "$@"', vigild, "--config", work + "/etc"],
                     stdout=open(work + "/log", "w"), stderr=subprocess.STDOUT)
os.sched_setaffinity(0, {0}); time.sleep(0.2)
for t in os.listdir(f"/proc/{d.pid}/task"): os.sched_setaffinity(int(t), {0})
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    s = open(f"/proc/{d.pid}/stat").read(); f = s[s.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])
def seg():
    return sum(os.path.getsize(os.path.join(work, "data", f)) for f in os.listdir(work + "/data") if f.endswith(".vseg"))
rows = []
try:
    for _ in range(100):
        try: socket.create_connection(("127.0.0.1", hp), timeout=1).close(); break
        except OSError: time.sleep(0.1)
    body = ("\n".join(json.dumps({"service": "bench", "message": f"line {i}"}) for i in range(10)) + "\n").encode()
    c = http.client.HTTPConnection("127.0.0.1", hp, timeout=10)
    start = time.time(); mark = start; n = 0; c0 = cpu()
    print(f"{vigild} pid {d.pid} start {time.strftime('%H:%M:%S', time.gmtime(start))} UTC load {open('/proc/loadavg').read().split()[0]}", flush=True)
    while len(rows) < round(seconds / window):
        c.request("POST", "/v1/logs", body, {"Content-Type": "application/x-ndjson"}); r = c.getresponse(); r.read()
        assert r.status == 204, r.status
        n += 1
        now = time.time()
        if now - mark >= window:
            c1 = cpu(); recs = n * 10
            row = (now - start, recs / (now - mark), (c1 - c0) * 1000 / tick / recs * 1000, seg() / 1e6)
            rows.append(row)
            print(f"t={row[0]:5.0f}s {row[1]:7,.0f} rec/s  vigild CPU {row[2]:6.1f} ms/1000 rec  seg {row[3]:5.1f} MB", flush=True)
            mark, n, c0 = now, 0, c1
    f, l = rows[0], rows[-1]
    print(f"SUMMARY {vigild}: first {window:.0f} s {f[1]:,.0f} rec/s {f[2]:.1f} ms/1000; last {window:.0f} s {l[1]:,.0f} rec/s {l[2]:.1f} ms/1000; "
          f"rate last/first {l[1]/f[1]:.3f}; CPU/1000 last/first {l[2]/f[2]:.3f}; load {open('/proc/loadavg').read().split()[0]}", flush=True)
finally:
    d.terminate(); d.wait(); shutil.rmtree(work, ignore_errors=True)
