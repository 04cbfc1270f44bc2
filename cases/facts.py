"""What is computed about a case rather than stored: days behind bars, a card's facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cases.model import Case, Event, localised
from languages import LANGUAGES


def days_behind_bars(case: Case, today: date) -> int | None:
    """Whole days from detention to release (or ``today``); arrest day is 0.

    None when unknown or meaningless: no detention date, ``today`` before
    detention, or a case no longer held whose release date is not recorded
    (counting to ``today`` would overstate the time of someone released or
    dead).
    """
    if case.detained_on is None or today < case.detained_on:
        return None
    if case.is_held:
        # A held person's released_on can only be a release before this
        # detention, so the count runs to today.
        end = today
    elif case.released_on is not None and case.released_on >= case.detained_on:
        end = min(case.released_on, today)
    else:
        return None
    return (end - case.detained_on).days


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
