#!/usr/bin/env python3
"""Candidate streaming detectors for issue #28 items 2/3 (research; not what vigild runs).

Everything here is one pass, no look-ahead, bounded state per series (see each class), deterministic,
with one configuration for every file. The value range is learnt online (nothing uses a file's
minimum or maximum). Written from the published descriptions of CAD OSE (contextual anomaly
detector: quantised values, a dictionary of contexts, anomaly = share of unseen contexts, a rest
period after an alert) and of HTM's anomaly likelihood (a short average of the raw score against the
long-run distribution of the raw score, Gaussian tail probability, log scale); no NAB code was used.

Entry point for ports: `score_series2(values, **params)` -> one score in [0, 1] per value.
`FINAL2` is the recommended configuration (see bench/work/nab-helper-report.md).
"""

from __future__ import annotations

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prototype  # noqa: E402

MASK64 = (1 << 64) - 1


def mix64(h: int) -> int:
    """splitmix64's finaliser (all arithmetic modulo 2^64)."""
    h ^= h >> 30
    h = (h * 0xBF58476D1CE4E5B9) & MASK64
    h ^= h >> 27
    h = (h * 0x94D049BB133111EB) & MASK64
    h ^= h >> 31
    return h


class RangeQuantiser:
    """Levels over the range seen so far: 0 below it (a new minimum), levels + 1 above it (a new
    maximum), else 1 + min(levels - 1, floor((x - lo) / (hi - lo) * levels)); a value inside an empty
    range is level 1. The level is computed before the range takes x. State: lo, hi."""

    def __init__(self, levels: int):
        self.levels = levels
        self.lo = self.hi = None

    def level(self, x: float) -> int:
        if self.lo is None:
            self.lo = self.hi = x
        lo, hi = self.lo, self.hi
        if x < lo:
            b = 0
        elif x > hi:
            b = self.levels + 1
        elif hi <= lo:
            b = 1
        else:
            b = 1 + min(self.levels - 1, int((x - lo) / (hi - lo) * self.levels))
        if x < lo:
            self.lo = x
        if x > hi:
            self.hi = x
        return b


