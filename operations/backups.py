"""Backups: the daily one the running bot makes, and the backup and restore commands.

With BOT_BACKUP_DIR set, the bot copies its database there every day at the
alert time (and at start-up when today's copy is owed), checks the copy, and
keeps the newest BOT_BACKUP_KEEP of them. Each attempt is recorded in the
database, so /admin and /healthz show a failed one; it is logged too.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
from telegram.ext import ContextTypes, JobQueue

from config import Settings
from storage.backups import (
    BackupRefused,
    CannotWrite,
    Copy,
    last_backup,
    make_copy,
    record_backup,
    restore,
)
from storage.db import DatabaseUnavailable, disk_problem

log = logging.getLogger(__name__)

BACKUP_JOB = "daily-backup"
# Only files named like this are ever pruned: anything else in the folder is left alone.
BACKUP_GLOB = "casewatch-*Z.sqlite3"


def backup_name(moment: datetime) -> str:
    """casewatch-20261125T080000Z.sqlite3: UTC, so names sort in time order across DST."""
    return f"casewatch-{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}.sqlite3"


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups in ``folder``; return what was deleted."""
    backups = sorted(folder.glob(BACKUP_GLOB))
    removed = backups[:-keep] if keep else backups
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"


class DailyBackups:
    def __init__(
        self,
        settings: Settings,
        database: Callable[[], aiosqlite.Connection],
        now: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.database = database  # the bot's connection: where attempts are recorded
        self.now = now  # local time in the bot's zone

    async def start(self, job_queue: JobQueue) -> None:
        """Back up every day at the alert time, and now if today's backup is owed."""
        for job in job_queue.get_jobs_by_name(BACKUP_JOB):
            job.schedule_removal()
        job_queue.run_daily(
            self._job,
            time=self.settings.alert_time.replace(tzinfo=self.settings.timezone),
            name=BACKUP_JOB,
            # Late rather than never, as the daily alerts (alerts/service.py).
            job_kwargs={"misfire_grace_time": None, "coalesce": True},
        )
        if await self.owed():
            # A job, not an await: a large copy must not hold up the start. Late rather
            # than never here too: APScheduler drops a job more than a second late as
            # missed, and a start that keeps the event loop busy (a large caseload, a
            # loaded machine) makes it that late.
            job_queue.run_once(
                self._job,
                when=0,
                name=f"{BACKUP_JOB}-catch-up",
                job_kwargs={"misfire_grace_time": None},
            )

    async def owed(self) -> bool:
        """Today's alert time has passed and no good backup was made today."""
        now = self.now()
        if now.time().replace(tzinfo=None) < self.settings.alert_time:
            return False
        latest = await last_backup(self.database(), ok_only=True)
        return latest is None or latest.at.astimezone(self.settings.timezone).date() < now.date()

    async def _job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Copy the database into BOT_BACKUP_DIR (the scheduler says it is time)."""
        await self.run()

    async def run(self) -> Copy | None:
        """Make, check and record one backup, then prune; None (logged, recorded) if it failed."""
        folder = self.settings.backup_dir
        moment = self.now()
        at = moment.astimezone(UTC).isoformat(timespec="seconds")
        target = folder / backup_name(moment)
        try:
            await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
            copy = await asyncio.to_thread(make_copy, self.settings.db_path, target)
            removed = await asyncio.to_thread(prune, folder, self.settings.backup_keep)
        except (OSError, sqlite3.Error, DatabaseUnavailable, BackupRefused, CannotWrite) as error:
            reason = getattr(error, "strerror", None) or str(error)
            log.error("daily backup failed: %s: %s", target, reason)
            await self._record(at, target, None, reason)
            return None
        log.info(
            "daily backup written to %s (%s, integrity ok); %d older removed",
            copy.path,
            size_text(copy.size),
            len(removed),
        )
        await self._record(at, target, copy.size, None)
        return copy

    async def _record(self, at: str, target: Path, size: int | None, error: str | None) -> None:
        try:
            await record_backup(self.database(), at, target, size, error)
        except (sqlite3.Error, ValueError) as failure:
            log.error("the backup's outcome could not be recorded: %s", failure)


def backup_target(settings: Settings, given: Path | None, now: datetime) -> Path:
    """Where ``bot.py backup`` writes: FILE, or a dated name in FILE (a folder), in
    BOT_BACKUP_DIR, or in the current folder."""
    if given is not None and not given.is_dir():
        return given
    folder = given or settings.backup_dir or Path()
    return folder / backup_name(now)


async def command_backup(settings: Settings, given: Path | None) -> int:
    """python bot.py backup [FILE]: copy and check the database while the bot runs."""
    target = backup_target(settings, given, datetime.now(UTC))
    try:
        copy = await asyncio.to_thread(make_copy, settings.db_path, target)
    except (BackupRefused, CannotWrite) as error:
        print(f"backup failed, nothing written: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"backup failed, nothing written: {target}: {disk_problem(error)}", file=sys.stderr)
        return 2
    print(
        f"backup of BOT_DB={settings.db_path} written to {copy.path} "
        f"({size_text(copy.size)}, integrity ok)"
    )
    return 0


async def command_restore(settings: Settings, backup: Path) -> int:
    """python bot.py restore FILE: put a checked backup in place of the (stopped) bot's database."""
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    try:
        kept = await asyncio.to_thread(restore, backup, settings.db_path, stamp)
    except BackupRefused as error:
        print(f"restore refused, nothing changed: {error}", file=sys.stderr)
        return 2
    except CannotWrite as error:
        print(f"restore failed, nothing changed: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        where = error.filename or settings.db_path
        print(f"restore failed, nothing changed: {where}: {disk_problem(error)}", file=sys.stderr)
        return 2
    print(f"restored {backup} into BOT_DB={settings.db_path}")
    if kept is not None:
        print(f"the database it replaced is kept as {kept}")
    print("start the bot: migrations bring an older backup up to date")
    return 0
