"""The buttons under a case card, declared once, in the order they appear.

Each row is built without awaiting, from what the update's first handler
groups loaded (``follows``, ``statement_counts``); an empty row is left out.
A row is a list of ``Button``s: what the button says and does, worked out
afresh for every card from the case and the chat as they are now. The
keyboard those make is kept by what it says and does
(``Services.keyboard``), so a card asked for again costs no new objects.
The card's timeline and its sources are views of their own
(``handlers.reading.card_views``): ``TIMELINE_PREFIX`` and ``SOURCES_PREFIX``
turn the card into one, ``BACK_PREFIX`` turns a view back into the card.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup
from telegram.ext import ContextTypes

from alerts.texts import LETTER_PREFIX
from cases.facts import has_timeline
from cases.letters import verified_place
from cases.model import Case
from handlers.shared.follows import subscribe_row
from handlers.shared.services import Button, services
from handlers.shared.statement_counts import statements_row

# ``<prefix><slug>``: the card's message becomes its timeline, its sources, or the card again.
TIMELINE_PREFIX = "ctl:"
SOURCES_PREFIX = "csrc:"
BACK_PREFIX = "cback:"


def letter_row(case: Case, context: ContextTypes.DEFAULT_TYPE) -> list[Button]:
    """Write a letter: for a held person with a verified address (``handlers.reading.letters``)."""
    if not case.is_held or verified_place(case) is None:
        return []
    return [Button("btn_write_letter", LETTER_PREFIX + case.slug)]


def views_row(case: Case, context: ContextTypes.DEFAULT_TYPE) -> list[Button]:
    """The timeline (when there is one to show) and the sources the card cites."""
    row = []
    if has_timeline(case):
        row.append(Button("btn_timeline", TIMELINE_PREFIX + case.slug))
    row.append(Button("btn_sources", SOURCES_PREFIX + case.slug))
    return row


def list_row(case: Case, context: ContextTypes.DEFAULT_TYPE) -> list[Button]:
    """Every defender: /list's first page (``handlers.reading.listing`` answers it)."""
    return [Button("btn_list", "list:all:1")]


# Top to bottom.
ROWS = (
    subscribe_row,  # Subscribe, Unsubscribe, or "following everyone"
    letter_row,  # Write a letter, while held with a verified address
    views_row,  # Timeline, Sources: the rest of the card, a tap away
    statements_row,  # Statements (N), under a defender statements name
    list_row,
)


def card_keyboard(
    case: Case, lang: str, context: ContextTypes.DEFAULT_TYPE
) -> InlineKeyboardMarkup:
    rows = (tuple(row(case, context)) for row in ROWS)
    return services(context).keyboard(lang, tuple(row for row in rows if row))
