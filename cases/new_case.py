"""The questions /addcase asks, in order, and how each answer is checked and stored.

A step reads one answer into the draft, a plain dict in the shape of
docs/case-format.md, so the finished draft goes through ``case_from_dict``
like any imported case. A bad answer raises ``EditProblem``: the question
is asked again with the reason. No Telegram here.

Someone held is asked where: a stored place (its key, or words of its name
or address that find it), or a new place, whose name, address lines and
postcode follow and which is saved with the case (``new_place``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from cases.codec import CaseFormatError, case_from_dict, place_from_dict
from cases.edit_words import (
    EditProblem,
    check_url,
    is_today,
    looks_like_date,
    parse_date,
    status_from_words,
)
from cases.edits import source_id_for
from cases.latin import to_latin
from cases.model import HELD_STATUSES, RELEASED_STATUSES, Case, Place, localised
from languages import LANGUAGES

_SLUG = re.compile(r"[a-z0-9-]{3,40}")
_ARTICLE = re.compile(r"[0-9]+(-[0-9]+)?(\.[0-9]+)?")
_WHOLE = re.compile(r"[0-9]{1,2}")
MAX_TEXT = 300  # a name, a role or a title; longer is a paste gone wrong
# A new place's address: the lines an envelope takes under the name, and its postcode.
MAX_ADDRESS_LINES = 6
MAX_ADDRESS_LINE = 100
_POSTCODE = re.compile(r"[0-9]{6}")  # Belarusian postcodes: 220000, 213410
# Where a new place waits in the draft until the case is done (not a case field).
NEW_PLACE = "new_place"
# The answer to the place question that adds a new place (the button sends it).
ADD_PLACE = "+"


@dataclass(frozen=True)
class Answers:
    """What a step may consult besides the draft."""

    today: date
    lang: str  # the admin's language: free texts are stored under it too
    slug_taken: Callable[[str], bool]
    places: Mapping[str, Place] = field(default_factory=dict)  # the stored ones, by key


def _text(answer: str) -> str:
    answer = " ".join(answer.split())
    if not answer:
        raise EditProblem("empty")
    if len(answer) > MAX_TEXT:
        raise EditProblem("too_long", limit=MAX_TEXT)
    return answer


def _name(answer: str) -> str:
    """A person's name: words, never a date or a number (an answer to another question)."""
    text = _text(answer)
    if looks_like_date(text) or is_today(text):
        raise EditProblem("name_is_date", given=text)
    if any(character.isdigit() for character in text):
        raise EditProblem("name_has_digits", given=text)
    return text


def suggest_slug(name: str, taken: Callable[[str], bool]) -> str:
    """A free slug from the English name: "Ales Bialiatski" -> "ales-bialiatski"."""
    # Cyrillic romanised (a place's name may have no other); accents go (José -> jose);
    # letters with no ASCII base (Ł) drop out.
    ascii_name = unicodedata.normalize("NFKD", to_latin(name)).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:37].strip("-") or "case"
    base = base if len(base) >= 3 else f"{base}-case"
    candidate, number = base, 2
    while taken(candidate):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def name_en(draft: dict, answer: str, answers: Answers) -> None:
    draft["name"] = {"en": _name(answer)}


def slug(draft: dict, answer: str, answers: Answers) -> None:
    value = answer.strip().lower()
    if not _SLUG.fullmatch(value):
        raise EditProblem("bad_slug", given=answer.strip())
    if answers.slug_taken(value):
        raise EditProblem("slug_taken", given=value)
    draft["slug"] = value


def name_in(lang: str):
    def step(draft: dict, answer: str, answers: Answers) -> None:
        draft["name"][lang] = _name(answer)

    return step


def _in_own_language(text: str, answers: Answers) -> dict[str, str]:
    # Written in the admin's language; English is required, so it doubles as that.
    return {"en": text} if answers.lang == "en" else {"en": text, answers.lang: text}


def role(draft: dict, answer: str, answers: Answers) -> None:
    draft["role"] = _in_own_language(_text(answer), answers)


def status(draft: dict, answer: str, answers: Answers) -> None:
    draft["status"] = status_from_words(answer)


def status_date(draft: dict, answer: str, answers: Answers) -> None:
    draft["status_as_of"] = parse_date(answer.strip(), answers.today).isoformat()


