#!/usr/bin/env python3
"""Deterministic synthetic log corpus for Vigil's benchmarks.

    python3 bench/gen_corpus.py --seed 42 --size 1GiB --out bench/corpus/corpus-42-1GiB.log

Writes a mix of ~45 % RFC 3164 syslog, ~15 % RFC 5424 and ~40 % NDJSON lines from 57 services on
20 hosts, with event times spread over the 7 days from 2026-11-01T00:00:00Z (busier by day than by
night, quieter at the weekend, a few seconds of out-of-order jitter), mostly info/notice, some
warnings, about 2 % err or worse, plus bursts of a few minutes where one service emits many err/crit
lines. The token RAREWORD is appended to about one line in two million (--rare-every).

The same --seed and --size give a byte-identical file (standard library only; random.Random is
stable across CPython versions for random() and getrandbits()). The file is written to OUT.tmp
and renamed at the end, so an interrupted run never leaves a truncated OUT behind. Statistics go
to stderr and, as JSON, to OUT.stats.json (not for --out -).
"""

from __future__ import annotations

import argparse
import base64
import bisect
import calendar
import json
import math
import os
import random
import re
import sys
import time
import zlib

START = calendar.timegm((2026, 11, 1, 0, 0, 0))  # 2026-11-01T00:00:00Z
SPAN = 7 * 86400
# The window the store benchmark queries with --since/--until: 1 % of the span, in the middle.
WINDOW = (START + SPAN * 495 // 1000, START + SPAN * 505 // 1000)

RFC3164, RFC5424, JSON = 0, 1, 2
FORMAT_NAMES = ("rfc3164", "rfc5424", "json")
FORMAT_SHARE = (0.45, 0.15, 0.40)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Syslog facilities.
KERN, USER, MAIL, DAEMON, AUTH, SYSLOG, CRON, AUTHPRIV = 0, 1, 2, 3, 4, 5, 9, 10
LOCAL0, LOCAL1, LOCAL2, LOCAL3, LOCAL4, LOCAL5, LOCAL6, LOCAL7 = range(16, 24)

# Scales every service's err-or-worse probability (tuned so the corpus has ~2 % err or worse,
# bursts included).
ERR_SCALE = 1.15

# Severities.
EMERG, ALERT, CRIT, ERR, WARNING, NOTICE, INFO, DEBUG = range(8)

LEVEL_STYLES = {
    # Go (zap/logrus) style: no notice, fatal for the worst.
    "go": ("fatal", "fatal", "fatal", "error", "warn", "info", "info", "debug"),
    # Java (logback/log4j) style.
    "java": ("FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG"),
    # Syslog-ish long names (python, node pino with custom levels...).
    "long": ("emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"),
}


# --------------------------------------------------------------------------------------------
# Sizes and time


def parse_size(text: str) -> int:
    """`1GiB`, `100MiB`, `500MB`, `64k`, `12345` → bytes (K/M/G/T alone are binary, as coreutils)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)(i?)([bB]?)\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {text!r} (use e.g. 20MiB, 1GiB, 500MB, 1048576)")
    number, unit, binary, b = m.groups()
    power = " kmgt".index(unit.lower()) if unit else 0
    base = 1000 if (unit and b and not binary) else 1024
    if binary and not unit:
        raise argparse.ArgumentTypeError(f"bad size {text!r}")
    value = int(float(number) * base**power)
    if value <= 0:
        raise argparse.ArgumentTypeError("size must be positive")
    return value


def iso(sec: float) -> str:
    g = time.gmtime(sec)
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", g)


class TimeFormats:
    """The timestamp spellings the formats use, for an integer second: (RFC 3164 `Nov  1 00:00:00`,
    RFC 3339 `2026-11-01T00:00:00` without fraction or zone, common log format `01/Nov/2026:00:00:00`).
    Table-driven for the days of the corpus (a gmtime() per line would cost a fifth of the run)."""

    def __init__(self) -> None:
        self.first_day = START // 86400 - 1
        self.hms = [f"{h:02d}:{m:02d}:{x:02d}" for h in range(24) for m in range(60) for x in range(60)]
        self.days = []
        for d in range(self.first_day, self.first_day + SPAN // 86400 + 3):
            g = time.gmtime(d * 86400)
            mon = MONTHS[g.tm_mon - 1]
            self.days.append((f"{mon} {g.tm_mday:2d} ", f"{g.tm_year:04d}-{g.tm_mon:02d}-{g.tm_mday:02d}T",
                              f"{g.tm_mday:02d}/{mon}/{g.tm_year:04d}:"))

    def __call__(self, sec: int) -> tuple[str, str, str]:
        d, rem = divmod(sec, 86400)
        i = d - self.first_day
        if 0 <= i < len(self.days):
            a, b, c = self.days[i]
            hms = self.hms[rem]
            return (a + hms, b + hms, c + hms)
        g = time.gmtime(sec)
        mon = MONTHS[g.tm_mon - 1]
        hms = f"{g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d}"
        return (f"{mon} {g.tm_mday:2d} {hms}", f"{g.tm_year:04d}-{g.tm_mon:02d}-{g.tm_mday:02d}T{hms}",
                f"{g.tm_mday:02d}/{mon}/{g.tm_year:04d}:{hms}")


def build_clock(rng: random.Random):
    """Maps progress p in [0, 1] (bytes written / target) to an event time, so that the line rate
    follows the time of day (low at 04:00 UTC, high at 16:00), is lower on Saturday and Sunday, and
    wobbles from minute to minute."""
    minutes = SPAN // 60
    cum = [0.0]
    acc = 0.0
    for m in range(minutes):
        t = START + m * 60
        hour = (t % 86400) / 3600.0
        diurnal = 0.3 + 0.7 * (0.5 - 0.5 * math.cos(2 * math.pi * (hour - 4) / 24))
        weekday = time.gmtime(t).tm_wday  # Monday is 0
        weekend = 0.7 if weekday >= 5 else 1.0
        acc += diurnal * weekend * (0.8 + 0.4 * rng.random())
        cum.append(acc)
    cum = [c / acc for c in cum]
    cum[-1] = 1.0
    right = bisect.bisect_right

    def clock(p: float) -> float:
        i = right(cum, p) - 1
        if i >= minutes:
            return float(START + SPAN)
        lo = cum[i]
        return START + 60.0 * (i + (p - lo) / (cum[i + 1] - lo))

    return clock


# --------------------------------------------------------------------------------------------
# Value generators


FIRST_NAMES = (
    "alice bob carol dave erin frank grace heidi ivan judy karl laura mallory nina oscar peggy quinn "
    "rupert sybil trent ursula victor walter xena yusuf zoe ahmed bianca chen dmitri elena fatima "
    "giorgio hana igor jonas kenji lucia marta nils olga pablo rosa sanjay tomas uma vera wei yara"
).split()
SERVICE_ACCOUNTS = "root deploy ansible ubuntu jenkins backup git postgres svc-ci monitoring gitlab-runner".split()
BAD_USERS = (
    "admin test oracle ftpuser guest ubnt pi user1 support hadoop minecraft steam teamspeak postgres "
    "mysql nagios tomcat www-data ec2-user centos debian user ftp default operator administrator"
).split()
TENANTS = (
    "acme globex initech umbrella hooli stark wayne wonka tyrell cyberdyne soylent vandelay "
    "massive-dynamic oscorp aperture blackmesa gringotts monarch nakatomi pied-piper"
).split()
WORDS = (
    "shoe boot sneaker running trail jacket rain wool merino sock hoodie organic cotton linen shirt "
    "dress summer winter kids men women leather wallet belt bag backpack laptop sleeve charger usb "
    "cable headphones wireless bluetooth speaker lamp desk chair ergonomic standing mat yoga bottle "
    "steel insulated coffee grinder espresso kettle tea pot ceramic mug plate knife chef pan cast "
    "iron garden hose seeds tomato basil pot planter drill cordless screwdriver hammer saw tape "
    "measure ladder paint brush roller white black red blue green grey navy olive large small xl "
    "waterproof vegan recycled gift card sale new"
).split()
CATEGORIES = "shoes apparel outdoor kitchen garden tools electronics home toys books beauty sports".split()
CURRENCIES = ("EUR", "USD", "GBP", "SEK", "CHF", "PLN", "NOK", "DKK", "JPY")
DOMAINS = (
    "example.com example.org shop.example.com api.example.com cdn.example.net mail.example.org "
    "internal.example.com github.com registry.npmjs.org pypi.org deb.debian.org "
    "security.debian.org s3.eu-west-1.amazonaws.com login.microsoftonline.com accounts.google.com "
    "hooks.slack.com api.stripe.com api.pagerduty.com ntp.ubuntu.com time.cloudflare.com"
).split()
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.68",
    "ExampleShop/5.12.1 (iOS 18.1; iPhone15,2)",
    "ExampleShop/5.12.0 (Android 14; SM-S918B)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "kube-probe/1.31",
    "Prometheus/2.55.1",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 zgrab/0.x",
)
UNITS = (
    ("apt-daily.service", "Daily apt download activities"),
    ("apt-daily-upgrade.service", "Daily apt upgrade and clean activities"),
    ("logrotate.service", "Rotate log files"),
    ("man-db.service", "Daily man-db regeneration"),
    ("fstrim.service", "Discard unused blocks on filesystems from /etc/fstab"),
    ("systemd-tmpfiles-clean.service", "Cleanup of Temporary Directories"),
    ("certbot.service", "Certbot"),
    ("node-exporter.service", "Prometheus node exporter"),
    ("backup.service", "Nightly restic backup"),
    ("docker.service", "Docker Application Container Engine"),
    ("phpsessionclean.service", "Clean php session files"),
    ("sysstat-collect.service", "system activity accounting tool"),
)
CRON_COMMANDS = (
    "/usr/local/bin/backup.sh --incremental >/dev/null 2>&1",
    "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
    "cd / && run-parts --report /etc/cron.hourly",
    "/usr/bin/certbot renew --quiet --deploy-hook 'systemctl reload nginx'",
    "/opt/scripts/rotate-tokens.py --env prod",
    "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
    "/usr/bin/flock -n /tmp/sync.lock /opt/sync/run.sh",
    "/usr/local/bin/report --daily --to ops@example.com",
)
SQL_TABLES = "orders order_items customers carts cart_items products inventory payments refunds sessions events shipments invoices".split()


class Ctx:
    """What templates may read about the line being made."""

    __slots__ = ("t", "host", "service")

    def __init__(self) -> None:
        self.t = float(START)
        self.host = ""
        self.service = ""


class V:
    """Random values, some fresh (ids, durations), some drawn with a skew from pools (users, IPs),
    as real logs have: a few users and clients account for most lines."""

    def __init__(self, rng: random.Random, ctx: Ctx, tf: TimeFormats) -> None:
        self.rng = rng
        self.r = rng.random
        self.bits = rng.getrandbits
        self.ctx = ctx
        self.tf = tf
        r = rng
        self.users = [f"{n}" for n in FIRST_NAMES] + list(SERVICE_ACCOUNTS)
        self.users += [f"{r.choice(FIRST_NAMES)}.{r.choice('abcdefghijklmnopqrstuvwxyz')}{r.randrange(1, 99)}" for _ in range(1500)]
        r.shuffle(self.users)
        self.users = list(SERVICE_ACCOUNTS) + self.users  # service accounts are the busiest
        self.internal_ips = [f"10.{r.randrange(0, 4)}.{r.randrange(0, 16)}.{r.randrange(2, 254)}" for _ in range(400)]
        self.external_ips = [self._fresh_ip() for _ in range(40_000)]
        self.keys: dict[str, str] = {}
        self.build_hashes = [f"{self.bits(32):08x}" for _ in range(8)]
        # Long-lived ids repeat: containers, image layers, sessions, pods.
        self.containers = [f"{self.bits(256):064x}" for _ in range(600)]
        self.sessions = [f"{self.bits(128):032x}" for _ in range(20_000)]
        apps = ("checkout", "cart", "payments", "search", "auth", "catalog", "orders", "pricing")
        self.pods = [f"prod/{a}-{self.bits(36):09x}-{self.bits(20):05x}" for a in apps for _ in range(12)]
        self.emails = [f"{r.choice(FIRST_NAMES)}{r.choice(['', '.', '_'])}{r.choice(FIRST_NAMES)}{r.randrange(0, 999)}@{r.choice(['gmail.com', 'outlook.com', 'example.org', 'proton.me', 'yahoo.com', 'web.de', 'icloud.com'])}" for _ in range(20_000)]

    def _fresh_ip(self) -> str:
        n = self.bits(32)
        a = 1 + (n >> 24) % 223
        if a in (10, 127, 172, 192):
            a += 1
        return f"{a}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    def container(self) -> str:
        return self.skew(self.containers, 2.0)

    def session(self) -> str:
        return self.skew(self.sessions, 1.5)

    def pod(self) -> str:
        return self.pick(self.pods)

    def seq(self, base: int, per_second: float) -> int:
        """A counter that grows with the event time (Kafka offsets, raft indexes, connection numbers)."""
        return base + int((self.ctx.t - START) * per_second + self.r() * per_second)

    def i(self, a: int, b: int) -> int:
        return a + int(self.r() * (b - a + 1))

    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def skew(self, seq, k: float = 3.0):
        return seq[int(len(seq) * self.r() ** k)]

    def chance(self, p: float) -> bool:
        return self.r() < p

    def hexs(self, n: int) -> str:
        return f"{self.bits(4 * n):0{n}x}"

    def uuid(self) -> str:
        b = self.bits
        return f"{b(32):08x}-{b(16):04x}-4{b(12):03x}-{0x8000 | b(14):04x}-{b(48):012x}"

    def ms(self, scale: float) -> int:
        """A latency in ms: exponential around scale, with a 3 % tail ten times longer."""
        x = -scale * math.log(1.0 - self.r())
        if self.r() < 0.03:
            x *= 10
        return 1 + int(x)

    def secs(self, scale: float) -> str:
        return f"{-scale * math.log(1.0 - self.r()):.3f}"

    def user(self) -> str:
        return self.skew(self.users, 2.5)

    def bad_user(self) -> str:
        if self.r() < 0.8:
            return self.pick(BAD_USERS)
        return self.hexs(6) if self.r() < 0.3 else self.pick(FIRST_NAMES) + str(self.i(1, 2000))

    def uid(self) -> int:
        return 1 + int(2_000_000 * self.r() ** 3)

    def unix_uid(self) -> int:
        return 1000 + int(60 * self.r() ** 2)

    def email(self) -> str:
        return self.skew(self.emails, 2.0)

    def ip(self) -> str:
        return self.skew(self.internal_ips, 2.0)

    def ext_ip(self) -> str:
        if self.r() < 0.25:
            return self._fresh_ip()
        return self.skew(self.external_ips, 2.0)

    def client_ip(self) -> str:
        return self.ext_ip() if self.r() < 0.8 else self.ip()

    def port(self) -> int:
        return 32768 + int(self.r() * 28232)

    def pid(self) -> int:
        return 1000 + int(self.r() * 3_000_000)

    def key_fp(self, user: str) -> str:
        fp = self.keys.get(user)
        if fp is None:
            raw = self.bits(256).to_bytes(32, "little")
            fp = base64.b64encode(raw).decode("ascii")[:43]
            self.keys[user] = fp
        return fp

    def tenant(self) -> str:
        return self.skew(TENANTS, 2.0)

    def amount(self) -> str:
        return f"{int(-60 * math.log(1.0 - self.r())) + 1}.{self.i(0, 99):02d}"

    def currency(self) -> str:
        return self.skew(CURRENCIES, 2.0)

    def order_id(self) -> str:
        return f"ORD-{self.i(1_000_000, 9_999_999)}"

    def sku(self) -> str:
        return f"SKU-{self.i(10000, 99999)}-{self.pick(('BLK', 'WHT', 'RED', 'BLU', 'GRN', 'GRY', 'NAV'))}"

    def words(self, lo: int = 1, hi: int = 3) -> str:
        return " ".join(self.skew(WORDS, 1.8) for _ in range(self.i(lo, hi)))

    def qid(self) -> str:
        return f"{self.bits(40):010X}"

    def domain(self) -> str:
        return self.skew(DOMAINS, 1.8)

    def unit(self) -> tuple[str, str]:
        return self.pick(UNITS)

    def table(self) -> str:
        return self.pick(SQL_TABLES)

    def http_path(self) -> str:
        u = self.r()
        if u < 0.18:
            return f"/api/v1/products/{self.i(1, 250_000)}"
        if u < 0.28:
            return f"/api/v1/products?category={self.pick(CATEGORIES)}&page={self.i(1, 40)}&sort={self.pick(('price', '-price', 'rating', 'new'))}"
        if u < 0.36:
            return f"/api/v1/cart/{self.uuid()}"
        if u < 0.44:
            return f"/static/js/app.{self.pick(self.build_hashes)}.js"
        if u < 0.58:
            return f"/images/products/{self.i(1, 250_000)}/{self.pick(('thumb', 'large', 'zoom'))}.webp"
        if u < 0.66:
            return "/api/v1/search?q=" + self.words().replace(" ", "+")
        if u < 0.72:
            return f"/api/v1/orders/{self.order_id()}"
        if u < 0.80:
            return self.pick(("/healthz", "/readyz", "/metrics", "/favicon.ico", "/robots.txt"))
        if u < 0.87:
            return f"/account/orders?page={self.i(1, 5)}"
        if u < 0.93:
            return f"/api/v2/users/{self.uid()}/recommendations?limit={self.pick((10, 20, 50))}"
        if u < 0.97:
            return "/checkout/" + self.pick(("cart", "address", "shipping", "payment", "confirm"))
        return self.pick(("/wp-login.php", "/.env", "/.git/config", "/phpmyadmin/index.php", "/cgi-bin/luci", "/actuator/health"))

    def http_status(self) -> int:
        u = self.r()
        if u < 0.82:
            return 200
        if u < 0.88:
            return 304
        if u < 0.90:
            return 301
        if u < 0.93:
            return 201
        if u < 0.975:
            return 404
        if u < 0.985:
            return 499
        if u < 0.99:
            return 401
        return self.pick((500, 502, 503, 504))

    def method(self) -> str:
        u = self.r()
        return "GET" if u < 0.82 else "POST" if u < 0.93 else "PUT" if u < 0.97 else "DELETE" if u < 0.99 else "PATCH"

    # Times derived from the line's event time.
    def clf(self) -> str:
        return self.tf(int(self.ctx.t))[2]

    def iso_ns(self) -> str:
        t = self.ctx.t
        return f"{self.tf(int(t))[1]}.{int((t % 1) * 1e9):09d}Z"

    def klog_head(self) -> str:
        t = self.ctx.t
        s = self.tf(int(t))[1]
        return f"{s[5:7]}{s[8:10]} {s[11:19]}.{int((t % 1) * 1e6):06d}"

    def epoch_ms(self) -> str:
        t = self.ctx.t
        return f"{int(t)}.{int((t % 1) * 1000):03d}"


# --------------------------------------------------------------------------------------------
# Services and their templates


class Service:
    def __init__(
        self,
        name: str,
        *,
        hosts: list[str],
        formats: dict[int, float],
        facility: int = DAEMON,
        tag: str | None = None,
        pid: str | int | None = "stable",
        normal=(),
        warn=(),
        err=(),
        err_p: float = 0.016,
        warn_p: float = 0.05,
        json_fields=None,
        level_style: str = "go",
        msgids=("-",),
        sd=None,
        precision: int = 3,
    ) -> None:
        self.name = name
        self.tag = tag or name
        self.hosts = hosts
        self.formats = formats
        self.facility = facility
        self.pid_mode = pid
        self.pids = {h: 300 + zlib.crc32(f"{name}@{h}".encode()) % 900_000 for h in hosts}

        def expand(templates):
            out = []
            for t in templates:
                weight, sev, fn = t if len(t) == 3 else (1, t[0], t[1])
                out.extend([(sev, fn)] * weight)
            return out

        self.normal = expand(normal)
        self.warn = expand(warn)
        self.err = expand(err)
        assert self.normal and self.warn and self.err, name
        self.templates = len(normal) + len(warn) + len(err)
        self.err_p = err_p * ERR_SCALE
        self.warn_p = warn_p
        self.json_fields = json_fields
        self.levels = LEVEL_STYLES[level_style]
        self.msgids = msgids
        self.sd = sd
        self.precision = precision


def pick(svc: "Service", r, err_p: float) -> tuple[int, object]:
    """A line's (severity, message function) for `svc`: an error with probability `err_p`, a
    warning with the service's `warn_p`, else a normal line (two draws of `r`)."""
    u = r()
    if u < err_p:
        return svc.err[int(r() * len(svc.err))]
    if u < err_p + svc.warn_p:
        return svc.warn[int(r() * len(svc.warn))]
    return svc.normal[int(r() * len(svc.normal))]


def T(sev: int, fn, weight: int = 1):
    return (weight, sev, fn)


HOSTS = (
    [f"web-{i:02d}" for i in range(1, 7)]
    + [f"app-{i:02d}" for i in range(1, 7)]
    + [f"db-{i:02d}" for i in range(1, 4)]
    + ["cache-01", "cache-02", "lb-01", "lb-02", "mon-01"]
)
WEB = HOSTS[0:6]
APP = HOSTS[6:12]
DB = HOSTS[12:15]
CACHE = HOSTS[15:17]
LB = HOSTS[17:19]
MON = HOSTS[19:20]
REGION = {h: ("eu-west-1" if i % 2 == 0 else "eu-central-1") for i, h in enumerate(HOSTS)}


def build_services(v: V, ctx: Ctx) -> list[Service]:
    s: list[Service] = []
    boot = {h: START - 86400 * (3 + zlib.crc32(h.encode()) % 120) - zlib.crc32(h.encode()[::-1]) % 86400 for h in HOSTS}

    def uptime() -> str:
        return f"[{ctx.t - boot[ctx.host]:12.6f}]"

    def sd_meta() -> str:
        if v.r() < 0.5:
            return "-"
        if v.r() < 0.6:
            return f'[meta@32473 env="prod" region="{REGION[ctx.host]}" seq="{v.i(1, 9_999_999)}"]'
        if v.r() < 0.5:
            return '[timeQuality tzKnown="1" isSynced="1"][origin software="rsyslogd" swVersion="8.2302.0"]'
        return f'[origin ip="{v.ip()}"][meta@32473 pod="{ctx.service}-{v.hexs(5)}"]'

    # ---- system services ------------------------------------------------------------------

    def sshd_accept():
        u = v.user()
        return f"Accepted publickey for {u} from {v.client_ip()} port {v.port()} ssh2: ED25519 SHA256:{v.key_fp(u)}"

    s.append(Service(
        "sshd", hosts=HOSTS, formats={RFC3164: 8}, facility=AUTHPRIV, pid="random",
        normal=[
            T(INFO, sshd_accept, 3),
            T(INFO, lambda: f"Accepted password for {v.user()} from {v.ip()} port {v.port()} ssh2"),
            T(INFO, lambda: f"pam_unix(sshd:session): session opened for user {v.user()}(uid={v.unix_uid()}) by (uid=0)", 3),
            T(INFO, lambda: f"pam_unix(sshd:session): session closed for user {v.user()}", 3),
            T(INFO, lambda: f"Received disconnect from {v.client_ip()} port {v.port()}:11: disconnected by user", 2),
            T(INFO, lambda: f"Disconnected from user {v.user()} {v.client_ip()} port {v.port()}", 2),
            T(INFO, lambda: f"Connection closed by {v.ext_ip()} port {v.port()} [preauth]", 2),
            T(INFO, lambda: f"Received disconnect from {v.ext_ip()} port {v.port()}:11: Bye Bye [preauth]"),
        ],
        warn=[
            T(WARNING, lambda: f"Invalid user {v.bad_user()} from {v.ext_ip()} port {v.port()}", 3),
            T(WARNING, lambda: f"Failed password for invalid user {v.bad_user()} from {v.ext_ip()} port {v.port()} ssh2", 2),
            T(WARNING, lambda: f"Failed publickey for {v.user()} from {v.ip()} port {v.port()} ssh2: RSA SHA256:{v.key_fp(v.bad_user())}"),
            T(WARNING, lambda: f"Disconnecting invalid user {v.bad_user()} {v.ext_ip()} port {v.port()}: Too many authentication failures [preauth]"),
        ],
        err=[
            T(ERR, lambda: "error: kex_exchange_identification: read: Connection reset by peer", 2),
            T(ERR, lambda: f"error: maximum authentication attempts exceeded for invalid user {v.bad_user()} from {v.ext_ip()} port {v.port()} ssh2 [preauth]"),
            T(CRIT, lambda: f"fatal: Timeout before authentication for {v.ext_ip()} port {v.port()}"),
            T(ERR, lambda: f"error: Received disconnect from {v.ext_ip()} port {v.port()}:3: com.jcraft.jsch.JSchException: Auth fail [preauth]"),
        ],
        err_p=0.02, warn_p=0.12,
    ))

    s.append(Service(
        "sudo", hosts=HOSTS, formats={RFC3164: 1.5}, facility=AUTHPRIV, pid=None,
        normal=[
            T(NOTICE, lambda: (lambda u, unit: f"{u:>8} : TTY=pts/{v.i(0, 6)} ; PWD=/home/{u} ; USER=root ; COMMAND=/usr/bin/systemctl restart {unit}")(v.user(), v.unit()[0]), 2),
            T(NOTICE, lambda: (lambda u: f"{u:>8} : TTY=pts/{v.i(0, 6)} ; PWD=/home/{u} ; USER=root ; COMMAND=/usr/bin/journalctl -u {v.unit()[0]} --since -{v.i(1, 48)}h")(v.user())),
            T(NOTICE, lambda: (lambda u: f"{u:>8} : PWD=/opt/app ; USER=root ; COMMAND=/usr/bin/apt-get install -y {v.pick(('htop', 'jq', 'curl', 'tcpdump', 'strace', 'iotop', 'ncdu'))}")(v.user())),
            T(INFO, lambda: f"pam_unix(sudo:session): session opened for user root(uid=0) by {v.user()}(uid={v.unix_uid()})", 3),
            T(INFO, lambda: "pam_unix(sudo:session): session closed for user root", 3),
        ],
        warn=[
            T(WARNING, lambda: f"pam_unix(sudo:auth): authentication failure; logname={v.user()} uid={v.unix_uid()} euid=0 tty=/dev/pts/{v.i(0, 6)} ruser={v.user()} rhost=  user={v.user()}"),
        ],
        err=[
            T(ALERT, lambda: (lambda u: f"{u:>8} : user NOT in sudoers ; TTY=pts/{v.i(0, 6)} ; PWD=/home/{u} ; USER=root ; COMMAND=/bin/bash")(v.bad_user())),
            T(ALERT, lambda: (lambda u: f"{u:>8} : 3 incorrect password attempts ; TTY=pts/{v.i(0, 6)} ; PWD=/home/{u} ; USER=root ; COMMAND=/usr/bin/su -")(v.user())),
        ],
        err_p=0.01, warn_p=0.03,
    ))

    def cron_cmd():
        return f"({v.pick(('root', 'root', 'root', 'www-data', 'backup', 'deploy'))}) CMD ({v.pick(CRON_COMMANDS)})"

    s.append(Service(
        "CRON", hosts=HOSTS, formats={RFC3164: 4}, facility=CRON, pid="random",
        normal=[
            T(INFO, cron_cmd, 4),
            T(INFO, lambda: f"pam_unix(cron:session): session opened for user {v.pick(('root', 'www-data', 'backup'))}(uid={v.pick((0, 33, 34))}) by (uid=0)", 4),
            T(INFO, lambda: f"pam_unix(cron:session): session closed for user {v.pick(('root', 'www-data', 'backup'))}", 4),
            T(INFO, lambda: "(CRON) info (No MTA installed, discarding output)"),
            T(NOTICE, lambda: f"({v.pick(('root', 'deploy'))}) RELOAD (crontabs/{v.pick(('root', 'deploy'))})"),
        ],
        warn=[
            T(WARNING, lambda: f"(CRON) error (grandchild #{v.pid()} failed with exit status {v.pick((1, 2, 127))})"),
        ],
        err=[
            T(ERR, lambda: f"(CRON) ERROR chdir failed (/home/{v.user()}): No such file or directory"),
            T(ERR, lambda: f"(root) ERROR (getpwnam() failed): {v.bad_user()}"),
        ],
        err_p=0.004, warn_p=0.02,
    ))

    def unit_started():
        unit, desc = v.unit()
        return f"Started {desc}."

    def unit_starting():
        unit, desc = v.unit()
        return f"Starting {desc}..."

    s.append(Service(
        "systemd", hosts=HOSTS, formats={RFC3164: 6}, facility=DAEMON, pid=1,
        normal=[
            T(INFO, lambda: f"Started Session {v.i(1, 90000)} of User {v.user()}.", 3),
            T(INFO, unit_starting, 2),
            T(INFO, unit_started, 2),
            T(INFO, lambda: f"{v.unit()[0]}: Deactivated successfully.", 2),
            T(INFO, lambda: f"{v.unit()[0]}: Consumed {v.secs(2.0)}s CPU time.", 2),
            T(INFO, lambda: f"Created slice User Slice of UID {v.unix_uid()}."),
            T(INFO, lambda: f"Stopping User Manager for UID {v.unix_uid()}..."),
            T(INFO, lambda: f"run-docker-runtime\\x2drunc-moby-{v.container()}-runc.{v.hexs(6)}.mount: Deactivated successfully."),
            T(NOTICE, lambda: "Reloading."),
        ],
        warn=[
            T(WARNING, lambda: f"{v.unit()[0]}: Failed with result 'exit-code'."),
            T(WARNING, lambda: f"{v.unit()[0]}: Scheduled restart job, restart counter is at {v.i(1, 5)}."),
            T(WARNING, lambda: f"/etc/systemd/system/{v.unit()[0]}:{v.i(5, 30)}: Unknown key name 'StartLimitIntervalSec' in section 'Service', ignoring."),
        ],
        err=[
            T(ERR, lambda: f"{v.unit()[0]}: Main process exited, code=exited, status=1/FAILURE", 2),
            T(ERR, lambda: f"Failed to start {v.unit()[1]}."),
            T(ERR, lambda: f"{v.unit()[0]}: A process of this unit has been killed by the OOM killer."),
        ],
        err_p=0.012, warn_p=0.03,
    ))

    s.append(Service(
        "systemd-logind", hosts=HOSTS, formats={RFC3164: 2}, facility=AUTH,
        normal=[
            T(INFO, lambda: f"New session {v.i(1, 90000)} of user {v.user()}.", 3),
            T(INFO, lambda: f"Session {v.i(1, 90000)} logged out. Waiting for processes to exit.", 3),
            T(INFO, lambda: f"Removed session {v.i(1, 90000)}.", 3),
            T(INFO, lambda: "Watching system buttons on /dev/input/event0 (Power Button)"),
            T(INFO, lambda: "New seat seat0."),
        ],
        warn=[T(WARNING, lambda: "Failed to abandon session scope, ignoring: Transport endpoint is not connected")],
        err=[T(ERR, lambda: f"Failed to start session scope session-{v.i(1, 90000)}.scope: Connection timed out")],
        err_p=0.004, warn_p=0.01,
    ))

    macs = {h: ":".join(f"{(zlib.crc32(h.encode()) >> (k * 4)) & 255:02x}" for k in range(6)) for h in HOSTS}

    def mac() -> str:  # this host's NIC, the gateway's, ethertype IPv4
        return f"{macs[ctx.host]}:00:1c:73:{v.pick(('0a:11:5e', '0a:11:5f'))}:08:00"

    def ufw_block():
        src, dst = v.ext_ip(), v.ip()
        return (f"{uptime()} [UFW BLOCK] IN=eth0 OUT= MAC={mac()} SRC={src} DST={dst} LEN={v.pick((40, 44, 52, 60))} "
                f"TOS=0x00 PREC=0x00 TTL={v.i(30, 250)} ID={v.i(1, 65535)} {v.pick(('DF ', ''))}PROTO=TCP SPT={v.port()} "
                f"DPT={v.pick((22, 23, 3389, 445, 8080, 5432, 6379, 9200, 2375))} WINDOW={v.pick((1024, 29200, 64240, 65535))} RES=0x00 SYN URGP=0")

    s.append(Service(
        "kernel", hosts=HOSTS, formats={RFC3164: 4}, facility=KERN, pid=None,
        normal=[
            T(INFO, ufw_block, 6),
            T(INFO, lambda: f"{uptime()} eth0: renamed from veth{v.hexs(7)}", 2),
            T(INFO, lambda: f"{uptime()} docker0: port {v.i(1, 30)}(veth{v.hexs(7)}) entered {v.pick(('forwarding', 'blocking', 'disabled'))} state", 2),
            T(INFO, lambda: f"{uptime()} IPv6: ADDRCONF(NETDEV_CHANGE): veth{v.hexs(7)}: link becomes ready"),
            T(NOTICE, lambda: f"{uptime()} audit: type=1400 audit({v.epoch_ms()}:{v.i(100, 99999)}): apparmor=\"DENIED\" operation=\"open\" profile=\"snap.{v.pick(('lxd', 'certbot', 'core'))}\" name=\"/proc/{v.i(1, 99999)}/mounts\" pid={v.i(1000, 99999)} comm=\"{v.pick(('lxd', 'python3', 'snapd'))}\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0"),
            T(INFO, lambda: f"{uptime()} EXT4-fs (nvme0n1p{v.i(1, 3)}): mounted filesystem {v.uuid()} r/w with ordered data mode. Quota mode: none."),
        ],
        warn=[
            T(WARNING, lambda: f"{uptime()} TCP: request_sock_TCP: Possible SYN flooding on port {v.pick((80, 443, 8080, 22))}. Sending cookies.  Check SNMP counters.", 2),
            T(WARNING, lambda: f"{uptime()} IPv4: martian source {v.ip()} from {v.ext_ip()}, on dev eth{v.i(0, 1)}"),
            T(WARNING, lambda: f"{uptime()} nvme nvme0: I/O {v.i(0, 1023)} QID {v.i(1, 8)} timeout, aborting"),
            T(WARNING, lambda: f"{uptime()} perf: interrupt took too long ({v.i(2500, 9000)} > {v.i(2500, 5000)}), lowering kernel.perf_event_max_sample_rate to {v.i(20000, 80000)}"),
        ],
        err=[
            T(ERR, lambda: f"{uptime()} Out of memory: Killed process {v.i(1000, 999999)} ({v.pick(('java', 'node', 'python3', 'postgres', 'ruby'))}) total-vm:{v.i(1_000_000, 9_000_000)}kB, anon-rss:{v.i(500_000, 4_000_000)}kB, file-rss:{v.i(0, 9000)}kB, shmem-rss:0kB, UID:{v.unix_uid()} pgtables:{v.i(1000, 9000)}kB oom_score_adj:0"),
            T(ERR, lambda: f"{uptime()} nf_conntrack: nf_conntrack: table full, dropping packet", 2),
            T(ERR, lambda: f"{uptime()} blk_update_request: I/O error, dev nvme0n1, sector {v.i(1, 900_000_000)} op 0x1:(WRITE) flags 0x800 phys_seg {v.i(1, 32)} prio class 0"),
            T(CRIT, lambda: f"{uptime()} EXT4-fs error (device nvme0n1p{v.i(1, 3)}): ext4_find_entry:1463: inode #{v.i(2, 9_000_000)}: comm {v.pick(('java', 'nginx', 'postgres'))}: reading directory lblock 0"),
        ],
        err_p=0.01, warn_p=0.08,
    ))

    s.append(Service(
        "chronyd", hosts=HOSTS, formats={RFC3164: 1}, facility=DAEMON,
        normal=[
            T(INFO, lambda: f"Selected source {v.ext_ip()} ({v.pick(('ntp.ubuntu.com', 'time.cloudflare.com', '0.debian.pool.ntp.org', '2.debian.pool.ntp.org'))})", 2),
            T(INFO, lambda: f"System clock wrong by {v.r() * 0.02 - 0.01:.6f} seconds, adjustment started"),
            T(INFO, lambda: f"Source {v.ext_ip()} replaced with {v.ext_ip()} ({v.i(0, 3)}.debian.pool.ntp.org)"),
            T(INFO, lambda: f"Source {v.ext_ip()} online"),
            T(NOTICE, lambda: "Frequency -12.345 +/- 0.210 ppm read from /var/lib/chrony/chrony.drift"),
        ],
        warn=[
            T(WARNING, lambda: f"System clock was stepped by {v.r() * 2:.6f} seconds"),
            T(WARNING, lambda: "Forward time jump detected!"),
            T(WARNING, lambda: f"Received KoD RATE from {v.ext_ip()}"),
        ],
        err=[T(ERR, lambda: "Can't synchronise: no selectable sources")],
        err_p=0.005, warn_p=0.04,
    ))

    s.append(Service(
        "rsyslogd", hosts=HOSTS, formats={RFC3164: 0.6}, facility=SYSLOG,
        normal=[
            T(INFO, lambda: f'[origin software="rsyslogd" swVersion="8.2302.0" x-pid="{v.i(300, 9000)}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed', 3),
            T(INFO, lambda: f'[origin software="rsyslogd" swVersion="8.2302.0" x-pid="{v.i(300, 9000)}" x-info="https://www.rsyslog.com"] start'),
            T(INFO, lambda: "imuxsock: Acquired UNIX socket '/run/systemd/journal/syslog' (fd 3) from systemd.  [v8.2302.0]"),
            T(NOTICE, lambda: f"omfwd: TCP sent {v.i(1, 9999)} messages to {v.ip()}:6514"),
            T(INFO, lambda: f"action 'action-{v.i(1, 9)}-builtin:omfwd' resumed (module 'builtin:omfwd') [v8.2302.0 try https://www.rsyslog.com/e/2359 ]"),
        ],
        warn=[
            T(WARNING, lambda: f"imjournal: {v.i(1, 20000)} messages lost due to rate-limiting (20000 allowed within 600 seconds)"),
            T(WARNING, lambda: f"omfwd: remote server at {v.ip()}:6514 seems to have closed connection. This often happens when the remote peer (or an interim system like a load balancer or firewall) shuts down or aborts a connection. Rsyslog will re-open the connection if configured to do so (we could not tell if it was). [v8.2302.0 try https://www.rsyslog.com/e/2027 ]"),
        ],
        err=[T(ERR, lambda: f"action 'action-{v.i(1, 9)}-builtin:omfwd' suspended (module 'builtin:omfwd'), retry 0. There should be messages before this one giving the reason for suspension. [v8.2302.0 try https://www.rsyslog.com/e/2007 ]")],
        err_p=0.01, warn_p=0.05,
    ))

    def audit(kind: str, body: str) -> str:
        return f"type={kind} msg=audit({v.epoch_ms()}:{v.i(100, 9_999_999)}): {body}"

    s.append(Service(
        "auditd", tag="audit", hosts=HOSTS, formats={RFC3164: 2.5}, facility=AUTH, pid=None,
        normal=[
            T(NOTICE, lambda: audit("USER_ACCT", f"pid={v.pid()} uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=PAM:accounting grantors=pam_permit acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success'"), 3),
            T(NOTICE, lambda: audit("CRED_ACQ", f"pid={v.pid()} uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=PAM:setcred grantors=pam_permit,pam_cap acct=\"root\" exe=\"/usr/sbin/cron\" hostname=? addr=? terminal=cron res=success'"), 2),
            T(NOTICE, lambda: audit("USER_LOGIN", f"pid={v.pid()} uid=0 auid={v.unix_uid()} ses={v.i(1, 90000)} subj=unconfined msg='op=login id={v.unix_uid()} exe=\"/usr/sbin/sshd\" hostname=? addr={v.client_ip()} terminal=/dev/pts/{v.i(0, 6)} res=success'"), 2),
            T(NOTICE, lambda: audit("SERVICE_START", f"pid=1 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='unit={v.unit()[0][:-8]} comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'"), 2),
            T(NOTICE, lambda: audit("EXECVE", f"argc=3 a0=\"/bin/sh\" a1=\"-c\" a2=\"{v.pick(CRON_COMMANDS)[:40]}\"")),
        ],
        warn=[T(WARNING, lambda: audit("USER_AUTH", f"pid={v.pid()} uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='op=PAM:authentication grantors=? acct=\"{v.bad_user()}\" exe=\"/usr/sbin/sshd\" hostname={v.ext_ip()} addr={v.ext_ip()} terminal=ssh res=failed'"))],
        err=[T(ERR, lambda: audit("ANOM_ABEND", f"auid=4294967295 uid={v.unix_uid()} gid={v.unix_uid()} ses=4294967295 subj=unconfined pid={v.pid()} comm=\"{v.pick(('java', 'node', 'python3'))}\" exe=\"/usr/bin/{v.pick(('java', 'node', 'python3.11'))}\" sig=11 res=1"))],
        err_p=0.004, warn_p=0.05,
    ))

    def logrus(level: str, msg: str, extra: str) -> str:
        return f'time="{v.iso_ns()}" level={level} msg="{msg}" {extra}' if extra else f'time="{v.iso_ns()}" level={level} msg="{msg}"'

    s.append(Service(
        "dockerd", hosts=WEB + APP, formats={RFC3164: 3}, facility=DAEMON,
        normal=[
            T(INFO, lambda: logrus("info", "ignoring event", f"container={v.container()} module=libcontainerd namespace=moby topic=/tasks/delete type=\"*events.TaskDelete\""), 4),
            T(INFO, lambda: logrus("info", "Container failed to exit within 10s of signal 15 - using the force", f"container={v.container()}")),
            T(INFO, lambda: logrus("info", "API listen on /run/docker.sock", "")),
            T(INFO, lambda: logrus("info", "Layer sha256:" + v.container() + " cleaned up", "")),
            T(INFO, lambda: logrus("info", "Attempting next endpoint for pull after error: manifest unknown", "")),
        ],
        warn=[T(WARNING, lambda: logrus("warning", f"Health check for container {v.container()} error: context deadline exceeded", ""))],
        err=[
            T(ERR, lambda: logrus("error", f"Handler for POST /v1.45/containers/{v.container()}/stop returned error: cannot stop container: {v.hexs(12)}: tried to kill container, but did not receive an exit event", "")),
            T(ERR, lambda: logrus("error", f"Error pulling image registry.example.com/{v.pick(('checkout', 'payments', 'search', 'auth'))}:{v.i(1, 400)}.{v.i(0, 20)}.{v.i(0, 9)}: toomanyrequests: rate limit exceeded", "")),
        ],
        err_p=0.01, warn_p=0.04,
    ))

    s.append(Service(
        "containerd", hosts=WEB + APP, formats={RFC3164: 2}, facility=DAEMON,
        normal=[
            T(INFO, lambda: logrus("info", "shim disconnected", f"id={v.container()} namespace=k8s.io"), 3),
            T(INFO, lambda: logrus("info", "cleaning up after shim disconnected", f"id={v.container()} namespace=k8s.io"), 2),
            T(INFO, lambda: logrus("info", "cleaning up dead shim", "namespace=k8s.io")),
            T(INFO, lambda: logrus("info", f"StopPodSandbox for \\\"{v.container()}\\\" returns successfully", "")),
            T(INFO, lambda: logrus("info", f"ImageCreate event name:\\\"registry.example.com/{v.pick(('checkout', 'cart', 'search'))}:{v.i(1, 400)}.{v.i(0, 9)}\\\"", "")),
        ],
        warn=[T(WARNING, lambda: logrus("warning", "cleanup warnings time=\\\"" + v.iso_ns() + "\\\" level=warning msg=\\\"failed to remove runc container\\\" error=\\\"runc did not terminate successfully: exit status 255\\\"", "namespace=k8s.io"))],
        err=[T(ERR, lambda: logrus("error", f"ContainerStatus for \\\"{v.container()}\\\" failed", "error=\"rpc error: code = NotFound desc = an error occurred when try to find container: not found\""))],
        err_p=0.01, warn_p=0.03,
    ))

    pod = v.pod

    s.append(Service(
        "kubelet", hosts=WEB + APP, formats={RFC3164: 4, RFC5424: 2}, facility=DAEMON, msgids=("-",), sd=sd_meta, precision=6,
        normal=[
            T(INFO, lambda: f'I{v.klog_head()}    {v.i(1000, 9999)} kubelet.go:2412] "SyncLoop (PLEG): event for pod" pod="{pod()}" event={{"ID":"{v.uuid()}","Type":"ContainerStarted","Data":"{v.container()}"}}', 3),
            T(INFO, lambda: f'I{v.klog_head()}    {v.i(1000, 9999)} kubelet.go:2420] "SyncLoop UPDATE" source="api" pods=["{pod()}"]', 2),
            T(INFO, lambda: f'I{v.klog_head()}    {v.i(1000, 9999)} reconciler_common.go:245] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"kube-api-access-{v.hexs(5)}\\" (UniqueName: \\"kubernetes.io/projected/{v.uuid()}-kube-api-access-{v.hexs(5)}\\") pod="{pod()}"'),
            T(INFO, lambda: f'I{v.klog_head()}    {v.i(1000, 9999)} kuberuntime_container.go:779] "Killing container with a grace period" pod="{pod()}" containerName="app" containerID="containerd://{v.container()}" gracePeriod=30'),
            T(INFO, lambda: f'I{v.klog_head()}    {v.i(1000, 9999)} prober.go:107] "Probe succeeded" probeType="Readiness" pod="{pod()}" containerName="app"'),
        ],
        warn=[
            T(WARNING, lambda: f'W{v.klog_head()}    {v.i(1000, 9999)} prober.go:104] "Probe failed" probeType="Readiness" pod="{pod()}" containerName="app" probeResult="failure" output="Get \\"http://{v.ip()}:8080/readyz\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"'),
            T(WARNING, lambda: f'W{v.klog_head()}    {v.i(1000, 9999)} eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"'),
        ],
        err=[
            T(ERR, lambda: f'E{v.klog_head()}    {v.i(1000, 9999)} pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod={pod()}\\"" pod="{pod()}" podUID="{v.uuid()}"', 2),
            T(ERR, lambda: f'E{v.klog_head()}    {v.i(1000, 9999)} kubelet_node_status.go:535] "Error updating node status, will retry" err="error getting node \\"{ctx.host}\\": Get \\"https://10.0.0.1:6443/api/v1/nodes/{ctx.host}?timeout=10s\\": net/http: request canceled (Client.Timeout exceeded while awaiting headers)"'),
        ],
        err_p=0.02, warn_p=0.06,
    ))

    s.append(Service(
        "postfix/smtpd", hosts=MON + APP[:1], formats={RFC3164: 1.2}, facility=MAIL, pid="random",
        normal=[
            T(INFO, lambda: f"connect from unknown[{v.ext_ip()}]", 3),
            T(INFO, lambda: f"{v.qid()}: client=mail{v.i(1, 40)}.{v.domain()}[{v.ext_ip()}]", 2),
            T(INFO, lambda: f"disconnect from unknown[{v.ext_ip()}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5", 3),
            T(INFO, lambda: f"lost connection after AUTH from unknown[{v.ext_ip()}]"),
            T(NOTICE, lambda: f"NOQUEUE: reject: RCPT from unknown[{v.ext_ip()}]: 554 5.7.1 <{v.email()}>: Relay access denied; from=<{v.email()}> to=<{v.email()}> proto=ESMTP helo=<{v.hexs(8)}>"),
        ],
        warn=[
            T(WARNING, lambda: f"warning: hostname {v.hexs(6)}.{v.domain()} does not resolve to address {v.ext_ip()}: Name or service not known", 2),
            T(WARNING, lambda: f"warning: unknown[{v.ext_ip()}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6"),
        ],
        err=[
            T(CRIT, lambda: "fatal: no SASL authentication mechanisms"),
            T(ERR, lambda: "error: open database /etc/postfix/sasl_passwd.db: No such file or directory"),
        ],
        err_p=0.005, warn_p=0.15,
    ))

    s.append(Service(
        "postfix/qmgr", hosts=MON + APP[:1], formats={RFC3164: 0.8}, facility=MAIL,
        normal=[
            T(INFO, lambda: f"{v.qid()}: from=<{v.pick(('noreply', 'orders', 'alerts', 'billing'))}@example.com>, size={v.i(900, 90000)}, nrcpt=1 (queue active)", 3),
            T(INFO, lambda: f"{v.qid()}: removed", 3),
            T(INFO, lambda: f"{v.qid()}: from=<>, size={v.i(2000, 9000)}, nrcpt=1 (queue active)"),
            T(INFO, lambda: f"{v.qid()}: from=<{v.email()}>, status=expired, returned to sender"),
            T(NOTICE, lambda: f"{v.qid()}: skipped, still being delivered"),
        ],
        warn=[T(WARNING, lambda: f"warning: mail for [{v.ip()}]:25 is using up {v.i(1000, 9000)} of {v.i(9000, 20000)} active queue entries")],
        err=[T(ERR, lambda: "warning: connect to transport private/smtp-amavis: Connection refused")],
        err_p=0.003, warn_p=0.01,
    ))

    s.append(Service(
        "postfix/smtp", hosts=MON + APP[:1], formats={RFC3164: 1.2}, facility=MAIL, pid="random",
        normal=[
            T(INFO, lambda: f"{v.qid()}: to=<{v.email()}>, relay={v.pick(('gmail-smtp-in.l.google.com', 'example-org.mail.protection.outlook.com', 'mx01.mail.icloud.com', 'mx00.web.de'))}[{v.ext_ip()}]:25, delay={v.secs(1.2)}, delays=0.01/0.01/{v.secs(0.2)}/{v.secs(0.5)}, dsn=2.0.0, status=sent (250 2.0.0 OK  {v.i(1_790_000_000, 1_800_000_000)} {v.hexs(20)} - gsmtp)", 5),
            T(INFO, lambda: f"{v.qid()}: to=<{v.email()}>, relay=none, delay={v.i(1, 9999)}, delays={v.i(1, 9999)}/0.01/30/0, dsn=4.4.1, status=deferred (connect to {v.domain()}[{v.ext_ip()}]:25: Connection timed out)"),
            T(INFO, lambda: f"connect to {v.domain()}[{v.ext_ip()}]:25: Connection refused"),
            T(INFO, lambda: f"{v.qid()}: enabling PIX workarounds: disable_esmtp delay_dotcrlf for {v.domain()}[{v.ext_ip()}]:25"),
            T(INFO, lambda: f"{v.qid()}: host {v.domain()}[{v.ext_ip()}] said: 421 4.7.0 Try again later, closing connection. (in reply to end of DATA command)"),
        ],
        warn=[T(WARNING, lambda: f"warning: TLS library problem: error:0A000126:SSL routines::unexpected eof while reading:../ssl/record/rec_layer_s3.c:{v.i(300, 700)}:")],
        err=[T(ERR, lambda: f"{v.qid()}: to=<{v.email()}>, relay={v.domain()}[{v.ext_ip()}]:25, delay={v.secs(2)}, dsn=5.1.1, status=bounced (host said: 550 5.1.1 The email account that you tried to reach does not exist.)")],
        err_p=0.02, warn_p=0.02,
    ))

    s.append(Service(
        "named", hosts=LB + MON, formats={RFC3164: 2.5}, facility=DAEMON,
        normal=[
            T(INFO, lambda: (lambda d, ip: f"client @0x{v.hexs(12)} {ip}#{v.port()} ({d}): query: {d} IN {v.pick(('A', 'A', 'AAAA', 'MX', 'TXT', 'SRV'))} +E(0)K ({v.ip()})")(v.domain(), v.ip()), 6),
            T(INFO, lambda: f"zone example.internal/IN: loaded serial {v.i(2026110100, 2026110799)}"),
            T(INFO, lambda: f"zone example.internal/IN: sending notifies (serial {v.i(2026110100, 2026110799)})"),
            T(INFO, lambda: f"transfer of 'example.internal/IN' from {v.ip()}#53: Transfer completed: 1 messages, {v.i(50, 900)} records, {v.i(2000, 90000)} bytes, 0.00{v.i(1, 9)} secs"),
            T(INFO, lambda: "managed-keys-zone: Key 20326 for zone . is now trusted (acceptance timer complete)"),
        ],
        warn=[
            T(WARNING, lambda: (lambda d: f"client @0x{v.hexs(12)} {v.ext_ip()}#{v.port()} ({d}): query (cache) '{d}/A/IN' denied")(v.domain()), 2),
            T(WARNING, lambda: f"network unreachable resolving '{v.domain()}/AAAA/IN': 2001:500:2::c#53"),
        ],
        err=[T(ERR, lambda: "resolver priming query complete: timed out"), T(ERR, lambda: f"zone example.internal/IN: refresh: failure trying primary {v.ip()}#53 (source 0.0.0.0#0): operation canceled")],
        err_p=0.005, warn_p=0.06,
    ))

    def redis(mark: str, msg: str) -> str:
        t = ctx.t
        g = time.gmtime(t)
        return f"{v.i(1, 99)}:{mark} {g.tm_mday:02d} {MONTHS[g.tm_mon - 1]} {g.tm_year} {g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d}.{int((t % 1) * 1000):03d} {msg}"

    s.append(Service(
        "redis-server", tag="redis-server", hosts=CACHE, formats={RFC3164: 2}, facility=LOCAL1,
        normal=[
            T(NOTICE, lambda: redis("M", f"* {v.pick((1, 10, 100, 10000))} changes in {v.pick((60, 300, 900))} seconds. Saving..."), 3),
            T(NOTICE, lambda: redis("M", f"* Background saving started by pid {v.pid()}"), 3),
            T(NOTICE, lambda: redis("C", "* DB saved on disk"), 3),
            T(NOTICE, lambda: redis("C", f"* Fork CoW for RDB: current {v.i(1, 90)} MB, peak {v.i(1, 90)} MB, average {v.i(1, 60)} MB"), 2),
            T(NOTICE, lambda: redis("M", "* Background saving terminated with success"), 3),
            T(INFO, lambda: redis("M", f"- Accepted {v.ip()}:{v.port()}")),
        ],
        warn=[
            T(WARNING, lambda: redis("M", f"# Client id={v.i(1, 9_999_999)} addr={v.ip()}:{v.port()} laddr={v.ip()}:6379 fd={v.i(8, 999)} name= age={v.i(0, 9999)} idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll={v.i(100, 9000)} omem={v.i(10_000_000, 99_000_000)} tot-mem={v.i(10_000_000, 99_000_000)} events=rw cmd=psync user=default redir=-1 resp=2 lib-name= lib-ver= closed for overcoming of output buffer limits.")),
            T(WARNING, lambda: redis("M", "# WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition.")),
        ],
        err=[
            T(ERR, lambda: redis("M", "# Error writing to the AOF file: No space left on device")),
            T(ERR, lambda: redis("M", "# MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.")),
        ],
        err_p=0.006, warn_p=0.02,
    ))

    def haproxy_access():
        app = v.pick(("checkout", "catalog", "cart", "search", "auth", "static"))
        t = ctx.t
        ts = f"{v.clf()}.{int((t % 1) * 1000):03d}"
        tr = v.ms(40)
        status = v.http_status()
        return (f"{v.client_ip()}:{v.port()} [{ts}] fe_https~ be_{app}/{app}-{v.i(1, 6)} {v.i(0, 3)}/0/{v.i(0, 2)}/{tr}/{tr + v.i(0, 5)} "
                f"{status} {v.i(200, 90000)} - - ---- {v.i(100, 900)}/{v.i(50, 800)}/{v.i(0, 60)}/{v.i(0, 12)}/0 0/0 \"{v.method()} {v.http_path()} HTTP/2.0\"")

    s.append(Service(
        "haproxy", hosts=LB, formats={RFC3164: 5, RFC5424: 5}, facility=LOCAL0, msgids=("-",), sd=sd_meta,
        normal=[
            T(INFO, haproxy_access, 20),
            T(NOTICE, lambda: f"Server be_{v.pick(('checkout', 'catalog', 'cart', 'search'))}/{v.pick(('checkout', 'catalog', 'cart', 'search'))}-{v.i(1, 6)} is UP, reason: Layer7 check passed, code: 200, check duration: {v.i(1, 30)}ms. {v.i(2, 6)} active and 0 backup servers online. 0 sessions requeued, 0 total in queue."),
            T(NOTICE, lambda: f"Proxy {v.pick(('fe_https', 'fe_http', 'be_checkout', 'be_static', 'stats'))} started."),
            T(INFO, lambda: f"Connect from {v.client_ip()}:{v.port()} to {v.ip()}:443 (fe_https/HTTP)"),
            T(NOTICE, lambda: "Health check for server be_static/static-1 succeeded, reason: Layer4 check passed, check duration: 0ms, status: 3/3 UP."),
        ],
        warn=[
            T(WARNING, lambda: f"Server be_{v.pick(('checkout', 'catalog', 'cart', 'search'))}/{v.pick(('checkout', 'catalog', 'cart', 'search'))}-{v.i(1, 6)} is DOWN, reason: Layer4 timeout, check duration: 2001ms. {v.i(1, 5)} active and 0 backup servers left. {v.i(0, 40)} sessions active, 0 requeued, 0 remaining in queue."),
            T(WARNING, lambda: f"{v.client_ip()}:{v.port()} [{v.clf()}.000] fe_https/1: SSL handshake failure"),
        ],
        err=[
            T(ALERT, lambda: f"backend be_{v.pick(('checkout', 'catalog', 'cart', 'search'))} has no server available!"),
            T(ERR, lambda: f"{v.client_ip()}:{v.port()} [{v.clf()}.{v.i(0, 999):03d}] fe_https~ be_checkout/<NOSRV> -1/-1/-1/-1/{v.i(1, 9)} 503 217 - - SC-- {v.i(100, 900)}/{v.i(50, 800)}/0/0/0 0/0 \"{v.method()} {v.http_path()} HTTP/2.0\"", 3),
        ],
        err_p=0.01, warn_p=0.01,
    ))

    def nginx_access():
        status = v.http_status()
        size = 0 if status in (304, 499) else v.i(120, 250_000)
        rt = v.ms(35) / 1000
        up = "-" if status in (304, 404) and v.r() < 0.5 else f"{rt * 0.95:.3f}"
        user = "-" if v.r() < 0.92 else v.user()
        ref = "-" if v.r() < 0.6 else f"https://shop.example.com/{v.pick(CATEGORIES)}"
        return (f"{v.client_ip()} - {user} [{v.clf()} +0000] \"{v.method()} {v.http_path()} HTTP/{v.pick(('1.1', '2.0', '2.0'))}\" "
                f"{status} {size} \"{ref}\" \"{v.skew(USER_AGENTS, 1.5)}\" rt={rt:.3f} uct=\"0.000\" uht=\"{up}\" urt=\"{up}\"")

    def nginx_err(level: str, text: str) -> str:
        g = v.tf(int(ctx.t))[1]
        return f"{g[0:4]}/{g[5:7]}/{g[8:10]} {g[11:19]} [{level}] {v.i(1000, 9999)}#{v.i(1000, 9999)}: *{v.seq(10_000_000, 40)} {text}"

    def upstream_ctx() -> str:
        path = v.http_path()
        return f'client: {v.client_ip()}, server: shop.example.com, request: "GET {path} HTTP/1.1", upstream: "http://{v.ip()}:8080{path}", host: "shop.example.com"'

    s.append(Service(
        "nginx", hosts=WEB + LB, formats={RFC3164: 30}, facility=LOCAL7,
        normal=[T(INFO, nginx_access, 40),
                T(NOTICE, lambda: nginx_err("notice", "signal process started")),
                T(NOTICE, lambda: nginx_err("notice", f"using inherited sockets from \"{v.i(5, 9)};\"")),
                T(INFO, lambda: nginx_err("info", f"client {v.client_ip()} closed keepalive connection")),
                T(INFO, lambda: nginx_err("info", f"client timed out (110: Connection timed out) while waiting for request, client: {v.client_ip()}, server: 0.0.0.0:443"))],
        warn=[
            T(WARNING, lambda: nginx_err("warn", f"an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{v.i(1, 9)}/{v.i(10, 99)}/{v.i(10**9, 10**10 - 1)} while reading upstream, {upstream_ctx()}")),
            T(WARNING, lambda: nginx_err("warn", f"a client request body is buffered to a temporary file /var/cache/nginx/client_temp/{v.i(10**9, 10**10 - 1)}, client: {v.client_ip()}, server: shop.example.com, request: \"POST /api/v1/uploads HTTP/1.1\", host: \"shop.example.com\"")),
        ],
        err=[
            T(ERR, lambda: nginx_err("error", f"upstream timed out (110: Connection timed out) while reading response header from upstream, {upstream_ctx()}"), 3),
            T(ERR, lambda: nginx_err("error", f"connect() failed (111: Connection refused) while connecting to upstream, {upstream_ctx()}"), 2),
            T(ERR, lambda: nginx_err("error", f"open() \"/usr/share/nginx/html{v.pick(('/wp-login.php', '/.env', '/favicon.ico'))}\" failed (2: No such file or directory), client: {v.ext_ip()}, server: shop.example.com, request: \"GET / HTTP/1.1\"")),
            T(CRIT, lambda: nginx_err("crit", f"SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: {v.ext_ip()}, server: 0.0.0.0:443")),
        ],
        err_p=0.008, warn_p=0.006,
    ))

    def pg(level: str, text: str) -> str:
        return f"[{v.i(1, 9)}-1] user={v.pick(('app', 'app', 'app', 'reporting', 'replicator'))},db={v.pick(('shop', 'shop', 'auth', 'billing'))} {level}:  {text}"

    def sql() -> str:
        u = v.r()
        if u < 0.3:
            return f"SELECT o.id, o.status, o.total_cents, o.created_at FROM orders o WHERE o.customer_id = {v.uid()} ORDER BY o.created_at DESC LIMIT {v.pick((10, 20, 50))}"
        if u < 0.45:
            return f"UPDATE inventory SET reserved = reserved + {v.i(1, 5)}, updated_at = now() WHERE sku = '{v.sku()}' AND warehouse_id = {v.i(1, 12)}"
        if u < 0.6:
            return f"INSERT INTO events (id, type, aggregate_id, payload, created_at) VALUES ('{v.uuid()}', '{v.pick(('order.created', 'order.paid', 'cart.updated', 'user.login'))}', '{v.uuid()}', $1, now())"
        if u < 0.7:
            return f"SELECT * FROM sessions WHERE token_hash = '\\x{v.hexs(64)}' AND expires_at > now()"
        if u < 0.8:
            return f"DELETE FROM cart_items WHERE cart_id = '{v.uuid()}' AND added_at < now() - interval '30 days'"
        if u < 0.9:
            return f"SELECT p.id, p.name, p.price_cents FROM products p JOIN product_categories pc ON pc.product_id = p.id WHERE pc.category = '{v.pick(CATEGORIES)}' AND p.active LIMIT 48 OFFSET {v.i(0, 40) * 48}"
        return f"SELECT count(*) FROM {v.table()} WHERE created_at >= '2026-1{v.i(0, 1)}-{v.i(10, 28)}' AND tenant = '{v.tenant()}'"

    s.append(Service(
        "postgres", hosts=DB, formats={RFC3164: 10}, facility=LOCAL0, pid="random",
        normal=[
            T(INFO, lambda: pg("LOG", f"duration: {v.ms(8) + v.r():.3f} ms  statement: {sql()}"), 12),
            T(INFO, lambda: pg("LOG", f"connection authorized: user=app database=shop application_name={v.pick(('checkout', 'cart', 'orders', 'payments', 'pgbouncer'))} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"), 2),
            T(INFO, lambda: pg("LOG", f"disconnection: session time: 0:{v.i(0, 59):02d}:{v.i(0, 59):02d}.{v.i(0, 999):03d} user=app database=shop host={v.ip()} port={v.port()}"), 2),
            T(INFO, lambda: pg("LOG", "checkpoint starting: time")),
            T(INFO, lambda: pg("LOG", f"checkpoint complete: wrote {v.i(100, 20000)} buffers ({v.r() * 10:.1f}%); 0 WAL file(s) added, 0 removed, {v.i(0, 9)} recycled; write={v.secs(200)} s, sync=0.{v.i(1, 999):03d} s, total={v.secs(200)} s; sync files={v.i(5, 90)}, longest=0.{v.i(1, 99):03d} s, average=0.00{v.i(1, 9)} s; distance={v.i(1000, 900000)} kB, estimate={v.i(1000, 900000)} kB; lsn={v.i(1, 9)}A/{v.bits(32):08X}, redo lsn={v.i(1, 9)}A/{v.bits(32):08X}")),
            T(INFO, lambda: pg("LOG", f"automatic vacuum of table \"shop.public.{v.table()}\": index scans: {v.i(0, 1)} pages: 0 removed, {v.i(100, 90000)} remain, {v.i(1, 900)} scanned ({v.r() * 5:.2f}% of total) tuples: {v.i(0, 9000)} removed, {v.i(1000, 9_000_000)} remain, 0 are dead but not yet removable"), 2),
        ],
        warn=[
            T(WARNING, lambda: pg("WARNING", "there is already a transaction in progress")),
            T(WARNING, lambda: pg("LOG", f"temporary file: path \"base/pgsql_tmp/pgsql_tmp{v.i(1000, 99999)}.{v.i(0, 9)}\", size {v.i(1_000_000, 900_000_000)}")),
            T(WARNING, lambda: pg("WARNING", f"skipping \"{v.table()}\" --- only table or database owner can vacuum it")),
        ],
        err=[
            T(ERR, lambda: pg("ERROR", f"duplicate key value violates unique constraint \"{v.table()}_pkey\""), 2),
            T(ERR, lambda: pg("ERROR", "canceling statement due to statement timeout")),
            T(ERR, lambda: pg("ERROR", "deadlock detected")),
            T(CRIT, lambda: pg("FATAL", f"password authentication failed for user \"{v.bad_user()}\"")),
            T(CRIT, lambda: pg("FATAL", "remaining connection slots are reserved for non-replication superuser connections")),
        ],
        err_p=0.012, warn_p=0.02,
    ))

    def pgb_client() -> str:
        return f"C-0x{v.hexs(12)}: shop/app@{v.ip()}:{v.port()}"

    s.append(Service(
        "pgbouncer", hosts=DB, formats={RFC3164: 2}, facility=LOCAL0,
        normal=[
            T(INFO, lambda: f"stats: {v.i(10, 900)} xacts/s, {v.i(100, 9000)} queries/s, in {v.i(10000, 900000)} B/s, out {v.i(10000, 9_000_000)} B/s, xact {v.i(300, 9000)} us, query {v.i(100, 3000)} us, wait {v.i(0, 900)} us", 2),
            T(INFO, lambda: f"{pgb_client()} login attempt: db=shop user=app tls=TLSv1.3/TLS_AES_256_GCM_SHA384/ECDH=X25519", 3),
            T(INFO, lambda: f"{pgb_client()} closing because: client close request (age={v.i(0, 9999)}s)", 3),
            T(INFO, lambda: f"S-0x{v.hexs(12)}: shop/app@{v.ip()}:5432 new connection to server (from {v.ip()}:{v.port()})"),
            T(INFO, lambda: f"S-0x{v.hexs(12)}: shop/app@{v.ip()}:5432 closing because: server idle timeout (age={v.i(600, 9999)}s)"),
        ],
        warn=[T(WARNING, lambda: f"{pgb_client()} pooler error: query_wait_timeout")],
        err=[T(ERR, lambda: f"{pgb_client()} pooler error: no more connections allowed (max_client_conn)"), T(ERR, lambda: f"S-0x{v.hexs(12)}: shop/app@{v.ip()}:5432 closing because: server conn crashed? (age={v.i(0, 999)}s)")],
        err_p=0.01, warn_p=0.02,
    ))

    s.append(Service(
        "unattended-upgrade", hosts=HOSTS, formats={RFC3164: 0.2}, facility=USER,
        normal=[
            T(INFO, lambda: "Starting unattended upgrades script"),
            T(INFO, lambda: "Allowed origins are: origin=Debian,codename=bookworm,label=Debian, origin=Debian,codename=bookworm,label=Debian-Security, origin=Debian,codename=bookworm-security,label=Debian-Security"),
            T(INFO, lambda: f"Packages that will be upgraded: {' '.join(v.pick(('libssl3', 'openssl', 'curl', 'libcurl4', 'tzdata', 'linux-image-amd64', 'libc6', 'openssh-server', 'sudo')) for _ in range(v.i(1, 4)))}"),
            T(INFO, lambda: "All upgrades installed"),
            T(INFO, lambda: "No packages found that can be upgraded unattended and no pending auto-removals"),
        ],
        warn=[T(WARNING, lambda: "Package linux-image-amd64 has conffile prompt and needs to be upgraded manually")],
        err=[T(ERR, lambda: "An error occurred: E:Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 12345 (apt-get)")],
        err_p=0.02, warn_p=0.05,
    ))

    def hclog(level: str, text: str) -> str:
        return f"[{level}]{' ' * (6 - len(level))}{text}"

    s.append(Service(
        "vault", hosts=APP[:3], formats={RFC5424: 2}, facility=LOCAL2, msgids=("-", "audit"), sd=sd_meta, precision=6,
        normal=[
            T(INFO, lambda: hclog("INFO", f"expiration: revoked lease: lease_id=auth/kubernetes/login/{v.hexs(40)}"), 4),
            T(INFO, lambda: hclog("INFO", "core: successful mount: namespace=\"\" path=secret/ type=kv version=\"v0.20.0+builtin\"")),
            T(INFO, lambda: hclog("INFO", f"secrets.database.database_{v.hexs(8)}: rotated credentials: name=readonly-{v.pick(('shop', 'billing', 'auth'))} ttl={v.pick(('1h', '24h'))}"), 2),
            T(INFO, lambda: hclog("INFO", "core.autoseal: seal configuration missing, but cannot check old path as core is sealed")),
            T(DEBUG, lambda: hclog("DEBUG", f"auth.kubernetes.auth_kubernetes_{v.hexs(8)}: login: role={v.pick(('checkout', 'payments', 'auth'))} service_account=default namespace=prod")),
        ],
        warn=[T(WARNING, lambda: hclog("WARN", f"core: cannot renew lease: lease_id=database/creds/readonly/{v.hexs(24)} error=\"lease expired\""))],
        err=[T(ERR, lambda: hclog("ERROR", "core: failed to lookup token: error=\"context canceled\"")), T(ERR, lambda: hclog("ERROR", "secrets.database: error rotating root credentials: error=\"pq: password authentication failed for user \\\"vault\\\"\""))],
        err_p=0.01, warn_p=0.03,
    ))

    s.append(Service(
        "consul", hosts=HOSTS, formats={RFC5424: 3}, facility=LOCAL3, msgids=("-",), sd=sd_meta, precision=6,
        normal=[
            T(INFO, lambda: hclog("INFO", f"agent: Synced check: check=service:{v.pick(('checkout', 'cart', 'payments', 'search', 'auth'))}-{v.i(1, 6)}"), 4),
            T(INFO, lambda: hclog("INFO", f"agent: Synced service: service={v.pick(('checkout', 'cart', 'payments', 'search', 'auth'))}-{v.i(1, 6)}")),
            T(INFO, lambda: hclog("INFO", f"agent.server.serf.lan: serf: EventMemberUpdate: {v.pick(HOSTS)}")),
            T(INFO, lambda: hclog("INFO", f"agent.server.raft: snapshot complete up to: index={v.seq(40_000_000, 25)}")),
            T(INFO, lambda: hclog("INFO", f"agent: Deregistered service: service={v.pick(('checkout', 'cart'))}-{v.hexs(8)}")),
        ],
        warn=[
            T(WARNING, lambda: hclog("WARN", f"agent: Check is now critical: check=service:{v.pick(('checkout', 'cart', 'payments', 'search', 'auth'))}-{v.i(1, 6)}")),
            T(WARNING, lambda: hclog("WARN", "agent.server.raft: heartbeat timeout reached, starting election: last-leader-addr= last-leader-id=")),
        ],
        err=[T(ERR, lambda: hclog("ERROR", f"agent.server.memberlist.lan: memberlist: Push/Pull with {v.pick(HOSTS)} failed: dial tcp {v.ip()}:8301: i/o timeout"))],
        err_p=0.01, warn_p=0.05,
    ))

    s.append(Service(
        "etcd", hosts=APP[:3], formats={RFC5424: 2}, facility=LOCAL3, msgids=("-",), sd=sd_meta, precision=6,
        normal=[
            T(INFO, lambda: f"compact: finished scheduled compaction at {v.seq(40_000_000, 25)} (took {v.ms(20)}.{v.i(0, 999)}ms)", 3),
            T(INFO, lambda: f"triggering snapshot local-member-id={v.hexs(16)} local-member-applied-index={v.seq(40_000_000, 25)} local-member-snapshot-count=10000"),
            T(INFO, lambda: f"saved snapshot snapshot-index={v.seq(40_000_000, 25)}"),
            T(INFO, lambda: f"compacted Raft logs compact-index={v.seq(40_000_000, 25)}"),
            T(INFO, lambda: f"purged file path=/var/lib/etcd/member/snap/{v.bits(64):016x}-{v.bits(64):016x}.snap"),
        ],
        warn=[T(WARNING, lambda: f"apply request took too long took={v.ms(150) + 100}ms expected-duration=100ms prefix=\"read-only range \" request=\"key:\\\"/registry/pods/prod/\\\" range_end:\\\"/registry/pods/prod0\\\" \" response=\"range_response_count:{v.i(1, 400)} size:{v.i(1000, 900000)}\"", 3)],
        err=[T(ERR, lambda: f"failed to send out heartbeat on time (exceeded the 100ms timeout for {v.ms(200)}ms, to {v.hexs(16)})")],
        err_p=0.01, warn_p=0.08,
    ))

    def logfmt(level: str, caller: str, rest: str) -> str:
        return f"ts={v.iso_ns()[:-7]}Z caller={caller} level={level} {rest}"

    s.append(Service(
        "prometheus", hosts=MON, formats={RFC5424: 2}, facility=LOCAL4, msgids=("-",), sd=sd_meta,
        normal=[
            T(INFO, lambda: logfmt("info", "compact.go:576", f"component=tsdb msg=\"write block\" mint={(int(ctx.t) - 7200) * 1000} maxt={int(ctx.t) * 1000} ulid=01J{v.hexs(23).upper()} duration={v.ms(900)}.{v.i(0, 999)}ms ooo=false"), 2),
            T(INFO, lambda: logfmt("info", "head.go:1355", f"component=tsdb msg=\"Head GC completed\" caller=truncateMemory duration={v.ms(80)}.{v.i(0, 999)}ms")),
            T(INFO, lambda: logfmt("info", "checkpoint.go:101", f"component=tsdb msg=\"Creating checkpoint\" from_segment={v.i(100, 999)} to_segment={v.i(1000, 1999)} mint={int(ctx.t) * 1000}")),
            T(INFO, lambda: logfmt("info", "db.go:1692", f"component=tsdb msg=\"Deleting obsolete block\" block=01J{v.hexs(23).upper()}")),
            T(INFO, lambda: logfmt("info", "main.go:1391", "msg=\"Completed loading of configuration file\" filename=/etc/prometheus/prometheus.yml totalDuration=12.345ms")),
        ],
        warn=[T(WARNING, lambda: logfmt("warn", "scrape.go:1919", f"component=\"scrape manager\" scrape_pool=node target=http://{v.ip()}:9100/metrics msg=\"Append failed\" err=\"out of bounds\""))],
        err=[T(ERR, lambda: logfmt("error", "notifier.go:567", "component=notifier alertmanager=http://alertmanager:9093/api/v2/alerts count=1 msg=\"Error sending alert\" err=\"Post \\\"http://alertmanager:9093/api/v2/alerts\\\": context deadline exceeded\""))],
        err_p=0.01, warn_p=0.05,
    ))

    ALERTS = ("HighErrorRate", "HighLatencyP99", "DiskWillFillIn4Hours", "PodCrashLooping", "PostgresReplicationLag", "CertificateExpiresSoon", "NodeMemoryPressure")
    s.append(Service(
        "alertmanager", hosts=MON, formats={RFC5424: 0.5}, facility=LOCAL4, msgids=("-",), sd=sd_meta,
        normal=[
            T(INFO, lambda: logfmt("info", "dispatch.go:353", f"component=dispatcher msg=\"Notify success\" receiver={v.pick(('pagerduty', 'slack-ops', 'email'))} integration={v.pick(('pagerduty', 'slack', 'email'))}[0] attempts=1 alertname={v.pick(ALERTS)}"), 3),
            T(INFO, lambda: logfmt("info", "silence.go:390", f"component=silences msg=\"Maintenance done\" duration={v.ms(10)}.{v.i(0, 999)}ms size={v.i(100, 9000)}")),
            T(INFO, lambda: logfmt("info", "nflog.go:338", f"component=nflog msg=\"Maintenance done\" duration={v.ms(10)}.{v.i(0, 999)}ms size={v.i(100, 9000)}")),
            T(INFO, lambda: logfmt("info", "cluster.go:700", "component=cluster msg=\"gossip settled; proceeding\" elapsed=10.002s")),
            T(DEBUG, lambda: logfmt("debug", "dispatch.go:165", f"component=dispatcher msg=\"Received alert\" alert={v.pick(ALERTS)}[{v.hexs(7)}][active]")),
        ],
        warn=[T(WARNING, lambda: logfmt("warn", "notify.go:848", f"component=dispatcher receiver=slack-ops integration=slack[0] msg=\"Notify attempt failed, will retry later\" attempts={v.i(1, 5)} err=\"unexpected status code 429\""))],
        err=[T(ERR, lambda: logfmt("error", "dispatch.go:360", "component=dispatcher msg=\"Notify for alerts failed\" num_alerts=3 err=\"pagerduty/pagerduty[0]: notify retry canceled after 16 attempts: context deadline exceeded\""))],
        err_p=0.01, warn_p=0.05,
    ))

    # ---- application services (NDJSON, some also RFC 5424) --------------------------------

    def json_fields_builder(kind: str, name: str):
        """A fragment of extra JSON fields (starting with a comma) for one line."""
        version = f"{1 + zlib.crc32(name.encode()) % 4}.{zlib.crc32(name.encode()[::-1]) % 60}.{zlib.crc32(name.encode()) % 9}"
        pkg = name.replace("-", "")
        # Each kind adds its own keys; no two kinds share one, so any combination is valid JSON
        # without duplicate keys.
        if kind == "request":
            return lambda: f',"request_id":"{v.uuid()}","duration_ms":{v.ms(30)}' + (f',"user":{{"id":{v.uid()}}}' if v.r() < 0.7 else "")
        if kind == "trace":
            # Traces are sampled: about half the lines carry one.
            return lambda: f',"trace_id":"{v.hexs(32)}","span_id":"{v.hexs(16)}"' if v.r() < 0.5 else ""
        if kind == "http":
            return lambda: f',"req_id":"{v.hexs(20)}","http":{{"method":"{v.method()}","path":"{v.http_path()}","status":{v.http_status()},"latency_ms":{v.ms(40)}}},"client_ip":"{v.client_ip()}"'
        if kind == "java":
            classes = ("Controller", "Service", "Repository", "Client", "Listener", "Scheduler")
            return lambda: f',"logger":"com.example.{pkg}.{pkg.capitalize()}{v.pick(classes)}","thread":"http-nio-8080-exec-{v.i(1, 200)}","version":"{version}"'
        if kind == "tenant":
            return lambda: f',"tenant":"{v.tenant()}","region":"{REGION[ctx.host]}"'
        if kind == "kafka":
            return lambda: f',"topic":"{name}-events","partition":{v.i(0, 11)},"offset":{v.seq(300_000_000, 120)},"lag":{int(v.r() ** 4 * 5000)}'
        if kind == "go":
            return lambda: f',"caller":"{v.pick(("handler", "store", "worker", "client"))}/{v.pick(("http", "db", "queue", "cache"))}.go:{v.i(20, 900)}","pid":{v.i(7, 99)},"version":"{version}"'
        raise ValueError(kind)

    def app_service(name, entity, plural, *, formats, hosts, extra_normal=(), extra_warn=(), extra_err=(), fields=("request",), style="go", err_p=0.02, warn_p=0.05, deps=("postgres", "redis", "kafka")):
        deps = list(deps)
        builders = [json_fields_builder(k, name) for k in fields]
        if len(builders) == 1:
            fields_fn = builders[0]
        else:
            fields_fn = lambda: "".join(b() for b in builders)  # noqa: E731
        normal = [
            T(INFO, lambda: f"GET /api/v1/{plural}/{v.i(1, 900_000)} completed status=200 in {v.ms(25)}ms", 3),
            T(INFO, lambda: f"{entity} {v.uuid()} processed in {v.ms(40)} ms (attempt 1)", 2),
            T(INFO, lambda: f"published event {entity}.updated id={v.uuid()} topic={name}-events partition={v.i(0, 11)} offset={v.seq(300_000_000, 120)}", 2),
            T(DEBUG, lambda: f"cache miss for key {entity}:{v.i(1, 900_000)}, loading from db"),
            T(NOTICE, lambda: f"scheduled job {entity}-reconcile finished: scanned={v.i(100, 90000)} updated={v.i(0, 900)} duration={v.ms(900)}ms"),
            T(INFO, lambda: f"POST /api/v1/{plural} from {v.client_ip()} user={v.uid()} -> 201 ({v.ms(60)} ms, {v.i(200, 9000)} bytes)", 2),
            *extra_normal,
        ]
        warn = [
            T(WARNING, lambda: f"slow query on {plural} took {v.ms(400) + 500} ms (threshold 500 ms): SELECT * FROM {plural.replace('-', '_')} WHERE tenant_id = '{v.tenant()}' AND status = 'pending'"),
            T(WARNING, lambda: f"retrying request to {v.pick(deps)}: attempt {v.i(2, 5)}/5 after {v.pick((100, 200, 400, 800, 1600))}ms backoff"),
            T(NOTICE, lambda: f"circuit breaker '{v.pick(deps)}' half-open, allowing trial request"),
            *extra_warn,
        ]
        err = [
            T(ERR, lambda: f"failed to process {entity} {v.uuid()}: upstream {v.pick(deps)} returned 503 Service Unavailable", 2),
            T(ERR, lambda: f"timeout after {v.pick((1000, 2000, 5000, 30000))}ms calling {v.pick(deps)} at http://{v.ip()}:8080/internal/{plural}/{v.i(1, 900_000)}", 2),
            T(ERR, lambda: f"database error: could not serialize access due to concurrent update (SQLSTATE 40001) on {entity} {v.i(1, 900_000)}"),
            T(CRIT, lambda: f"panic recovered in handler /api/v1/{plural}: runtime error: invalid memory address or nil pointer dereference"),
            *extra_err,
        ]
        return Service(name, hosts=hosts, formats=formats, facility=LOCAL5, normal=normal, warn=warn, err=err, err_p=err_p, warn_p=warn_p,
                       json_fields=fields_fn, level_style=style, msgids=("-", "http", "audit", "ID47"), sd=sd_meta, precision=3)

    pick = v.pick
    s.append(app_service(
        "checkout", "checkout", "checkouts", formats={JSON: 9}, hosts=APP, fields=("request", "tenant"), style="java",
        deps=("payments", "inventory", "pricing", "shipping", "postgres"),
        extra_normal=[
            T(INFO, lambda: f"checkout started cart={v.uuid()} user={v.uid()} items={v.i(1, 12)}", 4),
            T(INFO, lambda: f"order {v.order_id()} placed total={v.amount()} {v.currency()} items={v.i(1, 12)} payment_method={pick(('card', 'card', 'paypal', 'klarna', 'apple_pay'))}", 4),
            T(INFO, lambda: f"applied coupon \"{pick(('WELCOME10', 'BLACKFRIDAY', 'FREESHIP', 'VIP20', 'NOV26'))}\" to cart {v.uuid()}: -{v.amount()} {v.currency()}", 2),
            T(INFO, lambda: f"shipping quote for order {v.order_id()}: carrier={pick(('dhl', 'ups', 'postnl', 'gls'))} service={pick(('standard', 'express'))} eta={v.i(1, 6)}d cost={v.amount()}", 2),
        ],
        extra_warn=[T(WARNING, lambda: f"inventory reservation for sku {v.sku()} partially failed: requested={v.i(2, 9)} reserved={v.i(0, 1)}")],
        extra_err=[T(ERR, lambda: f"payment authorization failed for order {v.order_id()}: card_declined (decline_code=\"{pick(('insufficient_funds', 'do_not_honor', 'expired_card', 'fraudulent'))}\")", 3)],
    ))
    s.append(app_service(
        "payments", "payment", "payments", formats={JSON: 6, RFC5424: 3}, hosts=APP[:4], fields=("request", "trace"), style="go",
        deps=("psp-gateway", "ledger-api", "postgres", "fraud-consumer"),
        extra_normal=[
            T(INFO, lambda: f"authorized payment pi_{v.hexs(24)} amount={v.amount()} {v.currency()} card=**** {v.i(1000, 9999)} brand={pick(('visa', 'mastercard', 'amex'))}", 4),
            T(INFO, lambda: f"captured charge ch_{v.hexs(24)} for order {v.order_id()}", 3),
            T(INFO, lambda: f"refund re_{v.hexs(24)} issued amount={v.amount()} {v.currency()} reason={pick(('requested_by_customer', 'duplicate', 'fraudulent'))}"),
            T(INFO, lambda: f"webhook evt_{v.hexs(24)} received type={pick(('payment_intent.succeeded', 'charge.refunded', 'payout.paid', 'charge.dispute.created'))}", 2),
            T(NOTICE, lambda: f"3DS challenge required for payment pi_{v.hexs(24)}"),
        ],
        extra_err=[
            T(ERR, lambda: f"PSP request failed: POST https://api.psp.example/v1/charges -> 502 Bad Gateway (request-id req_{v.hexs(14)})", 2),
            T(CRIT, lambda: f"ledger mismatch for payout po_{v.hexs(24)}: expected {v.amount()} got {v.amount()}"),
        ],
    ))
    s.append(app_service(
        "auth", "token", "tokens", formats={JSON: 6, RFC5424: 2}, hosts=APP, fields=("request",), style="long",
        deps=("postgres", "redis", "idp"),
        extra_normal=[
            T(INFO, lambda: f"login succeeded for user {v.uid()} via {pick(('password', 'password', 'sso', 'passkey'))} from {v.client_ip()}", 5),
            T(INFO, lambda: f"issued access token jti={v.uuid()} for client \"{pick(('web', 'ios', 'android', 'partner-api'))}\" scope=\"openid profile email\" ttl=3600s", 5),
            T(INFO, lambda: f"refresh token rotated for session {v.session()}", 3),
            T(NOTICE, lambda: f"MFA challenge sent to user {v.uid()} via {pick(('totp', 'sms', 'webauthn'))}"),
            T(INFO, lambda: f"logout user {v.uid()} session {v.session()}"),
        ],
        extra_warn=[
            T(WARNING, lambda: f"login failed for user \"{v.email()}\" from {v.ext_ip()}: invalid credentials (attempt {v.i(1, 10)})", 4),
            T(WARNING, lambda: f"rate limit exceeded for {v.ext_ip()} on /oauth/token ({v.i(20, 400)} req/min)"),
        ],
        extra_err=[
            T(ERR, lambda: "JWKS refresh from https://idp.example.com/.well-known/jwks.json failed: x509: certificate has expired or is not yet valid"),
            T(ERR, lambda: f"failed to verify token signature kid={v.hexs(16)}: crypto/rsa: verification error"),
        ],
    ))
    s.append(app_service(
        "search", "document", "documents", formats={JSON: 7}, hosts=APP[2:], fields=("request", "go"), style="go",
        deps=("elasticsearch", "catalog", "redis"),
        extra_normal=[
            T(INFO, lambda: f"query \"{v.words()}\" returned {int(v.r() ** 3 * 5000)} hits in {v.ms(30)}ms (index=products-v{v.i(40, 43)}, shards=5)", 8),
            T(INFO, lambda: f"indexed {v.i(1, 500)} documents into products-v{v.i(40, 43)} in {v.ms(200)}ms", 2),
            T(INFO, lambda: f"autocomplete prefix=\"{v.words(1, 1)[:v.i(2, 5)]}\" hits={v.i(0, 10)}", 4),
            T(INFO, lambda: f"reindex batch {v.i(1, 400)}/400 complete"),
            T(NOTICE, lambda: f"refreshing synonyms from s3://search-config/synonyms-2026-11-{v.i(1, 7):02d}.txt"),
        ],
        extra_warn=[T(WARNING, lambda: f"query \"{v.words()}\" took {v.ms(400) + 800}ms exceeding SLO of 800ms")],
        extra_err=[T(ERR, lambda: f"shard [products-v{v.i(40, 43)}][{v.i(0, 4)}] failed: EsRejectedExecutionException[rejected execution of coordinating operation, queue capacity 1000]")],
    ))

    simple_apps = [
        # name, entity, plural, formats, hosts, fields, style
        ("inventory", "sku", "skus", {JSON: 4}, APP[:3], ("java", "kafka"), "java"),
        ("cart", "cart", "carts", {JSON: 6}, APP, ("request", "tenant"), "go"),
        ("catalog", "product", "products", {JSON: 5}, APP[3:], ("http",), "go"),
        ("shipping", "shipment", "shipments", {JSON: 2.5, RFC5424: 1}, APP[:2], ("request", "java"), "java"),
        ("notifications", "notification", "notifications", {JSON: 3}, APP[1:3], ("kafka",), "long"),
        ("recommendations", "recommendation", "recommendations", {JSON: 3}, APP[4:], ("trace", "go"), "go"),
        ("user-profile", "profile", "profiles", {JSON: 2.5}, APP[:3], ("request", "java", "trace"), "java"),
        ("billing", "invoice", "invoices", {JSON: 2, RFC5424: 1.5}, APP[2:4], ("tenant", "trace"), "java"),
        ("api-gateway", "route", "routes", {JSON: 8, RFC5424: 2}, WEB, ("http", "trace"), "go"),
        ("orders", "order", "orders", {JSON: 5}, APP, ("request", "kafka"), "java"),
        ("pricing", "price", "prices", {JSON: 3}, APP[3:], ("request",), "go"),
    ]
    for name, entity, plural, formats, hosts, fields, style in simple_apps:
        s.append(app_service(name, entity, plural, formats=formats, hosts=hosts, fields=fields, style=style,
                             deps=tuple(x for x in ("postgres", "redis", "kafka", "payments", "catalog", "auth") if x != name)[:4]))

    # Generated services: nouns × roles, to reach 57 services; deterministic, independent of --seed.
    nouns = [("invoice", "invoices"), ("ledger", "ledgers"), ("media", "media"), ("fraud", "fraud-checks"), ("email", "emails"),
             ("feed", "feeds"), ("geo", "geo-zones"), ("tax", "taxes"), ("coupon", "coupons"), ("review", "reviews"),
             ("report", "reports"), ("session", "sessions"), ("webhook", "webhooks"), ("loyalty", "loyalty-points"),
             ("wishlist", "wishlists")]
    roles = ["worker", "api", "indexer", "consumer", "scheduler"]
    kinds = [("request",), ("kafka",), ("trace", "go"), ("java", "request"), ("tenant", "request"), ("http",), ("go",), ("java", "kafka", "trace")]
    styles = ["go", "java", "long"]
    for i, (noun, plural) in enumerate(nouns):
        name = f"{noun}-{roles[i % len(roles)]}"
        formats = {JSON: 0.6 + (i % 4) * 0.3}
        if i % 3 == 0:
            formats[RFC5424] = 0.8
        hosts = [APP[(i + k) % len(APP)] for k in range(2 + i % 3)]
        s.append(app_service(name, noun, plural, formats=formats, hosts=hosts, fields=kinds[i % len(kinds)], style=styles[i % 3],
                             err_p=0.01 + (i % 5) * 0.005,
                             extra_normal=[T(INFO, lambda noun=noun: f"{noun} batch {v.hexs(12)} committed: {v.i(1, 500)} records in {v.ms(120)}ms", 2)]))
    return s


# --------------------------------------------------------------------------------------------
# Error bursts


class Burst:
    __slots__ = ("start", "end", "service", "hosts", "templates", "rate", "fmt")


BURST_SERVICES = ("postgres", "nginx", "haproxy", "kubelet", "kernel", "pgbouncer", "redis-server")


def plan_bursts(rng: random.Random, services: list[Service], candidates: list[Service] | None = None) -> list[Burst]:
    """About one burst every six hours: a few minutes in which one service (on one host, or all of
    its hosts) emits err/crit lines, some 20–80 % on top of the normal traffic. The bursting
    service is one of `candidates` (by default the servers of BURST_SERVICES and the JSON apps)."""
    if candidates is None:
        candidates = [s for s in services if s.name in BURST_SERVICES or s.json_fields is not None]
    bursts = []
    t = START + rng.uniform(600, 6 * 3600)
    while t < START + SPAN - 600:
        b = Burst()
        b.start = t
        b.end = t + rng.uniform(60, 420)
        b.service = rng.choice(candidates)
        b.hosts = [rng.choice(b.service.hosts)] if rng.random() < 0.6 else b.service.hosts
        k = 1 + (rng.random() < 0.4)
        b.templates = rng.sample(b.service.err, k) if len(b.service.err) >= k else list(b.service.err)
        b.rate = rng.uniform(0.2, 0.8)
        weights = b.service.formats
        b.fmt = max(weights, key=lambda f: weights[f]) if weights else None
        bursts.append(b)
        t = b.end + rng.expovariate(1 / (6 * 3600))
    return bursts


# --------------------------------------------------------------------------------------------
# Main loop


def generate(out, target: int, seed: int, rare_every: int, progress: bool) -> dict:
    rng = random.Random(seed)
    r = rng.random
    clock = build_clock(rng)
    tf = TimeFormats()
    ctx = Ctx()
    v = V(rng, ctx, tf)
    services = build_services(v, ctx)
    bursts = plan_bursts(rng, services)

    # Per-format weighted service lists.
    by_format = []
    for f in (RFC3164, RFC5424, JSON):
        names = [s for s in services if f in s.formats]
        cum, acc = [], 0.0
        for s in names:
            acc += s.formats[f]
            cum.append(acc)
        by_format.append((names, [c / acc for c in cum]))
    share1 = FORMAT_SHARE[0]
    share2 = FORMAT_SHARE[0] + FORMAT_SHARE[1]
    right = bisect.bisect_right

    lines = 0
    written = 0
    per_format = [0, 0, 0]
    err_or_worse = 0
    rare_lines: list[int] = []
    next_rare = rng.randint(rare_every // 2, rare_every * 3 // 2) if rare_every > 0 else -1
    burst_lines = 0
    bursts_seen: set[int] = set()
    window_lo, window_hi = WINDOW
    window_lines = 0
    at_window_end = 0
    t_min, t_max = float("inf"), float("-inf")
    bi = 0
    nb = len(bursts)
    buf: list[str] = []
    buf_bytes = 0
    flush_at = 8 << 20
    started = time.monotonic()
    next_report = 0.1
    jitter_p = 0.04

    def make_line(svc: Service, fmt: int, host: str, t: float, sev: int, msg: str) -> str:
        sec = int(t)
        if fmt == RFC3164:
            ts = tf(sec)[0]
            pid = svc.pid_mode
            if pid is None:
                return f"<{svc.facility * 8 + sev}>{ts} {host} {svc.tag}: {msg}\n"
            if pid == "stable":
                pid = svc.pids[host]
            elif pid == "random":
                pid = v.pid()
            return f"<{svc.facility * 8 + sev}>{ts} {host} {svc.tag}[{pid}]: {msg}\n"
        if fmt == RFC5424:
            ts = tf(sec)[1]
            frac = f"{int((t - sec) * 1e6):06d}" if svc.precision == 6 else f"{int((t - sec) * 1e3):03d}"
            pid = svc.pid_mode
            procid = "-" if pid is None else svc.pids[host] if pid == "stable" else v.pid() if pid == "random" else pid
            sd = svc.sd() if svc.sd else "-"
            msgid = svc.msgids[int(r() * len(svc.msgids))]
            return f"<{svc.facility * 8 + sev}>1 {ts}.{frac}Z {host} {svc.tag} {procid} {msgid} {sd} {msg}\n"
        ts = tf(sec)[1]
        if '"' in msg or "\\" in msg:
            msg = json.dumps(msg)[1:-1]
        extra = svc.json_fields() if svc.json_fields else ""
        return (f'{{"time":"{ts}.{int((t - sec) * 1e3):03d}Z","level":"{svc.levels[sev]}","service":"{svc.name}",'
                f'"host":"{host}","msg":"{msg}"{extra}}}\n')

    done = False
    while not done:
        t = clock(written / target)
        if r() < jitter_p:  # late arrival: a few seconds out of order
            t = max(float(START), t - 0.2 - 4.8 * r())
        # A normal line.
        u = r()
        fmt = RFC3164 if u < share1 else RFC5424 if u < share2 else JSON
        names, cum = by_format[fmt]
        svc = names[right(cum, r())] if len(names) > 1 else names[0]
        host = svc.hosts[int(r() * len(svc.hosts))]
        ctx.t, ctx.host, ctx.service = t, host, svc.name
        sev, fn = pick(svc, r, svc.err_p)
        batch = [(svc, fmt, host, t, sev, fn(), False)]
        # Error bursts, on top.
        while bi < nb and t >= bursts[bi].end:
            bi += 1
        if bi < nb and t >= bursts[bi].start:
            b = bursts[bi]
            if r() < b.rate:
                bsvc = b.service
                bhost = b.hosts[int(r() * len(b.hosts))]
                bt = t + r() * 0.05
                ctx.t, ctx.host, ctx.service = bt, bhost, bsvc.name
                bsev, bfn = b.templates[int(r() * len(b.templates))]
                batch.append((bsvc, b.fmt, bhost, bt, bsev, bfn(), True))
                bursts_seen.add(bi)
        for svc, fmt, host, t, sev, msg, in_burst in batch:
            lines += 1
            if lines == next_rare:
                msg += " RAREWORD"
            line = make_line(svc, fmt, host, t, sev, msg)
            n = len(line)
            if written + n > target:
                lines -= 1
                done = True
                break
            if lines == next_rare:
                rare_lines.append(lines)
                next_rare = lines + rng.randint(rare_every // 2, rare_every * 3 // 2)
            buf.append(line)
            written += n
            buf_bytes += n
            per_format[fmt] += 1
            if sev <= ERR:
                err_or_worse += 1
            if in_burst:
                burst_lines += 1
            sec = int(t)
            if window_lo <= sec < window_hi:
                window_lines += 1
            elif sec == window_hi:
                # Lines whose written timestamp is exactly the window end (an inclusive --until).
                if fmt == RFC3164 or (t - sec) * (1e6 if fmt == RFC5424 and svc.precision == 6 else 1e3) < 1:
                    at_window_end += 1
            if t < t_min:
                t_min = t
            if t > t_max:
                t_max = t
        if buf_bytes >= flush_at or done:
            out.write("".join(buf))
            buf.clear()
            buf_bytes = 0
            if progress and written / target >= next_report:
                el = time.monotonic() - started
                print(f"  {written / target:4.0%}  {written / 1e6:8.0f} MB  {lines:>10,} lines  {el:6.1f} s  {written / 1e6 / el:5.1f} MB/s",
                      file=sys.stderr)
                next_report += 0.1
    out.flush()
    elapsed = time.monotonic() - started
    return {
        "seed": seed,
        "bytes": written,
        "lines": lines,
        "formats": dict(zip(FORMAT_NAMES, per_format)),
        "rareword_lines": len(rare_lines),
        "rareword_line_numbers": rare_lines,
        "err_or_worse_lines": err_or_worse,
        "bursts": len(bursts_seen),
        "burst_lines": burst_lines,
        "services": len(services),
        "hosts": len(HOSTS),
        "templates": sum(s.templates for s in services),
        "span_start": START,
        "span_end": START + SPAN,
        "first_event": t_min,
        "last_event": t_max,
        "window": {"since": iso(WINDOW[0]), "until": iso(WINDOW[1]), "lines_half_open": window_lines,
                   "lines_at_until": at_window_end},
        "elapsed_s": round(elapsed, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--size", type=parse_size, default=parse_size("100MiB"), help="target size: 100MiB, 1GiB, 500MB or bytes (default 100MiB); the file ends on a whole line at most this size")
    ap.add_argument("--out", required=True, help="output file, or - for stdout")
    ap.add_argument("--rare-every", type=int, default=2_000_000, help="lines between RAREWORD lines, on average (default 2000000; 0 for none)")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args()

    if args.out == "-":
        stats = generate(sys.stdout, args.size, args.seed, args.rare_every, False)
    else:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        tmp = args.out + ".tmp"
        with open(tmp, "w", encoding="ascii", newline="\n", buffering=1 << 20) as out:
            stats = generate(out, args.size, args.seed, args.rare_every, not args.quiet)
        os.replace(tmp, args.out)
        with open(args.out + ".stats.json", "w", encoding="ascii") as f:
            json.dump(stats, f, indent=2)
            f.write("\n")

    lines = max(stats["lines"], 1)
    el = max(stats["elapsed_s"], 1e-9)
    pf = stats["formats"]
    w = stats["window"]
    print(
        f"bytes:          {stats['bytes']:,} ({stats['bytes'] / 2**20:.1f} MiB)\n"
        f"lines:          {stats['lines']:,} (mean {stats['bytes'] / lines:.0f} bytes)\n"
        + "".join(f"  {k + ':':14}{n:,} ({n / lines:.1%})\n" for k, n in pf.items())
        + f"RAREWORD lines: {stats['rareword_lines']} (line numbers {stats['rareword_line_numbers']})\n"
        f"err or worse:   {stats['err_or_worse_lines']:,} ({stats['err_or_worse_lines'] / lines:.2%}), of which {stats['burst_lines']:,} in {stats['bursts']} bursts\n"
        f"services/hosts: {stats['services']} services ({stats['templates']} templates) on {stats['hosts']} hosts\n"
        f"time span:      {iso(stats['first_event'])} .. {iso(stats['last_event'])} (nominal {iso(START)} .. {iso(START + SPAN)})\n"
        f"1% window:      {w['since']} .. {w['until']}: {w['lines_half_open']:,} lines in [since, until), {w['lines_at_until']} more at exactly until\n"
        f"generated in:   {el:.1f} s ({stats['bytes'] / 1e6 / el:.1f} MB/s, {stats['lines'] / el:,.0f} lines/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
