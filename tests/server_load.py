#!/usr/bin/env python3
"""Load and faults against `smtp-trainer serve --maildir DIR`, with a Python asyncio client.

Many clients send uniquely tagged messages at once, while a slow client types one byte at a
time and another vanishes in the middle of DATA. Afterwards every message that got a 250 must
be in DIR exactly once, the vanished one must not be there at all, and the slow client must not
have held up the others. Run by tests/cli_clients.rs; exits non-zero with the reason on failure.

    python3 tests/server_load.py PORT DIR [CLIENTS] [MESSAGES_PER_CLIENT]
"""

import asyncio
import sys
import time
import uuid
from pathlib import Path

RECIPIENT = "user@contoso.com"


async def reply(reader):
    """Reads one complete reply; returns its code (0 if the server closed)."""
    while True:
        line = await asyncio.wait_for(reader.readline(), 30)
        if not line:
            return 0
        if line[3:4] != b"-":
            return int(line[:3])


async def client(port, count, accepted):
    """Sends `count` messages over one connection, pipelining nothing; records accepted tags."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await reply(reader) == 220
    writer.write(b"EHLO load.fabrikam.com\r\n")
    assert await reply(reader) == 250
    for _ in range(count):
        tag = uuid.uuid4().hex
        writer.write(f"MAIL FROM:<load@fabrikam.com>\r\nRCPT TO:<{RECIPIENT}>\r\nDATA\r\n".encode())
        codes = [await reply(reader) for _ in range(3)]
        assert codes == [250, 250, 354], codes
        writer.write(f"Subject: load {tag}\r\n\r\n{tag}\r\n.\r\n".encode())
        if await reply(reader) == 250:
            accepted.append(tag)
    writer.write(b"QUIT\r\n")
    await reply(reader)
    writer.close()


async def slow_client(port, stop):
    """Types NOOP one byte per 0.2 s until told to stop; returns how many replies it got."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reply(reader)
    got = 0
    while not stop.is_set():
        for b in b"NOOP\r\n":
            writer.write(bytes([b]))
            await writer.drain()
            await asyncio.sleep(0.2)
        got += await reply(reader) == 250
    writer.close()
    return got


async def vanishing_client(port, tag):
    """Starts a message and disappears in the middle of its data."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reply(reader)
    writer.write(f"EHLO gone.fabrikam.com\r\nMAIL FROM:<gone@fabrikam.com>\r\nRCPT TO:<{RECIPIENT}>\r\nDATA\r\n".encode())
    for _ in range(4):
        await reply(reader)
    writer.write(f"Subject: vanished {tag}\r\n\r\n{tag}\r\nhalf a mess".encode())
    await writer.drain()
    writer.transport.abort()


async def main():
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    clients = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    per_client = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    accepted = []
    stop = asyncio.Event()
    slow = asyncio.create_task(slow_client(port, stop))
    gone_tag = uuid.uuid4().hex
    await vanishing_client(port, gone_tag)
    started = time.monotonic()
    await asyncio.gather(*(client(port, per_client, accepted) for _ in range(clients)))
    elapsed = time.monotonic() - started
    stop.set()
    slow_replies = await slow

    assert len(accepted) == clients * per_client, f"only {len(accepted)} of {clients * per_client} accepted"
    assert elapsed < 20, f"the load took {elapsed:.1f} s: the slow client held others up"
    assert slow_replies >= 1, "the slow client got no reply"
    await asyncio.sleep(0.5)
    contents = [p.read_text(errors="replace") for p in folder.rglob("*.eml")]
    for tag in accepted:
        found = sum(tag in c for c in contents)
        assert found == 1, f"message {tag} stored {found} times"
    assert not any(gone_tag in c for c in contents), "a message cut off in DATA was delivered"
    assert not list(folder.rglob(".*.tmp")), "a half-written file was left behind"
    print(f"load: ok, {len(accepted)} messages in {elapsed:.2f} s, slow client got {slow_replies} replies")


if __name__ == "__main__":
    asyncio.run(main())
