#!/usr/bin/env python3
"""Converts a log file (one of gen_shapes.py's shapes) to the Journal Export Format, for
`systemd-journal-remote -o FILE.journal EXPORT` (https://systemd.io/JOURNAL_EXPORT_FORMATS/).

    python3 bench/to_journal_export.py --format syslog|rfc5424|json [--year 2026] IN OUT

Each line becomes one entry with the fields journald would give it, no more:

  __REALTIME_TIMESTAMP   the line's own time (µs); RFC 3164 times, which carry no year, in --year, UTC
  __MONOTONIC_TIMESTAMP  time since a fixed per-host boot; _BOOT_ID a fixed per-host id (md5 of the host)
  MESSAGE                the message (for JSON: `msg`/`message`/`log`)
  PRIORITY               0-7 (syslog: PRI & 7; JSON: `level`/`severity`/`lvl` by name or number)
  SYSLOG_FACILITY        PRI >> 3 (JSON: 3, as journald gives stdout streams)
  SYSLOG_IDENTIFIER      the tag / APP-NAME / `service`
  SYSLOG_PID             the pid in `tag[pid]` / PROCID, when there is one
  _HOSTNAME              the host
  _SYSTEMD_UNIT          IDENTIFIER.service (`/` → `-`), so that `journalctl -u IDENTIFIER` works;
                         none for the identifier `kernel`, as journald gives kernel messages none
  SYSLOG_MSGID           RFC 5424 MSGID, when not `-`
  SD_<ID>_<NAME>         each RFC 5424 structured-data parameter (`meta@32473` → `META_32473`)
  <KEY>                  each other JSON field, nested keys joined with `_`, upper-cased, characters
                         outside [A-Z0-9_] replaced by `_` (a leading digit gets `F_`); numbers, true,
                         false and null as their JSON text

Lines that do not parse are written with MESSAGE = the whole line (at the previous entry's time)
and counted on stderr.
Standard library only.
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import json
import os
import re
import sys

MONTHS = {m: i + 1 for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"))}
LEVELS = {
    "emerg": 0, "emergency": 0, "panic": 0, "alert": 1, "crit": 2, "critical": 2, "fatal": 2,
    "err": 3, "error": 3, "warn": 4, "warning": 4, "notice": 5, "info": 6, "information": 6,
    "informational": 6, "debug": 7, "trace": 7,
}
RFC3164 = re.compile(rb"<(\d{1,3})>([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\S+) ([^\s\[:]+)(?:\[(\d+)\])?: ?(.*)")
RFC5424 = re.compile(rb"<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) ")
RFC3339 = re.compile(rb"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)")
BAD_KEY = re.compile(r"[^A-Z0-9_]")
BOOT_EPOCH_US = calendar.timegm((2026, 10, 1, 0, 0, 0)) * 1_000_000


class Writer:
    def __init__(self, out) -> None:
        self.out = out
        self.boot: dict[bytes, bytes] = {}
        self.buf: list[bytes] = []
        self.size = 0
        self.last_us = 1

    def entry(self, realtime_us: int, host: bytes, fields: list[tuple[bytes, bytes]]) -> None:
        self.last_us = realtime_us
        boot = self.boot.get(host)
        if boot is None:
            boot = self.boot[host] = hashlib.md5(host).hexdigest().encode()
        parts = [b"__REALTIME_TIMESTAMP=%d\n__MONOTONIC_TIMESTAMP=%d\n_BOOT_ID=%s\n_HOSTNAME=%s\n"
                 % (realtime_us, max(1, realtime_us - BOOT_EPOCH_US), boot, host)]
        for name, value in fields:
            if b"\n" in value:
                parts.append(name + b"\n" + len(value).to_bytes(8, "little") + value + b"\n")
            else:
                parts.append(name + b"=" + value + b"\n")
        parts.append(b"\n")
        chunk = b"".join(parts)
        self.buf.append(chunk)
        self.size += len(chunk)
        if self.size >= 4 << 20:
            self.flush()

    def flush(self) -> None:
        self.out.write(b"".join(self.buf))
        self.buf.clear()
        self.size = 0


def unit_of(identifier: bytes) -> list[tuple[bytes, bytes]]:
    if identifier == b"kernel":
        return []
    return [(b"_SYSTEMD_UNIT", identifier.replace(b"/", b"-") + b".service")]


def rfc3339_us(text: bytes) -> int | None:
    m = RFC3339.fullmatch(text)
    if not m:
        return None
    y, mo, d, hh, mi, ss, frac, zone = m.groups()
    sec = calendar.timegm((int(y), int(mo), int(d), int(hh), int(mi), int(ss)))
    if zone != b"Z":
        sign = 1 if zone[:1] == b"+" else -1
        sec -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    us = int((frac or b"0").ljust(6, b"0")[:6])
    return sec * 1_000_000 + us


def convert_syslog(line: bytes, w: Writer, year: int, cache: dict) -> bool:
    m = RFC3164.fullmatch(line)
    if not m:
        return False
    pri, mon, day, hh, mi, ss, host, tag, pid, msg = m.groups()
    key = (mon, day)
    base = cache.get(key)
    if base is None:
        base = cache[key] = calendar.timegm((year, MONTHS[mon.decode()], int(day), 0, 0, 0))
    t = base + int(hh) * 3600 + int(mi) * 60 + int(ss)
    p = int(pri)
    fields = [(b"MESSAGE", msg), (b"PRIORITY", b"%d" % (p & 7)), (b"SYSLOG_FACILITY", b"%d" % (p >> 3)), (b"SYSLOG_IDENTIFIER", tag)]
    if pid:
        fields.append((b"SYSLOG_PID", pid))
    w.entry(t * 1_000_000, host, fields + unit_of(tag))
    return True


def sd_key(text: str) -> bytes:
    k = BAD_KEY.sub("_", text.upper())
    return k.encode()


def parse_sd(line: bytes, i: int) -> tuple[list[tuple[bytes, bytes]], int] | None:
    """Structured data from line[i] ('[') on: (fields, index after the last ']')."""
    out = []
    n = len(line)
    while i < n and line[i:i + 1] == b"[":
        j = i + 1
        while j < n and line[j] not in b" ]":
            j += 1
        sd_id = line[i + 1:j].decode()
        while j < n and line[j:j + 1] == b" ":
            j += 1
            k = line.index(b"=", j)
            name = line[j:k].decode()
            if line[k + 1:k + 2] != b'"':
                return None
            j = k + 2
            value = bytearray()
            while line[j:j + 1] != b'"':
                if line[j:j + 1] == b"\\" and line[j + 1:j + 2] in (b'"', b"\\", b"]"):
                    j += 1
                value += line[j:j + 1]
                j += 1
            j += 1
            out.append((b"SD_" + sd_key(sd_id) + b"_" + sd_key(name), bytes(value)))
        if line[j:j + 1] != b"]":
            return None
        i = j + 1
    return out, i


def convert_rfc5424(line: bytes, w: Writer) -> bool:
    m = RFC5424.match(line)
    if not m:
        return False
    pri, ts, host, app, procid, msgid = m.groups()
    t = rfc3339_us(ts)
    if t is None:
        return False
    i = m.end()
    if line[i:i + 1] == b"-":
        sd, i = [], i + 1
    else:
        parsed = parse_sd(line, i)
        if parsed is None:
            return False
        sd, i = parsed
    msg = line[i + 1:] if line[i:i + 1] == b" " else line[i:]
    p = int(pri)
    fields = [(b"MESSAGE", msg), (b"PRIORITY", b"%d" % (p & 7)), (b"SYSLOG_FACILITY", b"%d" % (p >> 3)), (b"SYSLOG_IDENTIFIER", app)]
    if procid != b"-":
        fields.append((b"SYSLOG_PID", procid))
    if msgid != b"-":
        fields.append((b"SYSLOG_MSGID", msgid))
    w.entry(t, host, fields + sd + unit_of(app))
    return True


def flatten(obj: dict, prefix: str, out: list) -> None:
    for k, v in obj.items():
        if isinstance(v, dict):
            flatten(v, prefix + k + "_", out)
        else:
            out.append((prefix + k, v))


def json_key(k: str) -> bytes:
    k = BAD_KEY.sub("_", k.upper())
    if not k[:1].isalpha():
        k = "F_" + k
    return k[:64].encode()


def json_text(v) -> bytes:
    if isinstance(v, str):
        return v.encode()
    return json.dumps(v).encode()


def convert_json(line: bytes, w: Writer) -> bool:
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    if not isinstance(obj, dict):
        return False
    t = rfc3339_us(str(obj.pop("time", "")).encode())
    if t is None:
        return False
    msg = obj.pop("msg", None) or obj.pop("message", None) or obj.pop("log", "")
    level = obj.pop("level", None) or obj.pop("severity", None) or obj.pop("lvl", "info")
    prio = LEVELS.get(str(level).lower(), 6) if not isinstance(level, int) else min(max(level, 0), 7)
    service = str(obj.pop("service", "")).encode()
    host = str(obj.pop("host", "") or obj.pop("hostname", "")).encode()
    fields = [(b"MESSAGE", json_text(msg)), (b"PRIORITY", b"%d" % prio), (b"SYSLOG_FACILITY", b"3")]
    if service:
        fields.append((b"SYSLOG_IDENTIFIER", service))
    rest: list = []
    flatten(obj, "", rest)
    fields.extend((json_key(k), json_text(v)) for k, v in rest)
    w.entry(t, host, fields + (unit_of(service) if service else []))
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", required=True, choices=("syslog", "rfc5424", "json"))
    ap.add_argument("--year", type=int, default=2026, help="year of RFC 3164 timestamps (default 2026, gen_shapes.py's)")
    ap.add_argument("input")
    ap.add_argument("output", help="export file, or - for stdout")
    args = ap.parse_args()

    out = sys.stdout.buffer if args.output == "-" else open(args.output + ".tmp", "wb")
    w = Writer(out)
    cache: dict = {}
    entries = bad = 0
    with open(args.input, "rb") as f:
        for raw in f:
            line = raw.rstrip(b"\n")
            if not line:
                continue
            if args.format == "syslog":
                ok = convert_syslog(line, w, args.year, cache)
            elif args.format == "rfc5424":
                ok = convert_rfc5424(line, w)
            else:
                ok = convert_json(line, w)
            if not ok:
                bad += 1
                w.entry(w.last_us, b"unknown", [(b"MESSAGE", line), (b"PRIORITY", b"6")])
            entries += 1
    w.flush()
    if out is not sys.stdout.buffer:
        out.close()
        os.replace(args.output + ".tmp", args.output)
    print(f"to_journal_export: {entries} entries, {bad} not parsed (kept whole as MESSAGE)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
