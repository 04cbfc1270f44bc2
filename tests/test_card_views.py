"""A card that fits a phone: what a reader needs at a glance, the rest a tap away.

The card shows the name, the status with its date and age, where the person
is held, the days, the sentence and what to do; its timeline and its sources
are views of their own that the card's message turns into, and back. A
source is numbered only where a fact cites it, in the order of first
citation, and the sources view lists exactly those. The bot runs on
25 November 2026 (tests/conftest.py).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from cases.model import Detention, Event, Note, Sentence, Source
from fakeapi.harness import ChatDriver
from languages import LANGUAGES
from tests.conftest import running_bot
from tests.test_lookup import TIMELINE, add_case

BUNDLED = [
    "ales-bialiatski",
    "valiantsin-stefanovic",
    "uladzimir-labkovich",
    "marfa-rabkova",
    "nasta-loika",
]
# What a card may hold, in characters as a reader sees them (README, "Cards").
CARD_LIMIT = 800
SOURCES = {"en": "📚 Sources", "be": "📚 Крыніцы", "ru": "📚 Источники", "pl": "📚 Źródła"}
BACK = {"en": "« The card", "be": "« Картка", "ru": "« Карточка", "pl": "« Karta"}
FOOTNOTE = re.compile(r"\[(\d+)\]")


def reader(app, api, lang: str) -> ChatDriver:
    """A private chat in ``lang``, one per language so each keeps its own."""
    return ChatDriver(
        app, api, raise_errors=True, language_code=lang, user_id=4000 + LANGUAGES.index(lang)
    )


def edited(records) -> list:
    return [record for record in records if record.method == "editMessageText"]


def links(message) -> dict[str, str]:
    """The text_link entities of a message: the text that carries each, and its url."""
    units = message.plain.encode("utf-16-le")  # entities count UTF-16 code units
    return {
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le"): e["url"]
        for e in message.entities
        if e["type"] == "text_link"
    }


def footnotes(text: str) -> list[int]:
    """The footnote numbers a view cites, in the order they first appear."""
    return list(dict.fromkeys(int(number) for number in FOOTNOTE.findall(text)))


def listed(sources_view) -> dict[int, str]:
    """The sources view's lines: number -> title."""
    lines = sources_view.plain.split("\n")[1:]
    found = {}
    for line in lines:
        number, _, title = line.partition("] ")
        found[int(number.removeprefix("["))] = title
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", BUNDLED)
async def test_each_bundled_card_fits_a_phone(app, api, slug, lang):
    [card] = await reader(app, api, lang).send(f"/start {slug}")
    assert len(card.plain) < CARD_LIMIT, (slug, lang, len(card.plain))
    # Under it, the timeline and the sources; the rest is behind them.
    assert [TIMELINE[lang], SOURCES[lang]] == card.button_texts[1:3]


