"""Counts for the editors' /admin dashboard.

Read-only queries over chats, subscriptions, deliveries, runs and backups. Nothing
here names a person: chats are counted, never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.backups import BackupRecord, last_backup


@dataclass(frozen=True)
class ChatCounts:
    by_kind: dict[str, tuple[int, int]]  # kind -> (active, switched off)
    by_language: dict[str, int]  # active chats only: who alerts are written for
    off_reasons: list[tuple[str, int]]  # most common first


@dataclass(frozen=True)
class DeliveryCounts:
    pending: int  # waiting now, whatever their age ('sending' included)
    sent: int  # these four: in the window (the last 24 hours)
    failed: int
    dropped: int
    reasons: list[tuple[str, int]]  # why deliveries failed or were dropped, most common first


@dataclass(frozen=True)
class Run:
    name: str
    last_day: date
    ran_at: datetime  # UTC


@dataclass(frozen=True)
class Dashboard:
    chats: ChatCounts
    followers: list[tuple[str, int]]  # (slug, active chats following it), most followed first
    follow_everyone: int  # active chats subscribed to every case
    deliveries: DeliveryCounts
    runs: list[Run]
    backup: BackupRecord | None  # the last daily backup, made or failed


async def _rows(db: aiosqlite.Connection, sql: str, params: tuple = ()) -> list[tuple]:
    async with db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def chat_counts(db: aiosqlite.Connection, reasons: int = 5) -> ChatCounts:
    by_kind: dict[str, tuple[int, int]] = {}
    for kind, active, off in await _rows(
        db, "SELECT kind, sum(active = 1), sum(active = 0) FROM chats GROUP BY kind ORDER BY kind"
    ):
        by_kind[kind] = (active, off)
    languages = await _rows(
        db,
        "SELECT language, count(*) FROM chats WHERE active = 1 GROUP BY language ORDER BY language",
    )
    off_reasons = await _rows(
        db,
        """SELECT coalesce(off_reason, '?'), count(*) AS n FROM chats WHERE active = 0
           GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?""",
        (reasons,),
    )
    return ChatCounts(by_kind, dict(languages), off_reasons)


async def followers(db: aiosqlite.Connection, limit: int) -> list[tuple[str, int]]:
    """The most followed cases, counting active chats only: those alerts reach."""
    return await _rows(
        db,
        """SELECT s.slug, count(*) AS n FROM subscriptions AS s
           JOIN chats AS c ON c.id = s.chat_id WHERE c.active = 1
           GROUP BY s.slug ORDER BY n DESC, s.slug LIMIT ?""",
        (limit,),
    )


async def follow_everyone(db: aiosqlite.Connection) -> int:
    [(count,)] = await _rows(
        db, "SELECT count(*) FROM chats WHERE active = 1 AND subscribed_all = 1"
    )
    return count


async def delivery_counts(
    db: aiosqlite.Connection, since: float, reasons: int = 3
) -> DeliveryCounts:
    """The outbox now, and what happened to deliveries last touched after ``since`` (Unix s)."""
    [(pending,)] = await _rows(
        db, "SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending')"
    )
    recent = dict(
        await _rows(
            db,
            """SELECT state, count(*) FROM deliveries
               WHERE updated_at >= ? AND state IN ('sent', 'failed', 'dropped') GROUP BY state""",
            (since,),
        )
    )
    top_reasons = await _rows(
        db,
        """SELECT coalesce(error, '?'), count(*) AS n FROM deliveries
           WHERE updated_at >= ? AND state IN ('failed', 'dropped')
           GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?""",
        (since, reasons),
    )
    return DeliveryCounts(
        pending=pending,
        sent=recent.get("sent", 0),
        failed=recent.get("failed", 0),
        dropped=recent.get("dropped", 0),
        reasons=top_reasons,
    )


async def runs(db: aiosqlite.Connection) -> list[Run]:
    return [
        Run(name, date.fromisoformat(last_day), datetime.fromisoformat(ran_at))
        for name, last_day, ran_at in await _rows(
            db, "SELECT name, last_day, ran_at FROM runs ORDER BY name"
        )
    ]


async def load(db: aiosqlite.Connection, now: float, top: int = 10) -> Dashboard:
    """Everything /admin shows; ``now`` in Unix seconds starts the 24-hour window."""
    return Dashboard(
        chats=await chat_counts(db),
        followers=await followers(db, top),
        follow_everyone=await follow_everyone(db),
        deliveries=await delivery_counts(db, now - 24 * 3600),
        runs=await runs(db),
        backup=await last_backup(db),
    )
