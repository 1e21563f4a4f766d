#!/usr/bin/env python3
"""Deterministic labelled log samples for template-mining evaluation.

For each format it writes, under --out (default bench/templates/data):

  <format>.log        the log lines
  <format>.labels     one true template id per line (e.g. "sshd-03")
  <format>.templates  "<id>\t<template>" for every template, variables as <*>

Formats: sshd, kernel, nginx (access log), java (Spring Boot application),
systemd. Every line is produced from a known template, so the ground truth is
exact. Conventions for what is a variable (labelled <*>):

* ids, numbers, addresses, ports, user and host names, paths' id segments,
  durations and sizes are variables;
* a free-text value that can hold spaces counts as ONE variable: nginx's user
  agent and referer, a systemd unit's description, a Java exception message.
  Miners that group by token count (Drain) split such templates; that is part
  of what is measured;
* the header (syslog timestamp/host/tag[pid], nginx client/time, Java
  timestamp/level/pid/thread/logger) belongs to the line; eval.py can strip it
  (its content mode) as the LogPAI benchmark does.

Randomness: one random.Random(seed) per format (seed + format index), so the
same --seed gives byte-identical files with any Python 3 version.

Usage: gen_samples.py [--seed 7] [--out DIR] [--lines sshd=1500,nginx=2000,...]
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import datetime, timedelta

DEFAULT_LINES = {"sshd": 1500, "kernel": 1000, "nginx": 2000, "java": 1500, "systemd": 1200}

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

FORMATS = {
    "sshd": (sshd_templates, lambda g, fn: sshd_line(g, fn())),
    "kernel": (kernel_templates, lambda g, fn: kernel_line(g, fn())),
    "nginx": (nginx_templates, nginx_line),
    "java": (java_templates, java_line),
    "systemd": (systemd_templates, lambda g, spec: systemd_line(g, (spec[0], spec[1]()))),
}


def generate(fmt: str, n: int, seed: int):
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
        print(f"{fmt:8s} {n:5d} lines, {used}/{len(templates)} templates used -> {base}.log")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
