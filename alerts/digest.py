"""The daily digest: a chat's calendar alerts of the day in one message.

A chat that follows everyone, or more than BOT_DIGEST_OVER people (or chose
it in /settings), gets the day's birthdays (with where to send a card),
anniversaries, milestones and ends of term as one digest at the alert time,
split cleanly at 4096 characters when long. The digest is an alert like any
other: stored once under ``digest:<day>``, one delivery per chat, with the
outbox's guarantees (exactly once, crash recovery).

The daily run stores the day's calendar alerts first (each marked with its
digest day, sent one by one only to the other chats), then the digest. An
alert held back for a stale status is not among them: its person is left out
and the editors are asked, as for single alerts; confirmed later, it goes to
every follower on its own, digest chats included, once (its own key).

The digest is written at send time in the chat's language, from the stored
items the chat follows and wants; a person freed since the run is left out.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import date

import aiosqlite

from alerts.kinds import CALENDAR_KINDS, kind_of
from alerts.texts import with_dates
from cases.model import Case, localised
from messages.render import Messages
from storage import alerts as alert_store
from storage import digests
from storage.deliveries import Delivery

# Which chat setting switches each kind off, as single alerts have it.
KIND_COLUMNS = {kind: kind_of(kind).want_column for kind in CALENDAR_KINDS}
# Birthdays first (a card must be posted), then anniversaries, milestones, ends of term.
ORDER = (
    "birthday",
    "detention_anniversary",
    "sentence_anniversary",
    "days_milestone",
    "term_end",
)


def digest_key(day: date) -> str:
    return f"digest:{day.isoformat()}"


async def queue_digest(
    db: aiosqlite.Connection,
    day: date,
    over: int,
    now: float | None = None,
    priority: int | None = None,
) -> int:
    """Store ``day``'s digest once and queue it for each digest chat it has news for.

    After the day's calendar alerts, inside a transaction. The key makes a
    second run of the day queue nothing. ``priority``: as ``fanout.queue_alert``.
    """
    spec = kind_of("digest")
    priority = spec.priority if priority is None else priority
    alert_id = await alert_store.add_alert(
        db, digest_key(day), "digest", day, priority=priority, payload={}
    )
    if alert_id is None:
        return 0
    return await digests.fan_out_digest(
        db,
        alert_id,
        day,
        priority,
        time.time() if now is None else now,
        over=over,
        kind_columns=KIND_COLUMNS,
    )


async def digest_parts(
    messages: Messages,
    db: aiosqlite.Connection,
    delivery: Delivery,
    case_of: Callable[[str], Awaitable[Case | None]],
    today: date | None = None,
) -> list[str]:
    """The digest for this delivery's chat, as Telegram HTML parts of at most 4096 characters.

    Empty when nothing is left to say (everyone in it was freed since the run).
    ``today``: the day it is sent; a digest of an earlier day says which (as
    ``alerts.texts.alert_parts``).
    """
    lang = delivery.language
    groups: dict[str, list[dict]] = {kind: [] for kind in ORDER}
    items = await digests.digest_items(db, delivery.chat_id, delivery.on_date, KIND_COLUMNS)
    for item in items:
        case = await case_of(item.slug) if item.slug else None
        if case is not None and not case.is_held:
            continue  # freed since the run: no "behind bars" news about them
        payload = with_dates(item.payload)
        name = localised(case.name if case else payload.get("name"), lang)
        groups[item.kind].append({"name": name, "case": case, "payload": payload})
    filled = [
        (kind, sorted(entries, key=lambda entry: entry["name"].casefold()))
        for kind, entries in groups.items()
        if entries
    ]
    if not filled:
        return []
    total = sum(len(entries) for _, entries in filled)
    return messages.parts(
        "alert_digest",
        lang,
        on_date=delivery.on_date,
        today=today or delivery.on_date,
        groups=filled,
        total=total,
    )
