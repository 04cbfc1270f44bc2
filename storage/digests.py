"""Daily digests: which chats get one, the day's calendar alerts around them, a digest's items.

A chat gets the day's calendar alerts as one digest when it chose so
(``alert_mode`` 'digest'), or, left on 'auto', while it follows everyone or
more than ``over`` people (BOT_DIGEST_OVER). The rule is written twice, side
by side: in SQL for fan-out (``_DIGEST_CHAT``) and in Python for /settings
(``gets_digest``).

A calendar alert of a day with a digest is stored with ``digest_day`` and
fanned out to the other chats only; the digest itself is one alert
(``digest:<day>``) with one delivery per digest chat, and lists at send time
the day's alerts that chat follows and wants. Nothing here commits, except
``set_alert_mode`` (one statement of its own).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import aiosqlite

from storage.db import write
from storage.deliveries import WANT_COLUMNS

ALERT_MODES = ("auto", "digest", "single")

_DIGEST_CHAT = """(
    chats.alert_mode = 'digest'
    OR (chats.alert_mode = 'auto' AND (
        chats.subscribed_all = 1
        OR (SELECT count(*) FROM subscriptions AS own WHERE own.chat_id = chats.id) > :over)))"""
_FOLLOWS_ITEM = """(chats.subscribed_all = 1
    OR item.slug IN (SELECT slug FROM subscriptions WHERE chat_id = chats.id))"""
_KIND = re.compile(r"[a-z_]+")


@dataclass(frozen=True)
class DigestItem:
    """One calendar alert a digest lists."""

    kind: str
    slug: str | None
    payload: dict


def gets_digest(mode: str, subscribed_all: bool, follows: int, over: int) -> bool:
    """Whether a chat gets calendar alerts as a daily digest (``_DIGEST_CHAT`` in Python)."""
    if mode != "auto":
        return mode == "digest"
    return subscribed_all or follows > over


def _wanted(kind_columns: Mapping[str, str]) -> str:
    """SQL true when the chat wants ``item``'s kind: its want_* column, by kind."""
    branches = []
    for kind, column in kind_columns.items():
        # Both come from the alerts' own table of kinds, never from an update.
        if column not in WANT_COLUMNS or not _KIND.fullmatch(kind):
            raise ValueError(f"unknown alert kind or chat setting: {kind!r}, {column!r}")
        branches.append(f"WHEN '{kind}' THEN chats.{column}")
    return f"(CASE item.kind {' '.join(branches)} ELSE 0 END) = 1"


async def fan_out_singles(
    db: aiosqlite.Connection,
    alert_id: int,
    slug: str,
    want_column: str,
    priority: int,
    now: float,
    *,
    day: date,
    over: int,
) -> int:
    """Queue a calendar alert of ``day`` for its followers who get no digest; mark it the
    day's digest item. Return the deliveries queued."""
    if want_column not in WANT_COLUMNS:
        raise ValueError(f"unknown chat setting {want_column!r}")
    cursor = await db.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
            SELECT :alert, chats.id, :priority, :now, :now FROM chats
            WHERE chats.active = 1 AND chats.{want_column} = 1
              AND (chats.subscribed_all = 1
                   OR chats.id IN (SELECT chat_id FROM subscriptions WHERE slug = :slug))
              AND NOT {_DIGEST_CHAT}""",
        {"alert": alert_id, "priority": priority, "now": now, "slug": slug, "over": over},
    )
    await db.execute(
        "UPDATE alerts SET fanned_out = 1, digest_day = ? WHERE id = ?",
        (day.isoformat(), alert_id),
    )
    return cursor.rowcount


async def fan_out_digest(
    db: aiosqlite.Connection,
    alert_id: int,
    day: date,
    priority: int,
    now: float,
    *,
    over: int,
    kind_columns: Mapping[str, str],
) -> int:
    """Queue the digest of ``day`` for every digest chat it has something for; the count.

    A digest nobody gets is not kept: a day without digest chats leaves no
    trace, and a run of the day again (a lost record of the run) looks again.
    """
    cursor = await db.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
            SELECT :alert, chats.id, :priority, :now, :now FROM chats
            WHERE chats.active = 1 AND {_DIGEST_CHAT}
              AND EXISTS (SELECT 1 FROM alerts AS item
                          WHERE item.digest_day = :day AND {_wanted(kind_columns)}
                            AND {_FOLLOWS_ITEM})""",
        {"alert": alert_id, "priority": priority, "now": now, "day": day.isoformat(), "over": over},
    )
    if cursor.rowcount == 0:
        await db.execute("DELETE FROM alerts WHERE id = ?", (alert_id,))
        return 0
    await db.execute("UPDATE alerts SET fanned_out = 1 WHERE id = ?", (alert_id,))
    return cursor.rowcount


async def digest_items(
    db: aiosqlite.Connection, chat_id: int, day: date, kind_columns: Mapping[str, str]
) -> list[DigestItem]:
    """The calendar alerts of ``day`` that the chat follows and wants, as they were stored."""
    async with db.execute(
        f"""SELECT item.kind, item.slug, item.payload FROM alerts AS item
            JOIN chats ON chats.id = :chat
            WHERE item.digest_day = :day AND {_wanted(kind_columns)} AND {_FOLLOWS_ITEM}
            ORDER BY item.id""",
        {"chat": chat_id, "day": day.isoformat()},
    ) as cursor:
        rows = await cursor.fetchall()
    return [DigestItem(row[0], row[1], json.loads(row[2])) for row in rows]


async def alert_mode(db: aiosqlite.Connection, chat_id: int) -> tuple[str, int]:
    """The chat's alert mode ('auto' without a row) and how many people it follows one by one."""
    async with db.execute(
        """SELECT coalesce((SELECT alert_mode FROM chats WHERE id = :chat), 'auto'),
                  (SELECT count(*) FROM subscriptions WHERE chat_id = :chat)""",
        {"chat": chat_id},
    ) as cursor:
        mode, follows = await cursor.fetchone()
    return mode, follows


async def set_alert_mode(db: aiosqlite.Connection, chat_id: int, mode: str) -> None:
    """Store the chat's choice; the chat row must exist (``subscriptions.ensure_chat``)."""
    if mode not in ALERT_MODES:
        raise ValueError(f"unknown alert mode {mode!r}")
    await write(db, "UPDATE chats SET alert_mode = ? WHERE id = ?", (mode, chat_id))
