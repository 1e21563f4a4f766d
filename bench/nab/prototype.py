#!/usr/bin/env python3
"""Prototype of Vigil's streaming rate-anomaly scorer, scored with NAB.

The algorithm (documented for porting in ALGORITHM.md, `TransitionScorer`) is
the mean of the novelty of quantised transitions and an exponentially weighted
mean/variance z-score squashed to [0, 1], with a warm-up and a rest period after
an alert. One configuration is used for every file, chosen by
leave-one-category-out cross-validation (loco.py); nothing is tuned per file.

Usage:
  prototype.py --eval [-v] [--nab DIR]      NAB scores of the final configuration
  prototype.py --ablation [--nab DIR]       scores of variants and nearby parameters
  prototype.py --csv FILE                   print timestamp,value,anomaly_score for a
                                            timestamp,value CSV (a stand-in for
                                            `vigil detect-series --csv FILE`)
  prototype.py --compare DIR [-d vigil]     compare a port's outputs (run_vigil.sh's
                                            DIR/<category>/<detector>_<file>.csv) with
                                            this prototype, row by row
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
from collections import deque

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


class RateAnomalyScorer:
    """Streaming scorer: update(x) -> anomaly score in [0, 1].

    State: n, mean, var and a ring buffer of the last `suppress_window` raw
    scores -- O(suppress_window) memory, O(1) amortised work per value.
    """

    def __init__(self, alpha=0.002, warmup=150, scale=10.0, suppress_window=100, damp=0.5,
                 suppress=True, warm_start=0):
        self.alpha = alpha
        self.warm_start = warm_start  # values weighed at least 1/n (a running mean at first)
        self.warmup = warmup
        self.scale = scale
        self.suppress_window = suppress_window
        self.damp = damp
        self.suppress = suppress
        self.n = 0
        self.mean = 0.0
        self.var = 0.0
        self.recent = deque(maxlen=suppress_window)  # raw scores after warm-up

    def update(self, x: float) -> float:
        n = self.n
        self.n = n + 1
        if n == 0:
            self.mean = x
            self.var = 0.0
            return 0.0
        # 1. z-score against the model *before* this value
        sd = math.sqrt(self.var) + 1e-9 * (abs(self.mean) + 1.0)
        d = x - self.mean
        z = abs(d) / sd
        # 2. update the exponentially weighted mean and variance
        a = max(self.alpha, 1.0 / (n + 1)) if n < self.warm_start else self.alpha
        self.mean += a * d
        self.var = (1.0 - a) * (self.var + a * d * d)
        # 3. warm-up: no score for the first `warmup` values (indices 0..warmup-1)
        if n < self.warmup:
            return 0.0
        # 4. squash to [0, 1)
        raw = 1.0 - math.exp(-z / self.scale)
        # 5. suppression: a raw score that does not exceed every raw score of
        #    the previous `suppress_window` scored values is damped
        if not self.suppress:
            return raw
        prev_max = max(self.recent) if self.recent else 0.0
        self.recent.append(raw)
        return raw * self.damp if raw <= prev_max else raw


class TransitionScorer:
    """What `vigil detect-series` runs (ALGORITHM.md): the mean of a transition novelty and the
    squashed z-score, with a rest period after an alert. update(x) -> score in [0, 1].

    Values are quantised into `levels` equal bins over the range seen so far, plus one bin below
    and one above it (a new minimum or maximum). A new minimum or maximum has novelty 0.75. Otherwise,
    for each context of the last `order` bins the bins that followed it are remembered; a value whose
    bin never followed its context is novel (0.75), else the novelty is 0. The score is the mean of the
    novelty and RateAnomalyScorer's squashed z-score (no warm-up, no suppression). After `warmup`
    values, a score of at least `base` silences the next `rest` values (one alert per episode).
    Memory per series: (levels + 2)^order sets of at most levels + 2 bins.
    """

    def __init__(self, levels=4, order=1, warmup=150, rest=100, base=0.75, alpha=0.002, scale=10.0):
        self.levels, self.order, self.warmup, self.rest, self.base = levels, order, warmup, rest, base
        self.z = RateAnomalyScorer(alpha=alpha, warmup=0, scale=scale, suppress=False, warm_start=warmup)
        self.lo = self.hi = None
        self.history: list[int] = []
        self.followers: dict[tuple, set] = {}
        self.index = 0
        self.last_high = -(10**9)

    def _level(self, x: float) -> int:
        if self.lo is None:
            self.lo = self.hi = x
        span = self.hi - self.lo
        if x < self.lo:
            level = -1
        elif x > self.hi:
            level = self.levels
        elif span <= 0:
            level = 0
        else:
            level = min(self.levels - 1, int((x - self.lo) / span * self.levels))
        self.lo, self.hi = min(self.lo, x), max(self.hi, x)
        return level

    def update(self, x: float) -> float:
        level = self._level(x)
        novelty = 0.0
        if level in (-1, self.levels):
            novelty = 0.75  # a new minimum or maximum: new whatever came before, and not learnt
        elif len(self.history) == self.order:
            context = tuple(self.history)
            seen = self.followers.get(context)
            if seen is None:
                novelty = 0.75  # was 1.0 before vigild ran this scorer: see ALGORITHM.md
                self.followers[context] = {level}
            elif level not in seen:
                novelty = 0.75
                seen.add(level)
        self.history.append(level)
        if len(self.history) > self.order:
            self.history.pop(0)
        score = (novelty + self.z.update(x)) / 2
        i = self.index
        self.index += 1
        if i < self.warmup:
            return 0.0
        silenced = i - self.last_high < self.rest
        if score >= self.base:
            self.last_high = i
        return 0.0 if silenced else score


# The configuration before #28 (z-score only, damping of repeats): loco.py's "previous".
PREVIOUS = dict(alpha=0.002, warmup=150, scale=10.0, suppress_window=100, damp=0.5)
FINAL = dict(levels=4, order=1, warmup=150, rest=50, base=0.6, alpha=0.002, scale=10.0)


def score_series(values, **params):
    s = TransitionScorer(**params)
    return [s.update(v) for v in values]


def evaluate(nab_dir, params, verbose=False):
    import nab_score as ns
    corpus = ns.load_corpus(nab_dir)
    profiles = ns.load_profiles(os.path.join(nab_dir, "config", "profiles.json"))
    files = [(df, score_series(df.values, **params)) for df in corpus.values()]
    res = ns.evaluate(files, profiles)
    if verbose:
        for pr in res:
            print(f"# {pr.profile.name}, threshold {pr.threshold!r}")
            for p in pr.per_file:
                print(f"  {p.rel:58s} {p.score:8.3f}  TP={p.tp:<3d} FP={p.fp:<3d} FN={p.fn}")
    return res


def main(argv=None) -> int:
    import nab_score as ns
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--eval", action="store_true")
    g.add_argument("--ablation", action="store_true")
    g.add_argument("--csv", metavar="FILE")
    g.add_argument("--compare", metavar="DIR")
    ap.add_argument("-d", "--detector", default="vigil", help="file prefix for --compare (default vigil)")
    ap.add_argument("--tol", type=float, default=1e-9, help="--compare: allowed |difference| (default 1e-9)")
    ap.add_argument("--nab", default=ns.DEFAULT_NAB)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)

    if a.csv:
        with open(a.csv, newline="") as f:
            r = csv.reader(f)
            header = next(r)
            ti, vi = header.index("timestamp"), header.index("value")
            s = TransitionScorer(**FINAL)
            out = csv.writer(sys.stdout, lineterminator="\n")
            out.writerow(["timestamp", "value", "anomaly_score"])
            for row in r:
                if row:
                    out.writerow([row[ti], row[vi], repr(s.update(float(row[vi])))])
        return 0

    if a.compare:
        corpus = ns.load_corpus(a.nab)
        bad = 0
        worst = 0.0
        for rel, df in corpus.items():
            p = ns.results_path(a.compare, rel, a.detector)
            if p is None:
                print(f"  missing: {rel}")
                bad += 1
                continue
            theirs = ns.read_anomaly_scores(p)
            ours = score_series(df.values, **FINAL)
            if len(theirs) != len(ours):
                print(f"  {rel}: {len(theirs)} rows, expected {len(ours)}")
                bad += 1
                continue
            diffs = [abs(x - y) for x, y in zip(ours, theirs)]
            d = max(diffs)
            worst = max(worst, d)
            if d > a.tol:
                i = diffs.index(d)
                print(f"  {rel}: max |diff| {d:.3g} first at row {next(j for j, e in enumerate(diffs) if e > a.tol)} "
                      f"(row {i}: ours {ours[i]!r}, theirs {theirs[i]!r})")
                bad += 1
        print(f"{len(corpus) - bad}/{len(corpus)} files match the prototype within {a.tol:g} (max |diff| {worst:.3g})")
        return 0 if bad == 0 else 1

    if a.eval:
        res = evaluate(a.nab, FINAL, a.verbose)
        print(f"prototype {FINAL}")
        for pr in res:
            print(f"  {pr.profile.name:20s} threshold {pr.threshold:.6f}  raw {pr.raw:9.4f}  final {pr.final:6.2f}")
        return 0

    variants = [("final", FINAL)]
    for levels in (4, 5, 8):
        variants.append((f"levels {levels}", dict(FINAL, levels=levels)))
    variants.append(("order 2", dict(FINAL, order=2)))
    for rest in (0, 100, 200):
        variants.append((f"rest {rest}", dict(FINAL, rest=rest)))
    for al in (0.001, 0.005):
        variants.append((f"alpha {al}", dict(FINAL, alpha=al)))
    for w in (50, 300):
        variants.append((f"warmup {w}", dict(FINAL, warmup=w)))
    print(f"{'variant':26s} {'standard':>9s} {'low FP':>8s} {'low FN':>8s}")
    for name, p in variants:
        res = evaluate(a.nab, p)
        print(f"{name:26s} " + " ".join(f"{pr.final:8.2f}" for pr in res), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
