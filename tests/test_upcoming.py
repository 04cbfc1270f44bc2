"""/upcoming: the next 30 days on pinned dates, checked against dates worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from cases.catalogue import Catalogue
from cases.model import Case, Detention, Sentence, Source
from fakeapi.harness import ChatDriver
from fakeapi.telegram_html import MAX_TEXT_LENGTH, utf16_len
from storage import cases as case_store
from tests.conftest import running_bot

# The five bundled defenders are free, so they have no dates here. The tests put
# three of them back as they were while held (``as_if_held``). Then 20 December
# 2026 to 18 January 2027 holds: Stefanovic, detained 14 July 2021: 2,000 days
# on 4 January 2027; Rabkova (born 6 January 1995, address known) and Loika
# (born 6 January 1989, no verified address) have birthdays on 6 January 2027:
# 32 and 38.
WINTER = date(2026, 12, 20)
RABKOVA_COLONY = "ИК № 4, вул. Антошкина, 3, 246035, г. Гомель"


async def add_cases(app, *cases: Case) -> None:
    services = app.bot_data["services"]
    for case in cases:
        await case_store.save_case(services.db, case)
    services.catalogue = Catalogue(await case_store.load_cases(services.db))


async def as_if_held(app, *slugs: str, confirmed_on: date = date(2026, 11, 20)) -> None:
    """Bundled cases back as they were while held, their status confirmed on ``confirmed_on``."""
    catalogue = app.bot_data["services"].catalogue
    held = []
    for slug in slugs:
        case = catalogue.get(slug)
        address = RABKOVA_COLONY if slug == "marfa-rabkova" else None
        colony = Detention(
            case.status_source, confirmed_on, inline_place={"en": "Colony"}, inline_address=address
        )
        held.append(
            replace(
                case,
                status="sentenced",
                status_as_of=confirmed_on,
                released_on=None,
                detention=colony if address else None,
            )
        )
    await add_cases(app, *held)


def held_case(slug: str, name: dict[str, str], **facts) -> Case:
    return Case(
        slug=slug,
        name=name,
        status="sentenced",
        status_as_of=date(2026, 11, 10),
        status_source="src",
        sources=[Source("src", "A source", "https://example.org/source")],
        **facts,
    )


# Every kind of date between 25 November and 24 December 2026 (the conftest's TODAY
# and 29 days on): born 1 December 1980 (turns 46), detained 10 December 2022
# (4 years), sentenced 15 December 2023 (3 years), term ending 12 December 2026.
EVERY_KIND = held_case(
    "every-kind",
    {"en": "<Ann> & Co", "be": "<Ган> & Co", "ru": "<Анна> & Co"},
    birth_date=date(1980, 12, 1),
    detained_on=date(2022, 12, 10),
    sentence=Sentence(
        years=4,
        months=0,
        sentenced_on=date(2023, 12, 15),
        court={"en": "A court"},
        articles=["342.1"],
        source="src",
        as_of=date(2026, 11, 10),
        ends_on=date(2026, 12, 12),
    ),
    detention=Detention(
        inline_place={"en": "Colony"},
        source="src",
        as_of=date(2026, 11, 10),
        inline_address="<Box> 7 & 8",
    ),
)


@pytest.fixture
async def winter(settings, api):
    async with running_bot(settings, api, today=WINTER) as application:
        yield application


async def test_free_people_have_no_dates(driver):
    # Birthdays, anniversaries and milestones of the five fall in the year ahead,
    # but all five are free: no "behind bars" entry about any of them.
    reply = (await driver.send("/upcoming all"))[0]
    assert reply.plain.endswith("Nothing falls in these 30 days, nor in the year after them.")
    assert reply.buttons == []


async def test_no_subscriptions_shows_everyone_and_skips_the_empty_weeks(app, driver):
    await as_if_held(app, "nasta-loika")
    first = (await driver.send("/upcoming"))[0]
    # The first week holds nothing: the first page is the week that does.
    assert first.plain == (
        "The next 30 days: 25 November 2026 to 24 December 2026\n"
        "For everyone the bot follows: this chat has no subscriptions yet (/subscribe).\n"
        "1 date in these 30 days. Page 1 of 1: 2 December 2026 to 8 December 2026.\n"
        "\n"
        "Days behind bars\n"
        # Loika, detained 28 October 2022: 1,500 days later.
        "• 6 December 2026: Nasta Loika: 1,500 days behind bars"
    )
    # Her card, and no page to turn to: nothing else falls in the 30 days.
    assert first.button_texts == ["Nasta Loika"]


async def test_only_the_followed_people_grouped_by_kind(winter, api):
    await as_if_held(winter, "marfa-rabkova", "nasta-loika", "valiantsin-stefanovic")
    driver = ChatDriver(winter, api, raise_errors=True)
    await driver.send("/subscribe Rabkova")
    await driver.send("/subscribe Loika")
    reply = (await driver.send("/upcoming"))[0]
    assert "For the 2 people this chat follows." in reply.plain
    # Nothing before January: the one page is the week of the birthdays.
    assert reply.plain.endswith(
        "2 dates in these 30 days. Page 1 of 1: 3 January 2027 to 9 January 2027.\n"
        "\n"
        "Birthdays\n"
        "• 6 January 2027: Marfa Rabkova turns 32: send a card to "
        "ИК № 4, вул. Антошкина, 3, 246035, г. Гомель\n"
        "• 6 January 2027: Nasta Loika turns 38: send a card (no verified address: see the card)"
    )
    assert reply.button_texts == ["Marfa Rabkova", "Nasta Loika"]
    opened = await driver.press(reply, "Marfa Rabkova")
    assert opened[-1].plain.startswith("Marfa Rabkova")

    everyone = (await driver.send("/upcoming all"))[0]
    assert "For everyone the bot follows.\n" in everyone.plain
    assert "3 dates in these 30 days. Page 1 of 1" in everyone.plain
    assert "Days behind bars\n• 4 January 2027: Valiantsin Stefanovic: 2,000 days" in everyone.plain


async def test_the_pages_keep_showing_everyone(app, driver):
    await as_if_held(app, "nasta-loika")
    await add_cases(app, EVERY_KIND)
    await driver.send("/subscribe every-kind")
    everyone = (await driver.send("/upcoming all"))[0]
    assert "5 dates in these 30 days. Page 1 of 3" in everyone.plain
    later = (await driver.press(everyone, "Next »"))[-1]
    assert "For everyone the bot follows.\n" in later.plain
    assert "Nasta Loika: 1,500 days behind bars" in later.plain


async def test_every_kind_of_date(app, driver):
    await add_cases(app, EVERY_KIND)
    await driver.send("/subscribe every-kind")
    reply = (await driver.send("/upcoming"))[0]
    weeks = [reply.plain]
    reply = (await driver.press(reply, "Next »"))[-1]
    weeks.append(reply.plain)
    assert "Next »" not in reply.button_texts
    assert weeks[0].endswith(
        "For the 1 person this chat follows. /upcoming all shows everyone.\n"
        "4 dates in these 30 days. Page 1 of 2: 25 November 2026 to 1 December 2026.\n"
        "\n"
        "Birthdays\n"
        "• 1 December 2026: <Ann> & Co turns 46: send a card to <Box> 7 & 8"
    )
    # The week of 2 December holds nothing: skipped.
    assert weeks[1].endswith(
        "Page 2 of 2: 9 December 2026 to 15 December 2026.\n"
        "\n"
        "Anniversaries of detention\n"
        "• 10 December 2026: 4 years since <Ann> & Co was detained\n"
        "\n"
        "Anniversaries of sentencing\n"
        "• 15 December 2026: 3 years since <Ann> & Co was sentenced\n"
        "\n"
        "Ends of term\n"
        "• 12 December 2026: <Ann> & Co: the prison term ends"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["Ближайшие 30 дней: с 25 ноября 2026 по 24 декабря 2026",
                "• 6 декабря 2026: Настя Лойко: 1 500 дней за решёткой",
                "День рождения: <Анна> & Co, 46 лет. Пошлите открытку по адресу <Box> 7 & 8",
                "• 10 декабря 2026: <Анна> & Co: 4 года со дня задержания",
                ": <Анна> & Co: заканчивается срок наказания"]),
        ("be", ["Наступныя 30 дзён: з 25 лістапада 2026 па 24 снежня 2026",
                "• 6 снежня 2026: Наста Лойка: 1 500 дзён за кратамі",
                "Дзень нараджэння: <Ган> & Co, 46 гадоў. Дашліце паштоўку на адрас <Box> 7 & 8",
                ": <Ган> & Co: 3 гады з дня прысуду"]),
        ("pl", ["Najbliższe 30 dni: od 25 listopada 2026 do 24 grudnia 2026",
                "• 6 grudnia 2026: Nasta Łojka: 1 500 dni za kratami",
                "Urodziny: <Ann> & Co, 46 lat. Wyślij kartkę na adres <Box> 7 & 8",
                ": <Ann> & Co: 4 lata od zatrzymania",
                ": <Ann> & Co: 3 lata od wyroku",
                ": <Ann> & Co: kończy się kara"]),
    ],
)  # fmt: skip
async def test_in_each_language(app, driver, lang, expected):
    await as_if_held(app, "nasta-loika")
    await add_cases(app, EVERY_KIND)
    reply = (await driver.send("/upcoming", language_code=lang))[0]
    texts = [reply.plain]
    for _ in range(2):
        next_week = reply.button_texts[-1]
        reply = (await driver.press(reply, next_week))[-1]  # the user's language is kept
        texts.append(reply.plain)
    text = "\n".join(texts)
    for line in expected:
        assert line.replace("\u202f", " ") in text.replace("\xa0", " ")


async def test_following_everyone(driver):
    await driver.send("/subscribe all")
    text = (await driver.send("/upcoming"))[0].plain
    assert "For everyone the bot follows, as this chat does." in text


async def test_nothing_ahead(driver):
    await driver.send("/subscribe Bialiatski")  # released: no dates
    text = (await driver.send("/upcoming"))[0].plain
    assert text.endswith("Nothing falls in these 30 days, nor in the year after them.")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Nothing falls in these 30 days. The next date is 6 January 2027:\n\nBirthdays\n"
               "• 6 January 2027: Marfa Rabkova turns 32: send a card to " + RABKOVA_COLONY),
        ("be", "На гэтыя 30 дзён нічога не прыпадае. Наступная дата — 6 студзеня 2027:\n\n"
               "Дні нараджэння\n• 6 студзеня 2027: "),
        ("ru", "На эти 30 дней ничего не приходится. Следующая дата — 6 января 2027:\n\n"
               "Дни рождения\n• 6 января 2027: "),
        ("pl", "W tych 30 dniach nic nie przypada. Najbliższa data to 6 stycznia 2027:\n\n"
               "Urodziny\n• 6 stycznia 2027: "),
    ],
)  # fmt: skip
async def test_nothing_in_the_30_days_names_the_next_date(app, driver, lang, expected):
    # Rabkova's birthday on 6 January 2027 is 42 days off: past the 30 days.
    await as_if_held(app, "marfa-rabkova")
    await driver.send("/subscribe Rabkova")
    reply = (await driver.send("/upcoming", language_code=lang))[0]
    assert expected in reply.plain
    assert len(reply.buttons) == 1  # her card; no page to turn to
    card = (await driver.press(reply, reply.button_texts[0]))[-1]
    assert card.plain.startswith(reply.button_texts[0])


def bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("• ")]


async def every_page(driver, reply) -> list:
    """The pages of /upcoming, pressing Next until there is none."""
    pages = [reply]
    while "Next »" in reply.button_texts:
        reply = (await driver.press(reply, "Next »"))[-1]
        assert reply.method == "editMessageText"
        pages.append(reply)
    return pages


async def test_a_crowded_week_pages_through_every_date(app, driver):
    # 160 birthdays in the first week, as after a mass arrest of people born alike.
    many = [
        held_case(
            f"person-{number:03}",
            {"en": f"Person <{number:03}> & Family"},
            birth_date=date(1990, 11, 25) + timedelta(days=number % 7),
        )
        for number in range(160)
    ]
    await add_cases(app, *many)
    replies = await driver.send("/upcoming")
    assert len(replies) == 1
    pages = await every_page(driver, replies[0])
    assert len(pages) == 20  # Loika is free: the 160 are all
    for number, page in enumerate(pages, start=1):
        assert utf16_len(page.plain) <= MAX_TEXT_LENGTH
        assert f"160 dates in these 30 days. Page {number} of 20" in page.plain
        assert 1 <= len(bullets(page.plain)) <= 8
        assert "more" not in page.plain
    listed = [line for page in pages for line in bullets(page.plain)]
    assert len(listed) == len(set(listed)) == 160
    assert all(f"Person <{number:03}> & Family turns 36" in "\n".join(listed)
               for number in range(160))  # fmt: skip
