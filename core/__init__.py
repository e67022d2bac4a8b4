"""Perceptron Lab's engine: datasets, networks, training, history and lessons.

Never imports a UI package. Importing `core` chooses torch's portable kernels (core.numerics), so
a seed gives the same numbers on every x86-64 machine; it does not import torch itself: the names
that need torch (`Trainer`, `build_model`, ...) load it on first use, so a UI can paint before
torch has finished loading.
"""

from __future__ import annotations

import importlib

from core import numerics

numerics.pin()  # before anything here can load torch: the same numbers on every machine

from core.datasets import DATASETS, Dataset, dataset  # noqa: E402
from core.lessons import LESSONS, Lesson, lesson  # noqa: E402

_LAZY = {
    "TrainConfig": "core.config",
    "Trainer": "core.trainer",
    "BlowUp": "core.trainer",
    "History": "core.history",
    "WeightsAt": "core.history",
    "build_model": "core.network",
    "reference_run": "core.reference",
    "run_sweep": "core.sweep.sweep",
    "SweepResult": "core.sweep.sweep",
}

__all__ = ["DATASETS", "Dataset", "dataset", "LESSONS", "Lesson", "lesson", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'core' has no attribute {name!r}")
