"""What a session file says beside its epochs: the learning rate of each epoch as saved, and the warning
a learner reads when this machine's replay does not give the numbers the file was saved with."""

from __future__ import annotations

import json

from core.files.session_file import SavedRun, loads
from core.lessons import lesson
from core.trainer import Trainer


def _saved(trainer: Trainer, lesson_id: str, **changes) -> SavedRun:
    document = json.loads(SavedRun.of(trainer, lesson_id, epochs=1000).to_json())
    for key, value in changes.items():
        document["record"][key] = value
    return loads(json.dumps(document), "run.json")


def test_each_epochs_learning_rate_is_the_one_it_was_trained_with():
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=9)
    trainer.set_lr(0.5)  # from epoch 10 on
    trainer.run(to_epoch=19)
    trainer.set_lr(2.0)  # from epoch 20 on
    trainer.run(to_epoch=30)
    saved = _saved(trainer, "and")
    assert [saved.lr_at(e) for e in (0, 9, 10, 19, 20, 30)] == [1.0, 1.0, 0.5, 0.5, 2.0, 2.0]
    assert all(saved.lr_at(e) == trainer.history.lr_at(e) for e in range(31))


def test_a_replay_that_matches_says_nothing_and_one_that_differs_gives_both_losses():
    trainer = Trainer(lesson("xor").config)
    trainer.run(to_epoch=100)
    here = trainer.history
    assert _saved(trainer, "xor").mismatch(here, "run.json", "en") is None
    other = _saved(trainer, "xor", sha256="0" * 64, last_loss=0.5)  # as another machine might have saved it
    warning = other.mismatch(here, "run.json", "en")
    assert warning.startswith("'run.json': replaying it here does not give the numbers it was saved with")
    assert f"last loss {here.loss(100):.6g} here, 0.5 saved" in warning
    assert "null saved" in _saved(trainer, "xor", sha256="0" * 64, last_loss=None).mismatch(here, "run.json", "en")
    assert other.mismatch(here, "run.json", "ko") not in (None, warning)  # in the learner's language
