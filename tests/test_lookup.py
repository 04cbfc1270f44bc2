"""Looking a defender up by name, through the real bot, in every language."""

from datetime import date

import pytest

from bot import seed_if_empty
from cases.model import Case, Detention, Event, Note, Sentence, Source
from fakeapi.harness import ChatDriver
from storage import cases as case_store
from storage.db import connect
from tests.conftest import running_bot


async def add_case(settings, slug: str, name: str, **fields) -> None:
    """Put the bundled cases and one more into the database before the bot starts."""
    db = await connect(settings.db_path)
    await seed_if_empty(db)
    facts = {
        "name": {"en": name},
        "status": "detained",
        "status_as_of": date(2026, 1, 1),
        "status_source": "s",
        "sources": [Source("s", "Source <1>", "https://example.org/?a=1&b=2")],
        "detained_on": date(2025, 1, 1),
    }
    extra = Case(slug=slug, **{**facts, **fields})
    await case_store.merge_cases(db, [extra])
    await db.close()


# The card's Timeline button in each language (tests/test_card_views.py has its views).
TIMELINE = {"en": "🗓 Timeline", "be": "🗓 Храналогія", "ru": "🗓 Хронология", "pl": "🗓 Chronologia"}

CARD_TITLES = {
    "en": "Marfa Rabkova",
    "be": "Марфа Рабкова",
    "ru": "Марфа Рабкова",
    "pl": "Marfa Rabkowa",
}


@pytest.mark.parametrize(
    "query",
    ["Рабкова", "Марфа Рабкова", "marfa rabkova", "RABKOVA", "Rabkowa", "Maryia Rabkova"],
)
async def test_defender_command_opens_the_card(driver, query):
    replies = await driver.send(f"/defender {query}")
    assert len(replies) == 1
    card = replies[0].plain
    assert card.startswith("Marfa Rabkova")
    assert "colony No. 4 in Homel is no longer her address" in card
    assert "📚 Sources" in replies[0].button_texts


async def test_plain_text_in_private_chat_searches(driver):
    replies = await driver.send("Бяляцкі")
    assert replies[0].plain.startswith("Ales Bialiatski")


async def test_plain_text_in_a_group_is_ignored(driver):
    replies = await driver.send("Бяляцкі", chat_id=-500, chat_type="group")
    assert replies == []


@pytest.mark.parametrize("lang", sorted(CARD_TITLES))
async def test_card_in_each_language(driver, lang):
    replies = await driver.send("/defender Rabkova", language_code=lang)
    card = replies[0].plain
    assert card.startswith(CARD_TITLES[lang])
    # Every fact is dated and the sources are links.
    assert {"en": "as of", "be": "станам на", "ru": "по состоянию на", "pl": "według stanu na"}[
        lang
    ] in card
    assert any(entity["type"] == "text_link" for entity in replies[0].entities)


async def test_card_of_a_held_person_counts_days_and_gives_the_address(settings, api):
    await add_case(
        settings,
        "zed-held",
        "Zed Held",
        status="sentenced",
        status_as_of=date(2026, 11, 1),  # 24 days before the tests' today: fresh
        detained_on=date(2020, 9, 17),
        sentence=Sentence(
            14, 9, date(2022, 9, 6), {"en": "A court"}, ["130"], "s", date(2026, 11, 1)
        ),
        detention=Detention(
            "s", date(2026, 11, 1), inline_place={"en": "Colony No. 4"}, inline_address="Box 246035"
        ),
        notes=[Note("money", {"en": "Money transfers are banned."}, "s", date(2026, 11, 1))],
    )
    async with running_bot(settings, api) as app:
        card = (await ChatDriver(app, api).send("/defender Zed Held")).pop().plain
    # Detained 17 September 2020; the tests live on 25 November 2026.
    assert "Detained on 17 September 2020: 2,260 days behind bars." in card
    assert "Letters to: Box 246035" in card
    assert "Money transfers are banned." in card
    assert "End of term:" in card
    assert "Free" not in card and "Last confirmed" not in card


async def test_card_of_a_released_person_says_after_how_long(driver):
    card = (await driver.send("/defender Stefanovic")).pop().plain
    assert card.startswith(
        "Valiantsin Stefanovic\n"
        "Валянцін Стэфановіч · Walancin Stefanowicz · Валентин Стефанович\n"
        "🕊 Free since 19 March 2026, after 1,709 days in detention.\n"
    )
    assert "days behind bars" not in card
    assert "Letters to:" not in card
    assert "End of term" not in card


async def test_several_matches_offer_buttons(settings, api):
    await add_case(settings, slug="ales-labkovich-junior", name="Ales Labkovich")
    async with running_bot(settings, api) as application:
        driver = ChatDriver(application, api, raise_errors=True)
        replies = await driver.send("/defender Labkovich")
        assert replies[0].plain == "2 people match “Labkovich”. Which one?"
        assert sorted(replies[0].button_texts) == [
            "Ales Labkovich, held since 2025",
            "Uladzimir Labkovich, b. 1978, in exile since 2025",
        ]
        pressed = await driver.press(
            replies[0], "Uladzimir Labkovich, b. 1978, in exile since 2025"
        )
        assert pressed[-1].plain.startswith("Uladzimir Labkovich")
        # The full name is one clear match.
        replies = await driver.send("/defender Ales Labkovich")
        assert replies[0].plain.startswith("Ales Labkovich")


