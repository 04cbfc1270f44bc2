"""The case record: everything casewatch knows about one defender.

A case is plain data. Every fact a card shows carries the id of a source in
``Case.sources`` and the date it was last confirmed (``as_of``), because
stale data about a prisoner hurts. Localised texts are dicts by language
(``Text``, ``{"en": ..., "be": ...}``: English and any of the others in
``languages.LANGUAGES``); names of people and places may differ per language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from cases.dates import PartialDate

# Status values a case may have. "held" statuses count as behind bars.
STATUSES = ("detained", "sentenced", "released", "in_exile", "deceased")
HELD_STATUSES = frozenset({"detained", "sentenced"})
# Out of custody and alive: the news everyone waits for, with its own alert.
RELEASED_STATUSES = frozenset({"released", "in_exile"})
# A person's gender, as the forms of their name carry it (a wife or a sister of
# Ales Bialiatski is Bialiatskaya): the name search never takes one for the other.
GENDERS = ("female", "male")

Text = dict[str, str]  # language code -> text; en is required


@dataclass(slots=True)
class Source:
    id: str  # short key used by facts, e.g. "hrw-2025-12-15"
    # Shown as the link's text, in the reader's language where translated. A plain
    # string is the English title (the case format allows either).
    title: Text
    url: str

    def __post_init__(self) -> None:
        if isinstance(self.title, str):
            self.title = {"en": self.title}


@dataclass(slots=True)
class Sentence:
    years: int
    months: int
    sentenced_on: date
    court: Text | None  # None: the source does not name it (the list of political prisoners)
    articles: list[str]  # "228.4" = article 228 part 4; "361-1" = article 361-1
    source: str
    as_of: date
    appeal: Text | None = None  # what an appeal changed, in words
    appeal_on: date | None = None
    ends_on: date | None = None  # end of term; None: computed from detention


@dataclass(slots=True)
class Address:
    """A postal address in the form the institution requires.

    ``lines`` go on an envelope under the addressee's name, top to bottom,
    exactly as the institution asks (its short name, street, town, district);
    the postcode is kept apart because forms and envelopes have a box for it.
    """

    lines: list[str]
    postcode: str | None = None

    def one_line(self) -> str:
        return ", ".join([*self.lines, *([self.postcode] if self.postcode else [])])


@dataclass(slots=True)
class Place:
    """A place of detention, kept once for everyone held there.

    Its address, source and as-of date are its own: when a colony's address
    changes, one record changes and every card follows.
    """

    key: str  # [a-z0-9-]{3,40}, what cases refer to, e.g. "ik-1"
    name: Text
    source: Source  # its ``id`` is unused: a place has one source
    as_of: date
    region: str | None = None  # a key of cases.regions.REGIONS
    address: Address | None = None


@dataclass(slots=True)
class Detention:
    """Where a person is held, confirmed by the case's own source on ``as_of``.

    Either a place record (``place_key``, resolved by the catalogue into
    ``record``), or, in files written before places were records, the place's
    name and address written on the case itself.
    """

    source: str
    as_of: date
    place_key: str | None = None
    inline_place: Text | None = None
    inline_address: str | None = None  # postal address for letters, as written locally
    unit: str | None = None  # the person's unit (отряд) there, as numbered: "14"
    record: Place | None = field(default=None, compare=False, repr=False)

    @property
    def place(self) -> Text:
        """The place's name: the record's, else the one written on the case."""
        if self.record is not None:
            return self.record.name
        return self.inline_place or {"en": self.place_key or ""}

    @property
    def address(self) -> str | None:
        """Where letters go, on one line: the record's address, else the case's own."""
        if self.record is not None:
            return self.record.address.one_line() if self.record.address else None
        return self.inline_address


@dataclass(slots=True)
class Note:
    """Something that changes what a supporter should do."""

    kind: str  # "letters", "money", "other"
    text: Text
    source: str
    as_of: date


@dataclass(slots=True)
class Event:
    on: date
    text: Text
    source: str


@dataclass(slots=True)
class PastDetention:
    """An earlier period of detention, ended by a release.

    A person freed and detained again is the ordinary case in Belarus. When
    that happens the case's current detention (its dates, sentence, place of
    detention, notes and the list's record ids) moves here whole and the case
    starts over: the card counts days from the new arrest, shows the earlier
    period in its history, and a note that belonged to it (a letters ban,
    "taken to Lithuania") no longer reads as advice.
    """

    detained_on: date | None = None
    released_on: date | None = None
    detained_in: PartialDate | None = None  # when only the month or year is known
    sentence: Sentence | None = None
    detention: Detention | None = None
    notes: list[Note] = field(default_factory=list)
    records: list[str] = field(default_factory=list)

    @property
    def detained_known(self) -> PartialDate | None:
        if self.detained_on is not None:
            return PartialDate.of(self.detained_on)
        return self.detained_in


@dataclass(slots=True)
class Case:
    slug: str
    name: Text
    status: str
    status_as_of: date
    status_source: str
    sources: list[Source]
    # The day an editor last confirmed that the status still holds ("Still true"),
    # when that is later than ``status_as_of``: the status's age counts from it.
    status_confirmed_on: date | None = None
    aliases: list[str] = field(default_factory=list)
    # "female" or "male"; None: the name search reads it from the names (cases.genders)
    gender: str | None = None
    role: Text | None = None
    organisation: Text | None = None
    birth_date: date | None = None
    # Sources often know only the year (or month) of a birth or an arrest. Such a
    # date is kept as known, never made a day: no birthday alert, no day count.
    born_in: PartialDate | None = None  # only when birth_date is unknown
    region: str | None = None  # where the person is from: a key of cases.regions.REGIONS
    # The current (or last) detention: its dates, sentence, place and notes.
    detained_on: date | None = None
    detained_in: PartialDate | None = None  # only when detained_on is unknown
    released_on: date | None = None
    sentence: Sentence | None = None
    detention: Detention | None = None
    notes: list[Note] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Detentions before the current one, oldest first (see PastDetention).
    earlier: list[PastDetention] = field(default_factory=list)
    # The person on the organisation's list of political prisoners (Viasna's:
    # "person/ales-bialiatski", the page's path without its language) and the
    # list's records (one per prosecution) of the current detention.
    list_person: str | None = None
    list_records: list[str] = field(default_factory=list)
    # Fictional sample data (the large demo's generated people): every card says
    # so at its top, so a screenshot of a demo can never pass for a real case.
    sample: bool = False

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES

    @property
    def birth_year(self) -> int | None:
        if self.birth_date is not None:
            return self.birth_date.year
        return self.born_in.year if self.born_in else None

    @property
    def detained_known(self) -> PartialDate | None:
        """The current detention's date, as far as it is known."""
        if self.detained_on is not None:
            return PartialDate.of(self.detained_on)
        return self.detained_in

    @property
    def status_confirmed(self) -> date:
        """The last day the status is known to have held: sourced or confirmed by an editor."""
        if self.status_confirmed_on is None:
            return self.status_as_of
        return max(self.status_as_of, self.status_confirmed_on)

    def all_names(self) -> list[str]:
        """Every spelling the search should know this person by."""
        seen: list[str] = []
        for value in [*self.name.values(), *self.aliases]:
            if value and value not in seen:
                seen.append(value)
        return seen

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def term_ends_on(self) -> date | None:
        """End of term: the explicit date, else detention plus the sentence."""
        if self.sentence is None:
            return None
        if self.sentence.ends_on is not None:
            return self.sentence.ends_on
        start = self.detained_on or self.sentence.sentenced_on
        return add_months(start, self.sentence.years * 12 + self.sentence.months)


def attach_places(cases: Iterable[Case], places: Mapping[str, Place]) -> None:
    """Point each case's detention at its place record, when ``places`` has it."""
    for case in cases:
        detention = case.detention
        if detention is not None and detention.place_key:
            detention.record = places.get(detention.place_key, detention.record)


def localised(text: Text | str | None, language: str) -> str:
    """The text in ``language``, falling back to English."""
    return text_in(text, language)[0]


def text_in(text: Text | str | None, language: str) -> tuple[str, str | None]:
    """The text in ``language``, else the English one; and the language it is written in.

    An editor writing in Russian has the text stored under "en" too (English is
    required), so an English text equal to one other language's is in that
    language. None: no text, or one that reads the same in several (a name).
    """
    if not text:
        return "", None
    if isinstance(text, str):  # one text for every language (a name, a title in a file)
        return text, None
    value = text.get(language) or text.get("en") or next((v for v in text.values() if v), "")
    same = [code for code, other in text.items() if other == value]
    written_in = [code for code in same if code != "en"] or same
    if len(written_in) == 1:
        return value, written_in[0]
    return value, language if language in written_in else None


def add_months(start: date, months: int) -> date:
    """``start`` plus whole months; the 31st becomes the month's last day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")
