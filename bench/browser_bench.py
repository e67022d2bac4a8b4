"""`make bench`, the browser part: the app served by `perceptron-lab serve` as a learner's browser
and a classroom's server see it.

- the first page load in headless Chromium (until the panels are drawn, and until the engine is
  ready), against the first frame of the same app in a pseudo-terminal;
- a key's effect on the page (n: the next epoch), against the same key in a pseudo-terminal and
  over the websocket alone (the server's part);
- memory per tab (each tab is an app process that imports torch): RSS, and PSS and private
  memory, which say what a tab really adds when many share the libraries;
- how many tabs the machine serves while each stays responsive (every tab's key shows its
  effect within 200 ms) with half of them training at the default 10 epochs/s.

For the last two, tabs are websocket clients (what the server sees of a browser tab), not
Chromium tabs: in a classroom the browsers run on the learners' machines, and 30 headless
Chromium tabs would take this machine's CPU from the server being measured.

Not a test: it asserts nothing and prints figures. The machine is shared, so the CPU other
processes used during each step is printed with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import NO_CHROMIUM, Chromium, Served, Socket, alive, cpu_seconds, have_chromium, memory_mb

LIMIT = 0.200  # seconds: a key's effect, every tab, to count as responsive
GOAL = 10**6  # epochs: a run that does not finish during the bench


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:5.0f} ms {max(seconds) * 1000:5.0f} ms"


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    ticks = os.sysconf("SC_CLK_TCK")
    return (total - idle) / ticks, total / ticks


def tree_cpu(served: Served) -> float:
    return sum(cpu_seconds(pid) for pid in [served.process.pid, *served.apps()] if alive(pid))


# --- one learner: page load and key-to-screen --------------------------------------------------


async def browser_figures(repeats: int, keys: int) -> dict:
    figures: dict = {"drawn": [], "ready": [], "key": [], "closed": []}
    with Served("--lesson", "xor-mlp") as served:
        async with Chromium() as browser:
            for _ in range(repeats):
                tab = await browser.new_tab()
                started = time.perf_counter()
                figures["drawn"].append(await tab.open(served.url))
                await tab.wait_for("Epoch: 0/5000")
                figures["ready"].append(time.perf_counter() - started)
                await asyncio.sleep(0.5)
                app = served.apps()[0]
                cpu = cpu_seconds(app)
                for k in range(1, keys + 1):
                    figures["key"].append(await tab.key_to_screen("n", f"Epoch: {k}/5000"))
                    await asyncio.sleep(0.15)
                figures.setdefault("key_cpu", []).append((cpu_seconds(app) - cpu) / keys)
                closed = time.perf_counter()
                await tab.close()
                while alive(app) and time.perf_counter() - closed < 10:
                    await asyncio.sleep(0.01)
                figures["closed"].append(time.perf_counter() - closed)
    return figures


async def socket_keys(keys: int) -> list[float]:
    """n over the websocket alone: from sending the key to the status line's bytes arriving."""
    with Served("--lesson", "xor-mlp") as served:
        tab = await Socket(served.url).open()
        await tab.wait_for("Epoch: 0/5000", timeout=60)
        await tab.ws.send_str(json.dumps(["focus"]))
        await asyncio.sleep(0.5)
        times = []
        for k in range(1, keys + 1):
            sent = await tab.send("n")
            times.append(await tab.wait_for(f"Epoch: {k}/5000", since=sent, timeout=10))
            await asyncio.sleep(0.15)
        await tab.close()
    return times


def terminal_figures(repeats: int, keys: int) -> dict:
    import terminal_bench

    figures: dict = {"drawn": [], "ready": [], "key": []}
    for _ in range(repeats):
        term = terminal_bench.Terminal([*terminal_bench.APP, "--lesson", "xor-mlp"], size=(142, 42))
        try:
            figures["drawn"].append(term.wait_for("Truth table"))
            figures["ready"].append(term.wait_for("Epoch: 0/5000"))
            time.sleep(0.5)
            for k in range(1, keys + 1):
                sent = term.send("n")
                figures["key"].append(term.wait_for(f"Epoch: {k}/5000", since=sent, timeout=10))
                time.sleep(0.15)
        finally:
            term.close()
    return figures


# --- a classroom: many tabs on one server ----------------------------------------------------------


