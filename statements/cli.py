"""``python bot.py publish FILE``: publish a statement from a script.

The same path as the bot's Publish button (``statements.publishing``): the
statement is stored, linked and queued in one transaction and audited with
the actor "cli". Sending is the running bot's work: its sender finds the
queued deliveries at its next look at the outbox (every couple of seconds).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import aiosqlite

from cases.catalogue import Catalogue
from config import Settings
from messages.render import Messages
from statements.dates import parse_date
from statements.documents import StatementFileError, size_limit
from statements.publishing import AlreadyPublished, publish_file
from storage import cases as case_store

# What each refusal means, for a person reading a terminal.
REASONS = {
    "extension": "not a .md, .txt or .html file",
    "too_big": "too big for a statement (at most {limit_kb} KB)",
    "encoding": "the text is neither UTF-8 nor Windows-1251",
    "empty": "there is no text in it",
    "title": "no title: the file has none and --title was not given (or it is too long)",
    "source": "--source must be an http(s) link",
    "future": "its date {detail} is after today; a statement is dated when it was made",
    "unreadable": "cannot be read",
    "not_a_file": "is not a regular file",
}


def _fail(path: Path, message: str) -> int:
    print(f"publish failed, nothing published: {path}: {message}", file=sys.stderr)
    return 1


async def publish_command(
    db: aiosqlite.Connection,
    settings: Settings,
    path: Path,
    *,
    title: str | None = None,
    on_date: str | None = None,
    source_url: str | None = None,
    again: bool = False,
    language: str | None = None,
) -> int:
    """Publish the file; print what happened; the exit status."""
    day = None
    if on_date is not None:
        day = parse_date(on_date)
        if day is None:
            return _fail(path, f"--date {on_date!r} is not a date (e.g. 2025-07-14)")
    catalogue = Catalogue(await case_store.load_cases(db))
    limit = size_limit(settings.max_file_bytes)
    try:
        published, _, slugs = await publish_file(
            db,
            catalogue,
            Messages(),
            path,
            title=title,
            on_date=day,
            source_url=source_url,
            today=datetime.now(settings.timezone).date(),
            max_bytes=limit,
            again=again,
            language=language,
        )
    except AlreadyPublished as twin:
        earlier = twin.earlier
        return _fail(
            path,
            f"the same text was published as statement {earlier.id} "
            f"({earlier.title!r}, {earlier.on_date.isoformat()}); "
            "add --again to send it to everyone once more",
        )
    except StatementFileError as error:
        reason = REASONS.get(error.reason, error.reason)
        return _fail(path, reason.format(limit_kb=limit // 1024, detail=error.detail))
    print(
        f"published statement {published.statement_id} from {path}: "
        f"names {', '.join(slugs) or 'nobody'}; {published.queued} deliveries queued "
        "(the running bot sends them)"
    )
    return 0
