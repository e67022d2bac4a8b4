"""Snapshot tests: each scenario's screen, at a fixed size, reached by keys from a fixed seed.

Regenerate on purpose only: `make test ARGS="tests/snapshot/test_snapshots.py --snapshot-update"`.
"""

from __future__ import annotations

import difflib
import html
import pickle
import re

import pytest
from rich.cells import cell_len
from scenarios import SCENARIOS, build_app, play

CELL = 12.2  # the width of one cell in Textual's exported SVG
TEXT = re.compile(r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_view(snap_compare, scenario, monkeypatch, request):
    app = build_app(scenario, monkeypatch)

    async def run_before(pilot):
        await play(pilot, scenario)

    assert snap_compare(app, terminal_size=scenario.size, run_before=run_before), changed_rows(request.node)


def changed_rows(node) -> str:
    """The screen rows that differ from the snapshot, as text: what a failed CI run can show (its
    HTML report stays on the machine it ran on)."""
    from pytest_textual_snapshot import node_to_report_path

    try:
        data = pickle.loads(node_to_report_path(node).read_bytes())
    except (OSError, pickle.PickleError):
        return "(no report data)"
    expected, actual = data[1], data[2]
    diff = difflib.unified_diff(svg_rows(expected), svg_rows(actual), "snapshot", "now", n=0, lineterm="")
    return "\n".join(diff) or "(the same text; colours or styles differ)"


def svg_rows(svg: str) -> list[str]:
    """An exported screen's text, a string a row (the pieces of a row in the order they are drawn)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for x, line, text in TEXT.findall(svg):
        text = html.unescape(text).replace("\xa0", " ").replace("\n", "")
        rows.setdefault(int(line), []).append((round(float(x) / CELL), text))
    return [_place(sorted(rows[line])) for line in sorted(rows)]


def _place(pieces: list[tuple[int, str]]) -> str:
    """Pieces at their columns, gaps as spaces (a wide character's cells counted once: close enough
    to read)."""
    row = ""
    for column, text in pieces:
        row += " " * max(0, column - cell_len(row)) + text
    return row


def test_svg_rows_reads_an_exported_screen():
    with open(__file__.replace("test_snapshots.py", "__snapshots__/test_snapshots/test_view[and-80x24].svg")) as f:
        rows = svg_rows(f.read())
    assert len(rows) == 24
    assert "─ Truth table ─" in rows[0] and " Epoch: 100/1000 " in rows[-2]
