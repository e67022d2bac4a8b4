"""Files written safely and read carefully: what session files and exports stand on.

Writing is atomic: the bytes go to a temporary file in the target's own directory, are flushed to
the disk (fsync), and only then renamed over the target (os.replace, atomic on POSIX), and the
directory is synced so the rename itself survives a crash. A writer killed at any moment leaves
the old file whole, or the new one whole; at worst a stray `.NAME.*.tmp` beside it.

Reading refuses, before reading much, what cannot be a small text file: a missing path, a
directory, a device or pipe, an unreadable file, one far larger than `limit`. Every refusal is a
`FileError`: an InputError whose words are under [session] in core/words.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from core.errors import InputError

CHUNK = 1 << 16  # bytes written at a time
# Called after each chunk is written to the temporary file, with the bytes written so far: tests
# make the writer slow through it, to kill it mid-write. None in normal use.
after_chunk: Callable[[int], None] | None = None


class FileError(InputError):
    """A file that cannot be read, written or taken: the facts, told by the words under [session]."""

    TABLE = "session"


def megabytes(n: int) -> str:
    return f"{n / 2**20:,.1f} MB"


# --- reading -------------------------------------------------------------------------------------


def read_limited(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; FileError for anything else.

    Opens without blocking (a FIFO would otherwise wait for a writer), checks what the path is
    before reading, and never reads more than `limit` + 1 bytes (a file may grow, and /proc lies).
    """
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise FileError("missing", path=shown) from None
    except IsADirectoryError:
        raise FileError("directory", path=shown) from None
    except PermissionError:
        raise FileError("permission", path=shown) from None
    except (OSError, ValueError) as error:  # ENOTDIR, ELOOP, ENAMETOOLONG; ValueError: a NUL in the path
        raise FileError("unreadable", path=shown, reason=_reason(error)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileError("directory", path=shown)
        if not stat.S_ISREG(info.st_mode):
            raise FileError("not_regular", path=shown)
        if info.st_size > limit:
            raise FileError("too_large", path=shown, size=megabytes(info.st_size), most=megabytes(limit))
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileError("too_large", path=shown, size=f"> {megabytes(limit)}", most=megabytes(limit))
        return b"".join(chunks)
    except PermissionError:
        raise FileError("permission", path=shown) from None
    except OSError as error:
        raise FileError("unreadable", path=shown, reason=_reason(error)) from None
    finally:
        os.close(fd)


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


# --- writing -------------------------------------------------------------------------------------


def check_writable(path: str | os.PathLike, overwrite: bool = False) -> Path:
    """The path, if a file can be written there: FileError if its directory is missing or not
    writable, if it is a directory, or if it exists and `overwrite` is not set. Checked before
    a long run, so that the run is not lost to a typo in the name."""
    shown = str(path)
    if not shown.strip() or "\0" in shown:
        raise FileError("bad_path", path=shown)
    target = Path(path)
    if target.is_dir():
        raise FileError("is_dir", path=shown)
    directory = target.resolve().parent
    if not directory.is_dir():
        raise FileError("no_dir", path=shown, directory=str(target.parent))
    if target.exists() and not overwrite:
        raise FileError("exists", path=shown)
    if not os.access(directory, os.W_OK | os.X_OK):
        raise FileError("not_writable", path=shown, directory=str(directory))
    return target


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Replace the file at `path` with `data`, all at once (see the module's doc); FileError if it cannot."""
    shown = str(path)
    target = Path(os.path.realpath(path))  # through a symlink: replace the file it points to, not the link
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise FileError("write_failed", path=shown, reason=_reason(error)) from None
    try:
        with os.fdopen(fd, "wb") as file:
            for start in range(0, len(data), CHUNK):
                file.write(data[start : start + CHUNK])
                if after_chunk is not None:
                    file.flush()
                    after_chunk(start + CHUNK)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise FileError("write_failed", path=shown, reason=_reason(error)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
    _sync_directory(target.parent)


def _sync_directory(directory: Path) -> None:
    # The rename is in the directory's own data: sync it too, or a power cut may undo the rename.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (/proc), else by setting it back."""
    with contextlib.suppress(OSError, ValueError), Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
