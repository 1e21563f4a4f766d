#!/usr/bin/env python3
"""False alarms and time to detect of vigild's detectors on 24 h of steady traffic (issue #28).

    python3 bench/detect_false_alarms.py --vigil .build/release/vigil [--config .] [--hours 24]
        [--rate 1000] [--seed 42] [--inject]

Generates, with bench/gen_corpus.py's 57 services and their message templates and background
error and warning shares, a steady stream of `--rate` records per second (Poisson arrivals, a few
seconds of out-of-order jitter on 4 % of them, no error bursts) over `--hours` of event time, as
NDJSON, and pipes it through `vigil replay --config DIR -o json -` (the daemon's detection code,
on event time; nothing is waited for). Prints the signals opened per detector and per day.

With --inject, five anomalies are added, each to a different busy service, and the script reports
whether each was found (a signal of the expected detector whose key names the service, opened
after the anomaly began and before it ended plus 10 minutes) and its time to detect (event time
from the anomaly's start to the signal's opening):

    spike          at 6 h: the service's normal rate ×10 for 10 min
    drop           at 9 h: 90 % of its records vanish for 20 min
    quiet          at 12 h: it logs nothing for 30 min
    new template   at 15 h: a message never seen before, 4 per minute for 10 min
    error ratio    at 18 h: 25 % of its records are errors for 15 min (same rate)
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus as gc  # noqa: E402

START = gc.START
HOUR = 3600.0


class Anomaly:
    def __init__(self, kind: str, at_hours: float, minutes: float, detectors: tuple[str, ...]):
        self.kind, self.start, self.end, self.detectors = kind, START + at_hours * HOUR, START + at_hours * HOUR + minutes * 60, detectors
        self.service: gc.Service | None = None


def anomalies() -> list[Anomaly]:
    return [
        Anomaly("spike", 6, 10, ("rate",)),
        Anomaly("drop", 9, 20, ("rate",)),
        Anomaly("quiet", 12, 30, ("rate", "rule")),
        Anomaly("new template", 15, 10, ("new_template",)),
        Anomaly("error ratio", 18, 15, ("error_ratio", "rule")),
    ]


def generate(out, rate: float, hours: float, seed: int, inject: list[Anomaly]) -> dict:
    rng = random.Random(seed)
    r = rng.random
    tf = gc.TimeFormats()
    ctx = gc.Ctx()
    v = gc.V(rng, ctx, tf)
    services = gc.build_services(v, ctx)
    # Each service's share of the traffic: its weight within each format, times the format's share.
    share = Counter()
    for f, fshare in enumerate(gc.FORMAT_SHARE):
        names = [s for s in services if f in s.formats]
        total = sum(s.formats[f] for s in names)
        for s in names:
            share[s.name] += fshare * s.formats[f] / total
    ranked = sorted(services, key=lambda s: -share[s.name])
    cum, acc = [], 0.0
    for s in ranked:
        acc += share[s.name]
        cum.append(acc)
    # Busy services (ranks 2, 4, 6, 8, 10) get the anomalies.
    for i, a in enumerate(inject):
        a.service = ranked[2 + 2 * i]
    end = START + hours * HOUR
    t = float(START)
    lines = 0
    per_service = Counter()
    buf = []

    def emit(svc: gc.Service, host: str, ts: float, sev: int, msg: str) -> None:
        nonlocal lines
        sec = int(ts)
        if '"' in msg or "\\" in msg:
            msg = json.dumps(msg)[1:-1]
        buf.append(f'{{"time":"{tf(sec)[1]}.{int((ts - sec) * 1e3):03d}Z","level":"{svc.levels[sev]}",'
                   f'"service":"{svc.name}","host":"{host}","msg":"{msg}"}}\n')
        lines += 1
        per_service[svc.name] += 1

    def normal_line(svc: gc.Service, ts: float, err_p: float | None = None) -> None:
        host = svc.hosts[int(r() * len(svc.hosts))]
        ctx.t, ctx.host, ctx.service = ts, host, svc.name
        sev, fn = gc.pick(svc, r, svc.err_p if err_p is None else err_p)
        emit(svc, host, ts, sev, fn())

    next_new = {id(a): a.start for a in inject if a.kind == "new template"}
    while t < end:
        t += rng.expovariate(rate)
        ts = t
        if r() < 0.04:
            ts = max(float(START), t - 0.2 - 4.8 * r())
        svc = ranked[bisect.bisect_left(cum, r() * acc)]
        err_p = None
        skip = False
        for a in inject:
            if a.service is svc and a.start <= ts < a.end:
                if a.kind == "drop":
                    skip = r() < 0.9
                elif a.kind == "quiet":
                    skip = True
                elif a.kind == "error ratio":
                    err_p = 0.25
        if not skip:
            normal_line(svc, ts, err_p)
        for a in inject:
            if a.start <= ts < a.end:
                if a.kind == "spike" and r() < 9 * share[a.service.name]:
                    normal_line(a.service, ts)
                elif a.kind == "new template" and ts >= next_new[id(a)]:
                    next_new[id(a)] += 15.0
                    host = a.service.hosts[0]
                    emit(a.service, host, ts, gc.ERR,
                         f"certificate chain for upstream gateway rejected: depth {int(r() * 9) + 2} exceeds verify limit")
        if len(buf) >= 4096:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    out.close()
    return {"lines": lines, "services": len(services), "per_service": per_service}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vigil", default="/work/main/.build/release/vigil")
    ap.add_argument("--config", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--hours", type=float, default=24)
    ap.add_argument("--rate", type=float, default=1000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--inject", action="store_true")
    a = ap.parse_args()

    inject = anomalies() if a.inject else []
    started = time.monotonic()
    proc = subprocess.Popen([a.vigil, "replay", "--config", a.config, "--format", "json", "-o", "json", "-"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The reader only collects lines: parsing them here would take the generator's interpreter lock.
    raw: list[str] = []
    reader = threading.Thread(target=lambda: raw.extend(proc.stdout))
    reader.start()
    stats = generate(proc.stdin, a.rate, a.hours, a.seed, inject)
    reader.join()
    signals = [json.loads(l) for l in raw if l.strip()]
    err = proc.stderr.read()
    if proc.wait() != 0:
        print(err, file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    days = a.hours / 24
    opened = [s for s in signals if s.get("status") == "firing"]
    print(f"{stats['lines']:,} records over {a.hours:g} h ({a.rate:g}/s, seed {a.seed}, {stats['services']} services), "
          f"{len(opened)} signals opened, {elapsed:.0f} s")
    print(err.strip())

    def detector(s: dict) -> str:
        return s.get("detector") or s.get("name", "?")

    def belongs(s: dict, a: Anomaly) -> bool:
        return a.service.name in json.dumps(s.get("key", "")) + s.get("title", "")

    injected = [s for s in opened if any(belongs(s, x) and x.start - 60 <= t0(s) <= x.end + 600 for x in inject)]
    background = [s for s in opened if s not in injected]
    print("\nopened per detector (outside the injected anomalies), and per day:")
    for name, n in sorted(Counter(detector(s) for s in background).items()):
        print(f"  {name:14s} {n:6d}   {n / days:8.2f} per day")
    if inject:
        print("\ninjected anomalies:")
        for x in inject:
            found = sorted((s for s in opened if belongs(s, x) and detector(s) in x.detectors and x.start <= t0(s) <= x.end + 600),
                           key=t0)
            if found:
                s = found[0]
                print(f"  {x.kind:13s} {x.service.name:18s} found by {detector(s)} ({s.get('name')}) "
                      f"after {t0(s) - x.start:6.0f} s of event time")
            else:
                print(f"  {x.kind:13s} {x.service.name:18s} NOT found")
    return 0


def t0(s: dict) -> float:
    """A signal's opening time: the end of its event-time range when it fired, in seconds."""
    v = s.get("end") or s.get("start") or ""
    whole, _, frac = v.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + float("0." + (frac or "0"))


if __name__ == "__main__":
    sys.exit(main())
