"""Owners and editors: who may use admin commands, their menus, and /admins."""

from __future__ import annotations

import types
from datetime import UTC, datetime

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ContextTypes, ConversationHandler, filters

import handlers
from fakeapi.harness import ChatDriver
from handlers.shared import admin_access
from handlers.shared.admin_access import AdminCommandHandler
from handlers.shared.menu import ADMIN_COMMANDS, MENU_COMMANDS, OWNER_COMMANDS
from languages import LANGUAGES
from messages.render import Messages
from storage import admins as admin_store
from storage import audit, chats
from tests.conftest import running_bot

OWNER, EDITOR, STRANGER = 9001, 1001, 2002
GROUP = -500


def chat_scope(user_id: int) -> dict:
    return {"type": "chat", "chat_id": user_id}


def menu_of(api, user_id: int, language_code: str = "") -> list[str]:
    return [c["command"] for c in api.commands_for(chat_scope(user_id), language_code)]


def answer(replies) -> list[tuple]:
    """Everything the bot sent, as sent: byte-for-byte comparable."""
    return [(reply.method, reply.params) for reply in replies]


def db_of(app):
    return app.bot_data["services"].db


async def editor_ids(app) -> list[int]:
    return [editor.user_id for editor in await admin_store.list_editors(db_of(app))]


@pytest.fixture
async def editor(driver):
    replies = await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
    assert f"Done: {EDITOR} is now an editor." in replies[0].plain
    return EDITOR


# --- who gets through --------------------------------------------------------------


async def test_owner_adds_an_editor_who_can_use_editor_commands(app, api, driver, editor):
    assert await editor_ids(app) == [EDITOR]
    replies = await driver.send("/audit", user_id=EDITOR)
    assert "Audit log" in replies[0].plain
    assert "Editor added" in replies[0].plain
    # The editor's menu: the public commands, then the editor commands; no /admins.
    assert menu_of(api, EDITOR) == list(MENU_COMMANDS + ADMIN_COMMANDS)


async def test_owner_menu_lists_owner_commands_and_default_menu_stays_public(app, api):
    assert menu_of(api, OWNER) == list(MENU_COMMANDS + ADMIN_COMMANDS + OWNER_COMMANDS)
    for code in ("", *LANGUAGES):
        public = [c["command"] for c in api.commands_for(language_code=code)]
        assert public == list(MENU_COMMANDS)
    assert menu_of(api, STRANGER) == []


STRANGER_TRIES = ["/admins", "/admins add 2002", "/admins list", "/audit", "/AUDIT", "/audit 5"]


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_stranger_gets_the_unknown_command_hint_byte_for_byte(app, driver, lang):
    hint = answer(await driver.send("/nosuchcommand", user_id=STRANGER, language_code=lang))
    assert len(hint) == 1
    for text in [*STRANGER_TRIES, "/admins@casewatch_bot"]:
        assert answer(await driver.send(text, user_id=STRANGER, language_code=lang)) == hint, text
    assert await editor_ids(app) == []
    assert await audit.latest(db_of(app)) == []


@pytest.mark.parametrize("who", [STRANGER, OWNER], ids=["stranger", "owner"])
async def test_admin_commands_in_a_group_get_the_unknown_command_hint(driver, who):
    # Admin work happens in the private chat with the bot: in a group, even an
    # owner's command would print staff ids for everyone to read.
    def in_group(text):
        return driver.send(text, chat_id=GROUP, chat_type="group", title="G", user_id=who)

    hint = answer(await in_group("/nosuchcommand"))
    assert len(hint) == 1
    for text in ["/admins", "/admins add 2002", "/audit", "/audit@casewatch_bot"]:
        assert answer(await in_group(text)) == hint, text


async def test_editor_cannot_manage_admins(app, driver, editor):
    hint = answer(await driver.send("/nosuchcommand", user_id=EDITOR))
    before = await audit.latest(db_of(app))
    for text in ["/admins", f"/admins add {STRANGER}", f"/admins remove {EDITOR}"]:
        assert answer(await driver.send(text, user_id=EDITOR)) == hint, text
    assert await editor_ids(app) == [EDITOR]
    assert await audit.latest(db_of(app)) == before


