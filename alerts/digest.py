"""The daily digest: a chat's calendar alerts of the day in one message.

A chat that follows everyone, or more than BOT_DIGEST_OVER people (or chose
it in /settings), gets the day's birthdays (with where to send a card),
anniversaries, milestones and ends of term as one digest at the alert time
(or at the hour it chose in /settings), split cleanly at 4096 characters
when long. The digest is an alert like any
other: stored once under ``digest:<day>``, one delivery per chat, with the
outbox's guarantees (exactly once, crash recovery).

The daily run stores the day's calendar alerts first (each marked with its
digest day, sent one by one only to the other chats), then the digest. An
alert held back for a stale status is not among them: its person is left out
and the editors are asked, as for single alerts; confirmed later, it goes to
every follower on its own, digest chats included, once (its own key).

A chat that follows everyone reads there, too, of the people new to the bot
since the last digest (``new_person`` alerts, claimed by the run: they went
at once only to the chats that take alerts one by one), with buttons that
open their cards.

The digest is written at send time in the chat's language, from the stored
items the chat follows and wants; a person freed since the run is left out.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import date

import aiosqlite

from alerts.kinds import CALENDAR_KINDS, NEWCOMER_KINDS, kind_of
from alerts.send_times import SendTimes
from alerts.texts import (
    Composed,
    Reader,
    deep_link,
    letter_of,
    linked_entries,
    newcomer_entries,
    newcomer_keyboard,
    with_dates,
)
from cases.citations import status_citations
from cases.letters import LetterGuide
from cases.model import Case, localised
from messages.render import Messages
from storage import alerts as alert_store
from storage import digests
from storage.deliveries import Delivery

# Which chat setting switches each kind off, as single alerts have it.
KIND_COLUMNS = {kind: kind_of(kind).want_column for kind in (*CALENDAR_KINDS, *NEWCOMER_KINDS)}
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


async def newcomers_named(db: aiosqlite.Connection, alert_id: int) -> list[dict] | None:
    """The people new to the bot an alert names (a digest: all that its day's digest
    listed), as stored; None when the alert is of another kind, or there is none."""
    alert = await alert_store.get_alert(db, alert_id)
    if alert is None:
        return None
    if alert.kind in NEWCOMER_KINDS:
        return alert.payload["people"]
    if alert.kind != "digest":
        return None
    people: dict[str, dict] = {}
    for item in await digests.items_of_kinds(db, alert.on_date, NEWCOMER_KINDS):
        for person in item.payload["people"]:
            people.setdefault(person["slug"], person)
    return list(people.values())


async def queue_digest(
    db: aiosqlite.Connection,
    day: date,
    over: int,
    now: float | None = None,
    priority: int | None = None,
    times: SendTimes | None = None,
) -> int:
    """Store ``day``'s digest once and queue it for each digest chat it has news for.

    After the day's calendar alerts, inside a transaction. The key makes a
    second run of the day queue nothing. ``priority``: as ``fanout.queue_alert``.
    ``times``: each chat's delivery is due at its hour (``alerts.send_times``);
    None: at once.
    """
    spec = kind_of("digest")
    priority = spec.priority if priority is None else priority
    alert_id = await alert_store.add_alert(
        db, digest_key(day), "digest", day, priority=priority, payload={}
    )
    if alert_id is None:
        return 0
    await digests.claim_newcomers(db, day, NEWCOMER_KINDS)
    return await digests.fan_out_digest(
        db,
        alert_id,
        day,
        priority,
        time.time() if now is None else now,
        over=over,
        kind_columns=KIND_COLUMNS,
        due_at=times.default if times else None,
        hours=times.hours if times else None,
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
    return (await compose_digest(messages, db, delivery, case_of, today)).parts


async def compose_digest(
    messages: Messages,
    db: aiosqlite.Connection,
    delivery: Delivery,
    case_of: Callable[[str], Awaitable[Case | None]],
    today: date | None = None,
    reader: Reader | None = None,
    letters: LetterGuide | None = None,
) -> Composed:
    """The digest for this delivery's chat, and under it buttons that open the cards of
    the people new to the bot it lists (``texts.newcomer_keyboard``).

    A digest names many people and has no button for each: every name links to
    the person's card in the reader's own chat (a deep link), in a private chat
    as in a channel, and each date cites the source of the person's status. A
    birthday gives the envelope (name and address) of someone who may be
    written to (``cases.letters.letter_for``), else the address as known.
    """
    lang = delivery.language
    reader = reader or Reader()
    today = today or delivery.on_date
    groups: dict[str, list[dict]] = {kind: [] for kind in ORDER}
    people: dict[str, dict] = {}
    items = await digests.digest_items(db, delivery.chat_id, delivery.on_date, KIND_COLUMNS)
    for item in items:
        if item.kind in NEWCOMER_KINDS:
            for person in item.payload["people"]:
                people.setdefault(person["slug"], person)
            continue
        case = await case_of(item.slug) if item.slug else None
        if case is not None and not case.is_held:
            continue  # freed since the run: no "behind bars" news about them
        payload = with_dates(item.payload)
        name = localised(case.name if case else payload.get("name"), lang)
        letter = letter_of(case, letters, today, reader) if item.kind == "birthday" else None
        groups[item.kind].append(
            {
                "name": name,
                "case": case,
                "payload": payload,
                "url": deep_link(reader.bot_username, case.slug) if case else None,
                "sources": with_dates(status_citations(case)) if case else [],
                "letter": letter,
            }
        )
    for slug in list(people):
        case = await case_of(slug)
        if case is not None and not case.is_held:
            del people[slug]  # freed (or dead) since it was added: no longer news
    filled = [
        (kind, sorted(entries, key=lambda entry: entry["name"].casefold()))
        for kind, entries in groups.items()
        if entries
    ]
    if not filled and not people:
        return Composed([])
    newcomers = newcomer_entries(list(people.values()), lang)
    total = sum(len(entries) for _, entries in filled)
    parts = messages.parts(
        "alert_digest",
        lang,
        on_date=delivery.on_date,
        today=today,
        groups=filled,
        total=total,
        newcomers=linked_entries(newcomers, reader.bot_username),
        public=not delivery.in_private,
    )
    username = reader.bot_username
    keyboard = newcomer_keyboard(messages, lang, newcomers, delivery.alert_id, username)
    return Composed(parts, keyboard)
