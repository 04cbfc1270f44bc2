"""Birthday card reminders: BOT_CARD_LEAD_DAYS before a held person's birthday.

A chat asks for them on the letter view (/letter); a card posted on the
reminder's day arrives on time, censorship and all. The reminder is an alert
like any other, for those chats alone (``storage.card_reminders``), stored
once per birthday under ``card_reminder:<slug>:<birthday>``: a lead changed
between two runs never reminds twice of one birthday.

Reminders follow the calendar's rules (``alerts.calendar``): only about
someone held, a 29 February birthday falls on 28 February in other years.
A stale status holds a reminder back as it holds a calendar alert, and the
editors are asked about it that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from alerts.calendar import CalendarEvent, events_between, events_on
from cases.model import Case

KIND = "card_reminder"


def birthdays_ahead(cases: Iterable[Case], day: date, lead_days: int) -> list[CalendarEvent]:
    """The birthdays ``lead_days`` after ``day``: a reminder goes out for each on ``day``."""
    ahead = day + timedelta(days=lead_days)
    return [event for event in events_on(cases, ahead) if event.kind == "birthday"]


def reminder_key(birthday: CalendarEvent) -> str:
    return f"{KIND}:{birthday.slug}:{birthday.on.isoformat()}"


def reminder_payload(birthday: CalendarEvent, case: Case, lead_days: int) -> dict:
    # The name travels with the alert, as with calendar alerts.
    return {
        "name": case.name,
        "years": birthday.years,
        "birthday": birthday.on.isoformat(),
        "days": lead_days,
    }


def as_question(birthday: CalendarEvent, day: date, lead_days: int) -> CalendarEvent:
    """The reminder as the editors are asked about it: an event of ``day``."""
    return CalendarEvent(day, KIND, birthday.slug, years=birthday.years, days=lead_days)  # type: ignore[arg-type]


def next_reminder(case: Case, today: date, lead_days: int) -> tuple[date, date] | None:
    """(the day the next reminder comes, the birthday it is for), from today on.

    None when none will come: no birth date, or the person is not held.
    """
    start = today + timedelta(days=lead_days)
    for event in events_between([case], start, start + timedelta(days=366)):
        if event.kind == "birthday":
            return event.on - timedelta(days=lead_days), event.on
    return None
