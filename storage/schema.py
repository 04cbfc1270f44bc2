"""What a casewatch database must hold: every table and column its migrations make.

A database can record a migration whose table is gone (a ``DROP TABLE`` in
the sqlite3 shell, a backup of the wrong file, a copy cut short): the bot
would start and then fail at the first query that needs the table, over and
over under a supervisor. So the tables and columns a database has (or would
have once start-up applies the migrations it lacks) are compared with the
ones its migrations make on an empty database, built here in memory.

Blocking and quick (an empty database in memory): callers on the event loop
read the file's schema themselves and hand it over.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from functools import cache
from pathlib import Path

# Every table with its columns, as (table, column) rows; SQLite's own tables left out.
TABLES_SQL = r"""
    SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
"""
# What makes the schema, tables first (indexes and triggers name them).
SCHEMA_SQL = r"""
    SELECT name, sql FROM sqlite_master
    WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
    ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 2 ELSE 1 END, rowid
"""

Tables = dict[str, frozenset[str]]


class MigrationFailed(Exception):
    """A migration that cannot be applied to this database; says which and why."""

    def __init__(self, name: str, error: sqlite3.Error) -> None:
        super().__init__(f"migration {name} fails ({error})")
        self.name = name
        self.error = error


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


def tables(rows: Iterable[tuple[str, str]]) -> Tables:
    """(table, column) rows, as TABLES_SQL reads them, as tables with their columns."""
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return {table: frozenset(columns) for table, columns in found.items()}


def apply(db: sqlite3.Connection, migrations: Iterable[Path]) -> None:
    """Run ``migrations`` in order on ``db`` (raises MigrationFailed naming the one that fails)."""
    for path in migrations:
        try:
            for statement in split_sql(path.read_text(encoding="utf-8")):
                db.execute(statement)
        except sqlite3.Error as error:
            raise MigrationFailed(path.stem, error) from None


@cache
def made_by(migrations: tuple[Path, ...]) -> Tables:
    """The tables and columns ``migrations`` make on an empty database."""
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        apply(db, migrations)
        return tables(db.execute(TABLES_SQL))


def after_migrations(schema: Iterable[tuple[str, str]], pending: Iterable[Path]) -> Tables:
    """The tables a database with ``schema`` (SCHEMA_SQL's rows) would have once ``pending``
    ran on it: tried on an empty copy of its schema, in memory (MigrationFailed if one fails)."""
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        for name, sql in schema:
            exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            if not exists:  # a virtual table's shadow tables come with it
                db.execute(sql)
        apply(db, pending)
        return tables(db.execute(TABLES_SQL))


def missing(expected: Tables, found: Tables) -> list[str]:
    """What of ``expected`` is not in ``found``: "no table deliveries", "no column x.y"."""
    problems = []
    for table, columns in sorted(expected.items()):
        if table not in found:
            problems.append(f"no table {table}")
            continue
        problems += [f"no column {table}.{column}" for column in sorted(columns - found[table])]
    return problems


def describe(problems: list[str]) -> str:
    """The first problems in a few words, for one line."""
    shown = ", ".join(problems[:3])
    return shown + (f" and {len(problems) - 3} more" if len(problems) > 3 else "")
