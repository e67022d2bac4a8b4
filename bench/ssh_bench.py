"""The SSH door (`perceptron-lab serve --ssh`) with warm sessions against fresh processes (`--cold`):
connect → first frame, memory per extra session (PSS), a key's effect and its CPU, with N learners.

The learners are asyncssh clients on pseudo-terminals of 120x40 (the door's own tests drive a real
OpenSSH client); keys go to every session in turn and their effects are read back from the bytes.
Run: python bench/ssh_bench.py [N] (default 10)."""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import children_of, cpu_seconds, free_port, memory_mb, session_apps


async def _read_until(process, pattern: bytes, seen: bytearray, timeout: float = 120.0) -> None:
    while not re.search(pattern, seen):
        chunk = await asyncio.wait_for(process.stdout.read(65536), timeout)
        if not chunk:
            raise RuntimeError(f"session ended before {pattern!r}")
        seen += chunk


async def measure(n: int, cold: bool) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import asyncssh
    home = tempfile.mkdtemp(prefix="ssh-bench-")
    port = free_port()
    argv = [sys.executable, "-m", "tui", "serve", "--ssh", "--port", str(port), "--lang", "en"]
    argv += ["--cold"] if cold else []
    server = subprocess.Popen(
        argv, env=dict(os.environ, XDG_DATA_HOME=home), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    while b"learners run" not in server.stderr.readline():
        if server.poll() is not None:
            raise RuntimeError("the server did not start")
    result: dict = {"first": [], "key": [], "key_cpu": []}
    conns, sessions = [], []
    try:
        for _ in range(n):
            start = time.perf_counter()
            conn = await asyncssh.connect("127.0.0.1", port, known_hosts=None, username="learner")
            process = await conn.create_process(term_type="xterm-256color", term_size=(120, 40), encoding=None)
            seen = bytearray()
            await _read_until(process, rb"Epoch: 0/1000", seen)
            result["first"].append(time.perf_counter() - start)
            conns.append(conn)
            sessions.append((process, seen))
            if len(conns) == 1:
                await asyncio.sleep(2)  # the first session's engine loads (its memory counted in full)
                result["one"] = _memory(server.pid)
        await asyncio.sleep(2)
        result["all"] = _memory(server.pid)
        apps = session_apps(server.pid)
        for i, (process, seen) in enumerate(sessions):
            before_cpu = sum(cpu_seconds(pid) for pid in apps)
            start = time.perf_counter()
            process.stdin.write(b"n")
            await _read_until(process, rb"Epoch: 1/1000", seen)
            result["key"].append(time.perf_counter() - start)
            await asyncio.sleep(0.5)  # the rest of the redraw
            result["key_cpu"].append(sum(cpu_seconds(pid) for pid in apps) - before_cpu)
            del i
    finally:
        for conn in conns:
            conn.close()
        server.terminate()
        server.wait(30)
    return result


def _memory(server: int) -> float:
    """PSS (MB) of everything the server runs for its sessions: apps, clients and the warm parent."""
    pids = list(children_of(server))
    pids += [grand for pid in pids for grand in children_of(pid)]
    return sum(memory_mb(pid)["pss"] for pid in pids if Path(f"/proc/{pid}").exists())


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 10
    print(f"the SSH door, {n} learners at 120x40 (asyncssh clients), warm sessions against --cold")
    print("                                   warm      cold")
    rows = {}
    for cold in (False, True):
        rows[cold] = asyncio.run(measure(n, cold))
    for name, fn in (
        ("connect → first frame, median s", lambda r: statistics.median(r["first"])),
        ("connect → first frame, worst s", lambda r: max(r["first"])),
        ("PSS, one session, MB", lambda r: r["one"]),
        (f"PSS, {n} sessions, MB", lambda r: r["all"]),
        ("PSS per extra session, MB", lambda r: (r["all"] - r["one"]) / max(1, n - 1)),
        ("key n → its effect, median ms", lambda r: 1000 * statistics.median(r["key"])),
        ("CPU of key n (whole redraw), ms", lambda r: 1000 * statistics.median(r["key_cpu"])),
    ):
        print(f"  {name:<33}{fn(rows[False]):8.2f}  {fn(rows[True]):8.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
