"""core/ is the engine: it never imports a UI package, and `import core` does not even load torch."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import core

UI_PACKAGES = ("tui", "textual", "rich", "textual_plotext", "plotext", "textual_serve")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(core.__file__).parent.parent,
    )
    return set(out.stdout.split())


def test_every_core_module_imports_without_a_ui_package():
    names = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
    assert {"core.trainer", "core.cli", "core.cli.train", "core.words"} <= set(names)
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert set(names) <= loaded
    assert not {m for m in loaded if m.split(".")[0] in UI_PACKAGES}


def test_import_core_and_the_lessons_leaves_torch_unloaded():
    loaded = _modules_after("import core; core.LESSONS; core.dataset('xor')")
    assert "torch" not in loaded
    assert "torch" in _modules_after("import core; core.Trainer")


def test_headless_commands_never_load_textual_and_help_never_loads_torch():
    run = "from tui.__main__ import main\nmain({argv!r})"
    loaded = _modules_after(run.format(argv=["train", "and", "--epochs", "1"]))
    assert "torch" in loaded and not {m for m in loaded if m.split(".")[0] in ("textual", "rich", "plotext")}
    code = "import contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
    loaded = _modules_after(code + "    " + run.format(argv=["--help"]).replace("\n", "\n    "))
    assert "torch" not in loaded and "textual" not in loaded
