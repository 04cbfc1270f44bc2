"""The cases the bot serves, held in memory with their name index and places.

Lookups happen on every message, so they never touch the database: the
catalogue is rebuilt from storage at start-up and after each import. Each
case's place of detention is resolved here to its record, so a card and a
list show the place's current name and address.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from cases.facts import days_behind_bars
from cases.model import (
    HELD_STATUSES,
    RELEASED_STATUSES,
    STATUSES,
    Case,
    Place,
    attach_places,
    localised,
)
from cases.regions import is_region_word, regions_named
from cases.search import MAX_CHOICES, NameIndex, SearchResult, Unmet
from cases.spelling import fold_word, is_patronymic

# /list filters: which statuses each one shows.
STATUS_FILTERS: dict[str, frozenset[str]] = {
    "all": frozenset(),
    "held": HELD_STATUSES,
    # Everyone not held: released, in exile, or no longer alive.
    "released": frozenset(STATUSES) - HELD_STATUSES,
    "exile": frozenset({"in_exile"}),
}
SORTS = ("name", "detained")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
# Alphabetical enough for Belarusian and Russian by code point: ё with е, і with и, ў with у.
_SORT_FOLD = str.maketrans({"ё": "е", "і": "и", "ў": "у", "’": "'"})
_VIEWS_KEPT = 256


@dataclass(frozen=True, slots=True)
class ListQuery:
    """What /list shows: a status filter, optionally a region and a place, in an order."""

    status: str = "all"
    region: str = ""  # a key of cases.regions.REGIONS, or "" for every region
    place: str = ""  # a place key (see Catalogue.place_key), or "" for every place
    sort: str = "name"

    def but(self, **changes) -> ListQuery:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Narrowing:
    """What a query said besides a name: a birth year, regions."""

    name: str
    year: int | None = None
    regions: frozenset[str] = frozenset()

    def fits(self, case: Case) -> bool:
        if self.year is not None and case.birth_year != self.year:
            return False
        return not self.regions or case.region in self.regions


def _place_words(text: str) -> list[str]:
    """A place's name as words to compare: folded, without punctuation ("ИК-1" is "ик", "1")."""
    return re.findall(r"\w+", text.casefold().translate(_SORT_FOLD))


def _starts_each(wanted: list[str], words: list[str]) -> bool:
    """Every wanted word begins some word of the name (a number is whole: "1" is not "12")."""
    return all(
        any(word == part if part.isdigit() else word.startswith(part) for word in words)
        for part in wanted
    )


def name_sort_key(name: str) -> str:
    return name.casefold().translate(_SORT_FOLD)


def surname_position(
    words: list[str],
    voted: Iterable[str],
    aliases: Iterable[str] = (),
    fold: Callable[[str], tuple[str, ...]] = fold_word,
) -> int:
    """Which of a written name's ``words`` is the surname.

    An alias written "Surname First Patronymic" in the same alphabet (as the list
    of political prisoners writes full names) says it best: the word of the name
    that is its first word. Else the skeletons the name index took for the surname
    (``voted``, its ``surnames``, never a father's name); else the last word, as
    names are written "First Surname". Only what cannot be compared as written is
    folded: a list is sorted by every name of a caseload.
    """
    last = len(words) - 1
    if last < 1:
        return 0
    at = {word: position for position, word in enumerate(words)}
    for alias in aliases:
        parts = alias.split()
        if (
            len(parts) >= 3
            and parts[0] in at
            and any(is_patronymic(skeleton) for skeleton in fold(parts[-1]))
        ):
            return at[parts[0]]
    surnames = {skeleton for skeleton in voted if not is_patronymic(skeleton)}
    if not surnames:
        return last
    # The last word is the answer unless another is a surname: the others (first
    # names, which repeat) are folded first, the last only when it must be.
    others = [
        position
        for position in range(last - 1, -1, -1)
        if surnames.intersection(fold(words[position]))
    ]
    if not others or surnames.intersection(fold(words[last])):
        return last
    return others[0]


def name_in(case: Case, lang: str) -> str:
    """The name as written in ``lang``, else in English (``localised``, for the many
    names a list is sorted by)."""
    return case.name.get(lang) or case.name.get("en") or localised(case.name, lang)


def narrowing(query: str) -> Narrowing | None:
    """The query split into a name and a birth year or region, if it holds one."""
    year, regions, rest = None, frozenset(), []
    for word in query.split():
        bare = word.strip(",.;:()")
        if _YEAR.fullmatch(bare) and year is None:
            year = int(bare)
        elif named := regions_named(bare):
            regions |= named
        elif not is_region_word(bare):
            rest.append(word)
    if (year is None and not regions) or not rest:
        return None
    return Narrowing(" ".join(rest), year, regions)


