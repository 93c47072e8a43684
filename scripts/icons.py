#!/usr/bin/env python3
"""Draws the app's PNG icons (web/icon-192.png, web/icon-512.png) the way icon.svg draws them: a
console window with a prompt chevron and a cursor. Standard library only (zlib), so it runs
on a machine without image tools. Usage: scripts/icons.py (from the repository root)."""
import struct
import zlib

BG, FG = (0, 0, 0, 255), (192, 192, 192, 255)


def inside(x, y):
    """Whether the point (x, y) in icon.svg's 64x64 space is drawn grey."""
    border = (3 <= x <= 61 and 3 <= y <= 61) and not (5 <= x <= 59 and 5 <= y <= 59)
    # The chevron: two strokes from (14,22) and (14,42) meeting at (26,32), 5 units thick.
    def near(ax, ay, bx, by):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        px, py = ax + t * dx, ay + t * dy
        return (x - px) ** 2 + (y - py) ** 2 <= 2.5 ** 2
    chevron = near(14, 22, 26, 32) or near(26, 32, 14, 42)
    cursor = 30 <= x <= 50 and 40 <= y <= 45
    return border or chevron or cursor


def png(size):
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            x, y = (i + 0.5) * 64 / size, (j + 0.5) * 64 / size
            row.extend(FG if inside(x, y) else BG)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    head = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


for size in (192, 512):
    with open(f"web/icon-{size}.png", "wb") as f:
        f.write(png(size))
