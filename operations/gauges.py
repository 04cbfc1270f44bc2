"""The metrics that describe the database, read from it just before each scrape."""

from __future__ import annotations

from datetime import date, timedelta

import aiosqlite

from alerts import daily
from metrics import Metrics
from storage import monitoring
from storage.backups import last_backup


async def refresh_gauges(
    metrics: Metrics, db: aiosqlite.Connection, today: date, stale_days: int
) -> None:
    """Set the outbox, case, daily-run and backup gauges from the database as it is now."""
    pending = await monitoring.outbox_pending_by_kind(db)
    metrics.outbox_pending.clear()  # a kind with nothing left must read 0, not its old count
    for kind, count in pending.items():
        metrics.outbox_pending.labels(kind).set(count)
    by_status = await monitoring.cases_by_status(db)
    metrics.cases.clear()
    for status, count in by_status.items():
        metrics.cases.labels(status).set(count)
    metrics.stale_cases.set(await monitoring.stale_cases(db, today - timedelta(days=stale_days)))
    ran_at = await monitoring.last_run_at(db, daily.RUN_NAME)
    metrics.last_daily_run.set(ran_at.timestamp() if ran_at else 0)
    backup = await last_backup(db, ok_only=True)
    metrics.last_backup.set(backup.at.timestamp() if backup else 0)
