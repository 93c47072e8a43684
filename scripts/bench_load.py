#!/usr/bin/env python3
"""Load benchmark: `smtp-trainer serve` against Postfix's smtp-sink and Python's aiosmtpd, all
loaded by Postfix's smtp-source on loopback in the same run, plus the criterion engine figures.

Every server gets the same treatment: the same smtp-source command line, the same CPU (the
first one this process may use; smtp-source gets the second), the same scheduling priority,
and the runs interleaved server by server. Each server is started fresh for every run, so
every run's peak memory (VmHWM) is its own; figures are medians over the runs. The report is
Markdown, two parts (engine, server), each printed and with --write FILE put between its own
markers in FILE (the rest of the file is left as it is).

Called by scripts/bench.sh; run that instead.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Each part of the report lives between its own markers, so one part can be rerun alone.
MARKERS = {
    "engine": ("<!-- bench.sh: engine (generated, do not edit by hand) -->", "<!-- bench.sh: engine end -->"),
    "server": ("<!-- bench.sh: server (generated, do not edit by hand) -->", "<!-- bench.sh: server end -->"),
}
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


def children_cpu_seconds():
    """User plus system CPU time of this process's children that have been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def placement():
    """How the servers and the load generator share the machine, the same for every server:
    (prefix for a server's command, prefix for smtp-source's, a sentence saying so).

    With two CPUs or more, each server runs on the first CPU this process may use and
    smtp-source on the second, so they never compete for one core (a server that uses more
    threads than cores gains nothing). Where the real-time class is allowed (root), both run
    at SCHED_FIFO priority 1, so the other jobs of a shared machine (builds, fuzzers) do not
    delay their wake-ups; otherwise at normal priority."""
    server, source, said = [], [], []
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) >= 2 and shutil.which("taskset"):
        server, source = ["taskset", "-c", str(cpus[0])], ["taskset", "-c", str(cpus[1])]
        said.append(f"each server pinned to CPU {cpus[0]} and smtp-source to CPU {cpus[1]} (`taskset`)")
    else:
        said.append("server and smtp-source not pinned (fewer than two CPUs or no `taskset`)")
    if shutil.which("chrt") and subprocess.run(["chrt", "-f", "1", "true"], capture_output=True).returncode == 0:
        server, source = ["chrt", "-f", "1", *server], ["chrt", "-f", "1", *source]
        said.append("both at real-time priority (`chrt -f 1`), above the machine's other work")
    else:
        said.append("both at normal priority (`chrt -f 1` not permitted), so other work on the machine delays them")
    return server, source, "; ".join(said)


