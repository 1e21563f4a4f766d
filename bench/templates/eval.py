#!/usr/bin/env python3
"""Grouping accuracy of log template miners on the labelled samples in data/.

For each data/<format>.log (+ .labels, written by gen_samples.py) it runs

* Drain3 (pip install drain3) with the configuration of Drain3's own
  examples/drain3.ini: sim_th 0.4, depth 4, max_children 100, max_clusters
  1024, extra delimiter "_", and its standard masking (ID, IP, SEQ, HEX, NUM,
  CMD). Lines are fed in order through TemplateMiner.add_log_message and each
  line gets the cluster id returned (online/streaming assignment). Two inputs:
  "content" (the per-format header -- syslog timestamp/host/tag, nginx client
  and time, Java timestamp/level/pid/thread/logger, the JSON "ts" field, logfmt
  time=, Apache time/module/pid/client, PostgreSQL time/pid/user@db, klog
  severity+time/pid/file:line, HAProxy and named syslog, redis pid:role time
  level, MySQL time/thread/[Level]; none for javastack -- stripped by a regex, as
  the LogPAI benchmark does) and "line" (the whole line);
* optionally Vigil's miner: `<vigil-cmd> FILE` must print one template id per
  input line (default command: /work/main/.build/release/vigil templates
  --assign --format raw, so each input line is one message, kept whole). It
  gets exactly the text Drain3 gets: "vigil-content" runs it on a temporary
  file holding the header-stripped lines that drain3-content sees, and
  "vigil-line" (unless --no-line) on the sample file itself, as drain3-line.
  It is skipped, with the reason, when the binary is missing or the command
  fails.

Grouping accuracy (GA), as in LogPAI's benchmark (Zhu et al., ICSE-SEIP 2019,
"Tools and Benchmarks for Automated Log Parsing"): a line is correct when the
set of lines in its predicted group equals the set of lines in its true group;
GA = correct lines / lines. Overall = all formats' lines pooled (and the mean
of the per-format GAs).

With --loghub2, also the two other metrics of Loghub-2.0 (Jiang et al., ICSE
2024, "A Large-Scale Evaluation for Log Parsing Techniques: How Far Are We?"):
FGA, the F1 of grouping: a predicted group is correct when its lines are
exactly one true group's; PGA = correct groups / predicted groups, RGA =
correct groups / true groups, FGA = 2 PGA RGA / (PGA + RGA); and PA, parsing
accuracy: the share of lines whose group's template equals the true template
(data/<format>.templates) once every placeholder (<*>, Vigil's <NUM>, <IP>…,
Drain3's <:NUM:>…) is written <*>, adjacent placeholders are merged and
whitespace is collapsed. PA needs the template of each group: Drain3's
cluster template after the last line, Vigil's from `vigil templates -o json`
on the same file (--vigil-list-cmd). Content runs only (the true templates
describe the message text, not whole lines).

Usage:
  eval.py [--data DIR] [--formats sshd,kernel,...] [--vigil-cmd CMD | --no-vigil]
          [--no-line] [--errors] [--json] [--loghub2 [--vigil-list-cmd CMD]]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_VIGIL = os.environ.get("VIGIL", "/work/main/.build/release/vigil") + " templates --assign --format raw"
DEFAULT_VIGIL_LIST = os.environ.get("VIGIL", "/work/main/.build/release/vigil") + " templates --format raw -o json -n 1000000"

# Drain3's examples/drain3.ini [MASKING] list
DRAIN3_MASKING = [
    (r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)", "ID"),
    (r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)", "SEQ"),
    (r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)", "HEX"),
    (r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
    (r"(?<=executed cmd )(\".+?\")", "CMD"),
]

SYSLOG = r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ [^:]+: "
HEADERS = {
    "sshd": re.compile(SYSLOG),
    "systemd": re.compile(SYSLOG),
    "kernel": re.compile(SYSLOG + r"\[\s*\d+\.\d+\] "),
    "nginx": re.compile(r"^\S+ \S+ \S+ \[[^\]]+\] "),
    "java": re.compile(r"^\S+\s+[A-Z]+ \d+ --- \[[^\]]*\] \[[^\]]*\] \S+\s+: "),
    # json: the leading "ts" field is the header; the content is the object without it
    # ({"level":...,"msg":...,...}), keys and the constant level/logger/msg kept
    "json": re.compile(r'^\{"ts":"[^"]*",'),
    # logfmt (Go slog): the leading time=... pair; level=, msg= and the other pairs are content
    "logfmt": re.compile(r"^time=\S+ "),
    # Apache 2.4 error log: [time] [module:level] [pid N:tid N] and, when it leads, [client ip:port]
    "apache": re.compile(r"^\[[^\]]+\] \[[^\]]+\] \[pid [^\]]+\] (?:\[client [^\]]+\] )?"),
    # PostgreSQL, log_line_prefix '%m [%p] %q%u@%d ': the severity (LOG:, ERROR:, DETAIL:,
    # STATEMENT:...) stays in the content; tab-indented continuation lines have no prefix
    "postgres": re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+ \[\d+\] (?:\S+@\S+ )?"),
    # klog: Lmmdd hh:mm:ss.uuuuuu pid file:line]
    "k8s": re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ [^\]\s]+\] "),
    # javastack: stack-trace lines as the JVM prints them have no header: content = line
    # HAProxy via syslog: the HTTP/TCP log line (client, accept time, frontend...) is the content
    "haproxy": re.compile(SYSLOG),
    # redis-server: pid:role dd Mon yyyy hh:mm:ss.mmm and the level mark (. - * #)
    "redis": re.compile(r"^\d+:[XCSM] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} [.\-*#] "),
    # MySQL 8 error log: time thread [Level]; the [MY-code] [Subsystem] pair stays in the content
    "mysql": re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \d+ \[[A-Za-z]+\] "),
    # BIND named via syslog
    "named": re.compile(SYSLOG),
}
# text put back in front of the content once the header is cut (json keeps its opening brace)
CONTENT_PREFIX = {"json": "{"}


def content_of(fmt: str, line: str) -> str:
    h = HEADERS.get(fmt)
    if h is None:
        return line
    m = h.match(line)
    return CONTENT_PREFIX.get(fmt, "") + line[m.end():] if m else line


def grouping_accuracy(truth: list[str], pred: list[str]) -> tuple[int, int]:
    """(correct lines, predicted groups) per LogPAI's evaluator."""
    assert len(truth) == len(pred)
    true_size = Counter(truth)
    groups = defaultdict(list)
    for t, p in zip(truth, pred):
        groups[p].append(t)
    correct = 0
    for members in groups.values():
        labels = set(members)
        if len(labels) == 1 and true_size[members[0]] == len(members):
            correct += len(members)
    return correct, len(groups)


