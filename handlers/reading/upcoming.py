"""/upcoming: the dates of the next 30 days worth a letter or a word, a week at a time.

A chat that follows particular people sees their dates; a chat that follows
everyone or nobody yet (and anyone who types /upcoming all) sees the dates
of everyone the bot follows. The text says which, and how many dates the
30 days hold. Each week is grouped by kind (birthdays, anniversaries, ...);
a kind with more dates than fit shows the first and counts the rest, so a
week is always one message whose buttons turn to the next. Every kind of
date is shown, whatever the chat's alert settings: this is a calendar to
plan with.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from alerts.calendar import events_between
from handlers.reading.lookup import CARD_PREFIX
from handlers.shared.errors import button_expired
from handlers.shared.everyone import means_everyone
from handlers.shared.namesakes import names_told_apart
from handlers.shared.paging import paging_row
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from storage import subscriptions

DAYS_AHEAD = 30
WEEK = 7
WEEKS = -(-DAYS_AHEAD // WEEK)
MAX_CARD_BUTTONS = 10  # beyond this the keyboard is a wall; names are in the text
MAX_PER_KIND = (
    5  # dates of one kind listed in a week; the rest are counted, so a week fits one message
)
KIND_ORDER = (
    "birthday",
    "detention_anniversary",
    "sentence_anniversary",
    "days_milestone",
    "term_end",
)
PREFIX = "up:"


async def _view(update: Update, context: ContextTypes.DEFAULT_TYPE, asked_all: bool, week: int):
    lang = await chat_language(update, context)
    app = services(context)
    chat_id = update.effective_chat.id
    everyone = (await subscriptions.get_settings(app.db, chat_id)).subscribed_all
    followed = set(await subscriptions.subscribed_slugs(app.db, chat_id))
    if asked_all or everyone or not followed:
        scope = "requested_all" if asked_all else "everyone" if everyone else "nobody_yet"
        cases = app.catalogue.ordered
    else:
        scope = "followed"
        cases = [case for case in app.catalogue.ordered if case.slug in followed]
    today = app.today()
    until = today + timedelta(days=DAYS_AHEAD - 1)
    events = events_between(cases, today, until)
    week = min(max(week, 1), WEEKS)
    start = today + timedelta(days=WEEK * (week - 1))
    end = min(start + timedelta(days=WEEK - 1), until)
    this_week = [event for event in events if start <= event.on <= end]
    groups = []
    for kind in KIND_ORDER:
        of_kind = [event for event in this_week if event.kind == kind]
        if of_kind:
            shown = [(event, app.catalogue.get(event.slug)) for event in of_kind[:MAX_PER_KIND]]
            groups.append((kind, shown, len(of_kind) - len(shown)))
    shown_slugs = list(
        dict.fromkeys(event.slug for _, entries, _ in groups for event, _ in entries)
    )[:MAX_CARD_BUTTONS]
    names = names_told_apart(app, lang, [app.catalogue.get(slug) for slug in shown_slugs])
    rows = [
        [InlineKeyboardButton(names[slug], callback_data=CARD_PREFIX + slug)]
        for slug in shown_slugs
    ]
    code = "a" if asked_all else "c"
    paging = paging_row(app.messages, lang, week, WEEKS, lambda number: f"{PREFIX}{code}:{number}")
    if paging:
        rows.append(paging)
    values = {
        "groups": groups,
        "today": today,
        "until": until,
        "total": len(events),
        "week": week,
        "weeks": WEEKS,
        "start": start,
        "end": end,
        "scope": scope,
        "followed": len(cases),
    }
    return lang, values, InlineKeyboardMarkup(rows) if rows else None


async def upcoming_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The first week of the next 30 days' events for the people this chat follows."""
    asked_all = means_everyone(" ".join(context.args or []))
    lang, values, keyboard = await _view(update, context, asked_all, 1)
    await send(update, context, "upcoming", lang, keyboard, **values)


async def upcoming_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn to another week, in place."""
    query = update.callback_query
    code, _, week = query.data.removeprefix(PREFIX).partition(":")
    if code not in ("a", "c") or not week.isdigit() or len(week) > 3:
        await button_expired(update, context)
        return
    await query.answer()
    lang, values, keyboard = await _view(update, context, code == "a", int(week))
    await edit_or_send(update, context, "upcoming", lang, keyboard, **values)


def handlers() -> list:
    return [
        CommandHandler("upcoming", upcoming_command),
        CallbackQueryHandler(upcoming_button, pattern=f"^{PREFIX}"),
    ]
