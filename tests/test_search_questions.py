"""Search that understands questions, through the real bot, in every language.

A question around a name ("where is Bialiatski", "Дзе зараз Бяляцкі?"), a
Polish declined form ("list do Bialackiego"), a name left unfinished
("Rabko"), a year or region that fits nobody ("Kavaliou Homel") and a name
that is not in the data (a link to search Viasna's list): each answered as
a reader would want, never with the wrong person's card.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.caseload import generate, place_records
from cases.catalogue import Catalogue
from cases.model import Case
from config import DEFAULT_NOT_FOUND_URL, load_settings
from fakeapi.harness import ChatDriver
from languages import LANGUAGES
from messages.quoting import quote
from storage import cases as case_store
from storage.db import connect
from tests.conftest import TODAY, running_bot

TITLES = {
    "ales-bialiatski": {
        "en": "Ales Bialiatski",
        "be": "Алесь Бяляцкі",
        "ru": "Алесь Беляцкий",
        "pl": "Aleś Bialacki",
    },
    "marfa-rabkova": {
        "en": "Marfa Rabkova",
        "be": "Марфа Рабкова",
        "ru": "Марфа Рабкова",
        "pl": "Marfa Rabkowa",
    },
    "nasta-loika": {
        "en": "Nasta Loika",
        "be": "Наста Лойка",
        "ru": "Настя Лойко",
        "pl": "Nasta Łojka",
    },
    "uladzimir-labkovich": {
        "en": "Uladzimir Labkovich",
        "be": "Уладзімір Лабковіч",
        "ru": "Владимир Лабкович",
        "pl": "Uładzimir Łabkowicz",
    },
    "valiantsin-stefanovic": {
        "en": "Valiantsin Stefanovic",
        "be": "Валянцін Стэфановіч",
        "ru": "Валентин Стефанович",
        "pl": "Walancin Stefanowicz",
    },
}

# What people ask, in the language they ask it in, and whose card it opens.
QUESTIONS = [
    ("en", "where is Bialiatski", "ales-bialiatski"),
    ("en", "What happened to Nasta Loika?", "nasta-loika"),
    ("ru", "Где сейчас Беляцкий", "ales-bialiatski"),
    ("ru", "Что с Рабковой?", "marfa-rabkova"),
    ("be", "Дзе зараз Бяляцкі?", "ales-bialiatski"),
    ("be", "Што з Лойкай", "nasta-loika"),
    ("pl", "gdzie jest Łojka", "nasta-loika"),
    ("pl", "co z Białackim?", "ales-bialiatski"),
    # Polish declined forms, read as the Belarusian and Russian ones are
    ("pl", "Bialackiego", "ales-bialiatski"),
    ("pl", "Bialackiemu", "ales-bialiatski"),
    ("pl", "list do Bialackiego", "ales-bialiatski"),
    ("pl", "uwolnienie Rabkowej", "marfa-rabkova"),
    ("pl", "Rabkowej", "marfa-rabkova"),
    ("pl", "Łojki", "nasta-loika"),
    ("pl", "Łabkowicza", "uladzimir-labkovich"),
    ("pl", "Stefanowicza", "valiantsin-stefanovic"),
]

# "Nobody called “…” is in the list." in each language, as the catalogues word it.
NOBODY = {
    "en": "Nobody called",
    "be": "Чалавека з імем",
    "ru": "Человека с именем",
    "pl": "Na liście nie ma nikogo o nazwisku",
}
DID_YOU_MEAN = {
    "en": "Did you mean {}, b. ",
    "be": "Магчыма, вы мелі на ўвазе гэтага чалавека: {}, нар. ",
    "ru": "Возможно, вы имели в виду этого человека: {}, род. ",
    "pl": "Czy chodzi o tę osobę: {}, ur. ",
}
SEARCH_VIASNA = {
    "en": "🔎 Search Viasna's list",
    "be": "🔎 Шукаць у спісе «Вясны»",
    "ru": "🔎 Искать в списке «Весны»",
    "pl": "🔎 Szukaj na liście „Wiasny”",
}
# Viasna's list pages are in Belarusian, Russian and English.
LIST_LANGUAGE = {"en": "en", "be": "be", "ru": "ru", "pl": "en"}


def url_buttons(reply) -> list[str]:
    return [button["url"] for button in reply.buttons if "url" in button]


@pytest.mark.parametrize(("lang", "question", "slug"), QUESTIONS)
async def test_a_question_or_a_polish_form_opens_the_card(app, api, lang, question, slug):
    reader = ChatDriver(app, api, language_code=lang, raise_errors=True)
    for typed in (question, f"/defender {question}"):
        [card] = await reader.send(typed)
        assert card.plain.startswith(TITLES[slug][lang] + "\n"), card.plain[:80]


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_name_left_unfinished_leads_with_the_person(app, api, lang):
    """ "Rabko" begins Marfa Rabkova's name: "Did you mean" her, never "Nobody
    called", and never her card before she is chosen."""
    reader = ChatDriver(app, api, language_code=lang, raise_errors=True)
    title = TITLES["marfa-rabkova"][lang]
    for typed in ("Rabko", "/defender Rabko", "where is Rabko"):
        [reply] = await reader.send(typed)
        assert reply.plain.startswith(DID_YOU_MEAN[lang].format(title)), reply.plain
        assert NOBODY[lang] not in reply.plain
        [her] = [text for text in reply.button_texts if text.startswith(title)]
    card = (await reader.press(reply, her))[-1]
    assert card.plain.startswith(title + "\n")


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("Stef", "valiantsin-stefanovic"),
        ("Ulad", "uladzimir-labkovich"),
        ("Бяляц", "ales-bialiatski"),
    ],
)
async def test_a_prefix_suggests_the_one_it_begins(driver, typed, slug):
    [reply] = await driver.send(typed)
    assert reply.plain.startswith(DID_YOU_MEAN["en"].format(TITLES[slug]["en"]))
    assert "Sources:" not in reply.plain


