#!/usr/bin/env python3
"""A re-implementation of the Numenta Anomaly Benchmark (NAB) scorer.

Pure Python 3 standard library. It follows NAB's own code (nab/sweeper.py,
nab/optimizer.py, nab/scorer.py, nab/runner.py at numenta/NAB master):

* Each file's rows get a *sweep score* (``calcSweepScore``): inside an anomaly
  window, a row at index i scores ``A_TP * sig(-(right - i + 1) / width) / sig(-1)``
  where ``sig(y) = 2 / (1 + exp(5 y)) - 1`` (NAB's scaledSigmoid, -1 below
  y > 3); outside a window it scores ``A_FP * sig(|i - prevRight| / (prevWidth - 1))``
  after a window and ``-A_FP`` before the first window.  Rows in the
  probationary period (the first ``min(floor(0.15 N), 0.15 * 5000)`` rows) are
  not scored.
* For a threshold t, the rows with ``anomaly_score >= t`` are detections. A
  window's part is ``-A_FN`` if none of its rows is detected, else the largest
  (= earliest) sweep score of its detected rows; false positives add their
  (negative) sweep scores. A file's raw score is the sum of those parts.
* ``calcScoreByThreshold`` sweeps t down through every distinct anomaly score
  (starting at 1.1, "nothing detected"); the optimiser runs that sweep over all
  rows of all files at once and keeps the threshold with the largest total
  (ties: the higher threshold, as NAB's stable sort does).
* Each file is then scored at that threshold (``scoreDataSet``: the sweep row
  whose threshold equals t, or the one just above it), and the normalised
  score is ``100 * (raw - null) / (perfect - null)``, with ``null`` the score
  of a detector that never fires and ``perfect = A_TP * number of windows``.

Results layouts accepted by ``--results DIR``:

* NAB's: ``DIR/<category>/<detector>_<file>.csv`` (give ``--detector``), or
* plain: ``DIR/<category>/<file>.csv``,

each CSV with a header holding at least ``anomaly_score`` (NAB's
``timestamp,value,anomaly_score[,label...]``), one row per data row, in order.

Usage:
  nab_score.py --results DIR [--detector NAME] [--nab DIR] [--out DIR] [-v]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime

DEFAULT_NAB = os.environ.get("NAB_DIR", "/work/shared/data/nab")
PROFILE_ORDER = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")
PROBATION_PERCENT = 0.15


# --------------------------------------------------------------------------
# NAB's scoring function


def scaled_sigmoid(y: float) -> float:
    """NAB's scaledSigmoid: 0.98661 at y=-1 (window start), 0 at y=0 (end)."""
    if y > 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


MAX_TP = scaled_sigmoid(-1.0)


def probationary_length(n_rows: int, percent: float = PROBATION_PERCENT) -> float:
    """NAB: min(floor(p * N), p * 5000); rows with index >= this are scored."""
    return min(math.floor(percent * n_rows), percent * 5000)


@dataclass
class Profile:
    name: str
    tp: float
    fp: float
    fn: float


def load_profiles(path: str) -> list[Profile]:
    with open(path) as f:
        raw = json.load(f)
    names = [n for n in PROFILE_ORDER if n in raw] + [n for n in raw if n not in PROFILE_ORDER]
    out = []
    for n in names:
        cm = raw[n]["CostMatrix"]
        out.append(Profile(n, float(cm["tpWeight"]), float(cm["fpWeight"]), float(cm["fnWeight"])))
    return out


# --------------------------------------------------------------------------
# Corpus, labels


def parse_time(s: str) -> datetime:
    return datetime.fromisoformat(s.strip())


@dataclass
class DataFile:
    rel: str  # e.g. "realTraffic/speed_6005.csv"
    timestamps: list  # datetime
    values: list  # float
    windows: list = field(default_factory=list)  # [(start datetime, end datetime)]
    # derived, filled by prepare(): per-row window id (or None) and base weights
    _geom: tuple | None = None


def read_series(path: str) -> tuple[list, list]:
    ts, vs = [], []
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        ti = header.index("timestamp")
        vi = header.index("value")
        for row in r:
            if not row:
                continue
            ts.append(parse_time(row[ti]))
            vs.append(float(row[vi]))
    return ts, vs


