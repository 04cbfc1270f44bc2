"""Which days the daily run owes, and what the editors are told when it cannot run them.

The daily run records the last day it finished. From that day and the clock,
``owed_days`` says (a pure function, no I/O) what is owed now:

- every day after the last one run, up to yesterday, that is at most
  BOT_CATCH_UP_DAYS before today: run late, oldest first (the bot was down
  at the alert time, or its clock jumped ahead and back);
- today, once the alert time has passed and unless it ran already;
- older missed days: never run (a birthday told a week late is no alert),
  but reported to the editors, once (``days_missed:<first>:<last>``);
- a last day after today: the clock went back. Today still runs; the log and
  the editors (``clock_back:<last day>:<today>``) are told.

Running a day twice is harmless (every alert's key is ``kind:case:date``),
so a day run when the clock was ahead finds its alerts taken when it comes
round again. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import aiosqlite

from alerts.asks import Editors
from alerts.calendar import events_between
from alerts.editors import queue_for_editors
from cases.model import Case

# The editors' report of missed days lists this many of their alerts; the rest are counted.
MISSED_SHOWN = 20


@dataclass(frozen=True)
class Owed:
    """What the daily run owes at one moment."""

    today: date
    days: tuple[date, ...] = ()  # to run now, oldest first (missed days, then today)
    missed: tuple[date, ...] = ()  # missed days too old to run: reported, never sent
    ahead: date | None = None  # the last day run, when it is after today


def owed_days(now: datetime, alert_time: time, last_day: date | None, catch_up_days: int) -> Owed:
    """What is owed at ``now`` (local time in the bot's zone) after ``last_day`` was run.

    Today is owed once the alert time has passed, unless it ran already; a
    day missed is owed at once, whatever the hour. A first run ever owes
    today alone: a new bot does not tell of days before it started.
    """
    today = now.date()
    today_owed = now.time() >= alert_time and last_day != today
    if last_day is None or last_day >= today:
        ahead = last_day if last_day is not None and last_day > today else None
        return Owed(today, (today,) if today_owed else (), ahead=ahead)
    first_missed = last_day + timedelta(days=1)
    missed = [first_missed + timedelta(days=n) for n in range((today - first_missed).days)]
    oldest_run = today - timedelta(days=catch_up_days)
    return Owed(
        today,
        days=(*(day for day in missed if day >= oldest_run), *((today,) if today_owed else ())),
        missed=tuple(day for day in missed if day < oldest_run),
    )


async def report_missed(
    db: aiosqlite.Connection,
    cases: Iterable[Case],
    missed: tuple[date, ...],
    today: date,
    catch_up_days: int,
    editors: Editors,
    now: float | None = None,
) -> int:
    """Tell the editors which days' alerts were never sent, and what they were; once."""
    first, last = missed[0], missed[-1]
    events = events_between(cases, first, last)
    names = {case.slug: case.name for case in cases}
    payload = {
        "first": first.isoformat(),
        "last": last.isoformat(),
        "catch_up_days": catch_up_days,
        "total": len(events),
        "events": [
            {
                "on": event.on.isoformat(),
                "kind": event.kind,
                "name": names.get(event.slug),
                "years": event.years,
                "days": event.days,
            }
            for event in events[:MISSED_SHOWN]
        ],
    }
    return await queue_for_editors(
        db,
        f"days_missed:{first.isoformat()}:{last.isoformat()}",
        "days_missed",
        today,
        editors=editors.ids,
        language=editors.language,
        payload=payload,
        now=now,
    )


async def report_clock_back(
    db: aiosqlite.Connection, ahead: date, today: date, editors: Editors, now: float | None = None
) -> int:
    """Tell the editors the clock went back behind the last day run; once a day."""
    return await queue_for_editors(
        db,
        f"clock_back:{ahead.isoformat()}:{today.isoformat()}",
        "clock_back",
        today,
        editors=editors.ids,
        language=editors.language,
        payload={"last_day": ahead.isoformat()},
        now=now,
    )
