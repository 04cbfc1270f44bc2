"""What this chat follows, kept in chat_data for the card's Subscribe row.

A card's keyboard is built without awaiting, so the chat's subscriptions
are read before any handler may draw one (``preload``, ahead of group 0) and
again after every change (``refresh``). The row's buttons carry
``sb:<op>::<slug>``, answered by ``handlers.following.subscriptions``.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, Update
from telegram.ext import ContextTypes, TypeHandler

from cases.model import Case
from handlers.shared.permissions import Target
from handlers.shared.replies import LANGUAGE_KEY
from handlers.shared.services import services
from storage import subscriptions

FOLLOWS_KEY = "follows"


@dataclass(frozen=True)
class Follows:
    everyone: bool
    slugs: frozenset[str]


async def refresh(context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    """Reload the cached subscriptions after a change to the chat the update is in."""
    if context.chat_data is None or target.channel is not None:
        return
    db = services(context).db
    settings = await subscriptions.get_settings(db, target.chat_id)
    slugs = frozenset(await subscriptions.subscribed_slugs(db, target.chat_id))
    context.chat_data[FOLLOWS_KEY] = Follows(settings.subscribed_all, slugs)


async def preload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Load the chat's subscriptions once, before any handler may draw a card.

    Its language comes in the same query (``replies.stored_language`` keeps it).
    """
    chat_data = context.chat_data
    if update.effective_chat is None or chat_data is None or FOLLOWS_KEY in chat_data:
        return
    app, chat_id = services(context), update.effective_chat.id
    glance = app.quick_reads.glance(chat_id) if app.quick_reads is not None else None
    if glance is None:  # no quick reader, or the file was busy
        glance = await subscriptions.at_a_glance(app.db, chat_id)
    chat_data[FOLLOWS_KEY] = Follows(glance.subscribed_all, glance.slugs)
    chat_data.setdefault(LANGUAGE_KEY, glance.language)


def subscribe_row(
    case: Case, lang: str, context: ContextTypes.DEFAULT_TYPE
) -> list[InlineKeyboardButton]:
    """Subscribe or Unsubscribe, by what this chat follows now."""
    follows = context.chat_data.get(FOLLOWS_KEY) if context.chat_data is not None else None
    if follows is None:
        return []  # better no button than one showing the wrong state
    if follows.everyone:
        key, op = "btn_following_all", "ca"
    elif case.slug in follows.slugs:
        key, op = "btn_unsubscribe", "c-"
    else:
        key, op = "btn_subscribe", "c+"
    label = services(context).messages.label(key, lang)
    return [InlineKeyboardButton(label, callback_data=f"sb:{op}::{case.slug}")]


def handlers() -> list:
    return [TypeHandler(Update, preload)]
