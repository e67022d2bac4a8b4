"""core/ is the engine: it never imports a UI package, and `import core` does not even load torch."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import core

UI_PACKAGES = ("textual", "rich", "textual_plotext", "plotext")


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
    names = [f"core.{m.name}" for m in pkgutil.iter_modules(core.__path__)]
    assert "core.trainer" in names and "core.cli" in names
    loaded = _modules_after("\n".join(f"import {n}" for n in names))
    assert set(names) <= loaded
    assert not {m for m in loaded if m.split(".")[0] in UI_PACKAGES}


def test_import_core_and_the_lessons_leaves_torch_unloaded():
    loaded = _modules_after("import core; core.LESSONS; core.dataset('xor')")
    assert "torch" not in loaded
    assert "torch" in _modules_after("import core; core.Trainer")
