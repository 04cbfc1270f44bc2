"""/newstatement end to end: the seed statement uploaded, previewed, published, delivered."""

from __future__ import annotations

import asyncio
import re

import pytest

from fakeapi.harness import ChatDriver
from fakeapi.telegram_html import parse_html
from handlers.publishing import progress as publishing_progress
from languages import LANGUAGES
from messages.render import Messages
from statements.summary import render
from storage import audit
from tests.interleaving import HeldRequest
from tests.test_alerts_support import alert_bot, settle
from tests.test_statements_support import (
    EVERYONE,
    NAMED,
    OWNER,
    Chat,
    clock,
    draft_to_preview,
    new,
    prepare,
    rows,
)
from tests.waiting import eventually

OTHERS = [code for code in LANGUAGES if code != "en"]  # the languages a statement may add

CHANNEL = -1001234567890
BLOCKED = 105
CHATS = [
    Chat(101, "en", ("ales-bialiatski",)),
    Chat(102, "be", ("marfa-rabkova",)),
    Chat(103, "ru", EVERYONE),
    Chat(104, "en", ("nasta-loika",), wants_statements=False),
    Chat(BLOCKED, "en", ("valiantsin-stefanovic",)),
    # Named twice over: still one message.
    Chat(106, "en", ("ales-bialiatski", "uladzimir-labkovich")),
    Chat(107, "en", ("test-person",)),  # follows only someone the statement does not name
    Chat(108, "ru", EVERYONE, active=False),
    Chat(CHANNEL, "be", ("nasta-loika",), kind="channel"),
]
RECEIVERS = [101, 102, 103, 106, CHANNEL]
SILENT = [104, BLOCKED, 107, 108]


@pytest.fixture
async def bot(settings, api, monkeypatch):
    monkeypatch.setattr(publishing_progress, "PROGRESS_SECONDS", 0.05)
    await prepare(settings.db_path, CHATS)
    api.block(BLOCKED)
    async with alert_bot(settings, api, clock()) as application:
        yield application


@pytest.fixture
def owner(bot, api) -> ChatDriver:
    return ChatDriver(bot, api, user_id=OWNER, raise_errors=True)


async def test_preview_names_all_five_and_counts_the_audience(bot, api, owner):
    replies = await draft_to_preview(owner)
    *preview, summary = replies
    # What subscribers will get, rendered by the sender's own function, in the admin's language.
    [draft_id] = await rows(bot, "SELECT id FROM statements WHERE published_at IS NULL")
    payload_rows = await rows(bot, "SELECT count(*) FROM alerts")
    assert payload_rows == [(0,)]  # nothing queued before Publish
    for record in preview:
        parse_html(record.text)  # valid Telegram HTML (the fake already accepted it)
    assert preview[0].plain.startswith(
        "📣 Belarus: Free the defenders of Viasna - a sample statement for tests"
    )
    assert "14 March 2025" in preview[0].plain
    assert f"Read in full: /statement_{draft_id[0]}" in preview[-1].plain
    assert any(entity["type"] == "bold" for entity in preview[0].entities)
    text = summary.plain
    for name in (
        "Ales Bialiatski",
        "Valiantsin Stefanovic",
        "Uladzimir Labkovich",
        "Marfa Rabkova",
        "Nasta Loika",
    ):
        assert f"• {name}" in text
    assert "It will reach 6 chats" in text
    assert "• English: 3" in text and "• Беларуская: 1" in text and "• Русский: 1" in text
    assert "• Channels: 1" in text
    # The admin wrote in English: the other languages are offered, each optional.
    assert "Written in English." in text
    assert summary.button_texts == [
        "✅ Publish",
        "👥 Change defenders",
        *(f"+ in {Messages().environment('en').filters['language'](code)}" for code in OTHERS),
        "✕ Cancel",
    ]
    linked = await rows(
        bot,
        "SELECT slug FROM statement_cases WHERE statement_id = ? ORDER BY position",
        draft_id[0],
    )
    assert [slug for (slug,) in linked] == NAMED


