"""Shared pieces for tests/test_statements_*.py and tests/test_publish_*.py (no tests here).

The bot runs on the fake Bot API with the bundled cases and a fast alert
sender (tests/test_alerts_support.py); chats are written to the database
before it starts, channels included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import BUNDLED_CASES
from cases.files import read_cases
from fakeapi.harness import ChatDriver
from storage import cases as case_store
from storage.db import connect
from tests.test_alerts_support import Clock, make_case

# A made-up statement in the project's own words that names the five in several
# spellings and cases, and is longer than one message.
SEED = Path(__file__).parent / "fixtures" / "statement-sample.md"
NAMED = [
    "ales-bialiatski",
    "valiantsin-stefanovic",
    "uladzimir-labkovich",
    "marfa-rabkova",
    "nasta-loika",
]
OWNER = 9001
STRANGER = 1001
EVERYONE = "all"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Europe/Minsk"))  # before the alert time


def clock() -> Clock:
    return Clock(NOW)


@dataclass
class Chat:
    id: int
    language: str = "en"
    follows: tuple[str, ...] | str = ()
    kind: str = "private"
    wants_statements: bool = True
    active: bool = True
    extra: dict = field(default_factory=dict)


async def prepare(db_path: Path, chats: list[Chat]) -> None:
    """The bundled cases, one more defender no statement names, and these chats."""
    db = await connect(db_path)
    try:
        cases = read_cases(BUNDLED_CASES, today=NOW.date())
        await case_store.merge_cases(db, [*cases, make_case("test-person")])
        await db.execute("BEGIN")
        for chat in chats:
            await db.execute(
                """INSERT INTO chats (id, language, kind, created_at, active, subscribed_all,
                                      want_statements)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    chat.id,
                    chat.language,
                    chat.kind,
                    datetime.now(UTC).isoformat(),
                    int(chat.active),
                    int(chat.follows == EVERYONE),
                    int(chat.wants_statements),
                ),
            )
            if chat.follows != EVERYONE:
                await db.executemany(
                    "INSERT INTO subscriptions (chat_id, slug) VALUES (?, ?)",
                    [(chat.id, slug) for slug in chat.follows],
                )
        await db.commit()
    finally:
        await db.close()


def upload_update(api, user_id: int, filename: str, content: bytes, mime: str) -> dict:
    """A user sends a file: the update Telegram would deliver, its file on the fake's server."""
    document = api.add_upload(filename, content, mime)
    user = api.users.get(user_id) or api.add_user(user_id, "Admin", language_code="en")
    chat = api.chats.get(user_id) or api.add_chat(user_id, "private", first_name="Admin")
    message = {
        "message_id": api.next_message_id(user_id),
        "date": int(api.clock()),
        "chat": dict(chat),
        "from": dict(user),
        "document": document,
    }
    api.store_user_message(message)
    return {"message": message}


async def upload(
    driver: ChatDriver, filename: str, content: bytes, *, user_id: int = OWNER, mime: str = ""
):
    mime = mime or {"md": "text/markdown", "html": "text/html"}.get(
        filename.rsplit(".", 1)[-1], "text/plain"
    )
    return await driver.feed(upload_update(driver.api, user_id, filename, content, mime))


def entity_text(record, entity: dict) -> str:
    """The words an entity covers (its offsets count UTF-16 units, as Telegram's do)."""
    units = record.plain.encode("utf-16-le")
    start, end = 2 * entity["offset"], 2 * (entity["offset"] + entity["length"])
    return units[start:end].decode("utf-16-le")


def new(records) -> list:
    """The new messages among what the bot did (not edits or callback answers)."""
    return [record for record in records if record.is_new_message]


async def draft_to_preview(driver: ChatDriver, *, user_id: int = OWNER, source: str | None = None):
    """/newstatement with the seed file, the file's title and date kept; the preview's replies."""
    await driver.send("/newstatement", user_id=user_id)
    [ask_title] = await upload(driver, SEED.name, SEED.read_bytes(), user_id=user_id)
    [ask_date] = new(await driver.press(ask_title, 0, user_id=user_id))
    [ask_source] = new(await driver.press(ask_date, 0, user_id=user_id))
    if source is None:
        return new(await driver.press(ask_source, 0, user_id=user_id))
    return new(await driver.send(source, user_id=user_id))


async def rows(app, sql: str, *params) -> list[tuple]:
    async with app.bot_data["services"].db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def publish_directly(
    app, title: str, body_html: str, slugs: list[str], on_date, actor: int | str = OWNER
) -> int:
    """A published statement, stored and queued as the Publish button does; its number."""
    from handlers.shared.statement_counts import COUNTS_KEY
    from statements import publishing

    services = app.bot_data["services"]
    statement_id = await publishing.save_draft(
        services.db, title, on_date, None, body_html, slugs, OWNER
    )
    await publishing.publish(services.db, statement_id, services.messages, actor)
    app.bot_data.pop(COUNTS_KEY, None)  # as if the counts' time to live had passed
    return statement_id


async def press_old(driver: ChatDriver, record, data: str, *, user_id: int = OWNER):
    """A button pressed on an older copy of a message (a second tap before the edit came)."""
    api = driver.api
    query_id = f"old{api.next_update_id()}"
    api.register_callback_query(query_id, record.chat_id)
    query = {
        "id": query_id,
        "from": dict(api.users[user_id]),
        "message": api.message(record.chat_id, record.message_id),
        "chat_instance": f"ci{record.chat_id}",
        "data": data,
    }
    return await driver.feed({"callback_query": query})
