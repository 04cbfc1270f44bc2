"""What each proposed change does to a case: pure functions from the list's facts.

A proposal (``sync.reconcile``) stores the facts it was made from; when it is
applied (by ``sync --apply`` or an editor, perhaps days later) its kind's
function here builds the changed case from the case *as it is then*. A case
already changed the same way gives ``None``: nothing more to do, and nothing
sent twice.

Every fact taken from the list cites it: a source "Viasna, list of political
prisoners, export of <date>" linking to the person's page, and ``as_of`` the
export's date. The texts the bot writes into a case (a timeline entry, the
source's title) come from ``SyncTexts``, the catalogues' words in every
language, so this module never holds a text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from cases.edits import detained_again
from cases.latin import has_cyrillic, to_latin
from cases.model import (
    Address,
    Case,
    Detention,
    Event,
    Note,
    PastDetention,
    Place,
    Sentence,
    Source,
    Text,
)
from cases.new_case import suggest_slug
from sync.listed import HELD, ListedDetention, ListedPerson, ListedPlace
from sync.places import place_key

SOURCE_ID = "viasna-list"
PLACES_SOURCE_URL = "https://prisoners.spring96.org/"


class SyncTexts(Protocol):
    """The words the bot writes into case data, in every language (``messages.case_texts``)."""

    def source_title(self, as_of: date) -> Text: ...
    def status_event(self, before: str, after: str) -> Text: ...
    def moved_event(self, place: Text) -> Text: ...
    def sentence_event(self, years: int, months: int) -> Text: ...
    def terrorist_note(self) -> Text: ...


@dataclass(frozen=True)
class Context:
    as_of: date  # the export's date: every fact from it is as of this day
    texts: SyncTexts
    places: dict[str, Place]  # stored places by key, and new ones as they are made
    slug_taken: Callable[[str], bool]


def source(person: ListedPerson, context: Context) -> Source:
    url = person.url("en") or PLACES_SOURCE_URL
    return Source(SOURCE_ID, context.texts.source_title(context.as_of), url)


def with_list_source(case: Case, person: ListedPerson, context: Context) -> Case:
    """The case citing the list as of this export (its old citation of the list replaced)."""
    others = [s for s in case.sources if s.id != SOURCE_ID]
    return replace(case, sources=[*others, source(person, context)])


def linked(case: Case, person: ListedPerson) -> Case:
    current = person.current
    records = list(current.records) if current and person.status == HELD else case.list_records
    if person.status != HELD and current and not case.list_records:
        records = list(current.records)
    return replace(case, list_person=person.key, list_records=records)


# --- the kinds ---------------------------------------------------------------------------


def released(case: Case, person: ListedPerson, context: Context) -> Case | None:
    if not case.is_held:
        return None
    current = person.current
    on = current.released_on.exact if current and current.released_on else None
    return _status(case, person, context, "released", released_on=on)


def died(case: Case, person: ListedPerson, context: Context) -> Case | None:
    if case.status == "deceased":
        return None
    released_on = case.released_on
    if case.is_held and person.died_on and person.died_on.exact:
        released_on = person.died_on.exact  # died in custody: the detention ended that day
    return _status(case, person, context, "deceased", released_on=released_on)


def re_arrested(case: Case, person: ListedPerson, context: Context) -> Case | None:
    current = person.current
    if case.is_held or current is None or case.status == "deceased":
        return None
    arrested = current.arrested_on
    case = detained_again(
        case,
        arrested.exact if arrested else None,
        detained_in=arrested if arrested and arrested.exact is None else None,
        records=list(current.records),
    )
    status = "sentenced" if current.term else "detained"
    case = _status(case, person, context, status, released_on=None)
    return _held_in(case, person, current, context)


def moved(case: Case, person: ListedPerson, context: Context) -> Case | None:
    current = person.current
    if not case.is_held or current is None or current.place is None:
        return None
    changed = _held_in(case, person, current, context)
    if changed.detention == case.detention:
        return None
    place = context.places[changed.detention.place_key].name
    return _with_event(changed, context.texts.moved_event(place), context)


def sentenced(case: Case, person: ListedPerson, context: Context) -> Case | None:
    """A verdict for someone held without one, or another term (an appeal, a new trial)."""
    current = person.current
    if not case.is_held or current is None or current.term is None:
        return None
    years, months = current.term
    old = case.sentence
    if (
        case.status == "sentenced"
        and old is not None
        and (old.years, old.months) == (years, months)
    ):
        return None
    sentence = _sentence(case, current, context)
    if sentence is None and old is not None:
        # The list gives the new term but not all of a sentence: the term changes alone.
        sentence = replace(old, years=years, months=months, source=SOURCE_ID, as_of=context.as_of)
    if sentence is None and case.status == "sentenced":
        return None  # nothing the list says that the case can hold
    changed = replace(case, sentence=sentence)
    if case.status != "sentenced":
        changed = _status(changed, person, context, "sentenced", released_on=None)
    else:
        changed = with_list_source(changed, person, context)
    return _with_event(changed, context.texts.sentence_event(years, months), context)


def corrected(case: Case, person: ListedPerson, context: Context) -> Case | None:
    names = dict(case.name)
    aliases = list(case.aliases)
    for full in person.full_names:
        if full not in aliases and "|" not in full:
            aliases.append(full)
    for language, name in person.shown_names.items():
        old = names.get(language)
        if old != name:
            names[language] = name
            if old and old not in aliases and "|" not in old:
                aliases.append(old)  # the old spelling still finds the person
    birth_date, born_in = case.birth_date, case.born_in
    listed = person.birth_date
    if listed is not None:
        birth_date, born_in = (listed.exact, None) if listed.exact else (case.birth_date, None)
        if listed.exact is None and case.birth_date is None:
            born_in = listed
    changed = replace(case, name=names, aliases=aliases, birth_date=birth_date, born_in=born_in)
    if changed == case:
        return None
    return with_list_source(changed, person, context)


def confirmed(case: Case, person: ListedPerson, context: Context) -> Case | None:
    """The status confirmed as of the export's date, as an editor's "Still true"."""
    if case.status_confirmed >= context.as_of:
        return None
    return replace(case, status_confirmed_on=context.as_of)


def new_case(person: ListedPerson, context: Context) -> Case:
    """A case for someone the list holds and the bot has not known: every fact it gives."""
    current = person.current
    names = person.shown_names
    english = names.get("en") or to_latin(names.get("be") or names.get("ru") or person.key)
    if has_cyrillic(english):
        english = to_latin(english)
    slug = suggest_slug(to_latin(english), context.slug_taken)
    birth = person.birth_date
    arrested = current.arrested_on if current else None
    case = Case(
        slug=slug,
        name={"en": english, **{k: v for k, v in names.items() if k != "en"}},
        aliases=[name for name in person.full_names if "|" not in name],
        gender=person.gender,
        status="sentenced" if current and current.term else "detained",
        status_as_of=context.as_of,
        status_source=SOURCE_ID,
        sources=[source(person, context)],
        birth_date=birth.exact if birth else None,
        born_in=birth if birth and birth.exact is None else None,
        region=person.region,
        detained_on=arrested.exact if arrested else None,
        detained_in=arrested if arrested and arrested.exact is None else None,
        earlier=[
            _past(detention)
            for detention in person.detentions[:-1]
            if detention.arrested_on or detention.released_on or detention.records
        ],
        list_person=person.key,
        list_records=list(current.records) if current else [],
    )
    if current is not None:
        case = replace(case, sentence=_sentence(case, current, context))
        case = _held_in(case, person, current, context)
    if person.on_terrorist_list:
        note = Note("money", context.texts.terrorist_note(), SOURCE_ID, context.as_of)
        case = replace(case, notes=[note])
    return case


APPLY: dict[str, Callable[[Case, ListedPerson, Context], Case | None]] = {
    "released": released,
    "died": died,
    "re_arrested": re_arrested,
    "moved": moved,
    "sentenced": sentenced,
    "sentence_changed": sentenced,
    "corrected": corrected,
    "confirmed": confirmed,
}


def place_for(listed: ListedPlace, context: Context) -> Place:
    """The stored place the list names, else a new record for it (its address as written)."""
    for place in context.places.values():
        if any(place_key(name) == listed.key for name in place.name.values()):
            return place
    key = suggest_slug(to_latin(listed.key), lambda k: k in context.places)
    english = listed.names.get("en") or to_latin(next(iter(listed.names.values()), listed.key))
    address = Address(listed.envelope_lines, listed.postcode) if listed.address_lines else None
    place = Place(
        key=key,
        name={"en": english, **{k: v for k, v in listed.names.items() if k != "en"}},
        source=Source(key, context.texts.source_title(context.as_of)["en"], PLACES_SOURCE_URL),
        as_of=context.as_of,
        address=address,
    )
    context.places[key] = place
    return place


def with_address(place: Place, lines: list[str], postcode: str | None, as_of: date) -> Place:
    return replace(place, address=Address(list(lines), postcode), as_of=as_of)


# --- parts ------------------------------------------------------------------------------


def _status(
    case: Case, person: ListedPerson, context: Context, status: str, released_on: date | None
) -> Case:
    before = case.status
    case = with_list_source(case, person, context)
    changed = replace(
        case,
        status=status,
        status_as_of=context.as_of,
        status_source=SOURCE_ID,
        status_confirmed_on=None,
        released_on=released_on,
        # Someone free or dead is held nowhere: no address for letters.
        detention=case.detention if status in ("detained", "sentenced") else None,
    )
    on = released_on if status in ("released", "deceased") and released_on else None
    if status == "deceased" and person.died_on and person.died_on.exact:
        on = person.died_on.exact
    if status in ("detained", "sentenced") and case.detained_on:
        on = case.detained_on
    event = Event(on or context.as_of, context.texts.status_event(before, status), SOURCE_ID)
    return replace(changed, events=[*changed.events, event])


def _with_event(case: Case, text: Text, context: Context) -> Case:
    event = Event(context.as_of, text, SOURCE_ID)
    if event in case.events:
        return case
    return replace(case, events=[*case.events, event])


def _held_in(case: Case, person: ListedPerson, current: ListedDetention, context: Context) -> Case:
    if current.place is None:
        return case
    place = place_for(current.place, context)
    detention = Detention(SOURCE_ID, context.as_of, place_key=place.key, record=place)
    if case.detention and case.detention.place_key == place.key:
        return case
    return with_list_source(replace(case, detention=detention), person, context)


def sentence_known(case: Case, current: ListedDetention) -> bool:
    """The list gives a whole sentence a card can show: a term, its day, its articles."""
    verdict = current.verdict_on.exact if current.verdict_on else None
    if current.term is None or verdict is None or not current.articles:
        return False
    return case.detained_on is None or verdict >= case.detained_on


def _sentence(case: Case, current: ListedDetention, context: Context) -> Sentence | None:
    """The list's sentence, when it is complete enough for a card (``sentence_known``)."""
    if not sentence_known(case, current):
        return None
    verdict = current.verdict_on.exact
    years, months = current.term
    return Sentence(
        years=years,
        months=months,
        sentenced_on=verdict,
        court=None,
        articles=list(current.articles),
        source=SOURCE_ID,
        as_of=context.as_of,
    )


def _past(detention: ListedDetention) -> PastDetention:
    arrested = detention.arrested_on
    released = detention.released_on
    return PastDetention(
        detained_on=arrested.exact if arrested else None,
        detained_in=arrested if arrested and arrested.exact is None else None,
        released_on=released.exact if released else None,
        records=list(detention.records),
    )
