"""The deliveries table: the outbox the sender drains, one row per (alert, chat).

A row moves pending -> sending -> sent | failed | dropped (or back to
pending for a retry). Each change is one statement, committed on its own
(the connection is in autocommit mode; ``write`` waits for a transaction
another task holds on it), so the sender's record of what Telegram has
already taken survives a kill.
Times (``due_at``, ``updated_at``) are Unix seconds, comparable across
restarts and processes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import aiosqlite

from storage.audience import ABOUT_ANY_CASE, ABOUT_CASE, hears
from storage.db import write


@dataclass(frozen=True)
class Delivery:
    id: int
    chat_id: int
    attempts: int
    language: str
    chat_active: bool
    alert_id: int
    kind: str
    slug: str | None
    on_date: date
    payload: dict
    parts_sent: int = 0  # of a long alert, taken by Telegram in earlier attempts
    failing_since: float | None = None  # first network failure, Unix seconds
    chat_kind: str = "private"  # private, group, supergroup or channel (chats.kind)

    @property
    def in_private(self) -> bool:
        """Sent to one person's own chat with the bot, where commands and callback buttons
        are theirs. A group's or a channel's readers cannot type to the bot there, and a
        press on a callback button would act for the whole chat. A private chat's id is
        the user's, positive; a group's or a channel's is negative, whatever kind an old
        row says."""
        return self.chat_kind == "private" and self.chat_id >= 0


async def fan_out(
    db: aiosqlite.Connection,
    alert_id: int,
    slug: str | None,
    want_column: str,
    priority: int,
    now: float,
    due_at: float | None = None,
) -> int:
    """Queue the alert for every chat that hears it (``storage.audience``), due at
    ``due_at`` (``now`` when None); return the count.

    One INSERT ... SELECT, so 100,000 chats cost one statement rather than
    100,000 round trips. A case alert reaches the case's subscribers and
    chats following everything; an alert about no case (a statement) reaches
    every chat that follows anything. UNIQUE (alert_id, chat_id) with OR
    IGNORE makes a repeated fan-out add nothing.
    """
    about = ABOUT_ANY_CASE if slug is None else ABOUT_CASE
    cursor = await db.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
            SELECT :alert, chats.id, :priority, :due, :now FROM chats
            WHERE {hears(want_column, about)}""",
        {
            "alert": alert_id,
            "priority": priority,
            "now": now,
            "due": now if due_at is None else due_at,
            "slug": slug,
        },
    )
    await db.execute("UPDATE alerts SET fanned_out = 1 WHERE id = ?", (alert_id,))
    return cursor.rowcount


async def queue_for_chats(
    db: aiosqlite.Connection, alert_id: int, chat_ids: list[int], priority: int, now: float
) -> int:
    """Queue the alert for these chats alone (editors asked to confirm); return the count.

    Inside the transaction that stored the alert, like ``fan_out``; the chats
    must exist.
    """
    cursor = await db.execute(
        """INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
           SELECT ?, chats.id, ?, ?, ? FROM chats
           WHERE chats.id IN (SELECT value FROM json_each(?))""",
        (alert_id, priority, now, now, json.dumps(chat_ids)),
    )
    await db.execute("UPDATE alerts SET fanned_out = 1 WHERE id = ?", (alert_id,))
    return cursor.rowcount


async def drop_unsent(
    db: aiosqlite.Connection, slug: str, kinds: list[str], error: str, now: float
) -> int:
    """Give up the pending deliveries of these kinds of alerts about ``slug``.

    For alerts that stopped being true before they were sent (a birthday
    "behind bars" queued in the morning, a release imported at noon). Inside
    the transaction of the change that made them untrue.
    """
    cursor = await db.execute(
        """UPDATE deliveries SET state = 'dropped', error = ?, updated_at = ?
           WHERE state = 'pending' AND alert_id IN (
               SELECT id FROM alerts
               WHERE slug = ? AND kind IN (SELECT value FROM json_each(?)))""",
        (error, now, slug, json.dumps(kinds)),
    )
    return cursor.rowcount


async def next_due(
    db: aiosqlite.Connection, now: float, busy_chats: list[int], limit: int = 1
) -> list[Delivery]:
    """Pending rows due by ``now``, most important first, skipping chats still paced."""
    async with db.execute(
        """SELECT d.id, d.chat_id, d.attempts, d.parts_sent, d.failing_since,
                  c.language, c.active, c.kind AS chat_kind,
                  a.id AS alert_id, a.kind, a.slug, a.on_date, a.payload
           FROM deliveries AS d
           JOIN alerts AS a ON a.id = d.alert_id
           JOIN chats AS c ON c.id = d.chat_id
           WHERE d.state = 'pending' AND d.due_at <= ?
             AND d.chat_id NOT IN (SELECT value FROM json_each(?))
           ORDER BY d.priority DESC, d.due_at, d.id
           LIMIT ?""",
        (now, json.dumps(busy_chats), limit),
    ) as cursor:
        rows = await cursor.fetchall()
    return [
        Delivery(
            id=row["id"],
            chat_id=row["chat_id"],
            attempts=row["attempts"],
            language=row["language"],
            chat_active=bool(row["active"]),
            alert_id=row["alert_id"],
            kind=row["kind"],
            slug=row["slug"],
            on_date=date.fromisoformat(row["on_date"]),
            payload=json.loads(row["payload"]),
            parts_sent=row["parts_sent"],
            failing_since=row["failing_since"],
            chat_kind=row["chat_kind"],
        )
        for row in rows
    ]


