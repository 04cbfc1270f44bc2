"""Daily digests: which chats get one, the day's calendar alerts around them, a digest's items.

Which chats get the day's calendar alerts as one digest, and which chats
hear an alert at all, is ``storage.audience``'s rule (``DIGEST_CHAT``,
``hears``); this module queues by it.

A calendar alert of a day with a digest is stored with ``digest_day`` and
fanned out to the other chats only; the digest itself is one alert
(``digest:<day>``) with one delivery per digest chat, and lists at send time
the day's alerts that chat follows and wants, and has not had on its own.
An alert about people new to the bot is fanned out when stored, to the chats
that follow everyone and take alerts one by one; the next daily run makes it
an item of its digest (``claim_newcomers``). Each digest delivery is due at
its chat's hour (``chats.digest_hour``, or BOT_ALERT_TIME's when it chose
none): the sender leaves a row alone until its ``due_at``. Nothing here
commits, except the setters (one statement each).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import aiosqlite

from storage.audience import (
    ABOUT_CASE,
    ABOUT_NEW_CASES,
    DIGEST_CHAT,
    FOLLOWS_BROADLY,
    follows,
    hears,
    wants_kind_of,
)
from storage.db import write

ALERT_MODES = ("auto", "digest", "single")

# The chat follows the person of ``item``, a stored alert of the day's digest (an
# alert about no one in particular, people new to the bot, only if it follows
# everyone), and has not had it on its own: a chat that took alerts one by one
# when it was stored and a digest since is not told twice.
_FOLLOWS_ITEM = f"""{follows("{slug} = item.slug")}
    AND NOT EXISTS (SELECT 1 FROM deliveries AS own
                    WHERE own.alert_id = item.id AND own.chat_id = chats.id)"""
# Which chats take digests depends on BOT_DIGEST_OVER only for those that follow
# people one by one: never for the chats that follow everyone.
_ANY_OVER = 0
# A digest's due time by its chat's hour: ``:hours`` is a JSON list of 24 due times,
# one per hour of the day; a chat that chose no hour gets ``:due``, the alert time's.
_DUE_AT_ITS_HOUR = "coalesce(json_extract(:hours, '$[' || chats.digest_hour || ']'), :due)"


@dataclass(frozen=True)
class DigestItem:
    """One calendar alert a digest lists."""

    kind: str
    slug: str | None
    payload: dict


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
    due_at: float | None = None,
) -> int:
    """Queue a calendar alert of ``day`` for its followers who get no digest, due at
    ``due_at`` (``now`` when None); mark it the day's digest item. Return the deliveries queued."""
    cursor = await db.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
            SELECT :alert, chats.id, :priority, :due, :now FROM chats
            WHERE {hears(want_column, ABOUT_CASE)} AND NOT {DIGEST_CHAT}""",
        {
            "alert": alert_id,
            "priority": priority,
            "now": now,
            "due": now if due_at is None else due_at,
            "slug": slug,
            "over": over,
        },
    )
    await db.execute(
        "UPDATE alerts SET fanned_out = 1, digest_day = ? WHERE id = ?",
        (day.isoformat(), alert_id),
    )
    return cursor.rowcount


async def fan_out_to_everyones_singles(
    db: aiosqlite.Connection, alert_id: int, want_column: str, priority: int, now: float
) -> int:
    """Queue an alert about people new to the bot for the chats that follow everyone and
    take alerts one by one; the count. The others read it in their next digest."""
    cursor = await db.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
            SELECT :alert, chats.id, :priority, :now, :now FROM chats
            WHERE {hears(want_column, ABOUT_NEW_CASES)} AND NOT {DIGEST_CHAT}""",
        {"alert": alert_id, "priority": priority, "now": now, "over": _ANY_OVER},
    )
    await db.execute("UPDATE alerts SET fanned_out = 1 WHERE id = ?", (alert_id,))
    return cursor.rowcount


