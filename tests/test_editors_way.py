"""Editors find their way (issue 16, point 7), through the real bot on the fake Bot API.

Status words in every gender and language, "today" wherever a date is
asked, /help and /id, /addcase's place of detention, a death's preview, a
statement in more than one language: each as an editor (or anyone) meets it,
in at least two languages where the texts differ.
"""

from __future__ import annotations

import json

from cases.model import Address, Place, Source
from fakeapi.harness import ChatDriver
from handlers.shared.flood import GATE_KEY as FLOOD_GATE
from handlers.shared.flood import FloodGate
from handlers.shared.menu import ADMIN_COMMANDS, OWNER_COMMANDS
from languages import LANGUAGES
from messages.render import Messages
from statements import publishing
from storage import audit
from storage.db import connect
from storage.statements import Translation
from tests.test_alerts_support import ALL, Chat, alert_bot, make_case, rows, settle
from tests.test_case_admin_support import (
    EDITOR,
    OWNER,
    STRANGER,
    TODAY,
    audit_entries,
    case_bot,
    db_of,
    stored_case,
    with_buttons,
)
from tests.test_releases import SOURCE as RELEASE_SOURCE
from tests.test_releases import release_bot
from tests.test_stale_alerts import said
from tests.test_statements_support import EVERYONE, NOW, new
from tests.test_statements_support import Chat as StatementChat
from tests.test_statements_support import clock as statement_clock
from tests.test_statements_support import prepare as prepare_statements

URL = "https://example.org/news/1"
LOIKA = make_case(
    "nasta-loika",
    name={"en": "Nasta Loika", "be": "Наста Лойка", "ru": "Настя Лойко", "pl": "Nasta Łojka"},
)
# Chat 1 follows her, chat 2 (in Russian) everyone.
CHATS = [Chat(1, follows=("nasta-loika",)), Chat(2, "ru", follows=ALL)]


# --- status words and "today" -----------------------------------------------------------------


async def test_setstatus_reads_a_womans_form_and_today_in_each_language(settings, api):
    async with case_bot(settings, api, cases=[LOIKA], chats=CHATS) as (app, driver):
        [header, _alert] = await driver.send(
            f"/setstatus Loika вызвалена сёння {URL}", user_id=OWNER, language_code="be"
        )
        assert "Статус: адбывае пакаранне → на волі, станам на 1 чэрвеня 2026" in header.plain
        [header, _alert] = await driver.send(
            f"/setstatus Лойко освобождена сегодня {URL}", user_id=OWNER, language_code="ru"
        )
        assert "Статус: отбывает наказание → на свободе" in header.plain
        assert "1 июня 2026" in header.plain
        [header, *_] = await driver.send(
            f"/setstatus Łojka zmarła dziś {URL}", user_id=OWNER, language_code="pl"
        )
        assert "Status: odbywa karę → nie żyje" in header.plain
        assert "1 czerwca 2026" in header.plain
        await driver.press(
            with_buttons(
                await driver.send(
                    f"/setstatus Loika zwolniona today {URL}", user_id=OWNER, language_code="en"
                )
            ),
            "✅ Confirm",
        )
        stored = await stored_case(app, "nasta-loika")
        assert (stored["status"], stored["status_as_of"]) == ("released", TODAY.isoformat())


async def test_releases_take_today_typed(settings, api):
    async with await release_bot(settings, api) as app:
        admin = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        await admin.send("/releases", language_code="ru")
        [more] = await admin.send("Марфа Рабкова")
        [date_ask] = said(await admin.press(more, 0))
        assert "или сегодня" in date_ask.plain
        [status_ask] = await admin.send("Сегодня")
        assert status_ask.plain.startswith("Шаг 3 из 4")
        [_source_ask] = said(await admin.press(status_ask, "на свободе"))
        [preview] = await admin.send(RELEASE_SOURCE)
        assert preview.plain.startswith("Освобождения 20 марта 2026: на свободе.")


async def test_a_statement_is_dated_today_typed(settings, api):
    await prepare_statements(settings.db_path, [])
    async with alert_bot(settings, api, statement_clock()) as app:
        admin = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        await admin.send("/newstatement", language_code="pl")
        await admin.send("Uwolnić Marfę Rabkową.")
        [ask_date] = new(await admin.send("Apel"))
        assert "albo dziś" in ask_date.plain
        [ask_source] = new(await admin.send("dziś"))
        *_preview, _summary = new(await admin.press(ask_source, 0))
        [(on_date,)] = await rows(app, "SELECT on_date FROM statements")
        assert on_date == "2026-11-25"


# --- /help and /id ----------------------------------------------------------------------------


