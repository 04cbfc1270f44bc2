"""What the list says of one person now: their detentions, status, place and sentence.

``listed(person)`` distils a ``sync.people.Person`` (every prosecution, in
each language read) into the facts a case is compared with:

- the **status**: ``held`` when a prosecution is ``active`` (a political
  prisoner now), ``dead`` when the list says the person died, ``free`` when
  it lists them as a former political prisoner only, ``unrecognised`` when
  none of their rows is recognised (``np``): never a reason to change a case;
- the **detentions**: prosecutions grouped by their day of arrest (two
  cases tried together are one detention), the earliest first; the last is
  the current one, with its place, sentence, articles and release.

It is plain data that goes to JSON and back (``to_dict``/``from_dict``): a
proposed change stores the facts it was made from, and the same facts are
applied when an editor accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cases.dates import PartialDate
from cases.spelling import is_patronymic, normalise
from sync.people import Person, Record

HELD, FREE, DEAD, UNRECOGNISED = "held", "free", "dead", "unrecognised"


@dataclass(frozen=True)
class ListedPlace:
    key: str  # the normalised name ("ик-9"): how a stored place is found
    names: dict[str, str]  # language -> the facility's name as that export writes it
    address_lines: tuple[str, ...] = ()
    postcode: str | None = None

    @property
    def envelope_lines(self) -> list[str]:
        """The address as an envelope takes it: the institution's name first (in the
        address's language, Russian for most), then the lines the list gives."""
        name = self.names.get("ru") or self.names.get("be") or next(iter(self.names.values()), "")
        lines = list(self.address_lines)
        return lines if not name or (lines and lines[0] == name) else [name, *lines]


