"""Calendar alerts and stale statuses: what a case change settles.

The daily run holds back a calendar alert (a birthday, an anniversary, a
milestone, an end of term) whose person's status is stale on the day
(``alerts.daily``). A change to the case settles it, inside the transaction
of the change: a status confirmed that day (an editor's "Still true", an
import restating it with a newer ``status_as_of``) lets it go out under its
own key; a person no longer held takes it, and every unsent calendar alert
about them, off the queue. Nothing here commits.
"""

from __future__ import annotations

import time
from datetime import date

import aiosqlite

from alerts.fanout import queue_alert
from alerts.kinds import CALENDAR_KINDS
from cases.facts import is_stale
from cases.model import Case
from storage import deliveries
from storage import held_alerts as held_store
from storage.cases import MergeReport


async def settle_after_merge(
    db: aiosqlite.Connection,
    report: MergeReport,
    *,
    today: date,
    stale_days: int,
    now: float | None = None,
) -> int:
    """Release, drop or keep each changed case's held alerts; return the deliveries queued."""
    now = time.time() if now is None else now
    queued = 0
    for before, after in report.changed:
        restated = (after.status, after.status_confirmed) != (
            before.status,
            before.status_confirmed,
        )
        if restated:
            # An editor asked about the old status has nothing left to answer.
            await deliveries.drop_unsent(db, after.slug, ["confirm_status"], "restated", now)
        if not after.is_held:
            # Free, or dead: no "behind bars" alert about them may still go out.
            await deliveries.drop_unsent(db, after.slug, list(CALENDAR_KINDS), "not held", now)
            for held in await held_store.waiting(db, [after.slug]):
                await held_store.settle(db, held.key, "dropped")
            continue
        queued += await release_waiting(db, after, today=today, stale_days=stale_days, now=now)
    return queued


async def release_waiting(
    db: aiosqlite.Connection,
    case: Case,
    *,
    today: date,
    stale_days: int,
    now: float | None = None,
) -> int:
    """Queue ``case``'s alerts held back today if its status is fresh now; the deliveries.

    Confirmed in time, they go out as planned, late in the day or not, each
    under its own key: a second confirmation finds them sent and queues nothing.
    """
    if not case.is_held or is_stale(case, today, stale_days):
        return 0
    queued = 0
    for held in await held_store.waiting(db, [case.slug], today):
        queued += await queue_alert(
            db,
            held.key,
            held.kind,
            held.on_date,
            slug=held.slug,
            payload=held.payload,
            now=time.time() if now is None else now,
        )
        await held_store.settle(db, held.key, "sent")
    return queued
