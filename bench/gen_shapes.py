#!/usr/bin/env python3
"""Deterministic single-shape log corpora for the store-against-journald benchmark (issue #21).

    python3 bench/gen_shapes.py --shape rfc3164 --seed 42 --size 100MiB --out bench/corpus/shape-rfc3164-42-100MiB.log

Four shapes, each a whole file of one kind of line:

  rfc3164  syslog as rsyslog writes it: `<PRI>Nov  4 11:09:36 web-03 sshd[4242]: ...`, the system
           daemons of gen_corpus.py (sshd, CRON, systemd, nginx, postgres, named, ...) on 20 hosts.
  rfc5424  `<PRI>1 2026-11-04T11:09:36.123456Z host app procid msgid [sd...] msg`, the RFC 5424
           services of gen_corpus.py; about 90 % of lines carry one to three structured-data
           elements (meta@32473, origin, timeQuality, req@32473 with request and user ids).
  json     NDJSON application logs, 12-28 fields a line (most 15-25, nested objects counted by
           leaf): time, level, service, host, msg, env, region, pod, request/trace/span/session ids,
           user ids, tenant, latency, and per service an `http`, `db` or `kafka` object or order ids
           and amounts, maybe logger/thread, caller/goroutine or cache fields; err lines add an
           `error` object (gen_corpus.py's 30 application services and their messages).
  kernel   short kernel lines with a syslog header: `<4>Nov  4 11:09:36 web-03 kernel: [1234567.123456]
           eth0: Link is Up - 10Gbps/Full`, `audit: type=1400 ...`, UFW, OOM, I/O errors, soft lockups.

Event times ascend over the 7 days from 2026-11-01T00:00:00Z (busier by day than by night, quieter at
the weekend, random gaps between lines). About 3 % of lines are err or worse, including about one error
burst per six hours (1-7 minutes in which one service emits err/crit lines on top of its traffic). The
token RAREWORD is appended to the message of one line every ~2,000,000 bytes (--rare-every-bytes).

Values come from gen_corpus.py (its pools, templates and services are imported, not copied), so the
same --shape, --seed and --size give a byte-identical file for a given gen_corpus.py. Standard
library only; one random.Random(seed). The file is written to OUT.tmp and renamed at the end;
statistics (and the expected answers of the benchmark's queries) go to stderr and OUT.stats.json.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import sys
import time
import zlib

sys.dont_write_bytecode = True  # no bench/__pycache__ from importing gen_corpus
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus as gc  # noqa: E402
from gen_corpus import (  # noqa: E402
    ALERT, CRIT, DEBUG, EMERG, ERR, HOSTS, INFO, JSON, KERN, NOTICE, REGION, RFC3164, RFC5424, SPAN,
    START, WARNING, T, Service,
)

SHAPES = ("rfc3164", "rfc5424", "json", "kernel")

# The windows the journald benchmark queries (inclusive at both ends, as `vigil query` and
# `journalctl` treat --since/--until): 1 % of the span in the middle, and one minute on a weekday
# afternoon.
WINDOWS = {
    "pct1": (START + SPAN * 495 // 1000, START + SPAN * 505 // 1000),
    "min1": (START + 4 * 86400 + 14 * 3600 + 30 * 60, START + 4 * 86400 + 14 * 3600 + 31 * 60),
}

# Share of err-or-worse lines outside bursts; bursts add about half a percent.
ERR_TARGET = 0.025


# --------------------------------------------------------------------------------------------
# Kernel lines


def kernel_service(v: gc.V, ctx: gc.Ctx) -> Service:
    boot = {h: START - 86400 * (3 + zlib.crc32(h.encode()) % 120) - zlib.crc32(h.encode()[::-1]) % 86400 for h in HOSTS}
    macs = {h: ":".join(f"{(zlib.crc32(h.encode()) >> (k * 4)) & 255:02x}" for k in range(6)) for h in HOSTS}
    comms = ("java", "node", "python3", "postgres", "nginx", "ruby", "envoy", "redis-server", "dockerd", "containerd-shim")
    libs = ("libc.so.6", "libjvm.so", "libpthread.so.0", "node", "libssl.so.3", "libstdc++.so.6")

    def up() -> str:
        return f"[{ctx.t - boot[ctx.host]:12.6f}]"

    def veth() -> str:
        return f"veth{v.hexs(7)}"

    def audit_id() -> str:
        return f"audit({v.epoch_ms()}:{v.i(100, 9_999_999)})"

    def ufw():
        return (f"{up()} [UFW BLOCK] IN=eth0 OUT= MAC={macs[ctx.host]}:00:1c:73:0a:11:5e:08:00 SRC={v.ext_ip()} DST={v.ip()} "
                f"LEN={v.pick((40, 44, 52, 60))} TOS=0x00 PREC=0x00 TTL={v.i(30, 250)} ID={v.i(1, 65535)} PROTO=TCP SPT={v.port()} "
                f"DPT={v.pick((22, 23, 3389, 445, 8080, 5432, 6379))} WINDOW={v.pick((1024, 29200, 65535))} RES=0x00 SYN URGP=0")

    return Service(
        "kernel", hosts=list(HOSTS), formats={RFC3164: 1}, facility=KERN, pid=None,
        normal=[
            T(INFO, lambda: f"{up()} eth{v.i(0, 1)}: Link is Up - {v.pick(('1Gbps', '10Gbps', '25Gbps'))}/Full - flow control {v.pick(('rx/tx', 'off'))}", 2),
            T(INFO, lambda: f"{up()} docker0: port {v.i(1, 30)}({veth()}) entered {v.pick(('forwarding', 'blocking', 'disabled'))} state", 6),
            T(INFO, lambda: f"{up()} device {veth()} {v.pick(('entered', 'left'))} promiscuous mode", 4),
            T(INFO, lambda: f"{up()} eth0: renamed from {veth()}", 3),
            T(INFO, lambda: f"{up()} IPv6: ADDRCONF(NETDEV_CHANGE): {veth()}: link becomes ready", 3),
            T(INFO, lambda: f"{up()} cni0: port {v.i(1, 60)}({veth()}) entered forwarding state", 3),
            T(NOTICE, lambda: f"{up()} audit: type=1400 {audit_id()}: apparmor=\"DENIED\" operation=\"{v.pick(('open', 'exec', 'ptrace', 'capable'))}\" profile=\"{v.pick(('snap.lxd.daemon', 'cri-containerd.apparmor.d', 'docker-default', 'nvidia_modprobe'))}\" name=\"/proc/{v.i(1, 99999)}/{v.pick(('mounts', 'environ', 'status'))}\" pid={v.i(1000, 999999)} comm=\"{v.pick(comms)}\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0", 5),
            T(NOTICE, lambda: f"{up()} audit: type=1326 {audit_id()}: auid=4294967295 uid={v.pick((0, 1000, 65534))} gid=0 ses=4294967295 pid={v.i(1000, 999999)} comm=\"{v.pick(comms)}\" exe=\"/usr/bin/{v.pick(comms)}\" sig=0 arch=c000003e syscall={v.i(0, 330)} compat=0 ip=0x{v.hexs(12)} code=0x7ffc0000", 2),
            T(INFO, lambda: f"{up()} audit: type=1300 {audit_id()}: arch=c000003e syscall=59 success=yes exit=0 a0={v.hexs(12)} a1={v.hexs(12)} items=2 ppid={v.i(1, 99999)} pid={v.i(1000, 999999)} auid={v.unix_uid()} uid=0 comm=\"{v.pick(comms)}\" key=\"exec\"", 2),
            T(INFO, ufw, 6),
            T(INFO, lambda: f"{up()} {v.pick(comms)}[{v.i(1000, 999999)}]: segfault at {v.hexs(8)} ip {v.hexs(16)} sp {v.hexs(16)} error {v.pick((4, 6, 14))} in {v.pick(libs)}[{v.hexs(12)}+{v.hexs(6)}]"),
            T(INFO, lambda: f"{up()} oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-{v.container()[:16]}.scope,mems_allowed=0,task={v.pick(comms)},pid={v.i(1000, 999999)},uid={v.unix_uid()}"),
            T(INFO, lambda: f"{up()} EXT4-fs (nvme0n1p{v.i(1, 3)}): mounted filesystem {v.uuid()} r/w with ordered data mode. Quota mode: none."),
            T(INFO, lambda: f"{up()} usb {v.i(1, 4)}-{v.i(1, 4)}: new high-speed USB device number {v.i(2, 40)} using xhci_hcd"),
            T(INFO, lambda: f"{up()} sd {v.i(0, 3)}:0:0:0: [sd{v.pick('abcd')}] Synchronizing SCSI cache"),
            T(INFO, lambda: f"{up()} overlayfs: upper fs does not support RENAME_WHITEOUT.", 2),
            T(INFO, lambda: f"{up()} IPVS: rr: TCP {v.ip()}:{v.pick((80, 443, 8080))} - no destination available"),
            T(DEBUG, lambda: f"{up()} nvme nvme0: {v.i(8, 64)}/0/0 default/read/poll queues"),
        ],
        warn=[
            T(WARNING, lambda: f"{up()} eth{v.i(0, 1)}: Link is Down", 2),
            T(WARNING, lambda: f"{up()} TCP: request_sock_TCP: Possible SYN flooding on port {v.pick((80, 443, 8080, 22))}. Sending cookies.  Check SNMP counters.", 2),
            T(WARNING, lambda: f"{up()} nvme nvme0: I/O {v.i(0, 1023)} QID {v.i(1, 8)} timeout, aborting"),
            T(WARNING, lambda: f"{up()} perf: interrupt took too long ({v.i(2500, 9000)} > {v.i(2500, 5000)}), lowering kernel.perf_event_max_sample_rate to {v.i(20000, 80000)}"),
            T(WARNING, lambda: f"{up()} net_ratelimit: {v.i(2, 900)} callbacks suppressed", 2),
            T(WARNING, lambda: f"{up()} cgroup: fork rejected by pids controller in /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{v.uuid().replace('-', '_')}.slice"),
            T(WARNING, lambda: f"{up()} IPv4: martian source {v.ip()} from {v.ext_ip()}, on dev eth{v.i(0, 1)}"),
            T(WARNING, lambda: f"{up()} clocksource: timekeeping watchdog on CPU{v.i(0, 15)}: Marking clocksource 'tsc' as unstable because the skew is too large:"),
        ],
        err=[
            T(ERR, lambda: f"{up()} Out of memory: Killed process {v.i(1000, 999999)} ({v.pick(comms)}) total-vm:{v.i(1_000_000, 9_000_000)}kB, anon-rss:{v.i(500_000, 4_000_000)}kB, file-rss:{v.i(0, 9000)}kB, shmem-rss:0kB, UID:{v.unix_uid()} pgtables:{v.i(1000, 9000)}kB oom_score_adj:{v.pick((0, 900, 999))}", 2),
            T(ERR, lambda: f"{up()} Memory cgroup out of memory: Killed process {v.i(1000, 999999)} ({v.pick(comms)})", 2),
            T(ERR, lambda: f"{up()} nf_conntrack: nf_conntrack: table full, dropping packet", 2),
            T(ERR, lambda: f"{up()} blk_update_request: I/O error, dev nvme0n1, sector {v.i(1, 900_000_000)} op 0x{v.i(0, 1)}:({v.pick(('READ', 'WRITE'))}) flags 0x800 phys_seg {v.i(1, 32)} prio class 0"),
            T(ERR, lambda: f"{up()} INFO: task {v.pick(comms)}:{v.i(1000, 999999)} blocked for more than {v.pick((120, 241, 362))} seconds."),
            T(ERR, lambda: f"{up()} mce: [Hardware Error]: Machine check events logged"),
            T(CRIT, lambda: f"{up()} EXT4-fs error (device nvme0n1p{v.i(1, 3)}): ext4_find_entry:1463: inode #{v.i(2, 9_000_000)}: comm {v.pick(comms)}: reading directory lblock 0"),
            T(CRIT, lambda: f"{up()} TCP: out of memory -- consider tuning tcp_mem"),
            T(ALERT, lambda: f"{up()} BUG: unable to handle page fault for address: {v.hexs(16)}"),
            T(EMERG, lambda: f"{up()} watchdog: BUG: soft lockup - CPU#{v.i(0, 15)} stuck for {v.i(22, 90)}s! [kworker/{v.i(0, 15)}:{v.i(0, 3)}:{v.i(100, 99999)}]"),
        ],
        err_p=0.02, warn_p=0.06,
    )


# --------------------------------------------------------------------------------------------
# RFC 5424 structured data and JSON fields


def sd_builder(v: gc.V, ctx: gc.Ctx):
    """One to three SD elements on ~90 % of lines."""

    def sd(svc: Service) -> str:
        if v.r() < 0.1:
            return "-"
        parts = [f'[meta@32473 env="prod" region="{REGION[ctx.host]}" seq="{v.seq(1_000_000, 3)}"]']
        u = v.r()
        if u < 0.45:
            parts.append(f'[req@32473 requestId="{v.uuid()}" userId="{v.uid()}" tenant="{v.tenant()}" latencyMs="{v.ms(30)}"]')
        elif u < 0.65:
            parts.append(f'[origin ip="{v.ip()}" software="{svc.name}" swVersion="{1 + zlib.crc32(svc.name.encode()) % 4}.{v.i(0, 3)}.{zlib.crc32(svc.name.encode()) % 9}"]')
        elif u < 0.8:
            parts.insert(0, '[timeQuality tzKnown="1" isSynced="1" syncAccuracy="' + str(v.i(100, 900_000)) + '"]')
        if v.r() < 0.25:
            parts.append(f'[k8s@32473 pod="{v.pod()}" container="{v.container()[:12]}"]')
        return "".join(parts)

    return sd


def json_fields(v: gc.V, ctx: gc.Ctx, svc: Service):
    """A function returning the fields after `msg` (a string starting with a comma) for one line of
    SVC: its own fixed selection, 10-20 fields, depending on the service's name, not the seed."""
    name = svc.name
    h = zlib.crc32(name.encode())
    version = f"{1 + h % 4}.{(h >> 4) % 60}.{(h >> 10) % 9}"
    pkg = name.replace("-", "")
    pods = [f"{name}-{(h >> 3) & 0xFFFFFFF:07x}{k}-{zlib.crc32(f'{name}{k}'.encode()) & 0xFFFFF:05x}" for k in range(6)]
    deps = ("postgres", "redis", "kafka", "payments", "catalog", "auth", "inventory")
    frags = [
        lambda: f',"env":"prod","region":"{REGION[ctx.host]}","pod":"{v.pick(pods)}"',
        lambda: f',"request_id":"{v.uuid()}"',
        lambda: f',"trace_id":"{v.hexs(32)}","span_id":"{v.hexs(16)}"' if v.r() < 0.7 else "",
        lambda: f',"user_id":{v.uid()},"session_id":"{v.session()}"' if v.r() < 0.8 else ',"user_id":null',
        lambda: f',"tenant":"{v.tenant()}","duration_ms":{v.ms(30)}',
    ]
    # One larger group (4-6 fields) and, for about half the services, a smaller one (2-3).
    primary = ("http", "db", "kafka", "commerce")[h % 4]
    secondary = ("java", "go", "cache", None, None, None)[(h >> 8) % 6]
    chosen = [primary] + ([secondary] if secondary else [])
    for k in chosen:
        if k == "http":
            frags.append(lambda: f',"http":{{"method":"{v.method()}","path":"{v.http_path()}","status":{v.http_status()},"latency_ms":{v.ms(40)},"bytes_out":{v.i(120, 250_000)}}},"client_ip":"{v.client_ip()}","version":"{version}"')
        elif k == "db":
            frags.append(lambda: f',"db":{{"system":"postgresql","statement":"{v.pick(("select", "select", "insert", "update"))}","table":"{v.table()}","rows":{int(v.r() ** 3 * 500)},"time_ms":{v.ms(6)}}}')
        elif k == "java":
            frags.append(lambda: f',"logger":"com.example.{pkg}.{pkg.capitalize()}{v.pick(("Controller", "Service", "Repository", "Client"))}","thread":"http-nio-8080-exec-{v.i(1, 200)}","version":"{version}"')
        elif k == "go":
            frags.append(lambda: f',"caller":"{v.pick(("handler", "store", "worker", "client"))}/{v.pick(("http", "db", "queue", "cache"))}.go:{v.i(20, 900)}","goroutine":{v.i(7, 9999)},"version":"{version}"')
        elif k == "kafka":
            frags.append(lambda: f',"kafka":{{"topic":"{name}-events","partition":{v.i(0, 11)},"offset":{v.seq(300_000_000, 40)},"lag":{int(v.r() ** 4 * 5000)}}}')
        elif k == "commerce":
            frags.append(lambda: f',"order_id":"{v.order_id()}","cart_id":"{v.uuid()}","amount":{v.amount()},"currency":"{v.currency()}"' if v.r() < 0.6 else "")
        elif k == "cache":
            frags.append(lambda: f',"cache":{{"hit":{v.pick(("true", "true", "false"))},"key":"{name}:{v.i(1, 900_000)}"}},"attempt":{1 + int(v.r() ** 6 * 4)}')
    frags.append(lambda: "")

    def fields(sev: int) -> str:
        out = "".join(f() for f in frags)
        if sev <= ERR:
            out += f',"error":{{"kind":"{v.pick(("timeout", "unavailable", "conflict", "internal"))}","dependency":"{v.pick(deps)}","code":"E{v.i(1000, 9999)}"}}'
        return out

    return fields