async def test_removing_an_editor_takes_effect_at_once(app, api, driver, editor):
    hint = answer(await driver.send("/nosuchcommand", user_id=EDITOR))
    replies = await driver.send(f"/admins remove {EDITOR}", user_id=OWNER)
    assert f"Done: {EDITOR} is no longer an editor." in replies[0].plain
    assert answer(await driver.send("/audit", user_id=EDITOR)) == hint
    assert menu_of(api, EDITOR) == []
    assert await editor_ids(app) == []
    # The owner is untouched.
    assert "Audit log" in (await driver.send("/audit", user_id=OWNER))[0].plain


async def test_edited_command_does_not_act_again(app, api, driver):
    # An edit that repeated "/newstatement" would publish twice: admin commands take new
    # messages only.
    message = {
        "message_id": api.next_message_id(OWNER),
        "date": 1,
        "edit_date": 2,
        "chat": {"id": OWNER, "type": "private", "first_name": "Owner"},
        "from": {"id": OWNER, "is_bot": False, "first_name": "Owner"},
        "text": f"/admins add {STRANGER}",
        "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
    }
    await driver.feed({"edited_message": message})
    assert await editor_ids(app) == []


async def test_editors_survive_a_restart(settings, api):
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
    api.commands.clear()
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        # The menu is set again at start-up, before the editor writes anything.
        assert menu_of(api, EDITOR) == list(MENU_COMMANDS + ADMIN_COMMANDS)
        assert "Audit log" in (await driver.send("/audit", user_id=EDITOR))[0].plain


