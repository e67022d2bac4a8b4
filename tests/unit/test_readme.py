"""The README's promises that a test can keep: its Python example runs, its commands exist."""

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_python_api_example_runs(capsys):
    code = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Sequential(" in out and "None" in out.splitlines()[-1]


def test_the_two_commands_come_first():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert first_block.split()[:2] == ["make", "run"] and "make test" in first_block


def test_every_picture_it_shows_is_in_screenshots():
    root = Path(__file__).resolve().parents[2]
    pictures = re.findall(r"\]\((screenshots/[^)]+)\)", README)
    assert pictures and [p for p in pictures if not (root / p).is_file()] == []
