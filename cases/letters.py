"""Letters to a held person: the envelope, the rules that get a letter delivered, the greeting.

Pure functions over a case and the organisation's letter guide
(``data/letters.yaml``, read by ``cases.letter_guide``); no clock, no I/O.

The envelope is the person's full name with patronymic, the unit (отряд)
when the data has one, then the place record's address lines and postcode
exactly as written. It is written in the address's own language
(Belarusian or Russian), whatever language the reader uses, and the name
follows it: the aliases hold the "Surname First Patronymic" forms. When the
data has no patronymic, the envelope says so rather than invent one. The
year of birth follows the name ("1979 г.р.", the convention of Russian
prisons) only where the guide gives a source for it (``envelope.born``):
the Belarusian guides found write the name alone.

The rules come in the order of TOPICS: first who gets letters at all (after
sentencing, only close relatives, as Viasna reported in May 2023), a rule
that may hold for one status only (``status``: detained or sentenced).

Nobody gets an envelope for someone not held, whose letters are barred (a
``letters`` note), whose status is stale (they may have been moved or
freed), or whose place of detention has no verified address (a place record
with an address, its own source and as-of date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from cases.facts import is_stale, status_age
from cases.model import HELD_STATUSES, Address, Case, Note, Place, Source, Text

# The topics of the rules, in the order a letter-writer needs them: first whose
# letters are handed over at all, shown before the envelope and beside every
# "Write a letter" (``LetterGuide.first_rules``).
TOPICS = ("who", "envelope", "language", "avoid", "enclose", "timing")
FIRST_TOPIC = TOPICS[0]
# A rule may hold for people of one status only: before a verdict, or after it.
RULE_STATUSES = tuple(sorted(HELD_STATUSES))
# Where the unit's number (or name) goes in envelope.unit's line: "отряд № {unit}".
UNIT_FIELD = "{unit}"
# Letters must be in Belarusian or Russian: the greeting is offered in both.
LETTER_LANGUAGES = ("be", "ru")
# Belarusian-only letters: an address written with them is written in Belarusian.
_BELARUSIAN_LETTERS = re.compile(r"[іўІЎ]")
# The end of a patronymic, by language: Belarusian -авіч/-іч, -аўна, -ічна (always an і
# or ў); Russian -ович/-ич, -овна, -ична (never one). So "Рабкова Марфа Уладзіміраўна"
# is never taken for the Russian form.
_PATRONYMIC = {
    "be": re.compile(r"(?:іч|ўна|ічна)$"),
    "ru": re.compile(r"(?:ич|вна|ична)$"),
}

REFUSAL_REASONS = ("not_held", "barred", "stale", "no_address")


@dataclass(frozen=True)
class LetterRule:
    """One thing that decides whether a letter is delivered, with who says so and when."""

    topic: str  # one of TOPICS
    text: Text
    source: Source
    as_of: date
    status: str | None = None  # one of RULE_STATUSES: the rule holds for those only
    short: Text | None = None  # a shorter form, beside a birthday card reminder

    def applies_to(self, status: str | None) -> bool:
        return self.status is None or self.status == status


@dataclass(frozen=True)
class BornMark:
    """The year of birth on an envelope, where a source says the institutions want it."""

    text: dict[str, str]  # after the year, in the envelope's language: "г.р."
    source: Source
    as_of: date


@dataclass(frozen=True)
class LetterGuide:
    """The organisation's guidance for letters: rules, envelope wording, greeting templates."""

    rules: tuple[LetterRule, ...]
    # Rules of one place of detention, by its key: a topic given here replaces
    # the general rules of that topic for people held there.
    place_rules: dict[str, tuple[LetterRule, ...]] = field(default_factory=dict)
    # The year of birth after the name, with what follows it: only with a source.
    born: BornMark | None = None
    # The unit's line, in the envelope's language: "отряд № {unit}".
    unit: dict[str, str] = field(default_factory=dict)
    # Per letter language; {name} is the first name (and patronymic, when known).
    greeting: dict[str, str] = field(default_factory=dict)

    def rules_for(self, place_key: str | None, status: str | None = None) -> list[LetterRule]:
        """The rules for someone of ``status`` held at ``place_key``, in the order of TOPICS."""
        listed = self.place_rules.get(place_key or "", ())
        own = [rule for rule in listed if rule.applies_to(status)]
        replaced = {rule.topic for rule in own}
        general = [
            rule for rule in self.rules if rule.topic not in replaced and rule.applies_to(status)
        ]
        return sorted(general + own, key=lambda rule: TOPICS.index(rule.topic))

    def first_rules(self, case: Case) -> list[LetterRule]:
        """Whose letters are handed over, for ``case``: what goes beside "Write a letter"."""
        detention = case.detention
        place_key = detention.place_key if detention is not None else None
        rules = self.rules_for(place_key, case.status)
        return [rule for rule in rules if rule.topic == FIRST_TOPIC]


@dataclass(frozen=True)
class FullName:
    """A name in one language as an envelope wants it: "Surname First Patronymic"."""

    text: str
    first: str  # what a greeting calls the person: the first name (and patronymic)
    has_patronymic: bool


