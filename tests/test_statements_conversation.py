"""/newstatement step by step: typed text, files, checks, defenders, cancel, timeout, gate."""

from __future__ import annotations

import pytest

from fakeapi.harness import ChatDriver
from handlers.publishing import conversation as publishing
from tests.test_alerts_support import alert_bot
from tests.test_statements_support import (
    EVERYONE,
    OWNER,
    SEED,
    STRANGER,
    Chat,
    clock,
    draft_to_preview,
    entity_text,
    new,
    prepare,
    press_old,
    rows,
    upload,
)

CHATS = [
    Chat(101, "en", ("ales-bialiatski",)),
    Chat(102, "ru", ("marfa-rabkova",)),
    Chat(103, "be", EVERYONE),
    Chat(104, "en", ("test-person",)),
]


@pytest.fixture
async def bot(settings, api):
    await prepare(settings.db_path, CHATS)
    async with alert_bot(settings, api, clock()) as application:
        yield application


@pytest.fixture
def owner(bot, api) -> ChatDriver:
    return ChatDriver(bot, api, user_id=OWNER, raise_errors=True)


def answers(records) -> list[str]:
    return [record.plain for record in new(records)]


def toasts(records) -> list[str]:
    return [r.params.get("text", "") for r in records if r.method == "answerCallbackQuery"]


async def formatted(driver: ChatDriver, text: str, entities: list[dict]):
    """A message with formatting, as Telegram delivers what the admin typed or pasted."""
    api = driver.api
    user = api.users[OWNER]
    message = {
        "message_id": api.next_message_id(OWNER),
        "date": int(api.clock()),
        "chat": dict(api.chats[OWNER]),
        "from": dict(user),
        "text": text,
        "entities": entities,
    }
    api.store_user_message(message)
    return await driver.feed({"message": message})


async def test_strangers_get_the_unknown_command_hint(bot, api):
    stranger = ChatDriver(bot, api, user_id=STRANGER, raise_errors=True)
    hint = answers(await stranger.send("/nosuchcommand"))
    assert answers(await stranger.send("/newstatement")) == hint
    assert answers(await stranger.send("/cancel")) == hint
    assert await rows(bot, "SELECT count(*) FROM statements") == [(0,)]


async def test_a_typed_statement_keeps_its_formatting_and_finds_any_spelling(bot, owner):
    await owner.send("/newstatement")
    text = "Free Алесю Бяляцкаму & Marfa Rabkova now. Details <here>."
    entities = [
        {"type": "bold", "offset": 5, "length": 15},
        {"type": "italic", "offset": 23, "length": 13},
        {"type": "text_link", "offset": 49, "length": 6, "url": "https://spring96.org/en"},
    ]
    [ask_title] = new(await formatted(owner, text, entities))
    assert ask_title.plain.startswith("Send the title")
    assert ask_title.button_texts == []  # a message has no title to keep
    assert answers(await owner.send("x" * 201))[0].startswith("The title must be one line")
    [ask_date] = new(await owner.send("Free them"))
    assert ask_date.button_texts == ["Today, 25 November 2026"]
    assert answers(await owner.send("soon"))[0].startswith("That is not a date I can read")
    [_ask_source] = new(await owner.send("14.07.2025"))
    assert answers(await owner.send("ftp://example.org"))[0].startswith("That is not a web link")
    *preview, summary = new(await owner.send("https://spring96.org/en/news/1"))
    [message] = preview
    assert message.plain.startswith("📣 Free them\n14 July 2025\n\nFree Алесю Бяляцкаму & Marfa")
    assert "Details <here>." in message.plain
    kinds = {entity["type"]: entity_text(message, entity) for entity in message.entities}
    assert kinds["bold"] in ("Free them", "Алесю Бяляцкаму")
    assert kinds["italic"] == "Marfa Rabkova"
    links = [entity for entity in message.entities if entity["type"] == "text_link"]
    assert {link["url"] for link in links} == {
        "https://spring96.org/en",
        "https://spring96.org/en/news/1",
    }
    assert "Read in full" not in message.plain  # short: subscribers get it whole
    assert "• Ales Bialiatski\n• Marfa Rabkova" in summary.plain
    assert "It will reach 3 chats" in summary.plain


