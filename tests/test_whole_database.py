"""A database missing what its migrations made is refused whole, in one line.

Before, ``restore`` took a casewatch database without its ``deliveries``
table (its migrations all recorded), and ``run`` on it then died at the first
query with a 50-line traceback and exit code 1: a crash loop under systemd,
which stops restarting only on exit code 2. A backup cut short was refused
with SQLite's integrity report, a line per broken page.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from bench.caseload import generate, place_records
from operations.backups import command_restore
from storage import cases as case_store
from storage.db import DatabaseUnavailable, connect
from tests.conftest import TODAY
from tests.process_support import ROOT, TOKEN, assert_one_line, environment, run_together

DATA = ROOT / "data" / "cases.yaml"


async def made(path: Path, cases: int = 0) -> Path:
    """A database as the bot leaves it (with ``cases`` generated cases beside the bundled)."""
    db = await connect(path)
    try:
        if cases:
            await case_store.merge_cases(db, generate(cases, today=TODAY), places=place_records())
    finally:
        await db.close()
    return path


def altered(source: Path, target: Path, *statements: str) -> Path:
    shutil.copy(source, target)
    with contextlib.closing(sqlite3.connect(target)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()
    return target


def report_of(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("PRAGMA integrity_check")]


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


async def test_restore_refuses_a_backup_missing_a_table_or_column_its_migrations_made(
    settings, tmp_path, capsys
):
    good = await made(tmp_path / "good.sqlite3")
    await made(settings.db_path)
    no_deliveries = altered(good, tmp_path / "no-deliveries.sqlite3", "DROP TABLE deliveries")
    # As a hand-made "downgrade" leaves it: the column gone, the migration still recorded.
    no_column = altered(good, tmp_path / "no-column.sqlite3", "ALTER TABLE chats DROP alert_mode")
    # Older, missing 0008's migration too: that migration needs the table, so it cannot run.
    unmigratable = altered(
        good,
        tmp_path / "unmigratable.sqlite3",
        "DROP TABLE deliveries",
        "DELETE FROM migrations WHERE name = '0008_delivery_progress'",
    )
    before = files_in(tmp_path)
    expected = {
        no_deliveries: f"{no_deliveries} is not a whole casewatch database (no table deliveries)",
        no_column: f"{no_column} is not a whole casewatch database (no column chats.alert_mode)",
        unmigratable: (
            f"{unmigratable} cannot be brought up to date (migration 0008_delivery_progress "
            "fails (no such table: deliveries))"
        ),
    }
    for backup, reason in expected.items():
        assert await command_restore(settings, backup) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert err.startswith(f"restore refused, nothing changed: {reason}: "), err
        assert err.rstrip().endswith("restore another backup")
    assert files_in(tmp_path) == before


async def test_restore_refuses_a_backup_cut_short_in_one_line(settings, tmp_path, capsys):
    whole = await made(tmp_path / "whole.sqlite3", cases=300)
    await made(settings.db_path)
    short = tmp_path / "short.sqlite3"
    data = whole.read_bytes()
    # Cut at a page where the schema survived, its header's page count not trusted (as in a
    # file from an old tool): SQLite reads the pages there are and reports every pointer
    # past the end, several lines in one row of its report.
    for pages in range(len(data) // 4096 - 1, 1, -1):
        cut = bytearray(data[: pages * 4096])
        cut[92:96] = b"\0\0\0\0"
        short.write_bytes(bytes(cut))
        with contextlib.suppress(sqlite3.DatabaseError):
            if sum(row.count("\n") for row in report_of(short)) > 3:
                break
    else:
        pytest.fail("no cut leaves a readable schema")
    assert await command_restore(settings, short) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith(f"restore refused, nothing changed: {short} fails the integrity check: ")
    assert "more problems)" in err


async def test_a_database_missing_a_table_is_one_line_and_exit_2_for_every_command(tmp_path):
    database = altered(
        await made(tmp_path / "made.sqlite3"),
        tmp_path / "casewatch.sqlite3",
        "DROP TABLE deliveries",
    )
    env = environment(BOT_DB=str(database), BOT_TOKEN=TOKEN, BOT_API_URL="http://127.0.0.1:9")
    results = run_together(
        {
            "run": (["run"], tmp_path, env, False),
            "import": (["import", str(DATA)], tmp_path, env, False),
            "export": (["export"], tmp_path, env, False),
        }
    )
    # run is stopped before Telegram is tried (nothing listens on port 9: no retries either).
    for name, result in results.items():
        assert_one_line(
            name,
            result,
            f"database error: BOT_DB={database}: lacks what its migrations made "
            "(no table deliveries): restore a backup (python bot.py restore FILE)",
        )


async def test_a_migration_that_cannot_be_applied_is_named(tmp_path):
    database = altered(
        await made(tmp_path / "made.sqlite3"),
        tmp_path / "casewatch.sqlite3",
        "DROP TABLE backups",
        "CREATE TABLE backups (id INTEGER PRIMARY KEY)",  # someone's own table, same name
        "DELETE FROM migrations WHERE name = '0009_backups'",
    )
    with pytest.raises(DatabaseUnavailable) as refused:
        await connect(database)
    assert str(refused.value) == (
        f"BOT_DB={database}: cannot be brought up to date: migration 0009_backups fails "
        "(table backups already exists); restore a backup (python bot.py restore FILE)"
    )
