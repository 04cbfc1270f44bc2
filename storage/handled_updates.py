"""Updates the webhook has handled: their ids, so a redelivery is not handled twice.

A row is an update's id and when it was handled (UTC), nothing of what it
said. Telegram keeps an update it could not deliver for a day at most, so a
row older than that is never read (after a week without updates Telegram
may start its ids anew, anywhere, and an old id must not hide a new
update) and is deleted by the next record, as is any row more than
``KEEP_IDS`` ids behind the newest (ids rise by one per update): the table
stays small on the busiest day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiosqlite

from storage.db import transaction

KEEP_FOR = timedelta(hours=24)
KEEP_IDS = 10_000


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def was_handled(db: aiosqlite.Connection, update_id: int, now: datetime) -> bool:
    """Whether the update with this id was handled within the last day."""
    async with db.execute(
        "SELECT 1 FROM handled_updates WHERE update_id = ? AND handled_at >= ?",
        (update_id, _stamp(now - KEEP_FOR)),
    ) as cursor:
        return await cursor.fetchone() is not None


async def record_handled(
    db: aiosqlite.Connection, update_id: int, now: datetime, *, keep_ids: int = KEEP_IDS
) -> None:
    """Remember that this update was handled; forget what is too old or too far behind."""
    async with transaction(db):
        await db.execute(
            """INSERT INTO handled_updates (update_id, handled_at) VALUES (?, ?)
               ON CONFLICT (update_id) DO UPDATE SET handled_at = excluded.handled_at""",
            (update_id, _stamp(now)),
        )
        await db.execute(
            "DELETE FROM handled_updates WHERE handled_at < ?", (_stamp(now - KEEP_FOR),)
        )
        await db.execute(
            "DELETE FROM handled_updates WHERE update_id <= ?", (update_id - keep_ids,)
        )
