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
folder, made by a newer version) raises ``DatabaseUnavailable`` with one line
for the operator, and leaves no connection thread behind: a half-opened
aiosqlite connection keeps a non-daemon thread alive and the process would
never exit.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from weakref import WeakKeyDictionary

import aiosqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# A migration that rebuilds a table others point to (SQLite's only way to drop
# a CHECK) starts with this line. It runs with foreign keys off, as SQLite's
# ALTER TABLE documentation prescribes: with them on, dropping the old table
# would cascade into every subscription and delivery. The keys are checked
# before it commits.
REBUILDS = "-- rebuilds:"
# How long a statement waits for another process's write lock before "locked".
BUSY_TIMEOUT_SECONDS = 5.0


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
    except BaseException as error:
        await db.close()
        if isinstance(error, sqlite3.Error):
            raise DatabaseUnavailable(path, problem_with(path, error, busy_timeout)) from None
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
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"is read-only: the bot must be able to write it and its folder {path.parent}"
    # WAL keeps two files beside the database (-wal, -shm), created on demand.
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"cannot be written: the bot must be able to write its folder {path.parent}"
    return None


def problem_with(path: Path, error: sqlite3.Error, waited: float) -> str:
    """What SQLite's error means for the operator, in words that say what to fix."""
    text = str(error).lower()
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
        finally:
            if rebuilds:
                await db.execute("PRAGMA foreign_keys = ON")
        applied.append(path.stem)
    return applied


async def _check_foreign_keys(db: aiosqlite.Connection, path: Path) -> None:
    async with db.execute("PRAGMA foreign_key_check") as cursor:
        broken = await cursor.fetchall()
    if broken:
        raise sqlite3.IntegrityError(f"{path.name} leaves {len(broken)} broken foreign keys")


def split_sql(script: str) -> list[str]:
    """Statements of a migration file, trigger bodies (with their inner ;) kept whole."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    statements, pending = [], ""
    for piece in "\n".join(lines).split(";"):
        pending += piece + ";"
        # SQLite's own tokenizer says when a statement is complete: a ; inside
        # BEGIN ... END does not end a CREATE TRIGGER.
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \n;"):
        raise ValueError(f"unterminated SQL statement: {pending.strip()[:60]}")
    return statements


class Writer:
    """Whose turn it is to write on one connection."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.owner: asyncio.Task | None = None  # the task inside transaction(), if any

    def mine(self) -> bool:
        return self.owner is not None and self.owner is asyncio.current_task()


# Kept beside the connection rather than on it: any connection works, however opened.
_writers: WeakKeyDictionary[aiosqlite.Connection, Writer] = WeakKeyDictionary()


def _writer(db: aiosqlite.Connection) -> Writer:
    found = _writers.get(db)
    if found is None:
        found = _writers[db] = Writer()
    return found


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
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.rollback()
                raise
            await db.commit()
        finally:
            turn.owner = None


async def write(db: aiosqlite.Connection, sql: str, parameters=()) -> aiosqlite.Cursor:
    """Run one statement that changes data, in turn with the connection's other writers."""
    turn = _writer(db)
    if turn.mine():
        return await db.execute(sql, parameters)
    async with turn.lock:
        return await db.execute(sql, parameters)
