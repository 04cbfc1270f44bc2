"""The held_alerts table: calendar alerts waiting for an editor to confirm a stale status.

Nothing here commits: the daily run holds an alert in its own transaction,
and a confirmation (or an import) settles it inside the transaction of the
case change, together with queuing it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import aiosqlite

from storage.db import timestamp


@dataclass(frozen=True)
class HeldAlert:
    key: str
    kind: str
    slug: str
    on_date: date
    payload: dict
    state: str


def _from_row(row: aiosqlite.Row) -> HeldAlert:
    return HeldAlert(
        key=row["key"],
        kind=row["kind"],
        slug=row["slug"],
        on_date=date.fromisoformat(row["on_date"]),
        payload=json.loads(row["payload"]),
        state=row["state"],
    )


async def hold(
    db: aiosqlite.Connection, key: str, kind: str, slug: str, on_date: date, payload: dict
) -> bool:
    """Hold the alert back; False if it was held (or settled) before."""
    cursor = await db.execute(
        """INSERT OR IGNORE INTO held_alerts (key, kind, slug, on_date, payload, held_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (
            key,
            kind,
            slug,
            on_date.isoformat(),
            json.dumps(payload, ensure_ascii=False, sort_keys=True),
            timestamp(),
        ),
    )
    return cursor.rowcount == 1


async def waiting(
    db: aiosqlite.Connection, slugs: list[str] | None = None, on_date: date | None = None
) -> list[HeldAlert]:
    """Alerts still held, of these cases and this day when given, oldest first."""
    sql = "SELECT * FROM held_alerts WHERE state = 'held'"
    params: list = []
    if slugs is not None:
        sql += " AND slug IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(slugs))
    if on_date is not None:
        sql += " AND on_date = ?"
        params.append(on_date.isoformat())
    async with db.execute(sql + " ORDER BY on_date, key", params) as cursor:
        return [_from_row(row) for row in await cursor.fetchall()]


async def settle(db: aiosqlite.Connection, key: str, state: str) -> None:
    await db.execute(
        "UPDATE held_alerts SET state = ?, settled_at = ? WHERE key = ? AND state = 'held'",
        (state, timestamp(), key),
    )


async def expire_before(db: aiosqlite.Connection, day: date) -> int:
    """Alerts still held from days before ``day``: never confirmed, so never sent."""
    cursor = await db.execute(
        """UPDATE held_alerts SET state = 'expired', settled_at = ?
           WHERE state = 'held' AND on_date < ?""",
        (timestamp(), day.isoformat()),
    )
    return cursor.rowcount


async def since(db: aiosqlite.Connection, day: date, limit: int = 20) -> list[HeldAlert]:
    """Held and expired alerts of ``day`` and later, newest first: what /admin shows."""
    async with db.execute(
        """SELECT * FROM held_alerts WHERE on_date >= ? AND state IN ('held', 'expired')
           ORDER BY on_date DESC, key LIMIT ?""",
        (day.isoformat(), limit),
    ) as cursor:
        return [_from_row(row) for row in await cursor.fetchall()]
