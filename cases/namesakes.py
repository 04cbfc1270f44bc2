"""What tells namesakes apart: the facts a choice between people shows on each button.

"Ales Kavaliou, b. 1979, Homel region, held since 2021": the birth year,
the region, the status and its year come first. Where two people still read
the same, the place they are held in is added, and where even that agrees,
the end of the slug, so no two buttons of a choice ever read the same.
Telegram-free: the words are rendered by the ``namesake`` label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from cases.model import HELD_STATUSES, Case, localised


@dataclass(frozen=True, slots=True)
class Distinction:
    """The facts shown beside one person's name in a choice (None: not known or not
    needed)."""

    name: str
    born: int | None
    region: str | None
    status: str  # "held" for detained and sentenced alike: a button says "held since"
    year: int | None  # held: year of detention; released: year of release
    place: str | None = None  # the place's name, only when needed to tell apart
    tag: str | None = None  # the slug, only when nothing else tells apart


def status_year(case: Case) -> int | None:
    if case.status in HELD_STATUSES:
        detained = case.detained_known
        return detained.year if detained else None
    return case.released_on.year if case.released_on else None


def distinctions(
    cases: list[Case],
    lang: str,
    place_name: Callable[[Case], str | None],
    name_of: Callable[[Case], str] | None = None,
) -> dict[str, Distinction]:
    """Each case's distinction among ``cases`` (by slug); ``place_name`` names where a
    person is held, in ``lang``; ``name_of`` writes a name (default: as written in
    ``lang``)."""
    found = {
        case.slug: Distinction(
            name=name_of(case) if name_of else localised(case.name, lang),
            born=case.birth_year,
            region=case.region,
            status="held" if case.status in HELD_STATUSES else case.status,
            year=status_year(case),
        )
        for case in cases
    }
    by_slug = {case.slug: case for case in cases}
    for add in (
        lambda slug, shown: replace(shown, place=place_name(by_slug[slug])),
        lambda slug, shown: replace(shown, tag=slug),
    ):
        repeated = Counter(found.values())
        for slug, shown in found.items():
            if repeated[shown] > 1:
                found[slug] = add(slug, shown)
    return found
