"""/upcoming: the dates of the next 30 days worth a letter or a word, by day.

A chat that follows particular people sees their dates; a chat that follows
everyone or nobody yet (and anyone who types /upcoming all) sees the dates
of everyone the bot follows. The text says which. Every kind of date is
shown, whatever the chat's alert settings: this is a calendar to plan with.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, ContextTypes

from alerts.calendar import events_between
from cases.model import localised
from handlers.reading.lookup import CARD_PREFIX
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from storage import subscriptions

DAYS_AHEAD = 30
MAX_CARD_BUTTONS = 10  # beyond this the keyboard is a wall; names are in the text


async def upcoming_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the next 30 days of events for the people this chat follows."""
    lang = await chat_language(update, context)
    app = services(context)
    chat_id = update.effective_chat.id
    everyone = (await subscriptions.get_settings(app.db, chat_id)).subscribed_all
    followed = set(await subscriptions.subscribed_slugs(app.db, chat_id))
    asked_all = [arg.lower() for arg in context.args or []] == ["all"]
    if asked_all or everyone or not followed:
        scope = "requested_all" if asked_all else "everyone" if everyone else "nobody_yet"
        cases = app.catalogue.ordered
    else:
        scope = "followed"
        cases = [case for case in app.catalogue.ordered if case.slug in followed]
    today = app.today()
    until = today + timedelta(days=DAYS_AHEAD - 1)
    events = events_between(cases, today, until)
    days = [
        (day, [(event, app.catalogue.get(event.slug)) for event in day_events])
        for day, day_events in groupby(events, key=lambda event: event.on)
    ]
    shown_slugs = list(dict.fromkeys(event.slug for event in events))[:MAX_CARD_BUTTONS]
    buttons = [
        [
            InlineKeyboardButton(
                localised(app.catalogue.get(slug).name, lang), callback_data=CARD_PREFIX + slug
            )
        ]
        for slug in shown_slugs
    ]
    await send(
        update,
        context,
        "upcoming",
        lang,
        InlineKeyboardMarkup(buttons) if buttons else None,
        days=days,
        today=today,
        until=until,
        scope=scope,
        followed=len(cases),
    )


def handlers() -> list:
    return [CommandHandler("upcoming", upcoming_command)]
