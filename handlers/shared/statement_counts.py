"""How many statements name each defender, kept for the card's Statements row.

A card's keyboard is built without awaiting, so the counts are read before
any handler may draw one: ``refresh_counts`` runs ahead of group 0 on every
update and reads the database at most once a minute. The row's button opens
the defender's statements, ``LIST_PREFIX``, as ``handlers.reading.statements``
lists them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from cases.model import Case
from handlers.shared.services import Button, services
from storage import statements as statement_store

# ``statements:<slug>:<page>``: a list of statements (page 0: the first, in a new message).
LIST_PREFIX = "statements:"
COUNTS_KEY = "statement_counts"
# Statements published from the command line reach the cards within this many seconds.
COUNTS_TTL = 60.0


@dataclass
class StatementCounts:
    """Published statements per defender, for the card button (built without awaiting)."""

    by_slug: dict[str, int] = field(default_factory=dict)
    loaded_at: float | None = None

    def stale(self) -> bool:
        return self.loaded_at is None or time.monotonic() - self.loaded_at > COUNTS_TTL


def counts(bot_data: dict) -> StatementCounts:
    return bot_data.setdefault(COUNTS_KEY, StatementCounts())


async def reload_counts(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Read the counts again now (after this process published a statement)."""
    found = counts(context.bot_data)
    found.by_slug = await statement_store.counts_by_case(services(context).db)
    found.loaded_at = time.monotonic()


async def refresh_counts(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Keep the counts fresh enough; costs nothing on most updates."""
    if counts(context.bot_data).stale():
        await reload_counts(context)


def statements_row(case: Case, context: ContextTypes.DEFAULT_TYPE) -> list[Button]:
    """A "Statements (N)" row under the card of a defender statements name."""
    count = counts(context.bot_data).by_slug.get(case.slug, 0)
    if not count:
        return []
    # Page 0: the first page, sent as a new message so the card stays.
    return [Button("btn_statements", f"{LIST_PREFIX}{case.slug}:0", (("count", count),))]


def handlers() -> list:
    return [TypeHandler(Update, refresh_counts)]
