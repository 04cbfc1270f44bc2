"""Every public command, in every language, through the real bot."""

import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from cases.catalogue import Catalogue
from cases.model import Case, Detention, Note, Source
from fakeapi.harness import ChatDriver
from fakeapi.telegram_html import parse_html
from handlers.shared.menu import MENU_COMMANDS
from languages import LANGUAGES, language_name
from tests.conftest import running_bot
from tests.test_alerts_support import make_case
from tests.test_lookup import add_case

# A phrase each reply must contain, per language: the reply is really translated.
EXPECTED = {
    "/start": {
        "en": "Type a name",
        "be": "Напішыце імя",
        "ru": "Напишите имя",
        "pl": "Wpisz nazwisko",
    },
    "/help": {
        "en": "What this bot can do",
        "be": "Што ўмее",
        "ru": "Что умеет",
        "pl": "Co potrafi",
    },
    "/about": {
        "en": "What the bot stores",
        "be": "Што бот захоўвае",
        "ru": "Что бот хранит",
        "pl": "Co bot przechowuje",
    },
    "/stats": {
        "en": "Behind bars: 0\nFree: 5, of them in exile: 5\n",
        "be": "За кратамі: 0\nНа волі: 5, з іх у выгнанні: 5\n",
        "ru": "За решёткой: 0\nНа свободе: 5, из них в изгнании: 5\n",
        "pl": "Za kratami: 0\nNa wolności: 5, w tym na wygnaniu: 5\n",
    },
    "/list": {
        "en": "5 defenders",
        "be": "5 праваабаронцаў",
        "ru": "5 правозащитников",
        "pl": "5 obrońców praw człowieka",
    },
    "/nosuchcommand": {
        "en": "I do not know that command",
        "be": "не ведаю",
        "ru": "не знаю",
        "pl": "Nie znam takiego polecenia",
    },
}


# The languages these phrases are written for (a new catalogue needs no test edit).
@pytest.mark.parametrize("lang", sorted(EXPECTED["/start"]))
@pytest.mark.parametrize("command", sorted(EXPECTED))
async def test_command_answers_in_the_users_language(driver, command, lang):
    replies = await driver.send(command, language_code=lang)
    assert replies, f"no reply to {command}"
    assert EXPECTED[command][lang] in replies[0].plain