def load_corpus(nab_dir: str, only: list[str] | None = None) -> dict[str, DataFile]:
    """All data files that have an entry in labels/combined_windows.json."""
    with open(os.path.join(nab_dir, "labels", "combined_windows.json")) as f:
        windows = json.load(f)
    corpus = {}
    for rel in sorted(windows):
        if only and not any(o in rel for o in only):
            continue
        path = os.path.join(nab_dir, "data", rel)
        if not os.path.exists(path):
            continue
        ts, vs = read_series(path)
        wins = [(parse_time(a), parse_time(b)) for a, b in windows[rel]]
        corpus[rel] = DataFile(rel, ts, vs, wins)
    return corpus


def file_geometry(df: DataFile):
    """Per-row (window index or None, unweighted kind, unweighted value), as in
    NAB's calcSweepScore. kind is 'tp' (value = scaledSigmoid/maxTP, to be
    multiplied by A_TP) or 'fp' (value = scaledSigmoid, times A_FP); rows in the
    probationary period get kind 'prob'."""
    if df._geom is not None:
        return df._geom
    ts = df.timestamps
    index = {}
    for i, t in enumerate(ts):
        index.setdefault(t, i)
    limits = list(df.windows)
    prob_len = probationary_length(len(ts))
    win_of = []  # window number or None
    kind = []
    base = []
    cur = None  # (wid, right index, width)
    prev_right = prev_width = None
    wid = -1
    for i, t in enumerate(ts):
        if limits and t == limits[0][0]:
            lo, hi = limits.pop(0)
            wid += 1
            right = index[hi]
            cur = (wid, hi, right, float(right - index[lo] + 1))
        if cur is not None:
            _, _, right, width = cur
            u = scaled_sigmoid(-(right - i + 1) / width) / MAX_TP
            k = "tp"
        else:
            if prev_right is None:
                u = -1.0
            else:
                u = scaled_sigmoid(abs(prev_right - i) / float(prev_width - 1))
            k = "fp"
        if i >= prob_len:
            win_of.append(cur[0] if cur is not None else None)
            kind.append(k)
        else:
            win_of.append(None)
            kind.append("prob")
        base.append(u)
        if cur is not None and t == cur[1]:
            prev_right, prev_width = cur[2], cur[3]
            cur = None
    df._geom = (win_of, kind, base)
    return df._geom


def sweep_scores(df: DataFile, prof: Profile) -> list[float]:
    """Current NAB's per-row S(t) column (sweeper.scoreDataSet): each row's
    weighted sweep score, whatever the threshold (probationary rows included)."""
    win_of, kind, base = file_geometry(df)
    return [u * (prof.tp if k == "tp" else prof.fp) for k, u in zip(kind, base)]


def row_contributions(df: DataFile, scores: list[float], prof: Profile, threshold: float) -> list[float]:
    """Per-row attribution of a file's score at a threshold, as in the S(t)
    columns of NAB's published results files (written by its older scorer):
    each window's part (its earliest detection's credit, or -A_FN when missed)
    sits on the window's first scored row, each false positive's (negative)
    score on its own row, and every other row is 0."""
    win_of, kind, base = file_geometry(df)
    out = [0.0] * len(scores)
    first_row = {}
    best = {}
    for i, k in enumerate(kind):
        if k == "prob":
            continue
        if k == "tp":
            w = win_of[i]
            first_row.setdefault(w, i)
            if w not in best:
                best[w] = -prof.fn
            if scores[i] >= threshold:
                best[w] = max(best[w], base[i] * prof.tp)
        elif scores[i] >= threshold:
            out[i] = base[i] * prof.fp
    for w, i in first_row.items():
        out[i] = best[w]
    return out


# --------------------------------------------------------------------------
# Threshold sweep


@dataclass
class ThresholdScore:
    threshold: float
    score: float
    tp: int
    tn: int
    fp: int
    fn: int
    total: int


