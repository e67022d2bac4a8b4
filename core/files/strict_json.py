"""JSON read strictly, for a file a learner hands the app: the bytes decoded as UTF-8 (a BOM
allowed), and every way it can be wrong refused with one FileError (words under [session]) that
says where: not UTF-8, empty, cut short, not JSON, nested too deeply, a key given twice, NaN or
Infinity, a number too long to be meant. Nothing in it is ever run.
"""

from __future__ import annotations

import json
import math
import re

from core.files.files import FileError


def parse(data: bytes | str, path: str) -> object:
    """The JSON document in `data` (bytes or text); `path` is only for the messages."""
    if isinstance(data, bytes):
        if not data.strip():
            raise FileError("empty", path=path)
        try:
            text = data.decode("utf-8-sig")  # a BOM (some Windows editors write one) is not an error
        except UnicodeDecodeError as error:
            raise FileError("not_utf8", path=path, offset=error.start) from None
    else:
        text = data
    if not text.strip():
        raise FileError("empty", path=path)
    try:
        document = json.loads(
            text,
            object_pairs_hook=_no_duplicates(path),
            parse_constant=_not_finite(path),
            parse_float=_finite_float(path),
            parse_int=_sane_int(path),
        )
    except json.JSONDecodeError as error:
        # Cut short: JSON that began as an object or list and fails at its last token.
        began = text.lstrip()[:1] in ("{", "[")
        rest = text[error.pos :].rstrip()
        if began and (error.msg.startswith("Unterminated string") or not re.search(r"[\s,:\[\]{}]", rest)):
            raise FileError("truncated", path=path, line=error.lineno) from None
        raise FileError("not_json", path=path, line=error.lineno, column=error.colno, reason=error.msg) from None
    except RecursionError:
        raise FileError("not_json", path=path, line=1, column=1, reason="nested too deeply") from None
    return document


def _no_duplicates(path: str):
    def hook(pairs):
        keys = [k for k, _ in pairs]
        for key in keys:
            if keys.count(key) > 1:
                raise FileError("duplicate", path=path, field=key)
        return dict(pairs)

    return hook


def _not_finite(path: str):
    def refuse(constant: str):
        raise FileError("not_finite", path=path, value=constant)

    return refuse


def _finite_float(path: str):
    def read(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise FileError("not_finite", path=path, value=text)
        return value

    return read


def _sane_int(path: str):
    def read(text: str) -> int:
        if len(text.lstrip("-")) > 20:  # Python refuses ints past 4300 digits; none here needs 20
            raise FileError("absurd_number", path=path, value=text[:24] + "…")
        return int(text)

    return read
