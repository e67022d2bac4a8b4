"""The app over a slow SSH link (100 ms round trip, 1 Mbit/s each way; bench/emulated_link.py),
as a learner far away feels it: how soon a key's effect reaches their terminal while xor-mlp
trains, how soon the stream goes quiet after pausing, the first frame against `ssh host true`,
quitting, and the bytes a second the app sends at each speed.

Baselines from the same run: the link itself (TCP connect, bulk rate), `ssh host true`, and a key
echoed by the far side's terminal (the fastest any key's effect can come back).

    .venv/bin/python bench/link_bench.py [--sizes 120x40,80x24] [--repeats 12]

Needs root (network namespaces); installs openssh-server and iptables with apt-get if missing.
Otherwise it prints one line saying why it is skipped. Takes 8-9 minutes (2 sizes, 12 repeats).
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from emulated_link import CLIENT, ONE_WAY_MS, SERVER, EmulatedLink, prepare  # noqa: E402
from screen_reader import ScreenReader  # noqa: E402

RTT = 2 * ONE_WAY_MS / 1000
LONG_RUN = 10_000_000  # at max speed the lesson's 5000 epochs take about a second: a run that lasts
SPEEDS = ("1/s", "10/s", "100/s", "max")  # the order `s` steps through (tui/run/live.py)
KEY_MEDIAN, KEY_WORST = RTT + 0.100, RTT + 0.300  # the targets (issue 8)
QUIET_TARGET, FIRST_FRAME_MARGIN, QUIT_TARGET = 0.3, 0.8, 1.5
QUIET_WAIT = 20.0  # seconds after pausing before "it never goes quiet" is noted


def app_command(epochs: int | None = None) -> str:
    """`perceptron-lab --lesson xor-mlp`, on the far side, in English."""
    env = {"MKL_CBWR": "COMPATIBLE", "ATEN_CPU_CAPABILITY": "default", "LC_ALL": "C.UTF-8"}
    assignments = " ".join(f"{k}={v}" for k, v in env.items())
    run = f" --epochs {epochs}" if epochs else ""
    python = shlex.quote(sys.executable)
    return f"cd {shlex.quote(str(ROOT))} && exec env {assignments} {python} -m tui --lesson xor-mlp --lang en{run}"


# --- the link itself ------------------------------------------------------------------------------

_CONNECT = """
import socket, sys, time
times = []
for _ in range(5):
    t = time.perf_counter()
    s = socket.create_connection((sys.argv[1], 22))
    times.append(time.perf_counter() - t)
    s.close()
    time.sleep(0.05)
print(sorted(times)[2])
"""
_BULK_SERVER = """
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1], 9000)); s.listen()
c, _ = s.accept(); c.sendall(b"x" * int(sys.argv[2])); c.close()
"""
_BULK_CLIENT = """
import socket, sys, time
for _ in range(100):
    try:
        s = socket.create_connection((sys.argv[1], 9000)); break
    except OSError:
        time.sleep(0.05)
got, first = 0, None
while data := s.recv(65536):
    first = first or time.perf_counter(); got += len(data)
print(got / (time.perf_counter() - first))
"""


def link_check(link: EmulatedLink) -> dict:
    connect = float(
        subprocess.run(
            link.client([sys.executable, "-c", _CONNECT, SERVER]), capture_output=True, text=True, check=True
        ).stdout
    )
    size = 600_000
    server = link.spawn(link.server_side([sys.executable, "-c", _BULK_SERVER, SERVER, str(size)]), name="bulk")
    bulk = float(
        subprocess.run(
            link.client([sys.executable, "-c", _BULK_CLIENT, SERVER]), capture_output=True, text=True, check=True
        ).stdout
    )
    server.wait(timeout=10)
    trues = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(link.ssh("true"), check=True, stdin=subprocess.DEVNULL)
        trues.append(time.perf_counter() - started)
    return {"connect": connect, "bulk": bulk, "ssh_true": statistics.median(trues)}


def key_echo(link: EmulatedLink, repeats: int) -> list[float]:
    """A key echoed by the far side's terminal (cat on a pty in cooked mode): the floor."""
    term = ScreenReader(link.ssh("cat", tty=True), size=(80, 24))
    try:
        time.sleep(2)  # logged in
        times = []
        for i in range(repeats):
            key = "abcdefghijklmnopqrstuvwxyz"[i % 26]
            sent = term.send(key)
            times.append(term.wait_bytes(key.encode(), since=sent) - sent)
            time.sleep(0.1)
    finally:
        term.close()
    return times


