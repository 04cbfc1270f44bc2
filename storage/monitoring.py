"""Counts for /healthz and /metrics: is the database there, and what it holds.

All reads, but ``probe_write``: the one write /healthz makes, while writes fail.
"""

from __future__ import annotations

from datetime import date, datetime

import aiosqlite

from storage.db import timestamp, write


async def ping(db: aiosqlite.Connection) -> None:
    """A query that touches the schema: raises if the database does not answer."""
    async with db.execute("SELECT count(*) FROM migrations") as cursor:
        await cursor.fetchone()


async def probe_write(db: aiosqlite.Connection) -> None:
    """Write one row (always the same one): raises if the database cannot be written."""
    await write(
        db,
        """INSERT INTO write_probe (id, at) VALUES (1, ?)
           ON CONFLICT (id) DO UPDATE SET at = excluded.at""",
        (timestamp(),),
    )


async def outbox_pending_by_kind(db: aiosqlite.Connection) -> dict[str, int]:
    """Deliveries not yet sent ('pending' or 'sending'), by alert kind."""
    async with db.execute(
        """SELECT a.kind, count(*) FROM deliveries AS d JOIN alerts AS a ON a.id = d.alert_id
           WHERE d.state IN ('pending', 'sending') GROUP BY a.kind"""
    ) as cursor:
        return {kind: count for kind, count in await cursor.fetchall()}


async def cases_by_status(db: aiosqlite.Connection) -> dict[str, int]:
    async with db.execute("SELECT status, count(*) FROM cases GROUP BY status") as cursor:
        return {status: count for status, count in await cursor.fetchall()}


async def stale_cases(db: aiosqlite.Connection, confirmed_before: date) -> int:
    """Cases whose status was last confirmed before ``confirmed_before``.

    Confirmed by its source (``status_as_of``) or by an editor's "Still true"
    (``status_confirmed_on`` in the record): ``Case.status_confirmed``.
    """
    async with db.execute(
        """SELECT count(*) FROM cases
           WHERE max(status_as_of,
                     coalesce(json_extract(record, '$.status_confirmed_on'), '')) < ?""",
        (confirmed_before.isoformat(),),
    ) as cursor:
        [count] = await cursor.fetchone()
    return count


async def last_run_at(db: aiosqlite.Connection, name: str) -> datetime | None:
    """When the named run (e.g. the daily alerts) last finished, in UTC."""
    async with db.execute("SELECT ran_at FROM runs WHERE name = ?", (name,)) as cursor:
        row = await cursor.fetchone()
    return datetime.fromisoformat(row[0]) if row else None
