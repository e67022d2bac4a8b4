"""Formulas as plain text: numbers as a learner reads them, sums with their signs as operators,
neurons' names (x₁, h¹₂, ŷ), and wrapping that knows Korean takes two terminal cells.

Pure Python, for the explainer's stages (core.explain.explain_text) and whatever prints them.
"""

from __future__ import annotations

import unicodedata

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MINUS = "−"  # the operator; a number's own sign stays "-"
OPERATORS = {"=", "+", MINUS, "·", "≥", "<", "→", "←", "⊙"}


def num(v: float) -> str:
    """4 significant digits below 1 (0.5000, 0.001873, 1.773e-06), 4 decimals from 1 up, whole numbers bare."""
    if v != v:
        return "nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    if float(v).is_integer() and abs(v) < 1e5:
        return str(int(v))
    if abs(v) < 1:
        return f"{v:#.4g}"
    if abs(v) < 1e5:
        return f"{v:.4f}"
    return f"{v:.3e}"


def paren(v: float) -> str:
    """A number as a factor: negative ones in parentheses."""
    return f"({num(v)})" if v < 0 else num(v)


def signed_terms(terms: list[tuple[float, str]]) -> str:
    """`a − b + c` from (value, shown) pairs: each value's sign becomes the operator before it."""
    out = ""
    for k, (value, shown) in enumerate(terms):
        negative = value < 0 and shown.startswith("-")
        body = shown[1:] if negative else shown
        if k == 0:
            out = shown
        else:
            out += f" {MINUS} {body}" if negative else f" + {shown}"
    return out or "0"


def product_terms(pairs: list[tuple[float, float]]) -> str:
    """`0.1234·0 − 0.5678·1`: w·a for each (w, a), signs hoisted out of the first factor."""
    return signed_terms([(w, f"{num(w)}·{paren(a)}") for w, a in pairs])


def neuron_names(sizes: tuple[int, ...], input_names: tuple[str, ...]) -> list[list[str]]:
    """x₁ x₂ for inputs, h₁… for one hidden layer (h¹₁… for several), ŷ for the output."""
    names = [[n.translate(SUBSCRIPTS) for n in input_names]]
    hidden = sizes[1:-1]
    for k, width in enumerate(hidden, 1):
        mark = "h" if len(hidden) == 1 else "h" + str(k).translate(SUPERSCRIPTS)
        names.append([mark + str(i).translate(SUBSCRIPTS) for i in range(1, width + 1)])
    names.append(["ŷ"])
    return names


def row_label(x: list[float]) -> str:
    return "(" + ",".join(num(v) for v in x) + ")"


def cells(text: str) -> int:
    """Terminal cells the text takes: East Asian wide and full-width characters (Korean) take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Words (split at spaces) into lines of at most `width` cells, later lines starting with `indent`.

    A line never breaks inside an equation that fits on one ("8.83·x₁ + 8.83·x₂ − 13.41 = 0"),
    nor between a relation and the value that ends it ("lr = 1.", "… = 0"), nor between a name
    and its value ("lr 1000", "epoch 12"), nor inside parentheses ("p(1 − p)"), nor before an
    operator (a longer formula's line ends "z =" or "+", never starts "= W·a"); a word longer
    than a line gets a line of its own: a character is never cut.
    """
    if cells(text) <= width:
        return [text]  # as it is, its spacing too
    lead = text[: len(text) - len(text.lstrip(" "))]
    room = width - max(cells(lead), cells(indent))
    words: list[str] = []
    for word in _joined(text.split(), parens=True):
        # a parenthesis longer than a line is prose ("(Their version had …)"): it may break inside
        words.extend([word] if cells(word) <= room else _joined(word.split(), parens=False))
    words = _whole_equations(words, room)
    lines, line = [], ""
    for word in words:
        start = lead if not lines else indent
        if line and cells(start + line) + 1 + cells(word) > width:
            lines.append(start + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line or not lines:
        lines.append((lead if not lines else indent) + line)
    return lines


def _joined(tokens: list[str], parens: bool) -> list[str]:
    """Tokens joined into the words a line never breaks inside: an operator with the word before it,
    the side that ends a relation, a value with its name, and (`parens`) a parenthesis whole."""
    words: list[str] = []
    depth = 0
    for k, word in enumerate(tokens):
        after = tokens[k + 1] if k + 1 < len(tokens) else ""
        if words and ((parens and depth > 0) or word in OPERATORS or _joins(words[-1], word, after)):
            words[-1] += " " + word
        else:
            words.append(word)
        depth = max(0, depth + word.count("(") - word.count(")"))
    return words


RELATIONS = {"=", "≥", "≤", "<", ">", "≈", "≠"}


def _value(word: str) -> bool:
    return bool(word) and (word[0].isdigit() or (word[0] in "+-−" and word[1:2].isdigit()))


def _joins(before: str, word: str, after: str) -> bool:
    """Whether `word` stays on the line of the words `before` it: the side that ends a relation
    ("= 0", "≥ θ"), or a value after its name ("lr 1000"; not after "line:" or a sentence's end)."""
    last = before.split()[-1]
    if last in RELATIONS:
        return after not in OPERATORS  # the formula ends here: "= 0", "= θ:"
    return _value(word) and last not in OPERATORS and last[-1] not in ":,.;)"


def _whole_equations(words: list[str], room: int) -> list[str]:
    """Formulas that fit in `room` cells as one word: a run of words each ending in an operator,
    and the word that ends the run. A longer formula keeps each side of its relations whole where
    that fits ("… = " / "-0.01273 · 0.2500 = -0.003183"), else breaks after its operators."""
    out: list[str] = []
    for run in _runs(words, OPERATORS):
        whole = " ".join(run)
        if len(run) > 1 and cells(whole) <= room:
            out.append(whole)
            continue
        for side in _runs(run, OPERATORS - RELATIONS - {"←", "→"}):
            joined = " ".join(side)
            out.extend([joined] if len(side) > 1 and cells(joined) <= room else side)
    return out


def _runs(words: list[str], links: set[str]) -> list[list[str]]:
    """`words` cut into runs, each word of a run but its last ending in one of `links`."""
    runs: list[list[str]] = [[]]
    for word in words:
        runs[-1].append(word)
        if word.split()[-1] not in links:
            runs.append([])
    return [run for run in runs if run]
