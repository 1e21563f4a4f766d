#!/usr/bin/env python3
"""A webhook receiver for vigild's tests: answers by path, logs every request as one JSON line,
and checks each request's Standard Webhooks signature twice, independently of vigild: with the
`standardwebhooks` package from PyPI and with Python's own hmac.

usage: webhook-receiver.py PORT_FILE LOG_FILE [SECRET...]

Paths (the part after the first segment is a key with its own counter):
  /ok/...               200
  /accepted/...         202 {"status": "success"} (PagerDuty's answer)
  /flaky/KEY            500 for the first two requests of KEY, then 200
  /retry-after/KEY      429 with Retry-After: 2 for the first request of KEY, then 200
  /unavailable/KEY      503 with Retry-After as an HTTP date 2 s ahead for the first, then 200
  /gone/...             410
  /bad/...              400 with a plain-text reason
  /hang/...             answers nothing for 60 s
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

port_file, log_file, secrets = sys.argv[1], sys.argv[2], sys.argv[3:]
lock = threading.Lock()
counts = {}


def verify_hmac(secret, headers, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{headers.get('webhook-id')}.{headers.get('webhook-timestamp')}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    given = [part.split(",", 1)[1] for part in headers.get("webhook-signature", "").split(" ") if part.startswith("v1,")]
    return any(hmac.compare_digest(expected, signature) for signature in given)


def verify_library(secret, headers, body):
    try:
        Webhook(secret).verify(body, headers)
        return True
    except Exception:
        return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        received = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        parts = self.path.strip("/").split("/")
        kind, key = parts[0], "/".join(parts[1:])
        with lock:
            counts[self.path] = counts.get(self.path, 0) + 1
            count = counts[self.path]
        status, extra, text = 200, {}, "ok"
        if kind == "accepted":
            status, text = 202, '{"status":"success","message":"Event processed"}'
        elif kind == "flaky" and count <= 2:
            status, text = 500, "try again"
        elif kind == "retry-after" and count == 1:
            status, extra, text = 429, {"Retry-After": "2"}, "slow down"
        elif kind == "unavailable" and count == 1:
            status, extra, text = 503, {"Retry-After": formatdate(time.time() + 2, usegmt=True)}, "maintenance"
        elif kind == "gone":
            status, text = 410, "this hook was deleted"
        elif kind == "bad":
            status, text = 400, "invalid payload: field 'x' is required"
        elif kind == "hang":
            time.sleep(60)
        entry = {
            "path": self.path, "kind": kind, "key": key, "time": received, "status": status, "headers": headers,
            "body": body.decode("utf-8", "replace"),
            "library": [verify_library(secret, headers, body) for secret in secrets],
            "hmac": [verify_hmac(secret, headers, body) for secret in secrets],
        }
        with lock, open(log_file, "a") as log:
            log.write(json.dumps(entry) + "\n")
        payload = text.encode()
        try:
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w") as out:
    out.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
