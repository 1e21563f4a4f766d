#!/usr/bin/env python3
"""Leave-one-category-out cross-validation on the NAB subset (issue #28, item 3).

For each of the five categories of ../shared/data/nab, the configuration (from a grid) and the
threshold per profile are chosen on the other four categories, and the held-out category is then
scored at that configuration and threshold. The figure is the mean of the held-out scores over the
four categories that have labelled windows; `artificialNoAnomaly` has none, so its held-out raw
score (false-positive cost only; 0 is best) is printed apart. The full-subset score of the
configuration chosen most often is printed beside it.

Detectors:
  current      the scorer `vigil detect-series` runs (prototype.py's RateAnomalyScorer)
  transitions  a candidate (not in Vigil yet): the current z-score combined with the novelty of
               quantised transitions, see `TransitionNovelty`

Usage:
  loco.py [--detector current|transitions|all] [--nab DIR]

Never run this on NAB's realKnownCause or realTweets files, or on Loghub: they are this project's
held-out evaluation. The subset in ../shared/data/nab holds neither.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nab_score as ns  # noqa: E402
import prototype  # noqa: E402


class TransitionNovelty:
    """Streaming candidate: per value, a score in [0, 1].

    Values are quantised into `levels` equal bins over the range seen so far, plus one level below
    and one above it (a new minimum or maximum). For each context of the last `order` levels the
    levels that followed it are remembered; a value whose level never followed its context is novel
    (1 for a context never seen, 0.75 for a known one). The score is the mean of the novelty and the
    current scorer's squashed z-score (without its suppression). After `warmup` values,
    a score of at least `base` silences the next `rest` values (one alert per episode).
    Memory per series: (levels + 2)^order sets of at most levels + 2 levels.
    """

    def __init__(self, levels=6, order=1, warmup=150, rest=100, base=0.75, alpha=0.002, scale=10.0):
        self.levels, self.order, self.warmup, self.rest, self.base = levels, order, warmup, rest, base
        self.z = prototype.RateAnomalyScorer(alpha=alpha, warmup=0, scale=scale, suppress=False)
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
        if len(self.history) == self.order:
            context = tuple(self.history)
            seen = self.followers.get(context)
            if seen is None:
                novelty = 1.0
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


DETECTORS = {
    "current": (
        lambda values, **p: prototype.score_series(values, **p),
        [dict(prototype.FINAL, alpha=a) for a in (0.001, 0.002, 0.005)]
        + [dict(prototype.FINAL, suppress_window=w) for w in (50, 200)],
    ),
    "transitions": (
        lambda values, **p: [d.update(v) for d in [TransitionNovelty(**p)] for v in values],
        [dict(levels=l, order=o, rest=r) for l in (4, 5, 6) for o in (1, 2) for r in (50, 100, 150)],
    ),
}


def held_out(files, prof, threshold):
    per = ns.score_corpus(files, prof, threshold)
    raw = sum(p.score for p in per)
    null, perfect = ns.null_score(files, prof), ns.perfect_score(files, prof)
    return (ns.normalised(raw, null, perfect), True) if perfect != null else (raw, False)


def run(name, nab):
    fn, grid = DETECTORS[name]
    corpus = ns.load_corpus(nab)
    profiles = ns.load_profiles(os.path.join(nab, "config", "profiles.json"))
    categories = sorted({k.split("/")[0] for k in corpus})
    cache: dict[tuple, list] = {}

    def scores(i, key):
        if (i, key) not in cache:
            cache[(i, key)] = fn(corpus[key].values, **grid[i])
        return cache[(i, key)]

    chosen = Counter()
    held: dict[str, list] = {}
    print(f"# {name}: {len(grid)} configurations")
    for category in categories:
        train = [k for k in corpus if not k.startswith(category + "/")]
        best = None
        for i in range(len(grid)):
            res = ns.evaluate([(corpus[k], scores(i, k)) for k in train], profiles)
            if best is None or res[0].final > best[0]:
                best = (res[0].final, i, [r.threshold for r in res])
        _, i, thresholds = best
        chosen[i] += 1
        test = [(corpus[k], scores(i, k)) for k in corpus if k.startswith(category + "/")]
        held[category] = [held_out(test, prof, t) for prof, t in zip(profiles, thresholds)]
        shown = ", ".join(f"{v:.2f}" + ("" if normalised else " raw") for v, normalised in held[category])
        print(f"  held out {category:22s} chose {grid[i]}: {shown}")
    for p, prof in enumerate(profiles):
        values = [held[c][p][0] for c in categories if held[c][p][1]]
        print(f"  {prof.name:20s} mean of the {len(values)} held-out categories with windows: {sum(values) / len(values):.2f}")
    i = chosen.most_common(1)[0][0]
    full = ns.evaluate([(corpus[k], scores(i, k)) for k in corpus], profiles)
    print(f"  full subset, {grid[i]}: " + " / ".join(f"{r.final:.2f}" for r in full) + " (standard / low FP / low FN)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--detector", default="all", choices=["all", *DETECTORS])
    ap.add_argument("--nab", default=ns.DEFAULT_NAB)
    args = ap.parse_args(argv)
    for name in DETECTORS if args.detector == "all" else [args.detector]:
        run(name, args.nab)
    return 0


if __name__ == "__main__":
    sys.exit(main())
