"""Channels managed from a private chat, and the bot's place in chats changing:
removed, demoted, restored, a group becoming a supergroup."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from cases.catalogue import Catalogue
from cases.model import Case, Source
from fakeapi.harness import ChatDriver
from storage import alerts
from storage import cases as case_store

USER, OTHER = 1001, 1002
CHANNEL = -1001234567890
GROUP, SUPERGROUP = -500, -1009876543210


async def rows(app, sql: str, *params) -> list[tuple]:
    async with app.bot_data["services"].db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def subscriptions_of(app, chat_id: int) -> list[str]:
    found = await rows(
        app, "SELECT slug FROM subscriptions WHERE chat_id = ? ORDER BY slug", chat_id
    )
    return [slug for (slug,) in found]


@pytest.fixture
def channel(api):
    """A channel USER owns, where the bot is an admin allowed to post."""
    api.add_chat(CHANNEL, "channel", title="Viasna <news> & more", username="viasnanews")
    api.set_member(CHANNEL, api.bot_user["id"], "administrator")
    api.set_member(CHANNEL, USER, "creator")
    api.set_member(CHANNEL, OTHER, "member")
    return CHANNEL


@pytest.fixture
async def registered(driver, channel):
    replies = await driver.send("/channel add @viasnanews")
    assert replies[0].plain.startswith("Done: Viasna <news> & more is registered.")
    return channel


# --- /channel add -------------------------------------------------------------------


async def test_add_registers_the_channel(app, registered):
    assert await rows(app, "SELECT id, kind, language, managed_by, active FROM chats") == [
        (CHANNEL, "channel", "en", USER, 1)
    ]


async def test_add_by_numeric_id_and_link(app, driver, channel):
    replies = await driver.send(f"/channel add {CHANNEL}")
    assert "is registered" in replies[0].plain
    replies = await driver.send("/channel add https://t.me/viasnanews")
    assert "was already registered" in replies[0].plain
    assert await rows(app, "SELECT id FROM chats") == [(CHANNEL,)]


@pytest.mark.parametrize(
    ("member", "rights", "says"),
    [
        ("user", {"status": "member"}, "Telegram does not list you as one"),
        ("user", {"status": "left"}, "Telegram does not list you as one"),
        ("bot", {"status": "member"}, "The bot is not an administrator of Viasna <news> & more"),
        ("bot", {"status": "left"}, "The bot is not an administrator"),
        ("bot", {"status": "administrator", "can_post_messages": False}, "may not post messages"),
    ],
    ids=["user-member", "user-left", "bot-member", "bot-absent", "bot-cannot-post"],
)
async def test_add_needs_both_rights(app, api, driver, channel, member, rights, says):
    who = USER if member == "user" else api.bot_user["id"]
    api.set_member(channel, who, **rights)
    replies = await driver.send("/channel add @viasnanews")
    assert says in replies[0].plain
    assert await rows(app, "SELECT * FROM chats") == []


async def test_add_refuses_what_is_not_a_channel(app, api, driver):
    replies = await driver.send("/channel add @nosuchchannel")
    assert replies[0].plain.startswith("I cannot find the channel @nosuchchannel.")
    api.add_chat(-1005555, "supergroup", title="A group", username="agroup")
    replies = await driver.send("/channel add @agroup")
    assert replies[0].plain.startswith("A group is not a channel.")
    assert await rows(app, "SELECT * FROM chats") == []


async def test_channel_commands_only_in_private(app, driver):
    replies = await driver.send("/channel add @viasnanews", chat_id=-42, chat_type="group")
    assert "managed in a private chat" in replies[0].plain


@pytest.mark.parametrize(
    "command", ["/channel", "/channel add", "/channel frobnicate @x", "/channel add @"]
)
async def test_usage(driver, command):
    replies = await driver.send(command)
    assert replies[0].plain.startswith("Alerts in a channel you run")


# --- /channel subscribe, unsubscribe, settings, list --------------------------------


async def test_subscribe_and_unsubscribe_a_channel(app, driver, registered):
    replies = await driver.send("/channel subscribe @viasnanews Rabkova")
    assert replies[0].plain.startswith(
        "Viasna <news> & more now follows Marfa Rabkova, who is no longer held: there will be no "
        "anniversary, birthday, 500-day or end-of-term alerts"
    )
    await driver.send("/channel subscribe @viasnanews all")
    assert await subscriptions_of(app, CHANNEL) == ["marfa-rabkova"]
    assert await rows(app, "SELECT subscribed_all FROM chats WHERE id = ?", CHANNEL) == [(1,)]
    replies = await driver.send("/channel unsubscribe @viasnanews all")
    assert "no more alerts in Viasna <news> & more" in replies[0].plain
    assert await subscriptions_of(app, CHANNEL) == []
    # The user's own chat was never touched.
    assert await rows(app, "SELECT id FROM chats") == [(CHANNEL,)]


async def test_ambiguous_name_for_a_channel(app, driver, registered):
    services = app.bot_data["services"]
    twin = Case(
        slug="aleh-loika",
        name={"en": "Aleh Loika"},
        status="sentenced",
        status_as_of=date(2026, 1, 10),
        status_source="src",
        sources=[Source("src", "A source", "https://example.org")],
    )
    await case_store.save_case(services.db, twin)
    services.catalogue = Catalogue(await case_store.load_cases(services.db))
    replies = await driver.send("/channel subscribe @viasnanews Loika")
    pressed = await driver.press(replies[0], "Nasta Loika, b. 1989, in exile since 2026")
    assert pressed[-1].plain.startswith("Viasna <news> & more now follows Nasta Loika, who")
    assert await subscriptions_of(app, CHANNEL) == ["nasta-loika"]


async def test_channel_settings_and_list(app, driver, registered):
    await driver.send("/channel subscribe @viasnanews Rabkova")
    shown, listing = await driver.send("/channel settings @viasnanews")
    assert shown.plain.startswith("Settings of Viasna <news> & more\nLanguage: English")
    assert listing.plain.startswith("Viasna <news> & more follows\n• Marfa Rabkova")
    await driver.press(shown, "🔔 Birthdays: on")
    pressed = await driver.press(shown, "Беларуская")
    # The channel's language changes; the manager keeps reading their own.
    assert pressed[-1].plain.startswith("Settings of Viasna <news> & more\nLanguage: Беларуская")
    assert await rows(app, "SELECT id, language, want_birthdays FROM chats") == [(CHANNEL, "be", 0)]
    await driver.press(listing, "✕ Marfa Rabkova")
    assert await subscriptions_of(app, CHANNEL) == []


async def test_every_action_rechecks_the_users_rights(app, api, driver, registered):
    shown, _ = await driver.send("/channel settings @viasnanews")
    api.set_member(CHANNEL, USER, "member")
    replies = await driver.send("/channel subscribe @viasnanews Rabkova")
    assert "Telegram does not list you as one" in replies[0].plain
    pressed = await driver.press(shown, "🔔 Birthdays: on")
    assert "Telegram does not list you as one" in pressed[-1].plain
    replies = await driver.send("/channel remove @viasnanews")
    assert "Telegram does not list you as one" in replies[0].plain
    assert await rows(app, "SELECT id, want_birthdays FROM chats") == [(CHANNEL, 1)]
    assert await subscriptions_of(app, CHANNEL) == []


async def test_another_admin_may_manage_and_take_over(app, api, driver, registered):
    api.set_member(CHANNEL, OTHER, "administrator")
    replies = await driver.send("/channel subscribe @viasnanews Rabkova", user_id=OTHER)
    assert "now follows Marfa Rabkova" in replies[0].plain
    replies = await driver.send("/channel add @viasnanews", user_id=OTHER)
    assert "It is now listed under you" in replies[0].plain
    assert await rows(app, "SELECT managed_by FROM chats") == [(OTHER,)]


async def test_unregistered_channel_is_refused(app, driver, channel):
    replies = await driver.send("/channel settings @viasnanews")
    assert "is not registered with the bot" in replies[0].plain


async def test_list(app, api, driver, registered):
    assert (await driver.send("/channel list", user_id=OTHER))[0].plain.startswith(
        "You have not registered a channel."
    )
    listing = (await driver.send("/channel list"))[0].plain
    assert "• Viasna <news> & more @viasnanews" in listing
    await driver.my_chat_member(
        CHANNEL, "administrator", chat_type="channel", can_post_messages=False
    )
    listing = (await driver.send("/channel list"))[0].plain
    assert "alerts off, the bot may not post there" in listing


async def test_remove(app, driver, registered):
    await driver.send("/channel subscribe @viasnanews Rabkova")
    replies = await driver.send("/channel remove @viasnanews")
    assert replies[0].plain.startswith("Viasna <news> & more is removed")
    assert await rows(app, "SELECT * FROM chats") == []
    assert await rows(app, "SELECT * FROM subscriptions") == []
    replies = await driver.send("/channel remove @viasnanews")
    assert "is not registered with the bot" in replies[0].plain


async def test_registrant_may_remove_a_channel_that_removed_the_bot(app, driver, registered):
    await driver.my_chat_member(CHANNEL, "left", chat_type="channel")
    replies = await driver.send(f"/channel remove {CHANNEL}")
    assert "is removed" in replies[0].plain
    assert await rows(app, "SELECT * FROM chats") == []


# --- what is posted in a channel ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "/defender Bialiatski",
        "/start",
        "/help",
        "/nonsense",
        "/subscribe all",
        "/settings",
        "/letter Bialiatski",
        "Bialiatski",
        "/channel@not_this_bot add @viasnanews",
    ],
)
async def test_a_channel_post_is_never_answered_in_the_channel(app, api, driver, channel, text):
    assert await driver.send(text, chat_id=CHANNEL, chat_type="channel") == []
    assert api.messages_to(CHANNEL) == []
    assert await rows(app, "SELECT * FROM chats") == []


async def test_an_edited_channel_post_is_not_answered(app, api, driver, channel):
    post = {
        "message_id": 7,
        "date": 1_790_000_000,
        "edit_date": 1_790_000_060,
        "chat": api.chats[CHANNEL],
        "sender_chat": api.chats[CHANNEL],
        "text": "/defender Bialiatski",
        "entities": [{"type": "bot_command", "offset": 0, "length": 9}],
    }
    assert await driver.feed({"edited_channel_post": post}) == []
    assert api.messages_to(CHANNEL) == []


@pytest.mark.parametrize("language", ["en", "be"])
async def test_channel_in_a_channel_says_where_channels_are_managed(
    app, api, driver, channel, language
):
    if language != "en":
        await driver.send("/channel add @viasnanews")
        await driver.send("/channel settings @viasnanews")
        await rows(app, "UPDATE chats SET language = ? WHERE id = ?", language, CHANNEL)
    [reply] = await driver.send("/channel add @viasnanews", chat_id=CHANNEL, chat_type="channel")
    assert reply.chat_id == CHANNEL
    assert reply.plain.startswith(
        {"en": "Channels are managed in a private chat", "be": "Каналамі кіруюць"}[language]
    )


async def test_a_refused_pointer_is_not_followed_by_anything_else(app, api, channel, caplog):
    # Telegram refuses the pointer to a private chat: that is logged, and neither
    # "Something went wrong" nor the unknown-command hint goes to the channel instead.
    api.fail_next("sendMessage", 400, "Bad Request: not enough rights", chat_id=CHANNEL)
    driver = ChatDriver(app, api)
    with caplog.at_level(logging.INFO, logger="handlers"):
        assert await driver.send("/channel", chat_id=CHANNEL, chat_type="channel") == []
    assert driver.errors == []
    assert api.messages_to(CHANNEL) == []
    assert "could not answer /channel in a channel: Not enough rights" in caplog.text


async def test_a_channel_post_copied_into_its_discussion_group_is_not_answered(app, api, driver):
    api.add_chat(CHANNEL, "channel", title="Viasna <news> & more", username="viasnanews")
    group = api.add_chat(SUPERGROUP, "supergroup", title="Viasna chat")
    copy = {
        "message_id": 8,
        "date": 1_790_000_000,
        "chat": group,
        "sender_chat": api.chats[CHANNEL],
        "is_automatic_forward": True,
        "text": "/defender x». BREAKING: Bialiatski was rearrested today «x",
        "entities": [{"type": "bot_command", "offset": 0, "length": 9}],
    }
    assert await driver.feed({"message": copy}) == []
    assert api.messages_to(SUPERGROUP) == []


# --- the bot's own membership -----------------------------------------------------------


async def test_channel_switches_off_and_on_with_the_bots_rights(app, api, driver, registered):
    told = await driver.my_chat_member(
        CHANNEL, "administrator", chat_type="channel", can_post_messages=False
    )
    assert await rows(app, "SELECT active, off_reason FROM chats") == [(0, "cannot_post")]
    assert [(reply.chat_id, reply.plain) for reply in told] == [
        (
            USER,
            "Alerts to Viasna <news> & more are switched off: the bot may not post there. "
            "They come back on by themselves once the bot is an administrator there with the "
            "right to post.",
        )
    ]
    told = await driver.my_chat_member(CHANNEL, "administrator", chat_type="channel")
    assert await rows(app, "SELECT active, off_reason FROM chats") == [(1, None)]
    assert "its alerts are back on" in told[0].plain
    await driver.my_chat_member(CHANNEL, "left", chat_type="channel")
    assert await rows(app, "SELECT active, off_reason FROM chats") == [(0, "removed")]


async def test_unknown_chats_are_not_recorded(app, driver):
    await driver.my_chat_member(-777, "member", chat_type="group")
    await driver.my_chat_member(-1007777, "administrator", chat_type="channel")
    assert await rows(app, "SELECT * FROM chats") == []


async def test_group_that_removes_the_bot_is_switched_off(app, api, driver):
    api.set_member(GROUP, USER, "administrator")
    await driver.send("/subscribe Rabkova", chat_id=GROUP, chat_type="group")
    await driver.my_chat_member(GROUP, "kicked", chat_type="group")
    assert await rows(app, "SELECT active, off_reason FROM chats") == [(0, "removed")]
    await driver.my_chat_member(GROUP, "member", chat_type="group")
    assert await rows(app, "SELECT active, off_reason FROM chats") == [(1, None)]
    assert await subscriptions_of(app, GROUP) == ["marfa-rabkova"]


async def test_user_who_blocks_the_bot_is_switched_off(app, driver):
    await driver.send("/subscribe Rabkova")
    await driver.my_chat_member(USER, "kicked")
    assert await rows(app, "SELECT active, off_reason FROM chats") == [(0, "blocked")]
    await driver.my_chat_member(USER, "member")
    assert await rows(app, "SELECT active FROM chats") == [(1,)]


# --- a group becoming a supergroup ------------------------------------------------------


async def test_supergroup_keeps_the_groups_subscriptions(app, api, driver):
    api.set_member(GROUP, USER, "administrator")
    in_group = {"chat_id": GROUP, "chat_type": "group"}
    await driver.send("/subscribe Rabkova", **in_group)
    shown = (await driver.send("/settings", **in_group))[0]
    await driver.press(shown, "🔔 Statements: on")
    await driver.migrate(GROUP, SUPERGROUP)
    assert await rows(app, "SELECT id, kind, want_statements FROM chats") == [
        (SUPERGROUP, "supergroup", 0)
    ]
    assert await subscriptions_of(app, SUPERGROUP) == ["marfa-rabkova"]
    api.set_member(SUPERGROUP, USER, "administrator")
    in_supergroup = {"chat_id": SUPERGROUP, "chat_type": "supergroup"}
    card = (await driver.send("/defender Rabkova", **in_supergroup))[0]
    assert card.button_texts[0] == "🔕 Unsubscribe"
    listing = (await driver.send("/subscriptions", **in_supergroup))[0]
    assert "• Marfa Rabkova" in listing.plain


async def test_migration_merges_into_a_supergroup_already_known(app, api, driver):
    api.set_member(GROUP, USER, "administrator")
    api.set_member(SUPERGROUP, USER, "administrator")
    await driver.send("/subscribe Rabkova", chat_id=GROUP, chat_type="group")
    await driver.send("/subscribe Loika", chat_id=SUPERGROUP, chat_type="supergroup")
    # An alert waiting for the group must not cascade away with its old row.
    db = app.bot_data["services"].db
    alert_id = await alerts.add_alert(db, "test-statement", "statement", date(2026, 11, 25))
    await db.execute(
        "INSERT INTO deliveries (alert_id, chat_id, due_at) VALUES (?, ?, 1e12)", (alert_id, GROUP)
    )
    await driver.migrate(GROUP, SUPERGROUP)
    assert await rows(app, "SELECT id FROM chats") == [(SUPERGROUP,)]
    assert await subscriptions_of(app, SUPERGROUP) == ["marfa-rabkova", "nasta-loika"]
    assert await rows(app, "SELECT chat_id, state FROM deliveries") == [(SUPERGROUP, "pending")]
