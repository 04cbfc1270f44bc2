"""The alerts table (one thing to tell people) and the runs bookkeeping.

Nothing here commits: callers wrap these in ``storage.db.transaction`` (or
run them inside merge_cases' transaction), so an alert and its deliveries
land together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import aiosqlite

from storage.db import timestamp


@dataclass(frozen=True)
class Alert:
    id: int
    key: str
    kind: str
    slug: str | None
    on_date: date
    priority: int
    payload: dict


async def add_alert(
    db: aiosqlite.Connection,
    key: str,
    kind: str,
    on_date: date,
    *,
    slug: str | None = None,
    priority: int = 0,
    payload: dict | None = None,
) -> int | None:
    """Create the alert; None when ``key`` is already taken (the same thing, told before)."""
    cursor = await db.execute(
        """INSERT OR IGNORE INTO alerts (key, kind, slug, on_date, priority, payload, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (
            key,
            kind,
            slug,
            on_date.isoformat(),
            priority,
            json.dumps(payload or {}, ensure_ascii=False, sort_keys=True),
            timestamp(),
        ),
    )
    return cursor.lastrowid if cursor.rowcount == 1 else None


async def replace_payload(db: aiosqlite.Connection, key: str, payload: dict) -> int:
    """Write the alert's payload anew (its deliveries render it when sent); the number of
    its deliveries still waiting, which will carry it. 0 if there is no such alert."""
    cursor = await db.execute(
        "UPDATE alerts SET payload = ? WHERE key = ?",
        (json.dumps(payload, ensure_ascii=False, sort_keys=True), key),
    )
    if cursor.rowcount == 0:
        return 0
    async with db.execute(
        """SELECT count(*) FROM deliveries
           WHERE alert_id = (SELECT id FROM alerts WHERE key = ?) AND state = 'pending'""",
        (key,),
    ) as counting:
        return (await counting.fetchone())[0]


def _from_row(row: aiosqlite.Row) -> Alert:
    return Alert(
        id=row["id"],
        key=row["key"],
        kind=row["kind"],
        slug=row["slug"],
        on_date=date.fromisoformat(row["on_date"]),
        priority=row["priority"],
        payload=json.loads(row["payload"]),
    )


async def get_alert(db: aiosqlite.Connection, alert_id: int) -> Alert | None:
    async with db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)) as cursor:
        row = await cursor.fetchone()
    return _from_row(row) if row else None


async def alerts_not_fanned_out(db: aiosqlite.Connection) -> list[Alert]:
    """Alerts stored without their deliveries (created by code that only inserts)."""
    async with db.execute("SELECT * FROM alerts WHERE fanned_out = 0 ORDER BY id") as cursor:
        return [_from_row(row) for row in await cursor.fetchall()]


async def last_run_day(db: aiosqlite.Connection, name: str) -> date | None:
    async with db.execute("SELECT last_day FROM runs WHERE name = ?", (name,)) as cursor:
        row = await cursor.fetchone()
    return date.fromisoformat(row[0]) if row else None


async def record_run(db: aiosqlite.Connection, name: str, day: date) -> None:
    await db.execute(
        """INSERT INTO runs (name, last_day, ran_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET last_day = excluded.last_day,
                                            ran_at = excluded.ran_at""",
        (name, day.isoformat(), timestamp()),
    )