async def test_command_of_another_feature_is_gated_the_same_way(settings, api, monkeypatch):
    async def ping(update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_message(update.effective_chat.id, "pong")

    feature = types.SimpleNamespace(handlers=lambda: [admin_access.admin_command("ping", ping)])
    monkeypatch.setattr(handlers, "FEATURES", (*handlers.FEATURES, feature))
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        hint = answer(await driver.send("/nosuchcommand", user_id=EDITOR))
        assert answer(await driver.send("/ping", user_id=EDITOR)) == hint
        await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
        assert (await driver.send("/ping", user_id=EDITOR))[0].plain == "pong"
        assert (await driver.send("/ping", user_id=OWNER))[0].plain == "pong"
        await driver.send(f"/admins remove {EDITOR}", user_id=OWNER)
        assert answer(await driver.send("/ping", user_id=EDITOR)) == hint


def draft_feature():
    """A later feature's shape: a conversation with a text step and a button."""

    async def begin(update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await context.bot.send_message(update.effective_chat.id, "text?")
        return 0

    async def got_text(update, context: ContextTypes.DEFAULT_TYPE) -> int:
        button = InlineKeyboardButton("Publish", callback_data="draft:publish")
        await context.bot.send_message(
            update.effective_chat.id, "ready", reply_markup=InlineKeyboardMarkup([[button]])
        )
        return ConversationHandler.END

    async def publish(update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, "published")

    conversation = ConversationHandler(
        entry_points=[admin_access.admin_command("draft", begin)],
        states={0: [admin_access.admin_message(filters.TEXT & ~filters.COMMAND, got_text)]},
        fallbacks=[],
    )
    button = admin_access.admin_callback(publish, pattern="^draft:")
    return types.SimpleNamespace(handlers=lambda: [conversation, button])


async def test_conversation_steps_and_buttons_are_gated_too(settings, api, monkeypatch):
    # Before lookup, whose name search takes any other private text.
    monkeypatch.setattr(handlers, "FEATURES", (draft_feature(), *handlers.FEATURES))
    async with running_bot(settings, api) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        hint = answer(await driver.send("/nosuchcommand", user_id=STRANGER))
        assert answer(await driver.send("/draft", user_id=STRANGER)) == hint
        await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
        assert (await driver.send("/draft", user_id=EDITOR))[0].plain == "text?"
        ready = (await driver.send("a statement", user_id=EDITOR))[0]
        assert ready.plain == "ready"
        assert (await driver.press(ready, "Publish"))[-1].plain == "published"
        # Removed mid-way: the next step does nothing, and the old button has expired.
        assert (await driver.send("/draft", user_id=EDITOR))[0].plain == "text?"
        await driver.send(f"/admins remove {EDITOR}", user_id=OWNER)
        after_removal = await driver.send("another statement", user_id=EDITOR)
        assert "ready" not in [reply.plain for reply in after_removal]
        [expired] = await driver.press(ready, "Publish")
        assert (expired.method, expired.plain) == (
            "answerCallbackQuery",
            "This button has expired.",
        )


async def test_every_admin_command_is_registered_gated_and_described(app, driver):
    # Every command a menu lists exists, answers its admins, and falls through for others.
    # A conversation's entry points count (its fallbacks, like /cancel, only
    # answer inside the conversation).
    registered = {
        command: handler
        for group in app.handlers.values()
        for top in group
        for handler in (top.entry_points if isinstance(top, ConversationHandler) else [top])
        if isinstance(handler, AdminCommandHandler)
        for command in handler.commands
    }
    assert set(ADMIN_COMMANDS + OWNER_COMMANDS) <= set(registered)
    assert not set(ADMIN_COMMANDS + OWNER_COMMANDS) & set(MENU_COMMANDS)
    hint = answer(await driver.send("/nosuchcommand", user_id=STRANGER))
    owner_hint = answer(await driver.send("/nosuchcommand", user_id=OWNER))
    for name, handler in registered.items():
        assert handler.owners_only == (name in OWNER_COMMANDS), name
        assert answer(await driver.send(f"/{name}", user_id=STRANGER)) == hint, name
        assert answer(await driver.send(f"/{name}", user_id=OWNER)) != owner_hint, name
    messages = Messages()
    for lang in LANGUAGES:
        for name in ADMIN_COMMANDS + OWNER_COMMANDS:
            assert messages.label(f"cmd_{name}", lang)


# --- /admins -----------------------------------------------------------------------


async def test_admins_lists_owners_and_editors(app, driver, editor):
    text = (await driver.send("/admins", user_id=OWNER))[0].plain
    assert "Owners" in text and f"• {OWNER}" in text
    assert f"• {EDITOR}, since" in text and f"added by {OWNER}" in text
    assert "No editors yet" not in text


async def test_admins_with_no_editors(driver):
    text = (await driver.send("/admins", user_id=OWNER))[0].plain
    assert "No editors yet." in text


@pytest.mark.parametrize(
    "given",
    ["abc", "-1001234567890", "0", "12345678901234567890", "@someone", "1.5", "１２３"],
)
async def test_bad_ids_get_a_clear_answer(app, driver, given):
    for action in ("add", "remove"):
        replies = await driver.send(f"/admins {action} {given}", user_id=OWNER)
        assert f"{given} is not a user id." in replies[0].plain
    assert await editor_ids(app) == []
    assert await audit.latest(db_of(app)) == []


async def test_very_long_bad_id_is_shortened(driver):
    replies = await driver.send("/admins add " + "x" * 500, user_id=OWNER)
    assert replies[0].plain.startswith("x" * 40 + "… is not a user id.")


@pytest.mark.parametrize("text", ["/admins add", "/admins frobnicate 5", "/admins add 5 6"])
async def test_malformed_commands_get_the_usage(app, driver, text):
    replies = await driver.send(text, user_id=OWNER)
    assert "/admins add ID makes the user" in replies[0].plain
    assert await editor_ids(app) == []


async def test_owner_cannot_be_added_or_removed(app, driver):
    replies = await driver.send(f"/admins remove {OWNER}", user_id=OWNER)
    assert "cannot be removed with /admins" in replies[0].plain
    replies = await driver.send(f"/admins add {OWNER}", user_id=OWNER)
    assert "is an owner (BOT_ADMINS)" in replies[0].plain
    assert admin_access.gate(app).is_admin(OWNER)
    assert await audit.latest(db_of(app)) == []


async def test_adding_twice_and_removing_a_non_editor(app, driver, editor):
    replies = await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
    assert f"{EDITOR} is already an editor." in replies[0].plain
    replies = await driver.send(f"/admins remove {STRANGER}", user_id=OWNER)
    assert f"{STRANGER} is not an editor: nothing to remove." in replies[0].plain
    assert [entry.action for entry in await audit.latest(db_of(app))] == ["admins.add"]


async def test_adding_and_removing_are_audited(app, driver, editor):
    before = datetime.now(UTC).replace(microsecond=0)  # entries keep whole seconds
    await driver.send(f"/admins remove {EDITOR}", user_id=OWNER)
    after = datetime.now(UTC)
    removed, added = await audit.latest(db_of(app))
    assert (added.actor_id, added.action, added.target) == (OWNER, "admins.add", str(EDITOR))
    assert added.before is None and added.after["role"] == "editor"
    assert (removed.actor_id, removed.action, removed.target) == (
        OWNER,
        "admins.remove",
        str(EDITOR),
    )
    assert removed.before == {"role": "editor"} and removed.after is None
    assert before <= removed.at <= after  # when it happened, however long that took


ANSWERS = {
    "added": {
        "en": "is now an editor",
        "be": "цяпер рэдактар",
        "ru": "теперь редактор",
        "pl": "jest teraz redaktorem",
    },
    "removed": {
        "en": "no longer an editor",
        "be": "больш не рэдактар",
        "ru": "больше не редактор",
        "pl": "nie jest już redaktorem",
    },
    "list": {"en": "Editors", "be": "Рэдактары", "ru": "Редакторы", "pl": "Redaktorzy"},
    "bad": {
        "en": "not a user id",
        "be": "не ID карыстальніка",
        "ru": "не ID пользователя",
        "pl": "to nie ID użytkownika",
    },
    "usage": {
        "en": "lists the owners",
        "be": "спіс уладальнікаў",
        "ru": "список владельцев",
        "pl": "lista właścicieli",
    },
    "owner": {"en": "is an owner", "be": "уладальнік", "ru": "владелец", "pl": "jest właścicielem"},
}


@pytest.mark.parametrize("lang", sorted(ANSWERS["added"]))
async def test_admins_answers_in_the_owners_language(driver, lang):
    def as_owner(text):
        return driver.send(text, user_id=OWNER, language_code=lang)

    steps = [
        (f"/admins add {EDITOR}", "added"),
        ("/admins", "list"),
        (f"/admins remove {EDITOR}", "removed"),
        ("/admins add x", "bad"),
        ("/admins what", "usage"),
        (f"/admins remove {OWNER}", "owner"),
    ]
    for text, key in steps:
        assert ANSWERS[key][lang] in (await as_owner(text))[0].plain, (text, lang)


# --- the admins' menus --------------------------------------------------------------


async def test_editor_menu_is_in_their_chosen_language(app, api, driver):
    await chats.set_language(db_of(app), EDITOR, "be", "private")
    await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
    described = {c["command"]: c["description"] for c in api.commands_for(chat_scope(EDITOR))}
    labels = Messages()
    assert described["audit"] == labels.label("cmd_audit", "be")
    assert described["defender"] == labels.label("cmd_defender", "be")


async def test_editor_menu_follows_their_language_when_they_write(app, api, driver, editor):
    assert admin_access.gate(app).menu_languages[EDITOR] == "en"
    await driver.send("/help", user_id=EDITOR, language_code="ru")
    described = {c["command"]: c["description"] for c in api.commands_for(chat_scope(EDITOR))}
    assert described["audit"] == Messages().label("cmd_audit", "ru")
    # Already in that language: the next message sets nothing.
    calls = len(api.calls)
    await driver.send("/help", user_id=EDITOR, language_code="ru")
    assert "setMyCommands" not in [call.method for call in api.calls[calls:]]


async def test_menu_refused_is_set_once_the_editor_writes(app, api, driver):
    # Telegram refuses a chat scope for someone who never started the bot.
    api.fail_next("setMyCommands", 400, "Bad Request: chat not found")
    replies = await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
    assert "once they write to the bot" in replies[0].plain
    assert menu_of(api, EDITOR) == []
    await driver.send("/start", user_id=EDITOR)
    assert menu_of(api, EDITOR) == list(MENU_COMMANDS + ADMIN_COMMANDS)


async def test_a_refused_menu_does_not_stop_start_up(app, api, driver):
    # start() again, as after a restart: the owner's menu is refused this time.
    api.commands.clear()
    api.fail_next("setMyCommands", 400, "Bad Request: chat not found")
    await admin_access.start(app)
    assert menu_of(api, OWNER) == []
    assert "audit log" in (await driver.send("/audit", user_id=OWNER))[0].plain.lower()
    assert menu_of(api, OWNER) != []


async def test_storage_grant_and_revoke(app):
    db = db_of(app)
    at = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert await admin_store.grant(db, 42, OWNER, at=at)
    assert not await admin_store.grant(db, 42, OWNER, at=at)
    [editor] = await admin_store.list_editors(db)
    assert (editor.user_id, editor.role, editor.granted_by, editor.granted_at) == (
        42,
        "editor",
        OWNER,
        at,
    )
    assert (await admin_store.revoke(db, 42, OWNER)).user_id == 42
    assert await admin_store.revoke(db, 42, OWNER) is None
    assert [entry.action for entry in await audit.latest(db)] == ["admins.remove", "admins.add"]