# --- the app --------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The samples of each thing measured (seconds, or KB where the name says so), in the order taken."""

    seconds: float = 5.0  # the span of each bytes-a-second figure
    samples: dict[str, list[float]] = field(default_factory=dict)
    rates: dict[str, tuple[float, float]] = field(default_factory=dict)  # speed: (terminal B/s, wire B/s)
    notes: list[str] = field(default_factory=list)  # anything odd seen on the way

    def add(self, name: str, seconds: float) -> None:
        self.samples.setdefault(name, []).append(seconds)


class App:
    """The app over the link, with keys that wait for their effect on the status line."""

    def __init__(self, link: EmulatedLink, size: tuple[int, int], epochs: int | None = None):
        self.link = link
        self.term = ScreenReader(link.ssh(app_command(epochs), tty=True), size=size)

    def key(self, key: str, wanted, timeout: float = 30.0) -> tuple[float, float]:
        """Press `key`; (when it was sent, seconds until the status line showed `wanted`)."""
        sent = self.term.send(key)
        return sent, self.term.wait_status(wanted, since=sent, timeout=timeout) - sent

    def start(self, speed: str = "10/s") -> float:
        """Wait for the engine, set the speed, run; when the engine was ready (epoch 0 shown)."""
        ready = self.term.wait_status(lambda s: s.epoch == 0 and s.state == "ready", since=0, timeout=60)
        self.set_speed(speed)
        self.key(" ", lambda s: s.state == "running")
        return ready

    def set_speed(self, speed: str) -> None:
        while self.term.status().speed != speed:
            after = SPEEDS[(SPEEDS.index(self.term.status().speed) + 1) % len(SPEEDS)]
            self.key("s", lambda s, after=after: s.speed == after)

    def pause(self) -> float:
        """Pause and wait until nothing more comes; when the key was sent."""
        sent, _ = self.key(" ", lambda s: s.state == "paused")
        self.term.wait_quiet(since=sent, quiet=1.0, timeout=QUIET_WAIT)
        return sent

    def rate(self, seconds: float) -> tuple[float, float]:
        """Bytes a second over the next `seconds`: as the terminal gets them, and on the wire."""
        wire, start = self.link.wire_bytes(), time.perf_counter()
        time.sleep(seconds)
        wire, stop = self.link.wire_bytes() - wire, time.perf_counter()
        return self.term.bytes_between(start, stop) / (stop - start), wire / (stop - start)

    def quit(self, figures: Figures, name: str = "quit") -> None:
        sent = self.term.send("q")
        figures.add(name, self.term.wait_exit(timeout=15) - sent)

    def close(self) -> None:
        self.term.close()


def first_frames(link: EmulatedLink, size, repeats: int, figures: Figures) -> None:
    """New sessions of the lesson as a learner starts it: ssh started → the panels drawn, → the
    engine ready; then q while training at the default speed."""
    for _ in range(repeats):
        app = App(link, size)
        try:
            figures.add("first frame", app.term.wait_first_frame(timeout=60) - app.term.started)
            figures.add("engine ready", app.start() - app.term.started)
            time.sleep(1.5)
            app.quit(figures)
        finally:
            app.close()


