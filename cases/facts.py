"""Computed about a case rather than stored: days behind bars, a status's age, a card's facts.

A card is three views of one person (``messages/templates/card*.j2``): the
card itself, what a reader needs at a glance; its timeline; and the sources
the two cite. A source is numbered only where a fact cites it, in the order
the card and then the timeline first cite it (``citation_order``), so the
three views number it alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cases.model import RELEASED_STATUSES, Case, Event, Note, Source, localised
from languages import LANGUAGES

# Notes that are advice only while someone is held: letters barred, money banned.
WHILE_HELD_NOTES = frozenset({"letters", "money"})


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


def status_age(case: Case, today: date) -> int:
    """Days since the status was last confirmed (by a source or an editor)."""
    return max(0, (today - case.status_confirmed).days)


def is_stale(case: Case, day: date, stale_days: int) -> bool:
    """The status is older than ``stale_days`` on ``day``: it may no longer be true."""
    return status_age(case, day) > stale_days


def status_check(case: Case) -> str:
    """A short fingerprint of the status an editor is asked about.

    "Still true" carries it, so a confirmation never lands on a status that
    changed after the question was asked (another editor, an import).
    """
    digest = hashlib.sha256(f"{case.status}|{case.status_as_of.isoformat()}".encode())
    return digest.hexdigest()[:8]


def stale_cases(cases: Iterable[Case], today: date, stale_days: int) -> list[Case]:
    """The cases whose status is stale today, the longest unconfirmed first."""
    stale = [case for case in cases if is_stale(case, today, stale_days)]
    return sorted(stale, key=lambda case: (case.status_confirmed, case.name["en"].casefold()))


def advice_notes(case: Case) -> list[Note]:
    """The notes that still tell a supporter what to do: all of them only while held."""
    if case.is_held:
        return list(case.notes)
    return [note for note in case.notes if note.kind not in WHILE_HELD_NOTES]


def citation_order(case: Case, held: bool, notes: list[Note], events: list[Event]) -> list[str]:
    """The ids of the sources the card and then its timeline cite, each once, first cited first.

    Top to bottom as ``card.j2`` and ``card_timeline.j2`` cite them: the
    status, the sentence, where a held person is held, the notes shown as
    advice; then the timeline's events, newest first. A source no fact cites
    is left out, and so is an id the case lists no source for.
    """
    cited = [case.status_source]
    if case.sentence is not None:
        cited.append(case.sentence.source)
    if held and case.detention is not None:
        cited.append(case.detention.source)
    cited += [note.source for note in notes]
    cited += [event.source for event in events]
    listed = {source.id for source in case.sources}
    return [source_id for source_id in dict.fromkeys(cited) if source_id in listed]


def has_timeline(case: Case) -> bool:
    """The card's timeline has something to show: a date of detention, a sentence, events."""
    return bool(case.events or case.earlier or case.sentence or case.detained_known)


@dataclass(frozen=True)
class CardFacts:
    held: bool
    free: bool  # released or in exile
    days_held: int | None  # behind bars until today (held) or until release
    term_ends_on: date | None
    timeline: list[Event]  # every event, newest first
    other_names: list[str]
    notes: list[Note]  # shown as advice
    confirmed_on: date  # when the status was last confirmed
    status_age: int  # days since then
    stale: bool  # older than the bot's BOT_STALE_DAYS
    # Held and stale: the days behind bars up to the last confirmation, the only
    # count that is a known fact.
    days_to_confirmation: int | None
    # The sources the card and its timeline cite, numbered from 1 in this order.
    cited: list[Source]

    def number(self, source_id: str) -> int | None:
        """A cited source's footnote number on the card, its timeline and its sources."""
        for number, source in enumerate(self.cited, start=1):
            if source.id == source_id:
                return number
        return None


def card_facts(case: Case, language: str, today: date, stale_days: int) -> CardFacts:
    shown_name = localised(case.name, language)
    # One way of counting days everywhere: the card and the milestone alerts agree.
    days_held = days_behind_bars(case, today)
    newest_first = sorted(case.events, key=lambda event: event.on, reverse=True)
    other_names = [name for name in (case.name.get(lang) for lang in LANGUAGES) if name]
    stale = is_stale(case, today, stale_days)
    confirmed_on = min(case.status_confirmed, today)
    notes = advice_notes(case)
    cited = citation_order(case, case.is_held, notes, newest_first)
    by_id = {source.id: source for source in case.sources}
    return CardFacts(
        held=case.is_held,
        free=case.status in RELEASED_STATUSES,
        days_held=days_held,
        term_ends_on=case.term_ends_on(),
        timeline=newest_first,
        other_names=[name for name in dict.fromkeys(other_names) if name != shown_name],
        notes=notes,
        confirmed_on=confirmed_on,
        status_age=status_age(case, today),
        stale=stale,
        days_to_confirmation=days_behind_bars(case, confirmed_on)
        if case.is_held and stale
        else None,
        cited=[by_id[source_id] for source_id in cited],
    )
