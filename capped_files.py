"""Reading a file someone named on the command line, never more than a cap.

A path's size is only a claim: a device (``/dev/zero``), a pipe or a file
still being written reports a size that says nothing of what a read returns,
and a pipe with no writer blocks the open for ever. So only regular files are
read (symlinks followed), a size over the cap is refused before reading, and
the read itself stops one byte past the cap. A leaf module: it imports
nothing of casewatch, so ``cases/``, ``statements/`` and ``bot.py`` all use it.
"""

from __future__ import annotations

import stat
from pathlib import Path


class FileRefused(ValueError):
    """The file was not read, or not wholly; the message says why, in a few words.

    ``reason``: "too_big" or "not_a_file", for callers that word it their own way.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def too_big(size: int | None, max_bytes: int) -> str:
    """The words for a file over the cap; ``size`` None when only the read showed it."""
    most = f"files of up to {max_bytes / 1e6:g} MB are read"
    if size is None:
        return f"is over {max_bytes / 1e6:g} MB; {most}"
    return f"is {size / 1e6:.1f} MB; {most}"


def read_capped(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    FileRefused for anything else than a regular file, or a file over the
    cap; OSError as the system reports it (missing, unreadable).
    """
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise FileRefused("not_a_file", "is not a regular file")
    if max_bytes is not None and status.st_size > max_bytes:
        raise FileRefused("too_big", too_big(status.st_size, max_bytes))
    with path.open("rb") as file:
        data = file.read() if max_bytes is None else file.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRefused("too_big", too_big(None, max_bytes))  # it grew while being read
    return data