def score_by_threshold(files: list[tuple[DataFile, list[float]]], prof: Profile) -> list[ThresholdScore]:
    """NAB's calcScoreByThreshold over the rows of one or more files.

    Returns one ThresholdScore per distinct threshold, highest first; the
    first has threshold 1.1 (no detections)."""
    pts = []  # (anomaly score, window key or None, weighted sweep score)
    windows = {}
    for fi, (df, scores) in enumerate(files):
        if len(scores) != len(df.timestamps):
            raise ValueError(f"{df.rel}: {len(scores)} anomaly scores for {len(df.timestamps)} rows")
        win_of, kind, base = file_geometry(df)
        for i in range(len(scores)):
            k = kind[i]
            if k == "prob":
                continue
            if k == "tp":
                key = (fi, win_of[i])
                windows[key] = -prof.fn
                pts.append((scores[i], key, base[i] * prof.tp))
            else:
                pts.append((scores[i], None, base[i] * prof.fp))
    pts.sort(key=lambda p: p[0], reverse=True)  # stable, like NAB's sorted()
    tn = sum(1 for p in pts if p[1] is None)
    fn = len(pts) - tn
    tp = fp = 0
    fp_sum = 0.0
    win_sum = sum(windows.values())
    out = []
    cur = 1.1
    for a, key, s in pts:
        if a != cur:
            out.append(ThresholdScore(cur, fp_sum + win_sum, tp, tn, fp, fn, tp + tn + fp + fn))
            cur = a
        if key is None:
            fp += 1
            tn -= 1
            fp_sum += s
        else:
            tp += 1
            fn -= 1
            old = windows[key]
            if s > old:
                windows[key] = s
                win_sum += s - old
    out.append(ThresholdScore(cur, fp_sum + win_sum, tp, tn, fp, fn, tp + tn + fp + fn))
    return out


def score_at(rows: list[ThresholdScore], threshold: float) -> ThresholdScore | None:
    """NAB's scoreDataSet row selection."""
    prev = None
    for r in rows:
        if r.threshold == threshold:
            return r
        if r.threshold < threshold:
            return prev
        prev = r
    # NAB returns None here (threshold below every score); detecting every
    # row is the only sensible reading, i.e. the last row.
    return rows[-1] if rows else None


def optimize_threshold(files, prof: Profile) -> ThresholdScore:
    rows = score_by_threshold(files, prof)
    best = rows[0]
    for r in rows[1:]:
        if r.score > best.score:  # strict: ties keep the higher threshold
            best = r
    return best


@dataclass
class FileScore:
    rel: str
    threshold: float
    score: float
    tp: int
    tn: int
    fp: int
    fn: int
    total: int


def score_corpus(files, prof: Profile, threshold: float) -> list[FileScore]:
    out = []
    for df, scores in files:
        r = score_at(score_by_threshold([(df, scores)], prof), threshold)
        out.append(FileScore(df.rel, threshold, r.score, r.tp, r.tn, r.fp, r.fn, len(df.timestamps)))
    return out


def null_score(files, prof: Profile) -> float:
    """Raw score of a detector that never fires: -A_FN per scorable window."""
    return sum(score_by_threshold([(df, [0.0] * len(df.timestamps))], prof)[0].score for df, _ in files)


def perfect_score(files, prof: Profile) -> float:
    """NAB: A_TP times the number of windows (in the scored files)."""
    return prof.tp * sum(len(df.windows) for df, _ in files)


def normalised(raw: float, null: float, perfect: float) -> float:
    return 100.0 * (raw - null) / (perfect - null)


@dataclass
class ProfileResult:
    profile: Profile
    threshold: float
    raw: float
    null: float
    perfect: float
    final: float
    per_file: list[FileScore]


def evaluate(files, profiles: list[Profile], threshold: float | None = None) -> list[ProfileResult]:
    """Optimise the threshold per profile (or use the given one), score each
    file at it, normalise."""
    res = []
    for prof in profiles:
        t = optimize_threshold(files, prof).threshold if threshold is None else threshold
        per = score_corpus(files, prof, t)
        raw = sum(p.score for p in per)
        null = null_score(files, prof)
        perf = perfect_score(files, prof)
        res.append(ProfileResult(prof, t, raw, null, perf, normalised(raw, null, perf), per))
    return res


# --------------------------------------------------------------------------
# Results directories


def read_anomaly_scores(path: str) -> list[float]:
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        ai = header.index("anomaly_score")
        return [float(row[ai]) for row in r if row]


