"""The buttons under a case card, declared once, in the order they appear.

Each row is built without awaiting, from what the update's first handler
groups loaded (``follows``, ``statement_counts``); an empty row is left out.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.ext import ContextTypes

from alerts.texts import LETTER_PREFIX
from cases.letters import verified_place
from cases.model import Case
from handlers.shared.follows import subscribe_row
from handlers.shared.services import services
from handlers.shared.statement_counts import statements_row


def letter_row(case: Case, lang: str, context: ContextTypes.DEFAULT_TYPE) -> list:
    """Write a letter: for a held person with a verified address (``handlers.reading.letters``)."""
    if not case.is_held or verified_place(case) is None:
        return []
    label = services(context).messages.label("btn_write_letter", lang)
    return [InlineKeyboardButton(label, callback_data=LETTER_PREFIX + case.slug)]


def list_row(case: Case, lang: str, context: ContextTypes.DEFAULT_TYPE) -> list:
    """Every defender: /list's first page (``handlers.reading.listing`` answers it)."""
    label = services(context).messages.label("btn_list", lang)
    return [InlineKeyboardButton(label, callback_data="list:all:1")]


# Top to bottom.
ROWS = (
    subscribe_row,  # Subscribe, Unsubscribe, or "following everyone"
    letter_row,  # Write a letter, while held with a verified address
    statements_row,  # Statements (N), under a defender statements name
    list_row,
)


def card_keyboard(
    case: Case, lang: str, context: ContextTypes.DEFAULT_TYPE
) -> InlineKeyboardMarkup:
    rows = [row(case, lang, context) for row in ROWS]
    return InlineKeyboardMarkup([row for row in rows if row])
