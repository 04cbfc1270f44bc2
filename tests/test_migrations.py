"""A database made by an earlier version is carried forward with nothing lost."""

from __future__ import annotations

import aiosqlite
import pytest

from storage import db as storage_db
from storage.db import connect, migration_files

ROWS = [
    "INSERT INTO cases (slug, name_en, status, status_as_of, record, updated_at)"
    " VALUES ('a-case', 'A Case', 'detained', '2026-01-01', '{}', '2026-01-01')",
    "INSERT INTO chats (id, language, kind, created_at, subscribed_all, want_birthdays, managed_by)"
    " VALUES (1, 'be', 'channel', '2026-01-01', 1, 0, 7)",
    "INSERT INTO subscriptions (chat_id, slug) VALUES (1, 'a-case')",
    "INSERT INTO alerts (key, kind, on_date, created_at)"
    " VALUES ('k', 'birthday', '2026-01-01', 'x')",
    "INSERT INTO deliveries (alert_id, chat_id) VALUES (1, 1)",
]


async def table(db: aiosqlite.Connection, sql: str) -> list[tuple]:
    async with db.execute(sql) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def test_chats_of_three_languages_take_any_language_and_keep_everything(
    tmp_path, monkeypatch
):
    path = tmp_path / "old.sqlite3"
    earlier = [p for p in migration_files() if p.stem < "0007"]
    monkeypatch.setattr(storage_db, "migration_files", lambda: earlier)
    db = await connect(path)
    for statement in ROWS:
        await db.execute(statement)
    await db.commit()
    with pytest.raises(aiosqlite.IntegrityError, match="CHECK"):
        await db.execute("INSERT INTO chats (id, language, created_at) VALUES (2, 'pl', 'x')")
    before = await table(db, "SELECT * FROM chats")
    await db.close()

    monkeypatch.undo()
    db = await connect(path)
    try:
        assert await table(db, "SELECT * FROM chats") == before
        # The rebuild dropped the old table with foreign keys off: nothing cascaded.
        assert await table(db, "SELECT chat_id, slug FROM subscriptions") == [(1, "a-case")]
        assert await table(db, "SELECT chat_id, state FROM deliveries") == [(1, "pending")]
        await db.execute("INSERT INTO chats (id, language, created_at) VALUES (2, 'pl', 'x')")
        # The keys work on the new table: deleting a chat still takes its rows with it.
        await db.execute("DELETE FROM chats WHERE id = 1")
        assert await table(db, "SELECT * FROM subscriptions") == []
        assert await table(db, "SELECT * FROM deliveries") == []
        assert await table(db, "PRAGMA foreign_keys") == [(1,)]
    finally:
        await db.close()