async def test_timeline_and_sources_open_in_the_card_and_come_back(app, api):
    driver = reader(app, api, "en")
    [card] = await driver.send("/defender Rabkova")
    *_, timeline = await driver.press(card, "🗓 Timeline")
    # The card's own message turns into its timeline: every event, newest first.
    assert (timeline.method, timeline.message_id) == ("editMessageText", card.message_id)
    lines = timeline.plain.split("\n")
    assert lines[:2] == ["🗓 Marfa Rabkova: the timeline", "Detained on 17 September 2020."]
    assert lines[2].startswith(
        "Sentence: 14 years 9 months, on 6 September 2022, Minsk City Court;"
    )
    assert lines[3].startswith("Appeal (28 February 2023): The Minsk City Court imposed 15 years")
    events = [line for line in lines if line.startswith("• ")]
    assert len(events) == 6
    assert events[0].startswith("• 19 March 2026: Pardoned and freed as one of 250 prisoners")
    assert events[-1] == "• 17 September 2020: Detained and remanded in custody. [2]"
    assert timeline.button_texts == ["« The card", "📚 Sources"]

    [back] = edited(await driver.press(card, "« The card"))
    assert (back.message_id, back.text, back.button_texts) == (
        card.message_id,
        card.text,
        card.button_texts,
    )

    [sources] = edited(await driver.press(card, "📚 Sources"))
    assert sources.message_id == card.message_id
    assert sources.plain.split("\n")[0] == "📚 Marfa Rabkova: the sources"
    assert sources.button_texts == ["« The card", "🗓 Timeline"]
    [timeline_again] = edited(await driver.press(card, "🗓 Timeline"))
    assert timeline_again.text == timeline.text
    [back] = edited(await driver.press(card, "« The card"))
    assert back.text == card.text


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_every_footnote_is_listed_and_every_listed_source_is_cited(app, api, lang):
    driver = reader(app, api, lang)
    for slug in BUNDLED:
        [card] = await driver.send(f"/start {slug}")
        [timeline] = edited(await driver.press(card, TIMELINE[lang]))
        [sources] = edited(await driver.press(card, SOURCES[lang]))
        cited = footnotes(card.plain + "\n" + timeline.plain)
        # Numbered in the order the card, then the timeline, first cite them ...
        assert cited == list(range(1, len(cited) + 1)), (slug, cited)
        # ... and the sources view lists exactly those, nothing uncited.
        titles = listed(sources)
        assert sorted(titles) == cited, (slug, sorted(titles), cited)
        # Each footnote on the card is a link to the source listed under its number.
        source_links = links(sources)
        for number, url in links(card).items():
            if FOOTNOTE.fullmatch(number):
                assert source_links[titles[int(number[1:-1])]] == url, (slug, number)
        await driver.press(card, BACK[lang])


async def test_an_uncited_source_is_not_listed(settings, api):
    """Ales Bialiatski's Warsaw Point report is cited by an event; a source nothing cites
    (here "unused") is left out, and one cited only on the timeline comes after the card's."""
    await add_case(
        settings,
        "zed-held",
        "Zed Held",
        status="sentenced",
        status_as_of=date(2026, 11, 1),
        detained_on=date(2020, 9, 17),
        sources=[
            Source("unused", "Never cited", "https://example.org/unused"),
            Source("events", "Events only", "https://example.org/events"),
            Source("s", "The status", "https://example.org/status"),
            Source("place", "The place", "https://example.org/place"),
        ],
        sentence=Sentence(
            3, 0, date(2021, 5, 1), {"en": "A court"}, ["342.2"], "s", date(2026, 11, 1)
        ),
        detention=Detention(
            "place", date(2026, 11, 1), inline_place={"en": "Colony No. 4"}, inline_address="Box 1"
        ),
        notes=[Note("money", {"en": "Money transfers are banned."}, "s", date(2026, 11, 1))],
        events=[Event(date(2021, 5, 1), {"en": "Sentenced."}, "events")],
    )
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [card] = await driver.send("/defender Zed Held")
        assert "Held in: Colony No. 4, as of 1 November 2026 [2]" in card.plain
        [sources] = edited(await driver.press(card, "📚 Sources"))
    assert sources.plain.split("\n")[1:] == [
        "[1] The status",
        "[2] The place",
        "[3] Events only",
    ]


