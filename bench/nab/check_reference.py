#!/usr/bin/env python3
"""Check nab_score.py against NAB's own numbers in NAB/results_reference/.

NAB ships per-row outputs of its windowedGaussian detector for only two of the
41 files, so this script re-runs that detector (a transcription of NAB's
nab/detectors/gaussian/windowedGaussian_detector.py: 6400-row window refitted
every 100 rows, score = 1 - Gaussian tail probability) on every file, and then:

1. compares its per-row anomaly scores with the two reference output files;
2. compares nab_score's per-row attribution with their S(t)_<profile> columns;
3. scores every file at NAB's threshold for each profile and compares Score,
   TP, TN, FP, FN and Total_Count with windowedGaussian_<profile>_scores.csv;
4. compares the null detector's per-file scores with null_standard_scores.csv;
5. compares the normalised subset score computed from NAB's per-file scores
   with the one computed from ours;
6. (informative) runs the threshold optimiser on this 41-file subset.

The re-run scores are rounded to 12 significant digits, as NAB's results files
are (Python 2 str(float)); NAB scored those rounded numbers, and at threshold
1.0 the rounding decides which rows count as detections.

Exits 1 when any number differs beyond --tol (default 1e-9; the reference
CSVs print 12 significant digits) or any count differs.

Usage: check_reference.py [--nab DIR] [--tol 1e-9] [--write-results DIR] [-v]
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nab_score as ns  # noqa: E402

try:
    import numpy as _np
except ImportError:  # the mean/std then differ from NAB's in the last bits
    _np = None


def _mean_std(xs):
    if _np is not None:
        a = _np.asarray(xs, dtype=float)
        return float(_np.mean(a)), float(_np.std(a))
    m = math.fsum(xs) / len(xs)
    return m, math.sqrt(math.fsum((x - m) ** 2 for x in xs) / len(xs))


def normal_probability(x, mean, std):
    """nab.util.normalProbability: P(X > x) for X ~ N(mean, std), mirrored below the mean."""
    if x < mean:
        x = 2 * mean - x
    z = (x - mean) / std
    return 0.5 * math.erfc(z / math.sqrt(2))


def windowed_gaussian(values, window_size=6400, step_size=100):
    window, step = [], []
    mean, std = 0.0, 1.0
    out = []
    for v in values:
        score = 0.0
        if window:
            score = 1 - normal_probability(v, mean, std)
        if len(window) < window_size:
            window.append(v)
            mean, std = _mean_std(window)
            if std == 0.0:
                std = 0.000001
        else:
            step.append(v)
            if len(step) == step_size:
                window = window[step_size:] + step
                step = []
                mean, std = _mean_std(window)
                if std == 0.0:
                    std = 0.000001
        out.append(score)
    return out


def read_ref_scores(path):
    with open(path, newline="") as f:
        return {r["File"]: r for r in csv.DictReader(f) if r["File"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nab", default=ns.DEFAULT_NAB)
    ap.add_argument("--tol", type=float, default=1e-9)
    ap.add_argument("--write-results", metavar="DIR", help="also write the re-run detector's outputs in NAB's layout")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every per-file comparison")
    a = ap.parse_args(argv)
    ref_dir = os.path.join(a.nab, "results_reference")
    corpus = ns.load_corpus(a.nab)
    profiles = ns.load_profiles(os.path.join(a.nab, "config", "profiles.json"))
    bad = 0

    if _np is None:
        print("note: numpy not installed; the detector re-run may differ from NAB's in the last bits")
    print(f"re-running windowedGaussian on {len(corpus)} files ...")
    # NAB wrote its results CSVs with Python 2's str(float), 12 significant
    # digits, and scored what it read back: 0.9999999999997738 became 1.0.
    files = [(df, [float(f"{x:.12g}") for x in windowed_gaussian(df.values)]) for df in corpus.values()]
    by_rel = {df.rel: (df, s) for df, s in files}
    if a.write_results:
        for df, s in files:
            cat, name = os.path.split(df.rel)
            os.makedirs(os.path.join(a.write_results, cat), exist_ok=True)
            with open(os.path.join(a.write_results, cat, "windowedGaussian_" + name), "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["timestamp", "value", "anomaly_score"])
                for t, v, x in zip(df.timestamps, df.values, s):
                    w.writerow([t.strftime("%Y-%m-%d %H:%M:%S"), repr(v), repr(x)])

    # 1, 2: the two per-row reference files
    print("\n[1-2] per-row outputs and S(t) columns (reference files with rows)")
    for cat in sorted(os.listdir(os.path.join(ref_dir, "windowedGaussian"))):
        for name in sorted(os.listdir(os.path.join(ref_dir, "windowedGaussian", cat))):
            rel = f"{cat}/{name[len('windowedGaussian_'):]}"
            df, mine = by_rel[rel]
            with open(os.path.join(ref_dir, "windowedGaussian", cat, name), newline="") as f:
                rows = list(csv.DictReader(f))
            ref = [float(r["anomaly_score"]) for r in rows]
            dmax = max(abs(x - y) for x, y in zip(mine, ref))
            ok = len(ref) == len(mine) and dmax <= a.tol
            bad += not ok
            print(f"  {rel}: {len(ref)} rows, anomaly_score max |diff| = {dmax:.3g} {'ok' if ok else 'MISMATCH'}")
            ref_scores = {p.name: read_ref_scores(os.path.join(ref_dir, f"windowedGaussian_{p.name}_scores.csv")) for p in profiles}
            for p in profiles:
                col = f"S(t)_{p.name}"
                if col not in rows[0]:
                    continue
                t = float(ref_scores[p.name][rel]["Threshold"])
                contrib = ns.row_contributions(df, ref, p, t)
                st = [float(r[col]) for r in rows]
                d = max(abs(x - y) for x, y in zip(contrib, st))
                ok = d <= a.tol
                bad += not ok
                print(f"    {col:28s} rows: max |diff| = {d:.3g}, sum = {math.fsum(contrib):.9f} (NAB {math.fsum(st):.9f}) {'ok' if ok else 'MISMATCH'}")

    # 3: per-file scores, each profile
    print("\n[3] per-file scores at NAB's threshold (41 files x profile)")
    totals = {}
    for p in profiles:
        ref = read_ref_scores(os.path.join(ref_dir, f"windowedGaussian_{p.name}_scores.csv"))
        worst = 0.0
        nbad = 0
        ref_sum = mine_sum = 0.0
        for rel, r in sorted(ref.items()):
            df, s = by_rel[rel]
            t = float(r["Threshold"])
            fsc = ns.score_corpus([(df, s)], p, t)[0]
            d = abs(fsc.score - float(r["Score"]))
            counts_ok = (fsc.tp, fsc.tn, fsc.fp, fsc.fn, fsc.total) == tuple(int(r[k]) for k in ("TP", "TN", "FP", "FN", "Total_Count"))
            worst = max(worst, d)
            ref_sum += float(r["Score"])
            mine_sum += fsc.score
            if d > a.tol or not counts_ok:
                nbad += 1
                print(f"  MISMATCH {p.name} {rel}: ours {fsc.score!r} TP={fsc.tp} TN={fsc.tn} FP={fsc.fp} FN={fsc.fn} N={fsc.total}; "
                      f"NAB {r['Score']} TP={r['TP']} TN={r['TN']} FP={r['FP']} FN={r['FN']} N={r['Total_Count']}")
            elif a.verbose:
                print(f"  {p.name:20s} {rel:58s} ours {fsc.score:13.9f} NAB {float(r['Score']):13.9f} TP={fsc.tp} FP={fsc.fp} FN={fsc.fn}")
        bad += nbad
        totals[p.name] = (ref_sum, mine_sum, float(next(iter(ref.values()))["Threshold"]))
        print(f"  {p.name:20s} {len(ref)} files, {len(ref) - nbad} equal (counts exact), max |diff| = {worst:.3g}; "
              f"total {mine_sum:.9f} (NAB {ref_sum:.9f})")

    # 4: the null detector
    print("\n[4] null detector per-file scores (standard)")
    nref = read_ref_scores(os.path.join(ref_dir, "null_standard_scores.csv"))
    std = next(p for p in profiles if p.name == "standard")
    nbad = 0
    for rel, r in nref.items():
        df, _ = by_rel[rel]
        mine = ns.null_score([(df, None)], std)
        if abs(mine - float(r["Score"])) > a.tol:
            nbad += 1
            print(f"  MISMATCH {rel}: ours {mine} NAB {r['Score']}")
    bad += nbad
    print(f"  {len(nref)} files, {len(nref) - nbad} equal; total {sum(float(r['Score']) for r in nref.values())}")

    # 5: normalised scores on this subset
    print("\n[5] normalised score on this subset: 100 (raw - null) / (perfect - null)")
    allf = list(by_rel.values())
    for p in profiles:
        ref_sum, mine_sum, t = totals[p.name]
        null = ns.null_score(allf, p)
        perf = ns.perfect_score(allf, p)
        if p.name == "standard":
            null_ref = sum(float(r["Score"]) for r in nref.values())
            if abs(null - null_ref) > a.tol:
                bad += 1
                print(f"  MISMATCH null total {null} vs NAB {null_ref}")
        f_ref = ns.normalised(ref_sum, null, perf)
        f_mine = ns.normalised(mine_sum, null, perf)
        ok = abs(f_ref - f_mine) <= 1e-6
        bad += not ok
        print(f"  {p.name:20s} threshold {t}: ours {f_mine:.6f}, from NAB's per-file scores {f_ref:.6f} "
              f"(null {null:g}, perfect {perf:g}) {'ok' if ok else 'MISMATCH'}")

    # 6: optimiser on the subset (NAB optimised its threshold on all 58 files)
    print("\n[6] threshold optimisation on this 41-file subset (informative; NAB's 1.0 came from all 58 files)")
    for pr in ns.evaluate(allf, profiles):
        print(f"  {pr.profile.name:20s} best threshold {pr.threshold!r}: raw {pr.raw:.6f} -> final {pr.final:.2f}")

    print(f"\n{'OK: all reference numbers reproduced' if bad == 0 else f'FAILED: {bad} mismatches'}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
