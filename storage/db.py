"""Opening the database, bringing its schema up to date, and one writer at a time.

Migrations are numbered SQL files in ``storage/migrations``; each one that is
not yet recorded in ``migrations`` runs in its own transaction at start-up,
so a database created by any earlier version is carried forward in order.

Handlers and jobs share one connection, and a transaction spans awaits: while
one task waits between its statements, another may run. So a connection has
one writer at a time. ``transaction()`` holds the connection's lock from
BEGIN to COMMIT; a single statement outside a transaction goes through
``write()``, which waits for an open transaction of another task to end (and
inside the task's own transaction is simply part of it). Nothing commits by
hand: the connection is in autocommit mode and ``transaction()`` commits.
Reads take no turn; they may see another task's uncommitted writes.

A database that cannot be used (damaged, read-only, locked, a missing
folder, made by a newer version, missing a table its migrations made, on a
full or failing disk) raises ``DatabaseUnavailable`` with one line for the
operator, and leaves no connection thread behind: a half-opened aiosqlite
connection keeps a non-daemon thread alive and the process would never exit.

A write that fails for the file's sake (a full disk, an I/O error, a lock
held too long) is remembered on its connection until a later write gets
through: /healthz reports it and /metrics counts it (``write_failure``,
``on_write_failure``).
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from weakref import WeakKeyDictionary

import aiosqlite

from storage.schema import (
    TABLES_SQL,
    MigrationFailed,
    describe,
    made_by,
    missing,
    split_sql,
    tables,
)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# A migration that rebuilds a table others point to (SQLite's only way to drop
# a CHECK) starts with this line. It runs with foreign keys off, as SQLite's
# ALTER TABLE documentation prescribes: with them on, dropping the old table
# would cascade into every subscription and delivery. The keys are checked
# before it commits.
REBUILDS = "-- rebuilds:"
# How long a statement waits for another process's write lock before "locked".
BUSY_TIMEOUT_SECONDS = 5.0
# SQLite's primary result codes that say the file, not the statement, is the
# problem: busy, locked, out of memory, read-only, I/O error, damaged, full,
# cannot open, lock protocol, not a database.
STORAGE_FAILURES = frozenset({5, 6, 7, 8, 10, 11, 13, 14, 15, 26})
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL = 8, 10, 13
# What an operating system says when a disk (or the process's share of it) is full.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message is one line naming BOT_DB and why."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"BOT_DB={path}: {problem}")
        self.path = Path(path)
        self.problem = problem


class NewerSchema(Exception):
    """The database has migrations this code does not know: a newer version wrote it."""

    def __init__(self, unknown: list[str]) -> None:
        super().__init__(", ".join(unknown))
        self.unknown = unknown


async def connect(
    path: Path | str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS
) -> aiosqlite.Connection:
    """An open connection with WAL, foreign keys and the schema migrated.

    Raises DatabaseUnavailable, having closed what it opened, when the file
    cannot be used.
    """
    path = Path(path)
    problem = unusable(path)
    if problem is None:
        try:
            # Opened once with the standard module first: aiosqlite, when its own
            # open fails, leaves its thread a message the closed loop cannot take.
            await asyncio.to_thread(_open_and_close, path, busy_timeout)
        except sqlite3.Error as error:
            problem = problem_with(path, error, busy_timeout)
    if problem is not None:
        raise DatabaseUnavailable(path, problem)
    db = await aiosqlite.connect(str(path), isolation_level=None, timeout=busy_timeout)
    try:
        db.row_factory = aiosqlite.Row
        # Before anything writes (even switching to WAL changes the file): a
        # database of a newer version is refused untouched.
        await refuse_newer_schema(db)
        # WAL lets the import command write while the running bot reads.
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA foreign_keys = ON")
        await db.execute("PRAGMA synchronous = NORMAL")
        await db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        await migrate(db)
        # Every table its migrations made: else the bot would fail at the first query.
        problems = await schema_problems(db)
        if problems:
            raise DatabaseUnavailable(
                path,
                f"lacks what its migrations made ({describe(problems)}): "
                "restore a backup (python bot.py restore FILE)",
            )
    except BaseException as error:
        await db.close()
        if isinstance(error, MigrationFailed) and storage_failure(error.error):
            error = error.error  # the disk, not the migration
        if isinstance(error, sqlite3.Error):
            raise DatabaseUnavailable(path, problem_with(path, error, busy_timeout)) from None
        if isinstance(error, MigrationFailed):
            raise DatabaseUnavailable(
                path,
                f"cannot be brought up to date: {error}; restore a backup "
                "(python bot.py restore FILE)",
            ) from None
        if isinstance(error, NewerSchema):
            raise DatabaseUnavailable(
                path,
                f"was written by a newer casewatch (migration {error} is unknown here); "
                "run that version, or restore a backup made by this one",
            ) from None
        raise
    return db


def _open_and_close(path: Path, busy_timeout: float) -> None:
    sqlite3.connect(path, timeout=busy_timeout).close()


def unusable(path: Path) -> str | None:
    """What stops the bot from using ``path``, found before SQLite is asked (it would only
    say "unable to open database file"); None if nothing does."""
    if not path.parent.is_dir():
        return f"its folder {path.parent} does not exist"
    if path.is_dir():
        return "is a folder, not a database file"
    if read_only_file_system(path.parent):
        return (
            f"is on a read-only file system: remount {path.parent} read-write "
            "(or move BOT_DB to one that is)"
        )
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"is read-only: the bot must be able to write it and its folder {path.parent}"
    # WAL keeps two files beside the database (-wal, -shm), created on demand.
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"cannot be written: the bot must be able to write its folder {path.parent}"
    return None


def read_only_file_system(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def storage_failure(error: BaseException) -> bool:
    """Whether SQLite's error is about the file (disk, lock, damage), not the statement."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in STORAGE_FAILURES