def results_path(results_dir: str, rel: str, detector: str | None) -> str | None:
    cat, name = os.path.split(rel)
    cands = []
    if detector:
        cands.append(os.path.join(results_dir, cat, f"{detector}_{name}"))
        cands.append(os.path.join(results_dir, detector, cat, f"{detector}_{name}"))
    cands.append(os.path.join(results_dir, cat, name))
    for c in cands:
        if os.path.exists(c):
            return c
    return None


def load_results(results_dir: str, corpus: dict[str, DataFile], detector: str | None, allow_missing=False):
    files, missing = [], []
    for rel, df in corpus.items():
        p = results_path(results_dir, rel, detector)
        if p is None:
            missing.append(rel)
            continue
        files.append((df, read_anomaly_scores(p)))
    if missing and not allow_missing:
        raise SystemExit(f"missing results for {len(missing)} files, e.g. {missing[0]} (use --allow-missing to score the rest)")
    return files, missing


def write_scores_csv(path: str, detector: str, pr: ProfileResult) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Detector", "Profile", "File", "Threshold", "Score", "TP", "TN", "FP", "FN", "Total_Count"])
        tot = [0.0, 0, 0, 0, 0, 0]
        for p in pr.per_file:
            w.writerow([detector, pr.profile.name, p.rel, repr(p.threshold), repr(p.score), p.tp, p.tn, p.fp, p.fn, p.total])
            for j, v in enumerate((p.score, p.tp, p.tn, p.fp, p.fn, p.total)):
                tot[j] += v
        w.writerow(["Totals", "", "", ""] + [repr(tot[0])] + tot[1:])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Score anomaly-detector results with NAB's scoring (re-implemented).")
    ap.add_argument("--results", required=True, help="results directory (NAB layout or plain <category>/<file>.csv)")
    ap.add_argument("--detector", default=None, help="detector name: file prefix in NAB's layout (<detector>_<file>.csv)")
    ap.add_argument("--nab", default=DEFAULT_NAB, help="NAB folder with data/, labels/, config/ (default %(default)s)")
    ap.add_argument("--profiles", default=None, help="profiles JSON (default NAB/config/profiles.json)")
    ap.add_argument("--threshold", type=float, default=None, help="score at this threshold instead of optimising")
    ap.add_argument("--only", action="append", help="score only files whose path contains this (repeatable)")
    ap.add_argument("--allow-missing", action="store_true", help="score the files that have results, skip the rest")
    ap.add_argument("--out", default=None, help="write <detector>_<profile>_scores.csv and final_results.json here")
    ap.add_argument("--json", action="store_true", help="print the final scores as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="print per-file scores")
    a = ap.parse_args(argv)

    corpus = load_corpus(a.nab, a.only)
    profiles = load_profiles(a.profiles or os.path.join(a.nab, "config", "profiles.json"))
    files, missing = load_results(a.results, corpus, a.detector, a.allow_missing)
    if missing:
        print(f"warning: no results for {len(missing)} files, scored {len(files)}", file=sys.stderr)
    res = evaluate(files, profiles, a.threshold)
    det = a.detector or os.path.basename(os.path.normpath(a.results))
    if a.verbose:
        for pr in res:
            print(f"# {pr.profile.name} (threshold {pr.threshold!r})")
            for p in pr.per_file:
                print(f"  {p.rel:60s} {p.score:10.4f}  TP={p.tp} FP={p.fp} FN={p.fn}")
    if a.out:
        os.makedirs(a.out, exist_ok=True)
        for pr in res:
            write_scores_csv(os.path.join(a.out, f"{det}_{pr.profile.name}_scores.csv"), det, pr)
        with open(os.path.join(a.out, "final_results.json"), "w") as f:
            json.dump({det: {pr.profile.name: pr.final for pr in res}}, f, indent=2)
    if a.json:
        print(json.dumps({pr.profile.name: {"final": pr.final, "raw": pr.raw, "null": pr.null, "perfect": pr.perfect,
                                            "threshold": pr.threshold} for pr in res}, indent=2))
    else:
        print(f"{det}: {len(files)} files, {sum(len(df.windows) for df, _ in files)} windows")
        print(f"{'profile':22s} {'threshold':>16s} {'raw':>10s} {'null':>8s} {'perfect':>8s} {'final':>7s}")
        for pr in res:
            print(f"{pr.profile.name:22s} {repr(pr.threshold):>16} {pr.raw:10.4f} {pr.null:8.2f} {pr.perfect:8.2f} {pr.final:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
