"""Viasna's list in Telegram: the editors told once, Apply all, one by one, questions, held
exports, uploads; strangers see none of it.

The bot runs as on a server; ``python bot.py sync`` runs beside it (in a thread
with its own connection) and the bot's outbox tells the editors. Exports are
written by the tests, of fictional people (tests/sync_support.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fakeapi.harness import ChatDriver
from storage import admins as admin_store
from storage import audit
from storage.db import connect
from tests.sync_support import COLONY_2, COLONY_9, export, row, sync_cli, write
from tests.test_alerts_support import (
    ALL,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    rows,
    settle,
    texts,
)
from tests.test_case_admin_support import upload

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=MINSK)
AS_OF = "2026-11-30"
OWNER, EDITOR, STRANGER = 9001, 1001, 2002
EXPIRED = "This button has expired."
# Chat 1 follows the test person, 2 everyone (in Russian); the editor reads Russian.
CHATS = [Chat(1), Chat(2, "ru", follows=ALL), Chat(EDITOR, "ru", follows=())]
# Three people held, each linked to their page on the (fictional) list.
PEOPLE = {
    "test-person": ("test-persona", "101", "Персона Тест Иванович", "1980-05-05"),
    "anna-testava": ("anna-testava", "102", "Тестава Анна Ивановна", "1985-02-03"),
    "ivan-probny": ("ivan-probny", "103", "Пробны Иван Петрович", "1990-07-08"),
}


# The cases these tests change (a place the list names is audited too, as place:<key>).
PEOPLE_AND_NAMESAKE = {*PEOPLE, "test-persona"}


def held(slug: str, **changes):
    page, record, _, born = PEOPLE[slug]
    first, last = {
        "test-person": ("Тест", "Персона"),
        "anna-testava": ("Анна", "Тестава"),
        "ivan-probny": ("Иван", "Пробны"),
    }[slug]
    english = slug.replace("-", " ").title()
    return make_case(
        slug,
        name={"en": english, "ru": f"{first} {last}"},
        birth_date=born,
        list_person=f"person/{page}",
        list_records=[record],
        **changes,
    )


def listed(slug: str, **cells) -> dict[str, str]:
    """The person's row as the list has them now: held in IK-9, unless ``cells`` say otherwise."""
    page, record, name, born = PEOPLE[slug]
    year, month, day = born.split("-")
    values = {
        "name": name,
        "birthday": f"{day}.{month}.{year}",
        "arrested": "05.05.2021",
        "prison": COLONY_9,
        **cells,
    }
    return row(page, int(record), **values)


def freed(slug: str) -> dict[str, str]:
    return listed(slug, status="former", release_date="19.11.2026", prison="освобожден")


async def with_editor(db_path) -> None:
    """EDITOR is an editor (the owner, 9001, is one by BOT_ADMINS)."""
    db = await connect(db_path)
    try:
        await admin_store.grant(db, EDITOR, OWNER)
    finally:
        await db.close()


@pytest.fixture
def cli(monkeypatch, settings):
    monkeypatch.setenv("BOT_ADMINS", ",".join(map(str, sorted(settings.admins))))
    return sync_cli(monkeypatch, settings.db_path)


async def stored(app, slug: str) -> dict:
    [(record,)] = await rows(app, "SELECT record FROM cases WHERE slug = ?", slug)
    return json.loads(record)


def said(records) -> list:
    return [record for record in records if record.method in ("sendMessage", "editMessageText")]


def first_lines(api, chat_id: int) -> list[str]:
    return [text.split("\n")[0] for text in texts(api, chat_id)]


async def three_held(settings) -> None:
    await prepare(
        settings.db_path, [held("test-person"), held("anna-testava"), held("ivan-probny")], CHATS
    )
    await with_editor(settings.db_path)