async def test_publish_reaches_each_chat_once_and_reports(bot, api, owner):
    *_, summary = await draft_to_preview(owner)
    [(statement_id,)] = await rows(bot, "SELECT id FROM statements")
    replies = await owner.press(summary, "✅ Publish")
    [progress, languages] = [r for r in new(replies) if r.chat_id == OWNER]
    assert progress.plain.startswith(f"Sending statement {statement_id}")
    assert languages.plain.startswith(f"Statement {statement_id} is written in English.")
    assert len(languages.button_texts) == len(OTHERS)
    await settle(bot)

    def report():
        current = api.message(OWNER, progress.message_id)
        return current if "sent" in current["text"].split("\n")[0] else None

    final = await eventually(report, "the report of the statement sent")
    assert f"Statement {statement_id}: sent" in final["text"]
    assert "Delivered: 5 of 6" in final["text"]
    assert "Blocked the bot or left: 1" in final["text"]
    assert "reply_markup" not in final  # the Stop button is gone with the broadcast
    for chat_id in RECEIVERS:
        [message] = api.messages_to(chat_id)
        assert message.plain.startswith("📣 Belarus: Free the defenders")
        # A command only where the reader can type one: not in a channel.
        assert (f"/statement_{statement_id}" in message.plain) == (chat_id != CHANNEL)
        # A deep link, so it works in channels too, where a button press would post to all.
        full, *named = message.buttons
        assert full["url"] == f"https://t.me/casewatch_bot?start=statement-{statement_id}"
        # Then the card of each person it names: in a private chat a button that opens it
        # there, in a channel a deep link into the reader's own chat.
        if chat_id == CHANNEL:
            opened = [button["url"] for button in named]
            assert opened == [f"https://t.me/casewatch_bot?start={slug}" for slug in NAMED]
        else:
            assert [button["callback_data"] for button in named] == [
                f"card:{slug}" for slug in NAMED
            ]
    for chat_id in SILENT:
        assert api.messages_to(chat_id) == []
    # The preview was the message subscribers got, for the same language.
    [english] = api.messages_to(101)
    assert english.text == render(Messages(), (await alert_payload(bot, statement_id)), "en")[0]
    [entry] = [
        e
        for e in await audit.latest(bot.bot_data["services"].db)
        if e.action == "statement.publish"
    ]
    assert entry.actor_id == OWNER
    assert entry.target == f"statement:{statement_id}"
    assert entry.after["defenders"] == NAMED
    assert entry.details == {"deliveries": 6}
    # Published: listed, and on the cards of the five it names.
    [(published_at,)] = await rows(bot, "SELECT published_at FROM statements")
    assert published_at is not None


async def alert_payload(bot, statement_id: int) -> dict:
    import json

    [(payload,)] = await rows(
        bot, "SELECT payload FROM alerts WHERE key = ?", f"statement:{statement_id}"
    )
    return json.loads(payload)


def broadcast_after_its_first():
    """Which sends a HeldRequest holds: the broadcast to chats 2000-2059, after its first
    message went out (so the broadcast is under way and the rest still pending)."""
    first: list[int] = []

    def holds(method: str, params: dict) -> bool:
        if method != "sendMessage" or not 2000 <= params.get("chat_id", 0) < 2060:
            return False
        if not first:
            first.append(params["chat_id"])
            return False
        return True

    return holds


