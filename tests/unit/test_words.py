"""Every sentence and label lives in core/words/<lang>.toml: complete in each language, the same
placeholders everywhere, every key the code asks for present, and no words left in the code."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from core.words import FALLBACK, catalog, count, languages, say

ROOT = Path(__file__).resolve().parents[2]
CODE = sorted([*ROOT.glob("core/**/*.py"), *ROOT.glob("tui/**/*.py")])
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _fields(text: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def _base(key: str) -> str:
    return key.rsplit(".", 1)[0] if key.endswith((".one", ".other")) else key


def test_english_and_korean_are_both_here():
    assert languages()[0] == FALLBACK and "ko" in languages()


@pytest.mark.parametrize("lang", [lang for lang in languages() if lang != FALLBACK])
def test_every_language_has_every_key_with_the_same_placeholders(lang):
    english, other = catalog(FALLBACK), catalog(lang)
    have = {_base(k) for k in other}
    missing = sorted({_base(k) for k in english} - have)
    assert not missing, f"{lang} lacks {missing}"
    extra = sorted(have - {_base(k) for k in english})
    assert not extra, f"{lang} has keys English does not: {extra}"
    for key, text in other.items():
        reference = english.get(key) or english[_base(key) + ".other"]
        assert _fields(text) == _fields(reference), key


def test_every_key_the_code_asks_for_exists():
    asked = set()
    for path in CODE:
        source = path.read_text()
        asked |= {(m, False) for m in re.findall(r"\bsay\(\s*\"([a-z0-9_.\-]+)\"", source)}
        asked |= {(m, True) for m in re.findall(r"\bcount\(\s*\"([a-z0-9_.\-]+)\"", source)}
    english = catalog(FALLBACK)
    assert len(asked) > 50
    for key, plural in sorted(asked):
        assert (f"{key}.other" in english) if plural else (key in english), key


def test_no_words_are_left_in_the_code():
    for path in CODE:
        assert not HANGUL.search(path.read_text()), f"Korean text in {path.relative_to(ROOT)}: it belongs in core/words"
        assert 'lang == "ko"' not in path.read_text(), path


def test_plurals_and_fallback():
    assert count("app.n_neurons", 1, "en") == "1 neuron" and count("app.n_neurons", 3, "en") == "3 neurons"
    assert count("app.n_neurons", 1, "ko") == "뉴런 1개"
    assert say("app.paused", "xx") == "paused"  # an unknown language speaks English


def test_the_loss_plots_labels_are_in_every_language():
    """The plot's axis label and legend are words of the catalog (tui/widgets/loss_plot.py puts wide
    ones back over ASCII stand-ins of their width); Korean has its own."""
    for name in ("epoch", "loss", "accuracy"):
        assert say(f"app.plot_{name}", "ko") != say(f"app.plot_{name}", "en")
