"""Many releases in one day: a list of names, as an outlet printed it, against the cases.

Used by /releases and ``python bot.py releases``. A list is one name a line,
in the outlet's spelling ("Maria Rabkova", "Anastasiya Loika"); numbering,
bullets and what follows the name (", 34, Homel", "(Viasna)") are left out.
Each line goes through the same name search people use, and becomes:

- ``matched``: one case, still held; it will be released;
- ``free``: one case, already released, in exile or dead; nothing changes;
- ``repeated``: the same case as an earlier line; nothing more changes;
- ``uncertain``: several cases could be meant, or one that may not be (a
  form of another gender or another first name: "Валентина Стефанович" for
  Valiantsin, a sister or a wife); never applied until an editor chooses
  one (in Telegram; the command line never applies it);
- ``not_found``: no case of that name.

No Telegram, no storage here: the callers commit the changed cases with
their release alerts and audit entries in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from cases.edit_words import EditProblem, check_url, parse_date
from cases.edits import StatusRequest, validated, with_status
from cases.model import RELEASED_STATUSES, Case, Text
from cases.search import SearchResult

# "12.", "12)", "#12", "12 -" and bullets before a name.
_LEADING = re.compile(r"^\s*(?:#?\d{1,4}\s*[.):\-–—]?(?:\s+|$)|[-*•·–—●▪]\s*)+")
# What an outlet adds after a name: ", 34, Homel", " (Viasna)", " — journalist", "; ...".
_TRAILING = re.compile(r"\s*(?:[,;(\[]|\s[-–—]\s).*$")
MAX_LINES = 5000  # a pardon of thousands still fits; beyond, it is not a list of names


@dataclass(frozen=True)
class ReleaseLine:
    number: int  # 1-based, as the editor counts the lines they pasted
    text: str  # the name as listed
    kind: str  # matched | free | repeated | uncertain | not_found
    slug: str | None = None  # matched, free, repeated
    candidates: tuple[str, ...] = ()  # uncertain: the cases that could be meant


@dataclass(frozen=True)
class ReleaseRequest:
    on: date
    status: str  # released | in_exile
    url: str


def names_in(text: str) -> list[tuple[int, str]]:
    """(line number, name) for every line that holds a name, in order."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        name = _TRAILING.sub("", _LEADING.sub("", line)).strip()
        if any(character.isalpha() for character in name):  # "1." alone is no name
            found.append((number, name))
    return found


def match_lines(
    lines: Iterable[tuple[int, str]],
    search: Callable[[str], SearchResult],
    get: Callable[[str], Case | None],
) -> list[ReleaseLine]:
    """What each line names, by the same search people use (see the module docstring)."""
    matched: list[ReleaseLine] = []
    seen: set[str] = set()
    for number, text in lines:
        result = search(text)
        if result.kind == "choose" or result.unsure:
            candidates = result.slugs if result.kind == "choose" else result.unsure
            matched.append(ReleaseLine(number, text, "uncertain", candidates=candidates))
            continue
        if result.kind != "match":
            matched.append(ReleaseLine(number, text, "not_found"))
            continue
        slug = result.slugs[0]
        held = get(slug).is_held
        kind = "repeated" if slug in seen else "matched" if held else "free"
        seen.add(slug)
        matched.append(ReleaseLine(number, text, kind, slug))
    return matched


def chosen(line: ReleaseLine, slug: str, get: Callable[[str], Case | None]) -> ReleaseLine:
    """An uncertain line once the editor chose which case it means."""
    if slug not in line.candidates:
        raise ValueError(f"{slug!r} is not a candidate of line {line.number}")
    return replace(line, kind="matched" if get(slug).is_held else "free", slug=slug)


def check_request(on_text: str, status: str, url: str, today: date) -> ReleaseRequest:
    """The date (a real day, not after ``today``), the status and the source, or EditProblem."""
    if status not in RELEASED_STATUSES:
        raise EditProblem("bad_status", given=status)
    return ReleaseRequest(parse_date(on_text, today), status, check_url(url))


@dataclass(frozen=True)
class Planned:
    pairs: list[tuple[Case, Case]]  # (before, after) of everyone released now
    refused: dict[str, str]  # slug -> why the release cannot be recorded (a field: a rule)


def changes(
    lines: Iterable[ReleaseLine],
    request: ReleaseRequest,
    get: Callable[[str], Case | None],
    today: date,
    event_text: Callable[[Case], Text],
) -> Planned:
    """The release of every matched line's case, once each; nothing for the other lines.

    ``event_text(case)`` is the timeline entry of the release in every language.
    A case the release would make invalid (released before it was detained) is
    refused, with the reason, and the others go ahead.
    """
    planned = Planned([], {})
    done: set[str] = set()
    for line in lines:
        if line.kind != "matched" or line.slug in done:
            continue
        before = get(line.slug)
        if before is None or not before.is_held:
            continue
        done.add(line.slug)
        status = StatusRequest(line.slug, request.status, request.on, request.url)
        try:
            after = validated(with_status(before, status, today, event_text(before)), today)
        except EditProblem as problem:
            values = problem.values
            planned.refused[line.slug] = f"{values.get('field')}: {values.get('message')}"
            continue
        planned.pairs.append((before, after))
    return planned
