"""Warm sessions (tui/warm.py): an app forked from a parent that loaded everything once runs exactly
as a fresh process does, byte for byte; a client that goes away ends its app; the parent's end ends
every app it forked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from tui.serve import warm_parent

TRAIN = ["train", "xor-mlp", "--epochs", "300", "--format", "json"]


def _without_times(out: bytes) -> bytes:
    return re.sub(rb'"seconds": [0-9.e-]+', b"", out)


@pytest.mark.parametrize(
    "argv", [TRAIN, ["train", "xor", "--epochs", "50", "--lr", "3"], ["explain", "xor-2-2-1", "--epoch", "7"]]
)
def test_a_warm_session_prints_the_same_bytes_as_a_fresh_process(argv):
    fresh = subprocess.run([sys.executable, "-m", "tui", *argv], capture_output=True, timeout=120)
    with warm_parent("en") as prefix:
        assert prefix[-1] == "--"  # the parent started
        warm = subprocess.run([*prefix, *argv], capture_output=True, timeout=120)
    assert warm.returncode == fresh.returncode == 0
    assert _without_times(warm.stdout) == _without_times(fresh.stdout) and warm.stdout


def test_the_exit_status_and_bad_input_come_back_through_the_client():
    with warm_parent("en") as prefix:
        out = subprocess.run([*prefix, "train", "nope"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "unknown lesson 'nope'" in out.stderr


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    from browser import alive

    return alive(pid)


def _children_of(pid: int) -> list[int]:
    from browser import children_of

    return children_of(pid)


def test_a_client_killed_ends_its_app_and_the_parents_end_ends_them_all():
    with warm_parent("en") as prefix:
        parent = int(
            subprocess.run(
                ["pgrep", "-f", f"tui.warm parent {prefix[-2]}"], capture_output=True, text=True
            ).stdout.split()[0]
        )
        long_run = [*prefix, "train", "xor-mlp", "--epochs", "10000000"]
        killed, kept = (
            subprocess.Popen(long_run, stdout=subprocess.DEVNULL),
            subprocess.Popen(long_run, stdout=subprocess.DEVNULL),
        )
        end = time.monotonic() + 60
        while len(_children_of(parent)) < 2:
            assert time.monotonic() < end
            time.sleep(0.05)
        apps = _children_of(parent)
        killed.kill()  # no chance to say goodbye: its connection closes, and its app is ended
        killed.wait()
        end = time.monotonic() + 30
        while sum(_alive(pid) for pid in apps) > 1:
            assert time.monotonic() < end, apps
            time.sleep(0.05)
    assert kept.wait(30) != 0  # the parent's end ended the other one too, and its client saw it
    assert not any(_alive(pid) for pid in apps)


def test_a_server_killed_outright_leaves_no_parent_and_no_app_behind():
    """kill -9 of the server gives its warm parent no chance to be told: the parent asked the kernel
    for a SIGTERM when its server ends, and ends every app it forked."""
    server_code = (
        "import sys, time\n"
        "from tui.serve import warm_parent\n"
        "with warm_parent('en') as prefix:\n"
        "    print(prefix[-2], flush=True)\n"
        "    time.sleep(600)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", server_code], stdout=subprocess.PIPE, text=True)
    try:
        path = server.stdout.readline().strip()
        assert path, "the server did not start its warm parent"
        parent = int(
            subprocess.run(["pgrep", "-f", f"tui.warm parent {path}"], capture_output=True, text=True).stdout.split()[0]
        )
        client = [sys.executable, "-m", "tui.warm", "client", path, "--", "train", "xor-mlp", "--epochs", "10000000"]
        learner = subprocess.Popen(client, stdout=subprocess.DEVNULL)
        end = time.monotonic() + 60
        while not _children_of(parent):
            assert time.monotonic() < end
            time.sleep(0.05)
        apps = _children_of(parent)
        server.kill()
        server.wait()
        end = time.monotonic() + 30
        while _alive(parent) or any(_alive(pid) for pid in apps):
            assert time.monotonic() < end, (parent, apps)
            time.sleep(0.05)
        assert learner.wait(30) != 0
    finally:
        server.kill()
