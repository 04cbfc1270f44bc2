"""The questions /addcase asks, in order, and how each answer is checked and stored.

A step reads one answer into the draft, a plain dict in the shape of
docs/case-format.md, so the finished draft goes through ``case_from_dict``
like any imported case. A bad answer raises ``EditProblem``: the question
is asked again with the reason. No Telegram here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from cases.codec import CaseFormatError, case_from_dict
from cases.edit_words import EditProblem, check_url, parse_date, status_from_words
from cases.edits import source_id_for
from cases.model import RELEASED_STATUSES, Case
from languages import LANGUAGES

_SLUG = re.compile(r"[a-z0-9-]{3,40}")
_ARTICLE = re.compile(r"[0-9]+(-[0-9]+)?(\.[0-9]+)?")
_WHOLE = re.compile(r"[0-9]{1,2}")
MAX_TEXT = 300  # a name, a role or a title; longer is a paste gone wrong


@dataclass(frozen=True)
class Answers:
    """What a step may consult besides the draft."""

    today: date
    lang: str  # the admin's language: free texts are stored under it too
    slug_taken: Callable[[str], bool]


def _text(answer: str) -> str:
    answer = " ".join(answer.split())
    if not answer:
        raise EditProblem("empty")
    if len(answer) > MAX_TEXT:
        raise EditProblem("too_long", limit=MAX_TEXT)
    return answer


def suggest_slug(name: str, taken: Callable[[str], bool]) -> str:
    """A free slug from the English name: "Ales Bialiatski" -> "ales-bialiatski"."""
    # Accents go (José -> jose); letters with no ASCII base (Ł, Cyrillic) drop out.
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:37].strip("-") or "case"
    base = base if len(base) >= 3 else f"{base}-case"
    candidate, number = base, 2
    while taken(candidate):
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def name_en(draft: dict, answer: str, answers: Answers) -> None:
    draft["name"] = {"en": _text(answer)}


def slug(draft: dict, answer: str, answers: Answers) -> None:
    value = answer.strip().lower()
    if not _SLUG.fullmatch(value):
        raise EditProblem("bad_slug", given=answer.strip())
    if answers.slug_taken(value):
        raise EditProblem("slug_taken", given=value)
    draft["slug"] = value


def name_in(lang: str):
    def step(draft: dict, answer: str, answers: Answers) -> None:
        draft["name"][lang] = _text(answer)

    return step


def role(draft: dict, answer: str, answers: Answers) -> None:
    # Written in the admin's language; English is required, so it doubles as that.
    text = _text(answer)
    draft["role"] = {"en": text} if answers.lang == "en" else {"en": text, answers.lang: text}


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
    draft["sources"][0]["title"] = _text(answer)


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


def finished(draft: dict, today: date) -> Case:
    """The draft as a case; the codec has the last word (EditProblem "invalid" if not)."""
    try:
        return case_from_dict(draft, draft.get("slug", "new case"), today)
    except CaseFormatError as error:
        raise EditProblem("invalid", field=error.field, message=error.message) from None
