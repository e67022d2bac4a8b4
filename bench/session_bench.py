"""`make bench`, session files: opening a 100,000-epoch xor-mlp run by replay (what session files
do) against loading stored checkpoints (what they could do), as ratios to training the run.

The checkpoint formats exist only here, as prototypes measured for the choice: every epoch's loss
and predictions and every history checkpoint (parameters, optimizer state, steps), as base64 of
float32 bytes with a SHA-256, or as JSON numbers written with repr.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core  # noqa: E402, F401, I001  first: it chooses torch's portable kernels (core.numerics)
import torch  # noqa: E402

from core.history import History  # noqa: E402
from core.lessons import lesson  # noqa: E402
from core.files.session_file import SavedRun, read_session, save_session  # noqa: E402
from core.trainer import Trainer  # noqa: E402

EPOCHS = 100_000
CONFIG = lesson("xor-mlp").config


def _b64(tensor: torch.Tensor) -> str:
    return base64.b64encode(tensor.numpy().tobytes()).decode()


def _tensor(text: str) -> torch.Tensor:
    data = base64.b64decode(text)
    return torch.frombuffer(bytearray(data), dtype=torch.float32) if data else torch.empty(0)


def save_checkpoints(trainer: Trainer, run: SavedRun, path: Path, as_numbers: bool) -> None:
    history = trainer.history
    encode = (lambda t: t.tolist()) if as_numbers else _b64
    state = {
        "losses": history._loss.tolist() if as_numbers else base64.b64encode(history._loss.tobytes()).decode(),
        "predictions": history._preds.tolist() if as_numbers else base64.b64encode(history._preds.tobytes()).decode(),
        "checkpoints": {str(e): [encode(p), encode(s), n] for e, (p, s, n) in history._checkpoints.items()},
        "now": [encode(t) if isinstance(t, torch.Tensor) else t for t in trainer.kernel.save()],
        "interval": history.interval,
    }
    document = {"run": run.document(), "state": state, "sha256": history.fingerprint()}
    path.write_text(json.dumps(document))


def open_checkpoints(path: Path, as_numbers: bool) -> Trainer:
    document = json.loads(path.read_text())
    state = document["state"]
    decode = torch.tensor if as_numbers else _tensor
    history = History(CONFIG, CONFIG.lr)
    if as_numbers:
        history._loss, history._preds = array("f", state["losses"]), array("f", state["predictions"])
    else:
        history._loss, history._preds = array("f"), array("f")
        history._loss.frombytes(base64.b64decode(state["losses"]))
        history._preds.frombytes(base64.b64decode(state["predictions"]))
    history._checkpoints = {int(e): (decode(p), decode(s), n) for e, (p, s, n) in state["checkpoints"].items()}
    history._checkpoint_epochs = sorted(history._checkpoints)
    history.interval = state["interval"]
    if history.fingerprint() != document["sha256"]:
        raise ValueError("checksum")
    trainer = Trainer(CONFIG)
    trainer.history = history
    params, optimizer_state, steps = state["now"]
    trainer.kernel.load((decode(params), decode(optimizer_state), steps))
    return trainer


def app_open(sizes=((120, 40), (80, 24))) -> None:
    """`perceptron-lab --open FILE` in a pseudo-terminal: from start to the opened run on screen, and
    the bytes a second it writes while the run replays (its progress in the status line), for a
    5000- and a 100,000-epoch xor-mlp session; against the app on a lesson (torch, then epoch 0)
    and training the same epochs, measured in the same run."""
    from terminal_bench import APP, Terminal

    print("the app opening a session file (perceptron-lab --open FILE), xor-mlp")
    term = Terminal([*APP, "--lesson", "xor-mlp"])
    lesson_ready = term.wait_for("Epoch: 0/5000")
    term.close()
    print(f"  baseline: the app on a lesson, engine ready at {lesson_ready:.2f} s")
    print(
        f"  {'epochs':>9}{'size':>8}{'train':>9}{'open':>9}{'open - lesson':>15}{'/ train':>9}{'bytes/s opening':>17}"
        f"{'KB in all':>11}"
    )
    with tempfile.TemporaryDirectory() as directory:
        for epochs in (5000, EPOCHS):
            trainer = Trainer(CONFIG)
            started = time.perf_counter()
            trainer.run(to_epoch=epochs)
            train_s = time.perf_counter() - started
            path = Path(directory) / f"run-{epochs}.json"
            save_session(path, SavedRun.of(trainer, "xor-mlp", epochs))
            for size in sizes:
                term = Terminal([*APP, "--open", str(path)], size=size)
                try:
                    opening = term.wait_for("opening", timeout=60)
                    ready = term.wait_for(f"Epoch: {epochs}/{epochs}", timeout=120)
                    start = term.started + opening
                    sent = term.bytes_between(start, term.started + ready)
                    rate = sent / max(ready - opening, 1e-9)
                finally:
                    term.close()
                shown = f"{size[0]}x{size[1]}"
                print(
                    f"  {epochs:>9,}{shown:>8}{train_s:8.2f}s{ready:8.2f}s{ready - lesson_ready:14.2f}s"
                    f"{(ready - lesson_ready) / train_s:8.2f}×{rate / 1024:13.1f} KB/s{sent / 1024:11.1f}"
                )
    print(
        "  (open - lesson: the replay, as the app's own loading is the same; bytes/s: target ≤ 16 KB/s\n"
        "   for a stream; a short open's figure is mostly the one full redraw of the opened run, in KB in all)"
    )
    print()


def main() -> None:
    print(f"session files: a {EPOCHS:,}-epoch xor-mlp run, saved and opened (one run each)")
    trainer = Trainer(CONFIG)
    started = time.perf_counter()
    trainer.run(to_epoch=EPOCHS - 1)
    train_s = time.perf_counter() - started
    run = SavedRun.of(trainer, "xor-mlp", EPOCHS)
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "replay.json"
        started = time.perf_counter()
        save_session(path, run)
        save_s = time.perf_counter() - started
        started = time.perf_counter()
        opened = read_session(path)
        again = opened.replay()
        open_s = time.perf_counter() - started
        assert opened.matches(again.history)
        rows.append(("replay from the seed (chosen)", save_s, open_s, path.stat().st_size))
        for name, as_numbers in (("checkpoints, base64 float32", False), ("checkpoints, JSON numbers", True)):
            path = Path(directory) / f"{name}.json"
            started = time.perf_counter()
            save_checkpoints(trainer, run, path, as_numbers)
            save_s = time.perf_counter() - started
            started = time.perf_counter()
            loaded = open_checkpoints(path, as_numbers)
            open_s = time.perf_counter() - started
            assert torch.equal(loaded.kernel.params, trainer.kernel.params)
            rows.append((name, save_s, open_s, path.stat().st_size))
    print(f"  training it took {train_s:.2f} s")
    print(f"  {'':32}{'save':>9}{'open':>10}{'open / train':>14}{'file':>12}")
    for name, save_s, open_s, size in rows:
        shown = f"{size / 1024:,.1f} KB" if size < 2**20 else f"{size / 2**20:,.1f} MB"
        print(f"  {name:<32}{save_s * 1e3:7.0f} ms{open_s:8.2f} s{open_s / train_s:12.2f}×{shown:>12}")
    print()


if __name__ == "__main__":
    main()
    app_open()
