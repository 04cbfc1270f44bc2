"""Who may edit cases: editors and owners, in their private chat; nobody else notices."""

from __future__ import annotations

import pytest

from cases.new_case import STEPS
from handlers.shared.menu import ADMIN_COMMANDS
from languages import LANGUAGES
from tests.test_case_admin_support import (
    EDITOR,
    OWNER,
    STRANGER,
    answer,
    audit_entries,
    case_bot,
    stored_cases,
    with_buttons,
)

TRIES = [
    "/update Test Person | Moved https://example.org/m",
    "/update",
    "/setstatus Test Person released 2026-05-30 https://example.org/r",
    "/setstatus",
    "/addcase",
    "/admin",
    "/cancel",
    "/UPDATE Test Person | Moved",
    "/setstatus@casewatch_bot Test Person released 2026-05-30 https://example.org/r",
]


def test_the_commands_are_in_the_admin_menu():
    assert {"update", "setstatus", "addcase", "admin"} <= set(ADMIN_COMMANDS)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_strangers_get_exactly_the_unknown_command_hint(settings, api, lang):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        hint = answer(await driver.send("/nosuchcommand", user_id=STRANGER, language_code=lang))
        assert len(hint) == 1
        for text in TRIES:
            replies = await driver.send(text, user_id=STRANGER, language_code=lang)
            assert answer(replies) == hint, text
        assert await stored_cases(app) == before
        assert await audit_entries(app) == []


async def test_owner_commands_in_a_group_fall_through(settings, api):
    async with case_bot(settings, api) as (_app, driver):

        def in_group(text):
            return driver.send(text, chat_id=-500, chat_type="group", title="G", user_id=OWNER)

        hint = answer(await in_group("/nosuchcommand"))
        for text in TRIES:
            assert answer(await in_group(text)) == hint, text


async def test_an_editor_can_use_every_command(settings, api):
    async with case_bot(settings, api) as (app, driver):
        await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
        hint = answer(await driver.send("/nosuchcommand", user_id=EDITOR))
        for text in TRIES[:6]:
            assert answer(await driver.send(text, user_id=EDITOR)) != hint, text
        await driver.send("/cancel", user_id=EDITOR)  # leave /addcase
        preview = await driver.send(TRIES[0], user_id=EDITOR)
        await driver.press(with_buttons(preview), 0)
        edits = [entry for entry in await audit_entries(app) if entry.action.startswith("case.")]
        assert [(entry.actor_id, entry.action) for entry in edits] == [(EDITOR, "case.update")]


async def test_a_removed_editors_confirm_button_does_nothing(settings, api):
    async with case_bot(settings, api) as (app, driver):
        await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
        before = await stored_cases(app)
        preview = await driver.send(TRIES[0], user_id=EDITOR)
        await driver.send(f"/admins remove {EDITOR}", user_id=OWNER)
        [expired] = await driver.press(with_buttons(preview), 0)
        assert (expired.method, expired.plain) == (
            "answerCallbackQuery",
            "This button has expired.",
        )
        assert await stored_cases(app) == before


async def test_a_strangers_text_is_a_search_while_an_admin_adds_a_case(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        await driver.send("/addcase", user_id=OWNER)
        card = await driver.send("Test Person", user_id=STRANGER)
        assert card[0].plain.startswith("Test Person")
        answer_to_owner = await driver.send("Test Person", user_id=OWNER)
        # Of the questions anyone is asked (not a release day, nor where someone held is held).
        asked = sum(1 for step in STEPS if step.when({}))
        assert f"step 2 of {asked}" in answer_to_owner[0].plain
