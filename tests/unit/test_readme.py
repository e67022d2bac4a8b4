"""The promises of the README and of every page in docs/ that a test can keep: the Python example
runs, every picture and link is there, and the commands shown print what they show (as doctests
do). The README is the front page: short, the two commands first."""

import contextlib
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
PAGES = {path: path.read_text() for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]}
DOCS = "\n".join(PAGES.values())  # every page: what a learner reads, front page and the rest


def test_the_python_api_example_runs(capsys):
    code = re.search(r"```python\n(.*?)```", DOCS, re.S).group(1)
    exec(compile(code, "docs", "exec"), {})
    out = capsys.readouterr().out
    assert "Sequential(" in out and "None" in out.splitlines()[-1]


def test_the_two_commands_come_first():
    first_block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert first_block.split()[:2] == ["make", "run"] and "make test" in first_block


def test_the_readme_is_a_front_page():
    assert len(README.splitlines()) <= 200
    for page in ("guide", "command-line", "engine", "benchmarks", "development"):
        assert f"](docs/{page}.md" in README


def test_every_picture_and_page_it_links_is_there():
    for path, text in PAGES.items():
        pictures = re.findall(r"\]\(((?:\.\./)?screenshots/[^)]+)\)", text)
        assert [p for p in pictures if not (path.parent / p).is_file()] == [], path.name
        links = re.findall(r"\]\(([\w./-]+\.md)(?:#[\w-]+)?\)", text)
        assert [link for link in links if not (path.parent / link).is_file()] == [], path.name
    assert re.findall(r"\]\(screenshots/", README)


# --- the commands it shows, run: what they print is what the README says they print -------------

TIME = re.compile(r"\d+(?:\.\d+)? (?:s|µs)\b")  # a time is this machine's: any number of seconds matches
STDERR = ("perceptron-lab:", "perceptron-lab train:")


def _shown_commands() -> list[tuple[str, list[str]]]:
    """(command, the lines shown after it) for every `$ perceptron-lab ...` in a text block that
    shows what it prints; `...` (alone, or before a comment) stands for any number of lines."""
    shown = []
    for block in re.findall(r"```text\n(.*?)```", DOCS, re.S):
        command = None
        for line in block.splitlines():
            if line.startswith("$ "):
                command = line[2:] if line.startswith("$ perceptron-lab ") else None
                if command is not None:
                    shown.append((command, []))
            elif command is not None:
                shown[-1][1].append(line)
    return [(command, lines) for command, lines in shown if lines]


def _matches(shown: list[str], real: list[str]) -> bool:
    if not shown:
        return not real
    head = shown[0]
    if head.strip().startswith("..."):
        return any(_matches(shown[1:], real[i:]) for i in range(len(real) + 1))
    return (
        bool(real) and TIME.sub("T", head.rstrip()) == TIME.sub("T", real[0].rstrip()) and _matches(shown[1:], real[1:])
    )


def test_the_readme_shows_commands_with_their_output():
    commands = [command.split()[1] for command, _ in _shown_commands()]
    assert {"train", "explain", "sweep"} <= set(commands) and commands.count("train") >= 3


@pytest.mark.parametrize("command,shown", _shown_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_command_prints_what_the_readme_shows(command, shown, capsys):
    from tui.__main__ import main

    with contextlib.suppress(SystemExit):  # a bad option: one line on stderr, exit status 2
        main(shlex.split(command)[1:])
    out, err = capsys.readouterr()
    shown_out = [line for line in shown if not line.startswith(STDERR)]
    shown_err = [line for line in shown if line.startswith(STDERR)]
    printed_as_shown = _matches(shown_out, out.splitlines())
    assert printed_as_shown, f"{command}: the README shows\n" + "\n".join(shown_out) + "\n\nit prints\n" + out
    if shown_err:
        said_as_shown = _matches(shown_err, err.splitlines())
        assert said_as_shown, f"{command}: the README shows\n" + "\n".join(shown_err) + "\n\nit prints\n" + err


def test_the_log_line_it_quotes_in_its_text_is_what_train_and_prints(capsys):
    from tui.__main__ import main

    quoted = re.findall(r"`train and` at epoch \d+:\s+`(Epoch: [^`]+)`", DOCS)
    assert quoted and not re.findall(r"`Epoch: [^`]+`", DOCS.replace(f"`{quoted[0]}`", ""))
    main(["train", "and", "--log-every", "1"])
    assert set(quoted) <= set(capsys.readouterr().out.splitlines())
