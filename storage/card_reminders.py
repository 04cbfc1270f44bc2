"""Birthday card reminders: which chat asked to be reminded about whom.

A row is a chat's id and a case's slug, nothing more. The reminder itself is
an alert like any other (``alerts.card_reminders``), queued for these chats
alone.
"""

from __future__ import annotations

import aiosqlite

from storage.db import write


async def remind(db: aiosqlite.Connection, chat_id: int, slug: str) -> bool:
    """Remind this chat before ``slug``'s birthdays; False when it already was."""
    cursor = await write(
        db,
        "INSERT INTO card_reminders (chat_id, slug) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (chat_id, slug),
    )
    return cursor.rowcount > 0


async def stop(db: aiosqlite.Connection, chat_id: int, slug: str) -> bool:
    """No more reminders about ``slug`` here; False when there were none."""
    cursor = await write(
        db, "DELETE FROM card_reminders WHERE chat_id = ? AND slug = ?", (chat_id, slug)
    )
    return cursor.rowcount > 0


async def is_reminded(db: aiosqlite.Connection, chat_id: int, slug: str) -> bool:
    async with db.execute(
        "SELECT 1 FROM card_reminders WHERE chat_id = ? AND slug = ?", (chat_id, slug)
    ) as cursor:
        return await cursor.fetchone() is not None


async def reminded_slugs(db: aiosqlite.Connection) -> set[str]:
    """The cases some chat wants a reminder about."""
    async with db.execute("SELECT DISTINCT slug FROM card_reminders") as cursor:
        return {row[0] for row in await cursor.fetchall()}


async def queue_for_reminded(
    db: aiosqlite.Connection,
    alert_id: int,
    slug: str,
    priority: int,
    now: float,
    due_at: float | None = None,
) -> int:
    """Queue the reminder for every active chat that asked for it, due at ``due_at``
    (``now`` when None); return the count.

    Inside the transaction that stored the alert, like ``deliveries.fan_out``.
    """
    cursor = await db.execute(
        """INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
           SELECT ?, chats.id, ?, ?, ? FROM chats
           WHERE chats.active = 1
             AND chats.id IN (SELECT chat_id FROM card_reminders WHERE slug = ?)""",
        (alert_id, priority, now if due_at is None else due_at, now, slug),
    )
    await db.execute("UPDATE alerts SET fanned_out = 1 WHERE id = ?", (alert_id,))
    return cursor.rowcount
