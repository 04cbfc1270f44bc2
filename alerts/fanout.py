"""Alert -> deliveries: store an alert once and queue it for every chat that wants it.

Nothing here commits, so the caller decides the transaction: the daily run
uses one per alert, an import puts its alerts in the import's own
transaction. Either way an alert never exists half fanned out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import aiosqlite

from alerts.kinds import CALENDAR_KINDS, kind_of
from storage import alerts as alert_store
from storage import card_reminders, deliveries, digests
from storage.db import transaction


@dataclass(frozen=True)
class DigestDay:
    """A calendar alert of the daily run: chats that get digests read it in the day's digest."""

    day: date
    over: int  # BOT_DIGEST_OVER: more people than this followed, and 'auto' means a digest


async def queue_alert(
    db: aiosqlite.Connection,
    key: str,
    kind: str,
    on_date: date,
    *,
    slug: str | None = None,
    payload: dict | None = None,
    now: float | None = None,
    digest: DigestDay | None = None,
    priority: int | None = None,
    due_at: float | None = None,
) -> int:
    """Store the alert and fan it out; return the deliveries queued (0 if the key was taken).

    With ``digest`` a calendar alert goes to the chats that take alerts one by
    one and waits in the day's digest for the others; without it, to every
    follower (a held-back alert confirmed later reaches digest chats this way).
    A kind for the chats that follow everyone (people new to the bot) goes to
    those that take alerts one by one and waits for the next daily digest.
    ``priority``: instead of the kind's (a day caught up late, ``kinds.catch_up_priority``).
    ``due_at``: not sent before then (Unix seconds; the daily run run ahead of the
    alert time, for a chat's earlier digest), else at once.
    """
    spec = kind_of(kind)
    priority = spec.priority if priority is None else priority
    alert_id = await alert_store.add_alert(
        db, key, kind, on_date, slug=slug, priority=priority, payload=payload
    )
    if alert_id is None:
        return 0
    now = time.time() if now is None else now
    if spec.audience == "reminded":
        return await card_reminders.queue_for_reminded(db, alert_id, slug, priority, now, due_at)
    if spec.audience == "everyone":
        # The digest chats read it in their next daily digest (alerts.digest).
        return await digests.fan_out_to_everyones_singles(
            db, alert_id, spec.want_column, priority, now
        )
    if spec.audience != "followers" or spec.editors:
        raise ValueError(f"{kind!r} alerts are queued for their own chats")
    if digest is not None and kind in CALENDAR_KINDS:
        return await digests.fan_out_singles(
            db,
            alert_id,
            slug,
            spec.want_column,
            priority,
            now,
            day=digest.day,
            over=digest.over,
            due_at=due_at,
        )
    return await deliveries.fan_out(db, alert_id, slug, spec.want_column, priority, now, due_at)


async def fan_out_leftovers(db: aiosqlite.Connection, now: float | None = None) -> int:
    """Fan out alerts that were stored without deliveries; return the deliveries queued."""
    queued = 0
    for alert in await alert_store.alerts_not_fanned_out(db):
        spec = kind_of(alert.kind)
        if spec.editors or spec.audience != "followers":
            # Queued for their own chats when stored; never for every follower.
            continue
        async with transaction(db):
            queued += await deliveries.fan_out(
                db,
                alert.id,
                alert.slug,
                spec.want_column,
                alert.priority,
                time.time() if now is None else now,
            )
    return queued
