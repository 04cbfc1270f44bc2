"""Every card tells the truth as of today: who is free says so, and an old status says it is old.

The bot runs on 1 December 2026, the day the issue was found: all five
bundled defenders are free (two since 13 December 2025, three since
19 March 2026), and their statuses were last confirmed 351 and 257 days ago.
"""

from __future__ import annotations

from datetime import date

import pytest

from cases.model import Detention, Note, Sentence
from fakeapi.harness import ChatDriver
from tests.conftest import running_bot
from tests.test_lookup import add_case

DAY = date(2026, 12, 1)
# (query, lead) in each language: free since, and after how long in detention.
LEADS = {
    "en": [
        ("Bialiatski", "🕊 Free since 13 December 2025, after 1,613 days in detention."),
        ("Stefanovic", "🕊 Free since 19 March 2026, after 1,709 days in detention."),
        ("Labkovich", "🕊 Free since 13 December 2025, after 1,613 days in detention."),
        ("Rabkova", "🕊 Free since 19 March 2026, after 2,009 days in detention."),
        ("Loika", "🕊 Free since 19 March 2026, after 1,238 days in detention."),
    ],
    "be": [
        ("Бяляцкі", "🕊 На волі з 13 снежня 2025; у зняволенні: 1 613 дзён."),
        ("Стэфановіч", "🕊 На волі з 19 сакавіка 2026; у зняволенні: 1 709 дзён."),
        ("Лабковіч", "🕊 На волі з 13 снежня 2025; у зняволенні: 1 613 дзён."),
        ("Рабкова", "🕊 На волі з 19 сакавіка 2026; у зняволенні: 2 009 дзён."),
        ("Лойка", "🕊 На волі з 19 сакавіка 2026; у зняволенні: 1 238 дзён."),
    ],
    "ru": [
        ("Беляцкий", "🕊 На свободе с 13 декабря 2025; в заключении: 1 613 дней."),
        ("Стефанович", "🕊 На свободе с 19 марта 2026; в заключении: 1 709 дней."),
        ("Лабкович", "🕊 На свободе с 13 декабря 2025; в заключении: 1 613 дней."),
        ("Рабкова", "🕊 На свободе с 19 марта 2026; в заключении: 2 009 дней."),
        ("Лойко", "🕊 На свободе с 19 марта 2026; в заключении: 1 238 дней."),
    ],
    "pl": [
        ("Bialacki", "🕊 Na wolności od 13 grudnia 2025; za kratami: 1 613 dni."),
        ("Stefanowicz", "🕊 Na wolności od 19 marca 2026; za kratami: 1 709 dni."),
        ("Łabkowicz", "🕊 Na wolności od 13 grudnia 2025; za kratami: 1 613 dni."),
        ("Rabkowa", "🕊 Na wolności od 19 marca 2026; za kratami: 2 009 dni."),
        ("Łojka", "🕊 Na wolności od 19 marca 2026; za kratami: 1 238 dni."),
    ],
}
# What a card says only about someone held: a count to today, an address for letters.
HELD_ONLY = {
    "en": ["days behind bars.", "Letters to:", "Held in:", "End of term:"],
    "be": ["за кратамі ўжо", "Адрас для лістоў:"],
    "ru": ["за решёткой уже", "Адрес для писем:"],
    "pl": ["za kratami już", "Adres do listów:"],
}
STALE = {
    "en": "⚠️ Last confirmed on 15 December 2025, 351 days ago: it may have changed.",
    "be": "⚠️ Апошні раз пацверджана 15 снежня 2025, 351 дзень таму: магло змяніцца.",
    "ru": "⚠️ Последний раз подтверждено 15 декабря 2025, 351 день назад: могло измениться.",
    "pl": "⚠️ Ostatnio potwierdzono 15 grudnia 2025, 351 dni temu: mogło się zmienić.",
}


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
async def december(settings, api):
    async with running_bot(settings, api, today=DAY) as application:
        yield ChatDriver(application, api, raise_errors=True)


