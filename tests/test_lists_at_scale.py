"""/list and /upcoming on a generated caseload of 1,200 (``bench/caseload.py``): by
surname, each name once, longest held first by days, and every date of the 30 days
on a page of its own."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from alerts.calendar import events_between
from bench.caseload import generate, place_records
from cases.facts import days_behind_bars
from fakeapi.harness import ChatDriver
from handlers.shared.flood import GATE_KEY, FloodGate
from storage import cases as case_store
from storage.db import connect
from tests.conftest import TODAY, running_bot

# One held person whose detention date nobody knows: longest held first puts them last.
UNDATED = "nobody-knows-when"
CASES = generate(1200, today=TODAY)
CASES.append(replace(CASES[0], slug=UNDATED, detained_on=None, status="detained"))
BY_SLUG = {case.slug: case for case in CASES}
# The alphabets the names are written in, in their own order (not code points). The
# list reads ё as е and ў as у, as Russian dictionaries read ё (cases/catalogue.py).
ALPHABETS = {
    "en": "abcdefghijklmnopqrstuvwxyz",
    "be": "абвгдежзійклмнопрстуфхцчшыьэюя",
    "ru": "абвгдежзийклмнопрстуфхцчшщъыьэюя",
}
AS_LETTERS = str.maketrans({"ё": "е", "ў": "у"})
PERSON_BUTTONS_AT_MOST = 8
# Under the people: back and next (where there is a page), the four statuses,
# region and place, the other order and A–Z. README counts them.
NAVIGATION = 2 + 4 + 2 + 2


@pytest.fixture
async def crowd(settings, api):
    db = await connect(settings.db_path)
    await case_store.merge_cases(db, CASES, places=place_records())
    await db.close()
    async with running_bot(settings, api) as application:
        # The tests turn 150 pages in a second or two, faster than anyone taps: the
        # flood gate (tests/test_flood.py) would rightly stop them.
        application.bot_data[GATE_KEY] = FloodGate(burst=10**9, per_second=10**9)
        yield ChatDriver(application, api, raise_errors=True)


def people(reply) -> list[tuple[str, str]]:
    """(slug, text) of each button that opens a card."""
    return [
        (button["callback_data"].removeprefix("card:"), button["text"])
        for button in reply.buttons
        if button.get("callback_data", "").startswith("card:")
    ]


def name_in(case, lang: str) -> str:
    return case.name.get(lang) or case.name["en"]


def surname(case, lang: str) -> str:
    """The generated names are written "First Surname" in every language."""
    return name_in(case, lang).split()[-1]


def alphabetical(word: str, lang: str) -> list[int]:
    alphabet = ALPHABETS["en" if lang == "pl" else lang]
    letters = word.casefold().translate(AS_LETTERS)
    return [alphabet.index(letter) for letter in letters if letter in alphabet]


NEXT = {"en": "Next »", "be": "Далей »", "ru": "Дальше »", "pl": "Dalej »"}


async def every_page(driver, reply, lang: str = "en") -> list:
    """The pages from ``reply`` on, pressing Next until there is none."""
    pages = [reply]
    while NEXT[lang] in reply.button_texts:
        reply = (await driver.press(reply, NEXT[lang]))[-1]
        assert reply.method == "editMessageText"
        pages.append(reply)
    return pages


@pytest.mark.parametrize("lang", ["en", "be"])
async def test_the_list_is_by_surname_each_name_once(crowd, lang):
    first = (await crowd.send("/list", language_code=lang))[0]
    pages = await every_page(crowd, first, lang)
    assert len(pages) == 151  # 1,201 people, eight a page
    seen: list[str] = []
    for page in pages:
        shown = people(page)
        assert 1 <= len(shown) <= PERSON_BUTTONS_AT_MOST
        # Each name once: as a button (namesakes told apart), never again as text.
        assert len({text for _, text in shown}) == len(shown)
        for slug, text in shown:
            case = BY_SLUG[slug]
            assert text.startswith(surname(case, lang))  # the surname first
            assert name_in(case, lang) not in page.plain
            assert surname(case, lang) not in page.plain
        seen += [slug for slug, _ in shown]
    assert [len(page.buttons) for page in (pages[0], pages[1], pages[-1])] == [
        PERSON_BUTTONS_AT_MOST + NAVIGATION - 1,  # no Back on the first page
        PERSON_BUTTONS_AT_MOST + NAVIGATION,
        len(people(pages[-1])) + NAVIGATION - 1,  # no Next on the last
    ]
    assert sorted(seen) == sorted(BY_SLUG)  # everyone, once
    surnames = [alphabetical(surname(BY_SLUG[slug], lang), lang) for slug in seen]
    assert surnames == sorted(surnames)


@pytest.mark.parametrize(("lang", "letters", "letter"), [("en", "A–Z", "K"), ("be", "А–Я", "К")])
async def test_the_letter_jump_opens_at_the_first_surname_of_that_letter(
    crowd, lang, letters, letter
):
    first = (await crowd.send("/list", language_code=lang))[0]
    menu = (await crowd.press(first, letters))[-1]
    jumped = (await crowd.press(menu, letter))[-1]
    initials = [surname(BY_SLUG[slug], lang)[0] for slug, _ in people(jumped)]
    assert letter in initials
    # The first surname in K is here: everything before it on the page comes before K.
    before = initials[: initials.index(letter)]
    assert all(alphabetical(initial, lang) < alphabetical(letter, lang) for initial in before)
    if not before:
        back = (await crowd.press(jumped, "« Back"))[-1]
        assert letter not in [surname(BY_SLUG[slug], lang)[0] for slug, _ in people(back)]


async def test_longest_held_first_is_by_days_behind_bars(crowd):
    first = (await crowd.send("/list"))[0]
    by_days = (await crowd.press(first, "Longest held first"))[-1]
    assert "Longest held first: by days behind bars" in by_days.plain
    # It opened where the first of page 1 stands in this order: back to its start.
    while "« Back" in by_days.button_texts:
        by_days = (await crowd.press(by_days, "« Back"))[-1]
    pages = await every_page(crowd, by_days)
    order = [(BY_SLUG[slug], text) for page in pages for slug, text in people(page)]
    assert len(order) == len(CASES)
    held = [days_behind_bars(case, TODAY) for case, _ in order if case.is_held]
    free = [days_behind_bars(case, TODAY) for case, _ in order if not case.is_held]
    # The held first, longest first; then the others by the days they were held;
    # whose days nobody knows, last.
    assert [case.is_held for case, _ in order[: len(held) - 1]] == [True] * (len(held) - 1)
    assert held[:-1] == sorted(held[:-1], reverse=True) and held[-1] is None
    assert order[-1][0].slug == UNDATED
    assert free == sorted(free, reverse=True)
    # Each button says the days it is ordered by.
    for case, text in order[:-1]:
        assert text.endswith(f" · {days_behind_bars(case, TODAY):,} days"), text


@pytest.mark.parametrize(
    ("lang", "everyone"),
    [("en", "All (1,201)"), ("be", "Усе (1\xa0201)"), ("ru", "Все (1\xa0201)"),
     ("pl", "Wszyscy (1\xa0201)")],
)  # fmt: skip
async def test_counts_on_the_buttons_in_the_readers_format(crowd, lang, everyone):
    listing = (await crowd.send("/list", language_code=lang))[0]
    assert "• " + everyone in listing.button_texts


def bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("• ")]


async def test_every_date_of_the_30_days_is_on_a_page(crowd):
    until = TODAY + timedelta(days=29)
    expected = events_between(CASES, TODAY, until)
    first = (await crowd.send("/upcoming all"))[0]
    pages = await every_page(crowd, first)
    counted = int(re.search(r"(\d+) dates in these 30 days", first.plain).group(1))
    assert counted == len(expected) > 100
    listed = []
    weeks = []
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.plain
        lines = bullets(page.plain)
        assert 1 <= len(lines) <= 8  # no page empty, none crowded
        assert "more" not in page.plain
        start, end = re.search(r"of \d+: (\d+ \w+ \d{4}) to (\d+ \w+ \d{4})\.", page.plain).groups()
        weeks.append(start)
        for line in lines:
            day = re.match(r"• (\d+ \w+ \d{4}):", line).group(1)
            assert parse(start) <= parse(day) <= parse(end)
        listed += lines
    assert len(listed) == len(set(listed)) == len(expected)
    assert "Next »" not in pages[-1].button_texts
    assert [parse(week) for week in weeks] == sorted(parse(week) for week in weeks)


def parse(day: str) -> date:
    from datetime import datetime

    return datetime.strptime(day, "%d %B %Y").date()


async def test_a_chat_with_nothing_in_the_30_days_is_told_the_next_date(crowd):
    until = TODAY + timedelta(days=29)
    quiet = next(
        case
        for case in CASES
        if case.is_held
        and case.detained_on
        and not events_between([case], TODAY, until)
        and events_between([case], until + timedelta(days=1), until + timedelta(days=365))
    )
    later = events_between([quiet], until + timedelta(days=1), until + timedelta(days=365))
    await crowd.send(f"/subscribe {quiet.slug}")
    reply = (await crowd.send("/upcoming"))[0]
    day = f"{later[0].on.day} {later[0].on:%B %Y}"
    assert f"Nothing falls in these 30 days. The next date is {day}:" in reply.plain
    assert bullets(reply.plain)[0].startswith(f"• {day}: ")
    assert [text for _, text in people(reply)] == [quiet.name["en"]]
