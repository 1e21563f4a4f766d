#!/usr/bin/env python3
"""A fast webhook receiver for bench/webhooks-bench.sh (asyncio, HTTP/1.1 keep-alive, standard
library only). Every POST is answered 204 at once, except under /hang/, which is never answered.
Each request is logged as one line: receipt time (ns, wall clock), webhook-id, the incident's
service label and the CloudEvents type, or "-".

usage: receiver.py PORT_FILE LOG_FILE
"""
import asyncio, json, os, sys, time

port_file, log_file = sys.argv[1], sys.argv[2]
log = open(log_file, "a", buffering=1)


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            received = time.time_ns()
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if path.startswith("/hang/"):
                await asyncio.sleep(3600)
            service, kind = "-", "-"
            try:
                event = json.loads(body)
                kind = event.get("type", "-")
                service = event.get("data", {}).get("labels", {}).get("service", "-")
            except (ValueError, AttributeError):
                pass
            log.write(f"{received} {headers.get('webhook-id', '-')} {service} {kind}\n")
            writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.sockets[0].getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    await server.serve_forever()

asyncio.run(main())
