"""Who receives a statement, and how far its broadcast has gone.

A statement names several defenders; its one alert goes to the union of
their subscribers and the chats following everyone, each chat once, among
chats that are active and want statements (``storage.audience.hears``). The
preview counts that audience with the very condition the fan-out inserts
with, so the numbers an admin approves are the deliveries that get queued.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import aiosqlite

from storage.audience import ABOUT_CASES, hears

# The audience, as a condition on ``chats``; its one parameter, :slugs, is a JSON list.
_AUDIENCE = hears("want_statements", ABOUT_CASES)
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Audience:
    by_language: dict[str, int] = field(default_factory=dict)  # people and groups
    channels: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_language.values()) + self.channels


@dataclass(frozen=True)
class Progress:
    sent: int = 0
    failed: int = 0
    unreachable: int = 0  # the chat blocked the bot, removed it or is gone
    cancelled: int = 0
    remaining: int = 0  # pending or being sent

    @property
    def done(self) -> int:
        return self.sent + self.failed + self.unreachable + self.cancelled


async def audience(db: aiosqlite.Connection, slugs: list[str]) -> Audience:
    async with db.execute(
        f"""SELECT chats.kind = 'channel' AS is_channel, chats.language, count(*)
            FROM chats WHERE {_AUDIENCE}
            GROUP BY is_channel, chats.language""",
        {"slugs": json.dumps(slugs)},
    ) as cursor:
        rows = await cursor.fetchall()
    by_language: dict[str, int] = {}
    channels = 0
    for is_channel, language, count in rows:
        if is_channel:
            channels += count
        else:
            by_language[language] = by_language.get(language, 0) + count
    return Audience(by_language, channels)


async def fan_out_statement(
    db: aiosqlite.Connection, alert_id: int, slugs: list[str], priority: int, now: float
) -> int:
    """Queue the alert once per chat of the audience; return how many were queued.

    Does not commit: publishing runs it in the transaction that stores the
    alert, so the alert is never found half fanned out (``fanned_out`` set
    here keeps the start-up catch-up from fanning it out again, wider).
    """
    cursor = await db.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
            SELECT :alert, chats.id, :priority, :now, :now FROM chats WHERE {_AUDIENCE}""",
        {"alert": alert_id, "priority": priority, "now": now, "slugs": json.dumps(slugs)},
    )
    await db.execute("UPDATE alerts SET fanned_out = 1 WHERE id = ?", (alert_id,))
    return cursor.rowcount


async def progress(db: aiosqlite.Connection, alert_id: int) -> Progress:
    async with db.execute(
        """SELECT
             sum(state = 'sent'),
             sum(state = 'failed'),
             sum(state = 'dropped' AND coalesce(error, '') != ?),
             sum(state = 'dropped' AND error = ?),
             sum(state IN ('pending', 'sending'))
           FROM deliveries WHERE alert_id = ?""",
        (CANCELLED, CANCELLED, alert_id),
    ) as cursor:
        row = await cursor.fetchone()
    return Progress(*(value or 0 for value in row))


async def cancel_pending(db: aiosqlite.Connection, alert_id: int, now: float) -> int:
    """Drop what has not gone yet; messages already on their way finish."""
    cursor = await db.execute(
        """UPDATE deliveries SET state = 'dropped', error = ?, updated_at = ?
           WHERE alert_id = ? AND state = 'pending'""",
        (CANCELLED, now, alert_id),
    )
    return cursor.rowcount


async def alert_id_for(db: aiosqlite.Connection, key: str) -> int | None:
    async with db.execute("SELECT id FROM alerts WHERE key = ?", (key,)) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None
