"""The list against the cases: which case is which person, and what changed.

``reconcile(people, cases, places)`` links each case to a person on the list
and proposes every difference as a ``Proposal`` of one kind:

- ``new``: someone the list holds as a political prisoner now, who is in no case;
- ``released``: held in the case, freed on the list;
- ``re_arrested``: free in the case, held on the list in a detention the case
  does not know (a later arrest, or records it has never seen);
- ``died``; ``moved`` (another place of detention); ``sentenced`` (a verdict
  for someone held without one); ``sentence_changed`` (another term);
- ``corrected``: a birth date or a name the list writes differently;
- ``place_address``: a stored place whose address the list writes differently
  (one change for everyone held there);
- ``confirmed``: nothing of note changed: the list confirms the status as of
  its date, as an editor's "Still true" does;
- ``gone``, ``unrecognised``, ``disagrees``, ``question``: for editors to see,
  never applied by the bot: a linked person no longer on the list, or no
  longer recognised; the list holds someone the case says is free without
  any new arrest; or a case and a person that may be one and the same.

Linking: a case linked before (``Case.list_person``) is that person. A case
not linked yet (the bundled cases, a case added by hand) is linked by name
through the bot's own name search *and* by birth date: only where exactly
one case fits the person, the person is the only one who fits that case, and
both birth dates are known and agree. Two namesakes are never merged on a
name alone; anything less certain is a ``question``.

Pure: what each kind does to a case is ``sync.changes``; storing, applying and
alerting are the callers'.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from cases.dates import PartialDate
from cases.model import RELEASED_STATUSES, Case, Place
from cases.search import NameIndex
from cases.spelling import normalise
from sync.changes import sentence_known
from sync.listed import DEAD, FREE, HELD, UNRECOGNISED, ListedPerson, ListedPlace
from sync.places import place_key

# Applied by ``sync --apply`` and by an editor's "Apply all"; the others only shown.
APPLICABLE = (
    "new",
    "released",
    "re_arrested",
    "died",
    "moved",
    "sentenced",
    "sentence_changed",
    "corrected",
    "place_address",
    "confirmed",
)
SHOWN_ONLY = ("question", "disagrees", "unrecognised", "gone")
KINDS = APPLICABLE + SHOWN_ONLY


@dataclass(frozen=True)
class Proposal:
    kind: str
    person: str  # the person's key on the list ("" for a place's address)
    slug: str | None  # the case it changes (None: new, or a place's address)
    # What the change is made from: the person as the list gives them (to_dict), and
    # for place_address the place's key and its address as the list writes it.
    facts: dict
    what: str  # one line, in English, for the command line and the audit
    candidates: tuple[str, ...] = ()  # question: the cases that may be this person
    place: str | None = None  # moved / place_address: the stored place's key, if known
    # confirmed: the export's date. The same facts read again a week later confirm the
    # status again, so they are a new change.
    dated: str | None = None

    @property
    def key(self) -> str:
        """Same change, same key: a second read of the same export proposes nothing new."""
        material = json.dumps(
            [
                self.kind,
                self.person,
                self.slug,
                self.facts,
                self.place,
                list(self.candidates),
                self.dated,
            ],
            sort_keys=True,
            ensure_ascii=False,
        )
        return f"{self.kind}:{hashlib.sha256(material.encode()).hexdigest()[:20]}"


@dataclass
class Reconciliation:
    proposals: list[Proposal] = field(default_factory=list)
    linked: int = 0  # people matched to a case (before or by name now)

    def by_kind(self) -> dict[str, list[Proposal]]:
        grouped: dict[str, list[Proposal]] = {kind: [] for kind in KINDS}
        for proposal in self.proposals:
            grouped[proposal.kind].append(proposal)
        return {kind: found for kind, found in grouped.items() if found}


def reconcile(
    people: Iterable[ListedPerson],
    cases: Iterable[Case],
    places: Iterable[Place] = (),
    as_of: date | None = None,
) -> Reconciliation:
    """Everything the list (``people``, as of ``as_of``) proposes to change in ``cases``."""
    people = list(people)
    cases = list(cases)
    places_by_name = _places_by_name(places)
    linked_cases = {case.list_person: case for case in cases if case.list_person}
    result = Reconciliation()
    # A person linked to a case already is nobody else's: only the others are looked up.
    unlinked_people = [person for person in people if person.key not in linked_cases]
    links, questions = _links_by_name(unlinked_people, [c for c in cases if not c.list_person])
    listed_keys = set()
    seen_places: dict[str, Proposal] = {}
    for person in people:
        listed_keys.add(person.key)
        case = linked_cases.get(person.key) or links.get(person.key)
        if person.key in questions:
            candidates = questions[person.key]
            result.proposals.append(
                Proposal(
                    "question",
                    person.key,
                    None,
                    person.to_dict(),
                    f"{_name(person)}: may be {', '.join(candidates)}; an editor decides",
                    candidates=tuple(candidates),
                )
            )
            continue
        if case is None:
            if person.status == HELD:
                result.proposals.append(
                    Proposal("new", person.key, None, person.to_dict(), _new_what(person))
                )
            continue
        result.linked += 1
        for proposal in _differences(case, person, places_by_name):
            if proposal.kind == "confirmed" and as_of is not None:
                if case.status_confirmed >= as_of and case.list_person == person.key:
                    continue  # confirmed as of this export already (or later)
                proposal = replace(proposal, dated=as_of.isoformat())
            result.proposals.append(proposal)
        current = person.current
        if current and current.place and person.status == HELD:
            address = _address_change(current.place, places_by_name)
            if address is not None and address.place not in seen_places:
                seen_places[address.place] = address
                result.proposals.append(address)
    for key, case in linked_cases.items():
        if key not in listed_keys:
            result.proposals.append(
                Proposal("gone", key, case.slug, {"key": key}, "no longer on the list")
            )
    return result


# --- linking by name and birth date -------------------------------------------------


def _links_by_name(
    people: list[ListedPerson], unlinked: list[Case]
) -> tuple[dict[str, Case], dict[str, list[str]]]:
    """Person key -> the one unlinked case that is surely them; and the uncertain ones.

    Each unlinked case's names are looked up among the people of the list (the
    bot's own name search, over an index of their names): usually a handful of
    cases against thousands of people, so thousands of searches are never run.
    """
    if not unlinked:
        return {}, {}
    # Someone the list does not recognise is linked to no case: not a political prisoner.
    people = [person for person in people if person.status != UNRECOGNISED]
    people_by_key = {person.key: person for person in people}
    index = NameIndex.build(
        ((person.key, [*person.names.values(), *person.shown_names.values()]) for person in people),
        # A sister's name never finds her brother on the list, nor the reverse.
        genders={person.key: person.gender for person in people if person.gender},
        suggest=False,
    )
    fits: defaultdict[str, set[str]] = defaultdict(set)  # person -> cases that find them
    found_by: dict[str, set[str]] = {}  # case -> people it finds
    for case in unlinked:
        found: set[str] = set()
        # Spellings that fold to the same letters are one search.
        for name in {tuple(normalise(name)): name for name in case.all_names()}.values():
            result = index.lookup(name)
            if result.kind in ("match", "choose"):
                found.update(result.all_slugs or result.slugs)
        # A gender or a birth date the case and the list both know, and disagree on,
        # is another person's.
        found = {
            key
            for key in found
            if _gender_fits(case, people_by_key[key]) and _birth_fits(case, people_by_key[key])
        }
        found_by[case.slug] = found
        for key in found:
            fits[key].add(case.slug)
    by_slug = {case.slug: case for case in unlinked}
    links: dict[str, Case] = {}
    questions: dict[str, list[str]] = {}
    for key, slugs in fits.items():
        slug = next(iter(slugs))
        sure = (
            len(slugs) == 1
            and found_by[slug] == {key}
            and _same_birth(by_slug[slug], people_by_key[key])
        )
        if sure:
            links[key] = by_slug[slug]
        else:
            questions[key] = sorted(slugs)
    return links, questions


def _birth_fits(case: Case, person: ListedPerson) -> bool:
    """Not contradicted: unknown on either side, or agreeing as far as both go."""
    known = PartialDate.of(case.birth_date) if case.birth_date else case.born_in
    return known is None or person.birth_date is None or _same_birth(case, person)


def _same_birth(case: Case, person: ListedPerson) -> bool:
    """Both birth dates known and agreeing as far as both go (1962 agrees with 25.09.1962)."""
    listed = person.birth_date
    known = PartialDate.of(case.birth_date) if case.birth_date else case.born_in
    if listed is None or known is None:
        return False
    depth = min(_depth(listed), _depth(known))
    return listed.sort_key[:depth] == known.sort_key[:depth]


def _depth(day: PartialDate) -> int:
    return {"year": 1, "month": 2, "day": 3}[day.precision]


def _gender_fits(case: Case, person: ListedPerson) -> bool:
    return case.gender is None or person.gender is None or case.gender == person.gender


# --- differences between a linked case and its person --------------------------------


def _differences(
    case: Case, person: ListedPerson, places_by_name: dict[str, Place]
) -> list[Proposal]:
    facts = person.to_dict()
    found: list[Proposal] = []

    def propose(kind: str, what: str, place: str | None = None) -> None:
        found.append(Proposal(kind, person.key, case.slug, facts, what, place=place))

    current = person.current
    if person.status == UNRECOGNISED:
        propose("unrecognised", "no longer recognised as a political prisoner on the list")
        return found
    if person.status == DEAD:
        if case.status != "deceased":
            propose("died", f"{case.status} -> deceased" + _on(person.died_on))
        return found + _corrections(case, person, facts)
    if case.status == "deceased":
        return found + _corrections(case, person, facts)
    if person.status == HELD and current is not None:
        if case.is_held:
            found += _held_changes(case, person, current, places_by_name)
        elif _is_new_detention(case, current):
            propose("re_arrested", f"{case.status} -> detained" + _on(current.arrested_on))
        else:
            propose(
                "disagrees",
                f"the case says {case.status}, the list holds the person (no new arrest)",
            )
    elif person.status == FREE:
        if case.is_held:
            released_on = current.released_on if current else None
            propose("released", f"{case.status} -> released" + _on(released_on))
        elif case.status in RELEASED_STATUSES:
            propose("confirmed", f"{case.status}, as the list has it")
    found += _corrections(case, person, facts)
    return found


def _held_changes(
    case: Case, person: ListedPerson, current, places_by_name: dict[str, Place]
) -> list[Proposal]:
    facts = person.to_dict()
    found: list[Proposal] = []

    def propose(kind: str, what: str, place: str | None = None) -> None:
        found.append(Proposal(kind, person.key, case.slug, facts, what, place=place))

    listed_place = current.place
    if listed_place is not None and not _same_place(case, listed_place, places_by_name):
        stored = places_by_name.get(listed_place.key)
        target = stored.name.get("en") if stored else _place_name(listed_place)
        propose("moved", f"moved to {target}", place=stored.key if stored else None)
    if current.term is not None:
        years, months = current.term
        if case.sentence is None:
            if case.status != "sentenced" or sentence_known(case, current):
                propose("sentenced", f"sentenced: {_term(years, months)}")
        elif (case.sentence.years, case.sentence.months) != (years, months):
            before = _term(case.sentence.years, case.sentence.months)
            propose("sentence_changed", f"sentence {before} -> {_term(years, months)}")
    if not found:
        propose("confirmed", f"{case.status}, as the list has it")
    return found


def _is_new_detention(case: Case, current) -> bool:
    """The list's current detention is one the case does not know: a later arrest."""
    known = set(case.list_records) | {r for period in case.earlier for r in period.records}
    if current.records and not set(current.records) & known and known:
        return True
    arrested, released = current.arrested_on, case.released_on
    if arrested is None or released is None:
        return bool(current.records) and not set(current.records) & known and not known
    return (
        arrested.sort_key[: _depth(arrested)]
        > (
            released.year,
            released.month,
            released.day,
        )[: _depth(arrested)]
    )


