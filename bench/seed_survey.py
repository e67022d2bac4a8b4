"""How often a 2-2-1 sigmoid network learns XOR: the figures the xor-2-2-1 lesson quotes.

Not a test (it takes about a minute): `python bench/seed_survey.py [SEEDS] [EPOCHS]` trains the
lesson's network from seeds 0..SEEDS-1 (default 200) for EPOCHS epochs (default the lesson's) and
sorts the runs by where they ended: learnt (every row right), or stuck on one of the plateaus.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import core  # noqa: F401  first: the figures the lesson quotes are the same on every CPU (core.numerics)
from core.lessons import lesson
from core.trainer import Trainer

# Where a stuck 2-2-1 network's loss settles: two rows at p = 0.5 and two right (ln 2 / 2), or
# one row right and three at p = 2/3 (3/4 ln 3 - 1/2 ln 2); and the single neuron's ln 2.
PLATEAUS = {
    "ln 2 / 2": math.log(2) / 2,
    "3/4 ln 3 - 1/2 ln 2": 0.75 * math.log(3) - 0.5 * math.log(2),
    "ln 2": math.log(2),
}


def outcome(loss: float, accuracy: float) -> str:
    if accuracy == 100.0:
        return "learnt"
    for name, value in PLATEAUS.items():
        if abs(loss - value) < 0.01:
            return name
    return "other"


def main(seeds: int = 200, epochs: int | None = None) -> None:
    spec = lesson("xor-2-2-1")
    epochs = epochs or spec.epochs
    counts: Counter[str] = Counter()
    firsts, stuck = [], []
    for seed in range(seeds):
        trainer = Trainer(spec.config.with_(seed=seed))
        trainer.run(to_epoch=epochs)
        history = trainer.history
        kind = outcome(history.loss(epochs), history.accuracy(epochs))
        counts[kind] += 1
        if kind == "learnt":
            firsts.append(history.first_epoch_where(100.0))
        else:
            stuck.append((seed, kind, history.loss(epochs)))
    print(f"{spec.id}: seeds 0-{seeds - 1}, {epochs} epochs, lr {spec.config.lr:g}")
    for kind, n in counts.most_common():
        print(f"  {kind:<22} {n:4d}  ({100 * n / seeds:.1f} %)")
    if firsts:
        print(f"  learnt: 100 % first at epochs {min(firsts)}-{max(firsts)}, median {statistics.median(firsts):g}")
    for seed, kind, loss in stuck:
        print(f"  seed {seed:3d}: {kind}, loss {loss:.4f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
