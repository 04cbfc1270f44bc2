"""Editors: user ids the owners (BOT_ADMINS) allowed to publish and edit cases.

Granting and revoking write the audit entry in the same transaction, so the
log cannot miss a change to who may change things.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from storage import audit
from storage.db import transaction

EDITOR = "editor"


@dataclass(frozen=True)
class Editor:
    user_id: int
    role: str
    granted_by: int
    granted_at: datetime

    def as_record(self) -> dict:
        # Who granted it and when is the earlier "admins.add" entry's actor and time.
        return {"role": self.role}


def _editor(row: aiosqlite.Row) -> Editor:
    return Editor(
        row["user_id"], row["role"], row["granted_by"], datetime.fromisoformat(row["granted_at"])
    )


async def list_editors(db: aiosqlite.Connection) -> list[Editor]:
    """Every editor, in the order they were added."""
    async with db.execute(
        "SELECT user_id, role, granted_by, granted_at FROM admins ORDER BY granted_at, user_id"
    ) as cursor:
        return [_editor(row) for row in await cursor.fetchall()]


async def get_editor(db: aiosqlite.Connection, user_id: int) -> Editor | None:
    async with db.execute(
        "SELECT user_id, role, granted_by, granted_at FROM admins WHERE user_id = ?", (user_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return _editor(row) if row else None


async def grant(
    db: aiosqlite.Connection, user_id: int, granted_by: int, *, at: datetime | None = None
) -> bool:
    """Make ``user_id`` an editor, audited; False (nothing written) if they already are."""
    at = at or datetime.now(UTC)
    async with transaction(db):
        cursor = await db.execute(
            """INSERT INTO admins (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (user_id) DO NOTHING""",
            (user_id, EDITOR, granted_by, at.isoformat(timespec="seconds")),
        )
        if cursor.rowcount == 0:
            return False
        added = Editor(user_id, EDITOR, granted_by, at)
        await audit.record(db, granted_by, "admins.add", user_id, after=added.as_record(), at=at)
    return True


async def revoke(
    db: aiosqlite.Connection, user_id: int, revoked_by: int, *, at: datetime | None = None
) -> Editor | None:
    """Remove an editor, audited; the row removed, or None if they were not one."""
    async with transaction(db):
        removed = await get_editor(db, user_id)
        if removed is None:
            return None
        await db.execute("DELETE FROM admins WHERE user_id = ?", (user_id,))
        await audit.record(
            db, revoked_by, "admins.remove", user_id, before=removed.as_record(), at=at
        )
    return removed
