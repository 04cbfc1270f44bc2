"""What a connection remembers of its failed writes: what /healthz and /metrics report.

The failure is real: another connection holds the write lock, and this one's
write gives up after its busy timeout ("database is locked"), as a write on a
full disk gives up. A write that fails for its statement's sake (a broken
constraint) says nothing about the disk; and only a write that changed rows
proves the disk takes writes again.
"""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from storage.db import connect, on_write_failure, transaction, write, write_failure

INSERT_CHAT = "INSERT INTO chats (id, language, created_at) VALUES (?, 'en', 'x')"


@contextlib.contextmanager
def write_lock_held(path):
    """Another program holding the database's write lock until the block ends."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.close()


async def test_a_failed_write_is_remembered_until_a_write_changes_rows(tmp_path):
    path = tmp_path / "casewatch.sqlite3"
    db = await connect(path, busy_timeout=0.05)
    counted = []
    on_write_failure(db, lambda: counted.append(1))
    try:
        assert write_failure(db) is None
        with write_lock_held(path):
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                await write(db, INSERT_CHAT, (1,))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                async with transaction(db):
                    await db.execute(INSERT_CHAT, (2,))
        failure = write_failure(db)
        assert (failure.count, failure.error) == (2, "database is locked")
        assert len(counted) == 2

        await write(db, INSERT_CHAT, (3,))  # a row changed: the disk takes writes again
        assert write_failure(db) is None

        with write_lock_held(path), pytest.raises(sqlite3.OperationalError):
            await write(db, INSERT_CHAT, (4,))
        # Neither a statement's own error nor a write that changed nothing says it is back.
        with pytest.raises(sqlite3.IntegrityError):
            await write(db, INSERT_CHAT, (3,))  # the same id again
        await write(db, "DELETE FROM chats WHERE id = -1")
        async with transaction(db):
            await db.execute("SELECT count(*) FROM chats")
        assert write_failure(db).count == 1
        assert len(counted) == 3

        async with transaction(db):
            await db.execute(INSERT_CHAT, (5,))
        assert write_failure(db) is None
    finally:
        await db.close()
