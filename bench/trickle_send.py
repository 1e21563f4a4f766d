#!/usr/bin/env python3
"""Trickles a log file into a live vigild for bench/trickle-bench.sh: one record at a time, or a few.

    python3 bench/trickle_send.py http    --url http://127.0.0.1:PORT/v1/logs --batch 10 FILE.ndjson
    python3 bench/trickle_send.py udp     --addr 127.0.0.1:PORT --rate 100 FILE.log
    python3 bench/trickle_send.py journal --output DIR/remote.journal --rate 50 FILE.export

http     POSTs the NDJSON lines of FILE, --batch lines per request (Content-Type:
         application/x-ndjson), one request after the other on one keep-alive connection, each sent
         as soon as the previous one is answered (vigild answers 204 once the records are durable,
         so every request becomes its own commit). A non-204 answer stops it (exit 1).
udp      sends each line of FILE as one datagram, --rate lines per second, paced on the monotonic
         clock (line i leaves at start + i / rate; no catching up in bursts beyond that).
journal  pipes the entries of FILE (Journal Export Format, e.g. from bench/to_journal_export.py)
         into `systemd-journal-remote --output=OUTPUT -`, --rate entries per second, paced the same
         way, flushing the pipe after each entry; waits for journal-remote to exit at the end.

Prints one line to stdout: `sent=N seconds=S rate=R` (and for http `requests=Q p50_ms= p99_ms=`).
Standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import subprocess
import sys
import time
import urllib.parse


def pace(rate: float):
    """Yields once per item, sleeping so that item i leaves at start + i / rate (monotonic)."""
    start = time.monotonic()
    i = 0
    while True:
        due = start + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        yield
        i += 1


def lines_of(path: str) -> list[bytes]:
    with open(path, "rb") as f:
        return [line.rstrip(b"\n") for line in f if line.strip()]


def send_http(args) -> int:
    url = urllib.parse.urlsplit(args.url)
    lines = lines_of(args.file)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    path = url.path or "/v1/logs"
    headers = {"Content-Type": "application/x-ndjson"}
    latencies = []
    sent = 0
    t0 = time.monotonic()
    for i in range(0, len(lines), args.batch):
        body = b"\n".join(lines[i:i + args.batch]) + b"\n"
        t = time.monotonic()
        for attempt in range(2):
            try:
                conn.request("POST", path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                break
            except (ConnectionError, http.client.HTTPException):
                if attempt:
                    raise
                conn.close()  # the server closed an idle keep-alive connection: once more
                conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
        latencies.append(time.monotonic() - t)
        if resp.status != 204:
            print(f"trickle_send: request {i // args.batch + 1}: HTTP {resp.status}: {data[:200]!r}", file=sys.stderr)
            return 1
        sent += min(args.batch, len(lines) - i)
    secs = time.monotonic() - t0
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(f"sent={sent} seconds={secs:.2f} rate={sent / secs:.1f} requests={len(latencies)} p50_ms={p(0.5):.2f} p99_ms={p(0.99):.2f}")
    return 0


def send_udp(args) -> int:
    host, _, port = args.addr.rpartition(":")
    lines = lines_of(args.file)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((host, int(port)))
    t0 = time.monotonic()
    for line, _ in zip(lines, pace(args.rate)):
        sock.send(line)
    secs = time.monotonic() - t0
    print(f"sent={len(lines)} seconds={secs:.2f} rate={len(lines) / secs:.1f}")
    return 0


def export_entries(path: str) -> list[bytes]:
    """The entries of a Journal Export Format file, each with its terminating blank line."""
    with open(path, "rb") as f:
        data = f.read()
    entries = []
    start = i = 0
    n = len(data)
    while i < n:
        if data[i:i + 1] == b"\n":  # blank line: end of entry
            i += 1
            entries.append(data[start:i])
            start = i
            continue
        end = data.index(b"\n", i)
        if b"=" in data[i:end]:
            i = end + 1  # FIELD=value
        else:  # binary field: NAME\n, 64-bit little-endian length, data, \n
            size = int.from_bytes(data[end + 1:end + 9], "little")
            i = end + 9 + size + 1
    if start < n:
        entries.append(data[start:] + b"\n")
    return entries


def send_journal(args) -> int:
    entries = export_entries(args.file)
    proc = subprocess.Popen([args.journal_remote, f"--output={args.output}", "-"], stdin=subprocess.PIPE)
    t0 = time.monotonic()
    for entry, _ in zip(entries, pace(args.rate)):
        proc.stdin.write(entry)
        proc.stdin.flush()
    secs = time.monotonic() - t0
    proc.stdin.close()
    rc = proc.wait()
    print(f"sent={len(entries)} seconds={secs:.2f} rate={len(entries) / secs:.1f}")
    if rc != 0:
        print(f"trickle_send: {args.journal_remote} exited {rc}", file=sys.stderr)
    return rc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    h = sub.add_parser("http", help="NDJSON POSTs, one after the other")
    h.add_argument("--url", required=True)
    h.add_argument("--batch", type=int, default=1, help="lines per request (default 1)")
    h.add_argument("file")
    u = sub.add_parser("udp", help="one datagram per line at --rate lines/s")
    u.add_argument("--addr", required=True, help="HOST:PORT")
    u.add_argument("--rate", type=float, required=True)
    u.add_argument("file")
    j = sub.add_parser("journal", help="Journal Export Format entries into systemd-journal-remote at --rate entries/s")
    j.add_argument("--output", required=True, help="journal file systemd-journal-remote writes (ends in .journal)")
    j.add_argument("--rate", type=float, required=True)
    j.add_argument("--journal-remote", default="/lib/systemd/systemd-journal-remote")
    j.add_argument("file")
    args = ap.parse_args()
    return {"http": send_http, "udp": send_udp, "journal": send_journal}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
