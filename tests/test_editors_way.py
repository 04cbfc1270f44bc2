"""Editors find their way (issue 16, point 7), through the real bot on the fake Bot API.

Status words in every gender and language, "today" wherever a date is
asked, /help and /id, /addcase's place of detention, a death's preview, a
statement in more than one language: each as an editor (or anyone) meets it,
in at least two languages where the texts differ.
"""

from __future__ import annotations

from fakeapi.harness import ChatDriver
from handlers.shared.menu import ADMIN_COMMANDS, OWNER_COMMANDS
from tests.test_alerts_support import ALL, Chat, alert_bot, make_case, rows
from tests.test_case_admin_support import (
    EDITOR,
    OWNER,
    STRANGER,
    TODAY,
    case_bot,
    stored_case,
    with_buttons,
)
from tests.test_releases import SOURCE as RELEASE_SOURCE
from tests.test_releases import release_bot
from tests.test_stale_alerts import said
from tests.test_statements_support import clock as statement_clock
from tests.test_statements_support import new
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
