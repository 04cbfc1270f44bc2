"""A chat's first look is read on the event loop's thread; a busy file falls back to aiosqlite."""

from __future__ import annotations

import pytest

from fakeapi.harness import ChatDriver
from storage import subscriptions
from storage.db import connect
from storage.quick_reads import QuickReads
from tests.conftest import running_bot

USER = 1001


async def following_in_russian(db_path) -> None:
    db = await connect(db_path)
    try:
        await subscriptions.ensure_chat(db, USER, "ru", "private")
        await subscriptions.subscribe(db, USER, "marfa-rabkova")
    finally:
        await db.close()


async def test_the_quick_read_matches_the_database(settings, api):
    async with running_bot(settings, api):  # seeds the bundled cases
        pass
    await following_in_russian(settings.db_path)
    quick = QuickReads(settings.db_path)
    db = await connect(settings.db_path)
    try:
        assert quick.glance(USER) == await subscriptions.at_a_glance(db, USER)
        assert quick.glance(USER).slugs == {"marfa-rabkova"}
        assert quick.glance(4242) == subscriptions.ChatAtAGlance(None, False, frozenset())
    finally:
        await db.close()
        quick.close()


@pytest.mark.parametrize("busy", [False, True], ids=["quick", "busy: aiosqlite"])
async def test_a_first_look_shows_the_chats_language_and_follows(settings, api, busy, monkeypatch):
    async with running_bot(settings, api):
        pass
    await following_in_russian(settings.db_path)
    if busy:  # as when a checkpoint holds the file: the quick read gives way
        monkeypatch.setattr(QuickReads, "glance", lambda self, chat_id: None)
    async with running_bot(settings, api) as app:
        [card] = await ChatDriver(app, api, raise_errors=True).send("/defender Rabkova")
    assert card.plain.startswith("Марфа Рабкова")  # the chat's language, not the user's
    assert "🔕 Отписаться" in card.button_texts  # and what it follows