async def test_change_defenders_changes_the_audience(bot, owner):
    *_, summary = await draft_to_preview(owner)
    assert "It will reach 3 chats" in summary.plain
    toggles = (await owner.press(summary, "👥 Change defenders"))[-1]
    assert toggles.plain.startswith("Defenders statement 1 names")
    for name in ("✓ Ales Bialiatski", "✓ Marfa Rabkova", "✓ Valiantsin Stefanovic"):
        toggles = (await owner.press(toggles, name))[-1]
    toggles = (await owner.press(toggles, "Test Person"))[-1]
    assert "✓ Test Person" in toggles.button_texts
    back = (await owner.press(toggles, "« Back to the preview"))[-1]
    assert back.method == "editMessageText"
    assert "• Ales Bialiatski" not in back.plain and "• Test Person" in back.plain
    # 101 and 102 follow people no longer linked; 104 follows the one added.
    assert "It will reach 2 chats" in back.plain
    linked = await rows(bot, "SELECT slug FROM statement_cases ORDER BY position")
    assert [slug for (slug,) in linked] == ["uladzimir-labkovich", "nasta-loika", "test-person"]
    await owner.press(back, "✅ Publish")
    [(chat_ids,)] = await rows(bot, "SELECT group_concat(chat_id) FROM deliveries")
    assert sorted(map(int, chat_ids.split(","))) == [103, 104]


async def test_cancel_button_discards_the_draft_and_old_buttons_say_so(bot, owner):
    *_, summary = await draft_to_preview(owner)
    assert await rows(bot, "SELECT count(*) FROM statements") == [(1,)]
    assert answers(await owner.press(summary, "✕ Cancel")) == ["Cancelled: nothing was published."]
    assert await rows(bot, "SELECT count(*) FROM statements") == [(0,)]
    stale = await press_old(owner, summary, "publish:go")
    assert toasts(stale) == ["This button no longer applies. /newstatement starts a new statement."]
    assert await rows(bot, "SELECT count(*) FROM alerts") == [(0,)]


async def test_cancel_command_at_any_step(bot, owner):
    await owner.send("/newstatement")
    await upload(owner, SEED.name, SEED.read_bytes())
    assert answers(await owner.send("/cancel")) == ["Cancelled: nothing was published."]
    # Text is a name to look up again, not a title.
    [card] = new(await owner.send("Nasta Loika"))
    assert card.plain.startswith("Nasta Loika")
    await draft_to_preview(owner)
    assert answers(await owner.send("/cancel")) == ["Cancelled: nothing was published."]
    assert await rows(bot, "SELECT count(*) FROM statements") == [(0,)]


async def test_publish_pressed_twice_publishes_once(bot, owner):
    *_, summary = await draft_to_preview(owner)
    await owner.press(summary, "✅ Publish")
    again = await press_old(owner, summary, "publish:go")
    assert toasts(again) == ["This button no longer applies. /newstatement starts a new statement."]
    assert await rows(bot, "SELECT count(*) FROM alerts") == [(1,)]


@pytest.mark.parametrize(
    ("filename", "content", "reply"),
    [
        ("statement.pdf", b"%PDF-1.4", "This kind of file is not supported"),
        ("statement.txt", b"x" * (600 * 1024), "The file is too big"),
        ("statement.md", b"\n\n  \n", "There is no text in it"),
    ],
)
async def test_files_that_cannot_be_statements(bot, owner, filename, content, reply):
    await owner.send("/newstatement")
    assert answers(await upload(owner, filename, content))[0].startswith(reply)
    # Still waiting for the statement: the next file is taken.
    [ask_title] = new(await upload(owner, SEED.name, SEED.read_bytes()))
    assert ask_title.button_texts[0].startswith("Keep: Belarus: Free the defenders")


async def test_html_and_windows_1251_text_files(bot, owner):
    await owner.send("/newstatement")
    page = (
        "<html><head><title>Свабоду Марфе Рабковай</title><style>p{}</style></head><body>"
        "<h1>Свабоду Марфе Рабковай</h1><p>14 ліпеня 2025</p>"
        "<p><strong>Марфа Рабкова</strong> &amp; <em>co</em> <a href='#'>x</a>"
        "<script>alert(1)</script><img src=x></p></body></html>"
    )
    [ask_title] = new(await upload(owner, "s.html", page.encode()))
    assert ask_title.button_texts == ["Keep: Свабоду Марфе Рабковай"]
    [ask_date] = new(await owner.press(ask_title, 0))
    assert ask_date.button_texts == ["Keep: 14 July 2025"]
    [ask_source] = new(await owner.press(ask_date, 0))
    *preview, summary = new(await owner.press(ask_source, 0))
    assert preview[0].plain == "📣 Свабоду Марфе Рабковай\n14 July 2025\n\nМарфа Рабкова & co x"
    assert "• Marfa Rabkova" in summary.plain
    await owner.send("/newstatement")
    plain = "Заява\n\nНасту Лойку трэба вызваліць <сёння>.".encode("cp1251")
    [ask_title] = new(await upload(owner, "s.txt", plain))
    assert ask_title.button_texts == ["Keep: Заява"]


