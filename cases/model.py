"""The case record: everything casewatch knows about one defender.

A case is plain data. Every fact a card shows carries the id of a source in
``Case.sources`` and the date it was last confirmed (``as_of``), because
stale data about a prisoner hurts. Localised texts are dicts by language
(``Text``, ``{"en": ..., "be": ...}``: English and any of the others in
``languages.LANGUAGES``); names of people and places may differ per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Status values a case may have. "held" statuses count as behind bars.
STATUSES = ("detained", "sentenced", "released", "in_exile", "deceased")
HELD_STATUSES = frozenset({"detained", "sentenced"})
# Out of custody and alive: the news everyone waits for, with its own alert.
RELEASED_STATUSES = frozenset({"released", "in_exile"})

Text = dict[str, str]  # language code -> text; en is required


@dataclass(slots=True)
class Source:
    id: str  # short key used by facts, e.g. "hrw-2025-12-15"
    title: str
    url: str


@dataclass(slots=True)
class Sentence:
    years: int
    months: int
    sentenced_on: date
    court: Text
    articles: list[str]  # "228.4" = article 228 part 4; "361-1" = article 361-1
    source: str
    as_of: date
    appeal: Text | None = None  # what an appeal changed, in words
    appeal_on: date | None = None
    ends_on: date | None = None  # end of term; None: computed from detention


@dataclass(slots=True)
class Detention:
    place: Text
    source: str
    as_of: date
    address: str | None = None  # postal address for letters, as written locally


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
class Case:
    slug: str
    name: Text
    status: str
    status_as_of: date
    status_source: str
    sources: list[Source]
    aliases: list[str] = field(default_factory=list)
    role: Text | None = None
    organisation: Text | None = None
    birth_date: date | None = None
    detained_on: date | None = None
    released_on: date | None = None
    sentence: Sentence | None = None
    detention: Detention | None = None
    notes: list[Note] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES

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


def localised(text: Text | None, language: str) -> str:
    """The text in ``language``, falling back to English."""
    return text_in(text, language)[0]


def text_in(text: Text | None, language: str) -> tuple[str, str | None]:
    """The text in ``language``, else the English one; and the language it is written in.

    An editor writing in Russian has the text stored under "en" too (English is
    required), so an English text equal to one other language's is in that
    language. None: no text, or one that reads the same in several (a name).
    """
    if not text:
        return "", None
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
