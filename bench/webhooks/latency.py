#!/usr/bin/env python3
"""End-to-end webhook latency for bench/webhooks-bench.sh: each burst is six err records of a new
service, stamped now, POSTed as NDJSON to vigild's logs input (the default rule fires above five in
60 s); latency = the receiver's receipt of the `opened` notification - the moment the POST was sent
(both this machine's wall clock).

usage: latency.py LOGS_URL RECEIVER_LOG [--bursts 250] [--gap 0.05]
"""
import argparse, json, time, urllib.request
from datetime import datetime, timezone

parser = argparse.ArgumentParser()
parser.add_argument("logs")
parser.add_argument("receiver_log")
parser.add_argument("--bursts", type=int, default=250)
parser.add_argument("--gap", type=float, default=0.05)
args = parser.parse_args()

run = int(time.time())
sent = {}
for i in range(args.bursts):
    service = f"e2e-{run}-{i}"
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = "".join(json.dumps({"time": now, "service": service, "level": "err", "message": f"upstream timed out {n}"}) + "\n" for n in range(6))
    request = urllib.request.Request(args.logs + "/v1/logs", data=body.encode(), headers={"Content-Type": "application/x-ndjson"}, method="POST")
    sent[service] = time.time_ns()
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 204
    time.sleep(args.gap)
time.sleep(3)
received = {}
for line in open(args.receiver_log):
    at, _, service, kind = line.split()
    if kind == "com.vigil.incident.opened.v1" and service in sent:
        received.setdefault(service, int(at))
delays = sorted((received[s] - sent[s]) / 1e6 for s in sent if s in received)


def pct(p):
    return delays[min(len(delays) - 1, max(0, int(round(p * len(delays) + 0.5)) - 1))]


print(f"POST of the log batch -> opened webhook received: n={len(delays)} p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, "
      f"max {delays[-1]:.1f} ms; {len(sent) - len(delays)} of {len(sent)} bursts not received within 3 s")