class Catalogue:
    def __init__(self, cases: Iterable[Case], places: Iterable[Place] = ()) -> None:
        self.places: dict[str, Place] = {place.key: place for place in places}
        self.by_slug: dict[str, Case] = {case.slug: case for case in cases}
        attach_places(self.by_slug.values(), self.places)
        self.ordered = sorted(self.by_slug.values(), key=lambda case: case.name["en"].casefold())
        self.index = NameIndex.build(
            ((case.slug, case.all_names()) for case in self.ordered),
            genders={case.slug: case.gender for case in self.ordered if case.gender},
        )
        self._views: dict[tuple, tuple[list[Case], list[tuple]]] = {}
        # Per language: the cases whose surname is not the last word of their name
        # there (slug -> the word's position); every other name ends with it.
        self._surname_positions: dict[str, dict[str, int]] = {}
        self._place_keys: dict[str, str] = {}
        self._inline_places: dict[str, dict[str, str]] = {}  # names of places written on cases

    def __len__(self) -> int:
        return len(self.by_slug)

    def get(self, slug: str) -> Case | None:
        return self.by_slug.get(slug)

    def search(self, query: str) -> SearchResult:
        """The name index's answer, narrowed by a birth year or region typed with the name.

        "Kavaliou 1979" and "Ковалёв Гомель" search the name, then keep the
        namesakes born that year or from that region; one left opens the card,
        unless the name may not be theirs (another gender's form, another
        first name: ``SearchResult.unsure``). A name that itself looks like a
        region ("Могилевский") is found as typed: the whole query is tried first.

        When none of the people the name finds fits, the answer says so
        (``SearchResult.unmet``) and offers them all: the one they are is not
        known, so even a lone namesake is a suggestion, not a card.
        """
        whole = self.index.lookup(query)
        if whole.kind == "match":
            return whole
        narrow = narrowing(query)
        if narrow is None:
            return whole
        found = self.index.lookup(narrow.name)
        named = found.all_slugs or found.slugs or found.unsure
        if not named:
            return whole
        kept = tuple(slug for slug in named if narrow.fits(self.by_slug[slug]))
        if not kept:
            unmet = Unmet(narrow.name, narrow.year, tuple(sorted(narrow.regions)))
            if found.kind == "choose":
                return replace(found, unmet=unmet)
            return SearchResult("none", suggestions=named, unsure=named, unmet=unmet)
        unsure = tuple(slug for slug in kept if slug in found.unsure)
        if len(kept) == 1 and not unsure:
            return SearchResult("match", kept, all_slugs=kept, total=1)
        if len(kept) == 1:
            return SearchResult("none", suggestions=kept, unsure=kept)
        return SearchResult(
            "choose", kept[:MAX_CHOICES], all_slugs=kept, total=len(kept), unsure=unsure
        )

    # --- places and regions --------------------------------------------------

    def place_key(self, case: Case) -> str:
        """The place a held person is in, for lists: the record's key, or for a place
        written on the case, a key made from its English name."""
        key = self._place_keys.get(case.slug)
        if key is None:
            key = self._place_keys[case.slug] = self._place_key(case)
        return key

    def _place_key(self, case: Case) -> str:
        detention = case.detention
        if detention is None or not case.is_held:
            return ""
        if detention.place_key:
            return detention.place_key
        slug = re.sub(r"[^a-z0-9]+", "-", detention.place["en"].casefold()).strip("-")
        key = ("x-" + slug)[:40]
        self._inline_places.setdefault(key, detention.place)
        return key

    def places_named(self, text: str) -> list[str]:
        """The keys of the place records ``text`` names: a place's key, or its name in
        any language, whole ("IK-1", "Penal colony No. 1") or by the beginnings of its
        words ("colony 1", "ИК-1 Гомель"), ordered by key."""
        wanted = _place_words(text)
        if not wanted:
            return []
        whole, started = [], []
        for key, place in sorted(self.places.items()):
            names = [_place_words(key), *(_place_words(name) for name in place.name.values())]
            if any(words == wanted for words in names):
                whole.append(key)
            elif any(_starts_each(wanted, words) for words in names):
                started.append(key)
        return whole or started

    def knows_place(self, key: str) -> bool:
        """``key`` is one ``place_key`` gives (a button's data may name anything)."""
        self.place_name(key)
        return key in self.places or key in self._inline_places

    def place_name(self, key: str) -> dict[str, str]:
        """A place's name for a key ``place_key`` gave."""
        if key in self.places:
            return self.places[key].name
        if key not in self._inline_places:
            for case in self.ordered:
                self.place_key(case)  # names every place written on a case
        return self._inline_places.get(key) or {"en": key}

    # --- /list ----------------------------------------------------------------

    def filtered(self, status_filter: str) -> list[Case]:
        statuses = STATUS_FILTERS[status_filter]
        if not statuses:
            return self.ordered
        return [case for case in self.ordered if case.status in statuses]

    def count_by_status(self) -> dict[str, int]:
        """For /stats: everyone, the held, the free (and of them, those in exile), the dead."""
        statuses = [case.status for case in self.ordered]
        return {
            "all": len(statuses),
            "held": sum(status in HELD_STATUSES for status in statuses),
            "free": sum(status in RELEASED_STATUSES for status in statuses),
            "exile": statuses.count("in_exile"),
            "deceased": statuses.count("deceased"),
        }

    def _matching(self, query: ListQuery) -> list[Case]:
        statuses = STATUS_FILTERS[query.status]
        return [
            case
            for case in self.ordered
            if (not statuses or case.status in statuses)
            and (not query.region or case.region == query.region)
            and (not query.place or self.place_key(case) == query.place)
        ]

    def listing(self, query: ListQuery, lang: str, today: date) -> list[Case]:
        """The cases ``query`` selects, in its order, names in ``lang`` (the days held
        counted to ``today``); kept for reuse."""
        return self._view(query, lang, today)[0]

    def _view(self, query: ListQuery, lang: str, today: date) -> tuple[list[Case], list[tuple]]:
        key = (query, lang, today if query.sort == "detained" else None)
        view = self._views.get(key)
        if view is None:
            if len(self._views) >= _VIEWS_KEPT:
                self._views.clear()
            keyed = sorted(
                (self.sort_key(case, query.sort, lang, today), case)
                for case in self._matching(query)
            )
            view = self._views[key] = ([case for _, case in keyed], [k for k, _ in keyed])
        return view

    def name_parts(self, case: Case, lang: str) -> tuple[str, str]:
        """(surname, the rest of the name) as the name is written in ``lang`` (else in
        English): "Ales Bialiatski" is ("Bialiatski", "Ales")."""
        positions = self._surname_positions.get(lang)
        if positions is None:
            positions = self._surname_positions[lang] = self._find_surnames(lang)
        words = name_in(case, lang).split()
        if not words:
            return "", ""
        at = positions.get(case.slug, len(words) - 1)
        return words[at], " ".join(words[:at] + words[at + 1 :])

    def _find_surnames(self, lang: str) -> dict[str, int]:
        """The names in ``lang`` whose surname is not their last word (by the aliases
        that carry a father's name, and the name index's votes: ``surname_position``)."""
        found = {}
        folded: dict[str, tuple[str, ...]] = {}  # first names and common surnames repeat

        def fold(word: str) -> tuple[str, ...]:
            skeletons = folded.get(word)
            if skeletons is None:
                skeletons = folded[word] = fold_word(word)
            return skeletons

        for slug, voted in self.index.surnames():
            case = self.by_slug[slug]
            if not voted and not case.aliases:
                continue
            words = name_in(case, lang).split()
            position = surname_position(words, voted, case.aliases, fold)
            if position != len(words) - 1:
                found[slug] = position
        return found

    def sort_key(self, case: Case, sort: str, lang: str, today: date) -> tuple:
        """By surname, then the rest of the name; or longest held first: the held by
        their days behind bars as of ``today``, then those no longer held by the days
        they were held, then those whose days are not known, each by name."""
        surname, rest = self.name_parts(case, lang)
        name = (name_sort_key(surname), name_sort_key(rest), case.slug)
        if sort == "detained":
            days = days_behind_bars(case, today)
            group = 2 if days is None else 0 if case.is_held else 1
            return (group, -(days or 0), *name)
        return name

    def position(self, query: ListQuery, lang: str, anchor: Case | None, today: date) -> int:
        """Where ``anchor`` is (or would be) in ``query``'s list: how a page keeps its
        place when a filter or the order changes."""
        cases, keys = self._view(query, lang, today)
        if anchor is None or not cases:
            return 0
        key = self.sort_key(anchor, query.sort, lang, today)
        return min(bisect_left(keys, key), len(cases) - 1)

    def namesakes(self, query: ListQuery, lang: str, cases: Iterable[Case]) -> list[Case]:
        """The people of ``query``'s list whose names in ``lang`` read like those of
        ``cases`` (themselves included): found beside each other in the order by name,
        so a page's namesakes cost their number, not the list's length."""
        everyone, keys = self._view(query.but(sort="name"), lang, date.min)
        found: dict[str, Case] = {}
        for case in cases:
            name = self.sort_key(case, "name", lang, date.min)[:2]
            at = bisect_left(keys, name)
            while at < len(keys) and keys[at][:2] == name:
                found.setdefault(everyone[at].slug, everyone[at])
                at += 1
        return list(found.values())

    def counts(self, query: ListQuery, facet: str) -> Counter[str]:
        """How many cases each value of ``facet`` ("status", "region", "place") would
        show with the rest of ``query`` kept."""
        others = self._matching(query.but(**{facet: "all" if facet == "status" else ""}))
        if facet == "status":
            return Counter(
                name
                for case in others
                for name, statuses in STATUS_FILTERS.items()
                if not statuses or case.status in statuses
            )
        if facet == "region":
            return Counter(case.region for case in others if case.region)
        return Counter(key for case in others if (key := self.place_key(case)))

    def letters(self, query: ListQuery, lang: str, today: date) -> list[tuple[str, int]]:
        """Each first letter of the surnames ``query`` lists, with the position of its
        first."""
        first: dict[str, int] = {}
        for position, case in enumerate(self.listing(query, lang, today)):
            letter = self.name_parts(case, lang)[0][:1].upper()
            first.setdefault(letter, position)
        return list(first.items())