async def test_help_shows_an_editor_their_commands_in_their_language(settings, api):
    async with case_bot(settings, api, cases=[LOIKA], chats=CHATS) as (_app, driver):
        owners = (await driver.send("/help", user_id=OWNER))[0].plain
        assert "For editors\n" in owners and "For owners\n" in owners
        for name in (*ADMIN_COMMANDS, *OWNER_COMMANDS):
            assert f"\n/{name}" in owners, name
        assert "/admins add ID makes someone an editor" in owners
        await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
        editors = (await driver.send("/help", user_id=EDITOR, language_code="ru"))[0].plain
        assert "Для редакторов\n" in editors
        assert "/setstatus имя статус дата ссылка: новый статус" in editors
        assert "Для владельцев" not in editors and "/admins" not in editors
        polish = (await driver.send("/help", user_id=EDITOR, language_code="pl"))[0].plain
        assert "Dla redaktorów\n/audit: ostatnie zmiany redaktorów" in polish
        # Everyone else: the public commands alone, and where to find their id.
        strangers = (await driver.send("/help", user_id=STRANGER, language_code="be"))[0].plain
        assert "/id: ваш ідэнтыфікатар" in strangers
        assert "Для рэдактараў" not in strangers and "/setstatus" not in strangers
        # In a group an editor's commands do not work, and /help does not list them.
        in_group = await driver.send("/help", user_id=OWNER, chat_id=-42, chat_type="group")
        assert "For editors" not in in_group[0].plain


async def test_id_tells_anyone_their_id_and_stores_nothing(settings, api):
    async with case_bot(settings, api, cases=[LOIKA], chats=CHATS) as (app, driver):
        chats_before = await rows(app, "SELECT * FROM chats ORDER BY id")
        [reply] = await driver.send("/id", user_id=STRANGER)
        assert reply.plain == (
            f"Your Telegram user id: {STRANGER}\n"
            "This chat's id is the same: it is your private chat with the bot.\n\n"
            "To become an editor, send this number to an owner of the bot: they add you "
            f"with /admins add {STRANGER}.\n"
            "The bot keeps neither: it reads them from this message and forgets them."
        )
        [polish] = await driver.send("/whoami", user_id=STRANGER, language_code="pl")
        assert polish.plain.startswith(f"Twój identyfikator użytkownika w Telegramie: {STRANGER}")
        assert f"/admins add {STRANGER}" in polish.plain
        [owner] = await driver.send("/id", user_id=OWNER, language_code="ru")
        assert "Вы владелец этого бота" in owner.plain
        [group] = await driver.send(
            "/id", user_id=STRANGER, chat_id=-42, chat_type="group", language_code="en"
        )
        assert group.plain.startswith(f"Your Telegram user id: {STRANGER}\nThis chat's id: -42\n")
        assert "/admins add" not in group.plain
        assert await rows(app, "SELECT * FROM chats ORDER BY id") == chats_before


# --- /addcase: names, and the place of detention ----------------------------------------------

TOWNS = [
    ("Babruisk", "Бабруйск"),
    ("Horki", "Горкі"),
    ("Homel", "Гомель"),
    ("Hlybokaye", "Глыбокае"),
    ("Ivatsevichy", "Івацэвічы"),
    ("Mahiliou", "Магілёў"),
    ("Navapolatsk", "Наваполацк"),
    ("Orsha", "Орша"),
    ("Shklou", "Шклоў"),
    ("Zhodzina", "Жодзіна"),
]
# Ten colonies: a page of eight buttons and a second page.
PLACES = [
    Place(
        key=f"ik-{number}",
        name={"en": f"Penal colony No. {number}, {town}", "be": f"ПК № {number}, {town_be}"},
        source=Source(f"ik-{number}", "Viasna, places of detention", "https://example.org/p"),
        as_of=TODAY,
        address=Address([f"ИК-{number}", f"ул. Лесная, {number}", f"г. {town}"], "213410"),
    )
    for number, (town, town_be) in enumerate(TOWNS, start=1)
]


def unhurried(app) -> None:
    """No flood limit: an editor answering twenty questions at a test's pace is no flood."""
    app.bot_data[FLOOD_GATE] = FloodGate(burst=10**6, per_second=10**6)


SKIP = {language: Messages().label("case_btn_skip", language) for language in LANGUAGES}


TODAY_WORD = {"be": "Сёння", "ru": "сегодня", "pl": "dzisiaj"}


