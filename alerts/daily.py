"""The daily run: the calendar's events for a day become alerts, once.

Idempotent twice over: each event's key (kind:slug:date) is UNIQUE in
``alerts``, so running a day again queues nothing; and the finished day is
recorded in ``runs``, so start-up and each daily run can tell which days are
still owed (``alerts.catch_up``: the bot was down at the alert time, or its
clock was wrong) and run them, oldest first. A day run late is run as it
would have been on the day (who was held, whose status was stale), its
alerts go before today's, and their texts say which day they are about.

No alert about a person goes out on a stale status (older than
BOT_STALE_DAYS on the day): such an alert is held back in ``held_alerts``
until an editor confirms the status that day (``alerts.held``), and the
editors are asked three days ahead and on the day (``alerts.asks``). On the
review day the run also sends the editors the week's stale statuses.

Chats that follow many people get the day's calendar alerts as one digest
(``alerts.digest``), queued once every alert of the day is stored; chats that
asked for them get birthday card reminders BOT_CARD_LEAD_DAYS ahead
(``alerts.card_reminders``), under the same stale-status rule.

A day is run at the alert time, or earlier when a digest chat chose an
earlier hour (``alerts.send_times``): what it queues for subscribers is then
due at the alert time, and each digest at its chat's hour.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import groupby
from time import time as wall_clock_time

import aiosqlite

from alerts import card_reminders
from alerts.asks import ASK_AHEAD_DAYS, Editors, ask_to_confirm, weekly_review
from alerts.calendar import CalendarEvent, events_between, events_on
from alerts.catch_up import owed_days, report_clock_back, report_missed
from alerts.digest import queue_digest
from alerts.fanout import DigestDay, queue_alert
from alerts.kinds import catch_up_priority
from alerts.send_times import SendTimes, run_time, send_times
from cases.facts import is_stale
from cases.model import Case
from storage import alerts as alert_store
from storage import card_reminders as reminder_store
from storage import cases as case_store
from storage import digests as digest_store
from storage import held_alerts as held_store
from storage.db import transaction

log = logging.getLogger(__name__)

RUN_NAME = "daily_alerts"


@dataclass(frozen=True)
class StatusPolicy:
    """How old a status may be before alerts wait for an editor, and who is asked."""

    stale_days: int = 90
    editors: Editors = field(default_factory=Editors)
    review_day: int = 0  # date.weekday(): Monday


@dataclass(frozen=True)
class Audience:
    """Who gets the day's alerts how: digests for chats that follow many, card reminders."""

    digest_over: int = 3  # BOT_DIGEST_OVER
    card_lead_days: int = 14  # BOT_CARD_LEAD_DAYS


def event_payload(event: CalendarEvent, case: Case) -> dict:
    # The name travels with the alert, so it renders even if the case is gone by then.
    return {"name": case.name, "years": event.years, "days": event.days}