async def test_cancel_during_broadcast_drops_the_rest(settings, api, monkeypatch):
    monkeypatch.setattr(publishing_progress, "PROGRESS_SECONDS", 0.05)
    many = [Chat(2000 + number, "en", EVERYONE) for number in range(60)]
    await prepare(settings.db_path, many)
    # The broadcast's first message goes out and the next ones are held in flight until
    # the /cancel is in: the broadcast is still running, however fast the machine.
    broadcast = HeldRequest(api, broadcast_after_its_first())
    async with alert_bot(settings, api, clock(), request=broadcast) as bot:
        owner = ChatDriver(bot, api, user_id=OWNER, raise_errors=True)
        *_, summary = await draft_to_preview(owner)
        # In tasks of their own: each waits (the harness settles) for the held sends.
        publishing = asyncio.create_task(owner.press(summary, "✅ Publish"))
        await eventually(
            lambda: broadcast.held and publishing_progress.broadcasts(bot.bot_data).of_user(OWNER),
            "the broadcast under way, watched by its admin",
        )
        cancelling = asyncio.create_task(owner.send("/cancel"))
        await eventually(
            lambda: any(r.plain.startswith("Stopping") for r in api.messages_to(OWNER)),
            "the answer to /cancel",
        )
        broadcast.release()
        # The sender kept going meanwhile: keep only what the admin was told.
        [progress, _languages] = [r for r in new(await publishing) if r.chat_id == OWNER]
        [stopping] = [r for r in new(await cancelling) if r.chat_id == OWNER]
        assert stopping.plain.startswith("Stopping statement")
        await settle(bot)
        states = dict(await rows(bot, "SELECT state, count(*) FROM deliveries GROUP BY state"))
        assert states["dropped"] > 40
        assert states["sent"] + states["dropped"] == 60
        [(cancelled,)] = await rows(
            bot, "SELECT count(*) FROM deliveries WHERE error = 'cancelled'"
        )
        assert cancelled == states["dropped"]

        def report():
            current = api.message(OWNER, progress.message_id)
            return current if "stopped" in current["text"].split("\n")[0] else None

        final = await eventually(report, "the report of the statement stopped")
        assert f"Not sent (stopped): {cancelled}" in final["text"]
        assert f"Delivered: {states['sent']} of 60" in final["text"]
        actions = [entry.action for entry in await audit.latest(bot.bot_data["services"].db)]
        assert actions[:2] == ["statement.cancel", "statement.publish"]
        # Nothing left running: /cancel is an unknown command again.
        hint = await owner.send("/nosuchcommand")
        assert [r.plain for r in await owner.send("/cancel")] == [r.plain for r in hint]


async def test_cancel_while_publish_is_still_answering_stops_the_broadcast(
    settings, api, monkeypatch
):
    """/cancel that comes in while Publish is still offering the statement's other
    languages (the draft conversation not yet ended) stops the broadcast: it never
    says "nothing was published" of a statement on its way to 60 chats."""
    monkeypatch.setattr(publishing_progress, "PROGRESS_SECONDS", 3600)  # no edits meanwhile
    many = [Chat(2000 + number, "en", EVERYONE) for number in range(60)]
    await prepare(settings.db_path, many)
    broadcast = broadcast_after_its_first()

    def offer_and_broadcast(method: str, params: dict) -> bool:
        if method == "sendMessage" and params.get("chat_id") == OWNER:
            # The offer of other languages: Publish's last word before the draft ends.
            return re.match(r"Statement \d+ is written in", params.get("text", "")) is not None
        return broadcast(method, params)

    held = HeldRequest(api, offer_and_broadcast)
    async with alert_bot(settings, api, clock(), request=held) as bot:
        owner = ChatDriver(bot, api, user_id=OWNER, raise_errors=True)
        *_, summary = await draft_to_preview(owner)
        publishing = asyncio.create_task(owner.press(summary, "✅ Publish"))
        await eventually(
            lambda: any(params.get("chat_id") == OWNER for params in held.held),
            "Publish held in its offer of other languages",
        )
        # /cancel in a task of its own: the harness settles for the held sends.
        cancelling = asyncio.create_task(owner.send("/cancel"))

        def answered() -> list[str]:
            said = [record.plain for record in api.messages_to(OWNER)]
            return [text for text in said if "Stopping" in text or "nothing was published" in text]

        [answer] = await eventually(answered, "the answer to /cancel")
        assert answer.startswith("Stopping statement")
        held.release()
        await publishing
        await cancelling
        await settle(bot)
        states = dict(await rows(bot, "SELECT state, count(*) FROM deliveries GROUP BY state"))
        assert states["dropped"] > 40
        assert states["sent"] + states["dropped"] == 60