@pytest.mark.parametrize("lang", sorted(LEADS))
async def test_the_five_cards_lead_with_freedom_in_every_language(december, lang):
    for query, lead in LEADS[lang]:
        [card] = await december.send(f"/defender {query}", language_code=lang)
        lines = plain(card.plain).split("\n")
        assert lead in lines[:3], (query, lines[:3])
        for held_only in HELD_ONLY[lang]:
            assert held_only not in card.plain, (query, held_only)
    # Bialiatski's status was confirmed on 15 December 2025: it says so, where the status is.
    [card] = await december.send(f"/defender {LEADS[lang][0][0]}", language_code=lang)
    lines = plain(card.plain).split("\n")
    status = next(number for number, line in enumerate(lines) if line.startswith(STALE[lang][:3]))
    assert lines[status] == plain(STALE[lang])
    assert lines[status - 1].split(":")[0] in ("Status", "Статус")


async def test_while_held_advice_and_the_colony_address_are_gone(december):
    [card] = await december.send("/defender Rabkova")
    # Her "terrorist" listing banned money transfers while she was held: not advice now.
    assert "money transfers" not in card.plain
    assert "penal colony No. 4 in Homel is no longer her address" in card.plain
    assert "246035" not in card.plain
    [loika] = await december.send("/defender Loika")
    assert "barred from sending and receiving personal letters" not in loika.plain
    [stefanovic] = await december.send("/defender Stefanovic")
    assert "Former Vice-President of FIDH" in stefanovic.plain
    [labkovich] = await december.send("/defender Labkovich")
    *_, timeline = await december.press(labkovich, "🗓 Timeline")
    assert "Spoke at a press conference in Chernihiv, Ukraine" in timeline.plain
    assert "Arrived in Vilnius, Lithuania" in timeline.plain


@pytest.mark.parametrize(
    ("lang", "button", "title"),
    [
        ("be", "📚 Крыніцы", "«Вясна», старонка ў базе палітвязняў: Марфа Рабкова"),
        ("ru", "📚 Источники", "«Весна», страница в базе политзаключённых: Марфа Рабкова"),
        ("pl", "📚 Źródła", "„Wiasna”, strona w bazie więźniów politycznych: Marfa Rabkowa"),
    ],
)
async def test_source_titles_are_in_the_readers_language(december, lang, button, title):
    [card] = await december.send("/defender Rabkova", language_code=lang)
    *_, sources = await december.press(card, button)
    assert title in sources.plain
    assert "Viasna, political prisoner page" not in sources.plain


HELD = {
    "status": "sentenced",
    "detained_on": date(2020, 9, 17),
    "sentence": Sentence(
        14, 9, date(2022, 9, 6), {"en": "A court"}, ["130"], "s", date(2025, 1, 1)
    ),
    "detention": Detention(
        "s", date(2025, 12, 15), inline_place={"en": "Colony"}, inline_address="Box 1"
    ),
    "notes": [Note("money", {"en": "Money transfers are banned."}, "s", date(2025, 12, 15))],
}


async def test_a_held_persons_stale_card_never_counts_days_as_a_present_fact(settings, api):
    await add_case(settings, "zed-stale", "Zed Stale", status_as_of=date(2025, 12, 15), **HELD)
    await add_case(
        settings,
        "zed-confirmed",
        "Zed Confirmed",
        status_as_of=date(2025, 12, 15),
        status_confirmed_on=date(2026, 11, 20),
        **HELD,
    )
    async with running_bot(settings, api, today=DAY) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [stale] = await driver.send("/defender Zed Stale")
        [confirmed] = await driver.send("/defender Zed Confirmed")
    assert (
        "⚠️ Last confirmed on 15 December 2025, 351 days ago: it may have changed.\n"
        "Detained on 17 September 2020: 1,915 days behind bars by 15 December 2025, "
        "the last confirmation; 2,266 days today if still held.\n" in stale.plain
    )
    assert "2,266 days behind bars." not in stale.plain
    # An editor's "Still true" makes it a present fact again.
    assert (
        "The editors confirmed it on 20 November 2026.\n"
        "Detained on 17 September 2020: 2,266 days behind bars.\n" in confirmed.plain
    )
    assert "Last confirmed" not in confirmed.plain


async def test_a_deceased_persons_card(settings, api):
    await add_case(
        settings,
        "zed-late",
        "Zed Late",
        status="deceased",
        status_as_of=date(2026, 11, 20),
        detained_on=date(2021, 1, 1),
        released_on=date(2024, 1, 1),
    )
    async with running_bot(settings, api, today=DAY) as app:
        [card] = await ChatDriver(app, api).send("/defender Zed Late")
    assert card.plain.startswith("Zed Late\n🕯 Deceased. Spent 1,095 days in detention.\n")
    assert "behind bars" not in card.plain
