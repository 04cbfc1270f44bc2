"""The daily run: the calendar's events for today become alerts, once.

Idempotent twice over: each event's key (kind:slug:date) is UNIQUE in
``alerts``, so running a day again queues nothing; and the finished day is
recorded in ``runs``, so start-up can tell whether today's run is still owed
(the bot was down at the alert time) and catch up.
"""

from __future__ import annotations

from datetime import date, datetime, time

import aiosqlite

from alerts.calendar import CalendarEvent, events_on
from alerts.fanout import queue_alert
from cases.model import Case
from storage import alerts as alert_store
from storage import cases as case_store
from storage.db import transaction

RUN_NAME = "daily_alerts"


def event_payload(event: CalendarEvent, case: Case) -> dict:
    # The name travels with the alert, so it renders even if the case is gone by then.
    return {"name": case.name, "years": event.years, "days": event.days}


def is_due(now: datetime, alert_time: time, last_day: date | None) -> bool:
    """Today's run is owed: the alert time has passed and today is not recorded yet.

    ``now`` is local time in the bot's time zone, so the comparison is the
    wall-clock one the operator configured, across DST changes too.
    """
    today = now.date()
    already_ran = last_day is not None and last_day >= today
    return not already_ran and now.time() >= alert_time


async def run_day(db: aiosqlite.Connection, day: date, now: float | None = None) -> int:
    """Queue every event of ``day`` and record the run; return the deliveries queued.

    One transaction per alert rather than one for the day: fanning out to
    many chats takes a while, and a shorter write lock lets an import or the
    sender in another connection get in between. A crash part-way is safe:
    the next run skips the keys already stored and finishes the rest.
    """
    by_slug = {case.slug: case for case in await case_store.load_cases(db)}
    queued = 0
    for event in events_on(by_slug.values(), day):
        async with transaction(db):
            queued += await queue_alert(
                db,
                event.key,
                event.kind,
                event.on,
                slug=event.slug,
                payload=event_payload(event, by_slug[event.slug]),
                now=now,
            )
    async with transaction(db):
        await alert_store.record_run(db, RUN_NAME, day)
    return queued


async def run_if_due(db: aiosqlite.Connection, now: datetime, alert_time: time) -> int | None:
    """Run today if it is owed; None when it was not (too early, or done already)."""
    if not is_due(now, alert_time, await alert_store.last_run_day(db, RUN_NAME)):
        return None
    return await run_day(db, now.date())
