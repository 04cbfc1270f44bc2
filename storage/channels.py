"""Channels registered by their admins, chats switched off and on, groups migrated.

A channel is a chat row of kind 'channel' whose ``managed_by`` is the
private chat of the user who registered it; it has its own subscriptions
and settings like any chat. Rights are never stored: they live in Telegram
and are checked again on every change.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.db import timestamp, transaction, write


@dataclass(frozen=True)
class Channel:
    id: int
    active: bool
    off_reason: str | None
    managed_by: int | None


async def register_channel(
    db: aiosqlite.Connection, channel_id: int, language: str, user_id: int
) -> bool:
    """Add the channel (or take it over for this user); True when it was new.

    Registering again also switches it back on: the rights were just checked.
    """
    async with transaction(db):
        async with db.execute("SELECT 1 FROM chats WHERE id = ?", (channel_id,)) as cursor:
            existed = await cursor.fetchone() is not None
        await db.execute(
            """INSERT INTO chats (id, language, kind, created_at, managed_by)
               VALUES (?, ?, 'channel', ?, ?)
               ON CONFLICT (id) DO UPDATE SET
                   managed_by = excluded.managed_by, active = 1, off_reason = NULL""",
            (channel_id, language, timestamp(), user_id),
        )
    return not existed


async def get_channel(db: aiosqlite.Connection, channel_id: int) -> Channel | None:
    async with db.execute(
        "SELECT id, active, off_reason, managed_by FROM chats WHERE id = ? AND kind = 'channel'",
        (channel_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return Channel(row[0], bool(row[1]), row[2], row[3]) if row else None


async def channels_of(db: aiosqlite.Connection, user_id: int) -> list[Channel]:
    async with db.execute(
        """SELECT id, active, off_reason, managed_by FROM chats
           WHERE managed_by = ? AND kind = 'channel' ORDER BY id""",
        (user_id,),
    ) as cursor:
        return [Channel(row[0], bool(row[1]), row[2], row[3]) for row in await cursor.fetchall()]


async def remove_channel(db: aiosqlite.Connection, channel_id: int) -> bool:
    """Delete the channel row; its subscriptions and deliveries cascade."""
    cursor = await write(db, "DELETE FROM chats WHERE id = ? AND kind = 'channel'", (channel_id,))
    return cursor.rowcount > 0


async def switch(
    db: aiosqlite.Connection, chat_id: int, active: bool, reason: str | None = None
) -> bool:
    """Turn a known chat's alerts off (with a reason) or back on; False if unknown."""
    cursor = await write(
        db,
        "UPDATE chats SET active = ?, off_reason = ? WHERE id = ?",
        (int(active), None if active else reason, chat_id),
    )
    return cursor.rowcount > 0


async def migrate_chat(db: aiosqlite.Connection, old_id: int, new_id: int) -> bool:
    """Move a group to its supergroup id; True when there was anything to move.

    Subscriptions, card reminders and deliveries follow through ON UPDATE
    CASCADE. If the supergroup already has a row (someone subscribed there
    before the migration message arrived), the group's subscriptions, card
    reminders and queued deliveries merge into it before the old row goes.
    """
    async with transaction(db):
        async with db.execute("SELECT 1 FROM chats WHERE id = ?", (new_id,)) as cursor:
            target_exists = await cursor.fetchone() is not None
        if not target_exists:
            cursor = await db.execute(
                "UPDATE chats SET id = ?, kind = 'supergroup' WHERE id = ?", (new_id, old_id)
            )
            return cursor.rowcount > 0
        await db.execute(
            """INSERT INTO subscriptions (chat_id, slug)
               SELECT ?, slug FROM subscriptions WHERE chat_id = ?
               ON CONFLICT DO NOTHING""",
            (new_id, old_id),
        )
        await db.execute(
            """INSERT INTO card_reminders (chat_id, slug)
               SELECT ?, slug FROM card_reminders WHERE chat_id = ?
               ON CONFLICT DO NOTHING""",
            (new_id, old_id),
        )
        await db.execute(
            """UPDATE chats SET subscribed_all = max(subscribed_all,
                   coalesce((SELECT subscribed_all FROM chats WHERE id = ?), 0)) WHERE id = ?""",
            (old_id, new_id),
        )
        # Deleting the old row would cascade its queue away; an alert queued for
        # both keeps the supergroup's copy (UNIQUE (alert_id, chat_id)).
        await db.execute(
            "UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
        )
        cursor = await db.execute("DELETE FROM chats WHERE id = ?", (old_id,))
        return cursor.rowcount > 0