async def test_unknown_telegram_language_falls_back_to_bot_language(settings, api):
    async with running_bot(replace(settings, language="ru"), api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        replies = await driver.send("/help", language_code="de")
        assert "Что умеет" in replies[0].plain


async def test_language_choice_is_kept_per_chat(settings, api):
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        prompt = (await driver.send("/language"))[0]
        assert prompt.button_texts == [language_name(code) for code in LANGUAGES]
        assert prompt.button_texts[0] == "English"
        assert {"Беларуская", "Polski", "Русский"} <= set(prompt.button_texts)
        edited = await driver.press(prompt, "Беларуская")
        assert "па-беларуску" in edited[-1].plain
        assert "Што ўмее" in (await driver.send("/help", language_code="en"))[0].plain
        # Another chat is not affected.
        other = await driver.send("/help", user_id=2002, language_code="en")
        assert "What this bot can do" in other[0].plain
    # It survives a restart: it lives in the database.
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        assert "Што ўмее" in (await driver.send("/help", language_code="en"))[0].plain


async def test_menu_is_registered_in_each_language(app, api):
    for code in ("", *LANGUAGES):
        commands = api.commands_for(language_code=code)
        assert [command["command"] for command in commands] == list(MENU_COMMANDS)
    russian = {c["command"]: c["description"] for c in api.commands_for(language_code="ru")}
    english = {c["command"]: c["description"] for c in api.commands_for(language_code="en")}
    polish = {c["command"]: c["description"] for c in api.commands_for(language_code="pl")}
    assert russian["defender"] != english["defender"]
    assert polish["defender"] == "Znajdź obrońcę praw człowieka po nazwisku"


@pytest.mark.parametrize("code", ["pl", "pl-PL"])
async def test_a_polish_telegram_user_gets_polish_without_choosing(driver, code):
    help_text = (await driver.send("/help", language_code=code))[0].plain
    assert help_text.startswith("Co potrafi ten bot")
    assert "/language: English, беларуская, polski, русский" in help_text
    card = (await driver.send("Łojka", language_code=code))[0]
    assert card.plain.startswith("Nasta Łojka\n")
    assert "Obrończyni praw człowieka; współzałożycielka, Human Constanta" in card.plain
    assert "\n🕊 Na wolności od 19 marca 2026; za kratami: 1\xa0238 dni.\n" in card.plain
    assert card.button_texts == ["🔔 Subskrybuj", "🗓 Chronologia", "📚 Źródła", "Wszyscy obrońcy"]
    *_, timeline = await driver.press(card, "🗓 Chronologia")
    assert "Zatrzymanie: 28 października 2022.\n" in timeline.plain


async def test_choosing_polish(driver):
    prompt = (await driver.send("/language"))[0]
    assert len(prompt.button_texts) == len(LANGUAGES) >= 4
    edited = await driver.press(prompt, "Polski")
    assert edited[-1].plain == "Gotowe: w tym czacie bot mówi po polsku."
    assert "Co potrafi" in (await driver.send("/help", language_code="en"))[0].plain


async def test_deep_link_opens_the_card(driver):
    replies = await driver.send("/start nasta-loika")
    assert replies[0].plain.startswith("Nasta Loika")
    replies = await driver.send("/start no-such-case")
    assert "not in the list" in replies[0].plain


async def test_list_filters_by_status(settings, api):
    # The five bundled defenders are free (in exile); one more is still held.
    await add_case(settings, slug="zed-person", name="Zed Person")
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        listing = (await driver.send("/list"))[0]
        assert "• All (6)" in listing.button_texts
        held = await driver.press(listing, "Behind bars (1)")
        assert held[-1].method == "editMessageText"
        assert "Behind bars: 1 defender" in held[-1].plain
        # The people are the buttons, surname first.
        assert "Person, Zed" in held[-1].button_texts
        assert "Rabkova, Marfa" not in held[-1].button_texts
        # Released lists everyone not held: those in exile too.
        released = (await driver.press(held[-1], "Released (5)"))[-1]
        assert "Released: 5 defenders" in released.plain
        assert "Rabkova, Marfa" in released.button_texts
        assert "Person, Zed" not in released.button_texts
        exile = (await driver.press(held[-1], "In exile (5)"))[-1]
        assert "Bialiatski, Ales" in exile.button_texts
        assert "Person, Zed" not in exile.button_texts


async def test_list_pages(settings, api):
    for number in range(12):
        await add_case(settings, slug=f"person-{number:02d}", name=f"Zed Person{number:02d}")
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        first = (await driver.send("/list"))[0]
        assert "17 defenders, page 1 of 3" in first.plain
        assert "Back" not in " ".join(first.button_texts)
        second = (await driver.press(first, "Next »"))[-1]
        assert "page 2 of 3" in second.plain
        third = (await driver.press(second, "Next »"))[-1]
        assert "page 3 of 3" in third.plain and "Next »" not in third.button_texts
        back = (await driver.press(third, "« Back"))[-1]
        assert "page 2 of 3" in back.plain


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Bialiatski, Ales", "Kavaliou, Ales", "Labkovich, Uladzimir", "Loika, Nasta",
                "Rabkova, Marfa", "Stefanovic, Valiantsin"]),
        ("be", ["Бяляцкі Алесь", "Кавалёў Алесь", "Лабковіч Уладзімір", "Лойка Наста",
                "Рабкова Марфа", "Стэфановіч Валянцін"]),
        ("ru", ["Беляцкий Алесь", "Ковалёв Алесь", "Лабкович Владимир", "Лойко Настя",
                "Рабкова Марфа", "Стефанович Валентин"]),
    ],
)  # fmt: skip
async def test_list_is_by_surname_however_a_name_is_written(settings, api, lang, expected):
    # An English name written surname first: the aliases as the list of political
    # prisoners writes them ("Surname First Father's name") say which word it is.
    from bot import seed_if_empty
    from storage import cases as case_store
    from storage.db import connect

    db = await connect(settings.db_path)
    await seed_if_empty(db)
    kavaliou = Case(
        slug="ales-kavaliou",
        name={"en": "Kavaliou Ales", "be": "Алесь Кавалёў", "ru": "Алесь Ковалёв"},
        aliases=["Kavaliou Ales Ivanavich", "Кавалёў Алесь Іванавіч", "Ковалёв Алесь Иванович"],
        status="detained",
        status_as_of=date(2026, 1, 1),
        status_source="s",
        sources=[Source("s", "Source", "https://example.org")],
    )
    await case_store.merge_cases(db, [kavaliou])
    await db.close()
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        listing = (await driver.send("/list", language_code=lang))[0]
        people = [b["text"] for b in listing.buttons if b["callback_data"].startswith("card:")]
        assert people == expected


