"""The calendar: which events about held defenders fall on a given day.

Pure functions over ``Case`` data and a date; no clock, no I/O, so the daily
alert job and ``/upcoming`` ask the same questions and get the same answers.

Conventions, decided once here so every caller agrees:

- "Held on a day" means the case's current status is a held one
  (``Case.is_held``) and the day is not before ``detained_on`` (when known).
  The status is the only sourced fact about custody, so a released,
  exiled or deceased person gets nothing at all: no anniversaries,
  birthdays, milestones or term end, even for past days.
- Days behind bars are counted as ``cases.facts.days_behind_bars`` counts
  them, so the card and the milestones agree: milestone ``N`` falls on
  ``detained_on + N days``, the day ``days_behind_bars`` first returns ``N``.
- A date of 29 February (birth, detention, sentencing) is marked on
  28 February in non-leap years, so the date is not skipped for three
  years out of four.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from cases.model import Case

EventKind = Literal[
    "detention_anniversary",
    "sentence_anniversary",
    "days_milestone",
    "birthday",
    "term_end",
]

# Every this many days behind bars is worth a word to subscribers.
MILESTONE_EVERY = 500


@dataclass(frozen=True, order=True)
class CalendarEvent:
    on: date
    kind: EventKind
    slug: str
    years: int | None = None  # anniversaries: years since; birthday: the age reached
    days: int | None = None  # days_milestone: days behind bars (500, 1000, ...)

    @property
    def key(self) -> str:
        """Idempotency key: the sender must never send the same event twice."""
        return f"{self.kind}:{self.slug}:{self.on.isoformat()}"


def events_on(cases: Iterable[Case], day: date) -> list[CalendarEvent]:
    """Events falling on ``day``, sorted by (on, kind, slug).

    This is the definition, checked day by day; ``events_between`` computes
    a range directly and the tests hold the two to the same answers.
    """
    found: list[CalendarEvent] = []
    for case in cases:
        if not _held_on(case, day):
            continue
        for kind, origin in _yearly_origins(case):
            years = day.year - origin.year
            if years >= 1 and _anniversary_in(origin, day.year) == day:
                found.append(CalendarEvent(day, kind, case.slug, years=years))
        if case.detained_on is not None:
            days = (day - case.detained_on).days
            if days > 0 and days % MILESTONE_EVERY == 0:
                found.append(CalendarEvent(day, "days_milestone", case.slug, days=days))
        if case.term_ends_on() == day:
            found.append(CalendarEvent(day, "term_end", case.slug))
    return _unique_sorted(found)


def events_between(cases: Iterable[Case], start: date, end: date) -> list[CalendarEvent]:
    """Events from ``start`` to ``end`` inclusive, sorted by (on, kind, slug).

    Each case costs a few date computations per year in the range rather
    than one check per day, so a month ahead over many cases stays cheap.
    """
    if start > end:
        return []
    found: list[CalendarEvent] = []
    for case in cases:
        # Held-ness depends on the day only through detained_on, which
        # _held_on checks per event; a case not held now has no events.
        if not case.is_held:
            continue
        found.extend(_case_events_between(case, start, end))
    return _unique_sorted(found)


def _case_events_between(case: Case, start: date, end: date) -> Iterator[CalendarEvent]:
    for kind, origin in _yearly_origins(case):
        # Year origin.year + 1 is the first anniversary (years >= 1).
        for year in range(max(start.year, origin.year + 1), end.year + 1):
            on = _anniversary_in(origin, year)
            if start <= on <= end and _held_on(case, on):
                yield CalendarEvent(on, kind, case.slug, years=year - origin.year)
    if case.detained_on is not None:
        # First multiple of MILESTONE_EVERY days (at least one) not before start.
        days_at_start = (start - case.detained_on).days
        count = max(1, -(-days_at_start // MILESTONE_EVERY))
        on = case.detained_on + timedelta(days=count * MILESTONE_EVERY)
        while on <= end:
            yield CalendarEvent(on, "days_milestone", case.slug, days=count * MILESTONE_EVERY)
            count += 1
            on = case.detained_on + timedelta(days=count * MILESTONE_EVERY)
    term_end = case.term_ends_on()
    if term_end is not None and start <= term_end <= end and _held_on(case, term_end):
        yield CalendarEvent(term_end, "term_end", case.slug)


def _held_on(case: Case, day: date) -> bool:
    # Before the arrest nobody is behind bars: no birthday card to a prison,
    # no "years since sentencing" for a verdict passed in absentia.
    return case.is_held and (case.detained_on is None or case.detained_on <= day)


def _yearly_origins(case: Case) -> Iterator[tuple[EventKind, date]]:
    if case.detained_on is not None:
        yield "detention_anniversary", case.detained_on
    if case.sentence is not None:
        yield "sentence_anniversary", case.sentence.sentenced_on
    if case.birth_date is not None:
        yield "birthday", case.birth_date


def _anniversary_in(origin: date, year: int) -> date:
    """The day in ``year`` that marks ``origin``; 29 Feb falls back to 28 Feb."""
    try:
        return origin.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def _unique_sorted(events: list[CalendarEvent]) -> list[CalendarEvent]:
    # Slugs are the cases' merge key, so a repeated key means the same case
    # was passed twice: keep one, since the key is what deduplicates sends.
    by_key: dict[str, CalendarEvent] = {}
    for event in events:
        by_key.setdefault(event.key, event)
    return sorted(by_key.values())
