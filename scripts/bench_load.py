#!/usr/bin/env python3
"""Load benchmark: `smtp-trainer serve` against Postfix's smtp-sink and Python's aiosmtpd, all
loaded by Postfix's smtp-source on loopback in the same run, plus the criterion engine figures.

Each server is started fresh for every run, so every run's peak memory (VmHWM) is its own;
figures are medians over the runs. The report is Markdown: printed, and with --write FILE put
between this script's markers in FILE (the rest of the file is left as it is).

Called by scripts/bench.sh; run that instead.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

BEGIN = "<!-- bench.sh: engine and server (generated, do not edit by hand) -->"
END = "<!-- bench.sh: end -->"
SENDER = "sender@fabrikam.com"
RECIPIENT = "user@contoso.com"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, limit=10.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def peak_rss_kib(pid):
    """Peak resident set size of a live process, from /proc (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def servers(binary):
    """The servers to compare: name -> (command for a port, or None when absent, why)."""
    found = {
        "smtp-trainer serve": (
            lambda p: [binary, "serve", "--listen", f"127.0.0.1:{p}", "--max-connections", "1000"],
            None,
        )
    }
    sink = shutil.which("smtp-sink") or ("/usr/sbin/smtp-sink" if os.path.exists("/usr/sbin/smtp-sink") else None)
    if sink:
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        found["Postfix smtp-sink"] = (lambda p: [sink, *user, f"127.0.0.1:{p}", "256"], None)
    else:
        found["Postfix smtp-sink"] = (None, "smtp-sink not installed (Debian package postfix)")
    try:
        import aiosmtpd  # noqa: F401

        found["Python aiosmtpd"] = (
            lambda p: [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{p}"],
            None,
        )
    except ImportError:
        found["Python aiosmtpd"] = (None, "aiosmtpd not installed (pip install aiosmtpd)")
    return found


def cpu_seconds(pid):
    """User plus system CPU time a live process has used, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def one_run(command, source, load):
    """Starts a server, loads it, returns (messages per second, peak RSS KiB, CPU µs per
    message). CPU time per message is the steadier figure on a machine that is busy with
    other work: waiting for the CPU does not count in it."""
    port = free_port()
    proc = subprocess.Popen(command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, proc)
        args = [source, "-s", str(load["sessions"]), "-m", str(load["messages"]), "-l", str(load["size"]),
                "-f", SENDER, "-t", RECIPIENT]
        if load["reuse"]:
            args.append("-d")
        started = time.monotonic()
        done = subprocess.run(args + [f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=600)
        elapsed = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError(f"smtp-source failed: {done.stderr.strip()[:300]}")
        cpu = cpu_seconds(proc.pid)
        per_message = cpu / load["messages"] * 1e6 if cpu is not None else None
        return load["messages"] / elapsed, peak_rss_kib(proc.pid), per_message
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def big_stream(binary, megabytes):
    """Streams `megabytes` of DATA into serve and returns (its peak RSS KiB, final reply)."""
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, proc)
        with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
            f = s.makefile("rb")

            def reply():
                lines = []
                while True:
                    line = f.readline()
                    if not line:
                        return b"".join(lines) or b"(closed)"
                    lines.append(line)
                    if line[3:4] != b"-":
                        return b"".join(lines)

            reply()
            s.sendall(f"EHLO bench.fabrikam.com\r\nMAIL FROM:<{SENDER}>\r\nRCPT TO:<{RECIPIENT}>\r\nDATA\r\n".encode())
            for _ in range(4):
                last = reply()
            if not last.startswith(b"354"):
                return peak_rss_kib(proc.pid), last.decode(errors="replace").strip()
            chunk = (b"x" * 998 + b"\r\n") * 1024
            sent = 0
            try:
                while sent < megabytes * 1024 * 1024:
                    s.sendall(chunk)
                    sent += len(chunk)
                s.sendall(b".\r\n")
                final = reply().decode(errors="replace").strip()
            except OSError as e:
                final = f"(connection ended after {sent >> 20} MiB: {e})"
            # The file object holds the socket open until it is closed itself.
            f.close()
        return peak_rss_kib(proc.pid), final
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def criterion_figures(target):
    """Median throughput of each engine benchmark, from criterion's saved estimates, as
    (name, value, unit) with the units the wasm benchmark prints."""
    rows = []
    base = Path(target) / "criterion"
    for bench in sorted(base.glob("*/*/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        est = json.loads((bench.parent / "estimates.json").read_text())
        ns = est["median"]["point_estimate"]
        tp = meta.get("throughput") or {}
        if "Elements" in tp and meta["full_id"].startswith("sessions"):
            rows.append((meta["full_id"], tp["Elements"] / ns * 1e9, "sessions/s"))
        elif "Elements" in tp:
            rows.append((meta["full_id"], tp["Elements"] / ns * 1e9, "commands/s"))
        elif "Bytes" in tp:
            rows.append((meta["full_id"], tp["Bytes"] / ns * 1e9 / 2**20, "MiB/s"))
    return rows


def wasm_figures(path):
    """The `wasm-bench NAME VALUE UNIT` lines tests/wasm_engine_bench.rs printed, by name."""
    figures = {}
    if not path or not Path(path).exists():
        return figures
    for line in Path(path).read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "wasm-bench":
            try:
                figures[parts[1]] = (float(parts[2]), parts[3])
            except ValueError:
                pass
    return figures


def throughput(value, unit):
    """A figure as a reader wants it: millions of commands, whole sessions and MiB."""
    if unit == "commands/s":
        return f"{value / 1e6:.2f} M commands/s"
    if unit == "sessions/s":
        return f"{value:,.0f} sessions/s"
    return f"{value:.0f} {unit}"


def node_version():
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "not installed"


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"{rustc}; load average at start {load} (other work on the machine slows every figure)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--target", default="target")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--stream-mb", type=int, default=0, help="also stream this many MiB of DATA into serve")
    ap.add_argument("--wasm", help="the wasm engine benchmark's output (wasm-bench lines)")
    ap.add_argument("--write", help="Markdown file whose generated section is replaced")
    ap.add_argument("--only", help="run only the servers whose names contain this text")
    opts = ap.parse_args()

    source = shutil.which("smtp-source") or "/usr/sbin/smtp-source"
    if not os.path.exists(source):
        print("bench: smtp-source not installed (Debian package postfix); load tests skipped", file=sys.stderr)
        source = None

    out = [BEGIN, "", "## Engine and server", ""]
    out.append(f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.")
    wasm = wasm_figures(opts.wasm)
    out += ["", "### Engine (median; native by criterion, wasm by tests/wasm_engine_bench.rs in "
            f"Node {node_version()}, same workloads)", "",
            "| benchmark | native | wasm | wasm ÷ native |", "|---|---|---|---|"]
    for name, value, unit in criterion_figures(opts.target):
        w = wasm.get(name)
        if w and w[1] == unit:
            out.append(f"| `{name}` | {throughput(value, unit)} | {throughput(*w)} | {w[0] / value:.2f} |")
        else:
            out.append(f"| `{name}` | {throughput(value, unit)} | not run | |")

    failures = []
    if source:
        loads = [
            ("one message per connection", False),
            ("many messages per connection (`-d`)", True),
        ]
        out += ["", f"### Server under `smtp-source` load (loopback, {opts.sessions} parallel sessions, "
                f"{opts.messages} messages of {opts.size} bytes, median of {opts.runs} runs)", ""]
        for title, reuse in loads:
            load = {"sessions": opts.sessions, "messages": opts.messages, "size": opts.size, "reuse": reuse}
            out += [f"**{title}**", "",
                    "| server | messages/s | serve's rate ÷ this | CPU per message | peak RSS |",
                    "|---|---|---|---|---|"]
            # Runs are interleaved (one of each server, then again) so that a machine busy
            # with something else slows every server alike and the ratios stay fair.
            runnable, samples, broken = {}, {}, {}
            for name, (command, why) in servers(opts.binary).items():
                if opts.only and opts.only not in name:
                    continue
                if command is None:
                    out.append(f"| {name} | not run: {why} | | | |")
                else:
                    runnable[name] = command
                    samples[name] = ([], [], [])
            for _ in range(opts.runs):
                for name, command in runnable.items():
                    if name in broken:
                        continue
                    # aiosmtpd is an order of magnitude slower: a fifth of the messages keeps its
                    # runs as long as the others' without changing its rate.
                    this_load = dict(load, messages=max(500, load["messages"] // 5)) if "aiosmtpd" in name else load
                    try:
                        rate, peak, cpu = one_run(command, source, this_load)
                    except (RuntimeError, subprocess.TimeoutExpired) as e:
                        broken[name] = e
                        failures.append(f"{name}: {e}")
                        out.append(f"| {name} | failed: {e} | | | |")
                        continue
                    samples[name][0].append(rate)
                    if peak:
                        samples[name][1].append(peak)
                    if cpu is not None:
                        samples[name][2].append(cpu)
            results = {}
            for name, (rates, peaks, cpus) in samples.items():
                if name in broken or not rates:
                    continue
                results[name] = (
                    statistics.median(rates),
                    statistics.median(peaks) if peaks else None,
                    statistics.median(cpus) if cpus else None,
                )
                spread = f"{min(rates):.0f}-{max(rates):.0f}"
                print(f"bench: {title}: {name}: {results[name][0]:.0f} msg/s (runs {spread})", file=sys.stderr)
            ours = results.get("smtp-trainer serve", (None, None, None))[0]
            for name, (rate, peak, cpu) in results.items():
                ratio = f"{ours / rate:.2f}" if ours else "n/a"
                mem = f"{peak / 1024:.1f} MiB" if peak else "n/a"
                cpu_text = f"{cpu:.0f} µs" if cpu is not None else "n/a"
                out.append(f"| {name} | {rate:.0f} | {ratio} | {cpu_text} | {mem} |")
            out.append("")
    if opts.stream_mb:
        peak, final = big_stream(opts.binary, opts.stream_mb)
        out += [f"A single {opts.stream_mb} MiB DATA stream into `serve`: peak RSS "
                f"{(peak or 0) / 1024:.1f} MiB; final reply `{final}`.", ""]
    out.append(END)
    report = "\n".join(out) + "\n"
    print(report)
    if opts.write:
        path = Path(opts.write)
        old = path.read_text() if path.exists() else "# Benchmarks\n\n"
        if BEGIN in old and END in old:
            head, rest = old.split(BEGIN, 1)
            tail = rest.split(END, 1)[1].lstrip("\n")
            new = head + report + ("\n" + tail if tail else "")
        else:
            new = old.rstrip("\n") + "\n\n" + report
        path.write_text(new)
    if failures:
        print("bench: failures:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
