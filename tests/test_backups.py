"""Backups: copied while the bot runs and writes, checked, kept for BOT_BACKUP_KEEP days, and
restored only when sound and not from a newer version, the old database kept beside."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import sqlite3
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import JobQueue

from operations.backups import BACKUP_JOB, DailyBackups, command_backup, command_restore
from storage.backups import BackupRefused, integrity_problems, restore
from storage.db import connect, write
from tests.process_support import ROOT, environment
from tests.serving_support import MINSK, polling_settings, served
from tests.test_alerts_support import Clock
from tests.waiting import eventually, finished


def count(path: Path, sql: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchone()[0]


async def add_chats(db_path: Path, first: int, how_many: int) -> None:
    db = await connect(db_path)
    try:
        for chat_id in range(first, first + how_many):
            await write(
                db,
                "INSERT INTO chats (id, language, created_at) VALUES (?, 'en', '2026-11-25')",
                (chat_id,),
            )
    finally:
        await db.close()


async def keep_adding_chats(db_path: Path, added: list[int], stop: asyncio.Event) -> None:
    """Insert a chat at a time, each committed and then listed in ``added``, until ``stop``."""
    db = await connect(db_path)
    try:
        while not stop.is_set():
            chat_id = len(added) + 1
            await write(
                db,
                "INSERT INTO chats (id, language, created_at) VALUES (?, 'en', '2026-11-25')",
                (chat_id,),
            )
            added.append(chat_id)
            await asyncio.sleep(0)
    finally:
        await db.close()


async def test_backup_command_while_the_bot_runs_and_writes(app, settings, tmp_path):
    target = tmp_path / "copy.sqlite3"
    stop, added = asyncio.Event(), []
    writing = asyncio.create_task(keep_adding_chats(settings.db_path, added, stop))
    await eventually(lambda: added, "a first chat written")
    command = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bot.py"),
        "backup",
        str(target),
        cwd=tmp_path,
        env=environment(BOT_DB=str(settings.db_path)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await finished(command.communicate(), "the backup command")
    # A chat written after the command ended cannot be in its copy.
    after = len(added)
    await eventually(lambda: len(added) > after, "a chat written after the backup")
    stop.set()
    await writing
    assert command.returncode == 0, stderr.decode()
    assert stdout.decode().startswith(f"backup of BOT_DB={settings.db_path} written to {target}")
    assert "integrity ok" in stdout.decode()
    assert integrity_problems(target) == []
    assert not Path(f"{target}-wal").exists()  # one file, to be moved anywhere
    copied = await connect(target)
    try:
        async with copied.execute("SELECT count(*) FROM cases") as cursor:
            assert (await cursor.fetchone())[0] == 5
    finally:
        await copied.close()
    # A snapshot of a moment during the writes: some of them, and not the later ones.
    assert 0 < count(target, "SELECT count(*) FROM chats") < len(added)


async def test_backup_goes_to_the_backup_folder_and_never_overwrites(settings, tmp_path, capsys):
    folder = tmp_path / "backups"
    folder.mkdir()
    await add_chats(settings.db_path, 1, 3)
    assert await command_backup(replace(settings, backup_dir=folder), None) == 0
    [made] = folder.glob("casewatch-*Z.sqlite3")
    assert f"written to {made}" in capsys.readouterr().out
    assert await command_backup(settings, made) == 2
    assert capsys.readouterr().err.strip() == (
        f"backup failed, nothing written: {made} exists already: choose another name"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert await command_backup(settings, elsewhere) == 0  # a folder: a dated name in it
    assert len(list(elsewhere.glob("casewatch-*Z.sqlite3"))) == 1


async def test_restore_puts_the_backup_back_and_keeps_the_old_database(settings, tmp_path):
    await add_chats(settings.db_path, 1, 3)
    backup = tmp_path / "backup.sqlite3"
    assert await command_backup(settings, backup) == 0
    await add_chats(settings.db_path, 100, 5)  # after the backup: lost by the restore
    assert await command_restore(settings, backup) == 0
    assert count(settings.db_path, "SELECT count(*) FROM chats") == 3
    [kept] = tmp_path.glob("casewatch.sqlite3.before-restore-*")
    assert count(kept, "SELECT count(*) FROM chats") == 8
    assert integrity_problems(kept) == []


async def test_restore_refuses_and_changes_nothing(settings, tmp_path, capsys):
    await add_chats(settings.db_path, 1, 3)
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"\x00" * 4096 + b"not sqlite")
    newer = tmp_path / "newer.sqlite3"
    shutil.copy(settings.db_path, newer)
    with contextlib.closing(sqlite3.connect(newer)) as db:
        db.execute("INSERT INTO migrations VALUES ('9999_from_the_future', '2030-01-01')")
        db.commit()
    stranger = tmp_path / "stranger.sqlite3"
    with contextlib.closing(sqlite3.connect(stranger)) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    before = {path.name for path in tmp_path.iterdir()}
    chats = count(settings.db_path, "SELECT count(*) FROM chats")
    expected = {
        damaged: f"{damaged} fails the integrity check",
        newer: f"{newer} comes from a newer casewatch (migration 9999_from_the_future",
        stranger: f"{stranger} is not a casewatch database",
        tmp_path / "missing.sqlite3": "fails the integrity check: no such file",
    }
    for backup, reason in expected.items():
        assert await command_restore(settings, backup) == 2
        line = capsys.readouterr().err.strip()
        assert line.startswith("restore refused, nothing changed: ") and reason in line, line
    assert {path.name for path in tmp_path.iterdir()} == before
    assert count(settings.db_path, "SELECT count(*) FROM chats") == chats


async def test_restore_refuses_while_the_bot_has_the_database_open(app, settings, tmp_path):
    backup = tmp_path / "backup.sqlite3"
    assert await command_backup(settings, backup) == 0
    with pytest.raises(BackupRefused, match="is in use by another process: stop the bot first"):
        restore(backup, settings.db_path, "now")
    assert not list(tmp_path.glob("*.before-restore-*"))


async def test_restore_of_a_live_copy_takes_its_wal_along(settings, tmp_path):
    """A backup made by copying a running bot's files: the newest rows live in the -wal."""
    await add_chats(settings.db_path, 1, 2)
    writer = sqlite3.connect(settings.db_path, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")  # keep the new rows in the WAL
        writer.execute("INSERT INTO chats (id, language, created_at) VALUES (50, 'en', 'x')")
        live = tmp_path / "live"
        live.mkdir()
        for suffix in ("", "-wal"):
            shutil.copy(f"{settings.db_path}{suffix}", live / f"copy.sqlite3{suffix}")
    finally:
        writer.close()
    target = replace(settings, db_path=tmp_path / "restored" / "casewatch.sqlite3")
    target.db_path.parent.mkdir()
    assert await command_restore(target, live / "copy.sqlite3") == 0
    assert count(target.db_path, "SELECT count(*) FROM chats WHERE id = 50") == 1
    assert not Path(f"{target.db_path}-wal").exists()


async def test_an_older_backup_is_brought_up_to_date_at_start(settings, tmp_path):
    await add_chats(settings.db_path, 1, 2)
    old = tmp_path / "old.sqlite3"
    shutil.copy(settings.db_path, old)
    with contextlib.closing(sqlite3.connect(old)) as db:  # as the version before backups
        db.execute("DROP TABLE backups")
        db.execute("DELETE FROM migrations WHERE name = '0009_backups'")
        db.commit()
    assert await command_restore(settings, old) == 0
    db = await connect(settings.db_path)  # what start-up does
    await db.close()
    assert count(settings.db_path, "SELECT count(*) FROM backups") == 0
    assert count(settings.db_path, "SELECT count(*) FROM chats") == 2


async def test_daily_backups_keep_the_newest(settings, tmp_path, caplog):
    folder = tmp_path / "backups"
    settings = replace(settings, backup_dir=folder, backup_keep=2)
    db = await connect(settings.db_path)
    clock = Clock(datetime(2026, 11, 23, 10, 0, tzinfo=MINSK))
    backups = DailyBackups(settings, lambda: db, clock)
    try:
        folder.mkdir()
        (folder / "notes.txt").write_text("the operator's own file")
        made = []
        with caplog.at_level(logging.INFO):
            for day in range(3):
                clock.now += timedelta(days=day and 1)
                made.append((await backups.run()).path)
        assert sorted(folder.iterdir()) == sorted([*made[1:], folder / "notes.txt"])
        assert made[-1].name == "casewatch-20261125T070000Z.sqlite3"
        assert caplog.text.count("daily backup written to") == 3
        async with db.execute("SELECT ok, bytes > 0 FROM backups ORDER BY id") as cursor:
            assert [tuple(row) for row in await cursor.fetchall()] == [(1, 1)] * 3
        assert not await backups.owed()  # today's is made
    finally:
        await db.close()


async def test_the_daily_backup_is_scheduled_and_caught_up(settings, api, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    clock = Clock(datetime(2026, 11, 25, 10, 30, tzinfo=MINSK))  # after today's alert time
    settings = replace(polling_settings(settings), backup_dir=folder)
    once, run_once = [], JobQueue.run_once

    def scheduled_once(job_queue, *args, **kwargs):
        once.append(run_once(job_queue, *args, **kwargs))
        return once[-1]

    monkeypatch.setattr(JobQueue, "run_once", scheduled_once)
    async with served(settings, api, clock) as (application, _, client):
        [daily] = application.job_queue.get_jobs_by_name(BACKUP_JOB)
        assert daily.next_t.astimezone(MINSK).time().isoformat() == "10:00:00"
        # However late the start lets it run, the catch-up runs (APScheduler drops a job
        # a second late as missed: it did once, on a loaded machine).
        [catch_up] = [job for job in once if job.name == f"{BACKUP_JOB}-catch-up"]
        assert catch_up.job.misfire_grace_time is None
        # The catch-up, run at start.
        await eventually(lambda: list(folder.glob("casewatch-*Z.sqlite3")), "a catch-up backup")

        async def backup_reported() -> bool:
            health = (await client.get("/healthz")).json()
            return health["checks"]["backup"]["detail"] != "none yet"

        await eventually(backup_reported, "/healthz to report the backup")
        body = (await client.get("/healthz")).json()
        assert body["checks"]["backup"] == {"ok": True, "detail": "last at 2026-11-25 07:30 UTC"}


async def test_no_database_is_nothing_to_back_up(settings, tmp_path):
    from storage.db import DatabaseUnavailable

    with pytest.raises(DatabaseUnavailable, match="does not exist: there is nothing to back up"):
        await command_backup(settings, tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()
    assert not settings.db_path.exists()  # and none was made
