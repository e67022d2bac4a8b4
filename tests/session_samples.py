"""Sample sessions for the tests, importable without torch (the kill test's saver imports this)."""

from __future__ import annotations

from core.config import TrainConfig
from core.files.session_file import SavedRun


def big_run(lr: float) -> SavedRun:
    """A valid session of about 700 KB (30,000 lr changes), so writing it takes a dozen chunks."""
    changes = tuple((epoch, lr + epoch * 1e-6) for epoch in range(1, 30_001))
    config = TrainConfig(dataset="xor", hidden=(64, 32, 16))
    return SavedRun(config=config, last_epoch=40_000, epochs=50_000, goal=50_000, lr_changes=changes)
