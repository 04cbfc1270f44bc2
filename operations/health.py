"""What /healthz answers: is each part of the bot doing its job right now.

- database: the bot's connection answers a query within a few seconds;
- storage: the bot's writes get through: since a write failed for the
  file's sake (a full disk, a read-only file system, an I/O error, a lock
  held too long), failing until a write works again (the check tries one
  itself, so it turns green as soon as the disk takes writes again);
- telegram: Telegram answered within the last minute (a getUpdates when
  polling; a webhook request or the webhook probe's getWebhookInfo), and the
  alert sender is not in an outage (several chats' messages failing in a
  row with network errors or 5xx: updates can still come in while nothing
  goes out);
- sender: the alert sender's loop is running;
- daily_run: today's alerts ran, if today's alert time has passed;
- backup (with BOT_BACKUP_DIR): the last daily backup worked, and today's
  was made, if the alert time has passed.

All good: 200. Anything failing: 503, with the failing parts named.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiosqlite

from alerts import daily
from alerts.service import AlertService
from config import Settings
from operations.telegram_link import TelegramContact
from storage import alerts as alert_store
from storage import monitoring
from storage.backups import last_backup
from storage.db import write_failure

# Telegram answers a long poll within about ten seconds, so a minute of
# silence means something is wrong.
TELEGRAM_SILENCE = 60.0
DATABASE_TIMEOUT = 3.0
# Time the daily run (and the backup) gets after the alert time before it counts as overdue.
GRACE = timedelta(minutes=10)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


class Health:
    def __init__(
        self,
        settings: Settings,
        contact: TelegramContact,
        alerts: AlertService,
        database: Callable[[], aiosqlite.Connection],
    ) -> None:
        self.settings = settings
        self.contact = contact
        self.alerts = alerts
        self.database = database  # the bot's connection, opened in post_init

    async def report(self) -> tuple[int, dict]:
        """HTTP status and the JSON body /healthz answers with."""
        checks = await self.checks()
        failing = [check.name for check in checks if not check.ok]
        body = {
            "status": "failing" if failing else "ok",
            "failing": failing,
            "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
        }
        return (503 if failing else 200), body

    async def checks(self) -> list[Check]:
        database = await self.check_database()
        checks = [database, self.check_telegram(), self.check_sender()]
        if database.ok:
            # The rest read the database: not asked when it does not answer.
            checks.insert(1, await self.check_storage())
            checks.append(await self.check_daily_run())
            if self.settings.backup_dir is not None:
                checks.append(await self.check_backup())
        return checks

    async def check_database(self) -> Check:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT):
                await monitoring.ping(self.database())
        except TimeoutError:
            return Check("database", False, f"no answer within {DATABASE_TIMEOUT:g} s")
        except (sqlite3.Error, ValueError, KeyError) as error:
            return Check("database", False, f"{type(error).__name__}: {error}")
        return Check("database", True, "answers")

    async def check_storage(self) -> Check:
        db = self.database()
        if write_failure(db) is not None:
            # A write of its own: a failure stays recorded, a success clears it.
            try:
                async with asyncio.timeout(DATABASE_TIMEOUT):
                    await monitoring.probe_write(db)
            except (TimeoutError, sqlite3.Error):
                pass
        failure = write_failure(db)
        if failure is None:
            return Check("storage", True, "writes get through")
        return Check(
            "storage",
            False,
            f"writes to the database fail since {failure.since:%Y-%m-%d %H:%M:%S} UTC "
            f"({failure.count} failed): {failure.error}; is its disk full or read-only?",
        )

    def check_telegram(self) -> Check:
        if self.contact.problem is not None:
            return Check("telegram", False, self.contact.problem)
        silent = self.contact.seconds_since_heard()
        if silent is None:
            return Check("telegram", False, "no answer from Telegram since start-up")
        if silent > TELEGRAM_SILENCE:
            return Check("telegram", False, f"no answer from Telegram for {silent:.0f} s")
        failing = self.alerts.telegram_down_for()
        if failing is not None:
            return Check(
                "telegram",
                False,
                f"messages to chats have failed for {failing:.0f} s (network errors or 5xx); "
                "the sender keeps retrying",
            )
        return Check("telegram", True, f"last answer {silent:.0f} s ago")

    def check_sender(self) -> Check:
        if self.alerts.sender_alive():
            return Check("sender", True, "running")
        return Check("sender", False, "the alert sender is not running")

    def _due_today(self, now: datetime) -> datetime:
        """When today's run counts as late: the alert time plus the grace."""
        return datetime.combine(now.date(), self.settings.alert_time) + GRACE

    async def check_daily_run(self) -> Check:
        now = self.alerts.now().replace(tzinfo=None)
        last_day = await alert_store.last_run_day(self.database(), daily.RUN_NAME)
        # A last day after today is a clock gone back (alerts.catch_up): today is still owed.
        done_today = last_day == now.date()
        if now >= self._due_today(now) and not done_today:
            last = last_day.isoformat() if last_day else "never"
            return Check(
                "daily_run",
                False,
                f"today's run at {self.settings.alert_time:%H:%M} has not happened (last: {last})",
            )
        return Check("daily_run", True, f"last run for {last_day or 'no day yet'}")

    async def check_backup(self) -> Check:
        db = self.database()
        latest = await last_backup(db)
        if latest is not None and not latest.ok:
            when = f"{latest.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
            return Check("backup", False, f"the backup at {when} failed: {latest.error}")
        now = self.alerts.now()
        zone = self.settings.timezone
        made_today = latest is not None and latest.at.astimezone(zone).date() >= now.date()
        if now.replace(tzinfo=None) >= self._due_today(now) and not made_today:
            return Check("backup", False, "today's backup has not been made")
        if latest is None:
            return Check("backup", True, "none yet")
        return Check("backup", True, f"last at {latest.at.astimezone(UTC):%Y-%m-%d %H:%M} UTC")
