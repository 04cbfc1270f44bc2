"""The chats table: an id, a language and a kind, nothing more."""

from __future__ import annotations

import aiosqlite

from storage.db import timestamp, write


async def get_language(db: aiosqlite.Connection, chat_id: int) -> str | None:
    async with db.execute("SELECT language FROM chats WHERE id = ?", (chat_id,)) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def set_language(db: aiosqlite.Connection, chat_id: int, language: str, kind: str) -> None:
    await write(
        db,
        """INSERT INTO chats (id, language, kind, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET language = excluded.language""",
        (chat_id, language, kind, timestamp()),
    )


async def ensure_staff_chat(db: aiosqlite.Connection, user_id: int, language: str) -> None:
    """An editor's private chat, there and switched on, to be asked to confirm a status.

    Inside a transaction. A chat switched off earlier is switched on again: an
    owner who had never written to the bot when first asked can be reached
    once they have, and if the bot is still blocked, the next refusal switches
    it off again (one request lost).
    """
    await db.execute(
        """INSERT INTO chats (id, language, kind, created_at) VALUES (?, ?, 'private', ?)
           ON CONFLICT (id) DO UPDATE SET active = 1, off_reason = NULL""",
        (user_id, language, timestamp()),
    )
