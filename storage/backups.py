"""Copies of the database made while the bot runs, checked, and put back.

SQLite's online backup API copies a consistent snapshot page by page while
other connections go on writing (WAL lets them). A copy counts only once
``PRAGMA integrity_check`` says ok, and it is a single self-contained file
(rollback journal, no -wal beside it), so it can be moved anywhere.

These functions block (a large copy takes seconds): the bot runs them in a
thread. The ``backups`` table records the bot's daily backups for /admin
and /healthz.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from storage.bot_lock import BotRunning, bot_lock
from storage.db import (
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_READONLY,
    DatabaseUnavailable,
    migration_files,
    problem_with,
    write,
)
from storage.schema import SCHEMA_SQL, MigrationFailed, after_migrations, describe, made_by, missing

# How long a copy or restore waits for a lock held by another connection.
LOCK_WAIT_SECONDS = 5.0
# What SQLite says when the disk will not take a write: read-only, I/O error, full.
REFUSED_WRITES = frozenset({SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL})
# Suffixes of the files SQLite keeps beside a database in WAL mode.
SIDE_FILES = ("-wal", "-shm")


class BackupRefused(Exception):
    """A backup file that must not be restored (or written); the message says why."""


class CannotWrite(Exception):
    """A copy could not be written (a full disk, a read-only folder): the message names it."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class Copy:
    path: Path
    size: int


@dataclass(frozen=True)
class BackupRecord:
    at: datetime  # UTC
    path: str
    ok: bool
    size: int | None
    error: str | None


