"""Case <-> plain dict: the one place that decides what a valid case is.

YAML, JSON and CSV all arrive here as the same nested dict (docs/case-format.md),
so every format gets the same rules and the same error messages. An error names
the dotted field path; ``cases.files`` turns ``where`` into a file and a line.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from cases.dates import PartialDate
from cases.model import (
    GENDERS,
    STATUSES,
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
from cases.regions import REGIONS
from languages import LANGUAGES

NOTE_KINDS = ("letters", "money", "other")

# Key order is the order of docs/case-format.md; case_to_dict writes it the same way.
CASE_KEYS = (
    "slug", "name", "aliases", "gender", "role", "organisation", "birth_date", "born_in",
    "region", "status", "status_as_of", "status_source", "status_confirmed_on", "detained_on",
    "detained_in", "released_on", "sentence", "detention", "notes", "events",
    "earlier_detentions", "list_person", "list_records", "sample", "sources",
)  # fmt: skip
PERIOD_KEYS = (
    "detained_on", "detained_in", "released_on", "sentence", "detention", "notes", "records",
)  # fmt: skip
SENTENCE_KEYS = (
    "years", "months", "sentenced_on", "court", "articles", "appeal", "appeal_on",
    "ends_on", "source", "as_of",
)  # fmt: skip
CASE_REQUIRED = ("slug", "name", "status", "status_as_of", "status_source", "sources")
SENTENCE_REQUIRED = ("years", "months", "sentenced_on", "articles", "source", "as_of")
DETENTION_KEYS = ("place", "address", "unit", "source", "as_of")
PLACE_KEYS = ("key", "name", "region", "address", "source", "as_of")
PLACE_REQUIRED = ("key", "name", "source", "as_of")
ADDRESS_KEYS = ("lines", "postcode")
# A unit is written on an envelope after the name: its number, not a text.
UNIT_LENGTH = 20
PLACE_SOURCE_KEYS = ("title", "url")
NOTE_KEYS = ("kind", "text", "source", "as_of")
EVENT_KEYS = ("on", "text", "source")
SOURCE_KEYS = ("id", "title", "url")

# 40 keeps every button's callback data ("prefix:slug[:more]") under Telegram's 64 bytes.
_SLUG = re.compile(r"[a-z0-9-]{3,40}")
_ARTICLE = re.compile(r"[0-9]+(-[0-9]+)?(\.[0-9]+)?")
# ASCII digits only: \d would also accept other scripts' digits.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A date known to the month or the year only: "2021-07", "1984".
_PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2})?")
# A person's page on the list, without its language: "person/ales-bialiatski".
_LIST_PERSON = re.compile(r"[a-z0-9][a-z0-9._/-]{0,119}")
_LIST_RECORD = re.compile(r"[A-Za-z0-9_-]{1,40}")

# Tab and newline are the only control characters a text may hold.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

T = TypeVar("T")


class CaseFormatError(ValueError):
    """A case record that breaks docs/case-format.md, located to a field.

    ``str()`` reads ``cases.yaml line 14: sentence.years: must be a whole
    number, got "ten"``. ``field`` is empty when the whole file is at fault;
    ``line`` is set when the error was located in a file.
    """

    def __init__(self, where: str, field: str, message: str, line: int | None = None) -> None:
        super().__init__(where, field, message)
        self.where = where
        self.field = field
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return ": ".join(part for part in (self.where, self.field, self.message) if part)


def case_from_dict(data: Any, where: str, today: date | None = None) -> Case:
    """Validate one case mapping; ``today`` rejects confirmations from the future."""
    return _Reader(where, today).case(data)


def place_from_dict(data: Any, where: str, today: date | None = None) -> Place:
    """Validate one place-of-detention mapping (the ``places`` list of a file)."""
    return _Reader(where, today).place(data)


def place_to_dict(place: Place) -> dict[str, Any]:
    """The mapping ``place_from_dict`` reads back."""
    address = place.address
    return _present(
        key=place.key,
        name=_text_out(place.name),
        region=place.region,
        address=address and _present(lines=list(address.lines), postcode=address.postcode),
        # A place's source title is plain text, in English (docs/case-format.md).
        source={"title": place.source.title["en"], "url": place.source.url},
        as_of=_iso(place.as_of),
    )


def case_to_dict(case: Case) -> dict[str, Any]:
    """The mapping ``case_from_dict`` reads back: ISO dates, absent values left out."""
    return _present(
        slug=case.slug,
        name=_text_out(case.name),
        aliases=list(case.aliases),
        gender=case.gender,
        role=_text_out(case.role),
        organisation=_text_out(case.organisation),
        birth_date=_iso(case.birth_date),
        born_in=_partial(case.born_in),
        region=case.region,
        status=case.status,
        status_as_of=_iso(case.status_as_of),
        status_source=case.status_source,
        status_confirmed_on=_iso(case.status_confirmed_on),
        detained_on=_iso(case.detained_on),
        detained_in=_partial(case.detained_in),
        released_on=_iso(case.released_on),
        sentence=case.sentence and _sentence_out(case.sentence),
        detention=case.detention and _detention_out(case.detention),
        notes=_notes_out(case.notes),
        events=[
            _present(on=_iso(e.on), text=_text_out(e.text), source=e.source) for e in case.events
        ],
        earlier_detentions=[_period_out(period) for period in case.earlier],
        list_person=case.list_person,
        list_records=list(case.list_records),
        sample=True if case.sample else None,
        sources=[_present(id=s.id, title=_title_out(s.title), url=s.url) for s in case.sources],
    )


def _notes_out(notes: list[Note]) -> list[dict[str, Any]]:
    return [
        _present(kind=n.kind, text=_text_out(n.text), source=n.source, as_of=_iso(n.as_of))
        for n in notes
    ]


def _period_out(period: PastDetention) -> dict[str, Any]:
    return _present(
        detained_on=_iso(period.detained_on),
        detained_in=_partial(period.detained_in),
        released_on=_iso(period.released_on),
        sentence=period.sentence and _sentence_out(period.sentence),
        detention=period.detention and _detention_out(period.detention),
        notes=_notes_out(period.notes),
        records=list(period.records),
    )


def _partial(day: PartialDate | None) -> str | None:
    return str(day) if day else None


def _sentence_out(sentence: Sentence) -> dict[str, Any]:
    return _present(
        years=sentence.years,
        months=sentence.months,
        sentenced_on=_iso(sentence.sentenced_on),
        court=_text_out(sentence.court),
        articles=list(sentence.articles),
        appeal=_text_out(sentence.appeal),
        appeal_on=_iso(sentence.appeal_on),
        ends_on=_iso(sentence.ends_on),
        source=sentence.source,
        as_of=_iso(sentence.as_of),
    )


def _detention_out(detention: Detention) -> dict[str, Any]:
    return _present(
        place=detention.place_key or _text_out(detention.inline_place),
        address=None if detention.place_key else detention.inline_address,
        unit=detention.unit,
        source=detention.source,
        as_of=_iso(detention.as_of),
    )


def _present(**fields: Any) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None and value != []}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _text_out(text: Text | None) -> Text | None:
    return text and {lang: text[lang] for lang in LANGUAGES if lang in text}


def _title_out(title: Text) -> str | Text:
    """A source title: plain text when it is English only, as most files write it."""
    return title["en"] if set(title) == {"en"} else _text_out(title)


def _any_of(choices: tuple[str, ...]) -> str:
    """ "en, be or ru": the languages a text may be in, for an error message."""
    return f"{', '.join(choices[:-1])} or {choices[-1]}"


def _join(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed [ in an IPv6 host
        return False
    no_spaces = not any(ch.isspace() for ch in url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and no_spaces


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str) and len(value) > 60:
        value = value[:57] + "..."
    if isinstance(value, str | bool) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class _Reader:
    """Walks one case mapping, remembering source references to check at the end."""

    def __init__(self, where: str, today: date | None) -> None:
        self.where = where
        self.today = today
        self.references: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> CaseFormatError:
        return CaseFormatError(self.where, path, message)

    def case(self, data: Any) -> Case:
        fields = self.fields(data, "", CASE_KEYS, CASE_REQUIRED)
        get = fields.get
        case = Case(
            slug=self.slug(fields["slug"], "slug"),
            name=self.text(fields["name"], "name"),
            aliases=self.many(self.alias, get("aliases"), "aliases"),
            gender=self.optional(self.gender, get("gender"), "gender"),
            role=self.optional(self.text, get("role"), "role"),
            organisation=self.optional(self.text, get("organisation"), "organisation"),
            birth_date=self.optional(self.date, get("birth_date"), "birth_date"),
            born_in=self.optional(self.partial_date, get("born_in"), "born_in"),
            region=self.optional(self.region, get("region"), "region"),
            status=self.choice(fields["status"], "status", STATUSES),
            status_as_of=self.as_of(fields["status_as_of"], "status_as_of"),
            status_source=self.source_ref(fields["status_source"], "status_source"),
            status_confirmed_on=self.optional(
                self.as_of, get("status_confirmed_on"), "status_confirmed_on"
            ),
            detained_on=self.optional(self.date, get("detained_on"), "detained_on"),
            detained_in=self.optional(self.partial_date, get("detained_in"), "detained_in"),
            released_on=self.optional(self.date, get("released_on"), "released_on"),
            sentence=self.optional(self.sentence, get("sentence"), "sentence"),
            detention=self.optional(self.detention, get("detention"), "detention"),
            notes=self.many(self.note, get("notes"), "notes"),
            events=self.many(self.event, get("events"), "events"),
            earlier=self.many(self.period, get("earlier_detentions"), "earlier_detentions"),
            list_person=self.optional(self.list_person, get("list_person"), "list_person"),
            list_records=self.many(self.list_record, get("list_records"), "list_records"),
            sample=self.optional(self.flag, get("sample"), "sample") or False,
            sources=self.many(self.source, fields["sources"], "sources"),
        )
        if not case.sources:
            raise self.fail("sources", "must list at least one source")
        self.check_references(case.sources)
        self.check_dates(case)
        return case

    def period(self, data: Any, path: str) -> PastDetention:
        fields = self.fields(data, path, PERIOD_KEYS, ())
        get = fields.get
        period = PastDetention(
            detained_on=self.optional(self.date, get("detained_on"), f"{path}.detained_on"),
            detained_in=self.optional(self.partial_date, get("detained_in"), f"{path}.detained_in"),
            released_on=self.optional(self.date, get("released_on"), f"{path}.released_on"),
            sentence=self.optional(self.sentence, get("sentence"), f"{path}.sentence"),
            detention=self.optional(self.detention, get("detention"), f"{path}.detention"),
            notes=self.many(self.note, get("notes"), f"{path}.notes"),
            records=self.many(self.list_record, get("records"), f"{path}.records"),
        )
        self.check_period_dates(period, path)
        return period

    def list_person(self, value: Any, path: str) -> str:
        person = self.string(value, path)
        if not _LIST_PERSON.fullmatch(person):
            raise self.fail(
                path, f"must be a page's path such as person/ales-bialiatski, got {_show(person)}"
            )
        return person

    def list_record(self, value: Any, path: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # YAML reads an unquoted 12345 as a number
        record = self.string(value, path)
        if not _LIST_RECORD.fullmatch(record):
            raise self.fail(path, f"must be a record id of letters and digits, got {_show(record)}")
        return record

    def flag(self, value: Any, path: str) -> bool:
        if value in (True, "true"):  # CSV cells are text
            return True
        if value in (False, "false"):
            return False
        raise self.fail(path, f"must be true or false, got {_show(value)}")

    def partial_date(self, value: Any, path: str) -> PartialDate:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # YAML reads an unquoted 1984 as a number
        if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value):
            try:
                return PartialDate.parse(value)
            except ValueError:
                pass
        raise self.fail(path, f"must be a year YYYY or a month YYYY-MM, got {_show(value)}")

    def sentence(self, data: Any, path: str) -> Sentence:
        fields = self.fields(data, path, SENTENCE_KEYS, SENTENCE_REQUIRED)
        articles = self.many(self.article, fields["articles"], f"{path}.articles")
        if not articles:
            raise self.fail(f"{path}.articles", "must list at least one article")
        return Sentence(
            years=self.count(fields["years"], f"{path}.years"),
            # A term of 12 months or more belongs in years, or the term is written twice.
            months=self.count(fields["months"], f"{path}.months", below=12),
            sentenced_on=self.date(fields["sentenced_on"], f"{path}.sentenced_on"),
            court=self.optional(self.text, fields.get("court"), f"{path}.court"),
            articles=articles,
            appeal=self.optional(self.text, fields.get("appeal"), f"{path}.appeal"),
            appeal_on=self.optional(self.date, fields.get("appeal_on"), f"{path}.appeal_on"),
            ends_on=self.optional(self.date, fields.get("ends_on"), f"{path}.ends_on"),
            source=self.source_ref(fields["source"], f"{path}.source"),
            as_of=self.as_of(fields["as_of"], f"{path}.as_of"),
        )

    def detention(self, data: Any, path: str) -> Detention:
        fields = self.fields(data, path, DETENTION_KEYS, ("place", "source", "as_of"))
        place = fields["place"]
        source = self.source_ref(fields["source"], f"{path}.source")
        as_of = self.as_of(fields["as_of"], f"{path}.as_of")
        unit = self.optional(self.unit, fields.get("unit"), f"{path}.unit")
        if isinstance(place, str):  # the key of a place record
            if "address" in fields:
                raise self.fail(
                    f"{path}.address", "belongs to the place record when place is a key"
                )
            return Detention(source, as_of, place_key=self.slug(place, f"{path}.place"), unit=unit)
        # The place written on the case itself: files from before places were records.
        return Detention(
            source,
            as_of,
            inline_place=self.text(place, f"{path}.place"),
            inline_address=self.optional(self.string, fields.get("address"), f"{path}.address"),
            unit=unit,
        )

    def unit(self, value: Any, path: str) -> str:
        """A unit (отряд) as numbered, one short line of an envelope: "14", "3А"."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # YAML reads an unquoted 14 as a number
        unit = self.string(value, path).strip()
        if "\t" in unit or "\n" in unit or len(unit) > UNIT_LENGTH:
            raise self.fail(
                path, f"must be one line of at most {UNIT_LENGTH} characters, got {_show(unit)}"
            )
        return unit

    def place(self, data: Any) -> Place:
        fields = self.fields(data, "", PLACE_KEYS, PLACE_REQUIRED)
        source = self.fields(fields["source"], "source", PLACE_SOURCE_KEYS, PLACE_SOURCE_KEYS)
        url = self.string(source["url"], "source.url")
        if not _is_web_url(url):
            raise self.fail("source.url", f"must be an http(s) URL, got {_show(url)}")
        key = self.slug(fields["key"], "key")
        return Place(
            key=key,
            name=self.text(fields["name"], "name"),
            source=Source(key, self.string(source["title"], "source.title"), url),
            as_of=self.as_of(fields["as_of"], "as_of"),
            region=self.optional(self.region, fields.get("region"), "region"),
            address=self.optional(self.address, fields.get("address"), "address"),
        )

    def address(self, data: Any, path: str) -> Address:
        fields = self.fields(data, path, ADDRESS_KEYS, ("lines",))
        lines = self.many(self.string, fields["lines"], f"{path}.lines")
        if not lines:
            raise self.fail(f"{path}.lines", "must list at least one line")
        postcode = fields.get("postcode")
        if isinstance(postcode, int) and not isinstance(postcode, bool):
            postcode = str(postcode)  # YAML reads an unquoted 211440 as a number
        return Address(lines, self.optional(self.string, postcode, f"{path}.postcode"))

    def gender(self, value: Any, path: str) -> str:
        return self.choice(value, path, GENDERS)

    def region(self, value: Any, path: str) -> str:
        return self.choice(value, path, REGIONS)

    def note(self, data: Any, path: str) -> Note:
        fields = self.fields(data, path, NOTE_KEYS, NOTE_KEYS)
        return Note(
            kind=self.choice(fields["kind"], f"{path}.kind", NOTE_KINDS),
            text=self.text(fields["text"], f"{path}.text"),
            source=self.source_ref(fields["source"], f"{path}.source"),
            as_of=self.as_of(fields["as_of"], f"{path}.as_of"),
        )

    def event(self, data: Any, path: str) -> Event:
        fields = self.fields(data, path, EVENT_KEYS, EVENT_KEYS)
        return Event(
            on=self.date(fields["on"], f"{path}.on"),
            text=self.text(fields["text"], f"{path}.text"),
            source=self.source_ref(fields["source"], f"{path}.source"),
        )

    def source(self, data: Any, path: str) -> Source:
        fields = self.fields(data, path, SOURCE_KEYS, SOURCE_KEYS)
        url = self.string(fields["url"], f"{path}.url")
        if not _is_web_url(url):
            raise self.fail(f"{path}.url", f"must be an http(s) URL, got {_show(url)}")
        title = fields["title"]
        return Source(
            id=self.string(fields["id"], f"{path}.id"),
            # Plain text is the English title; a mapping translates it.
            title=self.text(title, f"{path}.title")
            if isinstance(title, dict)
            else {"en": self.string(title, f"{path}.title")},
            url=url,
        )

    def fields(
        self, data: Any, path: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(path, f"must be a mapping, got {_show(data)}")
        for key in data:
            if key not in known:
                hint = difflib.get_close_matches(str(key), known, n=1)
                suggestion = f'; did you mean "{hint[0]}"?' if hint else ""
                raise self.fail(_join(path, key), f"unknown key{suggestion}")
        # null means absent, so an exported template with empty values still reads.
        present = {key: value for key, value in data.items() if value is not None}
        for key in required:
            if key not in present:
                raise self.fail(_join(path, key), "is required")
        return present

    def optional(self, read: Callable[[Any, str], T], value: Any, path: str) -> T | None:
        return None if value is None else read(value, path)

    def many(self, read: Callable[[Any, str], T], value: Any, path: str) -> list[T]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, f"must be a list, got {_show(value)}")
        return [read(item, f"{path}[{index}]") for index, item in enumerate(value)]

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"must be text, got {_show(value)}")
        # CSV cannot tell an empty cell from an absent value, so no format may hold one.
        if not value.strip():
            raise self.fail(path, "must not be empty")
        if control := _CONTROL.search(value):
            # Stray \r, NEL and the like read back differently in YAML and CSV, and no name
            # or text needs them.
            raise self.fail(path, f"must not contain control character U+{ord(control[0]):04X}")
        return value

    def text(self, value: Any, path: str) -> Text:
        if not isinstance(value, dict):
            raise self.fail(
                path, f"must be a mapping of {', '.join(LANGUAGES)} texts, got {_show(value)}"
            )
        for lang in value:
            if lang not in LANGUAGES:
                raise self.fail(_join(path, lang), f"unknown language; use {_any_of(LANGUAGES)}")
        if value.get("en") is None:
            raise self.fail(_join(path, "en"), "is required")
        return {
            lang: self.string(value[lang], _join(path, lang))
            for lang in LANGUAGES
            if value.get(lang) is not None
        }

    def slug(self, value: Any, path: str) -> str:
        slug = self.string(value, path)
        if not _SLUG.fullmatch(slug):
            raise self.fail(path, f"must be 3-40 characters of a-z, 0-9 and -, got {_show(slug)}")
        return slug

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> str:
        chosen = self.string(value, path)
        if chosen not in choices:
            raise self.fail(path, f"must be one of {', '.join(choices)}; got {_show(chosen)}")
        return chosen

    def alias(self, value: Any, path: str) -> str:
        alias = self.string(value, path)
        if "|" in alias:
            raise self.fail(path, "must not contain | (it separates aliases in CSV)")
        return alias

    def article(self, value: Any, path: str) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            # YAML reads an unquoted 228.4 as a number, and 342.20 would lose its zero.
            raise self.fail(path, f'must be quoted text such as "228.4", got {value}')
        article = self.string(value, path)
        if not _ARTICLE.fullmatch(article):
            raise self.fail(
                path, f'must be an article such as "228", "228.4" or "361-1", got {_show(article)}'
            )
        return article

    def count(self, value: Any, path: str, below: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"must be a whole number, got {_show(value)}")
        if value < 0:
            raise self.fail(path, f"must not be negative, got {value}")
        if below is not None and value >= below:
            raise self.fail(path, f"must be less than {below}, got {value}")
        return value

    def date(self, value: Any, path: str) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(path, f"must be a date YYYY-MM-DD, got {_show(value)}")

    def as_of(self, value: Any, path: str) -> date:
        confirmed = self.date(value, path)
        if self.today is not None and confirmed > self.today:
            raise self.fail(
                path, f"must not be in the future, got {confirmed} (today is {self.today})"
            )
        return confirmed

    def source_ref(self, value: Any, path: str) -> str:
        source_id = self.string(value, path)
        self.references.append((path, source_id))
        return source_id

    def check_references(self, sources: list[Source]) -> None:
        first_index: dict[str, int] = {}
        for index, source in enumerate(sources):
            first = first_index.setdefault(source.id, index)
            if first != index:
                raise self.fail(
                    f"sources[{index}].id", f"duplicate source id, also sources[{first}].id"
                )
        for path, source_id in self.references:
            if source_id not in first_index:
                known = ", ".join(first_index)
                raise self.fail(path, f"unknown source {_show(source_id)}; sources are: {known}")

    def check_dates(self, case: Case) -> None:
        detained = case.detained_on
        # A partial date says less than a whole one: it is only kept where none is known.
        for exact, partial in (("birth_date", "born_in"), ("detained_on", "detained_in")):
            if getattr(case, exact) is not None and getattr(case, partial) is not None:
                raise self.fail(partial, f"must not be given with {exact}")
        if case.birth_date and detained and case.birth_date >= detained:
            raise self.fail("birth_date", f"must be before detained_on ({detained})")
        self.check_period_dates(case, "")
        # Earlier detentions come before the current one, each ended by a release.
        latest_release = None
        for index, period in enumerate(case.earlier):
            path = f"earlier_detentions[{index}]"
            if period.released_on is None and period.detained_known is None and not period.records:
                raise self.fail(path, "needs released_on, detained_on, detained_in or records")
            started = period.detained_known
            if latest_release and started and _surely_before(started, latest_release):
                raise self.fail(path, "must come after the detention before it (oldest first)")
            latest_release = period.released_on or latest_release
        current = case.detained_known
        if latest_release and current and _surely_before(current, latest_release):
            raise self.fail(
                "detained_on" if case.detained_on else "detained_in",
                f"must not be before the last earlier release ({latest_release})",
            )

    def check_period_dates(self, period: Case | PastDetention, path: str) -> None:
        detained = period.detained_on
        if period.detained_in is not None and detained is not None:
            raise self.fail(_join(path, "detained_in"), "must not be given with detained_on")
        if detained and period.released_on and period.released_on < detained:
            raise self.fail(
                _join(path, "released_on"), f"must not be before detained_on ({detained})"
            )
        if detained and period.sentence and period.sentence.sentenced_on < detained:
            raise self.fail(
                _join(path, "sentence.sentenced_on"),
                f"must not be before detained_on ({detained})",
            )


def _surely_before(partial: PartialDate, day: date) -> bool:
    """``partial`` is before ``day`` whatever its unknown parts are (July 2021 is not
    surely before 15 July 2021)."""
    known = {"year": 1, "month": 2, "day": 3}[partial.precision]
    return partial.sort_key[:known] < (day.year, day.month, day.day)[:known]


# The field checks, for other records the bot reads with the same rules and errors
# (cases.letter_guide: the organisation's guidance for letters).
FieldReader = _Reader