def correct_groups(truth: list[str], pred: list[str]) -> int:
    """Predicted groups whose lines are exactly one true group's (for FGA)."""
    true_size = Counter(truth)
    groups = defaultdict(list)
    for t, p in zip(truth, pred):
        groups[p].append(t)
    return sum(1 for members in groups.values() if len(set(members)) == 1 and true_size[members[0]] == len(members))


PLACEHOLDER = re.compile(r"<:[A-Z_]+:>|<[A-Z_*]+>")


def normalise_template(template: str) -> str:
    """Every placeholder as <*>, adjacent ones merged, whitespace collapsed (for PA)."""
    t = PLACEHOLDER.sub("<*>", template)
    while "<*><*>" in t:
        t = t.replace("<*><*>", "<*>")
    return " ".join(t.split())


def parsing_accuracy(truth: list[str], pred: list[str], true_templates: dict, pred_templates: dict) -> float:
    """Share of lines whose predicted group's template equals their true template."""
    want = {k: normalise_template(v) for k, v in true_templates.items()}
    got = {k: normalise_template(v) for k, v in pred_templates.items()}
    return sum(1 for t, p in zip(truth, pred) if t in want and got.get(p) == want[t]) / len(truth)


def error_report(truth, pred, templates, limit=12):
    """Which true templates are split (lines in several groups) or merged (group shared)."""
    by_true = defaultdict(Counter)
    by_pred = defaultdict(Counter)
    for t, p in zip(truth, pred):
        by_true[t][p] += 1
        by_pred[p][t] += 1
    out = []
    for t in sorted(by_true):
        preds = by_true[t]
        merged = sorted({o for p in preds for o in by_pred[p] if o != t})
        if len(preds) == 1 and not merged:
            continue
        msg = f"    {t} ({sum(preds.values())} lines): {len(preds)} group(s)"
        if merged:
            msg += f", shares a group with {', '.join(merged[:4])}{'…' if len(merged) > 4 else ''}"
        out.append(msg + f"   {templates.get(t, '')[:90]}")
    return out[:limit] + ([f"    … {len(out) - limit} more"] if len(out) > limit else [])