async def test_a_card_too_long_for_one_message_is_split(settings, api):
    from bot import seed_if_empty
    from storage import cases as case_store
    from storage.db import connect

    db = await connect(settings.db_path)
    await seed_if_empty(db)
    long_text = " ".join(["Letters <do> not & arrive."] * 400)
    case = Case(
        slug="long-notes",
        name={"en": "Lengthy Case"},
        status="detained",
        status_as_of=date(2026, 1, 1),
        status_source="s",
        sources=[Source("s", "Source", "https://example.org")],
        detained_on=date(2025, 1, 1),
        notes=[Note("letters", {"en": long_text}, "s", date(2026, 1, 1))],
    )
    await case_store.merge_cases(db, [case])
    await db.close()
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        replies = await driver.send("/start long-notes")
    assert len(replies) >= 3
    for reply in replies:
        plain, _ = parse_html(reply.text)
        assert len(plain) <= 4096
    assert [bool(reply.buttons) for reply in replies] == [False] * (len(replies) - 1) + [True]
    assert "Letters <do> not & arrive." in replies[1].plain


async def test_list_by_place_groups_places_written_on_cases(settings, api):
    # Files from before places were records write the place on each case: they
    # group the list all the same. (The bundled five are free: two more are held.)
    for slug in ("zed-one", "zed-two"):
        colony = Detention(
            "s",
            date(2026, 1, 1),
            inline_place={"en": "Penal colony No. 4, Homel", "pl": "Kolonia karna nr 4, Homel"},
            inline_address="ИК № 4, вул. Антошкина, 3, 246035, г. Гомель",
        )
        await add_case(settings, slug=slug, name=slug.replace("-", " ").title(), detention=colony)
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        listing = (await driver.send("/list", language_code="pl"))[0]
        menu = (await driver.press(listing, "Miejsce pozbawienia wolności ▾"))[-1]
        assert menu.plain.startswith("Które miejsce pozbawienia wolności?")
        assert "Kolonia karna nr 4, Homel (2)" in menu.button_texts
        narrowed = (await driver.press(menu, "Kolonia karna nr 4, Homel (2)"))[-1]
        assert narrowed.plain.startswith("Wszyscy · Kolonia karna nr 4, Homel: 2")
        assert len([text for text in narrowed.button_texts if "One Zed" in text]) == 1


async def test_stats_lead_with_the_newest_figures(driver):
    [reply] = await driver.send("/stats")
    shown = [
        datetime.strptime(day, "%d %B %Y").date()
        for day in re.findall(r"As of (\d{1,2} \w+ \d{4})", reply.plain)
    ]
    assert len(shown) >= 2 and shown == sorted(shown, reverse=True), shown
    assert "Died" not in reply.plain  # nobody in the bundled data


def test_the_counts_of_stats_tell_free_in_exile_and_dead_apart():
    statuses = ["sentenced", "detained", "released", "in_exile", "in_exile", "deceased"]
    catalogue = Catalogue(
        [make_case(f"person-{n}", status=status) for n, status in enumerate(statuses)]
    )
    assert catalogue.count_by_status() == {
        "all": 6,
        "held": 2,
        "free": 3,
        "exile": 2,
        "deceased": 1,
    }
