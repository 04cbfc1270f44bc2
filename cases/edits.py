"""What /update and /setstatus mean: their arguments parsed, the changed case built.

No Telegram here, so each rule is easy to test alone. A problem is an
``EditProblem`` whose ``key`` and ``values`` the handler renders
(``case_problem.j2``); the changed case is checked by the codec like any
imported one, so these commands can never store what an import would refuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlsplit

from cases.codec import CaseFormatError, case_from_dict, case_to_dict
from cases.dates import PartialDate
from cases.edit_words import EditProblem, is_status, parse_date, status_from_words, take_url
from cases.model import HELD_STATUSES, RELEASED_STATUSES, Case, Event, PastDetention, Source, Text
from cases.search import MAX_QUERY_WORDS
from languages import LANGUAGES

# A timeline entry is a line or two; longer texts belong in a statement.
MAX_EVENT_TEXT = 1000


@dataclass(frozen=True)
class StatusRequest:
    name: str
    status: str
    on: date
    url: str


def parse_setstatus(args: str, today: date) -> StatusRequest:
    """``NAME STATUS DATE URL``: read from the end, where the shape is fixed."""
    words, url = take_url(args.split())
    if len(words) < 3:
        raise EditProblem("setstatus_usage")
    *rest, day_text = words
    for size in (4, 3, 2, 1):  # "на волі, у выгнанні" is four words
        if len(rest) > size and is_status(" ".join(rest[-size:])):
            break
    else:
        size = 1
    if len(rest) <= size:
        raise EditProblem("setstatus_usage")
    status, name_words = status_from_words(" ".join(rest[-size:])), rest[:-size]
    day = parse_date(day_text, today)
    if url is None:
        # A status is the fact everyone acts on: it never changes without a source.
        raise EditProblem("needs_source")
    return StatusRequest(" ".join(name_words), status, day, url)


def split_update(args: str, search) -> tuple[str, str, str | None]:
    """``NAME TEXT [URL]`` -> (name, text, url).

    ``NAME | TEXT`` (or the name alone on the first line) says where the name
    ends. Without that, the longest leading words that name exactly one case
    are the name; the preview shows both parts before anything is saved.
    """
    parts = re.split(r"\||\n", args.strip(), maxsplit=1)
    if len(parts) == 2:
        words, url = take_url(parts[1].split())
        name, text = parts[0].strip(), " ".join(words)
    else:
        words, url = take_url(args.split())
        name, text = _guess_name(words, search)
    if not name or not text:
        raise EditProblem("update_usage")
    if len(text) > MAX_EVENT_TEXT:
        raise EditProblem("too_long", limit=MAX_EVENT_TEXT)
    return name, text, url


def _guess_name(words: list[str], search) -> tuple[str, str]:
    longest = min(MAX_QUERY_WORDS, len(words) - 1)
    for wanted in ("match", "choose"):
        for count in range(longest, 0, -1):
            if search(" ".join(words[:count])).kind == wanted:
                return " ".join(words[:count]), " ".join(words[count:])
    return (words[0], " ".join(words[1:])) if words else ("", "")


def source_id_for(url: str, today: date, taken: set[str]) -> str:
    host = (urlsplit(url).hostname or "source").removeprefix("www.")
    base = f"{re.sub(r'[^a-z0-9]+', '-', host.lower()).strip('-')}-{today.isoformat()}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def with_source(case: Case, url: str, today: date, title: Text | None = None) -> tuple[Case, str]:
    """The case citing ``url`` (an existing source is reused) and the source's id.

    Untitled, a source is named by its site ("spring96.org"), the same in every
    language, so no reader sees it marked as English; its date is the date of
    the fact that cites it, which the card shows in the reader's format.
    """
    known = next((source for source in case.sources if source.url == url), None)
    if known is not None:
        return case, known.id
    source_id = source_id_for(url, today, {source.id for source in case.sources})
    host = (urlsplit(url).hostname or url).removeprefix("www.")
    source = Source(source_id, title or dict.fromkeys(LANGUAGES, host), url)
    return replace(case, sources=[*case.sources, source]), source_id


def with_event(
    case: Case,
    text: str,
    lang: str,
    today: date,
    url: str,
    title: Text | None = None,
    translations: dict[str, str] | None = None,
) -> Case:
    """The case with a timeline entry for today.

    ``text`` is in ``lang`` and counts as English too until an English
    ``translations["en"]`` replaces it; ``translations`` add other languages.
    """
    texts = {"en": text} if lang == "en" else {"en": text, lang: text}
    for language, translated in (translations or {}).items():
        if len(translated) > MAX_EVENT_TEXT:
            raise EditProblem("too_long", limit=MAX_EVENT_TEXT)
        texts[language] = translated
    if any(event.on == today and text in event.text.values() for event in case.events):
        raise EditProblem("duplicate_event")
    case, source_id = with_source(case, url, today, title)
    return replace(case, events=[*case.events, Event(today, texts, source_id)])


def with_status(
    case: Case, request: StatusRequest, today: date, event_text: Text | None = None
) -> Case:
    """The case with the new status as of the request's date, citing its URL.

    ``event_text``: the timeline entry of the change (in every language), added
    on the request's date when the status really changes.
    """
    changes_status = request.status != case.status
    if request.status in HELD_STATUSES and not case.is_held and case.status != "deceased":
        # Someone free detained again: a new detention, the last one kept as history.
        case = detained_again(case, request.on)
    case, source_id = with_source(case, request.url, today)
    released_on = case.released_on
    if request.status in RELEASED_STATUSES and (case.status in HELD_STATUSES or not released_on):
        released_on = request.on  # coming out now; a move into exile keeps the release day
    events = case.events
    entry = Event(request.on, event_text, source_id) if event_text else None
    if changes_status and entry is not None and entry not in events:
        events = [*events, entry]
    return replace(
        case,
        events=events,
        status=request.status,
        status_as_of=request.on,
        status_source=source_id,
        # A confirmation was of the status before; this one is dated by its source.
        status_confirmed_on=None,
        released_on=released_on,
    )


def detained_again(
    case: Case,
    on: date | None,
    detained_in: PartialDate | None = None,
    records: list[str] | None = None,
) -> Case:
    """The case with its current detention moved into ``earlier`` and a new one begun.

    The new detention starts bare: its place, sentence and notes are the new
    ones' to fill; the last detention's (a letters ban, "taken to Lithuania")
    belong to history, and the card's days count from the new arrest.
    """
    had_detention = (
        case.detained_known or case.released_on or case.sentence or case.detention or case.notes
    )
    earlier = list(case.earlier)
    if had_detention or case.list_records:
        earlier.append(
            PastDetention(
                detained_on=case.detained_on,
                released_on=case.released_on,
                detained_in=case.detained_in,
                sentence=case.sentence,
                detention=case.detention,
                notes=list(case.notes),
                records=list(case.list_records),
            )
        )
    return replace(
        case,
        earlier=earlier,
        detained_on=on,
        detained_in=detained_in if on is None else None,
        released_on=None,
        sentence=None,
        detention=None,
        notes=[],
        list_records=list(records or []),
    )


def confirmed(case: Case, today: date) -> Case:
    """The case with its status confirmed by an editor as of ``today`` ("Still true")."""
    return validated(replace(case, status_confirmed_on=today), today)


def validated(case: Case, today: date) -> Case:
    """The case as the codec reads it back; EditProblem("invalid") names the field."""
    try:
        return case_from_dict(case_to_dict(case), case.slug, today)
    except CaseFormatError as error:
        raise EditProblem("invalid", field=error.field, message=error.message) from None