async def claim_newcomers(db: aiosqlite.Connection, day: date, kinds: tuple[str, ...]) -> int:
    """Make the alerts about people new to the bot that no digest has listed yet items of
    ``day``'s digest; the count.

    Whatever is waiting, whenever it was stored: the digest made next tells of
    it (people added after a day's run wait for the next day's; a day caught
    up late, made at once, takes them too rather than keep them a day longer).
    """
    cursor = await db.execute(
        """UPDATE alerts SET digest_day = :day
           WHERE digest_day IS NULL AND kind IN (SELECT value FROM json_each(:kinds))""",
        {"day": day.isoformat(), "kinds": json.dumps(list(kinds))},
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
    due_at: float | None = None,
    hours: Sequence[float] | None = None,
) -> int:
    """Queue the digest of ``day`` for every digest chat it has something for; the count.

    Each delivery is due at its chat's hour: ``hours[h]`` for a chat that
    chose hour h, ``due_at`` for the others (``now`` when None; every hour
    ``due_at`` when ``hours`` is None). A digest nobody gets is not kept: a
    day without digest chats leaves no trace, and a run of the day again (a
    lost record of the run) looks again.
    """
    due = now if due_at is None else due_at
    cursor = await db.execute(
        f"""INSERT OR IGNORE INTO deliveries (alert_id, chat_id, priority, due_at, updated_at)
            SELECT :alert, chats.id, :priority, {_DUE_AT_ITS_HOUR}, :now FROM chats
            WHERE chats.active = 1 AND {DIGEST_CHAT}
              AND EXISTS (SELECT 1 FROM alerts AS item
                          WHERE item.digest_day = :day AND {wants_kind_of("item", kind_columns)}
                            AND {_FOLLOWS_ITEM})""",
        {
            "alert": alert_id,
            "priority": priority,
            "now": now,
            "due": due,
            "hours": json.dumps(list(hours) if hours is not None else [due] * 24),
            "day": day.isoformat(),
            "over": over,
        },
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
            WHERE item.digest_day = :day AND {wants_kind_of("item", kind_columns)}
              AND {_FOLLOWS_ITEM}
            ORDER BY item.id""",
        {"chat": chat_id, "day": day.isoformat()},
    ) as cursor:
        rows = await cursor.fetchall()
    return [DigestItem(row[0], row[1], json.loads(row[2])) for row in rows]


async def items_of_kinds(
    db: aiosqlite.Connection, day: date, kinds: tuple[str, ...]
) -> list[DigestItem]:
    """Every item of ``kinds`` in ``day``'s digest, whichever chats it reached."""
    async with db.execute(
        """SELECT kind, slug, payload FROM alerts
           WHERE digest_day = ? AND kind IN (SELECT value FROM json_each(?))
           ORDER BY id""",
        (day.isoformat(), json.dumps(list(kinds))),
    ) as cursor:
        rows = await cursor.fetchall()
    return [DigestItem(row[0], row[1], json.loads(row[2])) for row in rows]


@dataclass(frozen=True)
class DigestChoice:
    """What decides whether and when a chat gets the daily digest, as /settings reads it."""

    mode: str  # 'auto' without a row
    follows: int  # people it follows by name
    broadly: bool  # it follows everyone, a region or a place
    hour: int | None  # its digest's hour; None: BOT_ALERT_TIME


async def alert_mode(db: aiosqlite.Connection, chat_id: int) -> DigestChoice:
    """The chat's alert mode, what it follows, and its digest's hour (defaults without a row)."""
    async with db.execute(
        f"""SELECT coalesce((SELECT alert_mode FROM chats WHERE id = :chat), 'auto'),
                  (SELECT count(*) FROM subscriptions WHERE chat_id = :chat),
                  coalesce((SELECT {FOLLOWS_BROADLY} FROM chats WHERE id = :chat), 0),
                  (SELECT digest_hour FROM chats WHERE id = :chat)""",
        {"chat": chat_id},
    ) as cursor:
        mode, follows, broadly, hour = await cursor.fetchone()
    return DigestChoice(mode, follows, bool(broadly), hour)


async def set_alert_mode(db: aiosqlite.Connection, chat_id: int, mode: str) -> None:
    """Store the chat's choice; the chat row must exist (``subscriptions.ensure_chat``)."""
    if mode not in ALERT_MODES:
        raise ValueError(f"unknown alert mode {mode!r}")
    await write(db, "UPDATE chats SET alert_mode = ? WHERE id = ?", (mode, chat_id))


async def set_digest_hour(db: aiosqlite.Connection, chat_id: int, hour: int | None) -> None:
    """Store the hour of the chat's digest (None: BOT_ALERT_TIME); the chat row must exist."""
    if hour is not None and not 0 <= hour <= 23:
        raise ValueError(f"no such hour {hour!r}")
    await write(db, "UPDATE chats SET digest_hour = ? WHERE id = ?", (hour, chat_id))


async def earliest_digest_hour(db: aiosqlite.Connection, over: int) -> int | None:
    """The earliest hour an active chat that gets digests chose, if any chose one."""
    async with db.execute(
        f"""SELECT min(chats.digest_hour) FROM chats
            WHERE chats.active = 1 AND chats.digest_hour IS NOT NULL AND {DIGEST_CHAT}""",
        {"over": over},
    ) as cursor:
        [hour] = await cursor.fetchone()
    return hour


async def move_pending_digests(
    db: aiosqlite.Connection, chat_id: int, day: date, due_at: float
) -> int:
    """The chat's digest of ``day``, not sent yet (nor failing), is due at ``due_at`` now:
    a chat that chooses another hour after the day's run gets it at the new one."""
    cursor = await write(
        db,
        """UPDATE deliveries SET due_at = ?
           WHERE chat_id = ? AND state = 'pending' AND failing_since IS NULL
             AND alert_id IN (SELECT id FROM alerts WHERE kind = 'digest' AND on_date = ?)""",
        (due_at, chat_id, day.isoformat()),
    )
    return cursor.rowcount