async def run_day(
    db: aiosqlite.Connection,
    day: date,
    now: float | None = None,
    policy: StatusPolicy | None = None,
    audience: Audience | None = None,
    today: date | None = None,
    times: SendTimes | None = None,
) -> int:
    """Queue (or hold back) every event of ``day``, ask, and record the run; return the deliveries.

    One transaction per alert rather than one for the day: fanning out to
    many chats takes a while, and a shorter write lock lets an import or the
    sender in another connection get in between. A crash part-way is safe:
    the next run skips the keys already stored (held or queued) and finishes
    the rest, and the digest, queued with the run's record, comes after them.

    ``today``, when ``day`` is before it, makes this a late run: the alerts go
    before today's (``kinds.catch_up_priority``), and the editors are not asked
    about the day's stale statuses, since a confirmation now could no longer
    let that day's alerts out (held, they expire with the next day's run).

    ``times``: when subscribers' alerts and digests are due (a run ahead of the
    alert time); None: at once. The editors' questions always go at once.
    """
    policy = policy or StatusPolicy()
    audience = audience or Audience()
    late = today is not None and day < today
    priority = catch_up_priority((today - day).days) if late else None
    digest = DigestDay(day, audience.digest_over)
    by_slug = {case.slug: case for case in await case_store.load_cases(db)}
    queued = 0
    held: dict[str, list[CalendarEvent]] = {}
    for event in events_on(by_slug.values(), day):
        async with transaction(db):
            # Read again inside the write: an editor may have confirmed the status
            # since the run began, and must not find nothing held to release.
            case = await case_store.get_case(db, event.slug) or by_slug[event.slug]
            if not case.is_held:
                continue
            if is_stale(case, day, policy.stale_days):
                payload = event_payload(event, case)
                await held_store.hold(db, event.key, event.kind, event.slug, event.on, payload)
                held.setdefault(event.slug, []).append(event)
                continue
            queued += await queue_alert(
                db,
                event.key,
                event.kind,
                event.on,
                slug=event.slug,
                payload=event_payload(event, case),
                now=now,
                digest=digest,
                priority=priority,
                due_at=times.default if times else None,
            )
    queued += await _remind(db, by_slug, day, policy, audience, held, now, today, times)
    if not late:
        for slug, events in held.items():
            async with transaction(db):
                queued += await ask_to_confirm(
                    db, by_slug[slug], events, day, "day", policy.editors, now
                )
        queued += await _ask_ahead(db, by_slug, day, policy, audience, now)
    async with transaction(db):
        # Held back on an earlier day and never confirmed that day: never sent.
        await held_store.expire_before(db, day)
        queued += await queue_digest(db, day, audience.digest_over, now, priority, times)
        if day.weekday() == policy.review_day:
            queued += await weekly_review(
                db, by_slug.values(), day, policy.stale_days, policy.editors, now
            )
        await alert_store.record_run(db, RUN_NAME, day)
    return queued


async def _remind(
    db: aiosqlite.Connection,
    by_slug: dict[str, Case],
    day: date,
    policy: StatusPolicy,
    audience: Audience,
    held: dict[str, list[CalendarEvent]],
    now: float | None,
    today: date | None = None,
    times: SendTimes | None = None,
) -> int:
    """Queue (or hold back) the card reminders due on ``day``; held ones join ``held``.

    Due on a day run late, a reminder still helps (a card posted now may be in
    time) and says how many days are left from ``today``; one for a birthday
    already come is not sent.
    """
    lead = audience.card_lead_days
    counted_from = today if today is not None and today > day else day
    reminded = [
        by_slug[slug] for slug in await reminder_store.reminded_slugs(db) if slug in by_slug
    ]
    queued = 0
    for birthday in card_reminders.birthdays_ahead(reminded, day, lead):
        if birthday.on <= counted_from:
            continue
        async with transaction(db):
            case = await case_store.get_case(db, birthday.slug) or by_slug[birthday.slug]
            if not case.is_held:
                continue
            key = card_reminders.reminder_key(birthday)
            days_left = (birthday.on - counted_from).days
            payload = card_reminders.reminder_payload(birthday, case, days_left)
            if is_stale(case, day, policy.stale_days):
                await held_store.hold(db, key, card_reminders.KIND, case.slug, day, payload)
                question = card_reminders.as_question(birthday, day, lead)
                held.setdefault(case.slug, []).append(question)
                continue
            queued += await queue_alert(
                db,
                key,
                card_reminders.KIND,
                day,
                slug=case.slug,
                payload=payload,
                now=now,
                due_at=times.default if times else None,
            )
    return queued