def free_space(folder: Path) -> str:
    """What is free on the disk that holds ``folder``, as " (1.2 GiB free)"; "" if unknown."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if free < 1024 or unit == "GiB":
            break
        free /= 1024
    return f" ({free:.0f} bytes free)" if unit == "bytes" else f" ({free:.1f} {unit} free)"


def disk_problem(error: OSError) -> str:
    """An operating system's error on writing a file, with what to do about it."""
    reason = error.strerror or str(error)
    if error.errno in DISK_FULL:
        return f"{reason}: free space on its disk (or choose another folder), then try again"
    if error.errno == errno.EROFS:
        return f"{reason}: remount it read-write (or choose another folder), then try again"
    return reason


def problem_with(path: Path, error: sqlite3.Error, waited: float) -> str:
    """What SQLite's error means for the operator, in words that say what to fix."""
    text = str(error).lower()
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    if code == SQLITE_FULL or "disk is full" in text:
        return (
            f"cannot be written: its disk is full{free_space(path.parent)}; "
            "free space on it, then try again"
        )
    if code == SQLITE_IOERR or "disk i/o error" in text:
        if read_only_file_system(path.parent):
            return f"is on a read-only file system: remount {path.parent} read-write"
        return (
            f"cannot be written or read (disk I/O error){free_space(path.parent)}: "
            "free space on its disk, or check that the disk is writable and sound, then try again"
        )
    if "not a database" in text or "malformed" in text:
        return "is not a SQLite database, or is damaged (restore a backup)"
    if "locked" in text or "busy" in text:
        return f"is locked by another program (waited {waited:g} s)"
    writable_file = not path.exists() or os.access(path, os.W_OK)
    if "readonly" in text or "read-only" in text or not writable_file:
        return f"is read-only: the bot must be able to write it and its folder {path.parent}"
    if "unable to open" in text and not os.access(path.parent, os.W_OK):
        return f"cannot be written: the bot must be able to write its folder {path.parent}"
    return f"cannot be used: {error}"


def timestamp() -> str:
    """Now, as the *_at columns store it: UTC, ISO 8601, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


async def refuse_newer_schema(db: aiosqlite.Connection) -> None:
    """Raise NewerSchema if the database records migrations this code does not have."""
    async with db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ) as cursor:
        [(has_table,)] = await cursor.fetchall()
    if not has_table:
        return
    async with db.execute("SELECT name FROM migrations") as cursor:
        done = {row[0] for row in await cursor.fetchall()}
    unknown = sorted(done - {path.stem for path in migration_files()})
    if unknown:
        raise NewerSchema(unknown)


async def migrate(db: aiosqlite.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied."""
    await refuse_newer_schema(db)
    await db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    async with db.execute("SELECT name FROM migrations") as cursor:
        done = {row[0] for row in await cursor.fetchall()}
    applied = []
    for path in migration_files():
        if path.stem in done:
            continue
        script = path.read_text(encoding="utf-8")
        rebuilds = script.startswith(REBUILDS)
        if rebuilds:
            # Outside the transaction: SQLite ignores this pragma inside one.
            await db.execute("PRAGMA foreign_keys = OFF")
        try:
            async with transaction(db):
                # executescript would commit on its own; run statement by statement
                # so the migration and its record land together or not at all.
                for statement in split_sql(script):
                    await db.execute(statement)
                if rebuilds:
                    await _check_foreign_keys(db, path)
                await db.execute(
                    "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                    (path.stem, timestamp()),
                )
        except sqlite3.Error as error:
            raise MigrationFailed(path.stem, error) from None
        finally:
            if rebuilds:
                await db.execute("PRAGMA foreign_keys = ON")
        applied.append(path.stem)
    return applied


