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