class ContextNovelty:
    """CAD-like contextual novelty. update(level) -> raw novelty in [0, 1].

    For each order k = 1..orders, the context is the previous k levels and the pair (context, current
    level) is a key; a key never seen is novel. raw = (number of novel orders) / orders, and a new
    extreme (level 0 or levels + 1) is fully novel (raw = 1). Keys are remembered in two bit sets of
    `bits` bits each, addressed by a 64-bit hash of (k, context, level): a key is seen if its bit is
    set in either; every key is then set in the current one; after every `generation` values the older set
    is cleared and becomes the current one (a learning/forgetting schedule, so a long stream does not
    saturate the sets). Until `orders` levels have been seen, the orders without a full context are
    skipped (raw over the available ones; 0 for the first value).
    State: 2 * bits / 8 bytes + the last `orders` levels + 2 counters.
    """

    def __init__(self, orders=4, bits=1 << 14, generation=2000):
        self.orders, self.bits, self.generation = orders, bits, generation
        self.sets = [bytearray(bits // 8), bytearray(bits // 8)]
        self.cur = 0
        self.count = 0
        self.hist: list[int] = []

    def update(self, level: int, extreme: bool) -> float:
        h = 0x9E3779B97F4A7C15
        novel = 0
        n = 0
        cur, old = self.sets[self.cur], self.sets[1 - self.cur]
        mask = self.bits - 1
        hist = self.hist
        for k in range(1, min(self.orders, len(hist)) + 1):
            h = mix64((h ^ (hist[-k] + 1)) & MASK64)  # context grows backwards one level per order
            key = mix64(h ^ ((level + 1) << 32) ^ k) & mask
            byte, bit = key >> 3, 1 << (key & 7)
            n += 1
            if not (cur[byte] & bit or old[byte] & bit):
                novel += 1
            cur[byte] |= bit  # (re)learnt in the current set, so it survives the next clearing
        hist.append(level)
        if len(hist) > self.orders:
            hist.pop(0)
        self.count += 1
        if self.generation and self.count % self.generation == 0:
            self.cur = 1 - self.cur
            self.sets[self.cur] = bytearray(self.bits // 8)
        if extreme:
            return 1.0
        return novel / n if n else 0.0


def q_function(z: float) -> float:
    """Gaussian upper tail P(Z > z)."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


class Likelihood:
    """HTM-style anomaly likelihood of a raw score stream. update(raw) -> score in [0, 1].

    m = mean of the last `short` raw scores (ring buffer). The long-run mean mu and variance v of m
    are exponentially weighted with weight max(alpha, 1/(n+1)) for the n-th value (a running mean at
    first); m is compared with them BEFORE they learn it: z = (m - mu) / max(sqrt(v), min_sd);
    score = log(Q(z) + 1e-10) / log(1e-10), clipped to [0, 1] (0.5 at Q = 1e-5, z ~ 4.3).
    State: `short` doubles + n, mu, v.
    """

    def __init__(self, short=10, alpha=0.001, min_sd=0.02):
        self.short, self.alpha, self.min_sd = short, alpha, min_sd
        self.ring = [0.0] * short
        self.pos = 0
        self.filled = 0
        self.sum = 0.0
        self.n = 0
        self.mu = 0.0
        self.v = 0.0

    def update(self, raw: float) -> float:
        self.sum += raw - self.ring[self.pos]
        self.ring[self.pos] = raw
        self.pos = (self.pos + 1) % self.short
        self.filled = min(self.filled + 1, self.short)
        m = self.sum / self.filled
        n = self.n
        self.n += 1
        if n == 0:
            self.mu, self.v = m, 0.0
            z = 0.0
        else:
            z = (m - self.mu) / max(math.sqrt(self.v), self.min_sd)
            a = max(self.alpha, 1.0 / (n + 1))
            d = m - self.mu
            self.mu += a * d
            self.v = (1.0 - a) * (self.v + a * d * d)
        s = math.log(q_function(z) + 1e-10) / math.log(1e-10)
        return min(1.0, max(0.0, s))


def ew_z(alpha, scale, warmup):
    """The current scorer's squashed EW z-score (no warm-up output, no suppression)."""
    return prototype.RateAnomalyScorer(alpha=alpha, warmup=0, scale=scale, suppress=False, warm_start=warmup)


class TransitionZ:
    """The current scorer's two halves, with two optional changes. update(x) -> raw score in [0, 1].

    novelty: RangeQuantiser(levels) bins (0 below the range, levels + 1 above it); a new extreme, or a
      bin that never followed the previous bin (followers: one bit set per bin), is novel (nw);
    z: |x - mean| / sd against the EW mean/variance before x, squashed 1 - exp(-z / scale); the n-th value
      (from 0) is learnt with weight a = max(alpha, 1 / (n + 1)) while n < warmup, else alpha.
    raw = (novelty + squashed z) / 2.
    clip (Huber): after the warm-up, the deviation learnt is d clipped to [-clip * sd, clip * sd], so a
      spike barely widens the variance and a second, smaller anomaly still stands out.
    decay: after each value the range [lo, hi] shrinks towards the EW mean by that fraction of its
      distance (lo += decay * (mean - lo), hi -= decay * (hi - mean)), so a far outlier does not stretch
      the bins for ever; a value beyond the shrunken range is a new extreme again.
    State: lo, hi, prev bin, (levels + 2) bit sets, n, mean, var.
    """

    def __init__(self, levels=4, nw=0.75, alpha=0.002, scale=10.0, warmup=150, clip=None, decay=0.0, runs=0, multi=(), dz=0.0):
        self.dz = dz
        self.dmodel = prototype.RateAnomalyScorer(alpha=alpha, warmup=0, scale=scale, suppress=False,
                                                  warm_start=warmup) if dz else None
        self.lastx = None
        self.multi = [(RangeQuantiser(l), [0] * (l + 2), [None]) for l in multi]
        self.levels, self.nw, self.alpha, self.scale, self.warmup = levels, nw, alpha, scale, warmup
        self.runs = runs
        self.run = 0
        self.longest = [0] * (levels + 2)  # per bin: the longest run seen, in log2 buckets
        self.clip, self.decay = clip, decay
        self.q = RangeQuantiser(levels)
        self.followers = [0] * (levels + 2)
        self.prev = None
        self.n = 0
        self.mean = self.var = 0.0

    def update(self, x: float) -> float:
        b = self.q.level(x)
        novelty = 0.0
        if b == 0 or b == self.levels + 1:
            novelty = self.nw
        elif self.prev is not None:
            if not (self.followers[self.prev] >> b) & 1:
                novelty = self.nw
            self.followers[self.prev] |= 1 << b
        if self.multi and not (b == 0 or b == self.levels + 1):
            novel = 1 if novelty else 0
            for q, fol, prev in self.multi:
                c = q.level(x)
                if prev[0] is not None:
                    if not (fol[prev[0]] >> c) & 1:
                        novel += 1
                    fol[prev[0]] |= 1 << c
                prev[0] = c
            novelty = self.nw * novel / (1 + len(self.multi))
        elif self.multi:
            for q, fol, prev in self.multi:
                prev[0] = q.level(x)
        if self.runs:
            self.run = self.run + 1 if b == self.prev else 1
            bucket = self.run.bit_length()  # 1, 2-3, 4-7, ... -> 1, 2, 3, ...
            if bucket > self.longest[b]:
                if self.longest[b] and bucket >= self.runs and 0 < b <= self.levels:
                    novelty = self.nw  # stayed in this bin longer than ever before
                self.longest[b] = bucket
        self.prev = b
        n = self.n
        self.n += 1
        if n == 0:
            self.mean, self.var = x, 0.0
            z = 0.0
        else:
            sd = math.sqrt(self.var) + 1e-9 * (abs(self.mean) + 1.0)
            d = x - self.mean
            z = abs(d) / sd
            a = max(self.alpha, 1.0 / (n + 1)) if n < self.warmup else self.alpha
            if self.clip is not None and n >= self.warmup:
                d = max(-self.clip * sd, min(self.clip * sd, d))
            self.mean += a * d
            self.var = (1.0 - a) * (self.var + a * d * d)
        if self.decay:
            self.q.lo += self.decay * (self.mean - self.q.lo)
            self.q.hi -= self.decay * (self.q.hi - self.mean)
        zs = 1.0 - math.exp(-z / self.scale)
        if self.dmodel is not None:
            dzs = self.dmodel.update(x - self.lastx) if self.lastx is not None else 0.0
            self.lastx = x
            zs = max(zs, self.dz * dzs)
        return (novelty + zs) / 2


class TailCalibration:
    """How rare a raw score is for this series. update(r) -> c in [0, 1].

    A histogram of the raw scores seen so far (`bins` equal bins over [0, 1], integer counts; when
    the total reaches `cap`, every count is halved, rounding down, so old scores fade and the counts
    stay bounded). Before r is counted: tail = (1 + number of counted scores in r's bin or above) /
    (1 + total); c = min(1, ln(1 / tail) / ln(k)) (c = 1 when r is in the top 1/k of the history).
    State: `bins` counters.
    """

    def __init__(self, bins=50, cap=5000, k=1000.0):
        self.bins, self.cap, self.lnk = bins, cap, math.log(k)
        self.h = [0] * bins
        self.total = 0

    def update(self, r: float) -> float:
        b = min(self.bins - 1, max(0, int(r * self.bins)))
        above = sum(self.h[b:])
        tail = (1 + above) / (1 + self.total)
        self.h[b] += 1
        self.total += 1
        if self.total >= self.cap:
            self.h = [c // 2 for c in self.h]
            self.total = sum(self.h)
        return min(1.0, math.log(1.0 / tail) / self.lnk)


class Detector2:
    """The pipeline: update(x) -> score in [0, 1].

    raw sources (per value x):
      ctx   ContextNovelty over RangeQuantiser(levels) levels (CAD-like);
      cur   prototype.TransitionScorer's score before warm-up/rest (novelty/2 + z/2);
      z     the squashed EW z-score 1 - exp(-|x - mean| / sd / scale).
    mode:
      'ctx'        s = ctx
      'ctxz'       s = (nw * ctx + z) / 2   (orders 1 and nw 0.75: the current scorer, bar warm start)
      'max'        s = max(ctx, cur)
      'mean'       s = (ctx + cur) / 2
      'cur'        s = cur
      'tz'         s = TransitionZ(levels, nw, alpha, scale, warmup, clip, decay)
    then, if lik: s = Likelihood(s) (if lik == 'max': s = max(s, Likelihood(s))).
    Output: 0 for index < warmup; a score >= base at index i silences indices i+1 .. i+rest-1 (their
    output is 0; a silenced score >= base extends the silence, one alert per episode).
    """

    def __init__(self, mode="ctxz", dz=0.0, runs=0, multi=(), cal=None, cal_bins=50, cal_cap=5000, cal_k=1000.0, levels=8, orders=4, bits=1 << 14, generation=2000, lik=None, short=10,
                 lik_alpha=0.001, min_sd=0.02, warmup=150, rest=50, base=0.6, alpha=0.002, scale=10.0,
                 cur_levels=4, nw=0.75, clip=None, decay=0.0, gate=False):
        self.mode, self.warmup, self.rest, self.base, self.nw = mode, warmup, rest, base, nw
        self.q = RangeQuantiser(levels)
        self.ctx = ContextNovelty(orders, bits, generation) if mode not in ("cur", "tz") else None
        self.cur = prototype.TransitionScorer(levels=cur_levels, order=1, warmup=0, rest=0, base=2.0,
                                              alpha=alpha, scale=scale) if mode in ("max", "mean", "cur") else None
        self.z = ew_z(alpha, scale, warmup) if mode == "ctxz" else None
        self.tz = TransitionZ(levels, nw, alpha, scale, warmup, clip, decay, runs, multi, dz) if mode == "tz" else None
        self.lik = Likelihood(short, lik_alpha, min_sd) if lik else None
        self.lik_mode = lik
        self.cal = TailCalibration(cal_bins, cal_cap, cal_k) if cal else None
        self.cal_mode = cal
        self.gate = gate
        self.index = 0
        self.last_high = -(10**9)

    def update(self, x: float) -> float:
        c = 0.0
        m = self.mode
        if self.ctx is not None and m != "tz":
            b = self.q.level(x)
            c = self.ctx.update(b, b == 0 or b == self.q.levels + 1)
        if m == "tz":
            s = self.tz.update(x)
        elif m == "ctx":
            s = c
        elif m == "ctxz":
            s = (self.nw * c + self.z.update(x)) / 2
        elif m == "cur":
            s = self.cur.update(x)
        elif m == "max":
            s = max(c, self.cur.update(x))
        else:
            s = (c + self.cur.update(x)) / 2
        if self.lik is not None:
            l = self.lik.update(s)
            s = max(s, l) if self.lik_mode == "max" else l
        if self.cal is not None:
            c = self.cal.update(s)
            cm = self.cal_mode
            s = (s + c) / 2 if cm == "mean" else s * c if cm == "mul" else math.sqrt(s * c) if cm == "geo" else c
        i = self.index
        self.index += 1
        if i < self.warmup:
            return 0.0
        silenced = i - self.last_high < self.rest
        if s >= self.base:
            self.last_high = i
        if self.gate and s < self.base:
            return 0.0
        return 0.0 if silenced else s


# Recommended: the current scorer's raw score (TransitionZ, levels 4 -- the same novelty/2 + z/2 as
# prototype.TransitionScorer), maxed with the HTM-style likelihood of that raw score, then warm-up and rest.
# Chosen by loco.py --detector d2_likmax (the grid point chosen most often by the five folds).
FINAL2 = dict(mode="tz", levels=4, lik="max", short=10, lik_alpha=0.001, min_sd=0.05,
              warmup=150, rest=50, base=0.6, alpha=0.002, scale=10.0)


def score_series2(values, **params):
    """Per-row scores in [0, 1] of Detector2(**params) (FINAL2 when no parameters are given)."""
    d = Detector2(**(params or FINAL2))
    return [d.update(v) for v in values]


def main(argv=None) -> int:
    import argparse
    import csv
    import nab_score as ns
    ap = argparse.ArgumentParser(description="detectors2: --csv FILE prints timestamp,value,anomaly_score "
                                 "(FINAL2); --write DIR writes NAB-layout reference outputs; --compare DIR "
                                 "checks a port's outputs row by row")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--csv")
    g.add_argument("--write")
    g.add_argument("--compare")
    ap.add_argument("-d", "--detector", default="d2")
    ap.add_argument("--tol", type=float, default=1e-9)
    ap.add_argument("--nab", default=ns.DEFAULT_NAB)
    a = ap.parse_args(argv)
    if a.csv:
        with open(a.csv, newline="") as f:
            r = csv.reader(f)
            h = next(r)
            ti, vi = h.index("timestamp"), h.index("value")
            rows = [row for row in r if row]
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["timestamp", "value", "anomaly_score"])
        for row, sc in zip(rows, score_series2([float(row[vi]) for row in rows])):
            out.writerow([row[ti], row[vi], repr(sc)])
        return 0
    corpus = ns.load_corpus(a.nab)
    bad = 0
    for rel, df in corpus.items():
        ours = score_series2(df.values)
        cat, name = os.path.split(rel)
        path = os.path.join(a.write or a.compare, cat, f"{a.detector}_{name}")
        if a.write:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["timestamp", "value", "anomaly_score"])
                for t, v, sc in zip(df.timestamps, df.values, ours):
                    w.writerow([t.isoformat(sep=" "), repr(v), repr(sc)])
            continue
        if not os.path.exists(path):
            print(f"  missing: {path}")
            bad += 1
            continue
        theirs = ns.read_anomaly_scores(path)
        diffs = [abs(x - y) for x, y in zip(ours, theirs)]
        if len(theirs) != len(ours) or (diffs and max(diffs) > a.tol):
            j = next((i for i, e in enumerate(diffs) if e > a.tol), len(diffs))
            print(f"  {rel}: {len(theirs)} rows (expected {len(ours)}), first difference at row {j}")
            bad += 1
    if a.compare:
        print(f"{len(corpus) - bad}/{len(corpus)} files match detectors2.FINAL2 within {a.tol:g}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