async def schema_problems(db: aiosqlite.Connection) -> list[str]:
    """What the database lacks of the tables and columns its recorded migrations make."""
    async with db.execute("SELECT name FROM migrations") as cursor:
        done = {row[0] for row in await cursor.fetchall()}
    expected = made_by(tuple(path for path in migration_files() if path.stem in done))
    async with db.execute(TABLES_SQL) as cursor:
        found = tables(tuple(row) for row in await cursor.fetchall())
    return missing(expected, found)


async def _check_foreign_keys(db: aiosqlite.Connection, path: Path) -> None:
    async with db.execute("PRAGMA foreign_key_check") as cursor:
        broken = await cursor.fetchall()
    if broken:
        raise sqlite3.IntegrityError(f"{path.name} leaves {len(broken)} broken foreign keys")


@dataclass(frozen=True)
class WriteFailure:
    """Writes on a connection fail: since when, how many in a row, and SQLite's last word."""

    since: datetime  # UTC
    count: int
    error: str


class Writer:
    """Whose turn it is to write on one connection, and whether its writes get through."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.owner: asyncio.Task | None = None  # the task inside transaction(), if any
        self.failure: WriteFailure | None = None  # until a write gets through
        self.on_failure: Callable[[], None] | None = None

    def mine(self) -> bool:
        return self.owner is not None and self.owner is asyncio.current_task()

    def failed(self, error: BaseException) -> None:
        if not storage_failure(error):
            return  # a constraint or a bug: the file is fine
        first = self.failure.since if self.failure else datetime.now(UTC)
        count = self.failure.count + 1 if self.failure else 1
        self.failure = WriteFailure(first, count, str(error))
        if self.on_failure is not None:
            self.on_failure()

    def succeeded(self, db: aiosqlite.Connection, changes_before: int) -> None:
        # Only a write that changed rows reached the disk: a transaction that
        # changed nothing commits on a full disk too.
        if db.total_changes != changes_before:
            self.failure = None


# Kept beside the connection rather than on it: any connection works, however opened.
_writers: WeakKeyDictionary[aiosqlite.Connection, Writer] = WeakKeyDictionary()


def _writer(db: aiosqlite.Connection) -> Writer:
    found = _writers.get(db)
    if found is None:
        found = _writers[db] = Writer()
    return found


def write_failure(db: aiosqlite.Connection) -> WriteFailure | None:
    """How the connection's writes fail, or None once the last one that changed rows worked."""
    return _writer(db).failure


def on_write_failure(db: aiosqlite.Connection, callback: Callable[[], None]) -> None:
    """Call ``callback`` at every write on ``db`` that fails for the file's sake."""
    _writer(db).on_failure = callback


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error, with no other writer in between.

    A task that already holds a transaction on ``db`` may not open another
    (SQLite has no nested BEGIN, and waiting for itself would never end); nor
    may a task it waits for write on ``db``.
    """
    turn = _writer(db)
    if turn.mine():
        raise RuntimeError("a transaction inside a transaction on the same connection")
    async with turn.lock:
        turn.owner = asyncio.current_task()
        try:
            changes_before = db.total_changes
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.rollback()
                raise
            await db.commit()
        except sqlite3.Error as error:
            turn.failed(error)
            raise
        else:
            turn.succeeded(db, changes_before)
        finally:
            turn.owner = None


async def write(db: aiosqlite.Connection, sql: str, parameters=()) -> aiosqlite.Cursor:
    """Run one statement that changes data, in turn with the connection's other writers."""
    turn = _writer(db)
    if turn.mine():  # part of the task's transaction, which keeps the record
        return await db.execute(sql, parameters)
    async with turn.lock:
        changes_before = db.total_changes
        try:
            cursor = await db.execute(sql, parameters)
        except sqlite3.Error as error:
            turn.failed(error)
            raise
        turn.succeeded(db, changes_before)
        return cursor
