"""What Viasna's list tells the people who follow: a re-arrest, a death, people new to the bot.

``python bot.py sync --apply`` (tests/sync_support.py) runs beside the real
bot on the fake Bot API, as on a server; the exports are of fictional people.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from alerts import daily
from fakeapi.harness import ChatDriver
from storage.db import connect
from tests.sync_support import COLONY_2, COLONY_9, REMAND_1, row, sync_cli, write
from tests.test_alerts_support import (
    ALL,
    SLUG,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    rows,
    settle,
    texts,
)
from tests.test_data_refresh import run_reload_job
from tests.test_stale_alerts import run_the_day

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=MINSK)
AS_OF = "2026-11-30"
PERSON = "test-persona"
LINKED = {"list_person": f"person/{PERSON}", "list_records": ["101"]}
TEST_PERSON = {"name": "Персона Тест Иванович", "birthday": "05.05.1980", "gender": "male"}
BOT = "casewatch_bot"  # the fake Bot API's username for the bot
# After each person new to the bot: the source of their status, the export of Viasna's list.
CITED = " (source, 30 November 2026)"


@pytest.fixture
def cli(monkeypatch, settings):
    return sync_cli(monkeypatch, settings.db_path)


async def alert_kinds(app) -> list[tuple[str, int]]:
    return await rows(app, "SELECT kind, count(*) FROM alerts GROUP BY kind ORDER BY kind")


def start_payload(button: dict) -> str:
    """What a deep link button makes Telegram send the bot: /start and this."""
    url = urlsplit(button["url"])
    assert url.netloc == "t.me" and url.path == f"/{BOT}"
    [payload] = parse_qs(url.query)["start"]
    return payload


async def test_a_re_arrest_is_told_once_as_a_re_arrest(settings, api, cli, tmp_path):
    exiled = make_case(
        status="in_exile",
        status_as_of="2026-03-19",
        released_on="2026-03-19",
        detention=None,
        **LINKED,
    )
    other = make_case("other-person", name={"en": "Other Person"})
    chats = [Chat(1), Chat(2, "ru", follows=ALL), Chat(3, follows=(other.slug,))]
    await prepare(settings.db_path, [exiled, other], chats)
    listed = write(
        tmp_path,
        "list-ru.csv",
        [
            row(
                PERSON,
                101,
                **TEST_PERSON,
                status="former",
                arrested="05.05.2021",
                release_date="19.03.2026",
            ),
            row(PERSON, 404, **TEST_PERSON, arrested="01.10.2026", prison=REMAND_1),
        ],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        await settle(app)
        assert texts(api, 1) == [
            "🔒 Test Person has been detained again.\n"
            "Detained on 1 October 2026.\n"
            "Now held in: SIZO-1\n"
            "Letters to: СИЗО-1, г. Минск, ул. Володарского, 2, 220030\n"
            "The previous detention: 5 May 2021 to 19 March 2026, 1,779 days in detention.\n"
            "• 1 October 2026: Detained again.\n"
            "Source: Viasna, list of political prisoners, export of 30 November 2026"
        ]
        [russian] = texts(api, 2)
        assert russian.startswith("🔒 Тест Персона снова под стражей.\nЗадержание: 1 октября 2026.")
        assert texts(api, 3) == []
        assert await alert_kinds(app) == [("re_arrest", 1)]

        # The same export again, applied or only read: nothing more for anyone.
        for _ in range(2):
            assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
            assert await cli(listed, "--as-of", AS_OF) == 0
        await settle(app)
        assert len(texts(api, 1)) == len(texts(api, 2)) == 1
        assert await alert_kinds(app) == [("re_arrest", 1)]


async def test_a_death_is_told_once_and_the_birthday_queued_that_day_is_dropped(
    settings, api, cli, tmp_path
):
    # Born on 1 December: the morning's run queued a birthday "behind bars" for the
    # followers; the list, read before it went out, says the person died in custody.
    held = make_case(birth_date="1980-12-01", status_as_of="2026-11-01", **LINKED)
    chats = [Chat(1), Chat(2, "ru", follows=ALL, mode="single")]
    await prepare(settings.db_path, [held], chats)
    db = await connect(settings.db_path)
    try:
        assert await daily.run_day(db, NOW.date()) == 2
    finally:
        await db.close()
    born = {**TEST_PERSON, "birthday": "01.12.1980"}
    listed = write(
        tmp_path,
        "list-ru.csv",
        [row(PERSON, 101, **born, arrested="05.05.2021", died="20.11.2026", prison=COLONY_9)],
    )
    assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
    async with alert_bot(settings, api, Clock(NOW)) as app:
        await settle(app)
        assert texts(api, 1) == [
            "🕯 Test Person has died.\n"
            "Died in custody on 20 November 2026, after 2,025 days in detention.\n"
            "• 20 November 2026: Died.\n"
            "Source: Viasna, list of political prisoners, export of 30 November 2026"
        ]
        assert texts(api, 2) == [
            "🕯 Нет в живых: Тест Персона.\n"
            "Смерть под стражей: 20 ноября 2026; в заключении: 2\xa0025 дней.\n"
            "• 20 ноября 2026: Смерть.\n"
            "Источник: «Весна», список политзаключённых, выгрузка на 30 ноября 2026"
        ]
        assert await rows(
            app,
            """SELECT a.kind, d.state, d.error FROM deliveries AS d
               JOIN alerts AS a ON a.id = d.alert_id ORDER BY a.kind, d.chat_id""",
        ) == [
            ("birthday", "dropped", "not held"),
            ("birthday", "dropped", "not held"),
            ("death", "sent", None),
            ("death", "sent", None),
        ]
        for _ in range(2):
            assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        await settle(app)
        assert len(texts(api, 1)) == len(texts(api, 2)) == 1


# Three people the list recognised, none of them in the bot yet; the test person, on
# the list as before, is no news.
NEWLY = [
    row("nova-alesia", 501, name="Новая Алеся Петровна", arrested="01.10.2026", prison=REMAND_1),
    row("nova-barys", 502, name="Новы Барыс Іванавіч", arrested="10.2026", prison=COLONY_2),
    row("nova-vera", 503, name="Новая Вера Сяргееўна", arrested="28.11.2026"),
]
UNCHANGED = row(PERSON, 101, **TEST_PERSON, arrested="05.05.2021", prison="Penal colony No. 1")


async def test_people_new_to_the_bot_reach_those_who_follow_everyone(settings, api, cli, tmp_path):
    chats = [
        Chat(1, follows=ALL, mode="single"),  # everyone, one message each: at once
        Chat(2, follows=ALL),  # everyone, a digest (automatic): in the next digest
        Chat(3),  # the test person alone: nothing about others
        Chat(4, follows=ALL, mode="single", wants={"updates": False}),  # switched off
    ]
    await prepare(settings.db_path, [make_case(**LINKED)], chats)
    listed = write(tmp_path, "list-ru.csv", [UNCHANGED, *NEWLY])
    clock = Clock(NOW)
    async with alert_bot(settings, api, clock) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        await settle(app)
        [message] = api.messages_to(1)
        assert message.plain == (
            "🆕 3 political prisoners are new to the bot.\n"
            "This chat follows everyone, so it gets their alerts too.\n"
            "\n"
            f"• Alesia Novaya: detained on 1 October 2026, held in SIZO-1{CITED}\n"
            f"• Barys Novy: detained in October 2026, held in IK-2{CITED}\n"
            f"• Vera Novaya: detained on 28 November 2026{CITED}"
        )
        # A button each, opening the person's card in the reader's own chat.
        assert message.button_texts == ["👤 Alesia Novaya", "👤 Barys Novy", "👤 Vera Novaya"]
        slugs = [start_payload(button) for button in message.buttons]
        assert slugs == ["alesia-novaya", "barys-novy", "vera-novaya"]
        assert texts(api, 2) == texts(api, 3) == texts(api, 4) == []

        # A reader taps the first: the card, with its own Subscribe button (once the bot
        # served what the command line added, as it does within seconds).
        await run_reload_job(app)
        reader = ChatDriver(app, api, raise_errors=True)
        [card] = await reader.send(f"/start {slugs[0]}")
        assert card.plain.startswith("Alesia Novaya")
        assert "🔔 Subscribe" in card.button_texts

        # The next day's digest tells the digest chat, and only it.
        clock.now = datetime(2026, 12, 2, 12, 0, tzinfo=MINSK)
        await run_the_day(app)
        [digest] = api.messages_to(2)
        assert digest.plain == (
            "📬 Today, 2 December 2026\n"
            "\n"
            "🆕 3 political prisoners new to the bot\n"
            f"• Alesia Novaya: detained on 1 October 2026, held in SIZO-1{CITED}\n"
            f"• Barys Novy: detained in October 2026, held in IK-2{CITED}\n"
            f"• Vera Novaya: detained on 28 November 2026{CITED}\n"
            "\n"
            "/letter and a name: the envelope and the rules that get a letter delivered. "
            "One message per alert instead: /settings."
        )
        assert [start_payload(button) for button in digest.buttons] == slugs
        assert len(texts(api, 1)) == 1 and texts(api, 3) == texts(api, 4) == []

        # The same export again, and another day: nobody hears of them twice.
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        clock.now = datetime(2026, 12, 3, 12, 0, tzinfo=MINSK)
        await run_the_day(app)
        assert [len(texts(api, chat)) for chat in (1, 2, 3, 4)] == [1, 1, 0, 0]
        assert await rows(app, "SELECT count(*) FROM alerts WHERE kind = 'new_person'") == [(1,)]


async def test_many_people_new_to_the_bot_are_one_message_and_one_list(
    settings, api, cli, tmp_path
):
    await prepare(settings.db_path, [], [Chat(1, follows=ALL, mode="single")])
    many = [
        row(f"nova-{n}", 600 + n, name=f"Новая Асоба{chr(0x410 + n)}", prison=COLONY_9)
        for n in range(9)
    ]
    listed = write(tmp_path, "list-ru.csv", many)
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        await settle(app)
        [message] = api.messages_to(1)
        assert message.plain.startswith("🆕 9 political prisoners are new to the bot.")
        assert message.plain.count("\n• ") == 9
        # Nine buttons would be a column no one scrolls: one opens them all.
        [button] = message.buttons
        assert button["text"] == "See all 9 »"
        payload = start_payload(button)
        assert payload.startswith("new-")

        await run_reload_job(app)
        reader = ChatDriver(app, api, raise_errors=True)
        [first] = await reader.send(f"/start {payload}")
        assert first.plain.startswith("🆕 New to the bot: 9 political prisoners, page 1 of 2")
        assert first.button_texts[-1] == "Next »" and len(first.button_texts) == 9
        [second] = [r for r in await reader.press(first, "Next »") if r.is_new_message or r.text]
        assert second.plain.startswith("🆕 New to the bot: 9 political prisoners, page 2 of 2")
        assert second.button_texts[-1] == "« Back"
        person = second.button_texts[0]
        [card] = [r for r in await reader.press(second, person) if r.is_new_message]
        assert card.plain.startswith(person)
        # A link that names no such list is answered, and changes nothing.
        [missing] = await reader.send("/start new-999999")
        assert missing.plain.startswith("That case is not in the list")


async def test_a_held_case_added_by_an_editor_reaches_those_who_follow_everyone(
    settings, api, tmp_path
):
    """/addcase, an import or a sync: a held person new to the bot is news all the same."""
    from bot import command_import
    from tests.test_alerts_updates import write as write_cases

    await prepare(settings.db_path, [make_case()], [Chat(1, follows=ALL, mode="single")])
    newcomer = make_case("new-person", name={"en": "New Person"}, detention=None)
    freed = make_case("old-case", name={"en": "Old Case"}, status="released", detention=None)
    async with alert_bot(settings, api, Clock(NOW)) as app:
        path = write_cases(tmp_path / "cases.yaml", [make_case(), newcomer, freed])
        assert await command_import(settings, path) == 0
        await settle(app)
    [message] = texts(api, 1)
    assert message.startswith("🆕 1 political prisoner is new to the bot.")
    assert "New Person: detained on 5 May 2021" in message and "Old Case" not in message
    assert SLUG not in message


async def test_a_chat_that_chose_a_digest_since_is_not_told_twice(settings, api, cli, tmp_path):
    await prepare(settings.db_path, [make_case(**LINKED)], [Chat(1, follows=ALL, mode="single")])
    listed = write(tmp_path, "list-ru.csv", [UNCHANGED, *NEWLY])
    clock = Clock(NOW)
    async with alert_bot(settings, api, clock) as app:
        assert await cli(listed, "--as-of", AS_OF, "--apply") == 0
        await settle(app)
        [told] = texts(api, 1)
        assert told.startswith("🆕 3 political prisoners are new to the bot.")
        # Then the chat chose one digest a day: the next one has nothing it did not hear.
        reader = ChatDriver(app, api, raise_errors=True)
        [settings_message] = await reader.send("/settings", chat_id=1, user_id=1)
        await reader.press(settings_message, "Daily digest", user_id=1)
        assert await rows(app, "SELECT alert_mode FROM chats WHERE id = 1") == [("digest",)]
        clock.now = datetime(2026, 12, 2, 12, 0, tzinfo=MINSK)
        await run_the_day(app)
        alerts = [text for text in texts(api, 1) if text.startswith(("🆕", "📬"))]
        assert alerts == [told]