async def test_a_polish_feminine_form_of_a_mans_name_opens_no_card(driver):
    """His wife's or sister's name in Polish: he may be suggested, never opened."""
    for typed in ("Bialackiej", "list do Białackiej", "Białacka"):
        [reply] = await driver.send(typed)
        assert reply.plain.startswith(DID_YOU_MEAN["en"].format("Ales Bialiatski")), typed
        assert "Sources:" not in reply.plain


# --- a narrowing that fits nobody ----------------------------------------------------

# The generated caseload of `make demo-large`.
CASES = generate(1200, today=TODAY)
CATALOGUE = Catalogue(CASES, place_records())


@pytest.fixture
async def caseload(settings, api):
    db = await connect(settings.db_path)
    await case_store.merge_cases(db, CASES, places=place_records())
    await db.close()
    async with running_bot(settings, api) as application:
        yield application


UNMET_HOMEL = {
    "en": "Nobody called “Kavaliou” is from Homel region.",
    "be": "Рэгіён: Гомельская вобласць. Нікога з імем «Kavaliou» адтуль у спісе няма.",
    "ru": "Регион: Гомельская область. Никого с именем «Kavaliou» оттуда в списке нет.",
    "pl": "Region: obwód homelski. Na liście nie ma stamtąd nikogo o nazwisku „Kavaliou”.",
}


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_region_that_fits_nobody_says_so_before_the_choice(caseload, api, lang):
    kavalious = CATALOGUE.search("Kavaliou")
    regions = Counter(CATALOGUE.get(slug).region for slug in kavalious.all_slugs)
    assert kavalious.total > 8 and regions["homel"] == 0 and len(regions) > 2
    reader = ChatDriver(caseload, api, language_code=lang, raise_errors=True)
    [reply] = await reader.send("Kavaliou Homel")
    first, second, *_ = reply.plain.splitlines()
    assert first == UNMET_HOMEL[lang]
    # Then everyone called so, counted as the name alone counts them ("Kavaliou",
    # not "Kavaliou Homel"), eight a page.
    assert quote("Kavaliou", lang) in second and str(kavalious.total) in second
    people = [
        button for button in reply.buttons if button.get("callback_data", "").startswith("card:")
    ]
    assert len(people) == 8
    if lang == "en":
        assert second == f"{kavalious.total} people match “Kavaliou”. Which one?"


def _lone_namesake() -> tuple[str, str, Case]:
    """A surname one person has, and a region they are not from."""
    counted = Counter(case.name["en"].rsplit(" ", 1)[1] for case in CASES)
    for case in CASES:
        surname = case.name["en"].rsplit(" ", 1)[1]
        if counted[surname] == 1 and case.region and CATALOGUE.search(surname).kind == "match":
            other = "brest" if case.region != "brest" else "homel"
            return surname, other, case
    raise AssertionError("the caseload has no lone surname")


