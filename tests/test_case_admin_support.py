"""Shared pieces for tests/test_case_admin_*.py (no tests of its own).

The real bot on the fake Bot API with its alert sender running (as in
tests/test_alerts_support.py), a case or two and some subscribed chats in
the database before it starts, and the clock pinned to NOW. The daily run
is set for late evening, so only the alerts a test causes are sent.
"""

from __future__ import annotations

import json
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from cases.codec import case_to_dict
from cases.model import Case
from fakeapi.harness import ChatDriver
from fakeapi.records import SentRecord
from fakeapi.server import FakeBotAPI
from storage import audit
from tests.test_alerts_support import ALL, Chat, Clock, alert_bot, make_case, prepare, rows

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=MINSK)
TODAY = NOW.date()
OWNER, EDITOR, STRANGER = 9001, 1001, 2002
OTHER = make_case("other-person", name={"en": "Other Person", "be": "Іншая Асоба"})
# Chat 1 follows the test person, 2 follows everyone (in Russian), 3 someone else,
# 4 the test person with case updates switched off.
CHATS = [
    Chat(1),
    Chat(2, "ru", follows=ALL),
    Chat(3, follows=("other-person",)),
    Chat(4, wants={"updates": False}),
]


@asynccontextmanager
async def case_bot(
    settings, api: FakeBotAPI, cases: list[Case] | None = None, chats=None, places=()
):
    """The running bot over ``cases`` (the test person and OTHER), ``chats`` and ``places``."""
    settings = replace(settings, alert_time=time(23, 59))
    await prepare(
        settings.db_path,
        cases or [make_case(), OTHER],
        CHATS if chats is None else chats,
        places,
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        yield app, ChatDriver(app, api, raise_errors=True)


def db_of(app):
    return app.bot_data["services"].db


async def stored_cases(app) -> list[dict]:
    """Every case as the database holds it: compare before and after to prove nothing moved."""
    return [
        json.loads(record)
        for (record,) in await rows(app, "SELECT record FROM cases ORDER BY slug")
    ]


async def stored_case(app, slug: str) -> dict | None:
    found = await rows(app, "SELECT record FROM cases WHERE slug = ?", slug)
    return json.loads(found[0][0]) if found else None


async def nothing_queued(app) -> bool:
    return await rows(app, "SELECT count(*) FROM alerts") == [(0,)] and await rows(
        app, "SELECT count(*) FROM deliveries"
    ) == [(0,)]


async def audit_entries(app) -> list:
    return await audit.latest(db_of(app), 100)


def as_dict(case: Case) -> dict:
    return json.loads(json.dumps(case_to_dict(case)))


def answer(replies: list[SentRecord]) -> list[tuple]:
    """Everything the bot sent, as sent: byte-for-byte comparable."""
    return [(reply.method, reply.params) for reply in replies]


def with_buttons(replies: list[SentRecord]) -> SentRecord:
    """The reply that carries buttons (the last part of a preview)."""
    return next(reply for reply in reversed(replies) if reply.reply_markup)


async def upload(
    driver: ChatDriver,
    api: FakeBotAPI,
    file_name: str,
    content: bytes,
    *,
    user_id: int = OWNER,
    mime_type: str = "application/octet-stream",
) -> list[SentRecord]:
    """The user sends ``content`` as a document in their private chat with the bot."""
    document = api.add_upload(file_name, content, mime_type)
    user = {"id": user_id, "is_bot": False, "first_name": "Admin", "language_code": "en"}
    message = {
        "message_id": api.next_message_id(user_id),
        "date": int(api.clock()),
        "chat": {"id": user_id, "type": "private", "first_name": "Admin"},
        "from": user,
        "document": document,
    }
    api.store_user_message(message)
    return await driver.feed({"message": message})
