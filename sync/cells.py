"""One cell of the export read into a value, or a ``CellProblem`` that says what was found.

Every parser here takes the cell's text as written and is cached on it: an
export of 9,000 rows holds a few hundred distinct dates, forty prisons and a
handful of statuses, so most cells are read once. (That is also why the
parsers return immutable values.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cases.dates import PartialDate
from cases.regions import is_region_word, regions_named
from sync.words import (
    EX_POST_FACTO,
    GENDERS,
    MACHINE_STATUSES,
    MONTHS,
    NO,
    STATUS_WORDS,
    UNKNOWN,
    YES,
    fold,
)

CACHE = 4096
# Years outside this span are a typing slip ("0198", "20021"), not a date to keep.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class CellProblem(ValueError):
    """A cell that could not be read: ``str()`` says what is wrong, in English."""


def quoted(text: str, limit: int = 60) -> str:
    """``text`` as a problem quotes it: one line, at most ``limit`` characters."""
    flat = " / ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return f'"{flat[: limit - 1]}…"' if len(flat) > limit else f'"{flat}"'


# --- dates -------------------------------------------------------------------

_NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})|(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_YEAR_WORD = re.compile(r"(?<=\d)\s*(?:г\.?|года|год)$")
_MONTH_YEAR = re.compile(r"(\d{1,2})[./](\d{4})|(\d{4})")
# "29 сентября 2026", "29 September 2026", "September 29, 2026", "april 2026", "2026 г."
_WORDS = re.compile(r"(?:(\d{1,2})\s+)?([^\W\d_]+)\.?(?:\s+(\d{1,2}))?,?\s+(\d{4})")


def date_cell(text: str) -> PartialDate | None:
    """A date as the export writes it (docs/viasna-export.md); None when unknown.

    Raises ``CellProblem`` for a date that is not one (31.02.2024, "spring").
    """
    # Most dates are DD.MM.YYYY and most are different (birthdays): read those directly.
    if len(text) == 10 and text[2] == "." and text[5] == "." and text.isascii():
        day, month, year = text[:2], text[3:5], text[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            return _date(text, int(year), int(month), int(day))
    return _date_in_words(text)


def _date(text: str, year: int, month: int | None, day: int | None) -> PartialDate:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellProblem(f"not a plausible year: {quoted(text)}")
    try:
        return PartialDate(year, month, day)
    except ValueError:
        raise CellProblem(f"no such day: {quoted(text)}") from None


@lru_cache(maxsize=CACHE)
def _date_in_words(text: str) -> PartialDate | None:
    """Any other form of a date: ISO, partial, in words."""
    folded = _YEAR_WORD.sub("", fold(text))
    if folded in UNKNOWN:
        return None
    year: str
    month: str | int | None
    day: str | None
    if match := _NUMERIC.fullmatch(folded):
        if match[1]:
            day, month, year = match[1], match[2], match[3]
        else:
            year, month, day = match[4], match[5], match[6]
    elif match := _MONTH_YEAR.fullmatch(folded):
        month, year, day = match[1], match[2] or match[3], None
    elif (match := _WORDS.fullmatch(folded)) and match[2] in MONTHS:
        if match[1] and match[3]:
            raise CellProblem(f"not a date: {quoted(text)}")
        month, day, year = MONTHS[match[2]], match[1] or match[3], match[4]
    else:
        raise CellProblem(f"not a date: {quoted(text)}")
    return _date(text, int(year), month and int(month), day and int(day))


# --- status, gender, flags -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Status:
    value: str  # "active" | "former" | "np"
    ex_post_facto: bool = False  # recognised as a political prisoner after release


_NOT_RECOGNISED = Status("np")


@lru_cache(maxsize=CACHE)
def status_cell(text: str) -> Status:
    """``active``/``former``/``np``, or the words of a labelled export.

    An empty status is someone not (or no longer) recognised: ``np``, as the
    machine export writes it. A word that is none of these raises
    ``CellProblem``: it is never guessed, and never read as "released".
    """
    lines = [fold(line) for line in text.splitlines() if line.strip()]
    if not lines:
        return _NOT_RECOGNISED
    ex_post_facto = False
    kept = []
    for line in lines:
        line = line.rstrip(".")
        if line in EX_POST_FACTO:
            ex_post_facto = True
        else:
            kept.append(line)
    if len(kept) == 1 and kept[0] in MACHINE_STATUSES:
        return Status(kept[0], ex_post_facto)
    if len(kept) == 1 and kept[0] in STATUS_WORDS:
        return Status(STATUS_WORDS[kept[0]], ex_post_facto)
    raise CellProblem(f"unknown status {quoted(text)}")


@lru_cache(maxsize=CACHE)
def gender_cell(text: str) -> str | None:
    """ "male", "female" or None (empty); ``CellProblem`` for another word."""
    folded = fold(text)
    if not folded:
        return None
    if folded in GENDERS:
        return GENDERS[folded]
    raise CellProblem(f"unknown gender {quoted(text)}")


@lru_cache(maxsize=CACHE)
def flag_cell(text: str) -> bool:
    """1/yes/да/так or 0/no/нет/empty; ``CellProblem`` for anything else."""
    folded = fold(text)
    if not folded or folded in NO:
        return False
    if folded in YES:
        return True
    raise CellProblem(f"neither yes nor no: {quoted(text)}")


@lru_cache(maxsize=CACHE)
def died_cell(text: str) -> tuple[bool, PartialDate | None]:
    """(died, on): a flag or a date of death."""
    folded = fold(text)
    if folded in YES:
        return True, None
    if not folded or folded in NO:
        return False, None
    if folded in UNKNOWN:
        return False, None
    try:
        on = date_cell(text)
    except CellProblem:
        if any(character.isdigit() for character in folded):
            raise  # a date that is not one: the row cannot be read
        raise CellProblem(f"neither a date nor yes/no: {quoted(text)}") from None
    return True, on


# --- sentences --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentenceCell:
    """A sentence as written ("4 1/2 years", "2 года колонии"), and its term when it is clear.

    ``years`` and ``months`` are both None unless the text names one term
    (one number of years, at most one of months); then both are set.
    """

    text: str
    years: int | None = None
    months: int | None = None

    @property
    def term(self) -> tuple[int, int] | None:
        return None if self.years is None or self.months is None else (self.years, self.months)


_YEARS = re.compile(
    r"(\d+)(?:\s+(\d+)/(\d+)|[.,](\d+))?\s*(?:years?|yrs?|год|года|годы|лет|гады|гадоў)(?!\w)"
)
_MONTHS = re.compile(
    r"(\d+)\s*(?:months?|месяц|месяца|месяцев|месяцы|месяцаў|мес|мес\.)(?![^\W\d_])"
)
_LIFE = re.compile(r"life|пожизнен|пажыццёв|пажыццев|death|смерт")


@lru_cache(maxsize=CACHE)
def sentence_cell(text: str) -> SentenceCell | None:
    written = text.strip()
    if not written:
        return None
    folded = fold(written)
    if folded in UNKNOWN:
        return None
    years_found = _YEARS.findall(folded)
    months_found = _MONTHS.findall(folded)
    if len(years_found) > 1 or len(months_found) > 1 or _LIFE.search(folded):
        return SentenceCell(written)
    if not years_found and not months_found:
        return SentenceCell(written)
    total = 0
    if years_found:
        whole, numerator, denominator, decimal = years_found[0]
        total = int(whole) * 12
        if numerator:
            if int(denominator) == 0 or int(numerator) * 12 % int(denominator):
                return SentenceCell(written)
            total += int(numerator) * 12 // int(denominator)
        elif decimal:
            tenths = int(decimal) * 12
            scale = 10 ** len(decimal)
            if tenths % scale:
                return SentenceCell(written)  # 1,3 years is not a whole number of months
            total += tenths // scale
    if months_found:
        total += int(months_found[0])
    return SentenceCell(written, total // 12, total % 12)


# --- region -----------------------------------------------------------------------

_CITY_WORDS = frozenset({"г", "гор", "горад", "город", "city", "miasto"})
_ADJECTIVE_ENDINGS = ("ая", "ой", "ай", "ую", "aya", "aja", "skaja", "ski")
_WORD = re.compile(r"[^\W\d_]+")
_MINSKS = frozenset({"minsk", "minsk-city"})


@lru_cache(maxsize=CACHE)
def region_cell(text: str) -> str | None:
    """The one region ``clusters`` names ("Гомель", "Homel region"), else None.

    Each comma-separated part names some regions; the answer is the one
    region every part that names any agrees on. Minsk is the city only when
    the cell says so ("г. Минск", "Minsk city"), the region when it says so
    ("Минская область", "Мінская"); a bare "Минск" could be either, and
    gives None, as ``cases.regions`` has it.
    """
    candidates: set[str] | None = None
    for part in re.split(r"[,;\n]", text):
        named: set[str] = set()
        city = region = False
        for word in _WORD.findall(part):
            if is_region_word(word):
                city |= fold(word) in _CITY_WORDS
                region |= fold(word) not in _CITY_WORDS
                continue
            found = regions_named(word)
            if found == _MINSKS and fold(word).endswith(_ADJECTIVE_ENDINGS):
                region = True
            named |= found
        if not named:
            continue
        if named == _MINSKS and city != region:
            named = {"minsk-city" if city else "minsk"}
        candidates = named if candidates is None else candidates & named
    if candidates and len(candidates) == 1:
        return next(iter(candidates))
    return None


# --- the person's page ------------------------------------------------------------

PAGE_LANGUAGES = frozenset({"en", "be", "ru"})


def url_cell(text: str) -> tuple[str, str, str | None]:
    """(url, person_key, the url's language) from a person's page address.

    ``https://prisoners.spring96.org/ru/person/ales-bialiatski`` gives
    ``person/ales-bialiatski`` and "ru": the same person's page in every
    language has the same key. (Read by hand rather than by ``urlsplit``:
    every row has its own, and this is four times faster.)
    """
    url = text.strip()
    scheme, separator, rest = url.partition("://")
    host, _, path = rest.partition("/")
    if scheme.lower() not in ("http", "https") or not separator or not host or " " in url:
        raise CellProblem(f"not a web address: {quoted(text)}")
    path = path.partition("?")[0].partition("#")[0]
    segments = [segment for segment in path.split("/") if segment]
    language = None
    if segments and segments[0].lower() in PAGE_LANGUAGES:
        language = segments.pop(0).lower()
    if not segments:
        raise CellProblem(f"not a person's page: {quoted(text)}")
    return url, "/".join(segments), language