async def test_a_region_that_fits_a_lone_namesake_opens_no_card(caseload, api):
    """The one person of that name is from elsewhere: perhaps not the one meant, so
    "Did you mean" them, after saying nobody by that name is from there."""
    surname, region, person = _lone_namesake()
    word = {"brest": "Brest", "homel": "Homel"}[region]
    reader = ChatDriver(caseload, api, raise_errors=True)
    [reply] = await reader.send(f"{surname} {word}")
    first, second, *_ = reply.plain.splitlines()
    assert first == f"Nobody called “{surname}” is from {word} region."
    assert second.startswith(f"Did you mean {person.name['en']}, b. ")
    assert "Sources:" not in reply.plain


# --- where else to look ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_a_name_not_in_the_data_links_to_viasnas_list(app, api, lang):
    reader = ChatDriver(app, api, language_code=lang, raise_errors=True)
    [reply] = await reader.send("Zzyzx Qwertovich")
    assert reply.plain.startswith(NOBODY[lang])
    [button] = [button for button in reply.buttons if "url" in button]
    assert button["text"] == SEARCH_VIASNA[lang]
    assert button["url"] == (
        f"https://prisoners.spring96.org/{LIST_LANGUAGE[lang]}/list?search=Zzyzx%20Qwertovich"
    )


async def test_the_link_searches_the_name_url_encoded_without_the_question(driver):
    [reply] = await driver.send('where is <b>Zz</b> & "Yy"?')
    [url] = url_buttons(reply)
    assert url == (
        "https://prisoners.spring96.org/en/list?search=%3Cb%3EZz%3C%2Fb%3E%20%26%20%22Yy%22%3F"
    )
    assert parse_qs(urlsplit(url).query) == {"search": ['<b>Zz</b> & "Yy"?']}
    # A Cyrillic name, and "Did you mean" with the link for someone else.
    [reply] = await driver.send("Где сейчас Рабкоўскі")
    assert url_buttons(reply) == [
        "https://prisoners.spring96.org/en/list"
        "?search=%D0%A0%D0%B0%D0%B1%D0%BA%D0%BE%D1%9E%D1%81%D0%BA%D1%96"
    ]


async def test_a_group_gets_the_link_without_what_was_typed(app, api):
    reader = ChatDriver(app, api, raise_errors=True)
    api.add_chat(-500, "group", title="A group")
    [reply] = await reader.send("/defender Zzyzx Qwertovich", chat_id=-500, chat_type="group")
    assert url_buttons(reply) == ["https://prisoners.spring96.org/en/list?search="]
    assert "Zzyzx" not in reply.plain


async def test_the_link_is_configurable(settings, api):
    elsewhere = "https://example.org/find?lang={lang}&name={query}"
    async with running_bot(replace(settings, not_found_url=elsewhere), api) as app:
        reader = ChatDriver(app, api, language_code="pl", raise_errors=True)
        [reply] = await reader.send("Zzyzx Łukaszewicz")
    assert url_buttons(reply) == ["https://example.org/find?lang=en&name=Zzyzx%20%C5%81ukaszewicz"]


async def test_no_link_when_it_is_turned_off(settings, api):
    async with running_bot(replace(settings, not_found_url=None), api) as app:
        reader = ChatDriver(app, api, raise_errors=True)
        [reply] = await reader.send("Zzyzx Qwertovich")
        assert reply.reply_markup is None
        assert reply.plain == "Nobody called “Zzyzx Qwertovich” is in the list.\n" + (
            "/list shows everyone the bot follows."
        )
        [reply] = await reader.send("Rabko")
        assert url_buttons(reply) == []
        assert "Viasna" not in reply.plain


def test_the_setting_defaults_to_viasnas_list_and_empty_turns_it_off():
    assert load_settings({}, dotenv=None).not_found_url == DEFAULT_NOT_FOUND_URL
    assert load_settings({"BOT_NOT_FOUND_URL": ""}, dotenv=None).not_found_url is None
    mine = "https://example.org/?q={query}"
    assert load_settings({"BOT_NOT_FOUND_URL": mine}, dotenv=None).not_found_url == mine
