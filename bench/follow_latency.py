#!/usr/bin/env python3
"""`-f` latency, Vigil against journald: the time from starting an append of one record to the
follower printing it.

    python3 bench/follow_latency.py --vigil .build/release/vigil --store DIR --journal FILE.journal [--trials 5]

Per trial, for each side in turn (the order alternates from trial to trial):

  vigil     `vigil query --data-dir DIR -f -n 1 -o cat` runs; once it has printed its first line,
            `vigil import --data-dir DIR --format json -` appends one JSON line stamped now.
  journald  `journalctl --file FILE -f -n 1 -o cat` runs; once it has printed its first line,
            `systemd-journal-remote -o FILE -` appends one Journal Export Format entry stamped now
            (the boot id of the file's last entry and a monotonic time after it, so that journalctl
            orders it after the tail).

The latency is from just before the appending process starts to the follower's line with the
record's unique token (read from a pipe), after a wait of 0.5 s plus a random part of Vigil's
250 ms poll interval once the follower is up; it includes the appending process's start-up and
commit. Prints one line per trial and the medians. Standard library only. The stores are changed
(one record per trial is added): run it after everything else.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time

JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote"


class Follower:
    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=dict(os.environ, TZ="UTC"))
        self.first = threading.Event()
        self.token: bytes | None = None
        self.seen = threading.Event()
        self.seen_at = 0.0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.first.set()
            if self.token is not None and self.token in line:
                self.seen_at = time.monotonic()
                self.seen.set()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def journal_tail(journal: str) -> tuple[str, int, int]:
    """(boot id, monotonic µs, realtime µs) of the file's last entry."""
    out = subprocess.run(["journalctl", "--file", journal, "-n", "1", "-o", "json", "--no-pager"],
                         capture_output=True, check=True).stdout
    e = json.loads(out.splitlines()[-1])
    return e["_BOOT_ID"], int(e["__MONOTONIC_TIMESTAMP"]), int(e["__REALTIME_TIMESTAMP"])


def trial(kind: str, args, n: int) -> tuple[float, float]:
    token = f"FOLLOWTOKEN{kind}{n}x{time.time_ns() % 1_000_000_007}"
    if kind == "vigil":
        follower = Follower([args.vigil, "query", "--data-dir", args.store, "-f", "-n", "1", "-o", "cat", "--no-pager"])
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        payload = (json.dumps({"time": now, "level": "info", "service": "follow-bench", "host": "bench", "msg": token}) + "\n").encode()
        append = [args.vigil, "import", "--data-dir", args.store, "--format", "json", "-"]
    else:
        follower = Follower(["journalctl", "--file", args.journal, "-f", "-n", "1", "-o", "cat", "--no-pager"])
        boot, mono, real = journal_tail(args.journal)
        now = time.time_ns() // 1000
        payload = (f"__REALTIME_TIMESTAMP={now}\n__MONOTONIC_TIMESTAMP={mono + max(1, now - real)}\n_BOOT_ID={boot}\n"
                   f"_HOSTNAME=bench\nMESSAGE={token}\nPRIORITY=6\nSYSLOG_IDENTIFIER=follow-bench\n\n").encode()
        append = [JOURNAL_REMOTE, "-o", args.journal, "-"]
    try:
        if not follower.first.wait(args.timeout):
            raise RuntimeError(f"{kind}: the follower printed nothing in {args.timeout} s")
        # Let it settle into waiting, for a random extra part of Vigil's 250 ms poll interval so
        # that the append does not always land at the same phase of it.
        time.sleep(0.5 + args.rng.uniform(0, 0.25))
        follower.token = token.encode()
        t0 = time.monotonic()
        subprocess.run(append, input=payload, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        t1 = time.monotonic()
        if not follower.seen.wait(args.timeout):
            return float("nan"), t1 - t0
        return follower.seen_at - t0, t1 - t0
    finally:
        follower.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vigil", required=True)
    ap.add_argument("--store", required=True, help="Vigil data directory")
    ap.add_argument("--journal", required=True, help="the journal file journal-remote appends to")
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a line (default 10)")
    args = ap.parse_args()
    args.rng = random.Random(21)
    res: dict[str, list[float]] = {"vigil": [], "journald": []}
    app: dict[str, list[float]] = {"vigil": [], "journald": []}
    for n in range(1, args.trials + 1):
        order = ("vigil", "journald") if n % 2 else ("journald", "vigil")
        for kind in order:
            lat, took = trial(kind, args, n)
            res[kind].append(lat)
            app[kind].append(took)
            print(f"trial {n} {kind}: printed after {lat * 1000:.1f} ms (the append process took {took * 1000:.1f} ms)", flush=True)
    for kind in ("vigil", "journald"):
        ok = [x for x in res[kind] if x == x]
        med = statistics.median(ok) * 1000 if ok else float("nan")
        print(f"median {kind}: {med:.1f} ms over {len(ok)} of {args.trials} trials printed; append process {statistics.median(app[kind]) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
