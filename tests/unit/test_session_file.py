"""Session files: a run saved and opened again exactly, saving that survives being killed, and
every bad file refused with one line, in both languages."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch
from session_samples import big_run

from core.config import TrainConfig
from core.datasets import DATASETS
from core.files import files
from core.files.files import FileError, atomic_write, check_writable, read_limited
from core.files.session_file import MAX_BYTES, SavedRun, loads, read_session, save_session
from core.lessons import LESSONS, Experiment, lesson
from core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]
MLP = lesson("xor-mlp").config


def _flat(weights, grads=False):
    matrices = [torch.tensor(layer.weight_grad if grads else layer.weight).reshape(-1) for layer in weights.layers]
    return torch.cat([*matrices, *(torch.tensor(layer.bias_grad if grads else layer.bias) for layer in weights.layers)])


def _branched_run() -> Trainer:
    """An xor-mlp run with learning-rate changes, a branch with another lr, and an lr set for what comes next."""
    trainer = Trainer(MLP.with_(seed=3))
    trainer.run(to_epoch=300)
    trainer.set_lr(0.5)
    trainer.run(to_epoch=700)
    trainer.rewind(450)  # branch: forget 450.., and go on from there with a lower lr
    trainer.set_lr(0.2)
    trainer.run(to_epoch=900)
    trainer.set_lr(2.0)  # from epoch 901 on, when it goes on
    return trainer


# --- the same run, opened ------------------------------------------------------------------------


def test_a_saved_run_opens_with_every_epoch_exactly_as_it_was(tmp_path):
    trainer = _branched_run()
    path = tmp_path / "run.json"
    save_session(path, SavedRun.of(trainer, "xor-mlp", epochs=5000, view=620))
    opened = read_session(path)
    assert opened.view == 620 and opened.last_epoch == 900 and opened.goal == 5000
    assert opened.lr_changes == ((301, 0.5), (450, 0.2), (901, 2.0))
    assert opened.config == MLP.with_(seed=3)
    again = opened.replay()
    history, saved = again.history, trainer.history
    assert opened.matches(history)
    assert history.losses() == saved.losses() and history.lr_changes() == saved.lr_changes()
    assert again.lr == 2.0 and again.epoch == trainer.epoch
    for epoch in [0, 1, 299, 300, 301, 449, 450, 451, 620, 899, 900, *random.Random(4).sample(range(901), 20)]:
        ours, theirs = history.weights_at(epoch), saved.weights_at(epoch)
        assert torch.equal(_flat(ours), _flat(theirs)) and torch.equal(_flat(ours, True), _flat(theirs, True)), epoch
        assert ours.predictions == theirs.predictions and ours.lr == theirs.lr
    assert torch.equal(again.kernel.params, trainer.kernel.params)


def test_continuing_a_saved_run_gives_the_run_straight_through(tmp_path):
    trainer = _branched_run()
    save_session(tmp_path / "run.json", SavedRun.of(trainer, "xor-mlp", epochs=5000))
    continued = read_session(tmp_path / "run.json").replay()
    continued.run(to_epoch=1500)
    trainer.run(to_epoch=1500)
    assert continued.history.losses() == trainer.history.losses()
    assert continued.history.fingerprint() == trainer.history.fingerprint()
    assert torch.equal(continued.kernel.params, trainer.kernel.params)


@pytest.mark.parametrize(
    "config",
    [
        TrainConfig(dataset="분류=01101000", hidden=(4,), activation="tanh", optimizer="adam", lr=0.05, seed=7),
        TrainConfig(dataset="mine=1001", hidden=(3,), optimizer="momentum", loss="mse", lr=0.3),
    ],
)
def test_optimizer_state_and_tables_of_ones_own_come_back_too(tmp_path, config):
    trainer = Trainer(config)
    trainer.run(to_epoch=250)
    trainer.set_lr(config.lr / 2)
    trainer.run(to_epoch=400)
    save_session(tmp_path / "own.json", SavedRun.of(trainer, None, epochs=400))
    text = (tmp_path / "own.json").read_text(encoding="utf-8")
    assert config.dataset in text  # readable as written, in any alphabet
    opened = read_session(tmp_path / "own.json")
    assert isinstance(opened.lesson, Experiment) and opened.lesson.config == config
    again = opened.replay()
    assert opened.matches(again.history)
    again.run(to_epoch=600)
    trainer.run(to_epoch=600)
    assert again.history.losses() == trainer.history.losses()


def test_a_run_that_blew_up_opens_blown_up_at_the_same_epoch(tmp_path):
    trainer = Trainer(MLP.with_(lr=1000.0))
    trainer.run(to_epoch=50)
    assert trainer.blowup is not None
    save_session(tmp_path / "boom.json", SavedRun.of(trainer, "xor-mlp", epochs=5000))
    opened = read_session(tmp_path / "boom.json")
    again = opened.replay()
    assert again.blowup == trainer.blowup and opened.matches(again.history)


def test_the_file_is_readable_json_with_a_version_and_floats_that_read_back_exactly(tmp_path):
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=10)
    trainer.set_lr(0.1 + 0.2)  # 0.30000000000000004: repr keeps every bit
    trainer.run(to_epoch=20)
    run = SavedRun.of(trainer, "and", epochs=1000)
    text = run.to_json()
    document = json.loads(text)
    assert document["format"] == "perceptron-lab session" and document["version"] == 1
    assert document["config"]["seed"] == 0 and document["lr_changes"] == [[11, 0.30000000000000004]]
    assert "    [11, 0.30000000000000004]\n" in text and '    "hidden": [],\n' in text
    assert loads(text, "x").lr_changes == ((11, 0.30000000000000004),)
    assert text == SavedRun.of(trainer, "and", epochs=1000).to_json()  # the same run, the same bytes


def test_a_replay_that_differs_from_the_saved_record_is_noticed(tmp_path):
    trainer = Trainer(lesson("xor").config)
    trainer.run(to_epoch=100)
    document = json.loads(SavedRun.of(trainer, "xor", epochs=1000).to_json())
    document["record"]["sha256"] = "0" * 64  # as if another machine had computed other numbers
    opened = loads(json.dumps(document), "x")
    assert not opened.matches(opened.replay().history)


def test_opening_can_be_stopped_and_reports_progress():
    import threading

    run = SavedRun(config=MLP, last_epoch=9000, epochs=10000, goal=10000)
    seen = []
    assert run.replay(progress=lambda epoch, last: seen.append((epoch, last))).history.last_epoch == 9000
    assert seen[-1] == (9000, 9000) and len(seen) >= 4
    stop = threading.Event()
    stop.set()
    assert run.replay(stop=stop) is None


def test_reading_a_session_does_not_load_torch(tmp_path):
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=5)
    save_session(tmp_path / "s.json", SavedRun.of(trainer, "and", epochs=1000))
    code = "import sys, core\nfrom core.files.session_file import read_session\n"
    code += f"read_session({str(tmp_path / 's.json')!r})\n"
    code += "print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


# --- saving atomically -----------------------------------------------------------------------------


SLOW_SAVER = textwrap.dedent(
    """
    import sys, time
    import core
    from core.files import files
    from core.files.session_file import save_session
    sys.path.insert(0, {tests!r})
    from session_samples import big_run

    def slowly(written):
        print("chunk", written, flush=True)
        time.sleep({pause})

    files.after_chunk = slowly
    print("start", flush=True)
    save_session(sys.argv[1], big_run(float(sys.argv[2])))
    print("done", flush=True)
    """
)


def _start_saver(path: Path, lr: float, pause: float) -> subprocess.Popen:
    code = SLOW_SAVER.format(tests=str(ROOT / "tests"), pause=pause)
    return subprocess.Popen(
        [sys.executable, "-c", code, str(path), str(lr)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )


def test_a_save_killed_mid_write_leaves_the_old_file_whole(tmp_path):
    path = tmp_path / "run.json"
    save_session(path, big_run(0.5))
    old = path.read_bytes()
    saver = _start_saver(path, 0.25, pause=0.05)
    lines = []
    while len(lines) < 4:  # three chunks of the new file are on the disk, in the temporary file
        lines.append(saver.stdout.readline())
    saver.send_signal(signal.SIGKILL)
    saver.wait()
    assert path.read_bytes() == old
    assert read_session(path) == big_run(0.5)
    leftovers = [p for p in tmp_path.iterdir() if p != path]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".run.json.") and leftovers[0].stat().st_size > 0


def test_a_save_killed_at_any_moment_leaves_the_old_file_or_the_new_one_whole(tmp_path):
    path = tmp_path / "run.json"
    save_session(path, big_run(0.5))
    old = path.read_bytes()
    new = big_run(0.25).to_json().encode()
    chunks = -(-len(new) // files.CHUNK)
    outcomes = set()
    rng = random.Random(11)
    # Kill after a number of chunks (0: before the temporary file has any; past the last: after
    # the rename), plus a random part of a pause, so kills land everywhere; both ends surely.
    for attempt, after in enumerate([0, chunks + 1, *(rng.randrange(0, chunks + 2) for _ in range(12))]):
        saver = _start_saver(path, 0.25, pause=0.004)
        seen = 0
        while seen < after:
            line = saver.stdout.readline()
            if not line or line.startswith("done"):
                break
            seen += line.startswith("chunk")
        time.sleep(rng.uniform(0, 0.006))
        saver.send_signal(signal.SIGKILL)
        saver.wait()
        now = path.read_bytes()
        assert now in (old, new), f"attempt {attempt}: a file that is neither the old nor the new one"
        outcomes.add(now == new)
        read_session(path)  # and it opens
        if now == new:
            path.write_bytes(old)
    assert outcomes == {False, True}  # both sides of the rename were hit


def test_writing_keeps_the_mode_and_replaces_a_symlinks_target(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    atomic_write(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    atomic_write(tmp_path / "fresh.json", b"x")
    assert (tmp_path / "fresh.json").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_write_that_fails_changes_nothing_and_says_so_in_one_line(tmp_path, monkeypatch):
    path = tmp_path / "run.json"
    path.write_bytes(b"old")

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(FileError) as error:
        atomic_write(path, b"new")
    assert error.value.problem == "write_failed" and "No space left on device" in str(error.value)
    assert path.read_bytes() == b"old" and list(tmp_path.iterdir()) == [path]
    with pytest.raises(FileError, match="No such file or directory; nothing was changed"):
        atomic_write(tmp_path / "nowhere" / "run.json", b"new")


@pytest.mark.parametrize(
    "name,overwrite,problem",
    [
        ("", False, "bad_path"),
        (".", False, "is_dir"),
        ("missing-dir/run.json", False, "no_dir"),
        ("exists.json", False, "exists"),
    ],
)
def test_a_path_that_cannot_be_written_is_refused_before_any_work(tmp_path, name, overwrite, problem):
    (tmp_path / "exists.json").write_text("{}")
    with pytest.raises(FileError) as error:
        check_writable(tmp_path / name if name else "", overwrite)
    assert error.value.problem == problem
    assert check_writable(tmp_path / "exists.json", overwrite=True) == tmp_path / "exists.json"


# --- every bad file, refused with one line ------------------------------------------------------------


def _valid() -> dict:
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=30)
    trainer.set_lr(0.5)
    trainer.run(to_epoch=40)
    return json.loads(SavedRun.of(trainer, "and", epochs=1000, view=12).to_json())


def _changed(path: str, value) -> dict:
    """The valid document with one field (a dotted path; None deletes it) changed."""
    document = _valid()
    *parents, last = path.split(".")
    node = document
    for name in parents:
        node = node[name]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return document


_DELETE = object()

BAD_DOCUMENTS = [
    ("not a session", [1, 2, 3], "not_session"),
    ("another program's JSON", {"name": "x"}, "not_session"),
    ("another format version", ("version", 2), "version"),
    ("version as text", ("version", "1"), "version"),
    ("an unknown field", ("weights", []), "unknown_field"),
    ("a missing field", ("config", _DELETE), "missing_field"),
    ("a missing config field", ("config.seed", _DELETE), "missing_field"),
    ("an unknown config field", ("config.momentum", 0.9), "unknown_field"),
    ("config as a list", ("config", [1]), "field"),
    ("hidden as text", ("config.hidden", "64,32"), "field"),
    ("hidden with a float", ("config.hidden", [64.0]), "invalid"),
    ("hidden too wide", ("config.hidden", [100000]), "invalid"),
    ("hidden negative", ("config.hidden", [-3]), "invalid"),
    ("dataset as a number", ("config.dataset", 6), "field"),
    ("an unknown dataset", ("config.dataset", "xyzzy"), "invalid"),
    ("an unknown activation", ("config.activation", "gelu"), "invalid"),
    ("lr as text", ("config.lr", "1"), "invalid"),
    ("lr negative", ("config.lr", -1.0), "invalid"),
    ("lr zero", ("config.lr", 0), "invalid"),
    ("seed as a float", ("config.seed", 1.5), "invalid"),
    ("seed as a bool", ("config.seed", True), "invalid"),
    ("seed negative", ("config.seed", -1), "invalid"),
    ("last_epoch negative", ("last_epoch", -1), "field"),
    ("last_epoch absurd", ("last_epoch", 10**15), "field"),
    ("last_epoch as text", ("last_epoch", "40"), "field"),
    ("epochs zero", ("epochs", 0), "field"),
    ("goal before the last epoch", ("goal", 10), "field"),
    ("view past the last epoch", ("view", 41), "field"),
    ("view negative", ("view", -2), "field"),
    ("lesson unknown", ("lesson", "xor-deep"), "field"),
    ("lesson as a number", ("lesson", 3), "field"),
    ("lr_changes not a list", ("lr_changes", {"31": 0.5}), "field"),
    ("an lr change at epoch 0", ("lr_changes", [[0, 0.5]]), "field"),
    ("lr changes out of order", ("lr_changes", [[20, 0.5], [10, 0.1]]), "field"),
    ("an lr change past the run", ("lr_changes", [[43, 0.5]]), "field"),
    ("an lr change two past the run", ("lr_changes", [[42, 0.5]]), "field"),
    ("an lr change of three", ("lr_changes", [[31, 0.5, 1]]), "field"),
    ("an lr change with a bad lr", ("lr_changes", [[31, -0.5]]), "invalid"),
    ("saved_by as a number", ("saved_by", 1), "field"),
    ("record with a short hash", ("record.sha256", "abc"), "field"),
    ("record with a string loss", ("record.last_loss", "0.1"), "field"),
    ("a record as a list", ("record", [0.5]), "field"),
    ("a record without its hash", ("record", {"last_loss": 0.5}), "field"),
    ("a record with a field more", ("record", {"epoch": 3, "last_loss": 0.5, "sha256": "0" * 64}), "field"),
]


@pytest.mark.parametrize("name,change,problem", BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_a_file_with_a_wrong_field_is_refused(tmp_path, name, change, problem):
    document = _changed(*change) if isinstance(change, tuple) else change
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    _assert_refused(path, problem)


BAD_TEXTS = [
    ("empty", b"", "empty"),
    ("only whitespace", b"  \n\n ", "empty"),
    ("not JSON", b"perceptron-lab session, version 1\n", "not_json"),
    ("broken JSON in the middle", b'{"format": "perceptron-lab session" "version": 1}', "not_json"),
    ("not UTF-8", b'{"format": "perceptron-lab session", "lesson": "\xff\xfe"}', "not_utf8"),
    ("UTF-16", '{"format": 1}'.encode("utf-16"), "not_utf8"),
    ("NaN", b'{"format": "perceptron-lab session", "version": 1, "x": NaN}', "not_finite"),
    ("Infinity", b'{"x": Infinity}', "not_finite"),
    ("-Infinity", b'{"x": -Infinity}', "not_finite"),
    ("an overflowing float", b'{"x": 1e999}', "not_finite"),
    ("a 5000-digit number", b'{"x": ' + b"9" * 5000 + b"}", "absurd_number"),
    ("a field twice", b'{"format": "perceptron-lab session", "format": "x"}', "duplicate"),
    ("nested too deeply", b"[" * 100_000 + b"]" * 100_000, "not_json"),
]


@pytest.mark.parametrize("name,data,problem", BAD_TEXTS, ids=[b[0] for b in BAD_TEXTS])
def test_a_file_that_is_not_a_session_is_refused(tmp_path, name, data, problem):
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    _assert_refused(path, problem)


def test_a_file_cut_short_anywhere_is_refused_as_truncated(tmp_path):
    text = json.dumps(_valid(), indent=2).encode()
    path = tmp_path / "cut.json"
    cuts = sorted(set(random.Random(5).sample(range(1, len(text) - 1), 60)) | {1, len(text) // 2, len(text) - 2})
    problems = set()
    for cut in cuts:
        path.write_bytes(text[:cut])
        problems.add(_assert_refused(path, {"truncated", "not_json"}))
    assert "truncated" in problems


def test_a_nonfinite_loss_in_the_record_is_refused_but_null_is_a_blown_up_run(tmp_path):
    document = _valid()
    document["record"]["last_loss"] = None
    path = tmp_path / "null.json"
    path.write_text(json.dumps(document))
    assert read_session(path).record.last_loss is None
    path.write_text(json.dumps(document).replace('"last_loss": null', '"last_loss": NaN'))
    _assert_refused(path, "not_finite")


def test_a_byte_order_mark_is_not_an_error(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(_valid()).encode())
    assert read_session(path).last_epoch == 40


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(100 * 2**20)  # sparse: 100 MB without writing them
    read = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    _assert_refused(path, "too_large")
    assert read == []  # refused from its size, before a byte was read


def test_a_file_larger_than_it_says_is_refused_after_limit_bytes(tmp_path, monkeypatch):
    path = tmp_path / "growing.json"
    path.write_bytes(b" " * 1000)
    real_fstat, real_read, read = os.fstat, os.read, []

    def says_10_bytes(fd):  # as a file that grows while read, or one in /proc, does
        info = real_fstat(fd)
        return os.stat_result(
            (info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid, info.st_gid, 10, 0, 0, 0)
        )

    monkeypatch.setattr(os, "fstat", says_10_bytes)
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    with pytest.raises(FileError) as error:
        read_limited(path, 50)
    assert error.value.problem == "too_large" and sum(read) == 51


@pytest.mark.parametrize("kind", ["missing", "directory", "a directory on the way", "fifo", "device"])
def test_a_path_that_is_not_a_file_is_refused_without_blocking(tmp_path, kind):
    path = {
        "missing": tmp_path / "nope.json",
        "directory": tmp_path,
        "a directory on the way": tmp_path / "file" / "run.json",
        "fifo": tmp_path / "fifo",
        "device": Path("/dev/zero"),
    }[kind]
    (tmp_path / "file").write_text("x")
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer, forever
    expected = {"missing": "missing", "directory": "directory", "fifo": "not_regular", "device": "not_regular"}
    _assert_refused(path, expected.get(kind, "unreadable"))


def test_a_file_without_read_permission_is_refused_simulated(tmp_path, monkeypatch):
    # Simulated: the tests run as root, whom chmod 000 does not stop. The next test does it for real.
    path = tmp_path / "locked.json"
    path.write_text(json.dumps(_valid()))
    real_open = os.open

    def denied(file, flags, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    _assert_refused(path, "permission")


def test_a_file_without_read_permission_is_refused_for_real(tmp_path):
    """chmod 000, read by an unprivileged user: as root, a forked child drops to nobody first."""
    path = tmp_path / "locked.json"
    path.write_text(json.dumps(_valid()))
    path.chmod(0o000)
    tmp_path.chmod(0o755)
    if os.geteuid() != 0:
        _assert_refused(path, "permission")
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no torch, no pytest; just the reader, as nobody
        os.close(read_end)
        try:
            os.setgid(65534)
            os.setuid(65534)
            read_session(path)
            answer = "read"
        except FileError as error:
            answer = error.problem
        except BaseException as error:  # anything else is reported to the parent
            answer = repr(error)
        os.write(write_end, answer.encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    assert os.read(read_end, 1000).decode() == "permission"
    os.close(read_end)


def _assert_refused(path: Path, problem) -> str:
    """Refused with a FileError of this problem (or one of these), one line in every language naming the file."""
    with pytest.raises(FileError) as caught:
        read_session(path)
    error = caught.value
    assert error.problem in ({problem} if isinstance(problem, str) else problem), error
    for lang in ("en", "ko"):
        message = error.message(lang)
        assert "\n" not in message and repr(str(path)) in message, message
    assert error.message("ko") != error.message("en")
    return error.problem


def test_the_limit_is_far_above_any_real_session():
    assert len(big_run(0.5).to_json()) < MAX_BYTES / 8


# What a learner reads for each bad document above: the field, what it must be, and what it held
# (cut to 40 characters); the record's, up to the held value (its numbers are the run's).
REFUSALS = {
    "not a session": 'it is not a Perceptron Lab session (it lacks "format": "perceptron-lab session")',
    "another program's JSON": 'it is not a Perceptron Lab session (it lacks "format": "perceptron-lab session")',
    "another format version": "it is a session of format version 2, and this perceptron-lab reads version 1",
    "version as text": 'it is a session of format version "1", and this perceptron-lab reads version 1',
    "an unknown field": "'weights' is not a field of a session file",
    "a missing field": "the field 'config' is missing",
    "a missing config field": "the field 'config.seed' is missing",
    "an unknown config field": "'config.momentum' is not a field of a session file",
    "config as a list": "config must be an object (a JSON table of fields), not [1]",
    "hidden as text": 'config.hidden must be a list of whole numbers (the hidden layers\' widths), not "64,32"',
    "hidden with a float": (
        "config: hidden layer widths must be whole numbers from 1 to 1024 separated by commas, at most 8 "
        "layers (e.g. 64,32,16; '' for none), not '64.0'"
    ),
    "hidden too wide": (
        "config: hidden layer widths must be whole numbers from 1 to 1024 separated by commas, at most 8 "
        "layers (e.g. 64,32,16; '' for none), not '100000'"
    ),
    "hidden negative": (
        "config: hidden layer widths must be whole numbers from 1 to 1024 separated by commas, at most 8 "
        "layers (e.g. 64,32,16; '' for none), not '-3'"
    ),
    "dataset as a number": "config.dataset must be a string, not 6",
    "an unknown dataset": (
        f"config: unknown dataset 'xyzzy': use a name ({', '.join(DATASETS)}), an output column (4 bits for 2"
        " inputs such as 0110, 8 bits for 3 inputs such as 00010110) or NAME=COLUMN for a table of your own"
    ),
    "an unknown activation": "config: unknown activation 'gelu': choose from sigmoid, tanh, relu",
    "lr as text": "config: the learning rate must be a number > 0, not '1'",
    "lr negative": "config: the learning rate must be a number > 0, not -1.0",
    "lr zero": "config: the learning rate must be a number > 0, not 0",
    "seed as a float": "config: seed must be a whole number from 0 to 9,223,372,036,854,775,807, not 1.5",
    "seed as a bool": "config: seed must be a whole number from 0 to 9,223,372,036,854,775,807, not True",
    "seed negative": "config: seed must be a whole number from 0 to 9,223,372,036,854,775,807, not -1",
    "last_epoch negative": "last_epoch must be a whole number from 0 to 10,000,000, not -1",
    "last_epoch absurd": "last_epoch must be a whole number from 0 to 10,000,000, not 1000000000000000",
    "last_epoch as text": 'last_epoch must be a whole number from 0 to 10,000,000, not "40"',
    "epochs zero": "epochs must be a whole number from 1 to 10,000,000, not 0",
    "goal before the last epoch": "goal must be a whole number from 40 to 10,000,000, not 10",
    "view past the last epoch": "view must be a whole number from 0 to 40, not 41",
    "view negative": "view must be a whole number from 0 to 40, not -2",
    "lesson unknown": f'lesson must be null or a lesson\'s id ({", ".join(LESSONS)}), not "xor-deep"',
    "lesson as a number": f"lesson must be null or a lesson's id ({', '.join(LESSONS)}), not 3",
    "lr_changes not a list": (
        "lr_changes must be a list of [epoch, learning rate] pairs, their epochs rising from 1 to at most "
        '41, not {"31": 0.5}'
    ),
    "an lr change at epoch 0": (
        "lr_changes must be a list of [epoch, learning rate] pairs, their epochs rising from 1 to at most "
        "41, not [0, 0.5]"
    ),
    "lr changes out of order": (
        "lr_changes must be a list of [epoch, learning rate] pairs, their epochs rising from 1 to at most "
        "41, not [10, 0.1]"
    ),
    "an lr change past the run": (
        "lr_changes must be a list of [epoch, learning rate] pairs, their epochs rising from 1 to at most "
        "41, not [43, 0.5]"
    ),
    "an lr change two past the run": (
        "lr_changes must be a list of [epoch, learning rate] pairs, their epochs rising from 1 to at most "
        "41, not [42, 0.5]"
    ),
    "an lr change of three": (
        "lr_changes must be a list of [epoch, learning rate] pairs, their epochs rising from 1 to at most "
        "41, not [31, 0.5, 1]"
    ),
    "an lr change with a bad lr": "lr_changes: the learning rate must be a number > 0, not -0.5",
    "saved_by as a number": "saved_by must be a string, not 1",
    "record with a short hash": (
        'record must be null, or an object with "last_loss" (a number or null) and "sha256" (64 hex digits), '
        'not {"last_loss": 0'
    ),
    "record with a string loss": (
        'record must be null, or an object with "last_loss" (a number or null) and "sha256" (64 hex digits), '
        'not {"last_loss": "'
    ),
    "a record as a list": (
        'record must be null, or an object with "last_loss" (a number or null) and "sha256" (64 hex digits), not [0.5]'
    ),
    "a record without its hash": (
        'record must be null, or an object with "last_loss" (a number or null) and "sha256" (64 hex digits), '
        'not {"last_loss": 0.5}'
    ),
    "a record with a field more": (
        'record must be null, or an object with "last_loss" (a number or null) and "sha256" (64 hex digits), '
        'not {"epoch": 3, "last_loss": 0.5, "sha256"…'
    ),
}


@pytest.mark.parametrize("name,change,problem", BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_a_refused_file_says_which_field_is_wrong_and_what_it_must_be(tmp_path, name, change, problem):
    document = _changed(*change) if isinstance(change, tuple) else change
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(FileError) as caught:
        read_session(path)
    message = caught.value.message("en")
    if name.startswith("record"):  # its numbers are the run's: the held value up to where it is cut
        assert message.startswith(f"cannot open {str(path)!r}: {REFUSALS[name]}") and message.endswith("…")
        assert len(message.partition(", not ")[2]) == 40
    else:
        assert message == f"cannot open {str(path)!r}: {REFUSALS[name]}"


# --- what a refusal quotes, a file without a record, a change at the last epoch --------------------


def _refusal_of_lesson(tmp_path, lesson_id) -> str:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_changed("lesson", lesson_id), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FileError) as caught:
        read_session(path)
    return caught.value.message("en").partition(", not ")[2]


def test_a_refusal_quotes_a_held_value_of_up_to_40_characters_whole_and_cuts_a_longer_one(tmp_path):
    assert _refusal_of_lesson(tmp_path, "k" * 38) == '"' + "k" * 38 + '"'  # 40 characters with its quotes
    assert _refusal_of_lesson(tmp_path, "k" * 39) == '"' + "k" * 38 + "…"  # 41: cut to 39 and "…"
    assert _refusal_of_lesson(tmp_path, "분류") == '"분류"'  # as the learner wrote it, not as \\uXXXX escapes


def test_a_file_without_a_record_opens_without_a_warning():
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=20)
    document = json.loads(SavedRun.of(trainer, "and", epochs=1000).to_json())
    document["record"] = None  # nothing to check the replay against: nothing to warn about
    opened = loads(json.dumps(document), "old.json")
    again = opened.replay()
    assert opened.matches(again.history) and opened.mismatch(again.history, "old.json", "en") is None


def test_a_learning_rate_changed_for_the_last_epoch_opens_with_that_epoch_at_the_new_rate(tmp_path):
    trainer = Trainer(lesson("xor-mlp").config)
    trainer.run(to_epoch=39)
    trainer.set_lr(0.5)  # the rate of epoch 40's update, and the last epoch saved is 40
    trainer.run(to_epoch=40)
    save_session(tmp_path / "run.json", SavedRun.of(trainer, "xor-mlp", epochs=1000))
    opened = read_session(tmp_path / "run.json")
    assert opened.lr_changes == ((40, 0.5),) and opened.last_epoch == 40
    again = opened.replay()
    assert again.history.last_epoch == 40 and again.lr == 0.5 and opened.matches(again.history)


def test_a_run_whose_numbers_became_nan_saves_its_last_loss_as_null_and_opens_blown_up_again(tmp_path):
    trainer = Trainer(MLP.with_(activation="relu", lr=1e30))
    assert trainer.run(to_epoch=100) == "blowup" and trainer.blowup.kind == "non-finite"
    save_session(tmp_path / "nan.json", SavedRun.of(trainer, "xor-mlp", epochs=5000))
    assert json.loads((tmp_path / "nan.json").read_text())["record"]["last_loss"] is None
    opened = read_session(tmp_path / "nan.json")
    again = opened.replay()
    assert again.blowup == trainer.blowup and opened.matches(again.history)


def test_a_file_may_hold_its_last_epoch_on_view_and_a_run_of_the_longest_length(tmp_path):
    document = _valid()  # last_epoch 40
    document.update(view=40, epochs=10_000_000, goal=10_000_000)
    opened = loads(json.dumps(document), "edge.json")
    assert (opened.view, opened.epochs, opened.goal) == (40, 10_000_000, 10_000_000)


def test_a_replay_that_differs_warns_naming_the_file_and_both_last_losses():
    trainer = Trainer(lesson("xor").config)
    trainer.run(to_epoch=100)
    document = json.loads(SavedRun.of(trainer, "xor", epochs=1000).to_json())
    document["record"] = {"last_loss": 0.123456789, "sha256": "0" * 64}  # as if computed on another machine
    opened = loads(json.dumps(document), "run.json")
    history = opened.replay().history
    here = f"{history.loss(100):.6g}"  # six significant digits, as the saved one
    assert opened.mismatch(history, "run.json", "en") == (
        f"'run.json': replaying it here does not give the numbers it was saved with (last loss {here} here, "
        "0.123457 saved): this torch or this CPU computes differently, so the epochs on view are this machine's"
    )
    korean = opened.mismatch(history, "run.json", "ko")
    assert (
        "'run.json'" in korean
        and here in korean
        and "0.123457" in korean
        and korean != opened.mismatch(history, "run.json", "en")
    )
    document["record"]["last_loss"] = None  # saved blown up, with a NaN loss
    assert "(last loss " + here + " here, null saved)" in loads(json.dumps(document), "x").mismatch(history, "x", "en")


def test_the_learning_rate_of_each_epoch_is_the_files_first_one_until_its_first_change():
    run = SavedRun(config=MLP, last_epoch=900, epochs=5000, goal=5000, lr_changes=((301, 0.5), (450, 0.2), (901, 2.0)))
    rates = [run.lr_at(e) for e in (0, 300, 301, 449, 450, 900, 901, 4000)]
    assert rates == [MLP.lr, MLP.lr, 0.5, 0.5, 0.2, 0.2, 2.0, 2.0]


def test_a_run_of_one_epoch_saved_before_it_trained_opens():
    trainer = Trainer(lesson("and").config)
    trainer.step(1)  # epoch 0 only: the starting weights, their loss and outputs
    run = SavedRun.of(trainer, "and", epochs=1)
    assert (run.last_epoch, run.epochs, run.goal) == (0, 1, 1)
    opened = loads(run.to_json(), "one.json")
    assert opened == run and opened.matches(opened.replay().history)