def one_run(command, source, load, place):
    """Starts a server, loads it, returns a dict: messages per second, peak RSS KiB, and the
    CPU time per message (µs, user plus system) of the server and of smtp-source.

    CPU time per message is the steadier figure on a machine that is busy with other work:
    waiting for a CPU does not count in it. The server's is taken from the moment it listens,
    so start-up (Python's imports) is left out. smtp-source's shows when the load generator,
    not the server, is what limits the rate."""
    port = free_port()
    proc = subprocess.Popen(place[0] + command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, proc)
        args = [source, "-s", str(load["sessions"]), "-m", str(load["messages"]), "-l", str(load["size"]),
                "-f", SENDER, "-t", RECIPIENT]
        if load["reuse"]:
            args.append("-d")
        cpu_before = cpu_seconds(proc.pid)
        # smtp-source is the only child reaped while it runs, so the growth of the children's
        # CPU time is its own.
        reaped_before = children_cpu_seconds()
        started = time.monotonic()
        gen = subprocess.Popen(place[1] + args + [f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
        try:
            _, err = gen.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            gen.kill()
            gen.communicate()
            raise
        elapsed = time.monotonic() - started
        if gen.returncode != 0:
            raise RuntimeError(f"smtp-source failed: {err.decode(errors='replace').strip()[:300]}")
        cpu_after = cpu_seconds(proc.pid)
        source_cpu = children_cpu_seconds() - reaped_before
        messages = load["messages"]
        server_cpu = (cpu_after - cpu_before) / messages * 1e6 if None not in (cpu_before, cpu_after) else None
        return {
            "rate": messages / elapsed,
            "peak": peak_rss_kib(proc.pid),
            "cpu": server_cpu,
            "source_cpu": source_cpu / messages * 1e6,
        }
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


def engine_part(opts):
    """The engine section: criterion's native figures beside the same workloads in wasm."""
    out = ["## Engine", "",
           f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "",
           "Median; native by criterion, wasm by tests/wasm_engine_bench.rs in "
           f"Node {node_version()}, same workloads.", "",
           "| benchmark | native | wasm | wasm ÷ native |", "|---|---|---|---|"]
    wasm = wasm_figures(opts.wasm)
    for name, value, unit in criterion_figures(opts.target):
        w = wasm.get(name)
        if w and w[1] == unit:
            out.append(f"| `{name}` | {throughput(value, unit)} | {throughput(*w)} | {w[0] / value:.2f} |")
        else:
            out.append(f"| `{name}` | {throughput(value, unit)} | not run | |")
    return out, []


def micro(value):
    return f"{value:.0f} µs" if value is not None else "n/a"


def server_part(opts):
    """The server section: serve, smtp-sink and aiosmtpd under one smtp-source load."""
    out = ["## Server under load", ""]
    source = shutil.which("smtp-source") or "/usr/sbin/smtp-source"
    if not os.path.exists(source):
        print("bench: smtp-source not installed (Debian package postfix); load tests skipped", file=sys.stderr)
        return out + ["Not run: smtp-source is not installed (Debian package postfix)."], []
    place = placement()
    load_at_start = os.getloadavg()
    out += [f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", "",
            f"Method: every server gets the same `smtp-source -s {opts.sessions} -m {opts.messages} "
            f"-l {opts.size}` on loopback (plus `-d` for the second table), {opts.runs} run"
            f"{'s' if opts.runs != 1 else ''} each, interleaved "
            f"server by server, each run on a freshly started server; {place[2]}. Figures are medians; "
            "the rate's range over the runs is in brackets. CPU per message is user plus system time "
            "over the load, of the server and of smtp-source; \"core busy\" is rate × CPU per message, "
            "the share of its CPU each one used (near 100 % for smtp-source means the load generator, "
            "not the server, sets the rate).", ""]
    loads = [
        ("one message per connection", False),
        ("many messages per connection (`-d`)", True),
    ]
    failures = []
    for title, reuse in loads:
        load = {"sessions": opts.sessions, "messages": opts.messages, "size": opts.size, "reuse": reuse}
        out += [f"**{title}**", "",
                "| server | messages/s | serve's rate ÷ this | server CPU per message | this CPU ÷ serve's "
                "| core busy: server / smtp-source | peak RSS |",
                "|---|---|---|---|---|---|---|"]
        # Runs are interleaved (one of each server, then again) so that a machine busy with
        # something else slows every server alike and the ratios stay fair.
        runnable, samples, broken = {}, {}, {}
        for name, (command, why) in servers(opts.binary).items():
            if opts.only and opts.only not in name:
                continue
            if command is None:
                out.append(f"| {name} | not run: {why} | | | | | |")
            else:
                runnable[name] = command
                samples[name] = []
        for _ in range(opts.runs):
            for name, command in runnable.items():
                if name in broken:
                    continue
                try:
                    samples[name].append(one_run(command, source, load, place))
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    broken[name] = e
                    failures.append(f"{name}: {e}")
                    out.append(f"| {name} | failed: {e} | | | | | |")
        results = {}
        for name, runs in samples.items():
            if name in broken or not runs:
                continue

            def median(key):
                values = [r[key] for r in runs if r[key] is not None]
                return statistics.median(values) if values else None

            rates = [r["rate"] for r in runs]
            results[name] = {key: median(key) for key in ("rate", "peak", "cpu", "source_cpu")}
            results[name]["spread"] = f"{min(rates):.0f}-{max(rates):.0f}"
            print(f"bench: {title}: {name}: {results[name]['rate']:.0f} msg/s (runs {results[name]['spread']}), "
                  f"server {micro(results[name]['cpu'])}, smtp-source {micro(results[name]['source_cpu'])} "
                  "per message", file=sys.stderr)
        ours = results.get("smtp-trainer serve")
        for name, r in results.items():
            ratio = f"{ours['rate'] / r['rate']:.2f}" if ours else "n/a"
            cpu_ratio = f"{r['cpu'] / ours['cpu']:.2f}" if ours and ours["cpu"] and r["cpu"] else "n/a"
            busy = " / ".join(f"{r['rate'] * c / 1e4:.0f} %" if c is not None else "n/a"
                              for c in (r["cpu"], r["source_cpu"]))
            mem = f"{r['peak'] / 1024:.1f} MiB" if r["peak"] else "n/a"
            out.append(f"| {name} | {r['rate']:.0f} [{r['spread']}] | {ratio} | {micro(r['cpu'])} | {cpu_ratio} "
                       f"| {busy} | {mem} |")
        out.append("")
    load_at_end = os.getloadavg()
    out.append("Load average (1, 5, 15 minutes) at the start " + ", ".join(f"{x:.1f}" for x in load_at_start)
               + "; at the end " + ", ".join(f"{x:.1f}" for x in load_at_end) + ".")
    out.append("")
    if opts.stream_mb:
        peak, final = big_stream(opts.binary, opts.stream_mb)
        out += [f"A single {opts.stream_mb} MiB DATA stream into `serve`: peak RSS "
                f"{(peak or 0) / 1024:.1f} MiB; final reply `{final}`.", ""]
    return out, failures


def replace_part(text, part, report):
    """`text` with `part`'s generated block replaced by `report` (markers included), added at
    the end if it has none."""
    begin, end = MARKERS[part]
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        return head + report.rstrip("\n") + tail
    return text.rstrip("\n") + "\n\n" + report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--target", default="target")
    ap.add_argument("--part", choices=["engine", "server", "all"], default="all",
                    help="which part of the report to make (and to replace with --write)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--stream-mb", type=int, default=0, help="also stream this many MiB of DATA into serve")
    ap.add_argument("--wasm", help="the wasm engine benchmark's output (wasm-bench lines)")
    ap.add_argument("--write", help="Markdown file whose generated parts are replaced")
    ap.add_argument("--only", help="run only the servers whose names contain this text")
    opts = ap.parse_args()

    parts = ["engine", "server"] if opts.part == "all" else [opts.part]
    makers = {"engine": engine_part, "server": server_part}
    failures, reports = [], {}
    for part in parts:
        lines, failed = makers[part](opts)
        failures += failed
        begin, end = MARKERS[part]
        reports[part] = "\n".join([begin, "", *lines, end]) + "\n"
        print(reports[part])
    if opts.write:
        path = Path(opts.write)
        text = path.read_text() if path.exists() else "# Benchmarks\n\n"
        for part in parts:
            text = replace_part(text, part, reports[part])
        path.write_text(text)
    if failures:
        print("bench: failures:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
