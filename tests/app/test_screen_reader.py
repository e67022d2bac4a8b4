"""The screen reader that `make bench` measures the app through (bench/screen_reader.py): it must
read the app's own status line at both sizes, and a screen drawn with escapes between cells."""

from __future__ import annotations

import sys
import textwrap
import threading
import time

import pytest
from scenarios import wait_ready
from screen_reader import ScreenReader, Status, read_status
from textual.geometry import Region

from tui.app import make_app
from tui.widgets.status_line import StatusLine


def status_lines(app) -> list[str]:
    widget = app.query_one(StatusLine)
    return [strip.text for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_bench_reads_state_speed_and_epoch_off_the_apps_status_line(size):
    app = make_app("xor-mlp")
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        assert read_status(status_lines(app)) == Status("ready", "10/s", 0)
        await pilot.press("n", "n", "S")
        assert read_status(status_lines(app)) == Status("paused", "1/s", 2)  # stepping pauses
        app.live.goal = 10**6
        await pilot.press("s", "s", "s", "space")  # max: the status adds the measured rate, and wraps at 80
        await pilot.pause(0.5)
        await pilot.press("space")
        await pilot.pause()
        seen = read_status(status_lines(app))
        assert (seen.state, seen.speed) == ("paused", "max")
        assert seen.epoch == app.live.last_epoch > 2


# Draws a status line, then (once told, by a line on its input) overwrites "running" cell by cell
# with cursor moves and colours in between (as Textual does), and writes Korean (two cells a
# character) on the next row. It waited 0.3 s instead: on a loaded machine both writes came in one
# read, and "running" was never on screen to be seen.
DRAWING = textwrap.dedent(r"""
    import sys, time
    out = sys.stdout.buffer
    out.write(b"\x1b[2J\x1b[1;1H running   lr 1  speed 10/s\x1b[2;1H Epoch: 7/5000 Loss :")
    out.flush(); sys.stdin.buffer.readline()
    out.write(b"\x1b[1;2Hp\x1b[1;3Ha\x1b[31mu\x1b[0ms\x1b[1;6He\x1b[38;5;9md\x1b[0m\x1b[1;8H \x1b[3;1H")
    out.write("일시정지 x".encode())
    out.flush(); time.sleep(30)
""")


def test_the_screen_reader_reads_text_drawn_with_escapes_between_cells():
    pytest.importorskip("pyte")
    errors = []
    hook, threading.excepthook = threading.excepthook, lambda args: errors.append(args.exc_value)
    try:
        term = ScreenReader([sys.executable, "-c", DRAWING], size=(40, 5))
        try:
            running = term.wait_status(lambda s: s.state == "running", since=0, timeout=10)
            time.sleep(0.3)
            term.send("\n")
            paused = term.wait_status(lambda s: s.state == "paused", since=running, timeout=10)
            assert paused - running >= 0.25  # the time the chunk arrived, not the time it was parsed
            assert term.status() == Status("paused", "10/s", 7)
            # the Korean row may arrive in a later read than the status: wait for it, then read it
            third = term.wait_text(lambda text: text.splitlines()[2].strip() != "", timeout=10).splitlines()[2]
            assert third.startswith("일시정지 x")  # pyte gives each two cells
        finally:
            term.close()  # while the program still writes: no EBADF in the reader thread
    finally:
        threading.excepthook = hook
    assert errors == []
