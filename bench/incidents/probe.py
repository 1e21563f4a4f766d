#!/usr/bin/env python3
"""Clients for bench/incidents-bench.sh, against a running vigild (standard library only).

  probe.py ttd --logs URL --api URL --token T [--bursts 200] [--gap 0.05]
      Time to detect: each burst is six err records of a new service, stamped now, POSTed as NDJSON
      (the default rule fires above five in 60 s). Time to detect = the incident's opened_at (when its
      transaction committed) - the moment the POST was sent; both are this machine's wall clock.
  probe.py list --api URL --token T [--runs 50] [--limit 50]
      GET /v1/incidents?limit=N latency, a new connection each time.
  probe.py storm --logs URL --api URL --token T [--seconds 10] [--services 1000]
      While one thread posts bursts that open `services` incidents at once, again and again, the main
      thread GETs /v1/incidents?limit=50 every 50 ms: the API's latency during a signal storm.
"""
import argparse, json, statistics, sys, threading, time, urllib.request
from datetime import datetime, timezone


def rfc3339_now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def post_logs(url, services, count=6):
    now = rfc3339_now()
    lines = [json.dumps({"time": now, "service": s, "level": "err", "message": f"upstream timed out {i}"})
             for s in services for i in range(count)]
    request = urllib.request.Request(url + "/v1/logs", data=("\n".join(lines) + "\n").encode(),
                                     headers={"Content-Type": "application/x-ndjson"}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 204, answer.status


def get(api, path, token):
    request = urllib.request.Request(api + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def all_incidents(api, token):
    incidents, cursor = [], None
    while True:
        page = get(api, "/v1/incidents?limit=1000" + (f"&cursor={cursor}" if cursor else ""), token)
        incidents += page["incidents"]
        cursor = page["next_cursor"]
        if not cursor:
            return incidents


def parse_time(text):
    # RFC 3339 with nanoseconds, UTC: keep the nanoseconds exactly.
    whole, _, fraction = text.rstrip("Z").partition(".")
    seconds = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    return int(seconds) * 1_000_000_000 + int((fraction or "0").ljust(9, "0")[:9])


def summary(values_ms):
    values = sorted(values_ms)
    if not values:
        return "none"
    def pct(p):
        return values[min(len(values) - 1, max(0, int(round(p * len(values) + 0.5)) - 1))]
    return f"n={len(values)} p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms, max {values[-1]:.1f} ms"


def ttd(args):
    run = int(time.time())
    sent = {}
    for i in range(args.bursts):
        service = f"ttd-{run}-{i}"
        sent[service] = time.time_ns()
        post_logs(args.logs, [service])
        time.sleep(args.gap)
    time.sleep(3)
    opened = {}
    for incident in all_incidents(args.api, args.token):
        service = incident["labels"].get("service")
        if service in sent:
            opened[service] = parse_time(incident["opened_at"])
    delays = [(opened[s] - sent[s]) / 1e6 for s in sent if s in opened]
    print(f"time to detect (POST sent -> incident committed): {summary(delays)}; "
          f"{len(sent) - len(opened)} of {len(sent)} bursts opened no incident within 3 s")


def list_latency(args):
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        page = get(args.api, f"/v1/incidents?limit={args.limit}", args.token)
        times.append((time.perf_counter() - start) * 1000)
        assert len(page["incidents"]) == args.limit
    print(f"GET /v1/incidents?limit={args.limit}: {summary(times)}")


def storm(args):
    stop = time.time() + args.seconds
    posted = [0]
    def post_forever():
        round_ = 0
        while time.time() < stop:
            post_logs(args.logs, [f"storm-{int(stop)}-{round_}-{i}" for i in range(args.services)])
            posted[0] += args.services
            round_ += 1
    before = get(args.api, "/v1/incidents?limit=1", args.token)["incidents"]
    first = before[0]["number"] if before else 0
    worker = threading.Thread(target=post_forever)
    worker.start()
    times = []
    while time.time() < stop:
        start = time.perf_counter()
        get(args.api, "/v1/incidents?limit=50", args.token)
        times.append((time.perf_counter() - start) * 1000)
        time.sleep(0.05)
    worker.join()
    time.sleep(3)
    last = get(args.api, "/v1/incidents?limit=1", args.token)["incidents"][0]["number"]
    print(f"during a storm ({posted[0]} services' bursts posted in {args.seconds} s, "
          f"{last - first} incidents opened): GET /v1/incidents?limit=50 {summary(times)}")


parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("mode", choices=["ttd", "list", "storm"])
parser.add_argument("--logs", default="http://127.0.0.1:8080")
parser.add_argument("--api", default="http://127.0.0.1:8081")
parser.add_argument("--token", required=True)
parser.add_argument("--bursts", type=int, default=200)
parser.add_argument("--gap", type=float, default=0.05)
parser.add_argument("--runs", type=int, default=50)
parser.add_argument("--limit", type=int, default=50)
parser.add_argument("--seconds", type=int, default=10)
parser.add_argument("--services", type=int, default=1000)
args = parser.parse_args()
{"ttd": ttd, "list": list_latency, "storm": storm}[args.mode](args)