def released_on(draft: dict, answer: str, answers: Answers) -> None:
    draft["released_on"] = parse_date(answer.strip(), answers.today).isoformat()


def source_url(draft: dict, answer: str, answers: Answers) -> None:
    url = check_url(answer.strip())
    source_id = source_id_for(url, answers.today, set())
    draft["sources"] = [{"id": source_id, "title": "", "url": url}]
    draft["status_source"] = source_id


def source_title(draft: dict, answer: str, answers: Answers) -> None:
    """The title as written, in the editor's language (and English's until someone
    translates it, as every free text here); the site's name reads the same in all."""
    title = _text(answer)
    if title == suggestion("source_title", draft, answers):
        draft["sources"][0]["title"] = dict.fromkeys(LANGUAGES, title)
    else:
        draft["sources"][0]["title"] = {"en": title, answers.lang: title}


def detained_on(draft: dict, answer: str, answers: Answers) -> None:
    day = parse_date(answer.strip(), answers.today)
    released = draft.get("released_on")
    if released and day.isoformat() > released:
        raise EditProblem("detained_after_release", released=date.fromisoformat(released))
    draft["detained_on"] = day.isoformat()


def birth_date(draft: dict, answer: str, answers: Answers) -> None:
    day = parse_date(answer.strip(), answers.today)
    detained = draft.get("detained_on")
    if detained and day.isoformat() >= detained:
        raise EditProblem("born_after_detention", detained=date.fromisoformat(detained))
    draft["birth_date"] = day.isoformat()


def sentence(draft: dict, answer: str, answers: Answers) -> None:
    """``YEARS MONTHS DATE COURT ARTICLES...``: articles are read from the end."""
    words = answer.split()
    articles: list[str] = []
    while words and _ARTICLE.fullmatch(words[-1]):
        articles.insert(0, words.pop())
    if len(words) < 4 or not articles or not all(_WHOLE.fullmatch(w) for w in words[:2]):
        raise EditProblem("bad_sentence")
    years, months = int(words[0]), int(words[1])
    if months >= 12:
        raise EditProblem("bad_months", given=months)
    sentenced_on = parse_date(words[2], answers.today)
    detained = draft.get("detained_on")
    if detained and sentenced_on.isoformat() < detained:
        raise EditProblem("sentenced_before_detention", detained=date.fromisoformat(detained))
    draft["sentence"] = {
        "years": years,
        "months": months,
        "sentenced_on": sentenced_on.isoformat(),
        "court": {"en": _text(" ".join(words[3:]))},
        "articles": articles,
        "source": draft["status_source"],
        "as_of": draft["status_as_of"],
    }


def _words(text: str) -> list[str]:
    """Lower-case words without the punctuation around them: "No. 9," -> ["no", "9"]."""
    words = re.split(r"[\s,;]+", text.casefold().replace("ё", "е"))
    return [word for word in (word.strip(".:()«»\"'„”“") for word in words) if word]


def find_places(places: Mapping[str, Place], typed: str, lang: str) -> list[Place]:
    """The places with a word starting with each word typed, in their key, their name in
    any language or their address; by their name in ``lang``."""
    wanted = _words(typed)
    found = []
    for place in places.values():
        lines = place.address.lines if place.address else []
        words = _words(" ".join([place.key, *place.name.values(), *lines]))
        if wanted and all(any(word.startswith(part) for word in words) for part in wanted):
            found.append(place)
    return sorted(found, key=lambda place: localised(place.name, lang).casefold())


def _held_at(draft: dict, key: str) -> None:
    # Held there as of the status's own date, by the status's own source.
    draft["detention"] = {
        "place": key,
        "source": draft["status_source"],
        "as_of": draft["status_as_of"],
    }


def place(draft: dict, answer: str, answers: Answers) -> None:
    """A stored place by its key or words of its name; ``ADD_PLACE`` for a new one.

    Words that fit several places raise "places_found" (the handler offers
    those); words that fit none, "no_place".
    """
    answer = answer.strip()
    draft.pop(NEW_PLACE, None)
    draft.pop("detention", None)
    if answer == ADD_PLACE:
        draft[NEW_PLACE] = {}
        return
    if answer.lower() in answers.places:
        _held_at(draft, answer.lower())
        return
    found = find_places(answers.places, _text(answer), answers.lang)
    if not found:
        raise EditProblem("no_place", given=answer)
    if len(found) > 1:
        raise EditProblem("places_found", given=answer, count=len(found))
    _held_at(draft, found[0].key)


