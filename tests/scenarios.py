"""The views the snapshot tests check and `make screenshots` draws: each a lesson, a size, a
language and the keys that lead there. Keys only: the free-running thread is never raced."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_SPEED = ("s", "s")  # 10/s → 100/s → max
HERE = Path(__file__).resolve().parent
# The terminal a scenario pretends to be, read by the app when it is made (its console's colour
# system; NO_COLOR greys it): the picture must not depend on the terminal the tests run in.
COLOURS = {
    "truecolor": {"TERM": "xterm-256color", "COLORTERM": "truecolor"},
    "16": {"TERM": "xterm"},  # rich: the 16 ANSI colours
    "none": {"TERM": "xterm-256color", "NO_COLOR": "1"},
}


@dataclass(frozen=True)
class Scenario:
    name: str
    lesson: str
    keys: tuple[str, ...] = ()
    size: tuple[int, int] = (120, 40)
    lang: str = "en"
    run_to_end: bool = False  # press space at max speed and wait for the run to finish
    colours: str = "truecolor"  # the terminal's colours: a key of COLOURS
    config: tuple = ()  # (name, value) changes to the lesson's settings: a run of one's own (an Experiment)
    open: str | None = None  # a session file (under tests/) the app opens on, as `--open FILE` does
    workdir: str | None = None  # the directory files are saved to and opened from, as the prompts show it
    course: str | None = None  # the course, started at this step (its progress in memory only)


SCENARIOS = [
    Scenario("and-start", "and"),
    Scenario("and-100", "and", ("N",)),
    Scenario("and-finished", "and", run_to_end=True),
    Scenario("or-100", "or", ("N",)),
    Scenario("xor-plateau", "xor", ("N",) * 10),
    Scenario("xor-mlp-start", "xor-mlp"),
    Scenario("xor-mlp-converged", "xor-mlp", run_to_end=True),
    Scenario("xor-mlp-epoch-2000", "xor-mlp", ("pageup",) * 30, run_to_end=True),
    Scenario("xor-mlp-80x24-ko", "xor-mlp", ("N",) * 5, size=(80, 24), lang="ko"),
    Scenario("and-80x24", "and", ("N",), size=(80, 24)),
    Scenario("xor-mlp-blowup", "xor-mlp", ("plus",) * 9 + ("n",)),  # lr 1000 makes epoch 1: it blows up there
    Scenario("help", "and", ("question_mark",)),
    Scenario("too-small", "and", size=(70, 20)),
    # The decision boundary: m gives the map the right column, h shows the hidden neurons.
    Scenario("xor-map", "xor", ("N",) * 10 + ("m",)),
    Scenario("xor-mlp-map", "xor-mlp", ("m",), run_to_end=True),
    Scenario("xor-2-2-1-plateau", "xor-2-2-1", ("N",) * 10),
    Scenario("xor-2-2-1-converged", "xor-2-2-1", run_to_end=True),
    Scenario("xor-2-2-1-hidden", "xor-2-2-1", ("h",), run_to_end=True),
    Scenario("xor-mlp-hidden", "xor-mlp", ("h", "tab", "tab"), run_to_end=True),
    Scenario("xor-2-2-1-80x24-ko-map", "xor-2-2-1", ("N",) * 20 + ("m",), size=(80, 24), lang="ko"),
    Scenario("xor-2-2-1-16-colours", "xor-2-2-1", ("N",) * 20, colours="16"),
    Scenario("xor-2-2-1-no-color", "xor-2-2-1", ("N",) * 20 + ("m",), size=(80, 24), colours="none"),
    Scenario("parity3-slice", "xor-mlp", ("N",) * 20 + ("x",), config=(("dataset", "parity3"), ("hidden", (4,)))),
    # The neuron lesson set by hand to AND (w₁ = 1, w₂ = 1, θ = 1.5), and one epoch explained.
    # Rosenblatt's rule: d, d picks XOR, where it never stops (the weights of epoch 2 every epoch);
    # AND in Korean at 80×24, its mistakes within Novikoff's bound.
    Scenario("perceptron-rule-xor", "perceptron-rule", ("d", "d") + ("n",) * 6),
    Scenario("perceptron-rule-80x24-ko", "perceptron-rule", ("n",) * 7, size=(80, 24), lang="ko"),
    Scenario("neuron-and", "neuron", ("plus",) * 10 + ("down",) + ("plus",) * 10 + ("down",) + ("plus",) * 10 + ("m",)),
    Scenario("explain-2-2-1", "xor-2-2-1", ("N",) * 5 + ("e", "right", "right", "right")),
    Scenario(
        "explain-xor-mlp-80x24-ko", "xor-mlp", ("N",) * 5 + ("e", "right", "right", "right"), size=(80, 24), lang="ko"
    ),
    Scenario("sweep-and", "and", ("w",)),
    Scenario("sweep-xor-mlp", "xor-mlp", ("w",)),  # 100 seeds × 5001 epochs: ~6 s
    Scenario("sweep-xor-80x24-ko", "xor", ("w",), size=(80, 24), lang="ko"),
    # The loss surface (u): XOR's bowl with its floor ln 2 at w = 0; xor-mlp's plateau, flat.
    Scenario("xor-surface", "xor", ("N",) * 10 + ("u",)),
    Scenario("xor-mlp-plateau-surface", "xor-mlp", ("N",) * 10 + ("u",)),
    Scenario("xor-mlp-valley-surface", "xor-mlp", ("u",), run_to_end=True),  # after the drop: a narrow valley
]

# The experiment form, from xor-mlp's settings: XNOR (xor -> or -> nor -> xnor), 3 hidden neurons,
# tanh, seed 5, 800 epochs; enter starts it.
XNOR_FORM = (
    ("ctrl+n", "enter", "down", "down", "down", "enter", "tab", "tab", "end")
    + ("backspace",) * 8
    + ("3", "tab", "enter", "down", "enter", "tab", "tab", "tab", "tab", "backspace", "5", "tab", "end")
    + ("backspace",) * 4
    + ("8", "0", "0", "enter")
)

SCENARIOS += [
    Scenario("experiment-form", "xor-mlp", ("ctrl+n",)),
    Scenario("experiment-form-80x24-ko", "xor-mlp", ("ctrl+n",), size=(80, 24), lang="ko"),
    Scenario("experiment-run", "xor-mlp", (*XNOR_FORM, "N", "N", "N", "N")),
    Scenario("export-menu", "xor-mlp", ("N", "N", "ctrl+e"), workdir="~/perceptron-lab"),
    Scenario("session-opened", "and", open="sessions/xnor-teacher.json"),
    # The course: a step's question, and a comparison (one δ computed by hand, -0.14, against the run's).
    Scenario("course-question", "neuron", course="neuron-and"),
    Scenario("course-compare", "and", ("minus", "0", "full_stop", "1", "4", "enter", "enter"), course="delta"),
    Scenario("course-80x24-ko", "xor", size=(80, 24), lang="ko", course="xor-corner"),
]


def build_app(scenario: Scenario, environ=None):
    """The scenario's app, made in its terminal's colours (`environ`: a monkeypatch, or os.environ
    by default): on its lesson, on an Experiment of the lesson's settings changed by `config`, or on
    its session file (replayed as it loads)."""
    import os

    from core.lessons import Experiment, lesson
    from tui.app import make_app
    from tui.run.live import LiveRun

    for name in ("TERM", "COLORTERM", "NO_COLOR"):
        value = COLOURS[scenario.colours].get(name)
        if environ is None:
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
        elif value is None:
            environ.delenv(name, raising=False)
        else:
            environ.setenv(name, value)
    session = view = None
    if scenario.open is not None:
        from core.files.session_file import read_session

        path = HERE / scenario.open
        saved = read_session(path)
        session, view = LiveRun.opened(str(path), saved), saved.view
    elif scenario.config:
        spec = lesson(scenario.lesson)
        config = spec.config.with_(**dict(scenario.config))
        session = LiveRun(Experiment(config=config, epochs=spec.epochs))
    course = None
    if scenario.course is not None:
        from core.files.progress_file import Progress

        course = {"progress": Progress(current=scenario.course), "start": True, "offer": False}
    return make_app(scenario.lesson, scenario.lang, run=session, view=view, workdir=scenario.workdir, course=course)


async def wait_ready(pilot, timeout: float = 30.0) -> None:
    """Until the engine has loaded (torch, then epoch 0)."""
    app = pilot.app
    for _ in range(int(timeout / 0.02)):
        if app.state != "loading":
            return
        await pilot.pause(0.02)
    raise TimeoutError("the engine did not load")


async def until(pilot, condition, timeout: float = 30.0) -> None:
    """Until `condition()` holds (checked every 20 ms), then one more pause for what it set off."""
    for _ in range(int(timeout / 0.02)):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise TimeoutError("the app did not get there")


async def wait_idle(pilot, timeout: float = 60.0) -> None:
    """Until no training worker runs, nor the work of a screen on top (a sweep: its `busy`)."""
    app = pilot.app
    for _ in range(int(timeout / 0.02)):
        if app.state != "running" and not _computing(app):
            await settle(pilot)
            return
        await pilot.pause(0.02)
    raise TimeoutError("training did not stop")


async def settle(pilot, timeout: float = 30.0, workers: bool = True) -> None:
    """Until the screen has nothing left to do, twice in a row: no message queued anywhere, no
    callback waiting for a refresh, no layout, repaint or recompose due, and (`workers`) no worker
    under way.

    `pilot.pause()` alone judges the app idle by its CPU time, and a process the OS sets aside
    for 20 ms looks idle: on a loaded CI machine the footer was shot while it recomposed (empty).
    """
    app, quiet = pilot.app, 0
    for _ in range(int(timeout / 0.01)):
        await pilot.pause(0.01)
        quiet = 0 if _pending(app, workers) else quiet + 1
        if quiet == 2:
            return
    raise TimeoutError("the screen did not settle")


async def choose_in_palette(pilot, typed: tuple[str, ...], expect: str, timeout: float = 30.0) -> None:
    """Open the command palette, type the keys `typed`, wait until its search has ended with a
    command naming `expect` highlighted, then press enter. A fixed pause raced the search (a worker
    that adds its hits in batches) on a loaded machine."""
    from textual.command import CommandList, CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    for _ in range(int(timeout / 0.02)):
        if CommandPalette.is_open(app):
            break
        await pilot.pause(0.02)
    await pilot.press(*typed)
    palette = app.screen
    for _ in range(int(timeout / 0.02)):
        await pilot.pause(0.02)
        if any(w.group == CommandPalette._GATHER_COMMANDS_GROUP and not w.is_finished for w in app.workers):
            continue
        commands = palette.query_one(CommandList)
        index = commands.highlighted
        if index is not None and expect in str(getattr(commands.get_option_at_index(index).prompt, "plain", "")):
            await pilot.press("enter")
            return
    raise TimeoutError(f"the palette did not offer {expect!r}")


def _pending(app, workers: bool) -> bool:
    from textual.worker import WorkerState

    screen = app.screen
    if screen._callbacks or screen._dirty_widgets:
        return True
    if screen._layout_required or screen._repaint_required or screen._recompose_required:
        return True
    nodes = [app, *screen.walk_children(with_self=True)]
    if any(node._message_queue.qsize() or getattr(node, "_recompose_required", False) for node in nodes):
        return True
    return workers and any(worker.state in (WorkerState.PENDING, WorkerState.RUNNING) for worker in app.workers)


def _computing(app) -> bool:
    """A screen on top has work under way (a sweep: its `busy`), or an epoch is being explained."""
    return bool(getattr(app.screen, "busy", False) or getattr(app, "explaining", False)) or (
        getattr(app.screen, "waiting", None) is not None
    )


async def play(pilot, scenario: Scenario) -> None:
    """Drive the app to the scenario's view."""
    await wait_ready(pilot)
    if scenario.course is not None:
        await until(pilot, lambda: pilot.app.course.shown)
    if scenario.run_to_end:
        await pilot.press(*MAX_SPEED, "space")
        await wait_idle(pilot)
    for key in scenario.keys:
        await wait_ready(pilot)  # a run started from the form loads before the next key
        # What the last key changed is laid out before the next: a screen pushed over the main
        # view freezes its layout (its status line once kept a height too small for its text).
        await settle(pilot, workers=False)
        for _ in range(500):  # an epoch being explained: the explainer takes keys once it is shown
            if not getattr(pilot.app, "explaining", False):
                break
            await pilot.pause(0.02)
        await pilot.press(key)
    await wait_ready(pilot)
    await wait_idle(pilot)


