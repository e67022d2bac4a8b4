"""The views the snapshot tests check and `make screenshots` draws: each a lesson, a size, a
language and the keys that lead there. Keys only: the free-running thread is never raced."""

from __future__ import annotations

from dataclasses import dataclass

MAX_SPEED = ("s", "s")  # 10/s → 100/s → max


@dataclass(frozen=True)
class Scenario:
    name: str
    lesson: str
    keys: tuple[str, ...] = ()
    size: tuple[int, int] = (120, 40)
    lang: str = "en"
    run_to_end: bool = False  # press space at max speed and wait for the run to finish


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
    Scenario("xor-mlp-blowup", "xor-mlp", ("plus",) * 9 + ("n", "n")),
    Scenario("help", "and", ("question_mark",)),
    Scenario("too-small", "and", size=(70, 20)),
]


async def wait_ready(pilot, timeout: float = 30.0) -> None:
    """Until the engine has loaded (torch, then epoch 0)."""
    app = pilot.app
    for _ in range(int(timeout / 0.02)):
        if app.state != "loading":
            return
        await pilot.pause(0.02)
    raise TimeoutError("the engine did not load")


async def wait_idle(pilot, timeout: float = 60.0) -> None:
    """Until no training worker runs."""
    app = pilot.app
    for _ in range(int(timeout / 0.02)):
        if app.state != "running":
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise TimeoutError("training did not stop")


async def play(pilot, scenario: Scenario) -> None:
    """Drive the app to the scenario's view."""
    await wait_ready(pilot)
    if scenario.run_to_end:
        await pilot.press(*MAX_SPEED, "space")
        await wait_idle(pilot)
    for key in scenario.keys:
        await pilot.press(key)
    await wait_idle(pilot)
    await pilot.pause()


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
