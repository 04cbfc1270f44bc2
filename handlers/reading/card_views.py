"""A card's timeline and its sources: the card's own message turns into either, and back.

The card (``handlers.reading.lookup``) shows what a reader needs at a glance;
its buttons (``handlers.shared.card_buttons``) open the timeline (the
detention and sentence in full, every event, earlier detentions) and the
sources the card and the timeline cite, numbered alike. Each view edits the
message it was pressed on, with "« The card" to turn it back; a view too long
for one message comes as new messages instead.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from cases.facts import card_facts, has_timeline
from cases.model import Case
from handlers.reading.lookup import card_parts
from handlers.shared.card_buttons import (
    BACK_PREFIX,
    SOURCES_PREFIX,
    TIMELINE_PREFIX,
    card_keyboard,
)
from handlers.shared.errors import button_expired
from handlers.shared.replies import chat_language, edit_or_send_parts
from handlers.shared.services import services

# Each view's template, by the prefix of the button that opens it.
VIEWS = {TIMELINE_PREFIX: "card_timeline", SOURCES_PREFIX: "card_sources"}


def view_keyboard(
    case: Case, lang: str, context: ContextTypes.DEFAULT_TYPE, shown: str
) -> InlineKeyboardMarkup:
    """Under a view: back to the card, and the other view."""
    label = services(context).messages.label
    row = [
        InlineKeyboardButton(label("btn_open_card", lang), callback_data=BACK_PREFIX + case.slug)
    ]
    if shown == TIMELINE_PREFIX:
        row.append(
            InlineKeyboardButton(
                label("btn_sources", lang), callback_data=SOURCES_PREFIX + case.slug
            )
        )
    elif has_timeline(case):
        row.append(
            InlineKeyboardButton(
                label("btn_timeline", lang), callback_data=TIMELINE_PREFIX + case.slug
            )
        )
    return InlineKeyboardMarkup([row])


async def view_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn the message into the card's timeline, its sources, or the card again."""
    query = update.callback_query
    prefix = next(prefix for prefix in (*VIEWS, BACK_PREFIX) if query.data.startswith(prefix))
    app = services(context)
    case = app.catalogue.get(query.data.removeprefix(prefix))
    if case is None:  # no longer in the data, or never was
        await button_expired(update, context)
        return
    await query.answer()
    lang = await chat_language(update, context)
    if prefix == BACK_PREFIX:
        parts = card_parts(context, case, lang)
        keyboard = card_keyboard(case, lang, context)
    else:
        facts = card_facts(case, lang, app.today(), app.settings.stale_days)
        parts = app.messages.parts(VIEWS[prefix], lang, case=case, facts=facts)
        keyboard = view_keyboard(case, lang, context, prefix)
    await edit_or_send_parts(update, context, parts, keyboard)


def handlers() -> list:
    prefixes = "|".join((*VIEWS, BACK_PREFIX))
    return [CallbackQueryHandler(view_button, pattern=f"^({prefixes})")]