async def claim(db: aiosqlite.Connection, delivery_id: int, now: float) -> bool:
    """Mark the row 'sending' before the request; False if someone else took it."""
    cursor = await write(
        db,
        """UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?
           WHERE id = ? AND state = 'pending'""",
        (now, delivery_id),
    )
    return cursor.rowcount == 1


# Every change below moves a row out of the state it names (``source``, 'sending'
# unless said otherwise) and reports whether it did: a row that left that state
# meanwhile (its chat forgotten, switched off, moved) is not overwritten.


async def record_part(
    db: aiosqlite.Connection, delivery_id: int, parts_sent: int, message_id: int, now: float
) -> bool:
    """Telegram took ``parts_sent`` parts of a long alert; a retry starts after them."""
    cursor = await write(
        db,
        """UPDATE deliveries SET parts_sent = ?, message_id = coalesce(message_id, ?),
                  updated_at = ?
           WHERE id = ? AND state = 'sending'""",
        (parts_sent, message_id, now, delivery_id),
    )
    return cursor.rowcount == 1


async def mark_sent(
    db: aiosqlite.Connection,
    delivery_id: int,
    parts_sent: int,
    message_id: int | None,
    now: float,
) -> bool:
    """Every part arrived; ``message_id`` is the first part's (kept if already recorded)."""
    cursor = await write(
        db,
        """UPDATE deliveries SET state = 'sent', parts_sent = ?,
                  message_id = coalesce(message_id, ?), error = NULL, updated_at = ?
           WHERE id = ? AND state = 'sending'""",
        (parts_sent, message_id, now, delivery_id),
    )
    return cursor.rowcount == 1


async def _end(
    db: aiosqlite.Connection, delivery_id: int, state: str, error: str, now: float, source: str
) -> bool:
    """Move a delivery from ``source`` to a final ``state``; False if it was not in ``source``."""
    cursor = await write(
        db,
        "UPDATE deliveries SET state = ?, error = ?, updated_at = ? WHERE id = ? AND state = ?",
        (state, error, now, delivery_id, source),
    )
    return cursor.rowcount == 1


async def mark_failed(
    db: aiosqlite.Connection,
    delivery_id: int,
    error: str,
    now: float,
    *,
    source: str = "sending",
) -> bool:
    return await _end(db, delivery_id, "failed", error, now, source)


async def mark_dropped(
    db: aiosqlite.Connection,
    delivery_id: int,
    error: str,
    now: float,
    *,
    source: str = "sending",
) -> bool:
    return await _end(db, delivery_id, "dropped", error, now, source)


async def retry_at(
    db: aiosqlite.Connection,
    delivery_id: int,
    due_at: float,
    error: str,
    now: float,
    *,
    counts_as_attempt: bool = True,
    failing_since: float | None = None,
) -> bool:
    """Back to 'pending' until ``due_at``; flood control is not the message's fault.

    ``failing_since``: when the network first failed this delivery, kept from
    then on (a later success of one part does not restart the clock).
    """
    cursor = await write(
        db,
        """UPDATE deliveries SET state = 'pending', due_at = ?, error = ?, updated_at = ?,
                  attempts = attempts - ?, failing_since = coalesce(failing_since, ?)
           WHERE id = ? AND state = 'sending'""",
        (due_at, error, now, 0 if counts_as_attempt else 1, failing_since, delivery_id),
    )
    return cursor.rowcount == 1


async def due_again_now(db: aiosqlite.Connection, since: float, now: float) -> int:
    """Telegram answers again: rows waiting out a failure from ``since`` on are due now."""
    cursor = await write(
        db,
        """UPDATE deliveries SET due_at = ?
           WHERE state = 'pending' AND failing_since IS NOT NULL AND due_at > ?
             AND updated_at >= ?""",
        (now, now, since),
    )
    return cursor.rowcount


async def drop_for_chat(db: aiosqlite.Connection, chat_id: int, error: str, now: float) -> int:
    """Give up every unsent row of a chat that can no longer be reached."""
    cursor = await write(
        db,
        """UPDATE deliveries SET state = 'dropped', error = ?, updated_at = ?
           WHERE chat_id = ? AND state IN ('pending', 'sending')""",
        (error, now, chat_id),
    )
    return cursor.rowcount


async def recover_sending(db: aiosqlite.Connection, now: float) -> int:
    """Put rows whose fate is unknown (the process died mid-send) back in the queue."""
    cursor = await write(
        db,
        "UPDATE deliveries SET state = 'pending', due_at = 0, updated_at = ? "
        "WHERE state = 'sending'",
        (now,),
    )
    return cursor.rowcount
