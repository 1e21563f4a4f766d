#!/usr/bin/env python3
"""Leave-one-category-out cross-validation on the NAB subset (issue #28, item 3).

For each of the five categories of ../shared/data/nab, the configuration (from a grid) and the
threshold per profile are chosen on the other four categories, and the held-out category is then
scored at that configuration and threshold. The figure is the mean of the held-out scores over the
four categories that have labelled windows; `artificialNoAnomaly` has none, so its held-out raw
score (false-positive cost only; 0 is best) is printed apart. The full-subset score of the
configuration chosen most often is printed beside it.

Detectors:
  current   the scorer `vigil detect-series` runs (prototype.py's TransitionScorer, ALGORITHM.md)
  previous  the scorer before #28 (prototype.py's RateAnomalyScorer: z-score, repeats damped)
  d2_likmax   detectors2.py: current raw score maxed with its HTM-style likelihood (research, #28)
  d2_cadmean  detectors2.py: CAD-like multi-order context novelty averaged with the current score

Usage:
  loco.py [--detector current|previous|all] [--nab DIR]

Never run this on NAB's realKnownCause or realTweets files, or on Loghub: they are this project's
held-out evaluation. The subset in ../shared/data/nab holds neither.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nab_score as ns  # noqa: E402
import prototype  # noqa: E402
import detectors2  # noqa: E402


DETECTORS = {
    "previous": (
        lambda values, **p: [s.update(v) for s in [prototype.RateAnomalyScorer(**p)] for v in values],
        [dict(prototype.PREVIOUS, alpha=a) for a in (0.001, 0.002, 0.005)]
        + [dict(prototype.PREVIOUS, suppress_window=w) for w in (50, 200)],
    ),
    "current": (
        lambda values, **p: prototype.score_series(values, **p),
        [dict(prototype.FINAL, levels=l, order=o, rest=r) for l in (4, 5, 6) for o in (1, 2) for r in (50, 100, 150)],
    ),
    # detectors2.py (bench/work/nab-helper-report.md): the current raw score maxed with its HTM-style
    # likelihood, and the CAD-like multi-order context novelty averaged with it.
    "d2_likmax": (
        detectors2.score_series2,
        [dict(detectors2.FINAL2, levels=l, short=s) for l in (4, 5, 6) for s in (5, 10)],
    ),
    "d2_cadmean": (
        detectors2.score_series2,
        [dict(mode="mean", levels=l, orders=o) for l in (6, 8) for o in (3, 6)],
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
