"""What this chat follows, kept in chat_data for the card's Subscribe row and /list.

A card's keyboard is built without awaiting, so the chat's subscriptions
(people by name, everyone, regions, places, and the people it muted) are read
before any handler may draw one (``preload``, ahead of group 0) and again
after every change (``refresh``). The row's buttons carry ``sb:<op>::<slug>``,
answered by ``handlers.following.subscriptions``: Subscribe or Unsubscribe,
"following everyone", and Mute or Unmute for someone the chat hears about
only broadly (everyone, their region, the place they are held in).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from cases.model import Case
from handlers.shared.permissions import Target
from handlers.shared.replies import LANGUAGE_KEY
from handlers.shared.services import Button, services
from storage import subscriptions
from storage.audience import follows_broadly
from storage.subscriptions import ChatAtAGlance

FOLLOWS_KEY = "follows"


@dataclass(frozen=True)
class Follows:
    everyone: bool
    slugs: frozenset[str]
    muted: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()

    @classmethod
    def of(cls, glance: ChatAtAGlance) -> Follows:
        return cls(glance.subscribed_all, glance.slugs, glance.muted, glance.regions, glance.places)

    def hears_broadly(self, case: Case) -> bool:
        """The chat hears about ``case`` without naming it (a mute aside)."""
        return follows_broadly(case, self.everyone, self.regions, self.places)


def follows_of(context: ContextTypes.DEFAULT_TYPE) -> Follows | None:
    """What this chat follows, as loaded for this update; None when unknown."""
    return context.chat_data.get(FOLLOWS_KEY) if context.chat_data is not None else None


async def refresh(context: ContextTypes.DEFAULT_TYPE, target: Target) -> None:
    """Reload the cached subscriptions after a change to the chat the update is in."""
    if context.chat_data is None or target.channel is not None:
        return
    glance = await subscriptions.at_a_glance(services(context).db, target.chat_id)
    context.chat_data[FOLLOWS_KEY] = Follows.of(glance)


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
    chat_data[FOLLOWS_KEY] = Follows.of(glance)
    chat_data.setdefault(LANGUAGE_KEY, glance.language)


def subscribe_row(case: Case, context: ContextTypes.DEFAULT_TYPE) -> list[Button]:
    """Subscribe or Unsubscribe, by what this chat follows now; Mute or Unmute beside it
    for someone it hears about only broadly."""
    follows = follows_of(context)
    if follows is None:
        return []  # better no button than one showing the wrong state
    buttons = []
    if follows.everyone:
        buttons.append(("btn_following_all", "ca"))
    elif case.slug in follows.slugs:
        buttons.append(("btn_unsubscribe", "c-"))
    else:
        buttons.append(("btn_subscribe", "c+"))
    if case.slug in follows.slugs:
        pass  # a name beats a mute: nothing to mute
    elif case.slug in follows.muted:
        buttons.append(("btn_unmute", "m-"))
    elif follows.hears_broadly(case):
        buttons.append(("btn_mute", "m+"))
    return [Button(key, f"sb:{op}::{case.slug}") for key, op in buttons]


def handlers() -> list:
    return [TypeHandler(Update, preload)]
