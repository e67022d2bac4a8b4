"""`perceptron-lab serve`: its options, its refusals, its page, and a server's life (no browser:
tests/app/test_browser.py drives a real one)."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from browser import Served, Socket, alive
from scenarios import until, wait_ready
from textual import events

from tui.app import make_app
from tui.run.live import lower_thread_priority
from tui.serve import TEMPLATES, app_command, is_loopback, port_problem, serve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def taken_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_a_port_in_use_is_one_line_and_exit_2(taken_port, capsys):
    assert serve("127.0.0.1", taken_port, []) == 2
    err = capsys.readouterr().err
    assert (
        err == f"perceptron-lab serve: error: port {taken_port} on 127.0.0.1 is in use (choose another with --port)\n"
    )


def test_any_address_but_loopback_is_warned_about(taken_port, capsys):
    assert serve("0.0.0.0", taken_port, []) == 2  # taken: the warning comes first, then the refusal
    warning, error = capsys.readouterr().err.splitlines()
    assert "0.0.0.0" in warning and "no login" in warning
    assert "in use" in error
    assert serve("127.0.0.1", taken_port, []) == 2
    assert "warning" not in capsys.readouterr().err
    assert is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("lab.example")


def test_addresses_that_cannot_be_served_say_why():
    assert "not an address of this machine" in port_problem("192.0.2.1", 8000)  # TEST-NET-1: never ours
    assert "cannot resolve" in port_problem("no-such-host.invalid", 8000)


def test_serve_passes_the_app_options_to_every_tab_and_loads_no_ui_to_parse():
    code = """
import sys
from unittest import mock
import tui.serve
from core.cli import build_parser
from tui.__main__ import COMMANDS, main
args = build_parser(COMMANDS, "en").parse_args(["serve", "--open", "runs/a.json", "--theme", "nord"])
print(tui.serve.app_argv(args))
print(sorted(m for m in ("textual", "aiohttp", "textual_serve", "torch") if m in sys.modules))
with mock.patch.object(tui.serve, "serve", lambda host, port, argv, lang, **_: print(host, port, argv, lang) or 0):
    main(["serve", "--port", "8123", "--lesson", "xor", "--lang", "ko", "--epochs", "50", "--no-mouse"])
    print(sorted(m for m in ("torch",) if m in sys.modules))
    main(["serve", "--host", "0.0.0.0", "--keymap", "step=j", "--keymap", "run=p"])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    parsed, loaded, call, torch, keymapped = out.splitlines()
    assert (
        parsed == f"['--lesson', 'and', '--theme', 'nord', '--open', '{ROOT / 'runs/a.json'}']"
    )  # as the tab finds it
    assert loaded == "[]"  # parsing loads no UI, no server and no torch
    assert call == "127.0.0.1 8123 ['--lesson', 'xor', '--epochs', '50', '--lang', 'ko', '--no-mouse'] ko"
    assert torch == "[]"  # the server itself runs no app
    assert keymapped == "0.0.0.0 8000 ['--lesson', 'and', '--lang', 'en', '--keymap', 'step=j', '--keymap', 'run=p'] en"


@pytest.mark.parametrize(
    "argv",
    [["--theme", "nope"], ["--keymap", "nope=j"], ["--port", "70000"], ["--lesson", "nope"], ["--open", "nope.json"]],
)
def test_bad_serve_options_are_one_line_errors(argv, capsys):
    from tui.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("perceptron-lab serve: error:")


def test_each_tab_runs_this_interpreters_app_with_its_options_quoted():
    assert app_command(["--keymap", "step=j k"]) == f"exec {sys.executable} -m tui --keymap 'step=j k'"


def test_the_page_loads_nothing_from_outside():
    page = (TEMPLATES / "app_index.html").read_text()
    urls = set(re.findall(r"""(?:https?:)?//[\w.-]+[^"'\s)]*""", page))
    assert urls == {"http://www.w3.org/2000/svg"}  # an SVG namespace, never fetched
    for src in re.findall(r"""(?:src|href)=["']([^"']+)""", page):
        assert src.startswith("{{ config.static.url }}"), src


def test_the_served_page_is_ours_with_addresses_from_the_request():
    import urllib.request

    with Served() as served:
        request = urllib.request.Request(served.url, headers={"Host": "lab.example:8123"})
        page = urllib.request.urlopen(request, timeout=10).read().decode()
        font = urllib.request.urlopen(served.url + "static/fonts/RobotoMono-VariableFont_wght.ttf", timeout=10)
        assert font.status == 200 and len(font.read()) > 100_000
    assert "<title>Perceptron Lab</title>" in page and "fonts.googleapis" not in page
    assert 'data-session-websocket-url="ws://lab.example:8123/ws"' in page  # as the browser reached it
    assert 'href="/static/css/xterm.css"' in page and "Session ended." in page
    assert served.said.startswith(f"Perceptron Lab at http://localhost:{served.port}: every browser tab")