def keys_while_training(
    link: EmulatedLink, size, speed: str, repeats: int, figures: Figures, rng: random.Random
) -> None:
    """pause (then resume) and s/S, each `repeats` times at a random moment while training at
    `speed`; at 10/s also n (paused); at max also the bytes a second; then q."""
    app = App(link, size, epochs=LONG_RUN if speed == "max" else None)
    try:
        app.start(speed)
        time.sleep(2)
        if speed == "max":
            figures.rates["max"] = app.rate(figures.seconds)
        for _ in range(repeats):
            time.sleep(rng.uniform(0.8, 1.5))
            sent, seconds = app.key(" ", lambda s: s.state == "paused")
            figures.add(f"{speed} pause", seconds)
            try:
                last = app.term.wait_quiet(since=sent, quiet=1.0, timeout=QUIET_WAIT)
            except TimeoutError:  # a finding, not a failure of the bench: note it and go on
                last = time.perf_counter()
                rate = app.term.bytes_between(last - 1, last) / 1000
                figures.notes.append(
                    f"{speed}: still writing {QUIET_WAIT:.0f} s after pausing ({rate:.1f} KB in the last second; "
                    f"the status says {app.term.status()})"
                )
            figures.add(f"{speed} quiet", last - sent)
            figures.add(f"{speed} quiet after paused", last - sent - seconds)
            figures.add(f"{speed} KB before paused", app.term.bytes_between(sent, sent + seconds) / 1000)
            figures.add(f"{speed} KB until quiet", app.term.bytes_between(sent, last + 1e-6) / 1000)
            _, seconds = app.key(" ", lambda s: s.state == "running")
            figures.add(f"{speed} resume", seconds)
        # Speed keys to a neighbour and back, so the load stays near `speed`.
        away, back = ("s", "S") if speed != "max" else ("S", "s")
        for _ in range(repeats):
            time.sleep(rng.uniform(0.5, 1.2))
            _, seconds = app.key(away, lambda s: s.speed == "100/s")
            figures.add(f"{speed} speed key", seconds)
            time.sleep(rng.uniform(0.5, 1.2))
            _, seconds = app.key(back, lambda s: s.speed == speed)
            figures.add(f"{speed} speed key", seconds)
        if speed != "max":
            app.pause()
            for _ in range(repeats):
                epoch = app.term.status().epoch
                _, seconds = app.key("n", lambda s, e=epoch: s.epoch == e + 1)
                figures.add("step (paused)", seconds)
                time.sleep(rng.uniform(0.3, 0.6))
            app.key(" ", lambda s: s.state == "running")
        time.sleep(1.5)
        app.quit(figures)
    finally:
        app.close()


def rates(link: EmulatedLink, size, figures: Figures) -> None:
    """Bytes a second at 1, 10 and 100 epochs a second (the lesson's own run), and paused."""
    app = App(link, size)
    try:
        app.start("1/s")
        for speed in SPEEDS[:-1]:
            app.set_speed(speed)
            time.sleep(2)
            figures.rates[speed] = app.rate(figures.seconds)
        app.pause()
        figures.rates["paused"] = app.rate(figures.seconds)
        app.quit(figures, "quit paused")
    finally:
        app.close()


# --- the report -----------------------------------------------------------------------------------


def _line(
    label: str,
    values: list[float],
    scale: float = 1000,
    median: float | None = None,
    worst: float | None = None,
    digits: int | None = None,
) -> None:
    """One figure: median, worst and count, and whether it meets its targets (if it has any)."""
    m, w = statistics.median(values), max(values)
    digits = (0 if scale > 1 else 2) if digits is None else digits
    verdict = ""
    if median is not None or worst is not None:
        wanted = " ".join(
            f"{what} ≤ {limit * scale:.{digits}f}"
            for what, limit in (("median", median), ("worst", worst))
            if limit is not None
        )
        good = (median is None or m <= median) and (worst is None or w <= worst)
        verdict = f"{wanted}  {'ok' if good else 'MISSED'}"
    print(f"  {label:<44} {m * scale:7.{digits}f} {w * scale:7.{digits}f} {len(values):4d}   {verdict}")