async def test_every_editor_is_told_once_and_apply_all_releases_tells_each_follower_once(
    settings, api, cli, tmp_path
):
    await three_held(settings)
    export_file = write(
        tmp_path,
        "list-ru.csv",
        [freed("test-person"), freed("anna-testava"), listed("ivan-probny", prison=COLONY_2)],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        before = await stored(app, "test-person")
        assert await cli(export_file, "--as-of", AS_OF) == 0
        await settle(app)
        # Each editor: one message, in their language, with the counts and the buttons.
        [notice] = api.messages_to(OWNER)
        assert notice.plain == (
            "📋 Viasna's list: changes waiting for a decision\n"
            "Export of 30 November 2026: 3 rows, 1 file (Russian).\n"
            "• 2 releases\n"
            "• 1 move to another place of detention\n"
            "Review them one by one (each with Apply, Skip and the card), or apply a whole kind "
            "at once. Questions, removals and disagreements are never applied by the bot: the "
            "review shows them."
        )
        assert notice.button_texts == [
            "🔎 Review one by one",
            "✅ Apply all 2 releases",
            "✅ Apply 1 move",
        ]
        [russian] = api.messages_to(EDITOR)
        assert russian.plain.startswith(
            "📋 Список «Весны»: изменения ждут решения\n"
            "Выгрузка от 30 ноября 2026: 3 строки, 1 файл (русский).\n"
            "• 2 освобождения\n"
        )
        assert russian.button_texts[1:] == [
            "✅ Применить все: 2 освобождения",
            "✅ Применить: 1 перевод",
        ]
        # Nothing is applied before an editor says so; the followers heard nothing.
        assert await stored(app, "test-person") == before
        assert texts(api, 1) == texts(api, 2) == []

        driver = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        done = said(await driver.press(notice, "✅ Apply all 2 releases"))
        assert done[-1].plain.startswith("✅ Applied: 2 releases.\n3 alerts are on the way.\n\n")
        assert done[-1].button_texts == ["🔎 Review one by one", "✅ Apply 1 move"]
        await settle(app)
        assert [text.split("\n")[0] for text in texts(api, 2)] == [
            "🕊 Анна Тестава на свободе.",
            "🕊 Тест Персона на свободе.",
        ]
        assert first_lines(api, 1) == ["🕊 Test Person is free."]
        assert (await stored(app, "test-person"))["status"] == "released"
        entries = await audit.latest(app.bot_data["services"].db)
        assert sorted(
            (e.actor_id, e.target)
            for e in entries
            if e.action == "case.sync" and e.target in PEOPLE_AND_NAMESAKE
        ) == [
            (OWNER, "anna-testava"),
            (OWNER, "test-person"),
        ]

        # The same button again (an old view of the message), and the other editor's:
        # nothing waits of that kind any more, nothing is applied twice.
        again = said(await driver.press_data(notice, notice.buttons[1]["callback_data"]))
        assert again[-1].plain.startswith("None of these waits any more")
        editor = ChatDriver(app, api, user_id=EDITOR, raise_errors=True)
        theirs = said(await editor.press(russian, 1))
        assert theirs[-1].plain.startswith("Ни одно из них больше не ждёт")
        # The same export read again: nothing new waits, nobody is told anything.
        assert await cli(export_file, "--as-of", AS_OF) == 0
        await settle(app)
        assert len(texts(api, 2)) == 2 and len(texts(api, 1)) == 1
        assert len(api.messages_to(EDITOR)) == 2  # the notice and the answer to the press
        assert await rows(app, "SELECT count(*) FROM alerts WHERE kind = 'sync_review'") == [(1,)]


async def review(app, api, driver: ChatDriver, who: int = OWNER):
    """/sync, then Review one by one: the first change waiting."""
    [status] = await driver.send("/sync", user_id=who)
    [first] = said(await driver.press(status, "🔎 Review one by one"))
    return status, first


async def test_one_by_one_apply_skip_open_card_and_the_same_apply_twice(
    settings, api, cli, tmp_path
):
    await three_held(settings)
    export_file = write(
        tmp_path, "list-ru.csv", [listed("test-person", prison=COLONY_2), freed("anna-testava")]
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(export_file, "--as-of", AS_OF) == 0
        driver = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        _, first = await review(app, api, driver)
        # The list's row and the card, one above the other; what Apply would do.
        assert first.plain == (
            "🔎 Viasna's list: 3 changes wait for a decision.\n"
            "Released: Anna Testava (anna-testava)\n"
            "Apply changes the status, adds the timeline entry in every language and tells the "
            "followers.\n"
            "\n"
            "What the list says (export of 30 November 2026):\n"
            "Name: Тестава Анна Ивановна\n"
            "Status: a former political prisoner\n"
            "Born: 3 February 1985\n"
            "Detained: 5 May 2021\n"
            "Released: 19 November 2026\n"
            "The person's page on the list\n"
            "\n"
            "What the card says:\n"
            "Status: serving a sentence, as of 1 January 2025\n"
            "Born: 3 February 1985\n"
            "Detained: 5 May 2021\n"
            "Place: Penal colony No. 1, IK-1, Street 1, 220000\n"
            "Sentence: 8 years\n"
            "Articles: art. 342 part 1"
        )
        assert first.button_texts == ["✅ Apply", "⏭ Skip", "📇 Open card"]
        # Open card: the card as /defender shows it; the change still waits.
        card = said(await driver.press(first, "📇 Open card"))
        [defender] = await driver.send("/defender Anna Testava")
        assert [reply.plain for reply in card] == [defender.plain]
        assert (await stored(app, "anna-testava"))["status"] == "sentenced"
        # Apply: the change is applied, and the message turns into the next change.
        [applied] = said(await driver.press(first, "✅ Apply"))
        assert applied.method == "editMessageText"
        assert applied.plain.startswith(
            "✅ Applied: Anna Testava. 1 alert is on the way.\n"
            "\n"
            "🔎 Viasna's list: 2 changes wait for a decision.\n"
            "Moved to another place of detention: Test Person (test-person)\n"
        )
        assert "Place: ИК-2, г. Бобруйск, ул. Сикорского, 1, 213800\n" in applied.plain
        assert (await stored(app, "anna-testava"))["status"] == "released"
        # The same Apply again (a client's old view of the message): decided already.
        await driver.press_data(first, first.buttons[0]["callback_data"])
        again = api.message(OWNER, first.message_id)["text"]
        assert again.startswith("Anna Testava: already decided (applied).\n\n🔎 Viasna's list: 2")
        # Skip: nothing changes; the next is a person gone from the list, with Skip alone.
        [skipped] = said(await driver.press(first, "⏭ Skip"))
        assert skipped.plain.startswith(
            "⏭ Skipped: Test Person.\n"
            "\n"
            "🔎 Viasna's list: 1 change waits for a decision.\n"
            "Gone from the list: Ivan Probny (ivan-probny)\n"
            "The bot never applies this:"
        )
        assert "The list no longer has this person (person/ivan-probny)." in skipped.plain
        assert skipped.button_texts == ["⏭ Skip", "📇 Open card"]
        assert (await stored(app, "test-person"))["detention"]["source"] == "src"
        [last] = said(await driver.press(first, "⏭ Skip"))
        assert last.plain == (
            "⏭ Skipped: Ivan Probny.\n"
            "\n"
            "✓ Nothing more from Viasna's list waits for a decision. /sync shows the latest "
            "export read."
        )
        assert last.button_texts == []
        await settle(app)
        # One release alert, once; nothing about the skipped move.
        assert first_lines(api, 2) == ["🕊 Анна Тестава на свободе."]
        assert texts(api, 1) == []
        entries = await audit.latest(app.bot_data["services"].db)
        assert [
            (e.actor_id, e.target)
            for e in entries
            if e.action == "case.sync" and e.target in PEOPLE_AND_NAMESAKE
        ] == [(OWNER, "anna-testava")]
        assert await rows(
            app, "SELECT kind, state, decided_by FROM sync_changes ORDER BY kind"
        ) == [
            ("gone", "skipped", "9001"),
            ("moved", "skipped", "9001"),
            ("released", "applied", "9001"),
        ]


# The test person as the list writes them, twice: two pages that both fit the one case.
TWIN = {"name": "Персона Тест Иванович", "birthday": "05.05.1980", "arrested": "05.05.2021"}


async def test_a_question_answered_this_is_links_and_applies_someone_else_adds_a_case(
    settings, api, cli, tmp_path
):
    unlinked = make_case()  # no link to the list yet: found by name and birth date
    await prepare(settings.db_path, [unlinked], CHATS)
    twins = [
        row("test-persona", 101, **TWIN, prison=COLONY_2),
        row("test-persona-bis", 102, **TWIN, prison=COLONY_9),
    ]
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(write(tmp_path, "list-ru.csv", twins), "--as-of", AS_OF) == 0
        await settle(app)
        [notice] = api.messages_to(OWNER)
        assert "• 2 questions: which case is this person?" in notice.plain
        assert notice.button_texts == ["🔎 Review one by one"]  # nothing to apply wholesale
        driver = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        [question] = said(await driver.press(notice, "🔎 Review one by one"))
        assert question.plain.startswith(
            "🔎 Viasna's list: 2 changes wait for a decision.\n"
            "Question: Тест Персона\n"
            "The person on the list may be one of these cases. Say which, or that it is someone "
            "else: the bot never links a case on a name alone.\n"
        )
        assert question.plain.endswith(
            "Place: ИК-2, г. Бобруйск, ул. Сикорского, 1, 213800\n"
            "The person's page on the list\n"
            "\n"
            "Cases that may be this person:\n"
            "1. Test Person, b. 1980, held since 2021"
        )
        assert question.button_texts == [
            "1. This is Test Person, b. 1980, held since 2021",
            "➕ Someone else",
            "⏭ Skip",
        ]
        # This is Test Person: linked, and what the list says of them applied (the move).
        [linked] = said(await driver.press(question, 0))
        assert linked.plain.startswith(
            "🔗 Linked: Test Person is the person on the list; what the list says is applied. "
            "2 alerts are on the way.\n\n🔎 Viasna's list: 1 change waits for a decision.\n"
        )
        case = await stored(app, "test-person")
        assert (case["list_person"], case["list_records"]) == ("person/test-persona", ["101"])
        assert case["detention"] == {"place": "ik-2", "source": "viasna-list", "as_of": AS_OF}
        # The other page fits the same case: it is not taken over ...
        [taken] = said(await driver.press(question, 0))
        assert taken.plain.startswith(
            "⚠️ Not linked: Test Person is linked to another person on the list already.\n"
        )
        assert (await stored(app, "test-person"))["list_person"] == "person/test-persona"
        # ... and Someone else makes the other page a case of its own (the list holds them).
        [other] = said(await driver.press(question, "➕ Someone else"))
        assert other.plain.startswith("➕ Someone else: Test Persona is a new case.\n")
        namesake = await stored(app, "test-persona")
        assert namesake["list_person"] == "person/test-persona-bis"
        assert namesake["detention"]["place"] != "ik-2"
        await settle(app)
        # The follower hears of the move once; nothing of the namesake they do not follow.
        assert first_lines(api, 1) == ["🔔 Test Person: news in the case."]
        entries = await audit.latest(app.bot_data["services"].db)
        assert sorted(
            (e.actor_id, e.target)
            for e in entries
            if e.action == "case.sync" and e.target in PEOPLE_AND_NAMESAKE
        ) == [
            (OWNER, "test-person"),
            (OWNER, "test-persona"),
        ]


async def test_a_held_export_says_why_and_applies_nothing_until_trusted(
    settings, api, cli, tmp_path
):
    await prepare(settings.db_path, [held("test-person")], CHATS)
    await with_editor(settings.db_path)
    others = [row(f"other-{n}", 500 + n, name=f"Іншы Чалавек{n}") for n in range(9)]
    full = write(tmp_path, "full.csv", [listed("test-person"), *others])
    cut = write(tmp_path, "cut.csv", [freed("test-person"), *others[:4]])
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(full, "--as-of", "2026-11-23", "--apply") == 0
        await settle(app)
        assert api.messages_to(OWNER) == []  # all applied: nothing waits for an editor
        before = await stored(app, "test-person")
        assert await cli(cut, "--as-of", AS_OF) == 0
        await settle(app)
        [notice] = api.messages_to(OWNER)
        assert notice.plain == (
            "⏸ Viasna's export of 30 November 2026 is held: it may be cut short, so nothing "
            "from it is applied until an editor trusts it.\n"
            "This export: 5 rows, 1 file (Russian).\n"
            "The last export applied, of 23 November 2026: 10 rows, 1 file (Russian).\n"
            "Held until an editor trusts it:\n"
            "• 1 release\n"
            "• 4 statuses to confirm\n"
            "• 5 people gone from the list\n"
            "Trust it if it is whole (compare it with the list's own page); leave it held if not."
        )
        assert notice.button_texts == ["✅ Trust this export", "✖️ Leave it"]
        assert (await stored(app, "test-person")) == before
        driver = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        [left] = said(await driver.press(notice, "✖️ Leave it"))
        assert left.plain.startswith("The export stays held: nothing from it is applied.")
        assert left.button_texts == ["✅ Trust this export", "✖️ Leave it"]
        assert await stored(app, "test-person") == before
        # Forged buttons reach nothing: an unknown change, a kind never applied, no snapshot.
        for forged in (
            "sync:a:released:" + "0" * 20,
            "sync:all:2:gone",
            "sync:all:99:released",
            "sync:t:99",
            "sync:x:released:" + "0" * 20 + ":1",
        ):
            replies = await driver.press_data(left, forged)
            assert [(r.method, r.plain) for r in replies] == [("answerCallbackQuery", EXPIRED)]
        assert await stored(app, "test-person") == before
        # /sync shows it held; Trust: its unchanged statuses are confirmed, the rest wait.
        [status] = await driver.send("/sync")
        assert status.plain == notice.plain and status.button_texts == notice.button_texts
        [trusted] = said(await driver.press(status, "✅ Trust this export"))
        assert trusted.plain.startswith(
            "✅ Trusted: the export of 30 November 2026 is no longer held; its changes wait for "
            "decisions like any others.\n"
            "4 statuses the list restates are confirmed as of its date.\n"
            "\n"
            "📋 Viasna's list: changes waiting for a decision\n"
            "Export of 30 November 2026: 5 rows, 1 file (Russian).\n"
            "• 1 release\n"
            "• 5 people gone from the list\n"
        )
        assert trusted.button_texts == ["🔎 Review one by one", "✅ Apply 1 release"]
        assert (await stored(app, "test-person"))["status"] == "sentenced"
        # Trusted twice (the other button, an old view): no longer held, nothing more done.
        [twice] = said(await driver.press_data(status, status.buttons[0]["callback_data"]))
        assert twice.plain.startswith("That export is no longer held")
        [done] = said(await driver.press(trusted, "✅ Apply 1 release"))
        assert done.plain.startswith("✅ Applied: 1 release.\n2 alerts are on the way.\n")
        await settle(app)
        assert first_lines(api, 1) == [
            "🔔 Test Person: news in the case.",
            "🕊 Test Person is free.",
        ]


async def test_an_editor_uploads_the_export_and_the_other_editors_are_told(settings, api, tmp_path):
    await three_held(settings)
    async with alert_bot(settings, api, Clock(NOW)) as app:
        driver = ChatDriver(app, api, user_id=OWNER, raise_errors=True)
        russian = export([freed("test-person"), listed("anna-testava")])
        [kept] = await upload(driver, api, "list-ru.csv", russian)
        assert kept.plain == (
            "📥 list-ru.csv: Viasna's export (Russian), 2 rows.\n"
            "Kept for 15 minutes: send the exports in the other languages (Belarusian, English) "
            "too, and they are compared with the cases together; or compare now."
        )
        assert kept.button_texts == ["🔍 Compare now (1 file)"]
        assert await rows(app, "SELECT count(*) FROM sync_snapshots") == [(0,)]
        [read] = said(await driver.press(kept, "🔍 Compare now (1 file)"))
        assert read.plain.startswith(
            "📥 Read and compared with the cases.\n"
            "\n"
            "📋 Viasna's list: changes waiting for a decision\n"
            "Export of 1 December 2026: 2 rows, 1 file (Russian).\n"
            "• 1 release\n"
            "• 1 move to another place of detention\n"
            "• 1 person gone from the list\n"
        )
        assert read.button_texts == [
            "🔎 Review one by one",
            "✅ Apply 1 release",
            "✅ Apply 1 move",
        ]
        await settle(app)
        # The other editor is told through the outbox; the sender has the summary already.
        [told] = api.messages_to(EDITOR)
        assert told.plain.startswith("📋 Список «Весны»: изменения ждут решения\n")
        assert len(api.messages_to(OWNER)) == 2  # the two replies above
        [(origin, files)] = await rows(app, "SELECT origin, files FROM sync_snapshots")
        assert origin == "upload" and [f["name"] for f in json.loads(files)] == ["list-ru.csv"]
        # Compare now pressed again: nothing is kept any more.
        [again] = await driver.press_data(kept, "sync:u")
        assert (again.method, again.plain) == ("answerCallbackQuery", EXPIRED)

        # The editor (in Russian) sends the three languages: the third is compared with the
        # other two at once, as one snapshot; now the owner is the one told.
        editor = ChatDriver(app, api, user_id=EDITOR, raise_errors=True)
        names = {"be": "Персона Тэст Іванавіч", "en": "Persona Test Ivanavich"}
        replies = []
        for language in ("be", "en", "ru"):
            cells = {**TWIN, "name": names.get(language, TWIN["name"])}
            freed_again = row("test-persona", 101, language, **cells, status="former")
            content = export([freed_again])
            replies.append(
                await upload(editor, api, f"list-{language}.csv", content, user_id=EDITOR)
            )
        assert [reply.plain for reply in replies[0]] == [
            "📥 list-be.csv: выгрузка «Весны» (белорусский), 1 строка.\n"
            "Хранится 15 мин: пришлите также выгрузки на других языках (русский, английский), "
            "и они будут сравнены с делами вместе; или сравните сейчас."
        ]
        assert replies[1][0].button_texts == ["🔍 Сравнить сейчас (2 файла)"]
        first, compared = replies[2]
        assert first.plain.endswith("Все языки на месте: сравниваю с делами.")
        assert compared.plain.startswith(
            "📥 Прочитано и сравнено с делами.\n"
            "\n"
            "📋 Список «Весны»: изменения ждут решения\n"
            "Выгрузка от 1 декабря 2026: 3 строки, 3 файла (белорусский, английский, русский).\n"
            "• 1 освобождение\n"
        )
        await settle(app)
        told = api.messages_to(OWNER)[-1]
        assert told.plain.startswith(
            "📋 Viasna's list: changes waiting for a decision\n"
            "Export of 1 December 2026: 3 rows, 3 files (Belarusian, English, Russian).\n"
        )
        assert len(api.messages_to(OWNER)) == 3 and len(api.messages_to(EDITOR)) == 5
        snapshots = await rows(app, "SELECT files FROM sync_snapshots ORDER BY id")
        assert [len(json.loads(files)) for (files,) in snapshots] == [1, 3]
        # The first comparison's changes gave way to the second's: one release waits, once.
        assert await rows(
            app, "SELECT count(*) FROM sync_changes WHERE state = 'pending' AND kind = 'released'"
        ) == [(1,)]


async def test_strangers_get_nothing_of_it(settings, api, cli, tmp_path):
    await three_held(settings)
    export_file = write(tmp_path, "list-ru.csv", [freed("test-person")])
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await cli(export_file, "--as-of", AS_OF) == 0
        await settle(app)
        assert api.messages_to(STRANGER) == [] and texts(api, 1) == texts(api, 2) == []
        [notice] = api.messages_to(OWNER)
        stranger = ChatDriver(app, api, user_id=STRANGER, raise_errors=True)
        # /sync answers as a command that does not exist; the buttons have expired for them.
        [hint] = await stranger.send("/nosuchcommand")
        assert [reply.plain for reply in await stranger.send("/sync")] == [hint.plain]
        [change_key] = await rows(app, "SELECT key FROM sync_changes WHERE kind = 'released'")
        for data in [
            *(button["callback_data"] for button in notice.buttons),
            f"sync:a:{change_key[0]}",
            "sync:u",
        ]:
            # Pressed in their own chat (an editor's buttons, copied, or forged).
            [answer] = await stranger.press_data(hint, data)
            assert (answer.method, answer.plain) == ("answerCallbackQuery", EXPIRED)
        # An export a stranger sends is not even downloaded.
        assert (
            await upload(stranger, api, "list-ru.csv", export_file.read_bytes(), user_id=STRANGER)
            == []
        )
        assert not [call for call in api.calls if call.method == "getFile"]
        assert (await stored(app, "test-person"))["status"] == "sentenced"
        assert await rows(app, "SELECT DISTINCT state FROM sync_changes") == [("pending",)]
        assert await rows(app, "SELECT count(*) FROM sync_snapshots") == [(1,)]
