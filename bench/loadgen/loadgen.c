/*
 * loadgen: load generator for the vigild daemon benchmark (bench/daemon-bench.sh).
 *
 *   loadgen udp  --host H --port P [--rate MSGS_PER_S] (--count N | --duration S)
 *                [--batch 64] [--seed 42] [--pool 65536] [--times week|ordered|now]
 *   loadgen http --host H --port P [--conns 4] [--batch 1000] (--duration S | --requests N)
 *                [--path /v1/logs] [--seed 42] [--bodies 8] [--times week|ordered|now]
 *
 * --times: `week` (default) stamps records at random times in 1-7 Nov 2026, which the detectors
 * treat as late, so only ingestion is measured; `ordered` stamps the same messages in 1-7 Nov 2026
 * in ascending order (each message pool is one pass through the week, as a real stream's times
 * mostly ascend); `now` stamps them within the 5 s before the generator starts, so the daemon's
 * detectors evaluate every record too.
 *
 * udp:  sends RFC 3164 / RFC 5424 syslog lines (about 60 % / 40 %, 150-250 bytes, many services,
 *       hosts and message shapes, deterministic for a seed) with sendmmsg(2), `--batch` datagrams
 *       per call, paced per batch to `--rate` messages/s (0: as fast as possible). A pool of
 *       `--pool` distinct messages is generated up front and cycled through, so generating costs
 *       nothing during the run. Prints one line of key=value figures.
 * http: `--conns` threads, one keep-alive HTTP/1.1 connection each, POSTing NDJSON bodies of
 *       `--batch` records to `--path` and waiting for each answer before the next request (one
 *       batch in flight per connection). Prints records/s, MB/s (body bytes), latency p50/p99/max
 *       and the count of non-2xx answers, as one line of key=value figures.
 *
 * Build: gcc -O2 -Wall -pthread -o loadgen loadgen.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------------------------ */

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "loadgen: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* splitmix64 / xorshift: deterministic, fast. */
typedef struct { uint64_t s; } rng_t;
static uint64_t rng_next(rng_t *r) {
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint32_t rng_below(rng_t *r, uint32_t n) { return (uint32_t)(rng_next(r) % n); }
/* Skewed pick: a few values are frequent, most are rare. */
static uint32_t rng_skew(rng_t *r, uint32_t n) {
    uint32_t a = rng_below(r, n), b = rng_below(r, n);
    return a < b ? a : b;
}
#define PICK(r, arr) (arr[rng_below((r), sizeof(arr) / sizeof(arr[0]))])
#define NELEM(arr) (sizeof(arr) / sizeof(arr[0]))

/* ---- message content ---------------------------------------------------------------------- */

static const char *HOSTS[] = {"web-01", "web-02", "web-03", "web-04", "web-05", "web-06", "app-01",
                              "app-02", "app-03", "app-04", "app-05", "app-06", "db-01",  "db-02",
                              "db-03",  "cache-01", "cache-02", "lb-01", "lb-02", "mon-01"};
static const char *USERS[] = {"alice", "bob", "carol", "deploy", "root", "backup", "jenkins",
                              "www-data", "postgres", "mallory", "dave", "erin", "frank", "ops"};
static const char *METHODS[] = {"GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH"};
static const char *PATHS[] = {"/api/v1/orders", "/api/v1/cart", "/api/v1/users/me", "/healthz",
                              "/api/v2/search", "/static/app.js", "/api/v1/payments", "/login",
                              "/api/v1/inventory/items", "/metrics", "/api/v1/shipping/quote"};
static const char *SERVICES_APP[] = {"checkout", "payments", "auth", "search", "inventory", "cart",
                                     "catalog", "shipping", "notifications", "billing",
                                     "api-gateway", "orders", "pricing", "user-profile",
                                     "invoice-worker", "ledger-api"};
static const char *LEVELS[] = {"info", "info", "info", "info", "info", "info", "info", "info",
                               "info", "notice", "debug", "warn", "error"};

static void ip_of(rng_t *r, char *out, size_t n) {
    uint32_t k = rng_skew(r, 4000);
    snprintf(out, n, "%u.%u.%u.%u", 10 + (k % 3) * 81, (k >> 3) & 255, (k * 7) & 255, 1 + (k * 13) % 254);
}

static void hex_of(rng_t *r, char *out, int digits) {
    static const char H[] = "0123456789abcdef";
    for (int i = 0; i < digits; i++) out[i] = H[rng_below(r, 16)];
    out[digits] = 0;
}

/* One syslog message body: sets *app, *pid, *sev and writes the free text into msg. */
static void syslog_message(rng_t *r, const char **app, int *pid, int *sev, char *msg, size_t n) {
    char ip[32], hx[40], hx2[40];
    ip_of(r, ip, sizeof ip);
    *pid = 300 + (int)rng_below(r, 60000);
    *sev = 6;
    switch (rng_below(r, 16)) {
    case 0:
        *app = "sshd";
        snprintf(msg, n, "Accepted publickey for %s from %s port %u ssh2: ED25519 SHA256:%s",
                 PICK(r, USERS), ip, 1024 + rng_below(r, 60000), (hex_of(r, hx, 32), hx));
        break;
    case 1:
        *app = "sshd";
        *sev = 4;
        snprintf(msg, n, "Failed password for invalid user %s from %s port %u ssh2 [preauth] attempt=%u of 6",
                 PICK(r, USERS), ip, 1024 + rng_below(r, 60000), 1 + rng_below(r, 6));
        break;
    case 2:
        *app = "CRON";
        snprintf(msg, n, "(%s) CMD (/usr/local/bin/backup.sh --target s3://backups/%s/%u --compress zstd >/dev/null 2>&1)",
                 PICK(r, USERS), PICK(r, HOSTS), rng_below(r, 1000));
        break;
    case 3:
        *app = "systemd";
        snprintf(msg, n, "Started session-%u.scope - Session %u of User %s; unit took %u.%03us to start, memory peak %uK.",
                 rng_below(r, 90000), rng_below(r, 90000), PICK(r, USERS), rng_below(r, 3), rng_below(r, 1000),
                 1000 + rng_below(r, 90000));
        break;
    case 4:
        *app = "kernel";
        *pid = 0;
        *sev = 4;
        snprintf(msg, n, "[%u.%06u] TCP: request_sock_TCP: Possible SYN flooding on port %u. Sending cookies.  Check SNMP counters. src=%s",
                 rng_below(r, 900000), rng_below(r, 1000000), PICK(r, ((int[]){80, 443, 5432, 6379})), ip);
        break;
    case 5:
        *app = "nginx";
        snprintf(msg, n, "%s - - \"%s %s?id=%u HTTP/1.1\" %u %u \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" rt=%u.%03u",
                 ip, PICK(r, METHODS), PICK(r, PATHS), rng_below(r, 100000),
                 PICK(r, ((int[]){200, 200, 200, 200, 201, 204, 301, 304, 404, 500, 502})), 200 + rng_below(r, 40000),
                 rng_below(r, 2), rng_below(r, 1000));
        break;
    case 6:
        *app = "postgres";
        snprintf(msg, n, "[%u-1] user=%s,db=app,app=pgbouncer,client=%s LOG:  duration: %u.%03u ms  statement: SELECT * FROM orders WHERE id = %u",
                 rng_below(r, 100000), PICK(r, USERS), ip, rng_below(r, 3000), rng_below(r, 1000), rng_below(r, 9000000));
        break;
    case 7:
        *app = "haproxy";
        snprintf(msg, n, "%s:%u [04/Nov/2026:11:09:%02u.%03u] fe_https~ be_app/app-%02u %u/0/%u/%u/%u %u %u - - ---- %u/%u/%u/%u/0 0/0",
                 ip, 1024 + rng_below(r, 60000), rng_below(r, 60), rng_below(r, 1000), 1 + rng_below(r, 6),
                 rng_below(r, 20), rng_below(r, 5), rng_below(r, 400), rng_below(r, 500),
                 PICK(r, ((int[]){200, 200, 200, 304, 404, 503})), 300 + rng_below(r, 30000), rng_below(r, 900),
                 rng_below(r, 900), rng_below(r, 90), rng_below(r, 9));
        break;
    case 8:
        *app = "dockerd";
        snprintf(msg, n, "time=\"2026-11-04T11:09:36.%09u Z\" level=info msg=\"container %s health status changed to healthy\" module=libcontainerd",
                 rng_below(r, 1000000000), (hex_of(r, hx, 24), hx));
        break;
    case 9:
        *app = "kubelet";
        *sev = 3;
        snprintf(msg, n, "E1104 11:09:36.%06u %u pod_workers.go:1300] \"Error syncing pod, skipping\" err=\"failed to StartContainer\" pod=\"prod/%s-%s\"",
                 rng_below(r, 1000000), 1000 + rng_below(r, 9000), PICK(r, SERVICES_APP), (hex_of(r, hx, 10), hx));
        break;
    case 10:
        *app = "postfix/smtpd";
        snprintf(msg, n, "%s: client=mail-%u.example.net[%s], sasl_method=PLAIN, sasl_username=%s@example.com",
                 (hex_of(r, hx, 11), hx), rng_below(r, 500), ip, PICK(r, USERS));
        break;
    case 11:
        *app = "redis-server";
        snprintf(msg, n, "%u:M 04 Nov 2026 11:09:36.%03u * %u changes in %u seconds. Saving... Background saving started by pid %u",
                 *pid, rng_below(r, 1000), rng_below(r, 10000), 60 + rng_below(r, 240), 1000 + rng_below(r, 60000));
        break;
    case 12:
        *app = "sudo";
        *sev = 5;
        snprintf(msg, n, "%s : TTY=pts/%u ; PWD=/home/%s ; USER=root ; COMMAND=/usr/bin/systemctl restart %s.service",
                 PICK(r, USERS), rng_below(r, 8), PICK(r, USERS), PICK(r, SERVICES_APP));
        break;
    default: {
        *app = PICK(r, SERVICES_APP);
        const char *lvl = PICK(r, LEVELS);
        *sev = lvl[0] == 'e' ? 3 : lvl[0] == 'w' ? 4 : lvl[0] == 'd' ? 7 : lvl[0] == 'n' ? 5 : 6;
        hex_of(r, hx, 32);
        hex_of(r, hx2, 16);
        snprintf(msg, n, "level=%s msg=\"request completed\" method=%s path=%s status=%u duration_ms=%u trace_id=%s span_id=%s user=%s",
                 lvl, PICK(r, METHODS), PICK(r, PATHS), PICK(r, ((int[]){200, 200, 200, 201, 400, 404, 500})),
                 rng_below(r, 2000), hx, hx2, PICK(r, USERS));
        break;
    }
    }
}

static const char *MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* --times now: the generator's start time (UTC); 0 for --times week or ordered. */
static time_t g_now;
/* --times ordered: the seconds into the week of the next record, and the step between records. */
static int g_ordered;
static double g_ordered_at, g_ordered_step = 1;

/* A record time: year, month (0-11), day, hour, minute, second. */
struct stamp { unsigned year, mon, day, hh, mm, ss; };
static struct stamp record_time(rng_t *r) {
    struct stamp t;
    if (g_now) {
        time_t when = g_now - (time_t)rng_below(r, 5);
        struct tm tm;
        gmtime_r(&when, &tm);
        t = (struct stamp){tm.tm_year + 1900, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
    } else {
        /* One draw after the other (an initializer list's order is unspecified in C), as before --times. */
        t.year = 2026;
        t.mon = 10;
        t.day = 1 + rng_below(r, 7);
        t.hh = rng_below(r, 24);
        t.mm = rng_below(r, 60);
        t.ss = rng_below(r, 60);
        if (g_ordered) {
            /* The same draws as `week` (so the messages are the same), then an ascending time. */
            unsigned at = (unsigned)g_ordered_at % (7 * 86400);
            g_ordered_at += g_ordered_step;
            t.day = 1 + at / 86400;
            t.hh = at / 3600 % 24;
            t.mm = at / 60 % 60;
            t.ss = at % 60;
        }
    }
    return t;
}

/* One full syslog line, RFC 3164 or RFC 5424, into out; returns its length. */
static int syslog_line(rng_t *r, char *out, size_t n) {
    const char *app;
    int pid, sev;
    char msg[512];
    syslog_message(r, &app, &pid, &sev, msg, sizeof msg);
    int facility = PICK(r, ((int[]){1, 3, 3, 4, 10, 16, 16, 17, 23}));
    int pri = facility * 8 + sev;
    const char *host = HOSTS[rng_skew(r, NELEM(HOSTS))];
    struct stamp t = record_time(r);
    unsigned day = t.day, hh = t.hh, mm = t.mm, ss = t.ss;
    int len;
    if (rng_below(r, 10) < 6) {
        /* RFC 3164: <PRI>Mmm dd hh:mm:ss host app[pid]: msg */
        if (pid)
            len = snprintf(out, n, "<%d>%s %2u %02u:%02u:%02u %s %s[%d]: %s", pri, MONTHS[t.mon], day, hh, mm, ss, host, app, pid, msg);
        else
            len = snprintf(out, n, "<%d>%s %2u %02u:%02u:%02u %s %s: %s", pri, MONTHS[t.mon], day, hh, mm, ss, host, app, msg);
    } else {
        /* RFC 5424: <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG */
        char sd[128] = "-";
        if (rng_below(r, 2)) snprintf(sd, sizeof sd, "[meta@32473 region=\"eu-%u\" seq=\"%u\"]", 1 + rng_below(r, 3), rng_below(r, 1000000));
        len = snprintf(out, n, "<%d>1 %04u-%02u-%02uT%02u:%02u:%02u.%06uZ %s %s %d %s %s %s", pri, t.year, t.mon + 1, day, hh, mm, ss,
                       rng_below(r, 1000000), host, app, pid, PICK(r, ((const char *[]){"-", "ID47", "req", "audit"})), sd, msg);
    }
    if (len >= (int)n) len = (int)n - 1;
    return len;
}

/* One NDJSON record (no newline) into out; returns its length. */
static int json_line(rng_t *r, char *out, size_t n) {
    char ip[32], hx[40], hx2[40];
    ip_of(r, ip, sizeof ip);
    hex_of(r, hx, 32);
    hex_of(r, hx2, 16);
    const char *svc = SERVICES_APP[rng_skew(r, NELEM(SERVICES_APP))];
    const char *host = HOSTS[rng_skew(r, NELEM(HOSTS))];
    const char *lvl = PICK(r, LEVELS);
    struct stamp t = record_time(r);
    unsigned day = t.day, hh = t.hh, mm = t.mm, ss = t.ss, ms = rng_below(r, 1000);
    int len;
    switch (rng_below(r, 3)) {
    case 0:
        len = snprintf(out, n,
                       "{\"time\":\"%04u-%02u-%02uT%02u:%02u:%02u.%03uZ\",\"level\":\"%s\",\"service\":\"%s\",\"host\":\"%s\",\"msg\":\"request completed\","
                       "\"request_id\":\"%s\",\"duration_ms\":%u,\"http.method\":\"%s\",\"http.path\":\"%s\",\"http.status\":%u}",
                       t.year, t.mon + 1, day, hh, mm, ss, ms, lvl, svc, host, hx, rng_below(r, 3000), PICK(r, METHODS), PICK(r, PATHS),
                       PICK(r, ((int[]){200, 200, 200, 201, 400, 404, 500})));
        break;
    case 1:
        len = snprintf(out, n,
                       "{\"time\":\"%04u-%02u-%02uT%02u:%02u:%02u.%03uZ\",\"level\":\"%s\",\"service\":\"%s\",\"host\":\"%s\",\"msg\":\"payment authorized for order %u\","
                       "\"trace_id\":\"%s\",\"span_id\":\"%s\",\"user.id\":%u,\"client_ip\":\"%s\"}",
                       t.year, t.mon + 1, day, hh, mm, ss, ms, lvl, svc, host, rng_below(r, 9000000), hx, hx2, rng_skew(r, 100000), ip);
        break;
    default:
        len = snprintf(out, n,
                       "{\"time\":\"%04u-%02u-%02uT%02u:%02u:%02u.%03uZ\",\"level\":\"%s\",\"service\":\"%s\",\"host\":\"%s\",\"msg\":\"consumer lag above threshold\","
                       "\"topic\":\"%s-events\",\"partition\":%u,\"offset\":%u,\"lag\":%u,\"tenant\":\"t-%u\",\"region\":\"eu-%u\"}",
                       t.year, t.mon + 1, day, hh, mm, ss, ms, lvl, svc, host, svc, rng_below(r, 24), (unsigned)(rng_next(r) % 900000000u), rng_below(r, 50000),
                       rng_skew(r, 300), 1 + rng_below(r, 3));
        break;
    }
    if (len >= (int)n) len = (int)n - 1;
    return len;
}

/* ---- options ------------------------------------------------------------------------------ */

struct opts {
    const char *mode, *host, *path;
    int port, batch, conns, bodies, pool;
    double rate, duration;
    long long count, requests;
    uint64_t seed;
};

static void usage(void) {
    fprintf(stderr,
            "usage: loadgen udp  --host H --port P [--rate R] (--count N | --duration S) [--batch 64] [--seed 42] [--pool 65536] [--times week|ordered|now]\n"
            "       loadgen http --host H --port P [--conns 4] [--batch 1000] (--duration S | --requests N) [--path /v1/logs] [--seed 42] [--bodies 8] [--times week|ordered|now]\n");
    exit(2);
}

static struct sockaddr_in resolve(const char *host, int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) {
        struct hostent *h = gethostbyname(host);
        if (!h) die("cannot resolve %s", host);
        memcpy(&a.sin_addr, h->h_addr_list[0], sizeof a.sin_addr);
    }
    return a;
}

/* ---- udp ---------------------------------------------------------------------------------- */

static void sleep_until_ns(uint64_t t) {
    for (;;) {
        uint64_t n = now_ns();
        if (n >= t) return;
        uint64_t left = t - n;
        if (left > 200000) {
            struct timespec ts = {0, (long)(left - 100000)};
            nanosleep(&ts, NULL);
        } else if (left > 2000) {
            sched_yield();
        }
    }
}

static int run_udp(struct opts *o) {
    if (o->count <= 0 && o->duration <= 0) die("udp needs --count or --duration");
    if (o->batch < 1 || o->batch > 1024) die("--batch must be 1..1024");
    rng_t r = {o->seed};
    int pool = o->pool;
    char *buf = malloc((size_t)pool * 512);
    int *lens = malloc(sizeof(int) * (size_t)pool);
    long long poolbytes = 0;
    for (int i = 0; i < pool; i++) {
        lens[i] = syslog_line(&r, buf + (size_t)i * 512, 512);
        poolbytes += lens[i];
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    int sndbuf = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    struct sockaddr_in to = resolve(o->host, o->port);
    if (connect(fd, (struct sockaddr *)&to, sizeof to) < 0) die("connect: %s", strerror(errno));

    struct mmsghdr *msgs = calloc((size_t)o->batch, sizeof *msgs);
    struct iovec *iov = calloc((size_t)o->batch, sizeof *iov);
    for (int i = 0; i < o->batch; i++) {
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    long long sent = 0, bytes = 0, errors = 0, calls = 0;
    long long limit = o->count > 0 ? o->count : -1;
    uint64_t start = now_ns();
    uint64_t end = o->duration > 0 ? start + (uint64_t)(o->duration * 1e9) : UINT64_MAX;
    size_t cursor = 0;
    double ns_per_msg = o->rate > 0 ? 1e9 / o->rate : 0;
    for (;;) {
        if (limit >= 0 && sent >= limit) break;
        if (ns_per_msg > 0) sleep_until_ns(start + (uint64_t)((double)sent * ns_per_msg));
        if (now_ns() >= end) break;
        int n = o->batch;
        if (limit >= 0 && limit - sent < n) n = (int)(limit - sent);
        for (int i = 0; i < n; i++) {
            size_t k = (cursor + (size_t)i) % (size_t)pool;
            iov[i].iov_base = buf + k * 512;
            iov[i].iov_len = (size_t)lens[k];
        }
        int done = 0;
        while (done < n) {
            int rc = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);
            calls++;
            if (rc < 0) {
                if (errno == EINTR) continue;
                errors++;
                if (errno == ENOBUFS || errno == EAGAIN || errno == ECONNREFUSED) {
                    /* Loopback with nobody listening, or a full send queue: count and retry
                     * this datagram once, then skip it so the pacing stays honest. */
                    done++;
                    continue;
                }
                die("sendmmsg: %s", strerror(errno));
            }
            for (int i = done; i < done + rc; i++) bytes += (long long)msgs[i].msg_len;
            done += rc;
        }
        sent += n;
        cursor = (cursor + (size_t)n) % (size_t)pool;
    }
    double elapsed = (double)(now_ns() - start) * 1e-9;
    printf("mode=udp sent=%lld bytes=%lld errors=%lld elapsed_s=%.3f rate=%.0f target_rate=%.0f avg_bytes=%.1f sendmmsg_calls=%lld pool=%d\n",
           sent - errors, bytes, errors, elapsed, (double)(sent - errors) / elapsed, o->rate,
           (double)poolbytes / pool, calls, pool);
    return 0;
}

/* ---- http --------------------------------------------------------------------------------- */

struct conn_state {
    int id;
    struct opts *o;
    struct sockaddr_in to;
    char **bodies;
    size_t *body_lens;
    int nbodies;
    double deadline;
    long long requests_left; /* shared budget when --requests; negative means unlimited */
    /* results */
    long long ok, bad, records, bytes, errors;
    uint64_t *lat;
    size_t nlat, caplat;
    char first_error[256];
};

static pthread_mutex_t budget_lock = PTHREAD_MUTEX_INITIALIZER;
static long long budget = -1;

static int take_budget(void) {
    if (budget < 0) return 1;
    pthread_mutex_lock(&budget_lock);
    int ok = budget > 0;
    if (ok) budget--;
    pthread_mutex_unlock(&budget_lock);
    return ok;
}

static int connect_tcp(struct sockaddr_in *to) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)to, sizeof *to) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one HTTP/1.1 response; returns the status code, or -1 on a broken connection. Handles
 * Content-Length and chunked bodies; sets *close_after when the server says Connection: close. */