def report(size, figures: Figures, baseline: dict) -> None:
    s = figures.samples
    print(f"\n{size[0]}x{size[1]}                                          median   worst     n   target")
    print("starting and quitting, s")
    _line(
        "ssh started → first frame (panels drawn)",
        s["first frame"],
        1,
        median=baseline["ssh_true"] + FIRST_FRAME_MARGIN,
    )
    _line("ssh started → engine ready (Epoch: 0)", s["engine ready"], 1)
    _line("q while training → connection closed", s["quit"], 1, worst=QUIT_TARGET)
    _line("q while paused → connection closed", s["quit paused"], 1, worst=QUIT_TARGET)
    for speed in ("10/s", "max"):
        print(f"training at {speed}: a key until its effect has reached the terminal, ms")
        _line('space → "paused"', s[f"{speed} pause"], median=KEY_MEDIAN, worst=KEY_WORST)
        _line("space → the stream quiet (its last byte)", s[f"{speed} quiet"], worst=QUIET_TARGET)
        _line("  the last byte after 'paused' arrived", s[f"{speed} quiet after paused"])
        _line("  KB that came before 'paused'", s[f"{speed} KB before paused"], 1, digits=1)
        _line("  KB from the key until quiet", s[f"{speed} KB until quiet"], 1, digits=1)
        _line('space again → "running"', s[f"{speed} resume"])
        _line(
            f"{'s/S' if speed != 'max' else 'S/s'} → the new speed in the status line",
            s[f"{speed} speed key"],
            median=KEY_MEDIAN,
            worst=KEY_WORST,
        )
    print("paused (after training at 10/s), ms")
    _line("n → the next epoch in the status line", s["step (paused)"], median=KEY_MEDIAN, worst=KEY_WORST)
    print("bytes a second over the link, KB/s              terminal    wire (SSH+TCP+IP; the link carries ~120)")
    for speed in (*SPEEDS, "paused"):
        terminal, wire = figures.rates[speed]
        label = "paused" if speed == "paused" else f"training at {speed}"
        print(f"  {label:<44} {terminal / 1000:7.1f} {wire / 1000:7.1f}")
    for note in figures.notes:
        print(f"  note: {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="120x40,80x24", help="terminal sizes, COLSxROWS,... (default 120x40,80x24)")
    parser.add_argument("--repeats", type=int, default=12, help="samples of each key (default 12)")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each bytes-a-second figure is taken over")
    parser.add_argument("--unshaped", action="store_true", help="no rate limit, no delay: what the machine alone costs")
    args = parser.parse_args(argv)
    sizes = [tuple(int(n) for n in size.split("x")) for size in args.sizes.split(",")]
    sys.stdout.reconfigure(line_buffering=True)  # a line at a time: the bench takes minutes

    link_is = (
        "UNSHAPED (no rate limit, no delay; the targets are for the slow link)"
        if args.unshaped
        else f"{RTT * 1000:.0f} ms round trip, 1 Mbit/s each way"
    )
    print(f"the app over an emulated SSH link: {link_is}, xor-mlp, TERM=xterm-256color")
    print(
        f"load average at the start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(the app and the bench share them)"
    )
    try:
        import pyte  # noqa: F401
    except ImportError:
        print("skipped: pyte is missing (make bench installs it: pip install -e '.[bench]')")
        return
    why = prepare()
    if why:
        print(f"skipped: {why}")
        return
    # SIGTERM and SIGHUP unwind like ^C, so the link is taken down on the way out.
    handlers = {
        sig: signal.signal(sig, lambda number, _: sys.exit(128 + number)) for sig in (signal.SIGTERM, signal.SIGHUP)
    }
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.001)  # the reader thread timestamps chunks: let it in promptly
    try:
        _measure(args, sizes)
    finally:
        sys.setswitchinterval(interval)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _measure(args: argparse.Namespace, sizes: list[tuple[int, int]]) -> None:
    started = time.perf_counter()
    rng = random.Random(8)
    link = EmulatedLink(shaped=not args.unshaped)
    try:
        link.open()
    except RuntimeError as error:
        print(f"skipped: the emulated link could not be built: {error}")
        return
    try:
        baseline = link_check(link)
        echo = key_echo(link, args.repeats)
        how = (
            f"veth, tbf, NFQUEUE hold of {ONE_WAY_MS} ms each way"
            if link.shaped
            else "veth, UNSHAPED: no rate limit, no delay"
        )
        print(f"network namespaces {CLIENT} → {SERVER} ({how})")
        print(
            f"  TCP connect {baseline['connect'] * 1000:.1f} ms (median of 5), "
            f"bulk {baseline['bulk'] / 1000:.0f} KB/s, "
            f"`ssh host true` {baseline['ssh_true']:.2f} s (median of 5)"
        )
        print(
            f"  a key echoed by the far side's terminal (baseline): median {statistics.median(echo) * 1000:.0f} ms, "
            f"worst {max(echo) * 1000:.0f} ms of {len(echo)}"
        )
        for size in sizes:
            figures = Figures(seconds=args.seconds)
            first_frames(link, size, 5, figures)
            keys_while_training(link, size, "10/s", args.repeats, figures, rng)
            keys_while_training(link, size, "max", args.repeats, figures, rng)
            rates(link, size, figures)
            report(size, figures, baseline)
        if link.shaped:
            print(f"\nthe rate limits over the whole run: {link.drops()}")
            if not link.delaying():
                print(
                    "WARNING: a packet delay program died during the run: the figures above are not for a 100 ms link"
                )
    finally:
        link.close()
    print(
        f"\n(the link bench took {time.perf_counter() - started:.0f} s; "
        f"load average at the end {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