async def answer_up_to_the_place(driver, name: str, language: str = "en"):
    """/addcase as far as the place of detention of someone held since today."""
    [question] = await driver.send("/addcase", user_id=OWNER, language_code=language)
    [question] = await driver.send(name, user_id=OWNER)
    question = said(await driver.press(question, 0))[-1]  # the slug suggested
    for _ in range(len(LANGUAGES)):  # the name in each other language, and the role
        question = said(await driver.press(question, SKIP[language]))[-1]
    question = said(await driver.press(question, 0))[-1]  # detained
    if language == "en":
        question = said(await driver.press(question, "Today, 1 June 2026"))[-1]
    else:  # typed, in the editor's language
        [question] = await driver.send(TODAY_WORD[language], user_id=OWNER)
    [question] = await driver.send(URL, user_id=OWNER)
    return said(await driver.press(question, 0))[-1]  # the source's title suggested


async def test_addcase_refuses_a_date_or_digits_as_a_name(settings, api):
    async with case_bot(settings, api, cases=[LOIKA], chats=CHATS) as (_app, driver):
        await driver.send("/addcase", user_id=OWNER)
        [retry] = await driver.send("1956-08-12", user_id=OWNER)
        assert retry.plain.startswith(
            "“1956-08-12” is a date, not a name: the dates come later.\nPlease try again.\n\n"
            "New case, step 1 of"
        )
        await driver.send("/addcase", user_id=OWNER, language_code="ru")
        [retry] = await driver.send("Настя 2", user_id=OWNER)
        assert retry.plain.startswith("В «Настя 2» есть цифры, а в имени их не бывает.")
        [slug_question] = await driver.send("Nasta Loika", user_id=OWNER)
        await driver.press(slug_question, 0)
        [retry] = await driver.send("12.08.1956", user_id=OWNER)  # the name in Belarusian
        assert retry.plain.startswith("«12.08.1956» — дата, а не имя")


async def test_addcase_offers_the_stored_places_a_page_at_a_time(settings, api):
    async with case_bot(settings, api, cases=[LOIKA], chats=CHATS, places=PLACES) as (
        app,
        driver,
    ):
        unhurried(app)
        question = await answer_up_to_the_place(driver, "Ihar Losik")
        assert "Where are they held? Press the place of detention" in question.plain
        by_name = sorted(place.name["en"] for place in PLACES)
        assert question.button_texts == [*by_name[:8], "Next »", "➕ New place", "Skip"]
        await driver.press(question, "Next »")  # the same message, its next page
        shown = api.message(OWNER, question.message_id)["reply_markup"]["inline_keyboard"]
        texts_shown = [button["text"] for row in shown for button in row]
        assert texts_shown == [*by_name[8:], "« Back", "➕ New place", "Skip"]
        # Typed words narrow the buttons to the places they fit.
        [narrowed] = await driver.send("colony Ho", user_id=OWNER)
        assert narrowed.plain.startswith(
            "2 places match “colony Ho”: press the one you mean.\nPlease try again."
        )
        assert narrowed.button_texts == [
            "Penal colony No. 2, Horki",
            "Penal colony No. 3, Homel",
            "➕ New place",
            "Skip",
        ]
        [nothing] = await driver.send("Minsk", user_id=OWNER)
        assert nothing.plain.startswith("No stored place of detention matches “Minsk”.")
        assert len(nothing.button_texts) == 8 + 3  # every place again
        [detained_question] = said(await driver.press(narrowed, "Penal colony No. 2, Horki"))
        assert "When were they detained?" in detained_question.plain
        for _ in range(3):  # detained, born, sentence
            summary = said(await driver.press(api.last_message(OWNER), "Skip"))[-1]
        assert "Held in: Penal colony No. 2, Horki\n" in summary.plain
        assert "Letters to: ИК-2, ул. Лесная, 2, г. Horki, 213410\n" in summary.plain
        await driver.press(summary, "✅ Confirm")
        stored = await stored_case(app, "ihar-losik")
        assert stored["detention"] == {
            "place": "ik-2",
            "source": stored["status_source"],
            "as_of": TODAY.isoformat(),
        }
        letter = await driver.send("/letter Ihar Losik", user_id=OWNER)
        assert "ИК-2\nул. Лесная, 2\nг. Horki" in letter[0].plain


