"""What a case card says that is computed rather than stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from alerts.calendar import days_behind_bars
from cases.model import Case, Event, localised
from languages import LANGUAGES


@dataclass(frozen=True)
class CardFacts:
    held: bool
    days_held: int | None  # behind bars until today (held) or until release
    term_ends_on: date | None
    latest_events: list[Event]
    other_names: list[str]


def card_facts(case: Case, language: str, today: date) -> CardFacts:
    shown_name = localised(case.name, language)
    # One way of counting days everywhere: the card and the milestone alerts agree.
    days_held = days_behind_bars(case, today)
    newest_first = sorted(case.events, key=lambda event: event.on, reverse=True)
    other_names = [name for name in (case.name.get(lang) for lang in LANGUAGES) if name]
    return CardFacts(
        held=case.is_held,
        days_held=days_held,
        term_ends_on=case.term_ends_on(),
        latest_events=newest_first[:3],
        other_names=[name for name in dict.fromkeys(other_names) if name != shown_name],
    )
