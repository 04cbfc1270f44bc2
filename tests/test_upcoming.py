"""/upcoming: the next 30 days on pinned dates, checked against dates worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.catalogue import Catalogue
from cases.model import Case, Detention, Sentence, Source
from fakeapi.harness import ChatDriver
from fakeapi.telegram_html import MAX_TEXT_LENGTH, utf16_len
from storage import cases as case_store
from tests.conftest import running_bot

# 20 December 2026 to 18 January 2027 holds, from the bundled data:
# Stefanovic, detained 14 July 2021: 2,000 days on 4 January 2027;
# Rabkova (born 6 January 1995, address known) and Loika (born 6 January 1989,
# no verified address) have birthdays on 6 January 2027: 32 and 38.
WINTER = date(2026, 12, 20)


async def add_cases(app, *cases: Case) -> None:
    services = app.bot_data["services"]
    for case in cases:
        await case_store.save_case(services.db, case)
    services.catalogue = Catalogue(await case_store.load_cases(services.db))


def held_case(slug: str, name: dict[str, str], **facts) -> Case:
    return Case(
        slug=slug,
        name=name,
        status="sentenced",
        status_as_of=date(2026, 1, 10),
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
        as_of=date(2026, 1, 10),
        ends_on=date(2026, 12, 12),
    ),
    detention=Detention(
        place={"en": "Colony"}, source="src", as_of=date(2026, 1, 10), address="<Box> 7 & 8"
    ),
)


@pytest.fixture
async def winter(settings, api):
    async with running_bot(settings, api, today=WINTER) as application:
        yield application


async def test_no_subscriptions_shows_everyone_and_says_so(driver):
    text = (await driver.send("/upcoming"))[0].plain
    assert text == (
        "The next 30 days: 25 November 2026 to 24 December 2026\n"
        "For everyone the bot follows: this chat has no subscriptions yet (/subscribe).\n"
        "\n"
        "6 December 2026\n"
        # Loika, detained 28 October 2022: 1,500 days later.
        "• Nasta Loika: 1,500 days behind bars"
    )


async def test_only_the_followed_people_grouped_by_date(winter, api):
    driver = ChatDriver(winter, api, raise_errors=True)
    await driver.send("/subscribe Rabkova")
    await driver.send("/subscribe Loika")
    reply = (await driver.send("/upcoming"))[0]
    assert reply.plain == (
        "The next 30 days: 20 December 2026 to 18 January 2027\n"
        "For the 2 people this chat follows. /upcoming all shows everyone.\n"
        "\n"
        "6 January 2027\n"
        "• Marfa Rabkova turns 32: send a card to ИК № 4, вул. Антошкина, 3, 246035, г. Гомель\n"
        "• Nasta Loika turns 38: send a card (no verified address: see the card)"
    )
    assert reply.button_texts == ["Marfa Rabkova", "Nasta Loika"]
    opened = await driver.press(reply, "Marfa Rabkova")
    assert opened[-1].plain.startswith("Marfa Rabkova")

    everyone = (await driver.send("/upcoming all"))[0].plain
    assert "For everyone the bot follows.\n" in everyone
    assert "4 January 2027\n• Valiantsin Stefanovic: 2,000 days behind bars" in everyone
    assert everyone.count("6 January 2027") == 1


async def test_every_kind_of_date(app, driver):
    await add_cases(app, EVERY_KIND)
    await driver.send("/subscribe every-kind")
    text = (await driver.send("/upcoming"))[0].plain
    assert text.endswith(
        "For the 1 person this chat follows. /upcoming all shows everyone.\n"
        "\n"
        "1 December 2026\n"
        "• <Ann> & Co turns 46: send a card to <Box> 7 & 8\n"
        "\n"
        "10 December 2026\n"
        "• 4 years since <Ann> & Co was detained\n"
        "\n"
        "12 December 2026\n"
        "• <Ann> & Co: the prison term ends\n"
        "\n"
        "15 December 2026\n"
        "• 3 years since <Ann> & Co was sentenced"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["Ближайшие 30 дней: с 25 ноября 2026 по 24 декабря 2026",
                "6 декабря 2026\n• Настя Лойко: 1 500 дней за решёткой",
                "День рождения: <Анна> & Co, 46 лет. Пошлите открытку по адресу <Box> 7 & 8",
                "• <Анна> & Co: 4 года со дня задержания",
                "• <Анна> & Co: заканчивается срок наказания"]),
        ("be", ["Наступныя 30 дзён: з 25 лістапада 2026 па 24 снежня 2026",
                "6 снежня 2026\n• Наста Лойка: 1 500 дзён за кратамі",
                "Дзень нараджэння: <Ган> & Co, 46 гадоў. Дашліце паштоўку на адрас <Box> 7 & 8",
                "• <Ган> & Co: 3 гады з дня прысуду"]),
        ("pl", ["Najbliższe 30 dni: od 25 listopada 2026 do 24 grudnia 2026",
                "6 grudnia 2026\n• Nasta Łojka: 1 500 dni za kratami",
                "Urodziny: <Ann> & Co, 46 lat. Wyślij kartkę na adres <Box> 7 & 8",
                "• <Ann> & Co: 4 lata od zatrzymania",
                "• <Ann> & Co: 3 lata od wyroku",
                "• <Ann> & Co: kończy się kara"]),
    ],
)  # fmt: skip
async def test_in_each_language(app, driver, lang, expected):
    await add_cases(app, EVERY_KIND)
    text = (await driver.send("/upcoming", language_code=lang))[0].plain
    for line in expected:
        assert line.replace("\u202f", " ") in text.replace("\xa0", " ")


async def test_following_everyone(driver):
    await driver.send("/subscribe all")
    text = (await driver.send("/upcoming"))[0].plain
    assert "For everyone the bot follows, as this chat does." in text


async def test_nothing_ahead(driver):
    await driver.send("/subscribe Bialiatski")  # released: no dates
    text = (await driver.send("/upcoming"))[0].plain
    assert text.endswith("Nothing falls in these 30 days.")


async def test_a_long_month_is_split_safely(app, driver):
    many = [
        held_case(
            f"person-{number:03}",
            {"en": f"Person <{number:03}> & Family"},
            birth_date=date(1990, 1, 1) + timedelta(days=number % 30 + 328),
        )
        for number in range(160)
    ]
    await add_cases(app, *many)
    replies = await driver.send("/upcoming")
    assert len(replies) >= 2
    # The fake API parsed each part and checked Telegram's limit on what the user
    # reads; here: no part is over it, and no line is cut.
    assert all(utf16_len(reply.plain) <= MAX_TEXT_LENGTH for reply in replies)
    lines = [line for reply in replies for line in reply.plain.splitlines()]
    assert sum(line.startswith("• Person <") for line in lines) == 160
    assert all(reply.reply_markup is None for reply in replies[:-1])
    assert len(replies[-1].button_texts) == 10
