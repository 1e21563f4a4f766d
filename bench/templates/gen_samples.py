#!/usr/bin/env python3
"""Deterministic labelled log samples for template-mining evaluation.

For each format it writes, under --out (default bench/templates/data):

  <format>.log        the log lines
  <format>.labels     one true template id per line (e.g. "sshd-03")
  <format>.templates  "<id>\t<template>" for every template, variables as <*>

Formats: sshd, kernel, nginx (access log), java (Spring Boot application),
systemd; and json (JSON-per-line application log), javastack (JVM stack
traces, one line per record), logfmt (Go slog key=value), apache (httpd 2.4
error log), postgres (PostgreSQL 16 server log), k8s (kubelet klog); and haproxy
(HAProxy 2.8 via syslog), redis (redis-server 7.2), mysql (MySQL 8.0 error log),
named (BIND 9.18 via syslog). Every line
is produced from a known template, so the ground truth is exact; for the ten
later formats each generated content is also checked against its template. Conventions for what is a variable (labelled <*>):

* ids, numbers, addresses, ports, user and host names, paths' id segments,
  durations and sizes are variables;
* a free-text value that can hold spaces counts as ONE variable: nginx's user
  agent and referer, a systemd unit's description, a Java exception message.
  Miners that group by token count (Drain) split such templates; that is part
  of what is measured;
* the header (syslog timestamp/host/tag[pid], nginx client/time, Java
  timestamp/level/pid/thread/logger) belongs to the line; eval.py can strip it
  (its content mode) as the LogPAI benchmark does.

Randomness: one random.Random per format -- seed*1000 + format index for the
first five, random.Random(f"{seed}:{name}") for the ten later ones (so adding
them left the earlier files byte-identical) -- and the same --seed gives
byte-identical files with any Python 3 version.

For the ten later formats the .templates describe the line's *content*, i.e.
what eval.py's header regex leaves (see README.md, "Ground truth").

Usage: gen_samples.py [--seed 7] [--out DIR] [--lines sshd=1500,nginx=2000,...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from datetime import datetime, timedelta

DEFAULT_LINES = {"sshd": 1500, "kernel": 1000, "nginx": 2000, "java": 1500, "systemd": 1200,
                 "json": 1500, "javastack": 2000, "logfmt": 1500, "apache": 1200, "postgres": 1500, "k8s": 1500,
                 "haproxy": 1500, "redis": 1200, "mysql": 1200, "named": 1300}

USERS = ["root", "admin", "ubuntu", "deploy", "alice", "bob", "carol", "dave", "git", "postgres", "jenkins",
         "oracle", "test", "guest", "backup", "ftpuser", "svc-ci", "m.rossi", "j.smith", "www-data"]
HOSTS = ["web-01", "web-02", "web-03", "app-01", "app-02", "db-01", "lb-01", "cache-01"]
PROCS = ["java", "postgres", "node", "python3", "redis-server", "chrome", "mysqld", "ruby", "nginx", "containerd"]
DEVS = ["sda", "sda1", "sdb", "nvme0n1", "nvme0n1p2", "vda1", "dm-0"]
LIBS = ["libc.so.6", "libpthread.so.0", "libssl.so.3", "libstdc++.so.6", "ld-linux-x86-64.so.2"]


class Gen:
    def __init__(self, rng: random.Random, start: datetime):
        self.r = rng
        self.t = start

    def tick(self, mean_s=4.0):
        self.t += timedelta(seconds=self.r.expovariate(1.0 / mean_s))
        return self.t

    # value helpers
    def ip(self):
        r = self.r
        if r.random() < 0.5:
            return f"10.{r.randint(0, 3)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return f"{r.choice([45, 61, 92, 103, 141, 185, 193, 203, 218])}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def user(self):
        # skewed: a few users are frequent
        return self.r.choice(USERS[:6]) if self.r.random() < 0.6 else self.r.choice(USERS)

    def port(self):
        return self.r.randint(1024, 65535)

    def hexs(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def b64(self, n):
        a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        return "".join(self.r.choice(a) for _ in range(n))

    def syslog_ts(self):
        t = self.tick()
        return f"{t:%b} {t.day:2d} {t:%H:%M:%S}"


def pick(rng, templates):
    """templates: list of (id, weight, text, fn) -> chosen tuple."""
    total = sum(t[1] for t in templates)
    x = rng.random() * total
    for t in templates:
        x -= t[1]
        if x < 0:
            return t
    return templates[-1]


# ---------------------------------------------------------------------------
# sshd

def sshd_templates(g: Gen):
    r = g.r
    T = []

    def add(w, text, fn):
        T.append((f"sshd-{len(T) + 1:02d}", w, text, fn))

    add(120, "Accepted password for <*> from <*> port <*> ssh2",
        lambda: f"Accepted password for {g.user()} from {g.ip()} port {g.port()} ssh2")
    add(150, "Accepted publickey for <*> from <*> port <*> ssh2: <*> SHA256:<*>",
        lambda: f"Accepted publickey for {g.user()} from {g.ip()} port {g.port()} ssh2: {r.choice(['RSA', 'ED25519', 'ECDSA'])} SHA256:{g.b64(43)}")
    add(160, "Failed password for <*> from <*> port <*> ssh2",
        lambda: f"Failed password for {g.user()} from {g.ip()} port {g.port()} ssh2")
    add(140, "Failed password for invalid user <*> from <*> port <*> ssh2",
        lambda: f"Failed password for invalid user {g.user()} from {g.ip()} port {g.port()} ssh2")
    add(130, "Invalid user <*> from <*> port <*>",
        lambda: f"Invalid user {g.user()} from {g.ip()} port {g.port()}")
    add(200, "pam_unix(sshd:session): session opened for user <*>(uid=<*>) by (uid=0)",
        lambda: f"pam_unix(sshd:session): session opened for user {g.user()}(uid={r.choice([0, 1000, 1001, 1002, 33, 998])}) by (uid=0)")
    add(190, "pam_unix(sshd:session): session closed for user <*>",
        lambda: f"pam_unix(sshd:session): session closed for user {g.user()}")
    add(120, "Received disconnect from <*> port <*>:11: disconnected by user",
        lambda: f"Received disconnect from {g.ip()} port {g.port()}:11: disconnected by user")
    add(110, "Disconnected from user <*> <*> port <*>",
        lambda: f"Disconnected from user {g.user()} {g.ip()} port {g.port()}")
    add(60, "Connection closed by authenticating user <*> <*> port <*> [preauth]",
        lambda: f"Connection closed by authenticating user {g.user()} {g.ip()} port {g.port()} [preauth]")
    add(90, "Connection closed by <*> port <*> [preauth]",
        lambda: f"Connection closed by {g.ip()} port {g.port()} [preauth]")
    add(40, "error: kex_exchange_identification: Connection closed by remote host",
        lambda: "error: kex_exchange_identification: Connection closed by remote host")
    add(70, "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=<*>  user=<*>",
        lambda: f"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={g.ip()}  user={g.user()}")
    add(30, "Disconnecting invalid user <*> <*> port <*>: Too many authentication failures [preauth]",
        lambda: f"Disconnecting invalid user {g.user()} {g.ip()} port {g.port()}: Too many authentication failures [preauth]")
    add(25, "banner exchange: Connection from <*> port <*>: invalid format",
        lambda: f"banner exchange: Connection from {g.ip()} port {g.port()}: invalid format")
    add(20, "Timeout before authentication for <*> port <*>",
        lambda: f"Timeout before authentication for {g.ip()} port {g.port()}")
    add(6, "Server listening on <*> port <*>.",
        lambda: f"Server listening on {r.choice(['0.0.0.0', '::'])} port {r.choice([22, 2222])}.")
    add(5, "Received signal 15; terminating.", lambda: "Received signal 15; terminating.")
    return T


def sshd_line(g: Gen, msg: str) -> str:
    return f"{g.syslog_ts()} {g.r.choice(HOSTS)} sshd[{g.r.randint(800, 65000)}]: {msg}"


# ---------------------------------------------------------------------------
# kernel

def kernel_templates(g: Gen):
    r = g.r
    T = []

    def add(w, text, fn):
        T.append((f"kernel-{len(T) + 1:02d}", w, text, fn))

    nic = lambda: r.choice(["eth0", "eth1", "ens3", "enp3s0"])  # noqa: E731
    add(40, "<*>: Link is Up - <*>/Full - flow control rx/tx",
        lambda: f"{nic()}: Link is Up - {r.choice(['1Gbps', '10Gbps', '100Mbps'])}/Full - flow control rx/tx")
    add(40, "<*>: Link is Down", lambda: f"{nic()}: Link is Down")
    add(30, "Out of memory: Killed process <*> (<*>) total-vm:<*>kB, anon-rss:<*>kB, file-rss:<*>kB, shmem-rss:<*>kB, UID:<*> pgtables:<*>kB oom_score_adj:<*>",
        lambda: f"Out of memory: Killed process {r.randint(300, 99999)} ({r.choice(PROCS)}) total-vm:{r.randint(10**5, 10**7)}kB, anon-rss:{r.randint(10**4, 10**7)}kB, file-rss:{r.randint(0, 10**5)}kB, shmem-rss:{r.randint(0, 5000)}kB, UID:{r.choice([0, 1000, 999, 33])} pgtables:{r.randint(100, 30000)}kB oom_score_adj:{r.choice([0, 0, 200, 1000])}")
    add(30, "<*> invoked oom-killer: gfp_mask=<*>(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=<*>",
        lambda: f"{r.choice(PROCS)} invoked oom-killer: gfp_mask=0x{g.hexs(6)}(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj={r.choice([0, 0, 200, 1000])}")
    add(260, "[UFW BLOCK] IN=<*> OUT= MAC=<*> SRC=<*> DST=<*> LEN=<*> TOS=<*> PREC=0x00 TTL=<*> ID=<*> PROTO=TCP SPT=<*> DPT=<*> WINDOW=<*> RES=0x00 SYN URGP=0",
        lambda: f"[UFW BLOCK] IN={nic()} OUT= MAC={':'.join(g.hexs(2) for _ in range(14))} SRC={g.ip()} DST={g.ip()} LEN={r.choice([40, 44, 52, 60])} TOS=0x{r.choice(['00', '08', '20'])} PREC=0x00 TTL={r.randint(30, 250)} ID={r.randint(0, 65535)} PROTO=TCP SPT={g.port()} DPT={r.choice([22, 23, 80, 443, 3389, 5432, 6379, 8080])} WINDOW={r.choice([1024, 14600, 29200, 64240, 65535])} RES=0x00 SYN URGP=0")
    add(15, "EXT4-fs (<*>): mounted filesystem with ordered data mode. Opts: (null)",
        lambda: f"EXT4-fs ({r.choice(DEVS)}): mounted filesystem with ordered data mode. Opts: (null)")
    add(25, "<*>[<*>]: segfault at <*> ip <*> sp <*> error <*> in <*>[<*>+<*>]",
        lambda: f"{r.choice(PROCS)}[{r.randint(300, 99999)}]: segfault at {g.hexs(r.choice([1, 8, 12]))} ip {g.hexs(16)} sp {g.hexs(12)} error {r.choice([4, 6, 14])} in {r.choice(LIBS)}[{g.hexs(12)}+{g.hexs(6)}]")
    add(35, "nf_conntrack: nf_conntrack: table full, dropping packet",
        lambda: "nf_conntrack: nf_conntrack: table full, dropping packet")
    add(20, "TCP: request_sock_TCP: Possible SYN flooding on port <*>. Sending cookies.  Check SNMP counters.",
        lambda: f"TCP: request_sock_TCP: Possible SYN flooding on port {r.choice([80, 443, 8080, 22])}. Sending cookies.  Check SNMP counters.")
    add(15, "usb <*>: new high-speed USB device number <*> using xhci_hcd",
        lambda: f"usb {r.randint(1, 4)}-{r.randint(1, 6)}: new high-speed USB device number {r.randint(2, 40)} using xhci_hcd")
    add(80, "audit: type=1400 audit(<*>): apparmor=\"DENIED\" operation=\"<*>\" profile=\"<*>\" name=\"<*>\" pid=<*> comm=\"<*>\" requested_mask=\"<*>\" denied_mask=\"<*>\" fsuid=<*> ouid=<*>",
        lambda: (lambda m: f"audit: type=1400 audit({r.randint(1700000000, 1790000000)}.{r.randint(0, 999):03d}:{r.randint(100, 99999)}): apparmor=\"DENIED\" operation=\"{r.choice(['open', 'mknod', 'exec', 'file_mmap'])}\" profile=\"{r.choice(['/usr/sbin/cupsd', 'snap.firefox.firefox', '/usr/bin/man', 'docker-default'])}\" name=\"{r.choice(['/proc/', '/etc/ssl/openssl.cnf', '/sys/kernel/mm/transparent_hugepage/enabled', '/run/systemd/userdb/'])}\" pid={r.randint(300, 99999)} comm=\"{r.choice(PROCS)}\" requested_mask=\"{m}\" denied_mask=\"{m}\" fsuid={r.choice([0, 1000, 33])} ouid={r.choice([0, 1000])}")(r.choice(['r', 'w', 'rw', 'c'])))
    add(50, "CPU<*>: Core temperature above threshold, cpu clock throttled (total events = <*>)",
        lambda: f"CPU{r.randint(0, 15)}: Core temperature above threshold, cpu clock throttled (total events = {r.randint(1, 90000)})")
    add(50, "CPU<*>: Core temperature/speed normal", lambda: f"CPU{r.randint(0, 15)}: Core temperature/speed normal")
    add(30, "blk_update_request: I/O error, dev <*>, sector <*> op 0x0:(READ) flags 0x0 phys_seg <*> prio class 0",
        lambda: f"blk_update_request: I/O error, dev {r.choice(DEVS)}, sector {r.randint(0, 2**31)} op 0x0:(READ) flags 0x0 phys_seg {r.choice([1, 1, 2, 8])} prio class 0")
    add(60, "<*>: port <*>(<*>) entered blocking state",
        lambda: f"{r.choice(['docker0', 'br-' + g.hexs(12), 'cni0'])}: port {r.randint(1, 30)}(veth{g.hexs(7)}) entered blocking state")
    add(60, "<*>: port <*>(<*>) entered forwarding state",
        lambda: f"{r.choice(['docker0', 'br-' + g.hexs(12), 'cni0'])}: port {r.randint(1, 30)}(veth{g.hexs(7)}) entered forwarding state")
    add(55, "<*>: port <*>(<*>) entered disabled state",
        lambda: f"{r.choice(['docker0', 'br-' + g.hexs(12), 'cni0'])}: port {r.randint(1, 30)}(veth{g.hexs(7)}) entered disabled state")
    add(55, "device <*> entered promiscuous mode", lambda: f"device veth{g.hexs(7)} entered promiscuous mode")
    add(50, "device <*> left promiscuous mode", lambda: f"device veth{g.hexs(7)} left promiscuous mode")
    add(8, "Linux version <*> (buildd@<*>) (<*>) #<*>-Ubuntu SMP <*>",
        lambda: f"Linux version {r.choice(['5.15.0-91-generic', '6.5.0-14-generic', '6.8.0-31-generic'])} (buildd@{r.choice(['lcy02-amd64-045', 'bos03-amd64-012'])}) ({r.choice(['x86_64-linux-gnu-gcc-12 (Ubuntu 12.3.0-1ubuntu1~22.04) 12.3.0', 'gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0'])}) #{r.randint(20, 120)}-Ubuntu SMP {r.choice(['PREEMPT_DYNAMIC Wed Nov  8 15:49:43 UTC 2023', 'Fri Jan 12 18:05:45 UTC 2024'])}")
    return T


def kernel_line(g: Gen, msg: str) -> str:
    up = (g.t - datetime(2026, 3, 1)).total_seconds() + g.r.random()
    return f"{g.syslog_ts()} {g.r.choice(HOSTS)} kernel: [{up:12.6f}] {msg}"


# ---------------------------------------------------------------------------
# nginx access log

UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1", "kube-probe/1.28",
    "Prometheus/2.48.1", "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "okhttp/4.12.0", "-",
]
REFS = ["-", "-", "-", "https://shop.example.com/", "https://shop.example.com/cart",
        "https://www.google.com/", "https://shop.example.com/products?category=shoes&page=2"]


def nginx_templates(g: Gen):
    r = g.r
    T = []

    def add(w, method, path_t, path_fn, version="HTTP/1.1"):
        text = f'<*> - <*> [<*>] "{method} {path_t} {version}" <*> <*> "<*>" "<*>"'
        T.append((f"nginx-{len(T) + 1:02d}", w, text, (method, path_fn, version)))

    add(200, "GET", "/", lambda: "/")
    add(160, "GET", "/api/v1/products/<*>", lambda: f"/api/v1/products/{r.randint(1, 99999)}")
    add(120, "GET", "/api/v1/products?category=<*>&page=<*>",
        lambda: f"/api/v1/products?category={r.choice(['shoes', 'hats', 'bags', 'books', 'toys'])}&page={r.randint(1, 40)}")
    add(90, "GET", "/api/v1/users/<*>/orders", lambda: f"/api/v1/users/{r.randint(1, 500000)}/orders")
    add(80, "POST", "/api/v1/orders", lambda: "/api/v1/orders")
    add(60, "PUT", "/api/v1/cart/<*>/items/<*>", lambda: f"/api/v1/cart/{g.hexs(8)}-{g.hexs(4)}-{g.hexs(4)}-{g.hexs(4)}-{g.hexs(12)}/items/{r.randint(1, 99999)}")
    add(40, "DELETE", "/api/v1/cart/<*>/items/<*>", lambda: f"/api/v1/cart/{g.hexs(8)}-{g.hexs(4)}-{g.hexs(4)}-{g.hexs(4)}-{g.hexs(12)}/items/{r.randint(1, 99999)}")
    add(150, "GET", "/static/<*>", lambda: f"/static/{r.choice(['js', 'css', 'img'])}/{r.choice(['app', 'vendor', 'main', 'logo', 'hero'])}.{g.hexs(8)}.{r.choice(['js', 'css', 'png', 'webp'])}")
    add(120, "GET", "/healthz", lambda: "/healthz")
    add(70, "GET", "/metrics", lambda: "/metrics")
    add(50, "POST", "/api/v1/auth/login", lambda: "/api/v1/auth/login")
    add(30, "POST", "/api/v1/auth/logout", lambda: "/api/v1/auth/logout")
    add(40, "GET", "/search?q=<*>", lambda: f"/search?q={r.choice(['red+shoes', 'laptop', 'gift', 'sale', 'usb-c+cable', 'book'])}")
    add(25, "GET", "/wp-login.php", lambda: "/wp-login.php")
    add(20, "GET", "/.env", lambda: "/.env")
    add(15, "HEAD", "/", lambda: "/")
    add(30, "GET", "/api/v2/recommendations/<*>", lambda: f"/api/v2/recommendations/{r.randint(1, 500000)}", "HTTP/2.0")
    return T


def nginx_line(g: Gen, spec) -> str:
    r = g.r
    method, path_fn, version = spec
    t = g.tick(1.5)
    status = r.choices([200, 201, 204, 301, 304, 400, 401, 403, 404, 499, 500, 502, 503],
                       [60, 4, 3, 2, 8, 2, 3, 2, 8, 2, 2, 2, 2])[0]
    size = 0 if status in (204, 304) else r.randint(0, 250000)
    user = "-" if r.random() < 0.9 else r.choice(USERS)
    return (f'{g.ip()} - {user} [{t:%d/%b/%Y:%H:%M:%S} +0000] "{method} {path_fn()} {version}" {status} {size} '
            f'"{r.choice(REFS)}" "{r.choice(UAS)}"')


# ---------------------------------------------------------------------------
# Java (Spring Boot default console format)

EXC_MSGS = ["Read timed out", "Connection reset", "Connection refused (Connection refused)",
            "Broken pipe", "timeout"]


def java_templates(g: Gen):
    r = g.r
    T = []

    def add(w, level, logger, text, fn):
        T.append((f"java-{len(T) + 1:02d}", w, text, (level, logger, fn)))

    oid = lambda: f"ORD-{r.randint(100000, 999999)}"  # noqa: E731
    cust = lambda: str(r.randint(1000, 99999))  # noqa: E731
    ms = lambda: str(r.randint(1, 5000))  # noqa: E731
    uuid = lambda: f"{g.hexs(8)}-{g.hexs(4)}-{g.hexs(4)}-{g.hexs(4)}-{g.hexs(12)}"  # noqa: E731
    add(200, "INFO", "c.e.shop.order.OrderService", "Created order <*> for customer <*> total=<*> EUR",
        lambda: f"Created order {oid()} for customer {cust()} total={r.randint(1, 2000)}.{r.randint(0, 99):02d} EUR")
    add(150, "INFO", "c.e.shop.payment.PaymentClient", "Payment <*> authorized for order <*> in <*> ms",
        lambda: f"Payment {uuid()} authorized for order {oid()} in {ms()} ms")
    add(40, "WARN", "c.e.shop.payment.PaymentClient", "Payment <*> declined for order <*>: <*>",
        lambda: f"Payment {uuid()} declined for order {oid()}: {r.choice(['insufficient_funds', 'card_expired', 'do_not_honor'])}")
    add(120, "DEBUG", "c.e.shop.cart.CartController", "GET /api/cart/<*> returned <*> items",
        lambda: f"GET /api/cart/{uuid()} returned {r.randint(0, 30)} items")
    add(100, "INFO", "c.e.shop.inventory.StockService", "Reserved <*> units of SKU <*> for order <*>",
        lambda: f"Reserved {r.randint(1, 10)} units of SKU {r.choice(['A', 'B', 'C'])}{r.randint(10000, 99999)} for order {oid()}")
    add(50, "WARN", "c.e.shop.inventory.StockService", "Low stock for SKU <*>: <*> left",
        lambda: f"Low stock for SKU {r.choice(['A', 'B', 'C'])}{r.randint(10000, 99999)}: {r.randint(0, 9)} left")
    add(60, "WARN", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=<*>).",
        lambda: f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={r.randint(1, 59)}m{r.randint(0, 59)}s{r.randint(0, 999)}ms).")
    add(30, "ERROR", "o.h.engine.jdbc.spi.SqlExceptionHelper", "HikariPool-1 - Connection is not available, request timed out after <*>ms.",
        lambda: f"HikariPool-1 - Connection is not available, request timed out after {r.choice([30000, 30001, 30002, 30004])}ms.")
    add(35, "ERROR", "c.e.shop.shipping.ShippingClient", "Call to shipping service failed after <*> retries: java.net.SocketTimeoutException: <*>",
        lambda: f"Call to shipping service failed after {r.randint(1, 5)} retries: java.net.SocketTimeoutException: {r.choice(EXC_MSGS)}")
    add(20, "ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]", "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: <*>] with root cause",
        lambda: f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: {r.choice(['java.lang.NullPointerException', 'java.lang.IllegalStateException: cart is empty', 'org.springframework.dao.DataIntegrityViolationException: could not execute statement'])}] with root cause")
    add(80, "INFO", "c.e.shop.auth.SessionFilter", "User <*> logged in from <*>",
        lambda: f"User {g.user()} logged in from {g.ip()}")
    add(60, "INFO", "c.e.shop.auth.SessionFilter", "User <*> logged out after <*> s",
        lambda: f"User {g.user()} logged out after {r.randint(5, 90000)} s")
    add(90, "INFO", "o.s.k.l.KafkaMessageListenerContainer", "order-events: partitions assigned: [<*>]",
        lambda: f"order-events: partitions assigned: [{', '.join('order-events-' + str(p) for p in sorted(r.sample(range(12), r.randint(1, 4))))}]")
    add(70, "INFO", "c.e.shop.events.OrderEventConsumer", "Consumed event <*> from order-events-<*>@<*> lag=<*>",
        lambda: f"Consumed event {uuid()} from order-events-{r.randint(0, 11)}@{r.randint(10**6, 10**8)} lag={r.randint(0, 5000)}")
    add(8, "INFO", "c.e.shop.ShopApplication", "Started ShopApplication in <*> seconds (process running for <*>)",
        lambda: f"Started ShopApplication in {r.uniform(3, 30):.3f} seconds (process running for {r.uniform(4, 32):.3f})")
    add(8, "INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat started on port <*> (http) with context path ''",
        lambda: f"Tomcat started on port {r.choice([8080, 8081, 9090])} (http) with context path ''")
    add(8, "INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed.", lambda: "HikariPool-1 - Start completed.")
    add(40, "DEBUG", "c.e.shop.cache.PriceCache", "Cache miss for key price:<*>, loading from DB",
        lambda: f"Cache miss for key price:{r.choice(['A', 'B', 'C'])}{r.randint(10000, 99999)}, loading from DB")
    add(40, "DEBUG", "c.e.shop.cache.PriceCache", "Cache hit for key price:<*>",
        lambda: f"Cache hit for key price:{r.choice(['A', 'B', 'C'])}{r.randint(10000, 99999)}")
    add(25, "WARN", "o.s.w.s.m.s.DefaultHandlerExceptionResolver", "Resolved [org.springframework.web.bind.MissingServletRequestParameterException: Required request parameter '<*>' for method parameter type <*> is not present]",
        lambda: f"Resolved [org.springframework.web.bind.MissingServletRequestParameterException: Required request parameter '{r.choice(['page', 'sku', 'customerId', 'q'])}' for method parameter type {r.choice(['int', 'String', 'Long'])} is not present]")
    return T


def java_line(g: Gen, spec) -> str:
    r = g.r
    level, logger, fn = spec
    t = g.tick(2.0)
    thread = r.choice([f"nio-8080-exec-{r.randint(1, 200)}", "main", f"ntainer#0-0-C-{r.randint(1, 3)}",
                       f"scheduling-{r.randint(1, 4)}", f"HikariPool-1 housekeeper"])
    # Spring Boot's %15.15t and %-40.40logger{39}: keep the last 15 / 40 characters
    return (f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z {level:>5s} {r.choice([4242, 4242, 5173])} --- [shop] "
            f"[{thread[-15:]:>15s}] {logger[-40:]:<40s} : {fn()}")


# ---------------------------------------------------------------------------
# systemd

UNITS = [("nginx.service", "nginx.service - A high performance web server and a reverse proxy server"),
         ("apt-daily.service", "apt-daily.service - Daily apt download activities"),
         ("apt-daily-upgrade.service", "apt-daily-upgrade.service - Daily apt upgrade and clean activities"),
         ("logrotate.service", "logrotate.service - Rotate log files"),
         ("man-db.service", "man-db.service - Daily man-db regeneration"),
         ("fstrim.service", "fstrim.service - Discard unused blocks on filesystems from /etc/fstab"),
         ("certbot.service", "certbot.service - Certbot"),
         ("docker.service", "docker.service - Docker Application Container Engine"),
         ("systemd-tmpfiles-clean.service", "systemd-tmpfiles-clean.service - Cleanup of Temporary Directories"),
         ("sysstat-collect.service", "sysstat-collect.service - system activity accounting tool"),
         ("motd-news.service", "motd-news.service - Message of the Day"),
         ("backup.service", "backup.service - Nightly backup"),
         ("node-exporter.service", "node-exporter.service - Prometheus Node Exporter")]


def systemd_templates(g: Gen):
    r = g.r
    T = []

    def add(w, tag, text, fn):
        T.append((f"systemd-{len(T) + 1:02d}", w, text, (tag, fn)))

    unit = lambda: r.choice(UNITS)  # noqa: E731
    add(150, "systemd[1]", "Starting <*>...", lambda: f"Starting {unit()[1]}...")
    add(150, "systemd[1]", "Started <*>.", lambda: f"Started {unit()[1]}.")
    add(60, "systemd[1]", "Stopping <*>...", lambda: f"Stopping {unit()[1]}...")
    add(60, "systemd[1]", "Stopped <*>.", lambda: f"Stopped {unit()[1]}.")
    add(120, "systemd[1]", "<*>: Deactivated successfully.", lambda: f"{unit()[0]}: Deactivated successfully.")
    add(90, "systemd[1]", "<*>: Consumed <*> CPU time.",
        lambda: f"{unit()[0]}: Consumed {r.choice([f'{r.randint(1, 999)}ms', f'{r.uniform(1, 59):.3f}s', f'{r.randint(1, 59)}min {r.uniform(0, 59):.3f}s'])} CPU time.")
    add(30, "systemd[1]", "<*>: Main process exited, code=exited, status=<*>/<*>",
        lambda: (lambda s: f"{unit()[0]}: Main process exited, code=exited, status={s[0]}/{s[1]}")(r.choice([(1, "FAILURE"), (2, "INVALIDARGUMENT"), (203, "EXEC")])))
    add(30, "systemd[1]", "<*>: Failed with result 'exit-code'.", lambda: f"{unit()[0]}: Failed with result 'exit-code'.")
    add(20, "systemd[1]", "<*>: Scheduled restart job, restart counter is at <*>.",
        lambda: f"{unit()[0]}: Scheduled restart job, restart counter is at {r.randint(1, 60)}.")
    add(40, "systemd[1]", "Created slice user-<*>.slice - User Slice of UID <*>.",
        lambda: (lambda u: f"Created slice user-{u}.slice - User Slice of UID {u}.")(r.choice([0, 1000, 1001, 1002])))
    add(35, "systemd[1]", "Removed slice user-<*>.slice - User Slice of UID <*>.",
        lambda: (lambda u: f"Removed slice user-{u}.slice - User Slice of UID {u}.")(r.choice([0, 1000, 1001, 1002])))
    add(40, "systemd[1]", "Starting user@<*>.service - User Manager for UID <*>...",
        lambda: (lambda u: f"Starting user@{u}.service - User Manager for UID {u}...")(r.choice([0, 1000, 1001, 1002])))
    add(80, "systemd[1]", "Started session-<*>.scope - Session <*> of User <*>.",
        lambda: (lambda s: f"Started session-{s}.scope - Session {s} of User {g.user()}.")(r.randint(1, 9000)))
    add(80, "systemd-logind[<*>]", "New session <*> of user <*>.", lambda: f"New session {r.randint(1, 9000)} of user {g.user()}.")
    add(70, "systemd-logind[<*>]", "Session <*> logged out. Waiting for processes to exit.",
        lambda: f"Session {r.randint(1, 9000)} logged out. Waiting for processes to exit.")
    add(70, "systemd-logind[<*>]", "Removed session <*>.", lambda: f"Removed session {r.randint(1, 9000)}.")
    add(10, "systemd[1]", "Reloading requested from client PID <*> ('systemctl') (unit <*>)...",
        lambda: f"Reloading requested from client PID {r.randint(300, 99999)} ('systemctl') (unit {r.choice(['session-4.scope', 'user@1000.service', 'ssh.service'])})...")
    add(10, "systemd[1]", "Reloading finished in <*> ms.", lambda: f"Reloading finished in {r.randint(50, 900)} ms.")
    add(5, "systemd[1]", "Startup finished in <*> (kernel) + <*> (userspace) = <*>.",
        lambda: f"Startup finished in {r.uniform(1, 5):.3f}s (kernel) + {r.uniform(5, 60):.3f}s (userspace) = {r.uniform(6, 65):.3f}s.")
    add(25, "systemd-journald[<*>]", "Data hash table of <*> has a fill level at <*> (<*> of <*> items, <*> file size, <*> bytes per hash table item), suggesting rotation.",
        lambda: f"Data hash table of /var/log/journal/{g.hexs(32)}/system.journal has a fill level at {r.uniform(75, 80):.1f} ({r.randint(10000, 99999)} of {r.randint(100000, 120000)} items, {r.randint(8, 128)}.0M file size, {r.randint(100, 9000)} bytes per hash table item), suggesting rotation.")
    return T


def systemd_line(g: Gen, spec_msg) -> str:
    tag, msg = spec_msg
    if "[<*>]" in tag:
        tag = tag.replace("<*>", str(g.r.choice([612, 715, 1203])))
    return f"{g.syslog_ts()} {g.r.choice(HOSTS)} {tag}: {msg}"


# ---------------------------------------------------------------------------
# New-style formats (json, javastack, logfmt, apache, postgres, k8s, haproxy, redis,
# mysql, named).
#
# Each has its own random.Random seeded from the seed and the format NAME
# (random.Random(f"{seed}:{fmt}")), so the five formats above keep their
# byte-identical output. A format is a Book: its templates (describing the
# line's *content*, i.e. what eval.py's header regex leaves) and weighted
# events; an event returns one or more records (template id, content), e.g.
# a whole stack trace or a PostgreSQL ERROR + DETAIL + STATEMENT, and the
# format's wrap() adds the header (timestamp, pid, ...) to each content.
# Every content is checked against its template when generated.


class Book:
    def __init__(self, fmt: str):
        self.fmt = fmt
        self.templates: list[tuple[str, str]] = []
        self.events: list[tuple[float, object]] = []

    def add(self, text: str) -> str:
        tid = f"{self.fmt}-{len(self.templates) + 1:02d}"
        self.templates.append((tid, text))
        return tid

    def event(self, w: float, fn):
        self.events.append((w, fn))


def template_regex(text: str):
    return re.compile("".join(".*?" if p == "<*>" else re.escape(p) for p in re.split(r"(<\*>)", text)), re.S)


def uuid4(g: Gen) -> str:
    return f"{g.hexs(8)}-{g.hexs(4)}-4{g.hexs(3)}-{g.r.choice('89ab')}{g.hexs(3)}-{g.hexs(12)}"


ERRS = ["dial tcp 10.0.3.17:5432: connect: connection refused", "context deadline exceeded", "EOF",
        "read tcp 10.0.1.5:44312->10.0.2.9:443: read: connection reset by peer", "i/o timeout",
        "unexpected status 503 from upstream", "pq: duplicate key value violates unique constraint \"orders_pkey\"",
        "x509: certificate has expired or is not yet valid", "json: cannot unmarshal string into Go value of type int"]
ROUTES = [lambda r: "/", lambda r: f"/api/v1/users/{r.randint(1, 99999)}", lambda r: f"/api/v1/orders/{r.randint(10**5, 10**6)}",
          lambda r: "/api/v1/orders", lambda r: f"/api/v1/products?page={r.randint(1, 40)}", lambda r: "/healthz",
          lambda r: f"/api/v1/cart/{r.randint(1, 9999)}/items", lambda r: "/metrics"]


# --- json: application logs whose line is one JSON object (zap / pino style, compact)

def json_book(g: Gen):
    r = g.r
    B = Book("json")

    def tmpl(level, logger, msg, keys):
        parts = [f'"level":"{level}"', f'"logger":"{logger}"', f'"msg":"{msg}"']
        parts += [f'"{k}":"<*>"' if kind == "s" else f'"{k}":<*>' for k, kind, _fn in keys]
        return "{" + ",".join(parts) + "}"

    def add(w, level, logger, msg, keys):
        tid = B.add(tmpl(level, logger, msg, keys))

        def fn():
            obj = [("level", level), ("logger", logger), ("msg", msg)] + [(k, f()) for k, _kind, f in keys]
            return [(tid, "{" + ",".join(json.dumps(k) + ":" + json.dumps(v) for k, v in obj) + "}")]
        B.event(w, fn)

    meth = lambda: r.choice(["GET", "GET", "GET", "POST", "PUT", "DELETE"])  # noqa: E731
    path = lambda: r.choice(ROUTES)(r)  # noqa: E731
    rid = lambda: g.hexs(16)  # noqa: E731
    dur = lambda: round(r.expovariate(1 / 40), 1)  # noqa: E731
    err = lambda: r.choice(ERRS)  # noqa: E731
    oid = lambda: f"ORD-{r.randint(100000, 999999)}"  # noqa: E731
    job = lambda: r.choice(["invoice-export", "stock-sync", "email-digest", "search-reindex"])  # noqa: E731
    http = [("method", "s", meth), ("path", "s", path), ("status", "n", lambda: r.choice([200, 200, 200, 201, 204, 304, 404])),
            ("duration_ms", "n", dur), ("bytes", "n", lambda: r.randint(0, 90000)), ("request_id", "s", rid),
            ("remote_ip", "s", g.ip)]
    add(260, "info", "http", "request completed", http)
    add(140, "info", "http", "request completed", http + [("user_id", "n", lambda: r.randint(1, 99999))])
    add(40, "error", "http", "request failed", [("method", "s", meth), ("path", "s", path), ("status", "n", lambda: r.choice([500, 502, 503, 504])),
                                                ("duration_ms", "n", dur), ("request_id", "s", rid), ("error", "s", err)])
    add(40, "warn", "http", "slow request", [("method", "s", meth), ("path", "s", path), ("duration_ms", "n", lambda: round(r.uniform(500, 9000), 1)),
                                             ("threshold_ms", "n", lambda: 500), ("request_id", "s", rid)])
    add(90, "info", "orders", "order created", [("order_id", "s", oid), ("customer_id", "n", lambda: r.randint(1000, 99999)),
                                                ("items", "n", lambda: r.randint(1, 12)), ("total", "n", lambda: round(r.uniform(3, 900), 2)),
                                                ("currency", "s", lambda: r.choice(["EUR", "USD", "GBP"]))])
    add(80, "info", "payments", "payment authorized", [("order_id", "s", oid), ("payment_id", "s", lambda: "pi_" + g.b64(14).replace("+", "x").replace("/", "y")),
                                                       ("amount", "n", lambda: r.randint(300, 90000)), ("provider", "s", lambda: r.choice(["stripe", "adyen", "paypal"]))])
    add(30, "warn", "payments", "payment declined", [("order_id", "s", oid), ("payment_id", "s", lambda: "pi_" + g.b64(14).replace("+", "x").replace("/", "y")),
                                                     ("reason", "s", lambda: r.choice(["insufficient_funds", "card_expired", "do_not_honor", "fraudulent"]))])
    add(20, "error", "payments", "payment provider error", [("order_id", "s", oid), ("provider", "s", lambda: r.choice(["stripe", "adyen", "paypal"])),
                                                            ("attempt", "n", lambda: r.randint(1, 5)), ("error", "s", err)])
    add(60, "info", "auth", "user logged in", [("user_id", "n", lambda: r.randint(1, 99999)), ("username", "s", g.user), ("ip", "s", g.ip),
                                               ("mfa", "n", lambda: r.random() < 0.4)])
    add(40, "warn", "auth", "login failed", [("username", "s", g.user), ("ip", "s", g.ip),
                                             ("reason", "s", lambda: r.choice(["invalid password", "account locked", "unknown user", "mfa code expired"]))])
    add(70, "debug", "cache", "cache miss", [("key", "s", lambda: f"{r.choice(['product', 'price', 'user'])}:{r.randint(1, 99999)}")])
    add(25, "info", "cache", "cache refreshed", [("cache", "s", lambda: r.choice(["products", "prices", "feature-flags"])),
                                                 ("entries", "n", lambda: r.randint(10, 50000)), ("took_ms", "n", dur)])
    add(25, "error", "db", "query failed", [("query", "s", lambda: r.choice(SQLS)(r)), ("duration_ms", "n", dur), ("error", "s", err)])
    add(30, "info", "jobs", "job started", [("job", "s", job), ("run_id", "s", lambda: uuid4(g))])
    add(30, "info", "jobs", "job finished", [("job", "s", job), ("run_id", "s", lambda: uuid4(g)), ("duration_ms", "n", dur),
                                             ("processed", "n", lambda: r.randint(0, 20000))])
    add(12, "error", "jobs", "job failed", [("job", "s", job), ("run_id", "s", lambda: uuid4(g)), ("attempt", "n", lambda: r.randint(1, 3)), ("error", "s", err)])
    add(70, "info", "kafka", "message consumed", [("topic", "s", lambda: r.choice(["orders", "payments", "stock-events"])),
                                                  ("partition", "n", lambda: r.randint(0, 11)), ("offset", "n", lambda: r.randint(10**5, 10**8)),
                                                  ("key", "s", oid)])
    add(30, "warn", "http", "retrying request", [("url", "s", lambda: r.choice(["http://payments:8080/v1/charges", "http://stock:9000/reserve", "https://api.shipping.example/v2/labels"])),
                                                 ("attempt", "n", lambda: r.randint(1, 5)), ("backoff_ms", "n", lambda: r.choice([100, 200, 400, 800, 1600])),
                                                 ("error", "s", err)])
    add(4, "info", "main", "server started", [("addr", "s", lambda: r.choice([":8080", "0.0.0.0:8080", ":9090"])),
                                              ("version", "s", lambda: r.choice(["1.14.2", "1.15.0", "1.15.1-rc.1"])), ("pid", "n", lambda: r.randint(1, 60000))])
    add(4, "info", "main", "shutting down", [("signal", "s", lambda: r.choice(["terminated", "interrupt"]))])

    def wrap(g, recs):
        t = g.tick(1.5)
        ts = f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z"
        return [f'{{"ts":"{ts}",' + c[1:] for _tid, c in recs]
    return B, wrap


SQLS = [lambda r: "INSERT INTO users (email, name) VALUES ($1, $2)",
        lambda r: "UPDATE orders SET status = $1, updated_at = now() WHERE id = $2",
        lambda r: f"SELECT * FROM order_items WHERE order_id = {r.randint(10**5, 10**6)}",
        lambda r: "SELECT id, email FROM users WHERE lower(email) = lower($1) LIMIT 1",
        lambda r: f"DELETE FROM sessions WHERE expires_at < now() - interval '{r.randint(1, 30)} days'",
        lambda r: "INSERT INTO orders (id, customer_id, total) VALUES ($1, $2, $3) RETURNING id",
        lambda r: "select count(*) from stock_reservations"]


# --- javastack: JVM stderr (printStackTrace / logback), one stack-trace line per record

WEB_BOTTOM = [
    "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
    "org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)",
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
    "org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)",
    "org.apache.tomcat.websocket.server.WsFilter.doFilter(WsFilter.java:51)",
    "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
    "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
    "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
    "org.apache.catalina.authenticator.AuthenticatorBase.invoke(AuthenticatorBase.java:482)",
    "org.apache.catalina.core.StandardHostValve.invoke(StandardHostValve.java:115)",
    "org.apache.catalina.valves.ErrorReportValve.invoke(ErrorReportValve.java:93)",
    "org.apache.catalina.core.StandardEngineValve.invoke(StandardEngineValve.java:74)",
    "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:344)",
    "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)",
    "org.apache.coyote.AbstractProcessorLight.process(AbstractProcessorLight.java:63)",
    "org.apache.coyote.AbstractProtocol$ConnectionHandler.process(AbstractProtocol.java:896)",
    "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744)",
    "org.apache.tomcat.util.net.SocketProcessorBase.run(SocketProcessorBase.java:52)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
    "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)",
    "java.base/java.lang.Thread.run(Thread.java:840)"]
DISPATCH = [
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
    "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
    "java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:568)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
    "org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:150)",
    "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
    "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:884)",
    "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)"]
SCHED_BOTTOM = [
    "org.springframework.scheduling.support.ScheduledMethodRunnable.run(ScheduledMethodRunnable.java:84)",
    "java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:539)",
    "java.base/java.util.concurrent.FutureTask.runAndReset(FutureTask.java:305)",
    "java.base/java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask.run(ScheduledThreadPoolExecutor.java:305)",
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)",
    "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:635)",
    "java.base/java.lang.Thread.run(Thread.java:840)"]
KAFKA_BOTTOM = [
    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "org.springframework.messaging.handler.invocation.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:169)",
    "org.springframework.kafka.listener.adapter.HandlerAdapter.invoke(HandlerAdapter.java:56)",
    "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeRecordListener(KafkaMessageListenerContainer.java:2810)",
    "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1296)",
    "java.base/java.util.concurrent.CompletableFuture$AsyncRun.run(CompletableFuture.java:1804)",
    "java.base/java.lang.Thread.run(Thread.java:840)"]
SOCK_READ = [
    "java.base/sun.nio.ch.Net.poll(Native Method)",
    "java.base/sun.nio.ch.NioSocketImpl.park(NioSocketImpl.java:186)",
    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:290)",
    "java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:314)",
    "java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:355)",
    "java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)",
    "java.base/java.io.BufferedInputStream.fill(BufferedInputStream.java:291)",
    "java.base/sun.net.www.http.HttpClient.parseHTTPHeader(HttpClient.java:817)",
    "java.base/sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:1688)",
    "java.base/java.net.HttpURLConnection.getResponseCode(HttpURLConnection.java:529)"]
SOCK_CONNECT = [
    "java.base/sun.nio.ch.Net.pollConnect(Native Method)",
    "java.base/sun.nio.ch.Net.pollConnectNow(Net.java:672)",
    "java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:547)",
    "java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:602)",
    "java.base/java.net.Socket.connect(Socket.java:633)",
    "java.base/sun.net.NetworkClient.doConnect(NetworkClient.java:178)",
    "java.base/sun.net.www.http.HttpClient.openServer(HttpClient.java:534)"]
HTTP_CLIENT = [
    "org.springframework.http.client.SimpleClientHttpRequest.executeInternal(SimpleClientHttpRequest.java:79)",
    "org.springframework.http.client.AbstractStreamingClientHttpRequest.executeInternal(AbstractStreamingClientHttpRequest.java:70)",
    "org.springframework.http.client.AbstractClientHttpRequest.execute(AbstractClientHttpRequest.java:66)",
    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:915)",
    "org.springframework.web.client.RestTemplate.execute(RestTemplate.java:872)",
    "org.springframework.web.client.RestTemplate.postForObject(RestTemplate.java:486)",
    "com.example.shop.payment.PaymentClient.charge(PaymentClient.java:87)",
    "com.example.shop.order.OrderService.place(OrderService.java:142)",
    "com.example.shop.order.OrderService$$SpringCGLIB$$0.place(<generated>)",
    "com.example.shop.order.OrderController.create(OrderController.java:58)"]
JDBC = [
    "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
    "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
    "org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:371)",
    "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:502)",
    "org.postgresql.jdbc.PgStatement.execute(PgStatement.java:419)",
    "org.postgresql.jdbc.PgPreparedStatement.executeWithFlags(PgPreparedStatement.java:194)",
    "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:155)",
    "com.zaxxer.hikari.pool.ProxyPreparedStatement.executeUpdate(ProxyPreparedStatement.java:61)",
    "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
    "org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:194)"]
HIBERNATE = [
    "org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:95)",
    "org.hibernate.exception.internal.StandardSQLExceptionConverter.convert(StandardSQLExceptionConverter.java:56)",
    "org.hibernate.engine.jdbc.spi.SqlExceptionHelper.convert(SqlExceptionHelper.java:108)",
    "org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:197)",
    "org.hibernate.engine.jdbc.mutation.internal.AbstractMutationExecutor.performNonBatchedMutation(AbstractMutationExecutor.java:107)",
    "org.hibernate.persister.entity.AbstractEntityPersister.insert(AbstractEntityPersister.java:2854)",
    "org.hibernate.action.internal.EntityInsertAction.execute(EntityInsertAction.java:101)",
    "org.hibernate.engine.spi.ActionQueue.executeActions(ActionQueue.java:635)",
    "org.hibernate.internal.SessionImpl.flush(SessionImpl.java:1309)"]
SPRING_DAO = [
    "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:290)",
    "org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:241)",
    "org.springframework.orm.jpa.JpaTransactionManager.doCommit(JpaTransactionManager.java:565)",
    "org.springframework.transaction.support.AbstractPlatformTransactionManager.processCommit(AbstractPlatformTransactionManager.java:794)",
    "org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119)",
    "jdk.proxy3/jdk.proxy3.$Proxy142.save(Unknown Source)",
    "com.example.shop.order.OrderService.persist(OrderService.java:171)",
    "com.example.shop.order.OrderService.place(OrderService.java:150)",
    "com.example.shop.order.OrderController.create(OrderController.java:58)"]


def javastack_book(g: Gen):
    r = g.r
    B = Book("javastack")
    # one template for every frame: class, method and the source location -- File.java:N,
    # "Native Method", "Unknown Source", "<generated>", File.java -- each one variable
    FRAME = B.add("\tat <*>.<*>(<*>)")
    MORE = B.add("\t... <*> more")
    OMITTED = B.add("\t... <*> common frames omitted")
    ISE = B.add("java.lang.IllegalStateException: <*>")
    IAE = B.add("java.lang.IllegalArgumentException: <*>")
    NPE_MSG = B.add("java.lang.NullPointerException: <*>")
    NPE = B.add("java.lang.NullPointerException")
    RAE = B.add("org.springframework.web.client.ResourceAccessException: <*>")
    DIVE = B.add("org.springframework.dao.DataIntegrityViolationException: <*>")
    OOM = B.add("Exception in thread \"<*>\" java.lang.OutOfMemoryError: Java heap space")
    C_STE = B.add("Caused by: java.net.SocketTimeoutException: <*>")
    C_CE = B.add("Caused by: java.net.ConnectException: <*>")
    C_CVE = B.add("Caused by: org.hibernate.exception.ConstraintViolationException: <*>")
    C_PSQL = B.add("Caused by: org.postgresql.util.PSQLException: ERROR: <*>")
    PDETAIL = B.add("  Detail: Key (<*>)=(<*>) already exists.")

    def frames(fs):
        return [(FRAME, "\tat " + f) for f in fs]

    def web(top):
        # request threads: the app frames, the Spring MVC dispatch and the servlet/tomcat chain
        # (cut: the shown part of a trace varies with filters); scheduled jobs and Kafka
        # listeners: the app frames and a short executor chain
        if r.random() < 0.5:
            return top + DISPATCH + WEB_BOTTOM[: r.randint(8, len(WEB_BOTTOM))]
        if r.random() < 0.5:
            return top[:2] + SCHED_BOTTOM
        return top[:2] + KAFKA_BOTTOM

    def tail(n, logback):
        return (OMITTED, f"\t... {n} common frames omitted") if logback else (MORE, f"\t... {n} more")

    def ise():
        msg = r.choice([f"Order ORD-{r.randint(100000, 999999)} is already paid", "cart is empty",
                        "Connection pool shut down", f"Unexpected order state: {r.choice(['CANCELLED', 'SHIPPED', 'REFUNDED'])}"])
        top = ["com.example.shop.order.OrderService.place(OrderService.java:131)",
               "com.example.shop.order.OrderService$$SpringCGLIB$$0.place(<generated>)",
               "com.example.shop.order.OrderController.create(OrderController.java:58)"]
        return [(ISE, f"java.lang.IllegalStateException: {msg}")] + frames(web(top))

    def iae():
        msg = r.choice([f"Invalid SKU: {r.choice('ABC')}{r.randint(10000, 99999)}", "quantity must be positive",
                        f"No enum constant com.example.shop.order.OrderStatus.{r.choice(['PAYED', 'shipped', 'New'])}"])
        top = ["com.example.shop.inventory.StockService.reserve(StockService.java:73)",
               "com.example.shop.inventory.StockController.reserve(StockController.java:41)"]
        return [(IAE, f"java.lang.IllegalArgumentException: {msg}")] + frames(web(top))

    def npe():
        top = ["com.example.shop.cart.CartService.checkout(CartService.java:211)",
               "com.example.shop.cart.CartService.lambda$checkout$3(CartService.java:198)",
               "java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
               "com.example.shop.cart.CartController.checkout(CartController.java:66)"]
        if r.random() < 0.25:
            return [(NPE, "java.lang.NullPointerException")] + frames(web(top))
        msg = r.choice(['Cannot invoke "String.length()" because "<local3>" is null',
                        'Cannot invoke "com.example.shop.order.Customer.getEmail()" because the return value of "com.example.shop.order.Order.getCustomer()" is null',
                        'Cannot read field "price" because "item" is null'])
        return [(NPE_MSG, f"java.lang.NullPointerException: {msg}")] + frames(web(top))

    def rae():
        logback = r.random() < 0.5
        outer = HTTP_CLIENT[3:] + DISPATCH + WEB_BOTTOM[: r.randint(8, len(WEB_BOTTOM))]
        if r.random() < 0.6:
            why = r.choice(["Read timed out", "Read timed out", "timeout"])
            head = [(RAE, f'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payments:8080/v1/charges": {why}'),
                    ] + frames(outer) + [(C_STE, f"Caused by: java.net.SocketTimeoutException: {why}")]
            inner = SOCK_READ + HTTP_CLIENT[:3]
        else:
            head = [(RAE, 'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payments:8080/v1/charges": Connection refused'),
                    ] + frames(outer) + [(C_CE, "Caused by: java.net.ConnectException: Connection refused")]
            inner = SOCK_CONNECT + HTTP_CLIENT[:3]
        return head + frames(inner) + [tail(len(outer), logback)]

    def dive():
        logback = r.random() < 0.5
        con = r.choice(["orders_pkey", "users_email_key", "order_items_order_id_sku_key"])
        key = {"orders_pkey": ("id", lambda: f"ORD-{r.randint(100000, 999999)}"), "users_email_key": ("email", lambda: f"{g.user()}@example.com"),
               "order_items_order_id_sku_key": ("order_id, sku", lambda: f"ORD-{r.randint(100000, 999999)}, {r.choice('ABC')}{r.randint(10000, 99999)}")}[con]
        outer = SPRING_DAO + DISPATCH + WEB_BOTTOM[: r.randint(8, len(WEB_BOTTOM))]
        recs = [(DIVE, f"org.springframework.dao.DataIntegrityViolationException: could not execute statement [ERROR: duplicate key value violates unique constraint \"{con}\"]; SQL [n/a]; constraint [{con}]")]
        recs += frames(outer)
        recs += [(C_CVE, f"Caused by: org.hibernate.exception.ConstraintViolationException: could not execute statement [ERROR: duplicate key value violates unique constraint \"{con}\"]")]
        recs += frames(HIBERNATE) + [tail(len(outer) - 2, logback)]
        recs += [(C_PSQL, f"Caused by: org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint \"{con}\""),
                 (PDETAIL, f"  Detail: Key ({key[0]})=({key[1]()}) already exists.")]
        recs += frames(JDBC) + [tail(len(HIBERNATE) + len(outer) - 4, logback)]
        return recs

    def oom():
        th = r.choice([f"scheduling-{r.randint(1, 4)}", f"pool-{r.randint(1, 3)}-thread-{r.randint(1, 20)}", "report-worker"])
        top = ["java.base/java.util.Arrays.copyOf(Arrays.java:3537)",
               "java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)",
               "java.base/java.lang.AbstractStringBuilder.append(AbstractStringBuilder.java:582)",
               "java.base/java.lang.StringBuilder.append(StringBuilder.java:179)",
               "com.example.shop.report.CsvExporter.write(CsvExporter.java:61)",
               "com.example.shop.report.DailyReportJob.run(DailyReportJob.java:44)",
               "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
               "java.base/java.lang.reflect.Method.invoke(Method.java:580)"]
        return [(OOM, f'Exception in thread "{th}" java.lang.OutOfMemoryError: Java heap space')] + frames(top + SCHED_BOTTOM)

    B.event(30, ise)
    B.event(15, iae)
    B.event(25, npe)
    B.event(25, rae)
    B.event(15, dive)
    B.event(5, oom)

    def wrap(g, recs):
        g.tick(30)
        return [c for _tid, c in recs]
    return B, wrap


# --- logfmt: Go log/slog TextHandler lines (time=... level=... msg=... key=value ...)

def slog_value(v) -> str:
    s = str(v).lower() if isinstance(v, bool) else str(v)
    if s == "" or any(c in s for c in ' ="\\') or not s.isprintable():
        return json.dumps(s)
    return s


def logfmt_book(g: Gen):
    r = g.r
    B = Book("logfmt")

    def add(w, level, msg, keys):
        m = slog_value(msg)
        tid = B.add(f"level={level} msg={m}" + "".join(f" {k}=<*>" for k, _f in keys))
        B.event(w, lambda: [(tid, f"level={level} msg={m}" + "".join(f" {k}={slog_value(f())}" for k, f in keys))])

    def gdur(mean_ms):
        ms = r.expovariate(1 / mean_ms)
        if ms < 1:
            return f"{ms * 1000:.3f}".rstrip("0").rstrip(".") + "µs"
        if ms < 1000:
            return f"{ms:.6f}".rstrip("0").rstrip(".") + "ms"
        return f"{ms / 1000:.6f}".rstrip("0").rstrip(".") + "s"

    meth = lambda: r.choice(["GET", "GET", "GET", "POST", "PUT", "DELETE"])  # noqa: E731
    path = lambda: r.choice(ROUTES)(r)  # noqa: E731
    rid = lambda: g.hexs(16)  # noqa: E731
    err = lambda: r.choice(ERRS)  # noqa: E731
    http = [("method", meth), ("path", path), ("status", None), ("dur", lambda: gdur(30)), ("bytes", lambda: r.randint(0, 90000)),
            ("remote", lambda: f"{g.ip()}:{g.port()}"), ("request_id", rid)]
    add(330, "INFO", "request handled", [(k, f or (lambda: r.choice([200, 200, 200, 201, 204, 301, 304, 400, 404]))) for k, f in http])
    add(45, "ERROR", "request handled", [(k, f or (lambda: r.choice([500, 502, 503, 504]))) for k, f in http])
    add(110, "DEBUG", "db query", [("op", lambda: r.choice(["select", "insert", "update"])), ("table", lambda: r.choice(["orders", "users", "order_items", "stock"])),
                                   ("rows", lambda: r.randint(0, 500)), ("dur", lambda: gdur(4))])
    add(30, "WARN", "slow query", [("query", lambda: r.choice(SQLS)(r)), ("dur", lambda: f"{r.uniform(0.5, 9):.6f}".rstrip("0") + "s")])
    add(25, "ERROR", "db query failed", [("op", lambda: r.choice(["select", "insert", "update"])), ("table", lambda: r.choice(["orders", "users", "order_items", "stock"])),
                                         ("err", err)])
    add(40, "INFO", "cache stats", [("hits", lambda: r.randint(0, 10**6)), ("misses", lambda: r.randint(0, 10**5)),
                                    ("evictions", lambda: r.randint(0, 5000)), ("size", lambda: r.randint(0, 65536))])
    add(60, "DEBUG", "cache miss", [("key", lambda: f"{r.choice(['product', 'price', 'user'])}:{r.randint(1, 99999)}")])
    add(50, "INFO", "user signed in", [("user_id", lambda: r.randint(1, 99999)), ("method", lambda: r.choice(["password", "sso", "passkey"])), ("ip", g.ip)])
    add(30, "WARN", "rate limit exceeded", [("client_ip", g.ip), ("route", lambda: r.choice(["/api/v1/orders", "/api/v1/auth/login", "/api/v1/products"])),
                                            ("limit", lambda: r.choice([60, 100, 600])), ("window", lambda: "1m0s")])
    add(30, "INFO", "job completed", [("job", lambda: r.choice(["invoice-export", "stock-sync", "email-digest"])), ("run_id", lambda: uuid4(g)),
                                      ("dur", lambda: gdur(20000)), ("items", lambda: r.randint(0, 20000))])
    add(12, "ERROR", "job failed", [("job", lambda: r.choice(["invoice-export", "stock-sync", "email-digest"])), ("run_id", lambda: uuid4(g)),
                                    ("attempt", lambda: r.randint(1, 3)), ("err", err)])
    add(60, "INFO", "message published", [("topic", lambda: r.choice(["orders", "payments", "stock-events"])), ("partition", lambda: r.randint(0, 11)),
                                          ("offset", lambda: r.randint(10**5, 10**8)), ("key", lambda: f"ORD-{r.randint(100000, 999999)}")])
    add(30, "WARN", "retrying", [("op", lambda: r.choice(["charge", "reserve-stock", "send-email"])), ("attempt", lambda: r.randint(1, 5)),
                                 ("backoff", lambda: r.choice(["100ms", "200ms", "400ms", "800ms", "1.6s"])), ("err", err)])
    add(40, "INFO", "healthcheck", [("status", lambda: r.choice(["ok", "ok", "ok", "degraded"])), ("checks", lambda: r.randint(3, 6))])
    add(8, "ERROR", "panic recovered", [("err", lambda: r.choice(["runtime error: invalid memory address or nil pointer dereference",
                                                                   "runtime error: index out of range [3] with length 3",
                                                                   "assignment to entry in nil map"])),
                                        ("method", meth), ("path", path), ("request_id", rid)])
    add(4, "INFO", "server listening", [("addr", lambda: r.choice([":8080", "0.0.0.0:8080", "[::]:9090"])), ("version", lambda: r.choice(["v1.14.2", "v1.15.0"]))])
    add(4, "INFO", "config reloaded", [("path", lambda: "/etc/shop/config.yaml"), ("changed", lambda: r.randint(0, 9))])
    add(4, "INFO", "shutting down", [("signal", lambda: r.choice(["terminated", "interrupt"]))])

    def wrap(g, recs):
        t = g.tick(1.5)
        return [f"time={t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z {c}" for _tid, c in recs]
    return B, wrap


# --- apache: Apache httpd 2.4 error log

def apache_book(g: Gen):
    r = g.r
    B = Book("apache")
    specs = {}

    def add(w, mod, text, fn, client=True):
        tid = B.add(text)
        specs[tid] = (mod, client)
        B.event(w, lambda: [(tid, fn())])

    docroot = "/var/www/html"
    files = ["/favicon.ico", "/robots.txt", "/wp-login.php", "/.env", "/apple-touch-icon.png", "/old/index.html",
             f"/images/products/{r.randint(1000, 9999)}.jpg", "/xmlrpc.php", "/.git/config"]
    add(60, "core:error", "AH00126: Invalid URI in request <*>",
        lambda: f"AH00126: Invalid URI in request {r.choice(['GET /cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh HTTP/1.1', 'GET /../../etc/passwd HTTP/1.1', 'POST /cgi-bin/%%32%65%%32%65/%%32%65%%32%65/bin/sh HTTP/1.1', 'GET /icons/.%2e/%2e%2e/apache2/icons/sendform.cgi HTTP/1.1'])}")
    add(160, "authz_core:error", "AH01630: client denied by server configuration: <*>",
        lambda: f"AH01630: client denied by server configuration: {docroot}{r.choice(['/.git/config', '/server-status', '/.htaccess', '/admin/', '/phpmyadmin/'])}")
    add(200, "core:info", "AH00128: File does not exist: <*>", lambda: f"AH00128: File does not exist: {docroot}{r.choice(files)}")
    add(40, "autoindex:error", "AH01276: Cannot serve directory <*>: No matching DirectoryIndex (index.html,index.cgi,index.pl,index.php,index.xhtml,index.htm) found, and server-generated directory index forbidden by Options directive",
        lambda: f"AH01276: Cannot serve directory {docroot}{r.choice(['/', '/uploads/', '/assets/', '/backup/'])}: No matching DirectoryIndex (index.html,index.cgi,index.pl,index.php,index.xhtml,index.htm) found, and server-generated directory index forbidden by Options directive")
    add(15, "core:error", "AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace.",
        lambda: "AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace.")
    add(120, "proxy_fcgi:error", "AH01071: Got error 'PHP message: <*>'",
        lambda: "AH01071: Got error 'PHP message: " + r.choice([
            f'PHP Warning:  Undefined array key "{r.choice(["id", "page", "sort"])}" in /var/www/html/shop/product.php on line {r.choice([42, 57, 118])}',
            f"PHP Warning:  Undefined variable $cart in /var/www/html/shop/cart.php on line {r.choice([23, 88])}",
            "PHP Fatal error:  Uncaught Error: Call to a member function fetch() on bool in /var/www/html/shop/lib/db.php:71",
            "PHP Deprecated:  strlen(): Passing null to parameter #1 ($string) of type string is deprecated in /var/www/html/shop/lib/util.php on line 19"]) + "'")
    add(4, "mpm_event:notice", "AH00489: Apache/<*> (Ubuntu) OpenSSL/<*> configured -- resuming normal operations",
        lambda: f"AH00489: Apache/{r.choice(['2.4.58', '2.4.62'])} (Ubuntu) OpenSSL/{r.choice(['3.0.13', '3.0.2'])} configured -- resuming normal operations", client=False)
    add(4, "core:notice", "AH00094: Command line: '/usr/sbin/apache2'", lambda: "AH00094: Command line: '/usr/sbin/apache2'", client=False)
    add(4, "mpm_event:notice", "AH00492: caught SIGWINCH, shutting down gracefully", lambda: "AH00492: caught SIGWINCH, shutting down gracefully", client=False)
    add(6, "mpm_event:notice", "AH00493: SIGUSR1 received.  Doing graceful restart", lambda: "AH00493: SIGUSR1 received.  Doing graceful restart", client=False)
    add(25, "ssl:error", "AH02032: Hostname <*> provided via SNI and hostname <*> provided via HTTP have no compatible SSL setup",
        lambda: f"AH02032: Hostname {r.choice(['shop.example.com', 'www.example.com', 'api.example.com'])} provided via SNI and hostname {r.choice(['localhost', g.ip(), 'staging.example.com'])} provided via HTTP have no compatible SSL setup")
    add(90, "ssl:info", "AH01964: Connection to child <*> established (server <*>)",
        lambda: f"AH01964: Connection to child {r.randint(0, 400)} established (server {r.choice(['shop.example.com:443', 'api.example.com:443'])})")
    add(45, "ssl:info", "AH02008: SSL library error 1 in handshake (server <*>)",
        lambda: f"AH02008: SSL library error 1 in handshake (server {r.choice(['shop.example.com:443', 'api.example.com:443'])})")
    add(40, "proxy_http:error", "(70007)The timeout specified has expired: [client <*>] AH01102: error reading status line from remote server <*>:<*>",
        lambda: f"(70007)The timeout specified has expired: [client {g.ip()}:{g.port()}] AH01102: error reading status line from remote server {r.choice(['127.0.0.1', 'backend-01', '10.0.2.15'])}:{r.choice([8080, 9000])}", client=False)
    add(40, "proxy:error", "AH00898: Error reading from remote server returned by <*>",
        lambda: f"AH00898: Error reading from remote server returned by {r.choice(['/api/v1/orders', '/api/v1/checkout', f'/api/v1/users/{r.randint(1, 99999)}'])}")
    add(30, "proxy:error", "(111)Connection refused: AH00957: http: attempt to connect to <*>:<*> (<*>) failed",
        lambda: (lambda h, p: f"(111)Connection refused: AH00957: http: attempt to connect to {h}:{p} ({h}:{p}) failed")(r.choice(['127.0.0.1', '10.0.2.15']), r.choice([8080, 9000])), client=False)
    add(30, "proxy_http:error", "AH01114: HTTP: failed to make connection to backend: <*>",
        lambda: f"AH01114: HTTP: failed to make connection to backend: {r.choice(['127.0.0.1', '10.0.2.15', 'backend-01'])}")
    add(15, "proxy:error", "AH00959: ap_proxy_connect_backend disabling worker for (<*>:<*>) for <*>s",
        lambda: f"AH00959: ap_proxy_connect_backend disabling worker for ({r.choice(['127.0.0.1', '10.0.2.15'])}:{r.choice([8080, 9000])}) for {r.choice([60, 30, 120])}s", client=False)
    add(60, "auth_basic:error", "AH01617: user <*>: authentication failure for \"<*>\": Password Mismatch",
        lambda: f"AH01617: user {g.user()}: authentication failure for \"{r.choice(['/admin/', '/server-status', '/reports/'])}\": Password Mismatch")
    add(30, "auth_basic:error", "AH01618: user <*> not found: <*>",
        lambda: f"AH01618: user {g.user()} not found: {r.choice(['/admin/', '/server-status', '/reports/'])}")
    add(8, "mpm_event:error", "AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
        lambda: "AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting", client=False)

    pids = [r.randint(1000, 60000) for _ in range(4)]

    def wrap(g, recs):
        t = g.tick(3)
        out = []
        for tid, c in recs:
            mod, client = specs[tid]
            pid = r.choice(pids)
            head = f"[{t:%a %b %d %H:%M:%S}.{t.microsecond:06d} {t:%Y}] [{mod}] [pid {pid}:tid {r.randint(139700000000000, 139799999999999)}] "
            if client:
                head += f"[client {g.ip()}:{g.port()}] "
            out.append(head + c)
        return out
    return B, wrap


# --- postgres: PostgreSQL 16 stderr log, Debian's log_line_prefix '%m [%p] %q%u@%d '

def postgres_book(g: Gen):
    r = g.r
    B = Book("postgres")
    CK_START = B.add("LOG:  checkpoint starting: time")
    CK_DONE = B.add("LOG:  checkpoint complete: wrote <*> buffers (<*>%); <*> WAL file(s) added, <*> removed, <*> recycled; write=<*> s, sync=<*> s, total=<*> s; sync files=<*>, longest=<*> s, average=<*> s; distance=<*> kB, estimate=<*> kB; lsn=<*>, redo lsn=<*>")
    CONN_RECV = B.add("LOG:  connection received: host=<*> port=<*>")
    CONN_AUTH = B.add("LOG:  connection authorized: user=<*> database=<*> application_name=<*>")
    CONN_SSL = B.add("LOG:  connection authorized: user=<*> database=<*> application_name=<*> SSL enabled (protocol=<*>, cipher=<*>, bits=<*>)")
    DISCONN = B.add("LOG:  disconnection: session time: <*> user=<*> database=<*> host=<*> port=<*>")
    DUP = B.add("ERROR:  duplicate key value violates unique constraint \"<*>\"")
    DUP_D = B.add("DETAIL:  Key (<*>)=(<*>) already exists.")
    STMT = B.add("STATEMENT:  <*>")
    NOREL = B.add("ERROR:  relation \"<*>\" does not exist at character <*>")
    TIMEOUT = B.add("ERROR:  canceling statement due to statement timeout")
    DEADLOCK = B.add("ERROR:  deadlock detected")
    DL_D = B.add("DETAIL:  Process <*> waits for ShareLock on transaction <*>; blocked by process <*>.")
    DL_CONT = B.add("\tProcess <*> waits for ShareLock on transaction <*>; blocked by process <*>.")
    DL_HINT = B.add("HINT:  See server log for query details.")
    PWFAIL = B.add("FATAL:  password authentication failed for user \"<*>\"")
    PW_D = B.add("DETAIL:  Connection matched file \"/etc/postgresql/16/main/pg_hba.conf\" line <*>: \"<*>\"")
    NODB = B.add("FATAL:  database \"<*>\" does not exist")
    AV = B.add("LOG:  automatic vacuum of table \"<*>\": index scans: <*>")
    AV_PAGES = B.add("\tpages: <*> removed, <*> remain, <*> scanned (<*>% of total)")
    AV_TUP = B.add("\ttuples: <*> removed, <*> remain, <*> are dead but not yet removable")
    AV_RATE = B.add("\tavg read rate: <*> MB/s, avg write rate: <*> MB/s")
    AV_SYS = B.add("\tsystem usage: CPU: user: <*> s, system: <*> s, elapsed: <*> s")
    AN = B.add("LOG:  automatic analyze of table \"<*>\"")

    users = ["shop", "shop", "shop", "reporting", "postgres", "grafana"]
    dbs = {"shop": "shop", "reporting": "shop", "postgres": "postgres", "grafana": "grafana"}
    apps = ["PostgreSQL JDBC Driver", "psql", "pgAdmin 4 - CONN:1234567", "[unknown]", "grafana", "pg_dump"]
    tables = ["shop.public.orders", "shop.public.order_items", "shop.public.sessions", "shop.public.users", "shop.public.stock_reservations"]
    # each record: (template id, content, session "user@db" or "" for background processes or None for continuation lines)

    def sess():
        u = r.choice(users)
        return f"{u}@{dbs[u]}"

    def ck():
        wrote = r.randint(10, 20000)
        tot = r.uniform(0.1, 270)
        return [(CK_START, "LOG:  checkpoint starting: time", ""),
                (CK_DONE, f"LOG:  checkpoint complete: wrote {wrote} buffers ({wrote / 16384 * 100:.1f}%); 0 WAL file(s) added, {r.randint(0, 3)} removed, {r.randint(0, 12)} recycled; "
                          f"write={tot * 0.98:.3f} s, sync={r.uniform(0, 1):.3f} s, total={tot:.3f} s; sync files={r.randint(1, 80)}, longest={r.uniform(0, 0.5):.3f} s, "
                          f"average={r.uniform(0, 0.05):.3f} s; distance={r.randint(100, 200000)} kB, estimate={r.randint(100, 200000)} kB; "
                          f"lsn={r.randint(0, 9):X}/{g.hexs(8).upper()}, redo lsn={r.randint(0, 9):X}/{g.hexs(8).upper()}", "")]

    def conn():
        ip, port, s = r.choice(["127.0.0.1", "10.0.1.21", "10.0.1.22", "10.0.2.40", "[local]"]), g.port(), sess()
        u, d = s.split("@")
        recs = [(CONN_RECV, f"LOG:  connection received: host={ip} port={port}", "[unknown]@[unknown]")]
        if r.random() < 0.4:
            recs.append((CONN_SSL, f"LOG:  connection authorized: user={u} database={d} application_name={r.choice(apps)} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)", s))
        else:
            recs.append((CONN_AUTH, f"LOG:  connection authorized: user={u} database={d} application_name={r.choice(apps)}", s))
        return recs

    def disc():
        s = sess()
        u, d = s.split("@")
        return [(DISCONN, f"LOG:  disconnection: session time: {r.randint(0, 3)}:{r.randint(0, 59):02d}:{r.uniform(0, 59.999):06.3f} user={u} database={d} host={r.choice(['127.0.0.1', '10.0.1.21', '10.0.1.22', '[local]'])} port={g.port()}", s)]

    def stmt(sql, s):
        return (STMT, f"STATEMENT:  {sql}", s)

    def dup():
        s = sess()
        con, key, val, sql = r.choice([
            ("users_email_key", "email", f"{g.user()}@example.com", "INSERT INTO users (email, name) VALUES ($1, $2)"),
            ("orders_pkey", "id", f"ORD-{r.randint(100000, 999999)}", "INSERT INTO orders (id, customer_id, total) VALUES ($1, $2, $3) RETURNING id"),
            ("order_items_order_id_sku_key", "order_id, sku", f"ORD-{r.randint(100000, 999999)}, {r.choice('ABC')}{r.randint(10000, 99999)}",
             "insert into order_items (order_id, sku, qty, price) values ($1,$2,$3,$4)")])
        return [(DUP, f"ERROR:  duplicate key value violates unique constraint \"{con}\"", s),
                (DUP_D, f"DETAIL:  Key ({key})=({val}) already exists.", s), stmt(sql, s)]

    def norel():
        s = sess()
        rel, sql = r.choice([("order_itemz", "SELECT * FROM order_itemz WHERE order_id = 8812"),
                             ("public.invoices_2025", "select count(*) from public.invoices_2025"),
                             ("pg_stat_statements", "SELECT query, calls, total_exec_time FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20")])
        return [(NOREL, f"ERROR:  relation \"{rel}\" does not exist at character {sql.lower().index(rel.lower()) + 1}", s), stmt(sql, s)]

    def timeout():
        s = sess()
        sql = r.choice(["SELECT o.id, sum(i.qty * i.price) FROM orders o JOIN order_items i ON i.order_id = o.id GROUP BY o.id",
                        f"SELECT * FROM events WHERE created_at > now() - interval '{r.randint(1, 90)} days' ORDER BY created_at",
                        "UPDATE stock SET reserved = reserved + $1 WHERE sku = $2"])
        return [(TIMEOUT, "ERROR:  canceling statement due to statement timeout", s), stmt(sql, s)]

    def deadlock():
        s = sess()
        p1, p2, x1 = r.randint(1000, 99999), r.randint(1000, 99999), r.randint(10**6, 10**8)
        return [(DEADLOCK, "ERROR:  deadlock detected", s),
                (DL_D, f"DETAIL:  Process {p1} waits for ShareLock on transaction {x1}; blocked by process {p2}.", s),
                (DL_CONT, f"\tProcess {p2} waits for ShareLock on transaction {x1 + r.randint(1, 50)}; blocked by process {p1}.", None),
                (DL_HINT, "HINT:  See server log for query details.", s),
                stmt("UPDATE stock SET reserved = reserved + $1 WHERE sku = $2", s)]

    def pwfail():
        u = r.choice(["shop", "postgres", "admin", "root", "test", "reporting"])
        line, rule = r.choice([(128, "host    all             all             0.0.0.0/0               scram-sha-256"),
                               (125, "host    all             all             10.0.0.0/8              scram-sha-256"),
                               (118, "local   all             all                                     peer")])
        return [(PWFAIL, f"FATAL:  password authentication failed for user \"{u}\"", f"{u}@{r.choice(['shop', 'postgres'])}"),
                (PW_D, f"DETAIL:  Connection matched file \"/etc/postgresql/16/main/pg_hba.conf\" line {line}: \"{rule}\"", f"{u}@shop")]

    def nodb():
        d = r.choice(["shop_test", "template", "admin", "root", "metabase"])
        return [(NODB, f"FATAL:  database \"{d}\" does not exist", f"{r.choice(['postgres', 'shop', 'root'])}@{d}")]

    def tail():
        return [(AV_RATE, f"\tavg read rate: {r.uniform(0, 80):.3f} MB/s, avg write rate: {r.uniform(0, 40):.3f} MB/s", None),
                (AV_SYS, f"\tsystem usage: CPU: user: {r.uniform(0, 2):.2f} s, system: {r.uniform(0, 1):.2f} s, elapsed: {r.uniform(0, 30):.2f} s", None)]

    def vacuum():
        rem = r.randint(10, 200000)
        sc = r.randint(1, rem)
        return [(AV, f"LOG:  automatic vacuum of table \"{r.choice(tables)}\": index scans: {r.choice([0, 1, 1, 2])}", ""),
                (AV_PAGES, f"\tpages: {r.randint(0, 20)} removed, {rem} remain, {sc} scanned ({sc / rem * 100:.2f}% of total)", None),
                (AV_TUP, f"\ttuples: {r.randint(0, 90000)} removed, {r.randint(0, 10**7)} remain, {r.randint(0, 500)} are dead but not yet removable", None)] + tail()

    def analyze():
        return [(AN, f"LOG:  automatic analyze of table \"{r.choice(tables)}\"", "")] + tail()

    B.event(12, ck)
    B.event(130, conn)
    B.event(120, disc)
    B.event(18, dup)
    B.event(8, norel)
    B.event(8, timeout)
    B.event(3, deadlock)
    B.event(12, pwfail)
    B.event(5, nodb)
    B.event(12, vacuum)
    B.event(10, analyze)

    def wrap(g, recs):
        t = g.tick(4)
        pid = r.randint(1000, 400000)
        out = []
        for _tid, c, s in recs:
            if s is None:
                out.append(c)
            else:
                out.append(f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond // 1000:03d} UTC [{pid}] " + (f"{s} " if s else "") + c)
        return out
    return B, wrap


# --- k8s: kubelet klog lines (structured logging, Kubernetes 1.28)

def k8s_book(g: Gen):
    r = g.r
    B = Book("k8s")
    specs = {}

    def add(w, sev, src, text, fn):
        tid = B.add(text)
        specs[tid] = (sev, src)
        B.event(w, lambda: [(tid, fn())])

    apps = ["orders", "payments", "frontend", "stock", "redis", "postgres", "ingress-nginx-controller"]
    nss = ["shop", "shop", "shop", "kube-system", "monitoring", "ingress-nginx"]
    pods = [f"{r.choice(nss)}/{a}-{g.hexs(r.choice([9, 10]))}-{''.join(r.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}" for a in apps for _ in range(5)]
    pod = lambda: r.choice(pods)  # noqa: E731
    uid = lambda: uuid4(g)  # noqa: E731
    cname = lambda p: p.split("/")[1].rsplit("-", 2)[0]  # noqa: E731
    vols = ["kube-api-access-" + "".join(r.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5)), "config", "data", "tls-certs", "tmp"]

    def vol(p, u):
        v = r.choice(vols)
        kind = "projected" if v.startswith("kube-api") else r.choice(["configmap", "secret", "empty-dir"])
        return v, f"kubernetes.io/{kind}/{u}-{v}"

    def ts_(t):
        return f"{t:%Y-%m-%d %H:%M:%S} +0000 UTC"

    def obs():
        p = pod()
        t0 = g.t - timedelta(seconds=r.uniform(2, 40))
        pulled = r.random() < 0.4
        fp = ts_(t0 + timedelta(seconds=1)) if pulled else "0001-01-01 00:00:00 +0000 UTC"
        lp = ts_(t0 + timedelta(seconds=5)) if pulled else "0001-01-01 00:00:00 +0000 UTC"
        e2e = r.uniform(2, 40)
        return (f'"Observed pod startup duration" pod="{p}" podStartSLOduration={e2e * 0.8:.9f} podStartE2EDuration="{e2e:.9f}s" '
                f'podCreationTimestamp="{ts_(t0)}" firstStartedPulling="{fp}" lastFinishedPulling="{lp}" '
                f'observedRunningTime="{ts_(g.t)}" watchObservedRunningTime="{ts_(g.t)}"')

    def probe_out(p):
        ip = f"10.244.{r.randint(0, 5)}.{r.randint(2, 250)}"
        return r.choice([f'Get \\"http://{ip}:8080/healthz\\": dial tcp {ip}:8080: connect: connection refused',
                         f'Get \\"http://{ip}:8080/ready\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                         "HTTP probe failed with statuscode: 503"])

    def crash(p):
        c = cname(p)
        return (f'failed to \\"StartContainer\\" for \\"{c}\\" with CrashLoopBackOff: \\"back-off {r.choice(["10s", "20s", "40s", "1m20s", "2m40s", "5m0s"])} '
                f'restarting failed container={c} pod={p.split("/")[1]}_{p.split("/")[0]}({uid()})\\"')

    add(60, "I", "kubelet.go:2430", '"SyncLoop ADD" source="api" pods=["<*>"]', lambda: f'"SyncLoop ADD" source="api" pods=["{pod()}"]')
    add(160, "I", "kubelet.go:2446", '"SyncLoop UPDATE" source="api" pods=["<*>"]', lambda: f'"SyncLoop UPDATE" source="api" pods=["{pod()}"]')
    add(50, "I", "kubelet.go:2439", '"SyncLoop DELETE" source="api" pods=["<*>"]', lambda: f'"SyncLoop DELETE" source="api" pods=["{pod()}"]')
    add(45, "I", "kubelet.go:2433", '"SyncLoop REMOVE" source="api" pods=["<*>"]', lambda: f'"SyncLoop REMOVE" source="api" pods=["{pod()}"]')
    add(160, "I", "kubelet.go:2468", '"SyncLoop (PLEG): event for pod" pod="<*>" event={"ID":"<*>","Type":"<*>","Data":"<*>"}',
        lambda: f'"SyncLoop (PLEG): event for pod" pod="{pod()}" event={{"ID":"{uid()}","Type":"{r.choice(["ContainerStarted", "ContainerDied"])}","Data":"{g.hexs(64)}"}}')
    add(120, "I", "kubelet.go:2542", '"SyncLoop (probe)" probe="<*>" status="<*>" pod="<*>"',
        lambda: f'"SyncLoop (probe)" probe="{r.choice(["readiness", "liveness", "startup"])}" status="{r.choice(["ready", "", "unhealthy", "started"])}" pod="{pod()}"')
    add(110, "I", "prober.go:107", '"Probe failed" probeType="<*>" pod="<*>" podUID="<*>" containerName="<*>" probeResult="failure" output="<*>"',
        lambda: (lambda p: f'"Probe failed" probeType="{r.choice(["Readiness", "Liveness"])}" pod="{p}" podUID="{uid()}" containerName="{cname(p)}" probeResult="failure" output="{probe_out(p)}"')(pod()))
    add(90, "E", "pod_workers.go:1298", '"Error syncing pod, skipping" err="<*>" pod="<*>" podUID="<*>"',
        lambda: (lambda p: f'"Error syncing pod, skipping" err="{crash(p)}" pod="{p}" podUID="{uid()}"')(pod()))
    add(60, "I", "scope.go:117", '"RemoveContainer" containerID="<*>"', lambda: f'"RemoveContainer" containerID="{g.hexs(64)}"')
    add(40, "I", "kuberuntime_container.go:779", '"Killing container with a grace period" pod="<*>" podUID="<*>" containerName="<*>" containerID="containerd://<*>" gracePeriod=<*>',
        lambda: (lambda p: f'"Killing container with a grace period" pod="{p}" podUID="{uid()}" containerName="{cname(p)}" containerID="containerd://{g.hexs(64)}" gracePeriod={r.choice([30, 30, 10, 60])}')(pod()))
    add(60, "I", "reconciler_common.go:258", '"operationExecutor.VerifyControllerAttachedVolume started for volume \\"<*>\\" (UniqueName: \\"<*>\\") pod \\"<*>\\" (UID: \\"<*>\\") " pod="<*>"',
        lambda: (lambda p, u: (lambda v: f'"operationExecutor.VerifyControllerAttachedVolume started for volume \\"{v[0]}\\" (UniqueName: \\"{v[1]}\\") pod \\"{p.split("/")[1]}\\" (UID: \\"{u}\\") " pod="{p}"')(vol(p, u)))(pod(), uid()))
    add(60, "I", "operation_generator.go:721", '"MountVolume.SetUp succeeded for volume \\"<*>\\" (UniqueName: \\"<*>\\") pod \\"<*>\\" (UID: \\"<*>\\") " pod="<*>"',
        lambda: (lambda p, u: (lambda v: f'"MountVolume.SetUp succeeded for volume \\"{v[0]}\\" (UniqueName: \\"{v[1]}\\") pod \\"{p.split("/")[1]}\\" (UID: \\"{u}\\") " pod="{p}"')(vol(p, u)))(pod(), uid()))
    add(40, "I", "reconciler_common.go:159", '"operationExecutor.UnmountVolume started for volume \\"<*>\\" (UniqueName: \\"<*>\\") pod \\"<*>\\" (UID: \\"<*>\\") "',
        lambda: (lambda u: (lambda v: f'"operationExecutor.UnmountVolume started for volume \\"{v[0]}\\" (UniqueName: \\"{v[1]}\\") pod \\"{u}\\" (UID: \\"{u}\\") "')(vol(None, u)))(uid()))
    add(35, "I", "reconciler_common.go:299", '"Volume detached for volume \\"<*>\\" (UniqueName: \\"<*>\\") on node \\"<*>\\" DevicePath \\"\\""',
        lambda: (lambda u: (lambda v: f'"Volume detached for volume \\"{v[0]}\\" (UniqueName: \\"{v[1]}\\") on node \\"{r.choice(["worker-1", "worker-2", "worker-3"])}\\" DevicePath \\"\\""')(vol(None, u)))(uid()))
    add(50, "I", "pod_startup_latency_tracker.go:104", '"Observed pod startup duration" pod="<*>" podStartSLOduration=<*> podStartE2EDuration="<*>" podCreationTimestamp="<*>" firstStartedPulling="<*>" lastFinishedPulling="<*>" observedRunningTime="<*>" watchObservedRunningTime="<*>"', obs)
    add(25, "W", "reflector.go:539", "k8s.io/client-go/informers/factory.go:<*>: failed to list <*>: <*>",
        lambda: f'k8s.io/client-go/informers/factory.go:{r.choice([150, 159])}: failed to list {r.choice(["*v1.Service", "*v1.Node", "*v1.RuntimeClass", "*v1.CSIDriver"])}: '
                + r.choice(['Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: connect: connection refused',
                            'nodes "worker-2" is forbidden: User "system:node:worker-2" cannot list resource "nodes" in API group "" at the cluster scope',
                            "the server has asked for the client to provide credentials"]))
    add(25, "E", "reflector.go:147", "k8s.io/client-go/informers/factory.go:<*>: Failed to watch <*>: failed to list <*>: <*>",
        lambda: (lambda ty: f'k8s.io/client-go/informers/factory.go:{r.choice([150, 159])}: Failed to watch {ty}: failed to list {ty}: '
                 + r.choice(['Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: connect: connection refused',
                             "the server has asked for the client to provide credentials"]))(r.choice(["*v1.Service", "*v1.Node", "*v1.RuntimeClass"])))
    add(12, "I", "eviction_manager.go:366", '"Eviction manager: attempting to reclaim" resourceName="<*>"',
        lambda: f'"Eviction manager: attempting to reclaim" resourceName="{r.choice(["memory", "ephemeral-storage", "nodefs.inodesFree"])}"')
    add(10, "I", "eviction_manager.go:377", '"Eviction manager: must evict pod(s) to reclaim" resourceName="<*>"',
        lambda: f'"Eviction manager: must evict pod(s) to reclaim" resourceName="{r.choice(["memory", "ephemeral-storage"])}"')
    add(10, "E", "kubelet.go:2874", '"Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"',
        lambda: '"Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"')
    add(5, "I", "kubelet_node_status.go:76", '"Attempting to register node" node="<*>"', lambda: f'"Attempting to register node" node="{r.choice(["worker-1", "worker-2", "worker-3"])}"')
    add(15, "E", "kubelet_node_status.go:540", '"Error updating node status, will retry" err="<*>"',
        lambda: f'"Error updating node status, will retry" err="error getting node \\"{r.choice(["worker-1", "worker-2", "worker-3"])}\\": '
                + r.choice(['Get \\"https://10.0.0.10:6443/api/v1/nodes/worker-2?timeout=10s\\": context deadline exceeded',
                            'Get \\"https://10.0.0.10:6443/api/v1/nodes/worker-2?resourceVersion=0&timeout=10s\\": net/http: request canceled (Client.Timeout exceeded while awaiting headers)']) + '"')

    kpid = r.randint(500, 3000)

    def wrap(g, recs):
        t = g.tick(2)
        out = []
        for tid, c in recs:
            sev, src = specs[tid]
            out.append(f"{sev}{t:%m%d %H:%M:%S}.{t.microsecond:06d} {kpid:7d} {src}] {c}")
        return out
    return B, wrap


# --- haproxy: HAProxy 2.8 via syslog (option httplog / option tcplog, plus its server/proxy messages)

HAP_ROUTES = [  # (method, route template, route fn, backend)
    ("GET", "/", lambda r: "/", "be_shop"),
    ("GET", "/api/v1/products/<*>", lambda r: f"/api/v1/products/{r.randint(1, 99999)}", "be_api"),
    ("GET", "/api/v1/orders/<*>", lambda r: f"/api/v1/orders/{r.randint(10**5, 10**6)}", "be_api"),
    ("POST", "/api/v1/orders", lambda r: "/api/v1/orders", "be_api"),
    ("POST", "/api/v1/cart/<*>/items", lambda r: f"/api/v1/cart/{r.randint(1, 9999)}/items", "be_api"),
    ("GET", "/static/<*>", lambda r: "/static/" + r.choice(["css/main.css", "js/app.js", "img/logo.svg", "js/vendor.js", "fonts/inter.woff2"]), "be_static"),
    ("GET", "/healthz", lambda r: "/healthz", "be_shop"),
]
HAP_SERVERS = {"be_shop": ["web-01", "web-02", "web-03"], "be_api": ["app-01", "app-02"], "be_static": ["static-01", "static-02"],
               "be_redis": ["cache-01"], "be_pg": ["db-01", "db-02"]}


def haproxy_book(g: Gen):
    r = g.r
    B = Book("haproxy")
    st = {"pid": r.randint(1000, 60000)}

    def hts():
        t = g.t - timedelta(milliseconds=r.randint(0, 900))
        return f"{t:%d/%b/%Y:%H:%M:%S}.{t.microsecond // 1000:03d}"

    def conns():
        a = r.randint(1, 400)
        f = r.randint(1, a)
        b = r.randint(0, f)
        return f"{a}/{f}/{b}/{r.randint(0, b)}/{r.choice([0, 0, 0, 0, 1])}"

    def head(fe):
        return f"{g.ip()}:{g.port()} [{hts()}] {fe}"

    for meth, rt, rfn, be in HAP_ROUTES:
        tid = B.add(f'<*>:<*> [<*>] <*> <*>/<*> <*>/<*>/<*>/<*>/<*> <*> <*> - - <*> <*>/<*>/<*>/<*>/<*> <*>/<*> "{meth} {rt} HTTP/1.1"')

        def ev(tid=tid, meth=meth, rfn=rfn, be=be):
            tr, tc, trr = r.randint(0, 3), r.randint(0, 2), int(r.expovariate(1 / 30))
            status = r.choice([200] * 12 + [304, 404, 500, 502] if meth == "GET" else [200, 201, 201, 201, 400, 409, 500])
            term = r.choice(["----"] * 20 + ["--VN", "CD--", "SH--"])
            c = (f'{head(r.choice(["fe_https~", "fe_https~", "fe_http"]))} {be}/{r.choice(HAP_SERVERS[be])} {tr}/0/{tc}/{trr}/{tr + tc + trr} '
                 f'{status} {r.randint(0, 90000)} - - {term} {conns()} 0/0 "{meth} {rfn(r)} HTTP/1.1"')
            return [(tid, c)]
        B.event({"/": 160, "/healthz": 90, "/static/<*>": 150}.get(rt, 120), ev)

    BADREQ = B.add('<*>:<*> [<*>] <*> <*>/<NOSRV> -1/-1/-1/-1/<*> 400 <*> - - PR-- <*>/<*>/<*>/<*>/<*> <*>/<*> "<BADREQ>"')
    B.event(15, lambda: [(BADREQ, (lambda fe: f'{head(fe)} {fe}/<NOSRV> -1/-1/-1/-1/{r.randint(0, 3)} 400 {r.choice([0, 187])} - - PR-- {conns()} 0/0 "<BADREQ>"')(
        r.choice(["fe_https~", "fe_http"])))])
    NOSRV = B.add('<*>:<*> [<*>] <*> <*>/<NOSRV> <*>/<*>/-1/-1/<*> 503 <*> - - SC-- <*>/<*>/<*>/<*>/<*> <*>/<*> "<*>"')

    def nosrv():
        meth, _rt, rfn, be = r.choice(HAP_ROUTES)
        tw = r.randint(0, 3)
        return [(NOSRV, f'{head("fe_https~")} {be}/<NOSRV> 0/{tw}/-1/-1/{tw} 503 217 - - SC-- {conns()} 0/0 "{meth} {rfn(r)} HTTP/1.1"')]
    B.event(25, nosrv)
    TCP = B.add("<*>:<*> [<*>] <*> <*>/<*> <*>/<*>/<*> <*> <*> <*>/<*>/<*>/<*>/<*> <*>/<*>")

    def tcp():
        fe, be = r.choice([("fe_redis", "be_redis"), ("fe_pg", "be_pg")])
        tw, tc = r.randint(0, 2), r.randint(0, 3)
        return [(TCP, f"{head(fe)} {be}/{r.choice(HAP_SERVERS[be])} {tw}/{tc}/{r.randint(5, 3600000)} {r.randint(0, 10**7)} "
                      f"{r.choice(['--'] * 6 + ['cD', 'sD', 'CD'])} {conns()} 0/0")]
    B.event(110, tcp)
    SSLF = B.add("<*>:<*> [<*>] <*>/<*>: SSL handshake failure")
    B.event(30, lambda: [(SSLF, f"{g.ip()}:{g.port()} [{hts()}] fe_https/{r.choice([1, 1, 2])}: SSL handshake failure")])
    SSLC = B.add("<*>:<*> [<*>] <*>/<*>: Connection closed during SSL handshake")
    B.event(12, lambda: [(SSLC, f"{g.ip()}:{g.port()} [{hts()}] fe_https/{r.choice([1, 1, 2])}: Connection closed during SSL handshake")])

    left = " <*> active and <*> backup servers left. <*> sessions active, <*> requeued, <*> remaining in queue."
    online = " <*> active and <*> backup servers online. <*> sessions requeued, <*> total in queue."
    DOWN = B.add("Server <*>/<*> is DOWN, reason: <*>, check duration: <*>ms." + left)
    DOWN_I = B.add("Server <*>/<*> is DOWN, reason: <*>, info: \"<*>\", check duration: <*>ms." + left)
    DOWN_C = B.add("Server <*>/<*> is DOWN, reason: <*>, code: <*>, info: \"<*>\", check duration: <*>ms." + left)
    UP = B.add("Server <*>/<*> is UP, reason: <*>, check duration: <*>ms." + online)
    UP_C = B.add("Server <*>/<*> is UP, reason: <*>, code: <*>, check duration: <*>ms." + online)
    HC_F = B.add("Health check for server <*>/<*> failed, reason: <*>, code: <*>, info: \"<*>\", check duration: <*>ms, status: <*>/<*> <*>.")
    HC_S = B.add("Health check for server <*>/<*> succeeded, reason: <*>, code: <*>, check duration: <*>ms, status: <*>/<*> <*>.")
    NOSERV = B.add("backend <*> has no server available!")

    def down():
        be = r.choice(["be_shop", "be_api", "be_static", "be_pg"])
        srv = r.choice(HAP_SERVERS[be])
        n = len(HAP_SERVERS[be])
        act = r.randint(1, n - 1) if n > 1 and r.random() < 0.8 else 0
        k = r.random()
        if k < 0.35:
            why = f"reason: {r.choice(['Layer4 timeout', 'Layer7 timeout'])}, check duration: {r.choice([1001, 2000, 2001, 3002])}ms."
            tid = DOWN
        elif k < 0.7:
            why = f"reason: Layer4 connection problem, info: \"{r.choice(['Connection refused', 'No route to host'])}\", check duration: {r.randint(0, 3)}ms."
            tid = DOWN_I
        else:
            code, info = r.choice([(503, "Service Unavailable"), (500, "Internal Server Error"), (404, "Not Found")])
            why = f"reason: Layer7 wrong status, code: {code}, info: \"{info}\", check duration: {r.randint(1, 40)}ms."
            tid = DOWN_C
        recs = []
        if tid == DOWN_C:
            for fall in (1, 2):
                recs.append((HC_F, f"Health check for server {be}/{srv} failed, reason: Layer7 wrong status, code: {code}, info: \"{info}\", "
                                   f"check duration: {r.randint(1, 40)}ms, status: {3 - fall}/3 UP."))
        recs.append((tid, f"Server {be}/{srv} is DOWN, {why} {act} active and 0 backup servers left. {r.randint(0, 40)} sessions active, 0 requeued, 0 remaining in queue."))
        if act == 0:
            recs.append((NOSERV, f"backend {be} has no server available!"))
        return recs

    def up():
        be = r.choice(["be_shop", "be_api", "be_static", "be_pg"])
        srv = r.choice(HAP_SERVERS[be])
        act = r.randint(1, len(HAP_SERVERS[be]))
        if be == "be_pg":
            return [(UP, f"Server {be}/{srv} is UP, reason: Layer4 check passed, check duration: {r.randint(0, 2)}ms. {act} active and 0 backup servers online. 0 sessions requeued, 0 total in queue.")]
        recs = [(HC_S, f"Health check for server {be}/{srv} succeeded, reason: Layer7 check passed, code: 200, check duration: {r.randint(1, 20)}ms, status: 1/2 DOWN.")]
        recs.append((UP_C, f"Server {be}/{srv} is UP, reason: Layer7 check passed, code: 200, check duration: {r.randint(1, 20)}ms. {act} active and 0 backup servers online. 0 sessions requeued, 0 total in queue."))
        return recs
    B.event(14, down)
    B.event(12, up)

    STARTED = B.add("Proxy <*> started.")
    STOPPING = B.add("Stopping frontend <*> in 0 ms.")
    STOPPED = B.add("Proxy <*> stopped (cumulated conns: FE: <*>, BE: <*>).")
    fes = ["fe_http", "fe_https", "fe_redis", "fe_pg"]
    bes = ["be_shop", "be_api", "be_static", "be_redis", "be_pg"]

    def reload():
        recs = [(STARTED, f"Proxy {p} started.", "new") for p in fes + bes]
        recs += [(STOPPING, f"Stopping frontend {p} in 0 ms.", "old") for p in fes]
        recs += [(STOPPED, f"Proxy {p} stopped (cumulated conns: FE: {r.randint(100, 10**6) if p.startswith('fe') else 0}, "
                           f"BE: {0 if p.startswith('fe') else r.randint(100, 10**6)}).", "old") for p in fes + bes]
        return recs
    B.event(2, reload)

    def wrap(g, recs):
        out = []
        old = st["pid"]
        if any(len(x) > 2 for x in recs):
            st["pid"] = r.randint(1000, 60000)
        for rec in recs:
            t = g.tick(0.8)
            pid = old if len(rec) > 2 and rec[2] == "old" else st["pid"]
            out.append(f"{t:%b} {t.day:2d} {t:%H:%M:%S} lb-01 haproxy[{pid}]: {rec[1]}")
        return out
    return B, wrap


# --- redis: redis-server 7.2 log (pid:role dd Mon yyyy hh:mm:ss.mmm level message)

def redis_book(g: Gen):
    r = g.r
    B = Book("redis")
    st = {"pid": r.randint(1, 9000), "child": r.randint(9000, 60000)}
    replicas = [f"10.0.{r.randint(0, 3)}.{r.randint(2, 250)}" for _ in range(3)]
    rep = lambda: f"{r.choice(replicas)}:6379"  # noqa: E731

    SAVING = B.add("<*> changes in <*> seconds. Saving...")
    BGSTART = B.add("Background saving started by pid <*>")
    DBSAVED = B.add("DB saved on disk")
    COW = B.add("Fork CoW for RDB: current <*> MB, peak <*> MB, average <*> MB")
    BGOK = B.add("Background saving terminated with success")
    ASKS = B.add("Replica <*> asks for synchronization")
    PSYNC = B.add("Partial resynchronization request from <*> accepted. Sending <*> bytes of backlog starting from offset <*>.")
    FULL = B.add("Full resync requested by replica <*>")
    BGSYNC = B.add("Starting BGSAVE for SYNC with target: disk")
    SYNCOK = B.add("Synchronization with replica <*> succeeded")
    LOST = B.add("Connection with replica <*> lost.")
    AOF = B.add("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.")
    NOFORK = B.add("Can't save in background: fork: Cannot allocate memory")
    SIGTERM = B.add("Received SIGTERM scheduling shutdown...")
    FINAL = B.add("Saving the final RDB snapshot before exiting.")
    BYE = B.add("Redis is now ready to exit, bye bye...")
    START = B.add("oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo")
    VERSION = B.add("Redis version=<*>, bits=64, commit=<*>, modified=0, pid=<*>, just started")
    CONF = B.add("Configuration loaded")
    INIT = B.add("Server initialized")
    LOADED = B.add("Done loading RDB, keys loaded: <*>, keys expired: <*>.")
    DBLOAD = B.add("DB loaded from disk: <*> seconds")
    READY = B.add("Ready to accept connections tcp")

    # record: (template id, content, pid, role, level mark); M = master, C = RDB child (or the
    # server before it knows its role, at startup)
    M = lambda tid, c, lvl="*": (tid, c, st["pid"], "M", lvl)  # noqa: E731
    C = lambda tid, c, lvl="*": (tid, c, st["pid"], "C", lvl)  # noqa: E731

    def child(tid, c):
        return (tid, c, st["child"], "C", "*")

    def bgsave():
        st["child"] = r.randint(st["pid"] + 1, 65000) if st["pid"] < 64000 else r.randint(100, 60000)
        cur = r.randint(0, 40)
        return [M(BGSTART, f"Background saving started by pid {st['child']}"),
                child(DBSAVED, "DB saved on disk"),
                child(COW, f"Fork CoW for RDB: current {cur} MB, peak {cur + r.randint(0, 6)} MB, average {r.randint(0, cur)} MB"),
                M(BGOK, "Background saving terminated with success")]

    def save():
        ch, sec = r.choice([(1, 3600), (100, 300), (10000, 60)])
        ch = r.randint(ch, ch * 9)
        return [M(SAVING, f"{ch} changes in {sec} seconds. Saving...")] + bgsave()

    def psync():
        a = rep()
        return [M(ASKS, f"Replica {a} asks for synchronization"),
                M(PSYNC, f"Partial resynchronization request from {a} accepted. Sending {r.randint(0, 90000)} bytes of backlog starting from offset {r.randint(10**6, 10**10)}.")]

    def fullsync():
        a = rep()
        return ([M(ASKS, f"Replica {a} asks for synchronization"), M(FULL, f"Full resync requested by replica {a}"),
                 M(BGSYNC, "Starting BGSAVE for SYNC with target: disk")] + bgsave()
                + [M(SYNCOK, f"Synchronization with replica {a} succeeded")])

    def restart():
        ver = r.choice(["7.2.4", "7.2.5"])
        recs = [M(SIGTERM, "Received SIGTERM scheduling shutdown...", "#"), M(FINAL, "Saving the final RDB snapshot before exiting."),
                M(DBSAVED, "DB saved on disk"), M(BYE, "Redis is now ready to exit, bye bye...", "#")]
        st["pid"] = r.randint(1, 9000)
        recs += [C(START, "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", "#"),
                 C(VERSION, f"Redis version={ver}, bits=64, commit=00000000, modified=0, pid={st['pid']}, just started", "#"),
                 C(CONF, "Configuration loaded", "#"), M(INIT, "Server initialized", "#"),
                 M(LOADED, f"Done loading RDB, keys loaded: {r.randint(0, 900000)}, keys expired: {r.randint(0, 300)}."),
                 M(DBLOAD, f"DB loaded from disk: {r.uniform(0, 9):.3f} seconds"), M(READY, "Ready to accept connections tcp")]
        return recs

    B.event(230, save)
    B.event(60, psync)
    B.event(12, fullsync)
    B.event(55, lambda: [M(LOST, f"Connection with replica {rep()} lost.")])
    B.event(18, lambda: [M(AOF, "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.")])
    B.event(6, lambda: [M(SAVING, f"{r.randint(10000, 90000)} changes in 60 seconds. Saving..."), M(NOFORK, "Can't save in background: fork: Cannot allocate memory", "#")])
    B.event(3, restart)

    def wrap(g, recs):
        out = []
        for _tid, c, pid, role, lvl in recs:
            t = g.tick(1.2)
            out.append(f"{pid}:{role} {t:%d %b %Y %H:%M:%S}.{t.microsecond // 1000:03d} {lvl} {c}")
        return out
    return B, wrap


# --- mysql: MySQL 8.0 error log (log_error_verbosity=3): time thread [Level] [MY-code] [Subsystem] message

def mysql_book(g: Gen):
    r = g.r
    B = Book("mysql")
    st = {"conn": r.randint(8, 200), "pid": r.randint(1, 9000), "ver": "8.0.36"}
    dbs = ["shop", "shop", "shop", "reporting", "unconnected"]
    musers = ["shop", "shop", "reporting", "root", "grafana", "backup"]

    RESOLVE = B.add("[MY-010055] [Server] IP address '<*>' could not be resolved: <*>")
    NATIVE = B.add("[MY-013360] [Server] Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'")
    ABORTED = B.add("[MY-010914] [Server] Aborted connection <*> to db: '<*>' user: '<*>' host: '<*>' (<*>).")
    DENIED = B.add("[MY-010926] [Server] Access denied for user '<*>'@'<*>' (using password: <*>)")
    CLEANER = B.add("[MY-011953] [InnoDB] Page cleaner took <*>ms to flush <*> and evict <*> pages")
    REPL = B.add("[MY-010584] [Repl] Replica SQL for channel '': Worker <*> failed executing transaction 'ANONYMOUS' at source log <*>, end_log_pos <*>; "
                 "Could not execute Write_rows event on table <*>; Duplicate entry '<*>' for key '<*>', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; "
                 "the event's source log <*>, end_log_pos <*>, Error_code: MY-001062")
    OSERR = B.add("[MY-012592] [InnoDB] Operating system error number 28 in a file operation.")
    ERR28 = B.add("[MY-012596] [InnoDB] Error number 28 means 'No space left on device'")
    FORCE = B.add("[MY-010909] [Server] /usr/sbin/mysqld: Forcing close of thread <*>  user: '<*>'.")
    SHUTDOWN = B.add("[MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: <*>).")
    DONE = B.add("[MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld <*>)  MySQL Community Server - GPL.")
    STARTING = B.add("[MY-010116] [Server] /usr/sbin/mysqld (mysqld <*>) starting as process <*>")
    INNO_S = B.add("[MY-013576] [InnoDB] InnoDB initialization has started.")
    INNO_E = B.add("[MY-013577] [InnoDB] InnoDB initialization has ended.")
    REDO = B.add("[MY-013907] [InnoDB] Deprecated configuration parameters innodb_log_file_size and/or innodb_log_files_in_group have been used to compute innodb_redo_log_capacity=<*>. Please use innodb_redo_log_capacity instead.")
    CA = B.add("[MY-010068] [Server] CA certificate ca.pem is self signed.")
    TLS = B.add("[MY-013602] [Server] Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.")
    PIDF = B.add("[MY-011810] [Server] Insecure configuration for --pid-file: Location '/var/run/mysqld' in the path is accessible to all OS users. Consider choosing a different directory.")
    XPLUG = B.add("[MY-011323] [Server] X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock")
    READY = B.add("[MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '<*>'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.")

    # the [MY-code] [Subsystem] pair is constant per message: prepended to the text the events build
    prefix = {tid: "] ".join(text.split("] ")[:2]) + "] " for tid, text in B.templates}

    def ev(w, fn):
        B.event(w, lambda: [(tid, prefix[tid] + c, thread, level) for tid, c, thread, level in fn()])

    def conn():
        st["conn"] += r.randint(1, 40)
        return st["conn"]

    def host():
        return r.choice([g.ip(), "localhost", r.choice(HOSTS)])

    def aborted():
        c = conn()
        db = r.choice(dbs)
        u = "unauthenticated" if db == "unconnected" and r.random() < 0.5 else r.choice(musers)
        why = r.choice(["Got an error reading communication packets"] * 4 + ["Got timeout reading communication packets", "Got an error writing communication packets"])
        return [(ABORTED, f"Aborted connection {c} to db: '{db}' user: '{u}' host: '{host()}' ({why}).", c, "Note")]

    def repl():
        log = f"mysql-bin.{r.randint(1, 400):06d}"
        pos = r.randint(1000, 10**8)
        tbl = r.choice(["shop.orders", "shop.order_items", "shop.users"])
        return [(REPL, f"Replica SQL for channel '': Worker {r.randint(1, 4)} failed executing transaction 'ANONYMOUS' at source log {log}, end_log_pos {pos}; "
                       f"Could not execute Write_rows event on table {tbl}; Duplicate entry '{r.randint(1, 10**6)}' for key '{tbl.split('.')[1]}.PRIMARY', Error_code: 1062; "
                       f"handler error HA_ERR_FOUND_DUPP_KEY; the event's source log {log}, end_log_pos {pos}, Error_code: MY-001062", r.randint(5, 12), "ERROR")]

    def restart():
        v = st["ver"]
        recs = [(SHUTDOWN, f"Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: {v}).", 0, "System")]
        for _ in range(r.randint(0, 3)):
            recs.append((FORCE, f"/usr/sbin/mysqld: Forcing close of thread {conn()}  user: '{r.choice(musers)}'.", 0, "Warning"))
        recs.append((DONE, f"/usr/sbin/mysqld: Shutdown complete (mysqld {v})  MySQL Community Server - GPL.", 0, "System"))
        if r.random() < 0.5:
            st["ver"] = v = {"8.0.36": "8.0.37", "8.0.37": "8.0.39"}.get(v, v)
        st["pid"] = r.randint(1, 9000)
        recs += [(STARTING, f"/usr/sbin/mysqld (mysqld {v}) starting as process {st['pid']}", 0, "System"),
                 (REDO, f"Deprecated configuration parameters innodb_log_file_size and/or innodb_log_files_in_group have been used to compute innodb_redo_log_capacity={r.choice([100663296, 268435456, 1073741824])}. Please use innodb_redo_log_capacity instead.", 0, "Warning"),
                 (INNO_S, "InnoDB initialization has started.", 1, "System"),
                 (INNO_E, "InnoDB initialization has ended.", 1, "System"),
                 (CA, "CA certificate ca.pem is self signed.", 0, "Warning"),
                 (TLS, "Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.", 0, "System"),
                 (PIDF, "Insecure configuration for --pid-file: Location '/var/run/mysqld' in the path is accessible to all OS users. Consider choosing a different directory.", 0, "Warning"),
                 (XPLUG, "X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock", 0, "System"),
                 (READY, f"/usr/sbin/mysqld: ready for connections. Version: '{v}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.", 0, "System")]
        return recs

    ev(220, lambda: [(RESOLVE, f"IP address '{g.ip()}' could not be resolved: {r.choice(['Name or service not known'] * 3 + ['Temporary failure in name resolution'])}", conn(), "Warning")])
    ev(260, lambda: [(NATIVE, "Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'", conn(), "Warning")])
    ev(200, aborted)
    ev(110, lambda: [(DENIED, f"Access denied for user '{g.user() if r.random() < 0.5 else r.choice(musers)}'@'{host()}' (using password: {r.choice(['YES', 'YES', 'YES', 'NO'])})", conn(), "Note")])
    ev(60, lambda: [(CLEANER, f"Page cleaner took {r.randint(1001, 9000)}ms to flush {r.randint(1, 5000)} and evict {r.choice([0, 0, 0, r.randint(1, 400)])} pages", 0, "Note")])
    ev(6, repl)
    ev(5, lambda: [(OSERR, "Operating system error number 28 in a file operation.", r.randint(0, 40), "ERROR"),
                        (ERR28, "Error number 28 means 'No space left on device'", r.randint(0, 40), "ERROR")])
    ev(5, restart)

    def wrap(g, recs):
        out = []
        for _tid, c, thread, level in recs:
            t = g.tick(2.5 if thread else 0.05)
            out.append(f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond:06d}Z {thread} [{level}] {c}")
        return out
    return B, wrap


# --- named: BIND 9.18 via syslog (query log, resolver errors, zone transfers, control)

def named_book(g: Gen):
    r = g.r
    B = Book("named")
    zones = ["example.com", "example.org", "shop.example.com", "corp.internal", "10.in-addr.arpa", "example.net"]
    names = ["www.example.com", "mail.example.com", "api.shop.example.com", "shop.example.com", "example.org", "cdn.example.net",
             "login.corp.internal", "db-01.corp.internal", "github.com", "registry.npmjs.org", "pypi.org", "ocsp.digicert.com",
             "time.cloudflare.com", "5.1.0.10.in-addr.arpa", "_ldap._tcp.corp.internal"]
    remote = ["cdn-ns.badhost.example", "ns1.unreachable.example", "legacy.example.net", "tracker.adnet.example", "old-partner.example"]
    v6 = ["2001:500:2::c", "2001:7fd::1", "2001:503:ba3e::2:30", "2001:dc3::35", "2620:0:2830:202::132"]
    qtype = lambda: r.choice(["A"] * 6 + ["AAAA"] * 3 + ["MX", "TXT", "PTR", "SRV", "HTTPS"])  # noqa: E731
    ctx = lambda: f"@0x7f{g.hexs(10)}"  # noqa: E731
    ns_addr = lambda: r.choice(["192.0.2.53", "198.51.100.7", "203.0.113.20", g.ip()])  # noqa: E731

    QUERY = B.add("client @<*> <*>#<*> (<*>): query: <*> IN <*> <*> (<*>)")
    DENIED = B.add("client @<*> <*>#<*> (<*>): query (cache) '<*>/<*>/IN' denied (allow-query-cache did not match)")
    LAME = B.add("lame server resolving '<*>' (in '<*>'?): <*>#53")
    UNREACH = B.add("network unreachable resolving '<*>/<*>/IN': <*>#53")
    TIMEDOUT = B.add("timed out resolving '<*>/<*>/IN': <*>#53")
    REFUSED = B.add("REFUSED unexpected RCODE resolving '<*>/<*>/IN': <*>#53")
    SERVFAIL = B.add("SERVFAIL unexpected RCODE resolving '<*>/<*>/IN': <*>#53")
    NOSIG = B.add("validating <*>/<*>: no valid signature found")
    AXFR_S = B.add("client @<*> <*>#<*> (<*>): transfer of '<*>/IN': AXFR started (serial <*>)")
    AXFR_E = B.add("client @<*> <*>#<*> (<*>): transfer of '<*>/IN': AXFR ended: <*> messages, <*> records, <*> bytes, <*> secs (<*> bytes/sec) (serial <*>)")
    XDENY = B.add("client @<*> <*>#<*> (<*>): zone transfer '<*>/AXFR/IN' denied")
    UPDENY = B.add("client @<*> <*>#<*> (<*>): update '<*>/IN' denied")
    NOTIFY = B.add("zone <*>/IN: sending notifies (serial <*>)")
    XSTART = B.add("zone <*>/IN: Transfer started.")
    XCONN = B.add("transfer of '<*>/IN' from <*>#53: connected using <*>#<*>")
    XSERIAL = B.add("zone <*>/IN: transferred serial <*>")
    XSTATUS = B.add("transfer of '<*>/IN' from <*>#53: Transfer status: success")
    XDONE = B.add("transfer of '<*>/IN' from <*>#53: Transfer completed: <*> messages, <*> records, <*> bytes, <*> secs (<*> bytes/sec) (serial <*>)")
    ZLOADED = B.add("zone <*>/IN: loaded serial <*>")
    RNDC = B.add("received control channel command 'reload'")
    RELCONF = B.add("reloading configuration succeeded")
    RELZONES = B.add("reloading zones succeeded")
    ALLZ = B.add("all zones loaded")
    serial = {z: 2026120100 + r.randint(0, 5) for z in zones}
    P, S = "ns1", "ns2"
    st = {"ns1": r.randint(300, 5000), "ns2": r.randint(300, 5000)}
    P_IP, S_IP = "10.0.0.53", "10.0.0.54"

    def client(qname):
        return f"client {ctx()} {g.ip()}#{g.port()} ({qname})"

    def query():
        n = r.choice(names)
        return [(QUERY, f"{client(n)}: query: {n} IN {qtype()} {r.choice(['+E(0)K', '+E(0)K', '+', '-E(0)K', '+E(0)DCK', '+ET(0)K'])} ({r.choice([P_IP, P_IP, '127.0.0.1'])})", P)]

    def denied():
        n = r.choice(names[8:] + remote)
        return [(DENIED, f"client {ctx()} {r.choice(['45', '185', '193', '218'])}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}#{g.port()} ({n}): "
                         f"query (cache) '{n}/{qtype()}/IN' denied (allow-query-cache did not match)", P)]

    def resolv(tid, word):
        n = r.choice(remote + names[8:13])
        addr = r.choice(v6) if tid == UNREACH else ns_addr()
        return [(tid, f"{word} resolving '{n}/{qtype()}/IN': {addr}#53", r.choice([P, P, S]))]

    def lame():
        n = r.choice(remote)
        return [(LAME, f"lame server resolving '{n}' (in '{n.split('.', 1)[1]}'?): {ns_addr()}#53", r.choice([P, S]))]

    def update_zone():
        z = r.choice(zones)
        serial[z] += 1
        s = serial[z]
        recs = [(ZLOADED, f"zone {z}/IN: loaded serial {s}", P), (NOTIFY, f"zone {z}/IN: sending notifies (serial {s})", P)]
        port = g.port()
        if r.random() < 0.6:
            nrec = r.randint(8, 4000)
            nbytes = nrec * r.randint(30, 60)
            secs = r.uniform(0.001, 0.2)
            c = f"client {ctx()} {S_IP}#{port} ({z})"
            recs += [(XSTART, f"zone {z}/IN: Transfer started.", S),
                     (XCONN, f"transfer of '{z}/IN' from {P_IP}#53: connected using {S_IP}#{port}", S),
                     (AXFR_S, f"{c}: transfer of '{z}/IN': AXFR started (serial {s})", P),
                     (AXFR_E, f"{c}: transfer of '{z}/IN': AXFR ended: {max(1, nbytes // 16000)} messages, {nrec} records, {nbytes} bytes, {secs:.3f} secs ({int(nbytes / secs)} bytes/sec) (serial {s})", P),
                     (XSERIAL, f"zone {z}/IN: transferred serial {s}", S),
                     (XSTATUS, f"transfer of '{z}/IN' from {P_IP}#53: Transfer status: success", S),
                     (XDONE, f"transfer of '{z}/IN' from {P_IP}#53: Transfer completed: {max(1, nbytes // 16000)} messages, {nrec} records, {nbytes} bytes, {secs * 1.1:.3f} secs ({int(nbytes / secs / 1.1)} bytes/sec) (serial {s})", S)]
        return recs

    def reload():
        return ([(RNDC, "received control channel command 'reload'", P), (RELCONF, "reloading configuration succeeded", P),
                 (RELZONES, "reloading zones succeeded", P)] + [(ZLOADED, f"zone {z}/IN: loaded serial {serial[z]}", P) for z in r.sample(zones, r.randint(0, 2))]
                + [(ALLZ, "all zones loaded", P)])

    B.event(420, query)
    B.event(60, denied)
    B.event(45, lame)
    B.event(70, lambda: resolv(UNREACH, "network unreachable"))
    B.event(30, lambda: resolv(TIMEDOUT, "timed out"))
    B.event(18, lambda: resolv(REFUSED, "REFUSED unexpected RCODE"))
    B.event(14, lambda: resolv(SERVFAIL, "SERVFAIL unexpected RCODE"))
    B.event(10, lambda: [(NOSIG, f"validating {r.choice(remote)}/{r.choice(['DNSKEY', 'A', 'DS'])}: no valid signature found", r.choice([P, S]))])
    B.event(12, lambda: (lambda z: [(XDENY, f"client {ctx()} {g.ip()}#{g.port()} ({z}): zone transfer '{z}/AXFR/IN' denied", P)])(r.choice(zones)))
    B.event(8, lambda: (lambda z: [(UPDENY, f"client {ctx()} {g.ip()}#{g.port()} ({z}): update '{z}/IN' denied", P)])(r.choice(zones)))
    B.event(14, update_zone)
    B.event(3, reload)

    def wrap(g, recs):
        out = []
        pids = {P: st["ns1"], S: st["ns2"]}
        for _tid, c, host in recs:
            t = g.tick(1.0)
            out.append(f"{t:%b} {t.day:2d} {t:%H:%M:%S} {host} named[{pids[host]}]: {c}")
        return out
    return B, wrap


NEW_FORMATS = {"json": json_book, "javastack": javastack_book, "logfmt": logfmt_book, "apache": apache_book,
               "postgres": postgres_book, "k8s": k8s_book,
               "haproxy": haproxy_book, "redis": redis_book, "mysql": mysql_book, "named": named_book}


def generate_new(fmt: str, n: int, seed: int):
    rng = random.Random(f"{seed}:{fmt}")
    g = Gen(rng, datetime(2026, 3, 4, 0, 0, 0))
    book, wrap = NEW_FORMATS[fmt](g)
    regex = {tid: template_regex(text) for tid, text in book.templates}
    events = [(None, w, None, fn) for w, fn in book.events]
    lines, labels = [], []
    while len(lines) < n:
        recs = pick(rng, events)[3]()
        for rec in recs:
            tid, content = rec[0], rec[1]
            if not regex[tid].fullmatch(content) or "\n" in content:
                raise AssertionError(f"{fmt}: {content!r} does not match {tid} {dict(book.templates)[tid]!r}")
        lines.extend(wrap(g, recs))
        labels.extend(rec[0] for rec in recs)
    return [(tid, None, text, None) for tid, text in book.templates], lines[:n], labels[:n]


# ---------------------------------------------------------------------------

FORMATS = {
    "sshd": (sshd_templates, lambda g, fn: sshd_line(g, fn())),
    "kernel": (kernel_templates, lambda g, fn: kernel_line(g, fn())),
    "nginx": (nginx_templates, nginx_line),
    "java": (java_templates, java_line),
    "systemd": (systemd_templates, lambda g, spec: systemd_line(g, (spec[0], spec[1]()))),
}


def generate(fmt: str, n: int, seed: int):
    if fmt in NEW_FORMATS:
        return generate_new(fmt, n, seed)
    rng = random.Random(seed * 1000 + list(FORMATS).index(fmt))
    g = Gen(rng, datetime(2026, 3, 4, 0, 0, 0))
    make_templates, make_line = FORMATS[fmt]
    templates = make_templates(g)
    lines, labels = [], []
    for _ in range(n):
        tid, _w, _text, spec = pick(rng, templates)
        lines.append(make_line(g, spec))
        labels.append(tid)
    return templates, lines, labels


def parse_lines(s: str) -> dict:
    out = dict(DEFAULT_LINES)
    if s:
        for part in s.split(","):
            k, v = part.split("=")
            if k not in out:
                raise SystemExit(f"unknown format {k}")
            out[k] = int(v)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    ap.add_argument("--lines", default="", help="per-format line counts, e.g. sshd=1500,nginx=2000")
    a = ap.parse_args(argv)
    counts = parse_lines(a.lines)
    os.makedirs(a.out, exist_ok=True)
    for fmt, n in counts.items():
        templates, lines, labels = generate(fmt, n, a.seed)
        base = os.path.join(a.out, fmt)
        with open(base + ".log", "w", newline="\n") as f:
            f.write("\n".join(lines) + "\n")
        with open(base + ".labels", "w", newline="\n") as f:
            f.write("\n".join(labels) + "\n")
        with open(base + ".templates", "w", newline="\n") as f:
            for tid, _w, text, _spec in templates:
                f.write(f"{tid}\t{text}\n")
        used = len(set(labels))
        print(f"{fmt:9s} {n:5d} lines, {used}/{len(templates)} templates used -> {base}.log")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
