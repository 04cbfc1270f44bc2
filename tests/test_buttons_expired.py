"""Buttons whose data means nothing now: old, forged, or someone else's. Each press is
answered "This button has expired.", changes nothing, and logs no error."""

from __future__ import annotations

import logging

import pytest

from tests.test_subscriptions import ADMIN, GROUP, MEMBER, rows

EXPIRED = "This button has expired."
STRANGER = 2002

FORGED = [
    "list:zzz",  # the example: used to raise and leave the button spinning
    "list:all:x",
    "list:all:1:more",
    "ls:zzz",
    "ls:a:-:-:n:x",
    "lm:nowhere:a:-:-:n:1",
    # A place nobody is held in: its "name" would head the list in the bot's voice.
    "ls:a:-:BREAKING-Bialiatski-rearrested:n:1",
    "lm:place:a:-:BREAKING-Bialiatski-rearrested:n:1",
    "up:z:1",
    "up:a:99999999",
    "statements:nobody-we-know:1",
    "statements:*:x",
    # A card's views and /letter's rules, of someone not (or no longer) in the data.
    "ctl:nobody-we-know",
    "csrc:nobody-we-know",
    "cback:nobody-we-know",
    "lrules:nobody-we-know",
    "set::nothing",
    "set::lang-xx",
    "lang:xx",
    "zzz",
    "cadm:ok:0123456789abcdef",  # an editor's Confirm, from someone who is not one
    "cadm:pick:token:ales-bialiatski",
    "publish:go",
    "stop:1",
]


async def stored(app) -> list:
    return [
        *await rows(app, "SELECT * FROM chats ORDER BY id"),
        *await rows(app, "SELECT * FROM subscriptions ORDER BY chat_id, slug"),
        *await rows(app, "SELECT * FROM audit_log"),
    ]


@pytest.mark.parametrize("data", FORGED)
async def test_forged_or_stale_data_is_answered_and_changes_nothing(app, driver, caplog, data):
    [listing] = await driver.send("/list", user_id=STRANGER)
    before = await stored(app)
    with caplog.at_level(logging.WARNING):
        replies = await driver.press_data(listing, data, user_id=STRANGER)
    assert [(reply.method, reply.plain) for reply in replies] == [("answerCallbackQuery", EXPIRED)]
    assert await stored(app) == before
    assert not caplog.records  # nothing logged as a failure


async def test_a_press_without_data_is_answered_too(app, driver):
    [listing] = await driver.send("/list")
    [answer] = await driver.press_data(listing, None)
    assert (answer.method, answer.plain) == ("answerCallbackQuery", EXPIRED)


async def test_a_button_of_a_deleted_message_is_answered(app, api, driver):
    [listing] = await driver.send("/list")
    with api.lock:
        del api.messages[(listing.chat_id, listing.message_id)]
    [answer] = await driver.press_data(listing, "zzz")
    assert (answer.method, answer.plain) == ("answerCallbackQuery", EXPIRED)


async def test_the_answer_is_in_the_chats_language(app, driver):
    [prompt] = await driver.send("/language")
    await driver.press(prompt, "Polski")
    [answer] = await driver.press_data(prompt, "list:zzz")
    assert answer.plain == "Ten przycisk już nie działa."


async def test_a_statement_list_of_a_defender_no_longer_listed(app, driver):
    [listing] = await driver.send("/list")
    [answer] = await driver.press_data(listing, "statements:someone-removed:1")
    assert answer.plain == EXPIRED


# --- /language in a group: its admins choose, like /settings ---------------------


@pytest.fixture
def group(api):
    api.add_chat(GROUP, "group", title="Friends of Viasna")
    api.set_member(GROUP, MEMBER, "member")
    api.set_member(GROUP, ADMIN, "administrator")
    return GROUP


async def test_a_group_member_cannot_change_the_groups_language(app, driver, group):
    [refused] = await driver.send("/language", chat_id=group, chat_type="group", user_id=MEMBER)
    assert refused.plain.startswith("Only this group's admins can change")
    # Nor with the buttons of an admin's /language.
    [prompt] = await driver.send("/language", chat_id=group, chat_type="group", user_id=ADMIN)
    [alert] = await driver.press(prompt, "Русский", user_id=MEMBER)
    assert alert.method == "answerCallbackQuery" and alert.params["show_alert"]
    assert await rows(app, "SELECT * FROM chats") == []
    # The admin can.
    pressed = await driver.press(prompt, "Русский", user_id=ADMIN)
    assert any(reply.method == "editMessageText" for reply in pressed)
    assert await rows(app, "SELECT id, language FROM chats") == [(group, "ru")]


async def test_in_a_private_chat_language_is_the_users_own(app, driver):
    [prompt] = await driver.send("/language")
    await driver.press(prompt, "Русский")
    assert await rows(app, "SELECT language FROM chats") == [("ru",)]
