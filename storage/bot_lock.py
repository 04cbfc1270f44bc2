"""One bot per database: a lock file beside BOT_DB, held while a bot runs on it.

Two bots on one database would each take the other's in-flight deliveries
for crashed ones and send them again, and both would send at the full rate
Telegram allows one bot. So ``run`` (and ``console`` on a given BOT_DB) hold
an exclusive ``flock`` on ``<BOT_DB>.lock`` for as long as they run, with
their pid written in it for the message another one gets; ``restore`` holds
it while it swaps the file, so no bot starts on a half-restored database.
The commands that work beside a running bot (import, publish, releases,
backup, export) do not take it.

The kernel lets go of a lock when its process ends, however it ends, so a
lock file left behind by a killed bot stops no one. The file is removed on a
clean release; a bot that finds, once it holds the lock, that its file was
removed or replaced meanwhile tries again, so two bots never hold locks on
two different files of one name.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.db import DatabaseUnavailable, unusable

# Locks taken on a file that was replaced meanwhile are retried this often at most.
ATTEMPTS = 5


class BotRunning(DatabaseUnavailable):
    """Another process holds the database's lock: the message names it."""

    def __init__(self, database: Path, pid: int | None) -> None:
        who = f"pid {pid}" if pid else "its pid unknown"
        super().__init__(
            database,
            f"is in use by another bot ({who}; lock file {lock_path(database)}): "
            "stop it first; two bots on one database would send every alert twice",
        )
        self.pid = pid


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


@contextmanager
def bot_lock(database: Path) -> Iterator[None]:
    """Hold the database's lock for the ``with`` block; BotRunning if another process has it.

    DatabaseUnavailable when the database's folder cannot take the lock file
    (missing, read-only), in the words ``connect`` would use.
    """
    database = Path(database)
    path = lock_path(database)
    descriptor = _take(database, path)
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass  # a full disk: the lock holds all the same, without the pid to show
    try:
        yield
    finally:
        # Removed while still held: whoever opens the name next makes a new file.
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _take(database: Path, path: Path) -> int:
    for _ in range(ATTEMPTS):
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            problem = (
                unusable(database) or f"its lock file {path} cannot be opened: {error.strerror}"
            )
            raise DatabaseUnavailable(database, problem) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _pid_in(descriptor)
            os.close(descriptor)
            raise BotRunning(database, pid) from None
        if _same_file(descriptor, path):
            return descriptor
        os.close(descriptor)  # released and removed by its holder meanwhile: again
    raise BotRunning(database, None)


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def _pid_in(descriptor: int) -> int | None:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