def run_drain3(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    from drain3 import TemplateMiner
    from drain3.masking import MaskingInstruction
    from drain3.template_miner_config import TemplateMinerConfig

    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    cfg.drain_sim_th = 0.4
    cfg.drain_depth = 4
    cfg.drain_max_children = 100
    cfg.drain_max_clusters = 1024
    cfg.drain_extra_delimiters = ["_"]
    cfg.masking_instructions = [MaskingInstruction(p, m) for p, m in DRAIN3_MASKING]
    cfg.mask_prefix = "<:"
    cfg.mask_suffix = ":>"
    tm = TemplateMiner(config=cfg)
    ids = [str(tm.add_log_message(line)["cluster_id"]) for line in lines]
    return ids, {str(c.cluster_id): c.get_template() for c in tm.drain.clusters}


def vigil_templates(cmd: str, path: str) -> dict[str, str]:
    """Template id -> template text from `<cmd> FILE` printing `vigil templates -o json` lines."""
    try:
        p = subprocess.run(shlex.split(cmd) + [path], capture_output=True, text=True, timeout=600)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return {}
    out = {}
    for line in p.stdout.splitlines():
        if line.strip():
            o = json.loads(line)
            out[str(o["id"])] = o["template"]
    return out


def run_vigil(cmd: str, path: str, n: int) -> tuple[list[str] | None, str]:
    argv = shlex.split(cmd)
    if not argv:
        return None, "no command"
    exe = argv[0]
    if os.sep in exe and not os.access(exe, os.X_OK):
        return None, f"{exe} not found"
    try:
        p = subprocess.run(argv + [path], capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        return None, f"{exe} not found"
    except subprocess.TimeoutExpired:
        return None, "timed out"
    if p.returncode != 0:
        err = (p.stderr.strip().splitlines() or ["?"])[0]
        return None, f"exit {p.returncode}: {err[:120]}"
    ids = [l.strip() for l in p.stdout.splitlines()]
    if ids and ids[-1] == "" and len(ids) == n + 1:
        ids = ids[:-1]
    if len(ids) != n:
        return None, f"printed {len(ids)} ids for {n} lines"
    return ids, ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(HERE, "data"))
    ap.add_argument("--formats", default="", help="comma-separated subset (default: every *.log with .labels)")
    ap.add_argument("--vigil-cmd", default=DEFAULT_VIGIL, help="command given FILE, printing one id per line (default %(default)r)")
    ap.add_argument("--no-vigil", action="store_true", help="do not run Vigil")
    ap.add_argument("--no-line", action="store_true", help="skip Drain3 on whole lines")
    ap.add_argument("--no-drain3", action="store_true", help="do not run Drain3 (it need not be installed)")
    ap.add_argument("--check", metavar="FLOORS",
                    help="JSON {format: GA} of vigil-content floors (\"pooled\" for all lines); exit 1 below any")
    ap.add_argument("--errors", action="store_true", help="list the true templates each miner splits or merges")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    ap.add_argument("--loghub2", action="store_true", help="also FGA and PA (Loghub-2.0), content runs")
    ap.add_argument("--vigil-list-cmd", default=DEFAULT_VIGIL_LIST,
                    help="command given FILE, printing Vigil's templates as JSON lines (default %(default)r)")
    a = ap.parse_args(argv)
    logging.getLogger("drain3").setLevel(logging.WARNING)

    fmts = [f for f in a.formats.split(",") if f] or sorted(
        f[:-4] for f in os.listdir(a.data) if f.endswith(".log") and os.path.exists(os.path.join(a.data, f[:-4] + ".labels")))
    if not fmts:
        print(f"no labelled samples in {a.data}: run gen_samples.py first", file=sys.stderr)
        return 2
    methods = [] if a.no_drain3 else ["drain3-content"] + ([] if a.no_line else ["drain3-line"])
    if not a.no_vigil:
        methods += ["vigil-content"] + ([] if a.no_line else ["vigil-line"])
    results = {}
    notes = []
    for fmt in fmts:
        path = os.path.join(a.data, fmt + ".log")
        with open(path, newline="") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        with open(os.path.join(a.data, fmt + ".labels")) as f:
            truth = f.read().splitlines()
        if len(lines) != len(truth):
            raise SystemExit(f"{fmt}: {len(lines)} lines but {len(truth)} labels")
        templates = {}
        tp = os.path.join(a.data, fmt + ".templates")
        if os.path.exists(tp):
            with open(tp) as f:
                templates = dict(l.rstrip("\n").split("\t", 1) for l in f if "\t" in l)
        r = {"lines": len(lines), "templates": len(set(truth))}
        preds = {}
        pred_templates = {}
        contents = [content_of(fmt, l) for l in lines]
        if not a.no_drain3:
            preds["drain3-content"], pred_templates["drain3-content"] = run_drain3(contents)
            if not a.no_line:
                preds["drain3-line"], _ = run_drain3(lines)
        if not a.no_vigil:
            # Vigil reads the same text as Drain3: the stripped contents from a temporary file
            # (one message per line), and the sample file itself for whole lines.
            with tempfile.NamedTemporaryFile("w", prefix=f"{fmt}-content-", suffix=".log", delete=False) as tmp:
                tmp.write("".join(c + "\n" for c in contents))
            try:
                runs = [("vigil-content", tmp.name)] + ([] if a.no_line else [("vigil-line", path)])
                for m, file in runs:
                    ids, why = run_vigil(a.vigil_cmd, file, len(lines))
                    if ids is None:
                        notes.append(f"{m} skipped on {fmt}: {why}")
                    else:
                        preds[m] = ids
                        if a.loghub2 and m == "vigil-content":
                            pred_templates[m] = vigil_templates(a.vigil_list_cmd, file)
            finally:
                os.unlink(tmp.name)
        for m, p in preds.items():
            c, g = grouping_accuracy(truth, p)
            r[m] = {"correct": c, "groups": g, "ga": c / len(lines)}
            if a.loghub2 and m.endswith("-content"):
                n_c, n_g = correct_groups(truth, p), len(set(truth))
                pga, rga = n_c / g, n_c / n_g
                r[m]["fga"] = 2 * pga * rga / (pga + rga) if pga + rga else 0.0
                r[m]["pa"] = parsing_accuracy(truth, p, templates, pred_templates.get(m, {}))
            if a.errors:
                rep = error_report(truth, p, templates)
                if rep:
                    notes.append(f"{m} on {fmt}: GA {c / len(lines):.3f}")
                    notes.extend(rep)
        results[fmt] = r

    # table
    head = f"{'format':9s} {'lines':>6s} {'true':>5s}"
    for m in methods:
        head += f" | {m + ' groups':>20s} {'GA':>6s}"
    print(head)
    print("-" * len(head))
    tot = {m: [0, 0, []] for m in methods}
    total_lines = 0
    for fmt, r in results.items():
        row = f"{fmt:9s} {r['lines']:6d} {r['templates']:5d}"
        total_lines += r["lines"]
        for m in methods:
            if m in r:
                row += f" | {r[m]['groups']:20d} {r[m]['ga']:6.3f}"
                tot[m][0] += r[m]["correct"]
                tot[m][1] += r["lines"]
                tot[m][2].append(r[m]["ga"])
            else:
                row += f" | {'skipped':>20s} {'-':>6s}"
        print(row)
    print("-" * len(head))
    row = f"{'overall':9s} {total_lines:6d} {sum(r['templates'] for r in results.values()):5d}"
    mean_row = f"{'mean':9s} {'':6s} {'':5s}"
    for m in methods:
        c, n, gas = tot[m]
        if n == total_lines and n:
            row += f" | {'':20s} {c / n:6.3f}"
            mean_row += f" | {'':20s} {sum(gas) / len(gas):6.3f}"
        else:
            row += f" | {'(incomplete)' if n else 'skipped':>20s} {'-':>6s}"
            mean_row += f" | {'':20s} {'-':>6s}"
    print(row)
    print(mean_row)
    if a.loghub2:
        print()
        print(f"{'format':9s} " + " ".join(f"| {m + ' GA / FGA / PA':>34s}" for m in methods if m.endswith("-content")))
        for fmt, r in results.items():
            cells = []
            for m in methods:
                if m.endswith("-content"):
                    text = f"{r[m]['ga']:.3f} / {r[m]['fga']:.3f} / {r[m]['pa']:.3f}" if m in r else "skipped"
                    cells.append(f"| {text:>34s}")
            print(f"{fmt:9s} " + " ".join(cells))
        for m in methods:
            if m.endswith("-content") and all(m in r for r in results.values()):
                k = len(results)
                print(f"mean of formats, {m}: GA {sum(r[m]['ga'] for r in results.values()) / k:.3f}, "
                      f"FGA {sum(r[m]['fga'] for r in results.values()) / k:.3f}, PA {sum(r[m]['pa'] for r in results.values()) / k:.3f}")
    for n in notes:
        print(n)
    if a.json:
        print(json.dumps(results, indent=2))
    if a.check:
        return check_floors(a.check, results)
    return 0


def check_floors(path: str, results: dict) -> int:
    """1 when vigil-content's GA of a format (or pooled) is below its floor in `path`."""
    with open(path) as f:
        floors = json.load(f)
    got = {fmt: r["vigil-content"]["ga"] for fmt, r in results.items() if "vigil-content" in r}
    if len(got) == len(results) and got:
        got["pooled"] = sum(r["vigil-content"]["correct"] for r in results.values()) / sum(r["lines"] for r in results.values())
    failed = [f"{k}: GA {got[k]:.3f} < floor {v:.3f}" if k in got else f"{k}: not measured"
              for k, v in sorted(floors.items()) if k not in got or got[k] < v - 1e-9]
    for line in failed:
        print("below floor:", line, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