def test_the_training_thread_yields_the_cpu():
    import os

    if not sys.platform.startswith("linux"):
        pytest.skip("thread priorities are Linux's")
    seen = []

    def work():
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        lower_thread_priority()
        seen.append((before, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    before, after = seen[0]
    assert after == min(19, before + 10)
    assert os.getpriority(os.PRIO_PROCESS, 0) == before  # the process (and its UI thread) unchanged


async def test_out_of_view_the_panels_redraw_at_the_fast_rates_and_all_at_once_back_in_view():
    app = make_app("xor-mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.live.goal = 10**6

        async def table_draws(seconds: float) -> tuple[int, float]:
            """The table's redraws in at least `seconds` of the clock, and the seconds it took (a
            loaded machine's pauses run long: the count is judged against the time that passed)."""
            seen, start = set(), time.monotonic()
            while time.monotonic() - start < seconds:
                await pilot.pause(0.05)
                seen.add(app.drawing.drawn["table"])
            return len(seen), time.monotonic() - start

        await pilot.press("space")  # 10 epochs a second: in view, the table twice a second
        draws, took = await table_draws(3)
        assert draws >= 1.5 * took - 1, (draws, took)
        app.post_message(events.AppBlur())
        await pilot.pause(0.1)
        draws, took = await table_draws(3)
        assert draws <= took + 1.5, (draws, took)  # out of view: once a second
        assert app.state == "running"
        weights = app.drawing.drawn["weights"]
        app.post_message(events.AppFocus())
        await until(pilot, lambda: app.drawing.drawn["weights"] > weights, timeout=0.5)  # back in view: at once
        await pilot.press("space")


async def test_the_engine_stops_however_the_app_is_told_to_exit():
    from textual import messages

    app = make_app("xor-mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space")
        await pilot.pause(0.2)
        assert app.state == "running" and not app.engine.stop.is_set()
        try:
            app.post_message(messages.ExitApp())  # what a closed tab, or a stopped server, sends
            await pilot.pause(0.2)
            stopped = app.engine.stop.is_set()
        finally:
            app.engine.stop.set()  # else a worker left training would hold the test open
        assert stopped


async def test_stopping_the_server_ends_every_tabs_app():
    with Served("--lesson", "xor-mlp", "--epochs", "100000") as served:
        tabs = [await Socket(served.url).open() for _ in range(2)]
        for tab in tabs:
            await tab.wait_for("Epoch: 0/100000", timeout=60)
        await tabs[0].send(" ")  # one of them training
        await tabs[0].wait_for("running", since=tabs[0].chunks[-1][0])
        apps = served.apps()
        assert len(apps) == 2
        assert await asyncio.to_thread(served.stop) == 0  # ctrl+c; the tabs answer its goodbye
        for _ in range(50):
            if not any(alive(pid) for pid in apps):
                break
            await asyncio.sleep(0.1)
        assert not any(alive(pid) for pid in apps)
        for tab in tabs:
            await tab.close()


async def _until(condition, timeout: float) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the server did not get there")


async def _storm(tabs_at_once: int, most: int, reloads: int) -> None:
    """`tabs_at_once` websockets at once against `most` seats: that many get the app, the rest one
    line each, and nobody seated notices; then a page reloaded `reloads` times (open, close before
    or after its first frame); then every seat is free again and no app is left over."""
    from browser import memory_mb

    with Served("--max-sessions", str(most), "--lesson", "and") as served:
        tabs = await asyncio.gather(*(Socket(served.url, size=(100, 30)).open() for _ in range(tabs_at_once)))

        async def outcome(tab):
            for _ in range(1200):
                said = tab.output()
                if b"Epoch: 0/1000" in said:
                    return "seated"
                if b"The class is full" in said:
                    return "full"
                await asyncio.sleep(0.1)
            return "nothing"

        outcomes = await asyncio.gather(*(outcome(tab) for tab in tabs))
        assert outcomes.count("seated") == most and outcomes.count("full") == tabs_at_once - most, outcomes
        seated = [tab for tab, said in zip(tabs, outcomes) if said == "seated"]
        since = await seated[0].send("n")
        await seated[0].wait_for("Epoch: 1/1000", since=since, timeout=60)
        for tab, said in zip(tabs, outcomes):
            if said == "full":
                await tab.close()
        await _until(lambda: len(served.apps()) == most, timeout=60)
        before = sum(memory_mb(pid)["pss"] for pid in served.apps())
        for i in range(reloads):  # the last seat, reloaded
            await seated[-1].close()
            seated[-1] = await Socket(served.url, size=(100, 30)).open()
            if i % 2:
                await seated[-1].wait_for("Epoch: 0/1000", timeout=120)
        await seated[-1].wait_for("Epoch: 0/1000", timeout=120)
        await _until(lambda: len(served.apps()) == most, timeout=60)  # no app left over
        after = sum(memory_mb(pid)["pss"] for pid in served.apps())
        assert after <= before * 1.10 + 50, (before, after)
        since = await seated[0].send("n")  # the first learner noticed nothing
        await seated[0].wait_for("Epoch: 2/1000", since=since, timeout=60)
        for tab in seated:
            await tab.close()
        await _until(lambda: served.apps() == [], timeout=60)
        assert served.process.poll() is None


async def test_a_full_class_of_tabs_turns_newcomers_away_and_reloads_leave_nothing_behind():
    await _storm(tabs_at_once=8, most=3, reloads=10)


@pytest.mark.slow
async def test_sixty_tabs_at_once_and_a_page_reloaded_200_times():
    await _storm(tabs_at_once=60, most=40, reloads=200)
