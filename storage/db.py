"""Opening the database and bringing its schema up to date.

Migrations are numbered SQL files in ``storage/migrations``; each one that is
not yet recorded in ``migrations`` runs in its own transaction at start-up,
so a database created by any earlier version is carried forward in order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# A migration that rebuilds a table others point to (SQLite's only way to drop
# a CHECK) starts with this line. It runs with foreign keys off, as SQLite's
# ALTER TABLE documentation prescribes: with them on, dropping the old table
# would cascade into every subscription and delivery. The keys are checked
# before it commits.
REBUILDS = "-- rebuilds:"


async def connect(path: Path | str) -> aiosqlite.Connection:
    """An open connection with WAL, foreign keys and the schema migrated."""
    db = await aiosqlite.connect(str(path), isolation_level=None)
    db.row_factory = aiosqlite.Row
    # WAL lets the import command write while the running bot reads.
    await db.execute("PRAGMA journal_mode = WAL")
    await db.execute("PRAGMA foreign_keys = ON")
    await db.execute("PRAGMA synchronous = NORMAL")
    await db.execute("PRAGMA busy_timeout = 5000")
    await migrate(db)
    return db


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql"))


async def migrate(db: aiosqlite.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied."""
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
        await db.execute("BEGIN IMMEDIATE")
        try:
            # executescript would commit on its own; run statement by statement
            # so the migration and its record land together or not at all.
            for statement in split_sql(script):
                await db.execute(statement)
            if rebuilds:
                await _check_foreign_keys(db, path)
            await db.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (path.stem, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
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


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
    await db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        await db.rollback()
        raise
    await db.commit()