def _corrections(case: Case, person: ListedPerson, facts: dict) -> list[Proposal]:
    """A birth date or a spelling of the name the list writes otherwise."""
    what = []
    listed = person.birth_date
    if listed is not None:
        known = PartialDate.of(case.birth_date) if case.birth_date else case.born_in
        if known is None or (known != listed and _depth(listed) >= _depth(known)):
            what.append(f"born {listed}" + (f" (was {known})" if known else ""))
    for language, name in sorted(person.shown_names.items()):
        ours = case.name.get(language)
        if ours is None or normalise(ours) != normalise(name):
            what.append(f"name.{language} {name!r}" + (f" (was {ours!r})" if ours else ""))
    if not what:
        return []
    return [Proposal("corrected", person.key, case.slug, facts, "; ".join(what))]


# --- places ---------------------------------------------------------------------------


def _places_by_name(places: Iterable[Place]) -> dict[str, Place]:
    """A stored place under the normalised form of each of its names (the first one wins)."""
    found: dict[str, Place] = {}
    for place in places:
        for name in place.name.values():
            found.setdefault(place_key(name), place)
    return found


def _same_place(case: Case, listed: ListedPlace, places_by_name: dict[str, Place]) -> bool:
    detention = case.detention
    if detention is None:
        return False
    stored = places_by_name.get(listed.key)
    if stored is not None and detention.place_key == stored.key:
        return True
    names = detention.record.name if detention.record else (detention.inline_place or {})
    return any(place_key(name) == listed.key for name in names.values())