async def test_addcase_adds_a_new_place_with_the_case(settings, api):
    async with case_bot(settings, api, cases=[LOIKA], chats=CHATS, places=PLACES) as (
        app,
        driver,
    ):
        unhurried(app)
        question = await answer_up_to_the_place(driver, "Ihar Losik", language="be")
        assert "Дзе чалавек утрымліваецца?" in question.plain
        [name_question] = said(await driver.press(question, "➕ Новае месца"))
        assert "Назва новага месца" in name_question.plain
        [address_question] = await driver.send("ПК № 15, Наваполацк", user_id=OWNER)
        assert "Яго паштовы адрас, радок за радком" in address_question.plain
        await driver.send("ИК-15\nул. Техническая, 8\nг. Новополоцк", user_id=OWNER)
        [retry] = await driver.send("2114", user_id=OWNER)
        assert retry.plain.startswith("«2114» — не паштовы індэкс")
        await driver.send("211 440", user_id=OWNER)
        for _ in range(3):  # detained, born, sentence
            summary = said(await driver.press(api.last_message(OWNER), SKIP["be"]))[-1]
        assert "Месца зняволення: ПК № 15, Наваполацк\n" in summary.plain
        assert "ИК-15, ул. Техническая, 8, г. Новополоцк, 211440" in summary.plain
        assert "Новае месца зняволення (pk-no-15-navapolatsk)" in summary.plain
        assert await rows(app, "SELECT count(*) FROM places") == [(len(PLACES),)]
        await driver.press(summary, 0)  # Confirm
        [(record,)] = await rows(
            app, "SELECT record FROM places WHERE key = 'pk-no-15-navapolatsk'"
        )
        place = json.loads(record)
        assert place["name"] == {"en": "ПК № 15, Наваполацк", "be": "ПК № 15, Наваполацк"}
        assert place["address"] == {
            "lines": ["ИК-15", "ул. Техническая, 8", "г. Новополоцк"],
            "postcode": "211440",
        }
        assert place["source"]["url"] == URL and place["as_of"] == TODAY.isoformat()
        stored = await stored_case(app, "ihar-losik")
        assert stored["detention"]["place"] == "pk-no-15-navapolatsk"
        targets = [entry.target for entry in await audit_entries(app)]
        assert sorted(targets) == ["ihar-losik", "place:pk-no-15-navapolatsk"]
        card = await driver.send("/defender Ihar Losik", user_id=OWNER)
        assert "ПК № 15, Наваполацк" in card[0].plain


# --- a death ----------------------------------------------------------------------------------


async def test_a_death_has_its_own_preview(settings, api):
    async with case_bot(settings, api, cases=[LOIKA], chats=CHATS) as (_app, driver):
        [header, alert] = await driver.send(f"/setstatus Loika died today {URL}", user_id=OWNER)
        assert "Status: serving a sentence → deceased, as of 1 June 2026" in header.plain
        assert "🕯 2 chats will be told of this death, ahead of the day's other alerts" in (
            header.plain
        )
        assert alert.plain.startswith("🕯 Nasta Loika has died.\nDied in custody.")
        assert "news in the case" not in alert.plain
        [header, alert] = await driver.send(
            f"/setstatus Лойко умерла сегодня {URL}", user_id=OWNER, language_code="ru"
        )
        assert "🕯 2 чата узнают об этой смерти" in header.plain
        assert alert.plain.startswith("🕯 Нет в живых: Настя Лойко.\nСмерть под стражей.")


# --- a statement in more than one language ----------------------------------------------------

# Readers who follow everyone: in Belarusian, Polish and English.
READERS = [StatementChat(201, "be", EVERYONE), StatementChat(202, "pl", EVERYONE)]
READERS += [StatementChat(203, "en", EVERYONE)]


async def russian_draft(admin: ChatDriver):
    """/newstatement in Russian as far as its preview; the summary under it."""
    await admin.send("/newstatement", language_code="ru")
    await admin.send("Свободу Алесю Беляцкому.")
    await admin.send("Свободу")
    [ask_source] = new(await admin.send("сегодня"))
    *_alert, summary = new(await admin.press(ask_source, 0))  # no link
    return summary