@dataclass(frozen=True)
class Envelope:
    language: str  # be or ru: the address's language, and the name's
    addressee: str  # the name (with patronymic when known), the year of birth where sourced
    has_patronymic: bool
    birth_year: int | None  # as written after the name: None without ``born``
    lines: tuple[str, ...]  # as the place record writes them
    postcode: str | None
    unit: str | None = None  # the unit's line, in the envelope's language
    born: BornMark | None = None  # the guide's source for writing the year at all

    def text(self) -> str:
        """The envelope, top to bottom: the addressee, the unit, the address lines, the postcode."""
        unit = [self.unit] if self.unit else []
        postcode = [self.postcode] if self.postcode else []
        return "\n".join([self.addressee, *unit, *self.lines, *postcode])


@dataclass(frozen=True)
class Letter:
    """What /letter shows for a person who may be written to."""

    case: Case
    place: Place
    envelope: Envelope
    rules: list[LetterRule]  # in the order of TOPICS
    greetings: dict[str, str]  # be and ru, the person's name in each

    @property
    def first_rules(self) -> list[LetterRule]:
        """Whose letters are handed over: shown first, before the envelope."""
        return [rule for rule in self.rules if rule.topic == FIRST_TOPIC]

    @property
    def other_rules(self) -> list[LetterRule]:
        """The rest: what gets a letter delivered."""
        return [rule for rule in self.rules if rule.topic != FIRST_TOPIC]


@dataclass(frozen=True)
class Refusal:
    """Why there is no envelope: one of REFUSAL_REASONS, with what the reader needs."""

    case: Case
    reason: str
    note: Note | None = None  # barred: the note that says so
    confirmed_on: date | None = None  # stale: the last confirmation
    status_age: int | None = None  # stale: days since then


def letter_for(case: Case, guide: LetterGuide, today: date, stale_days: int) -> Letter | Refusal:
    """The envelope, rules and greetings for ``case``; or why there are none."""
    if not case.is_held:
        return Refusal(case, "not_held")
    barred = next((note for note in case.notes if note.kind == "letters"), None)
    if barred is not None:
        return Refusal(case, "barred", note=barred)
    if is_stale(case, today, stale_days):
        return Refusal(
            case,
            "stale",
            confirmed_on=case.status_confirmed,
            status_age=status_age(case, today),
        )
    place = verified_place(case)
    if place is None:
        return Refusal(case, "no_address")
    return Letter(
        case=case,
        place=place,
        envelope=envelope(case, place.address, guide),
        rules=guide.rules_for(place.key, case.status),
        greetings={lang: greeting(case, guide, lang) for lang in LETTER_LANGUAGES},
    )


def verified_place(case: Case) -> Place | None:
    """The place record the person is held at, when it has an address (sourced and dated)."""
    detention = case.detention
    record = detention.record if detention is not None else None
    return record if record is not None and record.address is not None else None


def address_language(address: Address) -> str:
    """be when the address is written in Belarusian, else ru (the institutions' usual)."""
    written = " ".join(address.lines)
    return "be" if _BELARUSIAN_LETTERS.search(written) else "ru"


def full_name(case: Case, language: str) -> FullName | None:
    """The name in ``language`` (be or ru), surname first with patronymic when the data has one.

    The patronymic must be one of ``language``'s own: a Belarusian alias is
    not the Russian form of the name, even when both spell the name alike.

    The aliases hold "Surname First Patronymic" (``Кавалёў Аляксандр
    Аляксандравіч`` for ``Аляксандр Кавалёў``); without one, the name as the
    case writes it. None when the case has no name in that language.
    """
    name = case.name.get(language)
    if not name:
        return None
    words = name.split()
    *first, surname = words
    for alias in case.aliases:
        parts = alias.split()
        if (
            len(parts) == len(words) + 1
            and parts[0] == surname
            and parts[1:-1] == first
            and _PATRONYMIC[language].search(parts[-1])
        ):
            return FullName(" ".join(parts), " ".join(parts[1:]), True)
    return FullName(name, " ".join(first) or name, False)


def name_in(case: Case, language: str) -> FullName:
    """The full name in ``language``, else in the other letter language, else as written."""
    others = [lang for lang in LETTER_LANGUAGES if lang != language]
    for lang in (language, *others):
        found = full_name(case, lang)
        if found is not None:
            return found
    english = case.name["en"]
    return FullName(english, english.split()[0], False)


def envelope(case: Case, address: Address, guide: LetterGuide) -> Envelope:
    language = address_language(address)
    name = name_in(case, language)
    born = guide.born
    year = case.birth_year if born is not None else None
    addressee = name.text
    if born is not None and year is not None:
        addressee = f"{name.text}, {year} {born.text.get(language, '')}".rstrip()
    return Envelope(
        language=language,
        addressee=addressee,
        has_patronymic=name.has_patronymic,
        birth_year=year,
        lines=tuple(address.lines),
        postcode=address.postcode,
        unit=unit_line(case, guide, language),
        born=born,
    )


def unit_line(case: Case, guide: LetterGuide, language: str) -> str | None:
    """The person's unit (отряд) in ``language``, when the data has one."""
    unit = case.detention.unit if case.detention is not None else None
    if unit is None:
        return None
    wording = guide.unit.get(language)
    return wording.replace(UNIT_FIELD, unit) if wording else unit


def greeting(case: Case, guide: LetterGuide, language: str) -> str:
    """The greeting template in ``language`` with the person's name filled in."""
    template = guide.greeting.get(language, "")
    return template.replace("{name}", name_in(case, language).first).strip()