def make_copy(database: Path, target: Path) -> Copy:
    """Copy ``database`` to ``target`` (a new file) and check the copy; raises on any failure.

    The copy is written beside ``target`` under a temporary name and renamed
    only once it checks out, so ``target`` never holds a partial copy.
    """
    if not database.is_file():
        raise DatabaseUnavailable(database, "does not exist: there is nothing to back up")
    if target.exists():
        raise BackupRefused(f"{target} exists already: choose another name")
    partial = target.with_name(target.name + ".partial")
    # Created by hand first: an OSError naming the problem (no such folder,
    # permission denied) rather than SQLite's "unable to open database file".
    partial.write_bytes(b"")
    try:
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            try:
                with contextlib.closing(
                    sqlite3.connect(database, timeout=LOCK_WAIT_SECONDS)
                ) as source:
                    # Read first: a damaged or locked database is named as such, and
                    # a disk error after this is the copy's (a full disk where it goes).
                    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    try:
                        # One step (pages=-1): a read transaction over the whole copy,
                        # a consistent snapshot however much the bot writes meanwhile.
                        source.backup(copy)
                    except sqlite3.Error as error:
                        if refused_write(error):
                            raise CannotWrite(target, problem_with(partial, error, 0)) from None
                        raise
            except sqlite3.Error as error:
                raise DatabaseUnavailable(
                    database, problem_with(database, error, LOCK_WAIT_SECONDS)
                ) from None
            try:
                copy.execute("PRAGMA journal_mode = DELETE")  # one file, nothing beside it
            except sqlite3.Error as error:
                raise CannotWrite(target, problem_with(partial, error, 0)) from None
        problems = integrity_problems(partial)
        if problems:
            raise BackupRefused(f"the copy failed its integrity check: {problems[0]}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Copy(target, target.stat().st_size)


def refused_write(error: sqlite3.Error) -> bool:
    """A disk's refusal to take what is written (full, read-only, failing)."""
    return ((getattr(error, "sqlite_errorcode", None) or 0) & 0xFF) in REFUSED_WRITES


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong with the file (empty when it is ok), a line
    each (SQLite puts several in one row, under a "*** in database main ***" heading)."""
    if not path.is_file():
        return ["no such file"]
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=LOCK_WAIT_SECONDS)) as db:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [f"not a SQLite database, or damaged ({error})"]
    if rows == ["ok"]:
        return []
    lines = [line.strip() for row in rows for line in str(row).splitlines()]
    return [line for line in lines if line and not line.startswith("***")] or ["damaged"]


def migrations_in(path: Path) -> set[str] | None:
    """The migrations a database file has had; None if it is no casewatch database."""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=LOCK_WAIT_SECONDS)) as db:
            return {row[0] for row in db.execute("SELECT name FROM migrations")}
    except sqlite3.Error:
        return None


def check_restorable(backup: Path) -> None:
    """Raise BackupRefused unless ``backup`` is a sound casewatch database this code can run:
    intact, no newer than this code, and with every table and column this version's
    migrations make once start-up has applied those it lacks."""
    problems = integrity_problems(backup)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise BackupRefused(f"{backup} fails the integrity check: {problems[0]}{more}")
    names = migrations_in(backup)
    if not names:
        raise BackupRefused(f"{backup} is not a casewatch database (no migrations table)")
    known = migration_files()
    unknown = sorted(names - {path.stem for path in known})
    if unknown:
        raise BackupRefused(
            f"{backup} comes from a newer casewatch (migration {', '.join(unknown)} "
            "is unknown here): upgrade casewatch first"
        )
    pending = [path for path in known if path.stem not in names]
    try:
        with contextlib.closing(sqlite3.connect(backup, timeout=LOCK_WAIT_SECONDS)) as db:
            schema = db.execute(SCHEMA_SQL).fetchall()
        lacking = missing(made_by(tuple(known)), after_migrations(schema, pending))
    except MigrationFailed as failed:
        raise BackupRefused(
            f"{backup} cannot be brought up to date ({failed}): restore another backup"
        ) from None
    except sqlite3.Error as error:
        raise BackupRefused(f"{backup} has a schema this casewatch cannot read ({error})") from None
    if lacking:
        raise BackupRefused(
            f"{backup} is not a whole casewatch database ({describe(lacking)}): "
            "restore another backup"
        )


def restore(backup: Path, database: Path, stamp: str) -> Path | None:
    """Replace ``database`` by ``backup``; return where the old database was kept (if any).

    Refuses (BackupRefused) a backup that fails ``check_restorable`` and a
    database a bot runs on (its lock, ``storage/bot_lock.py``) or another
    process has open: the bot must be stopped. The old
    database, with any -wal/-shm beside it, is renamed to
    ``<database>.before-restore-<stamp>``; the backup goes in through the
    backup API, so a backup that was itself a live WAL database (its -wal
    beside it) arrives whole.
    """
    check_restorable(backup)
    if not database.parent.is_dir():
        raise DatabaseUnavailable(database, f"its folder {database.parent} does not exist")
    if database.exists() and backup.resolve() == database.resolve():
        raise BackupRefused(f"{backup} is BOT_DB itself")
    try:
        # Held until the new file is in place: no bot starts on a half-restored one.
        with bot_lock(database):
            return _swap(backup, database, stamp)
    except BotRunning as running:
        pid = f"pid {running.pid}" if running.pid else "its pid unknown"
        raise BackupRefused(
            f"BOT_DB={database} is in use by a running bot ({pid}): stop the bot first"
        ) from None


def _swap(backup: Path, database: Path, stamp: str) -> Path | None:
    if database.exists():
        settle(database)
    # The backup is copied in first, under a temporary name: until the last
    # rename, BOT_DB is the old database, whatever fails or crashes.
    partial = database.with_name(database.name + ".restoring")
    kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    moved: list[str] = []
    try:
        with (
            contextlib.closing(sqlite3.connect(backup, timeout=LOCK_WAIT_SECONDS)) as source,
            contextlib.closing(sqlite3.connect(partial)) as target,
        ):
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            except sqlite3.Error as error:
                if refused_write(error):
                    raise CannotWrite(partial, problem_with(partial, error, 0)) from None
                raise
        for suffix in ("", *SIDE_FILES):
            if Path(f"{database}{suffix}").exists():
                os.replace(f"{database}{suffix}", f"{kept}{suffix}")
                moved.append(suffix)
        os.replace(partial, database)
    except BaseException:
        partial.unlink(missing_ok=True)
        for suffix in moved:  # put the old one back: nothing changed after all
            os.replace(f"{kept}{suffix}", f"{database}{suffix}")
        raise
    return kept if moved else None


def settle(database: Path) -> None:
    """Make sure no one else has ``database`` open, and fold its WAL into the file.

    In WAL mode an idle connection of another process holds no lock a
    normal writer would meet; an exclusive locking-mode transaction does
    meet it, so a running bot is found here rather than left writing to a
    file that has been swapped under it. A damaged database cannot be
    opened at all: it is moved aside as it is, side files included.
    """
    try:
        with contextlib.closing(sqlite3.connect(database, timeout=0.5, isolation_level=None)) as db:
            db.execute("PRAGMA locking_mode = EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
            db.execute("COMMIT")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise BackupRefused(
                f"BOT_DB={database} is in use by another process: stop the bot first"
            ) from None
    except sqlite3.DatabaseError:
        pass


async def record_backup(
    db: aiosqlite.Connection, at: str, path: Path, size: int | None, error: str | None
) -> None:
    await write(
        db,
        "INSERT INTO backups (at, path, ok, bytes, error) VALUES (?, ?, ?, ?, ?)",
        (at, str(path), int(error is None), size, error),
    )


async def last_backup(db: aiosqlite.Connection, *, ok_only: bool = False) -> BackupRecord | None:
    """The latest backup recorded (the latest good one with ``ok_only``)."""
    where = "WHERE ok = 1" if ok_only else ""
    async with db.execute(
        f"SELECT at, path, ok, bytes, error FROM backups {where} ORDER BY id DESC LIMIT 1"
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return BackupRecord(datetime.fromisoformat(row[0]), row[1], bool(row[2]), row[3], row[4])