@dataclass(frozen=True)
class ListedDetention:
    records: tuple[str, ...]
    arrested_on: PartialDate | None
    released_on: PartialDate | None
    held: bool  # active: the list counts the person a political prisoner in it now
    released: bool  # the list says so: "released" in prison, a release date, or former
    place: ListedPlace | None = None
    verdict_on: PartialDate | None = None
    term: tuple[int, int] | None = None  # (years, months) when the sentence is clear
    sentence: dict[str, str] = field(default_factory=dict)  # language -> as written
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListedPerson:
    key: str  # the person's page without its language: "person/ales-bialiatski"
    names: dict[str, str]  # language -> name
    urls: dict[str, str]  # language -> page
    status: str  # held | free | dead | unrecognised
    gender: str | None
    birth_date: PartialDate | None
    region: str | None
    died_on: PartialDate | None
    on_terrorist_list: bool
    detentions: tuple[ListedDetention, ...]  # the earliest first; the last is current

    @property
    def current(self) -> ListedDetention | None:
        return self.detentions[-1] if self.detentions else None

    @property
    def records(self) -> tuple[str, ...]:
        return tuple(record for detention in self.detentions for record in detention.records)

    @property
    def shown_names(self) -> dict[str, str]:
        """Each name as a card writes it: "Алесь Бяляцкі" for the list's "Бяляцкі Алесь
        Віктаравіч" (surname, first name, father's name)."""
        return {language: shown_name(name) for language, name in self.names.items()}

    @property
    def full_names(self) -> list[str]:
        """The list's names that carry a father's name: what an envelope needs."""
        return [name for name in self.names.values() if shown_name(name) != name]

    def url(self, language: str = "en") -> str | None:
        return self.urls.get(language) or next(iter(self.urls.values()), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "names": self.names,
            "urls": self.urls,
            "status": self.status,
            "gender": self.gender,
            "birth_date": _text(self.birth_date),
            "region": self.region,
            "died_on": _text(self.died_on),
            "on_terrorist_list": self.on_terrorist_list,
            "detentions": [_detention_out(detention) for detention in self.detentions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListedPerson:
        return cls(
            key=data["key"],
            names=dict(data["names"]),
            urls=dict(data["urls"]),
            status=data["status"],
            gender=data["gender"],
            birth_date=_partial(data["birth_date"]),
            region=data["region"],
            died_on=_partial(data["died_on"]),
            on_terrorist_list=data["on_terrorist_list"],
            detentions=tuple(_detention_in(item) for item in data["detentions"]),
        )


def shown_name(full: str) -> str:
    """ "Surname First Patronymic" as "First Surname"; any other form as written."""
    words = full.split()
    if len(words) == 3 and all(normalise(words[2])) and is_patronymic(normalise(words[2])[-1]):
        return f"{words[1]} {words[0]}"
    return " ".join(words)


def listed(person: Person) -> ListedPerson:
    """The facts the list gives about ``person`` now."""
    recognised = [record for record in person.records if record.row.status != "np"]
    rows = [record.row for record in person.records]
    latest = person.latest.row
    died = next((row for row in rows if row.died), None)
    if died is not None:
        status = DEAD
    elif any(record.row.status == "active" for record in recognised):
        status = HELD
    elif recognised:
        status = FREE
    else:
        status = UNRECOGNISED
    return ListedPerson(
        key=person.key,
        names=person.names,
        urls=person.urls,
        status=status,
        gender=next((row.gender for row in reversed(rows) if row.gender), None),
        birth_date=next((row.birth_date for row in reversed(rows) if row.birth_date), None),
        region=next((row.region for row in reversed(rows) if row.region), None),
        died_on=died.died_on if died else None,
        on_terrorist_list=latest.on_terrorist_list,
        detentions=_detentions(recognised),
    )


def _detentions(records: list[Record]) -> tuple[ListedDetention, ...]:
    """Prosecutions grouped into detentions: a prosecution that begins before the one
    before it ended (two cases tried together, a new charge in custody) is the same
    time behind bars; one that begins surely after a release is a new detention."""
    groups: list[list[Record]] = []
    for record in records:  # already the earliest arrest first
        if groups and not _after_release(groups[-1], record.row.arrested_on):
            groups[-1].append(record)
        else:
            groups.append([record])
    return tuple(_detention(group) for group in groups)


def _after_release(group: list[Record], arrested: PartialDate | None) -> bool:
    """``arrested`` is surely after the detention ``group`` ended."""
    if arrested is None:
        return False
    if any(record.row.status == "active" for record in group):
        return False  # still held: a new prosecution adds to the detention
    released = [r.row.released_on for r in group if r.row.released_on]
    if not released:
        # Freed on an unknown day: a later arrest day is a new detention.
        started = [r.row.arrested_on for r in group if r.row.arrested_on]
        return bool(started) and _surely_before(max(started, key=_key), arrested)
    return _surely_before(max(released, key=_key), arrested)


def _key(day: PartialDate) -> tuple[int, int, int]:
    return day.sort_key


def _surely_before(first: PartialDate, then: PartialDate) -> bool:
    """``first`` is before ``then`` whatever the unknown parts of either are."""
    depth = min(_DEPTH[first.precision], _DEPTH[then.precision])
    return first.sort_key[:depth] < then.sort_key[:depth]


_DEPTH = {"year": 1, "month": 2, "day": 3}


def _detention(group: list[Record]) -> ListedDetention:
    # The newest facts of the group speak for it (the later verdict, the place now).
    last = group[-1]
    row = last.row
    held = any(record.row.status == "active" for record in group)
    released_on = next((r.row.released_on for r in reversed(group) if r.row.released_on), None)
    prison = row.prison
    released = not held or released_on is not None or bool(prison and prison.kind == "released")
    place = None
    if prison is not None and prison.kind == "place" and prison.normalised_key:
        names = {
            language: language_row.prison.name
            for language, language_row in last.rows.items()
            if language_row.prison is not None and language_row.prison.name
        }
        place = ListedPlace(prison.normalised_key, names, prison.address_lines, prison.postcode)
    decisions = {
        language: language_row.decision.text
        for language, language_row in last.rows.items()
        if language_row.decision is not None
    }
    terms = [r.row.decision.term for r in group if r.row.decision and r.row.decision.term]
    verdicts = [r.row.verdict_on for r in group if r.row.verdict_on]
    articles: list[str] = []
    for record in group:
        if record.row.articles:
            articles += [code for code in record.row.articles.codes if code not in articles]
    return ListedDetention(
        records=tuple(record.record_id for record in group if record.record_id),
        arrested_on=group[0].row.arrested_on,
        released_on=released_on,
        held=held,
        released=released,
        place=place,
        verdict_on=verdicts[-1] if verdicts else None,
        term=terms[-1] if terms else None,
        sentence=decisions,
        articles=tuple(articles),
    )


def _text(day: PartialDate | None) -> str | None:
    return str(day) if day else None


def _partial(text: str | None) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def _detention_out(detention: ListedDetention) -> dict[str, Any]:
    place = detention.place
    return {
        "records": list(detention.records),
        "arrested_on": _text(detention.arrested_on),
        "released_on": _text(detention.released_on),
        "held": detention.held,
        "released": detention.released,
        "place": place
        and {
            "key": place.key,
            "names": place.names,
            "address_lines": list(place.address_lines),
            "postcode": place.postcode,
        },
        "verdict_on": _text(detention.verdict_on),
        "term": list(detention.term) if detention.term else None,
        "sentence": detention.sentence,
        "articles": list(detention.articles),
    }


def _detention_in(data: dict[str, Any]) -> ListedDetention:
    place = data["place"]
    return ListedDetention(
        records=tuple(data["records"]),
        arrested_on=_partial(data["arrested_on"]),
        released_on=_partial(data["released_on"]),
        held=data["held"],
        released=data["released"],
        place=place
        and ListedPlace(
            place["key"], dict(place["names"]), tuple(place["address_lines"]), place["postcode"]
        ),
        verdict_on=_partial(data["verdict_on"]),
        term=tuple(data["term"]) if data["term"] else None,
        sentence=dict(data["sentence"]),
        articles=tuple(data["articles"]),
    )