class Classroom:
    """Tabs (websocket clients, each in view) on one server; every other one training at 10/s."""

    def __init__(self, served: Served, watched: bool = True) -> None:
        self.served, self.watched = served, watched
        self.tabs: list[Socket] = []
        self.epochs: list[int] = []  # the epoch each paused tab is at

    async def add(self, n: int) -> None:
        new = [await Socket(self.served.url, size=(142, 42)).open() for _ in range(n)]
        for tab in new:  # each imports torch: ~1-2 CPU-seconds apiece, so they come up in turn
            await tab.wait_for(f"Epoch: 0/{GOAL}", timeout=120)
            await tab.ws.send_str(json.dumps(["focus"]))
        for tab in new:
            index = len(self.tabs)
            self.tabs.append(tab)
            self.epochs.append(0)
            if index % 2 == 1:
                since = time.perf_counter()
                await tab.send(" ")
                await tab.wait_for("running", since=since)
                if not self.watched:
                    await tab.ws.send_str(json.dumps(["blur"]))

    def training(self, index: int) -> bool:
        return index % 2 == 1

    async def key(self, index: int) -> float:
        """One key on one tab: n on a paused tab (the next epoch, every panel redrawn); s or S on a
        training one (its speed, on the status line)."""
        tab = self.tabs[index]
        if self.training(index):
            sent = await tab.send("s")
            first = await tab.wait_for("speed 100/s", since=sent, timeout=10)
            await asyncio.sleep(0.1)
            sent = await tab.send("S")
            second = await tab.wait_for("speed 10/s", since=sent, timeout=10)
            return max(first, second)
        self.epochs[index] += 1
        sent = await tab.send("n")
        return await tab.wait_for(f"Epoch: {self.epochs[index]}/{GOAL}", since=sent, timeout=10)

    async def measure(self, rounds: int = 2) -> dict:
        """Keys on every tab in turn, `rounds` times, and the CPU while doing it."""
        await asyncio.sleep(2)  # let the newly started ones settle into their pace
        busy0, total0 = machine_busy()
        ours0, wall0 = tree_cpu(self.served), time.perf_counter()
        latencies = []
        for _ in range(rounds):
            for index in range(len(self.tabs)):
                latencies.append(await self.key(index))
                await asyncio.sleep(0.05)
        busy1, total1 = machine_busy()
        ours1, wall1 = tree_cpu(self.served), time.perf_counter()
        cores = os.cpu_count() or 1
        wall = wall1 - wall0
        mem = [memory_mb(pid) for pid in self.served.apps()]
        return {
            "tabs": len(self.tabs),
            "latencies": latencies,
            "ours": (ours1 - ours0) / wall,  # cores used by the server and its apps
            "machine": (busy1 - busy0) / (total1 - total0) * cores,  # cores used by everything
            "pss": sum(m["pss"] for m in mem),
            "rss": statistics.mean(m["rss"] for m in mem),
            "private": statistics.mean(m["private"] for m in mem),
        }

    async def close(self) -> None:
        for tab in self.tabs:
            await tab.close()


async def classroom(steps: list[int], watched: bool = True) -> list[dict]:
    results = []
    with Served("--lesson", "xor-mlp", "--epochs", str(GOAL)) as served:
        room = Classroom(served, watched)
        try:
            for n in steps:
                await room.add(n - len(room.tabs))
                result = await room.measure()
                results.append(result)
                print(row(result), flush=True)
                if max(result["latencies"]) > LIMIT * 2:  # well past: more tabs would only be worse
                    break
        finally:
            await room.close()
    return results


async def training_cost(seconds: float = 6) -> dict:
    """CPU of one app training xor-mlp at 10 epochs/s, in view and out of view, and paused."""
    with Served("--lesson", "xor-mlp", "--epochs", str(GOAL)) as served:
        tab = await Socket(served.url).open()
        await tab.wait_for(f"Epoch: 0/{GOAL}", timeout=60)
        await tab.ws.send_str(json.dumps(["focus"]))
        app = served.apps()[0]

        async def cost() -> tuple[float, float]:
            c0, b0, t0 = cpu_seconds(app), len(tab.output()), time.perf_counter()
            await asyncio.sleep(seconds)
            wall = time.perf_counter() - t0
            return (cpu_seconds(app) - c0) / wall, (len(tab.output()) - b0) / wall / 1024

        await asyncio.sleep(1)
        figures = {"paused": await cost()}
        await tab.send(" ")
        await asyncio.sleep(1)
        figures["watched"] = await cost()
        await tab.ws.send_str(json.dumps(["blur"]))
        await asyncio.sleep(1)
        figures["unwatched"] = await cost()
        await tab.close()
    return figures


def row(result: dict) -> str:
    lat = sorted(result["latencies"])
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
    ok = "yes" if lat[-1] <= LIMIT else "NO"
    return (
        f"{result['tabs']:5d}  {statistics.median(lat) * 1000:6.0f} {p95 * 1000:6.0f} {lat[-1] * 1000:6.0f}   {ok:>3}   "
        f"{result['ours']:5.2f} {result['machine'] - result['ours']:6.2f}   {result['rss']:6.0f} {result['pss'] / result['tabs']:6.0f} {result['private']:6.0f}"
    )