def _address_change(listed: ListedPlace, places_by_name: dict[str, Place]) -> Proposal | None:
    stored = places_by_name.get(listed.key)
    if stored is None or not listed.address_lines:
        return None
    now = (listed.envelope_lines, listed.postcode)
    before = (list(stored.address.lines), stored.address.postcode) if stored.address else None
    if before == now:
        return None
    facts = {"key": listed.key, "address_lines": now[0], "postcode": now[1]}
    what = f"{stored.name.get('en')}: address {', '.join([*now[0], now[1] or ''])}".rstrip(", ")
    return Proposal("place_address", "", None, facts, what, place=stored.key)


# --- words for the command line ---------------------------------------------------------


def _name(person: ListedPerson) -> str:
    return person.names.get("en") or next(iter(person.names.values()), person.key)


def _place_name(place: ListedPlace) -> str:
    return place.names.get("en") or next(iter(place.names.values()), place.key)


def _new_what(person: ListedPerson) -> str:
    current = person.current
    detained = _on(current.arrested_on).replace(" on ", "detained ") if current else ""
    return f"new: {_name(person)}" + (f", {detained.strip()}" if detained else "")


def _on(day: PartialDate | None) -> str:
    return f" on {day}" if day else ""


def _term(years: int, months: int) -> str:
    return f"{years} y {months} m" if months else f"{years} y"