async def test_something_that_is_not_a_statement(bot, owner):
    await owner.send("/newstatement")
    api = owner.api
    message = {
        "message_id": api.next_message_id(OWNER),
        "date": int(api.clock()),
        "chat": dict(api.chats[OWNER]),
        "from": dict(api.users[OWNER]),
        "location": {"latitude": 53.9, "longitude": 27.56},
    }
    reply = answers(await owner.feed({"message": message}))
    assert reply == ["Send the statement as text or as a .md, .txt or .html file."]


async def test_a_silent_draft_times_out(settings, api):
    await prepare(settings.db_path, CHATS)
    async with alert_bot(settings, api, clock()) as bot:
        owner = ChatDriver(bot, api, user_id=OWNER, raise_errors=True)
        *_, summary = await draft_to_preview(owner)
        assert await rows(bot, "SELECT count(*) FROM statements") == [(1,)]
        [last] = await owner.stay_silent()
        minutes = publishing.TIMEOUT_SECONDS // 60
        assert last.plain.startswith(
            f"The statement draft waited {minutes} minutes and was discarded"
        )
        assert await rows(bot, "SELECT count(*) FROM statements") == [(0,)]
        stale = await owner.press(summary, "✅ Publish")
        assert toasts(stale) == [
            "This button no longer applies. /newstatement starts a new statement."
        ]


async def test_an_edited_message_is_not_the_next_answer(bot, owner):
    await owner.send("/newstatement")
    [ask_title] = new(await owner.send("Marfa Rabkova must be freed."))
    assert ask_title.plain.startswith("Send the title")
    [statement] = [
        message
        for (chat_id, _), message in owner.api.messages.items()
        if chat_id == OWNER and message.get("text") == "Marfa Rabkova must be freed."
    ]
    assert statement["from"]["id"] == OWNER
    edited = {**statement, "text": "Marfa Rabkova must be freed now.", "edit_date": 1}
    replies = answers(await owner.feed({"edited_message": edited}))
    assert not any(reply.startswith("Send the date") for reply in replies)
    [ask_date] = new(await owner.send("The real title"))
    assert ask_date.plain.startswith("Send the date")


async def test_a_date_after_today_is_asked_again(bot, owner):
    await owner.send("/newstatement")
    [ask_title] = new(await upload(owner, SEED.name, SEED.read_bytes()))
    new(await owner.press(ask_title, 0))  # the date, next
    assert answers(await owner.send("2099-07-14")) == [
        "A statement is dated the day it was made, and 14 July 2099 is after today. "
        "Send the date again."
    ]
    [ask_source] = new(await owner.send("2026-11-20"))  # taken
    assert "link" in ask_source.plain.lower()


async def test_a_file_dated_after_today_is_not_kept(bot, owner):
    await owner.send("/newstatement")
    dated = b"Free them all\n14 July 2099\n\nMarfa Rabkova must be freed.\n"
    [ask_title] = new(await upload(owner, "future.md", dated))
    [ask_date] = new(await owner.press(ask_title, 0))
    assert ask_date.button_texts == ["Keep: 14 July 2099"]
    refused = answers(await owner.press(ask_date, 0))
    assert refused == [
        "A statement is dated the day it was made, and 14 July 2099 is after today. "
        "Send the date again."
    ]


async def test_the_preview_warns_of_a_text_published_before(bot, owner):
    *_, first = await draft_to_preview(owner)
    assert "published before" not in first.plain
    await owner.press(first, "✅ Publish")
    *_, second = await draft_to_preview(owner)
    assert "⚠️ This text was published before, as statement 1 “Belarus: Free" in second.plain
    assert "Publish only if everyone should receive it again." in second.plain
    assert "✅ Publish" in second.button_texts  # still the editor's call
