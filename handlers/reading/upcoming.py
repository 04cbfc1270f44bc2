"""/upcoming: the dates of the next 30 days worth a letter or a word, a page at a time.

A chat that follows particular people sees their dates; a chat that follows
everyone or nobody yet (and anyone who types /upcoming all) sees the dates
of everyone the bot follows. The text says which, and how many dates the
30 days hold. Every one of them is on a page: the pages go week by week (a
week with no date has no page), by kind within a week (birthdays,
anniversaries, ...), eight dates a page at most, each person a button; a
crowded week takes as many pages as it needs. When the 30 days hold
nothing, the reply says when the next date is (looked for a year further).
Every kind of date is shown, whatever the chat's alert settings: this is a
calendar to plan with.
"""

from __future__ import annotations

from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from alerts.calendar import CalendarEvent, events_between
from handlers.reading.lookup import CARD_PREFIX
from handlers.shared.errors import button_expired
from handlers.shared.everyone import means_everyone
from handlers.shared.namesakes import names_told_apart
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import Services, services
from storage import subscriptions

DAYS_AHEAD = 30
WEEK = 7
PAGE_SIZE = 8  # dates a page lists, each person on it a button: a page fits a phone
LOOK_FURTHER = 365  # days past the 30 searched for the next date when these hold none
KIND_ORDER = (
    "birthday",
    "detention_anniversary",
    "sentence_anniversary",
    "days_milestone",
    "term_end",
)
PREFIX = "up:"


def pages_of(events: list[CalendarEvent], today: date) -> list[list[CalendarEvent]]:
    """The dates a page at a time: week by week from ``today`` (a week without a date
    has no page), by kind within a week, then by day; at most PAGE_SIZE a page."""
    weeks: dict[int, list[CalendarEvent]] = {}
    for event in events:
        weeks.setdefault((event.on - today).days // WEEK, []).append(event)
    pages = []
    for week in sorted(weeks):
        ordered = sorted(
            weeks[week], key=lambda event: (KIND_ORDER.index(event.kind), event.on, event.slug)
        )
        pages += [ordered[at : at + PAGE_SIZE] for at in range(0, len(ordered), PAGE_SIZE)]
    return pages


def _grouped(app: Services, events: list[CalendarEvent]) -> list[tuple[str, list[tuple]]]:
    """(kind, [(event, case)]) in the order of ``events``, one group per run of a kind."""
    groups: list[tuple[str, list[tuple]]] = []
    for event in events:
        if not groups or groups[-1][0] != event.kind:
            groups.append((event.kind, []))
        groups[-1][1].append((event, app.catalogue.get(event.slug)))
    return groups


async def _view(update: Update, context: ContextTypes.DEFAULT_TYPE, asked_all: bool, page: int):
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
    pages = pages_of(events, today)
    page, page_count = clamp_page(len(pages), page, 1)
    shown = pages[page - 1] if pages else []
    start = end = next_day = None
    further: list[CalendarEvent] = []
    if shown:
        week = (shown[0].on - today).days // WEEK
        start = today + timedelta(days=WEEK * week)
        end = min(start + timedelta(days=WEEK - 1), until)
    else:
        after = until + timedelta(days=1)
        later = events_between(cases, after, after + timedelta(days=LOOK_FURTHER - 1))
        if later:
            next_day = later[0].on
            further = [event for event in later if event.on == next_day]
    listed = shown or further[:PAGE_SIZE]
    people = list(dict.fromkeys(event.slug for event in listed))
    names = names_told_apart(app, lang, [app.catalogue.get(slug) for slug in people])
    rows = [
        [InlineKeyboardButton(names[slug], callback_data=CARD_PREFIX + slug)] for slug in people
    ]
    code = "a" if asked_all else "c"
    paging = paging_row(
        app.messages, lang, page, page_count, lambda number: f"{PREFIX}{code}:{number}"
    )
    if paging:
        rows.append(paging)
    values = {
        "groups": _grouped(app, shown),
        "today": today,
        "until": until,
        "total": len(events),
        "page": page,
        "pages": page_count,
        "start": start,
        "end": end,
        "scope": scope,
        "followed": len(cases),
        "next_day": next_day,
        "next_groups": _grouped(app, further[:PAGE_SIZE]),
        "next_more": len(further[PAGE_SIZE:]),
    }
    return lang, values, InlineKeyboardMarkup(rows) if rows else None


async def upcoming_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The first page of the next 30 days' dates for the people this chat follows."""
    asked_all = means_everyone(" ".join(context.args or []))
    lang, values, keyboard = await _view(update, context, asked_all, 1)
    await send(update, context, "upcoming", lang, keyboard, **values)


async def upcoming_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn to another page, in place."""
    query = update.callback_query
    code, _, page = query.data.removeprefix(PREFIX).partition(":")
    if code not in ("a", "c") or not page.isdigit() or len(page) > 6:
        await button_expired(update, context)
        return
    await query.answer()
    lang, values, keyboard = await _view(update, context, code == "a", int(page))
    await edit_or_send(update, context, "upcoming", lang, keyboard, **values)


def handlers() -> list:
    return [
        CommandHandler("upcoming", upcoming_command),
        CallbackQueryHandler(upcoming_button, pattern=f"^{PREFIX}"),
    ]
