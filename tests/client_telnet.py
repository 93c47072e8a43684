#!/usr/bin/env python3
"""A person at a real Linux `telnet`, against `smtp-trainer serve`: runs the telnet client in a
pseudo-terminal, types each step's keys one at a time as a person does, and waits for the text
the step expects on the screen. Run by tests/cli_clients.rs; exits non-zero, with the screen so
far, when an expected text does not show.

    python3 tests/client_telnet.py PORT KEYS EXPECT [KEYS EXPECT]...

KEYS takes Python escapes (\\r is Return, \\x1d is Ctrl+], \\x08 is Backspace).
"""

import os
import pty
import select
import sys
import time


def main():
    port, steps = sys.argv[1], sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("telnet", ["telnet", "127.0.0.1", port])
    screen = b""

    def wait_for(text, limit=10.0):
        nonlocal screen
        end = time.time() + limit
        while text.encode() not in screen:
            if time.time() > end:
                sys.exit(f"never saw {text!r}; screen:\n{screen.decode('latin-1')}")
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    screen += os.read(fd, 4096)
                except OSError:
                    pass

    try:
        wait_for("220 ")
        for keys, expect in zip(steps[0::2], steps[1::2]):
            for key in keys.encode().decode("unicode_escape").encode("latin-1"):
                os.write(fd, bytes([key]))
                time.sleep(0.01)
            wait_for(expect)
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
    print(screen.decode("latin-1"))


if __name__ == "__main__":
    main()