HEADER = (
    "   tabs  key median  p95  worst ≤200  cores:  ours  others   MB/tab: RSS    PSS private\n"
    "          (ms; n on paused tabs, s/S on training ones)"
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tabs", type=int, default=12, help="most tabs to try in the classroom step (default 12)")
    parser.add_argument("--step", type=int, default=4, help="tabs added at each step (default 4)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    os.environ.setdefault("MKL_CBWR", "COMPATIBLE")
    os.environ.setdefault("ATEN_CPU_CAPABILITY", "default")
    if not have_chromium():
        print(f"browser bench skipped: {NO_CHROMIUM}")
        return
    repeats, keys = (1, 5) if args.quick else (3, 10)

    print("the app served to headless Chromium (1280×800: 142×42 cells), xor-mlp\n")
    term = terminal_figures(repeats, keys)
    page = asyncio.run(browser_figures(repeats, keys))
    wire = asyncio.run(socket_keys(keys))
    print("first frame                                    s     × terminal")
    print(f"pseudo-terminal, 142×42 (baseline)          {min(term['drawn']):5.2f}     1.00")
    print(
        f"browser: navigation → panels drawn          {min(page['drawn']):5.2f}     {min(page['drawn']) / min(term['drawn']):4.2f}   (best of {repeats})"
    )
    print(
        f"  engine ready (torch loaded, epoch 0)      {min(page['ready']):5.2f}     {min(page['ready']) / min(term['ready']):4.2f}   (terminal: {min(term['ready']):.2f} s)\n"
    )
    print("n until its epoch is on screen                          median   worst")
    print(f"  pseudo-terminal (baseline)                           {ms(term['key'])}   of {len(term['key'])}")
    print(f"  websocket alone (the server's part)                  {ms(wire)}   of {len(wire)}")
    print(
        f"  browser page (key in xterm.js → its screen)          {ms(page['key'])}   of {len(page['key'])}   "
        f"× terminal {statistics.median(page['key']) / statistics.median(term['key']):.2f}"
    )
    print(f"closing the tab ends its app process in {max(page['closed']):.2f} s (worst of {repeats})\n")

    cost = asyncio.run(training_cost())
    print("one tab's app, xor-mlp                           CPU (cores)   KB/s to the browser")
    for name, label in (
        ("paused", "paused"),
        ("watched", "training at 10/s, in view"),
        ("unwatched", "training at 10/s, out of view"),
    ):
        cpu, kbs = cost[name]
        print(f"  {label:<45} {cpu:5.2f}        {kbs:7.1f}")
    print()

    steps = list(range(args.step, args.tabs + 1, args.step))
    cores = os.cpu_count() or 1
    print(f"a classroom on this machine ({cores} cores): half the tabs training xor-mlp at 10/s, every tab in view")
    print(HEADER)
    room = asyncio.run(classroom(steps))
    fits = [r["tabs"] for r in room if max(r["latencies"]) <= LIMIT]
    print(
        f"every key within 200 ms up to {max(fits) if fits else 0} tabs of the {room[-1]['tabs']} tried, "
        f"with other processes using the CPU shown under 'others'\n"
    )

    # A model for a machine of its own: a key that needs c seconds of CPU, on cores already busy a
    # fraction u of the time, takes about c / (1 - u) (processor sharing); so every key stays
    # within LIMIT while u <= 1 - c / LIMIT. Tabs: half training (cost t each), half paused (p).
    key_cpu = statistics.median(page["key_cpu"])
    paused = cost["paused"][0]
    usable = max(0.0, 1 - key_cpu / LIMIT)
    pss = statistics.mean(r["pss"] / r["tabs"] for r in room)
    print(
        f"model for a machine of its own with {cores} cores: n costs {key_cpu * 1000:.0f} ms of CPU, so keys stay within "
        f"200 ms while the cores are at most {usable:.0%} busy"
    )
    for name, label in (("watched", "training tabs in view"), ("unwatched", "training tabs out of view")):
        per_pair = cost[name][0] + paused
        tabs = int(2 * cores * usable / per_pair) if per_pair > 0 else 0
        need = 15 * per_pair / usable if usable > 0 else float("inf")
        print(f"  {label:<28} about {tabs:3d} tabs; 30 tabs need about {need:4.1f} cores")
    print(
        f"  memory: {pss:.0f} MB a tab (PSS), so 30 tabs take about {30 * pss / 1024:.1f} GB of the "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB"
    )


if __name__ == "__main__":
    main()
