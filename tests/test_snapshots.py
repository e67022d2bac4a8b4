"""Snapshot tests: each scenario's screen, at a fixed size, reached by keys from a fixed seed.

Regenerate on purpose only: `make test ARGS="tests/test_snapshots.py --snapshot-update"`.
"""

from __future__ import annotations

import pytest
from scenarios import SCENARIOS, play

from tui.app import make_app


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_view(snap_compare, scenario):
    app = make_app(scenario.lesson, scenario.lang)

    async def run_before(pilot):
        await play(pilot, scenario)

    assert snap_compare(app, terminal_size=scenario.size, run_before=run_before)