def screen_lines(app) -> list[str]:
    """The screen as text, a string a row: what a learner reads (a character cut in two by an
    edge shows here as spaces)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def region_text(app, widget) -> list[str]:
    """The text rows inside a widget's content region, as they are on the screen."""
    region = getattr(widget, "scrollable_content_region", widget.content_region)  # without scrollbars
    lines = screen_lines(app)[region.y : region.bottom]
    return [cells(line, region.x, region.right) for line in lines]


def cells(line: str, start: int, end: int) -> str:
    """Cells start..end-1 of a screen row (a wide character takes two cells)."""
    from rich.cells import cell_len

    out, x = [], 0
    for char in line:
        width = cell_len(char)
        if start <= x and x + width <= end:
            out.append(char)
        x += width
    return "".join(out)


def broken_relations(rows: list[str]) -> list[str]:
    """Rows (inside panels: their borders taken off) that end with a relation or start with one: an
    equation broken between its sides ("… =" / "0")."""
    import re

    broken = []
    for row in rows:
        for part in re.split(r"[│┃╭╮╰╯▏▕]", row):
            part = part.strip()
            if re.search(r"(^|\s)[=≥≤<>]$", part) or re.match(r"[=≥≤<>](\s|$)", part):
                broken.append(part)
    return broken
