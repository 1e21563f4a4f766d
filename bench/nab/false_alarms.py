#!/usr/bin/env python3
"""False alarms per day of vigild's rate detector on steady count streams (#28).

Generates, with a seed, record counts per 10 s bucket of streams that have nothing wrong with
them: Poisson counts of a few means, flat and with a daily cycle (±50 %), three days each, and
scores each with `vigil detect-series --bucket 10s` (the scorer vigild's rate detector runs, with
the defaults of conf.d/30-detect.toml). A row whose score reaches the open threshold is a bucket
in which vigild would open a rate signal if the count also passed min_count (spikes: at least
min_count records; drops: at least min_count expected); both counts are printed, per day.

Usage: false_alarms.py [--vigil BIN] [--days 3] [--seed 7] [--config DIR] [--open 0.6] [--min-count 10]
(--config is passed to detect-series; --open and --min-count must then match its settings)
"""

from __future__ import annotations

import argparse
import math
import random
import subprocess
import sys

BUCKETS_PER_DAY = 8640


def poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vigil", default="/work/main/.build/release/vigil")
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--config", help="configuration directory passed to detect-series")
    ap.add_argument("--open", type=float, default=0.6, help="open_threshold (default 0.6)")
    ap.add_argument("--min-count", type=int, default=10, help="min_count (default 10)")
    a = ap.parse_args()

    print("| stream | alerts per day (day 1 / later days) | would open (count floor) per day (day 1 / later) |")
    print("|---|---|---|")
    totals = [0, 0, 0]
    for mean in (2, 10, 50, 200, 2000):
        for cycle in (False, True):
            rng = random.Random(a.seed * 1000 + mean * 2 + cycle)
            n = a.days * BUCKETS_PER_DAY
            counts = []
            for i in range(n):
                m = mean * (1 + 0.5 * math.sin(2 * math.pi * i / BUCKETS_PER_DAY)) if cycle else mean
                counts.append(poisson(rng, m))
            csv = "timestamp,value\n" + "".join(f"{1_781_481_600 + 10 * i},{c}\n" for i, c in enumerate(counts))
            command = [a.vigil, "detect-series", "--bucket", "10s", "--csv", "-"] + (["--config", a.config] if a.config else [])
            out = subprocess.run(command, input=csv,
                                 capture_output=True, text=True, check=True).stdout.splitlines()[1:]
            scores = [float(line.rsplit(",", 1)[1]) for line in out]
            assert len(scores) == n, (len(scores), n)
            alerts = [i for i, s in enumerate(scores) if s >= a.open]
            # The floor as vigild applies it: a spike needs min_count records, a drop an
            # expectation of min_count (the stream's mean stands in for the expectation).
            opens = [i for i in alerts if counts[i] >= a.min_count or (counts[i] < mean and mean >= a.min_count)]
            def per_day(rows):
                first = sum(1 for i in rows if i < BUCKETS_PER_DAY)
                later = (len(rows) - first) / max(1, a.days - 1)
                return f"{first} / {later:.2f}"
            name = f"Poisson {mean}/bucket" + (", daily cycle" if cycle else "")
            print(f"| {name} | {per_day(alerts)} | {per_day(opens)} |")
            totals[0] += 1
            totals[1] += sum(1 for i in opens if i >= BUCKETS_PER_DAY)
            totals[2] += sum(1 for i in opens if i < BUCKETS_PER_DAY)
    later_days = totals[0] * max(1, a.days - 1)
    print(f"\nwould open, mean per stream and day: day 1 {totals[2] / totals[0]:.2f}, later days {totals[1] / later_days:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
