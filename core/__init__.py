"""Perceptron Lab's engine: datasets, networks, training, history and lessons.

Never imports a UI package. Importing `core` does not import torch either: the names that need
torch (`Trainer`, `TrainConfig`, `build_model`, ...) are loaded on first use, so a UI can paint
before torch has finished loading.
"""

from __future__ import annotations

import importlib

from core.datasets import DATASETS, Dataset, dataset
from core.lessons import LESSONS, Lesson, lesson

_LAZY = {
    "TrainConfig": "core.config",
    "Trainer": "core.trainer",
    "BlowUp": "core.trainer",
    "History": "core.history",
    "WeightsAt": "core.history",
    "build_model": "core.network",
    "reference_run": "core.reference",
    "run_sweep": "core.sweep",
    "SweepResult": "core.sweep",
}

__all__ = ["DATASETS", "Dataset", "dataset", "LESSONS", "Lesson", "lesson", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'core' has no attribute {name!r}")