# --------------------------------------------------------------------------------------------
# The generator


def pick_services(shape: str, v: gc.V, ctx: gc.Ctx) -> list[tuple[Service, float]]:
    if shape == "kernel":
        return [(kernel_service(v, ctx), 1.0)]
    services = gc.build_services(v, ctx)
    fmt = {"rfc3164": RFC3164, "rfc5424": RFC5424, "json": JSON}[shape]
    return [(s, s.formats[fmt]) for s in services if fmt in s.formats]


def generate(out, shape: str, target: int, seed: int, rare_every: int, progress: bool) -> dict:
    rng = random.Random(seed)
    r = rng.random
    clock = gc.build_clock(rng)
    tf = gc.TimeFormats()
    ctx = gc.Ctx()
    v = gc.V(rng, ctx, tf)
    weighted = pick_services(shape, v, ctx)
    services = [s for s, _ in weighted]
    total_w = sum(w for _, w in weighted)
    cum, acc = [], 0.0
    for _, w in weighted:
        acc += w
        cum.append(acc / total_w)
    # Scale every service's err-or-worse share so that the shape has ERR_TARGET outside bursts.
    mean_err = sum(s.err_p * w for s, w in weighted) / total_w
    err_scale = ERR_TARGET / mean_err
    bursts = gc.plan_bursts(rng, services, candidates=services)
    sd = sd_builder(v, ctx)
    jfields = {s.name: json_fields(v, ctx, s) for s in services} if shape == "json" else {}
    right = bisect.bisect_right
    mean_line = {"rfc3164": 190, "rfc5424": 330, "json": 760, "kernel": 150}[shape]

    def make_line(svc: Service, host: str, t: float, sev: int, msg: str) -> tuple[str, int]:
        """The line and its written time in µs (the precision the line carries)."""
        sec = int(t)
        if shape in ("rfc3164", "kernel"):
            pid = svc.pid_mode
            head = f"<{svc.facility * 8 + sev}>{tf(sec)[0]} {host} {svc.tag}"
            if pid is None:
                return f"{head}: {msg}\n", sec * 1_000_000
            pid = svc.pids[host] if pid == "stable" else v.pid() if pid == "random" else pid
            return f"{head}[{pid}]: {msg}\n", sec * 1_000_000
        if shape == "rfc5424":
            us = int((t - sec) * 1e6) if svc.precision == 6 else int((t - sec) * 1e3) * 1000
            frac = f"{us:06d}" if svc.precision == 6 else f"{us // 1000:03d}"
            pid = svc.pid_mode
            procid = "-" if pid is None else svc.pids[host] if pid == "stable" else v.pid() if pid == "random" else pid
            msgid = svc.msgids[int(r() * len(svc.msgids))]
            return (f"<{svc.facility * 8 + sev}>1 {tf(sec)[1]}.{frac}Z {host} {svc.tag} {procid} {msgid} {sd(svc)} {msg}\n",
                    sec * 1_000_000 + us)
        ms = int((t - sec) * 1e3)
        if '"' in msg or "\\" in msg:
            msg = json.dumps(msg)[1:-1]
        return (f'{{"time":"{tf(sec)[1]}.{ms:03d}Z","level":"{svc.levels[sev]}","service":"{svc.name}","host":"{host}",'
                f'"msg":"{msg}"{jfields[svc.name](sev)}}}\n', sec * 1_000_000 + ms * 1000)

    lines = written = err_or_worse = burst_lines = 0
    per_service: dict[str, int] = {}
    per_host: dict[str, int] = {}
    windows = {k: [a * 1_000_000, b * 1_000_000, 0] for k, (a, b) in WINDOWS.items()}
    rare_lines: list[int] = []
    next_rare = rng.randint(rare_every // 2, rare_every * 3 // 2) if rare_every > 0 else -1
    bursts_seen: set[int] = set()
    t_prev = float(START)
    first_us = last_us = None
    bi, nb = 0, len(bursts)
    buf: list[str] = []
    buf_bytes = 0
    started = time.monotonic()
    next_report = 0.1
    done = False
    while not done:
        # Ascending times with random gaps: the clock at a point up to one mean line further on.
        t = max(t_prev, clock(min(1.0, (written + r() * 2 * mean_line) / target)))
        svc = services[right(cum, r())] if len(services) > 1 else services[0]
        host = svc.hosts[int(r() * len(svc.hosts))]
        ctx.t, ctx.host, ctx.service = t, host, svc.name
        sev, fn = gc.pick(svc, r, svc.err_p * err_scale)
        batch = [(svc, host, t, sev, fn(), False)]
        while bi < nb and t >= bursts[bi].end:
            bi += 1
        if bi < nb and t >= bursts[bi].start and r() < bursts[bi].rate:
            b = bursts[bi]
            bhost = b.hosts[int(r() * len(b.hosts))]
            ctx.t, ctx.host, ctx.service = t, bhost, b.service.name
            bsev, bfn = b.templates[int(r() * len(b.templates))]
            batch.append((b.service, bhost, t, bsev, bfn(), True))
            bursts_seen.add(bi)
        for svc, host, t, sev, msg, in_burst in batch:
            rare = next_rare >= 0 and written >= next_rare
            if rare:
                msg += " RAREWORD"
            line, us = make_line(svc, host, t, sev, msg)
            n = len(line)
            if written + n > target:
                done = True
                break
            if rare:
                rare_lines.append(lines + 1)
                next_rare = written + rng.randint(rare_every // 2, rare_every * 3 // 2)
            lines += 1
            written += n
            buf.append(line)
            buf_bytes += n
            t_prev = t
            per_service[svc.tag] = per_service.get(svc.tag, 0) + 1  # the name in the line
            per_host[host] = per_host.get(host, 0) + 1
            if sev <= ERR:
                err_or_worse += 1
                burst_lines += in_burst
            for w in windows.values():
                if w[0] <= us <= w[1]:
                    w[2] += 1
            if first_us is None:
                first_us = us
            last_us = us
        if buf_bytes >= 8 << 20 or done:
            out.write("".join(buf))
            buf.clear()
            buf_bytes = 0
            if progress and written / target >= next_report:
                el = time.monotonic() - started
                print(f"  {written / target:4.0%}  {written / 1e6:8.0f} MB  {lines:>10,} lines  {el:6.1f} s", file=sys.stderr)
                next_report += 0.1
    out.flush()
    return {
        "shape": shape,
        "seed": seed,
        "bytes": written,
        "lines": lines,
        "rareword_lines": len(rare_lines),
        "rareword_line_numbers": rare_lines,
        "err_or_worse_lines": err_or_worse,
        "bursts": len(bursts_seen),
        "burst_lines": burst_lines,
        "services": dict(sorted(per_service.items(), key=lambda kv: (-kv[1], kv[0]))),
        "hosts": dict(sorted(per_host.items(), key=lambda kv: (-kv[1], kv[0]))),
        "first_event": gc.iso(first_us // 1_000_000) if first_us is not None else None,
        "last_event": gc.iso(last_us // 1_000_000) if last_us is not None else None,
        "windows": {k: {"since": gc.iso(a), "until": gc.iso(b), "lines": windows[k][2]} for k, (a, b) in WINDOWS.items()},
        "elapsed_s": round(time.monotonic() - started, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shape", required=True, choices=SHAPES)
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--size", type=gc.parse_size, default=gc.parse_size("100MiB"), help="target size (default 100MiB); the file ends on a whole line at most this size")
    ap.add_argument("--out", required=True, help="output file, or - for stdout")
    ap.add_argument("--rare-every-bytes", type=int, default=2_000_000, help="bytes between RAREWORD lines, on average (default 2000000; 0 for none)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args()

    if args.out == "-":
        stats = generate(sys.stdout, args.shape, args.size, args.seed, args.rare_every_bytes, False)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        tmp = args.out + ".tmp"
        with open(tmp, "w", encoding="ascii", newline="\n", buffering=1 << 20) as out:
            stats = generate(out, args.shape, args.size, args.seed, args.rare_every_bytes, not args.quiet)
        os.replace(tmp, args.out)
        with open(args.out + ".stats.json", "w", encoding="ascii") as f:
            json.dump(stats, f, indent=2)
            f.write("\n")

    lines = max(stats["lines"], 1)
    top = list(stats["services"].items())
    print(
        f"shape:          {stats['shape']} (seed {stats['seed']})\n"
        f"bytes:          {stats['bytes']:,} ({stats['bytes'] / 2**20:.1f} MiB)\n"
        f"lines:          {stats['lines']:,} (mean {stats['bytes'] / lines:.0f} bytes)\n"
        f"RAREWORD lines: {stats['rareword_lines']}\n"
        f"err or worse:   {stats['err_or_worse_lines']:,} ({stats['err_or_worse_lines'] / lines:.2%}), of which {stats['burst_lines']:,} in {stats['bursts']} bursts\n"
        f"services:       {len(top)} ({', '.join(f'{k} {n:,}' for k, n in top[:4])}{', ...' if len(top) > 4 else ''}); hosts: {len(stats['hosts'])}\n"
        f"time span:      {stats['first_event']} .. {stats['last_event']}\n"
        + "".join(f"window {k}:    {w['since']} .. {w['until']}: {w['lines']:,} lines (inclusive)\n" for k, w in stats["windows"].items())
        + f"generated in:   {stats['elapsed_s']:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