async def _ask_ahead(
    db: aiosqlite.Connection,
    by_slug: dict[str, Case],
    day: date,
    policy: StatusPolicy,
    audience: Audience,
    now: float | None,
) -> int:
    """Ask about the alerts of the next days that a stale status would hold back.

    The whole window rather than its last day, so a day the bot was down
    costs no question; each (case, day) is asked once (its key). Card
    reminders count as alerts of the day they are due.
    """
    first, last = day + timedelta(days=1), day + timedelta(days=ASK_AHEAD_DAYS)
    coming = [
        *events_between(by_slug.values(), first, last),
        *await _reminders_between(db, by_slug, first, last, audience.card_lead_days),
    ]
    queued = 0
    by_case_day = sorted(coming, key=lambda event: (event.slug, event.on))
    for (slug, on), events in groupby(by_case_day, key=lambda event: (event.slug, event.on)):
        case = by_slug[slug]
        if not is_stale(case, on, policy.stale_days):
            continue
        async with transaction(db):
            queued += await ask_to_confirm(db, case, list(events), on, "ahead", policy.editors, now)
    return queued


async def _reminders_between(
    db: aiosqlite.Connection, by_slug: dict[str, Case], first: date, last: date, lead: int
) -> list[CalendarEvent]:
    """The card reminders due from ``first`` to ``last``, as the questions editors are asked."""
    reminded = [
        by_slug[slug] for slug in await reminder_store.reminded_slugs(db) if slug in by_slug
    ]
    questions = []
    for offset in range((last - first).days + 1):
        due = first + timedelta(days=offset)
        for birthday in card_reminders.birthdays_ahead(reminded, due, lead):
            questions.append(card_reminders.as_question(birthday, due, lead))
    return questions


@dataclass(frozen=True)
class RunReport:
    """What one look at the clock did: the days run, and what was wrong."""

    today: date
    queued: dict[date, int] = field(default_factory=dict)  # deliveries per day run, oldest first
    missed: tuple[date, ...] = ()  # too old to run: reported to the editors
    ahead: date | None = None  # the last day run was after today: the clock went back


async def run_owed(
    db: aiosqlite.Connection,
    now: datetime,
    alert_time: time,
    catch_up_days: int,
    policy: StatusPolicy | None = None,
    audience: Audience | None = None,
    wall_now: float | None = None,
) -> RunReport:
    """Run every day owed at ``now``, oldest first; tell the editors what cannot be run.

    At start-up, at the alert time and at the digest hours before it. ``now``
    is local time in the bot's zone, so "the alert time has passed" is the
    wall-clock one the operator set, across DST changes too. Today is owed
    from the alert time, or from an earlier hour a digest chat chose; what
    its run queues is due then (``alerts.send_times``), by ``wall_now``'s
    clock (the outbox's Unix seconds; None: the system's).
    """
    policy = policy or StatusPolicy()
    audience = audience or Audience()
    wall_now = wall_clock_time() if wall_now is None else wall_now
    earliest = await digest_store.earliest_digest_hour(db, audience.digest_over)
    last_day = await alert_store.last_run_day(db, RUN_NAME)
    owed = owed_days(now, run_time(alert_time, earliest), last_day, catch_up_days)
    today = owed.today
    if owed.ahead is not None:
        log.error(
            "the clock went back: the daily alerts already ran for %s, and today is %s here; "
            "check the system clock and BOT_TIMEZONE (today's alerts run all the same)",
            owed.ahead,
            today,
        )
        async with transaction(db):
            await report_clock_back(db, owed.ahead, today, policy.editors)
    if owed.missed:
        first, last = owed.missed[0], owed.missed[-1]
        log.warning(
            "the daily alerts of %s to %s were never run and are more than BOT_CATCH_UP_DAYS "
            "(%d) days old: not sent; the editors are told",
            first,
            last,
            catch_up_days,
        )
        cases = await case_store.load_cases(db)
        async with transaction(db):
            await report_missed(db, cases, owed.missed, today, catch_up_days, policy.editors)
    queued = {}
    for day in owed.days:
        times = send_times(day, now, wall_now, alert_time)
        queued[day] = await run_day(
            db, day, wall_now, policy=policy, audience=audience, today=today, times=times
        )
    return RunReport(today, queued, owed.missed, owed.ahead)