async def test_a_statement_is_given_other_languages_in_its_preview(settings, api):
    await prepare_statements(settings.db_path, READERS)
    async with alert_bot(settings, api, statement_clock()) as app:
        unhurried(app)
        admin = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        summary = await russian_draft(admin)
        assert "Язык оригинала: русский." in summary.plain
        assert summary.button_texts == [
            "✅ Опубликовать",
            "👥 Изменить правозащитников",
            "+ язык: английский",
            "+ язык: белорусский",
            "+ язык: польский",
            "✕ Отменить",
        ]
        [ask_text] = new(await admin.press(summary, "+ язык: белорусский"))
        assert ask_text.plain.startswith("Заявление 1, язык: белорусский. Отправьте его текст")
        [ask_title] = new(await admin.send("Волю Алесю Бяляцкаму."))
        assert ask_title.plain == "Теперь его заголовок. Язык: белорусский."
        [as_read, saved] = new(await admin.send("Волю!"))
        assert as_read.plain.startswith("📣 Волю!\n25 лістапада 2026\n\nВолю Алесю Бяляцкаму.")
        assert saved.plain.startswith("Выше — заявление 1 таким, каким его получат читатели.")
        assert "когда вы нажмёте «Опубликовать»" in saved.plain
        assert saved.button_texts == ["+ язык: английский", "+ язык: польский"]
        # /cancel while asked leaves the statement, and its draft, as they were.
        await admin.press(saved, "+ язык: польский")
        [dropped] = new(await admin.send("/cancel"))
        assert dropped.plain == "Заявление осталось как было: новый текст не добавлен."

        await admin.press(summary, "✅ Опубликовать")
        await settle(app)
        [belarusian] = api.messages_to(201)
        assert belarusian.plain.startswith("📣 Волю!\n25 лістапада 2026\n\nВолю Алесю Бяляцкаму.")
        # The others get the original, marked once with its language.
        [polish] = api.messages_to(202)
        assert polish.plain.startswith("📣 Свободу (język: rosyjski)\n25 listopada 2026\n\nСвободу")
        [english] = api.messages_to(203)
        assert english.plain.startswith("📣 Свободу (in Russian)\n")
        # The statement itself, and the list, are in the reader's language too.
        reader = ChatDriver(app, api, user_id=STRANGER, raise_errors=True)
        [listed] = await reader.send("/statements", language_code="be")
        assert "Волю!" in listed.plain
        [read] = await reader.send("/statement 1")
        assert read.plain.startswith("📣 Волю!\n")
        assert read.button_texts == []  # only an editor is offered languages
        [read] = await reader.send("/statement 1", language_code="en")
        assert read.plain.startswith("📣 Свободу (in Russian)\n")


async def test_a_published_statement_is_given_a_language_later(settings, api):
    await prepare_statements(settings.db_path, READERS)
    async with alert_bot(settings, api, statement_clock()) as app:
        unhurried(app)
        admin = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        summary = await russian_draft(admin)
        [_progress, offer] = new(await admin.press(summary, "✅ Опубликовать"))
        assert offer.plain.startswith("Заявление 1. Язык оригинала: русский.")
        assert offer.button_texts == [
            "+ язык: английский",
            "+ язык: белорусский",
            "+ язык: польский",
        ]
        await settle(app)
        # Later, from the statement itself: an editor finds its languages under it.
        [shown] = await admin.send("/statement_1", language_code="en")
        assert shown.button_texts == ["+ in English", "+ in Belarusian", "+ in Polish"]
        await admin.press(shown, "+ in Polish")
        await admin.send("Wolność dla Alesia Bialackiego.")
        [_as_read, saved] = new(await admin.send("Wolność"))
        assert saved.plain.startswith("Above: statement 1 as readers in Polish get it.\n")
        assert "the alert had gone out already, in the original" in saved.plain
        assert saved.button_texts == ["+ in English", "+ in Belarusian"]
        reader = ChatDriver(app, api, user_id=STRANGER, raise_errors=True)
        [read] = await reader.send("/statement 1", language_code="pl")
        assert read.plain.startswith("📣 Wolność\n25 listopada 2026\n\nWolność dla Alesia")
        entries = [entry for entry in await audit.latest(db_of(app), 10)]
        assert [entry.action for entry in entries][:2] == [
            "statement.translate",
            "statement.publish",
        ]
        assert entries[0].after == {"language": "pl", "title": "Wolność"}


async def test_deliveries_still_waiting_carry_a_language_added_after_publishing(settings, api):
    # Published and queued while the bot is down (as `bot.py publish` does), then given in
    # Polish: nothing has gone out yet, so every Polish reader gets it in Polish.
    await prepare_statements(settings.db_path, READERS)
    db = await connect(settings.db_path)
    try:
        statement_id = await publishing.save_draft(
            db, "Свободу", NOW.date(), None, "Свободу Алесю Беляцкому.", [], OWNER, "ru"
        )
        published = await publishing.publish(db, statement_id, Messages(), OWNER)
        polish = Translation("Wolność", "Wolność dla Alesia Bialackiego.")
        done = await publishing.translate(db, statement_id, "pl", polish, Messages(), OWNER)
    finally:
        await db.close()
    assert (published.queued, done) == (3, publishing.Translated(True, 3))
    async with alert_bot(settings, api, statement_clock()) as app:
        await settle(app)
        [in_polish] = api.messages_to(202)
        assert in_polish.plain.startswith("📣 Wolność\n25 listopada 2026\n\nWolność dla Alesia")
        [in_belarusian] = api.messages_to(201)
        assert in_belarusian.plain.startswith("📣 Свободу (мова: руская)\n")
