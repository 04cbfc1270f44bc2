"""The audit log: every admin action, who did it, when, and what changed.

``record`` only executes its INSERT and never commits: called inside
``transaction(db)`` the entry lands together with the change it describes,
or not at all; called outside one, the connection's autocommit keeps it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

# A field one side of a change does not have (a case field added or removed).
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


@dataclass(frozen=True)
class Change:
    field: str  # dotted path into the record: "status", "name.ru"
    old: Any  # MISSING when the field is new
    new: Any  # MISSING when the field is gone


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime  # UTC
    actor_id: int
    action: str
    target: str | None
    before: Any
    after: Any
    details: Any

    @property
    def changes(self) -> list[Change]:
        return diff(self.before, self.after)


def diff(before: Any, after: Any, path: str = "") -> list[Change]:
    """Fields that differ, dict keys followed down to the leaves; lists compare whole."""
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        if before is None and after is None:
            return []
        old, new = before or {}, after or {}
        changes: list[Change] = []
        for key in sorted(set(old) | set(new), key=str):
            field = f"{path}.{key}" if path else str(key)
            left, right = old.get(key, MISSING), new.get(key, MISSING)
            if left == right:
                continue
            if isinstance(left, dict) and isinstance(right, dict):
                changes.extend(diff(left, right, field))
            else:
                changes.append(Change(field, left, right))
        return changes
    return [] if before == after else [Change(path, before, after)]


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    # Dates and other values a case holds are kept as their text.
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


async def record(
    db: aiosqlite.Connection,
    actor_id: int,
    action: str,
    target: str | int | None,
    before: Any = None,
    after: Any = None,
    details: Any = None,
    *,
    at: datetime | None = None,
) -> int:
    """Add one entry; return its id. Does not commit (see the module docstring)."""
    at = at or datetime.now(UTC)
    cursor = await db.execute(
        """INSERT INTO audit_log (at, actor_id, action, target, before, after, details)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (
            at.astimezone(UTC).isoformat(timespec="seconds"),
            actor_id,
            action,
            None if target is None else str(target),
            _dump(before),
            _dump(after),
            _dump(details),
        ),
    )
    return cursor.lastrowid


async def latest(db: aiosqlite.Connection, limit: int = 20) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first."""
    async with db.execute(
        """SELECT id, at, actor_id, action, target, before, after, details
           FROM audit_log ORDER BY id DESC LIMIT ?""",
        (limit,),
    ) as cursor:
        rows = await cursor.fetchall()
    return [
        AuditEntry(
            id=row["id"],
            at=datetime.fromisoformat(row["at"]),
            actor_id=row["actor_id"],
            action=row["action"],
            target=row["target"],
            before=_load(row["before"]),
            after=_load(row["after"]),
            details=_load(row["details"]),
        )
        for row in rows
    ]