def place_name(draft: dict, answer: str, answers: Answers) -> None:
    name = _text(answer)
    taken = lambda key: key in answers.places  # noqa: E731
    draft[NEW_PLACE] = {"key": suggest_slug(name, taken), "name": _in_own_language(name, answers)}
    _held_at(draft, draft[NEW_PLACE]["key"])


def place_address(draft: dict, answer: str, answers: Answers) -> None:
    """The address one line per line, as an envelope takes it under the name."""
    lines = [" ".join(line.split()) for line in answer.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise EditProblem("empty")
    if len(lines) > MAX_ADDRESS_LINES or any(len(line) > MAX_ADDRESS_LINE for line in lines):
        raise EditProblem("bad_address", lines=MAX_ADDRESS_LINES, limit=MAX_ADDRESS_LINE)
    draft[NEW_PLACE]["address"] = {"lines": lines}


def place_postcode(draft: dict, answer: str, answers: Answers) -> None:
    code = "".join(answer.split())
    if not _POSTCODE.fullmatch(code):
        raise EditProblem("bad_postcode", given=answer.strip())
    draft[NEW_PLACE]["address"]["postcode"] = code


def is_held(draft: dict) -> bool:
    return draft.get("status") in HELD_STATUSES


def adds_place(draft: dict) -> bool:
    return is_held(draft) and NEW_PLACE in draft


@dataclass(frozen=True)
class Step:
    key: str  # names the question in addcase_ask.j2
    read: Callable[[dict, str, Answers], None]
    skippable: bool = False
    when: Callable[[dict], bool] = lambda draft: True


STEPS = (
    Step("name_en", name_en),
    Step("slug", slug),
    # The name in each other language the bot speaks (a new catalogue adds a question).
    *(Step(f"name_{code}", name_in(code), skippable=True) for code in LANGUAGES if code != "en"),
    Step("role", role, skippable=True),
    Step("status", status),
    Step("status_date", status_date),
    Step("released_on", released_on, True, lambda draft: draft.get("status") in RELEASED_STATUSES),
    Step("source_url", source_url),
    Step("source_title", source_title),
    # Where someone held is held: a stored place, or a new one (its three questions).
    Step("place", place, skippable=True, when=is_held),
    Step("place_name", place_name, when=adds_place),
    Step("place_address", place_address, when=adds_place),
    Step("place_postcode", place_postcode, skippable=True, when=adds_place),
    Step("detained_on", detained_on, skippable=True),
    Step("birth_date", birth_date, skippable=True),
    Step("sentence", sentence, skippable=True),
)


def suggestion(key: str, draft: dict, answers: Answers) -> str | None:
    """A ready answer offered as a button: the slug from the name, the site as a title."""
    if key == "slug":
        return suggest_slug(draft["name"]["en"], answers.slug_taken)
    if key == "source_title":
        return urlsplit(draft["sources"][0]["url"]).hostname.removeprefix("www.")
    return None


def next_step(draft: dict, after: int) -> int | None:
    """The index of the next question that applies, or None when the draft is done."""
    for index in range(after + 1, len(STEPS)):
        if STEPS[index].when(draft):
            return index
    return None


def finished(draft: dict, today: date) -> tuple[Case, Place | None]:
    """The draft as a case, and the new place it names if it adds one; the codec has
    the last word (EditProblem "invalid" if not)."""
    fields = {key: value for key, value in draft.items() if key != NEW_PLACE}
    if not is_held(fields):
        fields.pop("detention", None)  # asked only of someone held
    try:
        case = case_from_dict(fields, draft.get("slug", "new case"), today)
        return case, new_place(draft, today) if case.detention else None
    except CaseFormatError as error:
        raise EditProblem("invalid", field=error.field, message=error.message) from None


def new_place(draft: dict, today: date) -> Place | None:
    """The place the draft adds: held there by the case's own source, as of its status."""
    if not adds_place(draft):
        return None
    source = draft["sources"][0]
    record = {
        **draft[NEW_PLACE],
        # A place's source title is plain text (docs/case-format.md).
        "source": {"title": localised(source["title"], "en"), "url": source["url"]},
        "as_of": draft["status_as_of"],
    }
    return place_from_dict(record, f"new place {record['key']}", today)