# The lines the issue quoted, as each language now reads them.
STATUS_LINE = {
    "en": "Status: in exile (released and forced out of the country), as of 15 December 2025 [1]",
    "be": (
        "Статус: у выгнанні (вызваленне і прымусовы выезд з краіны), станам на 15 снежня 2025 [1]"
    ),
    "ru": (
        "Статус: в изгнании (освобождение и принудительный выезд из страны), "
        "по состоянию на 15 декабря 2025 [1]"
    ),
    "pl": (
        "Status: na wygnaniu (zwolnienie i przymusowy wyjazd z kraju), "
        "według stanu na 15 grudnia 2025 [1]"
    ),
}
SENTENCE_LINE = {
    "en": (
        "Sentence: 10 years, on 3 March 2023; Criminal Code art. 228 part 4, art. 342 part 2, "
        "as of 14 July 2025 [2]"
    ),
    "be": (
        "Прысуд: 10 гадоў, 3 сакавіка 2023; Крымінальны кодэкс: арт. 228 ч. 4, арт. 342 ч. 2, "
        "станам на 14 ліпеня 2025 [2]"
    ),
    "ru": (
        "Приговор: 10 лет, 3 марта 2023; Уголовный кодекс: ст. 228 ч. 4, ст. 342 ч. 2, "
        "по состоянию на 14 июля 2025 [2]"
    ),
    "pl": (
        "Wyrok: 10 lat, 3 marca 2023; kodeks karny: art. 228 cz. 4, art. 342 cz. 2, "
        "według stanu na 14 lipca 2025 [2]"
    ),
}
NOTE_END = {
    "en": "to his former colony. As of 15 December 2025 [1]",
    "be": "дзе ён утрымліваўся. Станам на 15 снежня 2025 [1]",
    "ru": "где он содержался. По состоянию на 15 декабря 2025 [1]",
    "pl": "w której był przetrzymywany. Według stanu na 15 grudnia 2025 [1]",
}
# "as of" in lower case right after a full stop: the glitch, in any language.
RUN_ON = re.compile(r"\. (as of|станам на|по состоянию на|według stanu na) ")


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_the_glitches_the_issue_quoted_are_gone(app, api, lang):
    driver = reader(app, api, lang)
    [card] = await driver.send("/start ales-bialiatski")
    lines = card.plain.replace("\xa0", " ").split("\n")
    assert STATUS_LINE[lang] in lines
    assert SENTENCE_LINE[lang] in lines
    assert any(line.endswith(NOTE_END[lang]) for line in lines), lines
    [timeline] = edited(await driver.press(card, TIMELINE[lang]))
    for text in (card.plain, timeline.plain):
        assert not RUN_ON.search(text), RUN_ON.search(text)


async def test_a_held_persons_card_says_where_and_what_to_do(settings, api):
    await add_case(
        settings,
        "zed-held",
        "Zed Held",
        status="sentenced",
        status_as_of=date(2026, 11, 1),
        detained_on=date(2020, 9, 17),
        region="homel",
        sentence=Sentence(
            10, 0, date(2021, 5, 1), {"en": "A court"}, ["342.2"], "s", date(2026, 11, 1)
        ),
        detention=Detention(
            "s", date(2026, 11, 1), inline_place={"en": "Colony No. 4"}, inline_address="Box 1"
        ),
        notes=[Note("money", {"en": "Money transfers are banned"}, "s", date(2026, 11, 1))],
        sample=True,
    )
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [card] = await driver.send("/defender Zed Held")
        [timeline] = edited(await driver.press(card, "🗓 Timeline"))
        [sources] = edited(await driver.press(card, "📚 Sources"))
    assert card.plain.split("\n") == [
        "Zed Held",
        "⚠️ Fictional sample data: this person does not exist.",
        "",
        "Status: serving a sentence, as of 1 November 2026 [1]",
        "Detained on 17 September 2020: 2,260 days behind bars.",
        "Sentence: 10 years, on 1 May 2021; Criminal Code art. 342 part 2, "
        "as of 1 November 2026 [1]",
        "End of term: 17 September 2030.",
        "Held in: Colony No. 4, as of 1 November 2026 [1]",
        "Letters to: Box 1",
        "From: Homel region",
        "",
        "Before you act:",
        # No full stop: "as of" goes on in lower case.
        "⚠️ Money transfers are banned as of 1 November 2026 [1]",
    ]
    # Every view of a made-up person says so.
    for view in (timeline, sources):
        assert view.plain.split("\n")[1] == "⚠️ Fictional sample data: this person does not exist."
    assert timeline.plain.split("\n")[2:4] == [
        "Detained on 17 September 2020.",
        "Sentence: 10 years, on 1 May 2021, A court; Criminal Code art. 342 part 2, "
        "as of 1 November 2026 [1]",
    ]
