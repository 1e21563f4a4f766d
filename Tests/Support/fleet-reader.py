#!/usr/bin/env python3
"""An independent reader of Vigil's forwarded blocks: nats-py (PyPI) pulls every message of the
stream, and this file decodes each block from docs/segment-format.md and docs/fleet.md alone
(zstd frames through the `zstd` command). Prints one JSON object per record:
{"edge", "sequence", "host", "service", "severity", "time", "message"}.

usage: fleet-reader.py NATS_URL STREAM
"""
import asyncio, json, struct, subprocess, sys, zlib

import nats


def varint(data, pos):
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def zigzag(value):
    return (value >> 1) ^ -(value & 1)


def decompress(codec, frame):
    if codec != 1:
        raise SystemExit("only zstd blocks are decoded here")
    return subprocess.run(["zstd", "-d", "-c", "-q"], input=frame, capture_output=True, check=True).stdout


def decode_block(block):
    magic, version, codec, mask, flags, count, min_time, max_time, source = struct.unpack_from("<4sBBBBIqqI", block, 0)
    assert magic == b"VBLK" and version == 1, (magic, version)
    lengths = struct.unpack_from("<6I", block, 32)
    payload = block[64:]
    meta_c, messages_c, fields_c = lengths[0], lengths[2], lengths[4]
    meta = decompress(codec, payload[:meta_c])
    messages = decompress(codec, payload[meta_c:meta_c + messages_c])
    pos = 0
    dictionaries = []
    for _ in range(3):
        n, pos = varint(meta, pos)
        entries = []
        for _ in range(n):
            length, pos = varint(meta, pos)
            entries.append(meta[pos:pos + length].decode())
            pos += length
        dictionaries.append(entries)
    hosts, services, _keys = dictionaries
    columns = []
    for _ in range(9):
        length, pos = varint(meta, pos)
        columns.append(meta[pos:pos + length])
        pos += length

    def varints(column):
        out, p = [], 0
        while p < len(column):
            v, p = varint(column, p)
            out.append(v)
        return out

    deltas = [zigzag(v) for v in varints(columns[0])]
    flag_bytes = columns[2]
    host_index = varints(columns[4])
    service_index = varints(columns[5])
    message_lengths = varints(columns[6])
    records, time, offset = [], min_time, 0
    for i in range(count):
        time += deltas[i]
        text = messages[offset:offset + message_lengths[i]].decode(errors="replace")
        offset += message_lengths[i] + 1
        records.append({"host": hosts[host_index[i]], "service": services[service_index[i]],
                        "severity": flag_bytes[i] & 7, "time": time, "message": text})
    return records


async def main(url, stream):
    nc = await nats.connect(url)
    js = nc.jetstream()
    info = await js.stream_info(stream)
    total = info.state.messages
    sub = await js.pull_subscribe("", durable="independent-reader", stream=stream)
    seen = 0
    while seen < total:
        for msg in await sub.fetch(min(256, total - seen), timeout=5):
            seen += 1
            headers = msg.headers or {}
            assert headers.get("Vigil-Encoding") == "vigil-block/1", headers
            for record in decode_block(msg.data):
                record["edge"] = headers.get("Vigil-Edge")
                record["sequence"] = int(headers.get("Vigil-Sequence"))
                print(json.dumps(record))
            await msg.ack()
    await nc.close()


asyncio.run(main(sys.argv[1], sys.argv[2]))