async def test_hostile_data_in_a_card_is_shown_literally(settings, api):
    await add_case(settings, slug="hostile-name", name="Zoe <b>Bold</b> & <i>Co</i>")
    async with running_bot(settings, api) as application:
        driver = ChatDriver(application, api, raise_errors=True)
        replies = await driver.send("/start hostile-name")
        assert replies[0].plain.startswith("Zoe <b>Bold</b> & <i>Co</i>")


async def test_unknown_name_gets_suggestions_not_a_card(driver):
    replies = await driver.send("/defender Rabkovska")
    text = replies[0].plain
    # The likely person first, with what tells her apart, as in a choice between
    # people; never "Nobody called" before her.
    assert text.startswith("Did you mean Marfa Rabkova, b. 1995, in exile since 2026?\n")
    assert "Nobody called" not in text
    pressed = await driver.press(replies[0], "Marfa Rabkova, b. 1995, in exile since 2026")
    assert any(reply.plain.startswith("Marfa Rabkova") for reply in pressed)


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("Алеся Бяляцкая", "Ales Bialiatski"),  # his wife's, sister's or daughter's name
        ("Alesia Bialiatskaya", "Ales Bialiatski"),
        ("Валентина Стефанович", "Valiantsin Stefanovic"),
        ("Марта Рабкова", "Marfa Rabkova"),  # another first name
        ("Анастас Лойко", "Nasta Loika"),  # a man's first name
        ("Рабкоў", "Marfa Rabkova"),  # a man's form of her surname
    ],
)
async def test_a_relatives_name_never_opens_the_persons_card(driver, query, person):
    """Wives, sisters and namesakes are prosecuted too: the person may be suggested,
    in a private chat as after /defender, but their card is never sent."""
    for typed in (f"/defender {query}", query):
        [reply] = await driver.send(typed)
        # The person first, never "Nobody called" before them.
        assert reply.plain.startswith(
            (f"Did you mean {person}, b. ", f"Did you mean one of these people?\n• {person}, b. ")
        )
        assert "Sources:" not in reply.plain


@pytest.mark.parametrize("query", ["Aliaksandr Lukashenka", "Maria Kalesnikava", "Ihar Losik"])
async def test_other_people_never_open_a_card(driver, query):
    text = (await driver.send(f"/defender {query}"))[0].plain
    assert text.startswith(("Nobody called", "Did you mean")), text
    assert "Sources:" not in text


@pytest.mark.parametrize("query", ["ab", "  ", "x"])
async def test_too_short_gets_a_hint(driver, query):
    text = (await driver.send(f"/defender {query}"))[0].plain
    assert text in {
        "That is too short to search: type at least three letters of a name.",
        "Type a name after the command, for example: /defender Bialiatski",
    }


async def test_defender_without_a_name_asks_for_one(driver):
    text = (await driver.send("/defender"))[0].plain
    assert text == "Type a name after the command, for example: /defender Bialiatski"


async def test_hostile_query_is_shown_literally(driver):
    replies = await driver.send("/defender <b>Zzyzx</b> & <script>")
    assert "“<b>Zzyzx</b> & <script>”" in replies[0].plain
    assert not any(entity["type"] == "bold" for entity in replies[0].entities)


@pytest.mark.parametrize(
    ("lang", "mark"),
    [("en", ""), ("be", " (па-англійску)"), ("ru", " (на английском)"), ("pl", " (po angielsku)")],
)
async def test_a_text_with_no_translation_shows_in_english_marked_so(settings, api, lang, mark):
    event = Event(
        date(2026, 1, 2), {"en": "Moved to a colony.", "ru": "Этапирован в колонию."}, "s"
    )
    await add_case(
        settings,
        "ina-testava",
        "Ina Testava",
        role={"en": "Lawyer", "be": "Юрыстка"},
        events=[event],
    )
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [card] = await driver.send("/defender Ina Testava", language_code=lang)
        *_, timeline = await driver.press(card, TIMELINE[lang])
    role = "Юрыстка" if lang == "be" else "Lawyer" + mark
    assert card.plain.startswith(f"Ina Testava\n{role}\n")
    event_text = "Этапирован в колонию." if lang == "ru" else "Moved to a colony." + mark
    assert f": {event_text} [1]" in timeline.plain


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("пра Бяляцкага", "Ales Bialiatski"),
        ("письмо Беляцкому", "Ales Bialiatski"),
        ("с Рабковой", "Marfa Rabkova"),
        ("Бяляцкі Алесь Віктаравіч", "Ales Bialiatski"),
        ("Лой\u200bка", "Nasta Loika"),
    ],
)
async def test_how_people_write_a_name_opens_the_card_directly(driver, query, title):
    [card] = await driver.send(query)
    assert card.plain.startswith(title)


async def test_a_long_text_is_answered_too_long_without_being_echoed(api, settings):
    async with running_bot(settings, api) as app:
        reader = ChatDriver(app, api, language_code="be", raise_errors=True)
        secret = "Мой брат <b>сядзіць</b> у калоніі, яго клічуць " + "і " * 60
        [reply] = await reader.send(secret)
        assert reply.plain.startswith("Гэта занадта доўга для імя.")
        assert "брат" not in reply.plain and "калоніі" not in reply.plain
