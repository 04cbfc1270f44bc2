"""Storing a statement and queuing it for its audience: one path for the bot and the CLI.

``publish`` is one transaction: the statement is marked published, its alert
stored under the key ``statement:<id>``, fanned out to the union of its
defenders' subscribers, and the audit entry written. Whoever runs it, the
bot's sender delivers it: at once when the bot published it (it is woken),
within its poll interval when the command line did.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import aiosqlite

from alerts.kinds import kind_of
from capped_files import FileRefused, read_capped
from cases.catalogue import Catalogue
from messages.render import Messages
from statements.documents import MAX_FILE_BYTES, Parsed, StatementFileError, read_file
from statements.sanitise import plain_text, safe_url
from statements.summary import statement_payload
from storage import alerts as alert_store
from storage import audit
from storage import statements as statement_store
from storage.db import transaction
from storage.statement_audience import fan_out_statement
from storage.statements import Listed, Translation

KIND = "statement"
ACTION = "statement.publish"
TRANSLATE_ACTION = "statement.translate"
CLI_ACTOR = "cli"  # the audit log's actor for ``python bot.py publish``
MAX_TITLE = 200


@dataclass(frozen=True)
class Published:
    statement_id: int
    alert_id: int
    queued: int  # deliveries queued, one per chat


def alert_key(statement_id: int) -> str:
    return f"{KIND}:{statement_id}"


def mentioned(catalogue: Catalogue, body_html: str, title: str = "") -> list[str]:
    """Slugs of the defenders the title and text name, in order of first mention."""
    return catalogue.index.find_mentions(f"{title}\n\n{plain_text(body_html)}")


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise StatementFileError("title")
    return title


def check_source(url: str) -> str:
    checked = safe_url(url)
    if checked is None or not checked.lower().startswith(("http://", "https://")):
        raise StatementFileError("source")
    return checked


def digest(body_html: str) -> str:
    """A fingerprint of the text as a reader sees it: formatting, case and spacing aside."""
    words = " ".join(plain_text(body_html).casefold().split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


async def earlier_twin(
    db: aiosqlite.Connection, body_html: str, other_than: int | None = None
) -> Listed | None:
    """A published statement with the same text, if there is one (not ``other_than``)."""
    missing = await statement_store.without_digest(db)
    if missing:  # stored before fingerprints were kept: once, then never again
        async with transaction(db):
            await statement_store.set_digests(
                db, [(digest(body), statement_id) for statement_id, body in missing]
            )
    return await statement_store.published_with_digest(db, digest(body_html), other_than)


def check_date(on_date: date, today: date) -> date:
    """A statement is dated when it was made: not after today."""
    if on_date > today:
        raise StatementFileError("future", on_date.isoformat())
    return on_date


async def save_draft(
    db: aiosqlite.Connection,
    title: str,
    on_date: date,
    source_url: str | None,
    body_html: str,
    slugs: list[str],
    created_by: int | None,
    language: str | None = None,
) -> int:
    """Store a draft (written in ``language``, None: not known) with its defenders;
    return its number."""
    async with transaction(db):
        statement_id = await statement_store.add_draft(
            db, title, on_date, source_url, body_html, created_by, digest(body_html), language
        )
        await statement_store.set_cases(db, statement_id, slugs)
    return statement_id


async def relink(db: aiosqlite.Connection, statement_id: int, slugs: list[str]) -> None:
    async with transaction(db):
        await statement_store.set_cases(db, statement_id, slugs)


async def discard(db: aiosqlite.Connection, statement_id: int) -> None:
    async with transaction(db):
        await statement_store.delete_draft(db, statement_id)


async def publish(
    db: aiosqlite.Connection, statement_id: int, messages: Messages, actor: int | str
) -> Published | None:
    """Publish the draft and queue its one alert; None if it was published or discarded."""
    spec = kind_of(KIND)
    async with transaction(db):
        if not await statement_store.mark_published(db, statement_id):
            return None
        statement = await statement_store.get_statement(db, statement_id)
        alert_payload = statement_payload(statement, messages)
        # Whose cards the buttons under it open (alerts.texts.statement_keyboard).
        alert_payload["defenders"] = list(statement.slugs)
        alert_id = await alert_store.add_alert(
            db,
            alert_key(statement.id),
            KIND,
            statement.on_date,
            priority=spec.priority,
            payload=alert_payload,
        )
        queued = await fan_out_statement(
            db, alert_id, list(statement.slugs), spec.priority, time.time()
        )
        await audit.record(
            db,
            actor,
            ACTION,
            alert_key(statement.id),
            after={
                "title": statement.title,
                "date": statement.on_date.isoformat(),
                "source_url": statement.source_url,
                "defenders": list(statement.slugs),
                "language": statement.language,
                "languages": sorted(statement.translations),
            },
            details={"deliveries": queued},
        )
    return Published(statement.id, alert_id, queued)


@dataclass(frozen=True)
class Translated:
    published: bool  # False: a draft, whose alert is made when it is published
    waiting: int  # deliveries not sent yet, which now carry the new text


async def translate(
    db: aiosqlite.Connection,
    statement_id: int,
    language: str,
    translation: Translation,
    messages: Messages,
    actor: int | str,
) -> Translated | None:
    """Store the statement's text in ``language``; None if the statement is gone.

    A published one's alert is written again with it, in the same transaction,
    so the deliveries not sent yet carry it; those sent keep what they said.
    Audited, like publishing.
    """
    async with transaction(db):
        statement = await statement_store.get_statement(db, statement_id, drafts=True)
        if statement is None:
            return None
        await statement_store.set_translation(
            db, statement_id, language, translation, actor if isinstance(actor, int) else None
        )
        if statement.published_at is None:
            return Translated(False, 0)
        statement = await statement_store.get_statement(db, statement_id)
        waiting = await alert_store.replace_payload(
            db, alert_key(statement_id), statement_payload(statement, messages)
        )
        await audit.record(
            db,
            actor,
            TRANSLATE_ACTION,
            alert_key(statement_id),
            after={"language": language, "title": translation.title},
            details={"waiting": waiting},
        )
    return Translated(True, waiting)


class AlreadyPublished(StatementFileError):
    """The same text went out before, as ``earlier``."""

    def __init__(self, earlier: Listed) -> None:
        super().__init__("duplicate", f"statement {earlier.id}")
        self.earlier = earlier


async def publish_file(
    db: aiosqlite.Connection,
    catalogue: Catalogue,
    messages: Messages,
    path: Path,
    *,
    title: str | None = None,
    on_date: date | None = None,
    source_url: str | None = None,
    today: date,
    max_bytes: int = MAX_FILE_BYTES,
    again: bool = False,
    language: str | None = None,
) -> tuple[Published, Parsed, list[str]]:
    """The command line: read, link, store and queue a statement file in one go.

    Options given win over what the file says; a title is required from one
    or the other, the date defaults to the file's, then to today, and may not
    be later than today. A text published before is refused (AlreadyPublished)
    unless ``again``. A file over ``max_bytes`` is not read. ``language``: what
    it is written in, if known (then editors may add it in others).
    """
    try:
        data = read_capped(path, max_bytes)
    except FileRefused as refused:
        raise StatementFileError(refused.reason, str(refused)) from None
    except OSError as error:
        raise StatementFileError("unreadable", f"{path}: {error.strerror}") from None
    parsed = read_file(path.name, data, max_bytes)
    final_title = check_title(title or parsed.title or "")
    final_date = check_date(on_date or parsed.on_date or today, today)
    source = check_source(source_url) if source_url else None
    if not again and (earlier := await earlier_twin(db, parsed.body_html)) is not None:
        raise AlreadyPublished(earlier)
    slugs = mentioned(catalogue, parsed.body_html, final_title)
    statement_id = await save_draft(
        db, final_title, final_date, source, parsed.body_html, slugs, None, language
    )
    published = await publish(db, statement_id, messages, CLI_ACTOR)
    return published, parsed, slugs