static int read_response(int fd, char *buf, size_t cap, int *close_after) {
    size_t have = 0;
    char *hdr_end = NULL;
    while (!hdr_end) {
        if (have == cap - 1) return -1;
        ssize_t n = recv(fd, buf + have, cap - 1 - have, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            return -1;
        }
        have += (size_t)n;
        buf[have] = 0;
        hdr_end = strstr(buf, "\r\n\r\n");
    }
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1) return -1;
    size_t head = (size_t)(hdr_end - buf) + 4;
    long long content_length = -1;
    int chunked = 0;
    *close_after = 0;
    for (char *line = strstr(buf, "\r\n") + 2; line < hdr_end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "content-length:", 15) == 0) content_length = atoll(line + 15);
        else if (strncasecmp(line, "transfer-encoding:", 18) == 0 && strcasestr(line, "chunked") && strcasestr(line, "chunked") < strstr(line, "\r\n")) chunked = 1;
        else if (strncasecmp(line, "connection:", 11) == 0 && strcasestr(line, "close") && strcasestr(line, "close") < strstr(line, "\r\n")) *close_after = 1;
    }
    if (status == 204 || status == 304 || (status >= 100 && status < 200)) return status;
    if (content_length >= 0) {
        long long left = content_length - (long long)(have - head);
        while (left > 0) {
            ssize_t n = recv(fd, buf, cap - 1 < (size_t)left ? cap - 1 : (size_t)left, 0);
            if (n <= 0) return -1;
            left -= n;
        }
        return status;
    }
    if (chunked) {
        /* Keep the unread part in buf and read until the terminating 0-size chunk. */
        memmove(buf, buf + head, have - head);
        have -= head;
        buf[have] = 0;
        for (;;) {
            char *eol;
            while (!(eol = strstr(buf, "\r\n"))) {
                ssize_t n = recv(fd, buf + have, cap - 1 - have, 0);
                if (n <= 0) return -1;
                have += (size_t)n;
                buf[have] = 0;
            }
            long size = strtol(buf, NULL, 16);
            size_t need = (size_t)(eol - buf) + 2 + (size_t)size + 2;
            while (have < need) {
                if (have == cap - 1) return -1;
                ssize_t n = recv(fd, buf + have, cap - 1 - have, 0);
                if (n <= 0) return -1;
                have += (size_t)n;
                buf[have] = 0;
            }
            memmove(buf, buf + need, have - need);
            have -= need;
            buf[have] = 0;
            if (size == 0) return status;
        }
    }
    *close_after = 1; /* body until close: not expected from vigild */
    return status;
}

