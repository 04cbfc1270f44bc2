"""What a case card says that is computed rather than stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cases.model import Case, Event, localised


@dataclass(frozen=True)
class CardFacts:
    held: bool
    days_held: int | None  # behind bars until today (held) or until release
    term_ends_on: date | None
    latest_events: list[Event]
    other_names: list[str]


def days_between(start: date, end: date) -> int:
    """Days behind bars from ``start`` to ``end``, the day of detention included."""
    return (end - start).days + 1


def card_facts(case: Case, language: str, today: date) -> CardFacts:
    shown_name = localised(case.name, language)
    days_held = None
    if case.detained_on is not None:
        end = today if case.is_held else case.released_on
        if end is not None:
            days_held = days_between(case.detained_on, end)
    newest_first = sorted(case.events, key=lambda event: event.on, reverse=True)
    other_names = [name for name in (case.name.get(lang) for lang in ("en", "be", "ru")) if name]
    return CardFacts(
        held=case.is_held,
        days_held=days_held,
        term_ends_on=case.term_ends_on(),
        latest_events=newest_first[:3],
        other_names=[name for name in dict.fromkeys(other_names) if name != shown_name],
    )
