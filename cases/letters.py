"""Letters to a held person: the envelope, the rules that get a letter delivered, the greeting.

Pure functions over a case and the organisation's letter guide
(``data/letters.yaml``, read by ``cases.letter_guide``); no clock, no I/O.

The envelope is what the institution requires: the person's full name with
patronymic and year of birth, then the place record's address lines and
postcode exactly as written. It is written in the address's own language
(Belarusian or Russian), whatever language the reader uses, and the name
follows it: the aliases hold the "Surname First Patronymic" forms. When the
data has no patronymic, the envelope says so rather than invent one.

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
from cases.model import Address, Case, Note, Place, Source, Text

# The topics of the rules, in the order a letter-writer needs them.
TOPICS = ("envelope", "language", "avoid", "enclose", "timing")
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


@dataclass(frozen=True)
class LetterGuide:
    """The organisation's guidance for letters: rules, envelope wording, greeting templates."""

    rules: tuple[LetterRule, ...]
    # Rules of one place of detention, by its key: a topic given here replaces
    # the general rules of that topic for people held there.
    place_rules: dict[str, tuple[LetterRule, ...]] = field(default_factory=dict)
    # After the year on an envelope, in the envelope's language: "1979 г. р.".
    born: dict[str, str] = field(default_factory=dict)
    # Per letter language; {name} is the first name (and patronymic, when known).
    greeting: dict[str, str] = field(default_factory=dict)

    def rules_for(self, place_key: str | None) -> list[LetterRule]:
        """The rules for someone held at ``place_key``, in the order of TOPICS."""
        own = self.place_rules.get(place_key or "", ())
        replaced = {rule.topic for rule in own}
        chosen = [rule for rule in self.rules if rule.topic not in replaced] + list(own)
        return sorted(chosen, key=lambda rule: TOPICS.index(rule.topic))


@dataclass(frozen=True)
class FullName:
    """A name in one language as an envelope wants it: "Surname First Patronymic"."""

    text: str
    first: str  # what a greeting calls the person: the first name (and patronymic)
    has_patronymic: bool


@dataclass(frozen=True)
class Envelope:
    language: str  # be or ru: the address's language, and the name's
    addressee: str  # the name (with patronymic when known) and the year of birth
    has_patronymic: bool
    birth_year: int | None
    lines: tuple[str, ...]  # as the place record writes them
    postcode: str | None

    def text(self) -> str:
        """The envelope, top to bottom: the addressee, the address lines, the postcode."""
        return "\n".join([self.addressee, *self.lines, *([self.postcode] if self.postcode else [])])


@dataclass(frozen=True)
class Letter:
    """What /letter shows for a person who may be written to."""

    case: Case
    place: Place
    envelope: Envelope
    rules: list[LetterRule]
    greetings: dict[str, str]  # be and ru, the person's name in each


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
        rules=guide.rules_for(place.key),
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
    year = case.birth_year
    born = guide.born.get(language, "")
    addressee = name.text if year is None else f"{name.text}, {year} {born}".rstrip()
    return Envelope(
        language=language,
        addressee=addressee,
        has_patronymic=name.has_patronymic,
        birth_year=year,
        lines=tuple(address.lines),
        postcode=address.postcode,
    )


def greeting(case: Case, guide: LetterGuide, language: str) -> str:
    """The greeting template in ``language`` with the person's name filled in."""
    template = guide.greeting.get(language, "")
    return template.replace("{name}", name_in(case, language).first).strip()