static void *conn_main(void *arg) {
    struct conn_state *c = arg;
    struct opts *o = c->o;
    char header[512];
    char resp[65536];
    int fd = -1;
    long long i = 0;
    while (now_s() < c->deadline && take_budget()) {
        if (fd < 0) {
            fd = connect_tcp(&c->to);
            if (fd < 0) {
                c->errors++;
                if (!c->first_error[0]) snprintf(c->first_error, sizeof c->first_error, "connect: %s", strerror(errno));
                usleep(100000);
                continue;
            }
        }
        int k = (int)((i + c->id) % c->nbodies);
        i++;
        int hl = snprintf(header, sizeof header,
                          "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-ndjson\r\n"
                          "Content-Length: %zu\r\nConnection: keep-alive\r\n\r\n",
                          o->path, o->host, o->port, c->body_lens[k]);
        uint64_t t0 = now_ns();
        struct iovec v[2] = {{header, (size_t)hl}, {c->bodies[k], c->body_lens[k]}};
        int werr = 0;
        ssize_t w = writev(fd, v, 2);
        size_t total = (size_t)hl + c->body_lens[k];
        if (w < 0) werr = 1;
        else if ((size_t)w < total) {
            size_t off = (size_t)w;
            if (off < (size_t)hl) {
                werr = write_all(fd, header + off, (size_t)hl - off) || write_all(fd, c->bodies[k], c->body_lens[k]);
            } else {
                werr = write_all(fd, c->bodies[k] + (off - (size_t)hl), c->body_lens[k] - (off - (size_t)hl));
            }
        }
        int close_after = 0;
        int status = werr ? -1 : read_response(fd, resp, sizeof resp, &close_after);
        uint64_t t1 = now_ns();
        if (status < 0) {
            c->errors++;
            if (!c->first_error[0]) snprintf(c->first_error, sizeof c->first_error, "connection broken");
            close(fd);
            fd = -1;
            continue;
        }
        if (c->nlat == c->caplat) {
            c->caplat = c->caplat ? c->caplat * 2 : 4096;
            c->lat = realloc(c->lat, c->caplat * sizeof *c->lat);
        }
        c->lat[c->nlat++] = t1 - t0;
        if (status >= 200 && status < 300) {
            c->ok++;
            c->records += o->batch;
            c->bytes += (long long)c->body_lens[k];
        } else {
            c->bad++;
            if (!c->first_error[0]) snprintf(c->first_error, sizeof c->first_error, "status %d: %.200s", status, resp);
        }
        if (close_after) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0) close(fd);
    return NULL;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int run_http(struct opts *o) {
    if (o->duration <= 0 && o->requests <= 0) die("http needs --duration or --requests");
    if (o->conns < 1 || o->conns > 1024) die("--conns must be 1..1024");
    if (o->batch < 1) die("--batch must be positive");
    rng_t r = {o->seed};
    int nb = o->bodies;
    char **bodies = malloc(sizeof(char *) * (size_t)nb);
    size_t *lens = malloc(sizeof(size_t) * (size_t)nb);
    long long recs = 0, recbytes = 0;
    for (int b = 0; b < nb; b++) {
        size_t cap = (size_t)o->batch * 512 + 16, len = 0;
        bodies[b] = malloc(cap);
        for (int i = 0; i < o->batch; i++) {
            int l = json_line(&r, bodies[b] + len, 512);
            len += (size_t)l;
            bodies[b][len++] = '\n';
            recs++;
            recbytes += l + 1;
        }
        lens[b] = len;
    }
    budget = o->requests > 0 ? o->requests : -1;
    struct sockaddr_in to = resolve(o->host, o->port);
    struct conn_state *cs = calloc((size_t)o->conns, sizeof *cs);
    pthread_t *th = calloc((size_t)o->conns, sizeof *th);
    double start = now_s();
    double deadline = o->duration > 0 ? start + o->duration : 1e300;
    for (int i = 0; i < o->conns; i++) {
        cs[i] = (struct conn_state){.id = i, .o = o, .to = to, .bodies = bodies, .body_lens = lens, .nbodies = nb, .deadline = deadline};
        pthread_create(&th[i], NULL, conn_main, &cs[i]);
    }
    long long ok = 0, bad = 0, records = 0, bytes = 0, errors = 0;
    size_t nlat = 0;
    for (int i = 0; i < o->conns; i++) {
        pthread_join(th[i], NULL);
        ok += cs[i].ok;
        bad += cs[i].bad;
        records += cs[i].records;
        bytes += cs[i].bytes;
        errors += cs[i].errors;
        nlat += cs[i].nlat;
    }
    double elapsed = now_s() - start;
    uint64_t *all = malloc(sizeof(uint64_t) * (nlat + 1));
    size_t at = 0;
    for (int i = 0; i < o->conns; i++) {
        memcpy(all + at, cs[i].lat, cs[i].nlat * sizeof(uint64_t));
        at += cs[i].nlat;
    }
    qsort(all, nlat, sizeof(uint64_t), cmp_u64);
    double p50 = nlat ? (double)all[(size_t)(0.50 * (double)(nlat - 1))] / 1e6 : 0;
    double p99 = nlat ? (double)all[(size_t)(0.99 * (double)(nlat - 1))] / 1e6 : 0;
    double pmax = nlat ? (double)all[nlat - 1] / 1e6 : 0;
    printf("mode=http conns=%d batch=%d requests_ok=%lld non_2xx=%lld conn_errors=%lld records=%lld bytes=%lld elapsed_s=%.3f "
           "records_per_s=%.0f mb_per_s=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f avg_record_bytes=%.1f\n",
           o->conns, o->batch, ok, bad, errors, records, bytes, elapsed, (double)records / elapsed,
           (double)bytes / elapsed / 1e6, p50, p99, pmax, (double)recbytes / (double)recs);
    for (int i = 0; i < o->conns; i++)
        if (cs[i].first_error[0]) {
            fprintf(stderr, "loadgen: connection %d: first error: %s\n", i, cs[i].first_error);
            break;
        }
    return 0;
}

/* ---- main --------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    if (argc < 2) usage();
    struct opts o = {.mode = argv[1], .host = "127.0.0.1", .path = "/v1/logs", .port = 0, .batch = 0, .conns = 4,
                     .bodies = 8, .pool = 65536, .rate = 0, .duration = 0, .count = 0, .requests = 0, .seed = 42};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--host")) o.host = v;
        else if (!strcmp(a, "--port")) o.port = atoi(v);
        else if (!strcmp(a, "--rate")) o.rate = atof(v);
        else if (!strcmp(a, "--count")) o.count = atoll(v);
        else if (!strcmp(a, "--duration")) o.duration = atof(v);
        else if (!strcmp(a, "--batch")) o.batch = atoi(v);
        else if (!strcmp(a, "--seed")) o.seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--pool")) o.pool = atoi(v);
        else if (!strcmp(a, "--conns")) o.conns = atoi(v);
        else if (!strcmp(a, "--requests")) o.requests = atoll(v);
        else if (!strcmp(a, "--path")) o.path = v;
        else if (!strcmp(a, "--bodies")) o.bodies = atoi(v);
        else if (!strcmp(a, "--times")) {
            if (!strcmp(v, "now")) g_now = time(NULL);
            else if (!strcmp(v, "ordered")) g_ordered = 1;
            else if (strcmp(v, "week")) die("--times is week, ordered or now");
        }
        else usage();
    }
    if (strcmp(o.mode, "sample") && (o.port <= 0 || o.port > 65535)) die("--port is required");
    if (o.pool < 1) die("--pool must be positive");
    if (o.bodies < 1) die("--bodies must be positive");
    if (!strcmp(o.mode, "udp")) {
        if (!o.batch) o.batch = 64;
        g_ordered_step = 7 * 86400.0 / o.pool;
        return run_udp(&o);
    }
    if (!strcmp(o.mode, "http")) {
        if (!o.batch) o.batch = 1000;
        g_ordered_step = 7 * 86400.0 / ((double)o.bodies * o.batch);
        return run_http(&o);
    }
    if (!strcmp(o.mode, "sample")) { /* print a few generated lines, for eyeballing */
        rng_t r = {o.seed};
        char line[600];
        for (int i = 0; i < 10; i++) { syslog_line(&r, line, sizeof line); puts(line); }
        for (int i = 0; i < 5; i++) { json_line(&r, line, sizeof line); puts(line); }
        return 0;
    }
    usage();
    return 2;
}
