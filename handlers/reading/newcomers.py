"""The people new to the bot that an alert or a digest named, a page at a time.

A message to a chat that follows everyone about many people new to the bot
has one button, a deep link (``t.me/<bot>?start=new-<alert id>``,
``alerts.texts.newcomer_keyboard``) that opens this list in the reader's own
chat: each person's card a tap away, and there its Subscribe button. Pages
turn with ``nw:<alert id>:<page>``.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from alerts.digest import newcomers_named
from alerts.texts import newcomer_entries
from handlers.reading.lookup import CARD_PREFIX
from handlers.shared.errors import button_expired
from handlers.shared.namesakes import names_told_apart
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services

PAGE_SIZE = 8
PAGE_PREFIX = "nw:"


async def view(context, lang: str, alert_id: int, page: int):
    """(values for newcomers.j2, keyboard) of one page; None when the alert names nobody."""
    app = services(context)
    people = await newcomers_named(app.db, alert_id)
    if people is None:
        return None
    # Only the people the bot still has a card for: a button must open one.
    entries = [
        entry for entry in newcomer_entries(people, lang) if app.catalogue.get(entry["slug"])
    ]
    page, pages = clamp_page(len(entries), page, PAGE_SIZE)
    shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    cases = [app.catalogue.get(entry["slug"]) for entry in shown]
    names = names_told_apart(app, lang, cases)
    rows = [
        [InlineKeyboardButton(names[case.slug], callback_data=CARD_PREFIX + case.slug)]
        for case in cases
    ]
    paging = paging_row(
        app.messages, lang, page, pages, lambda number: f"{PAGE_PREFIX}{alert_id}:{number}"
    )
    if paging:
        rows.append(paging)
    values = {"entries": shown, "total": len(entries), "page": page, "pages": pages}
    return values, InlineKeyboardMarkup(rows) if rows else None


async def show_newcomers(update: Update, context: ContextTypes.DEFAULT_TYPE, alert_id: int):
    """The first page of the people an alert named (the deep link under it)."""
    lang = await chat_language(update, context)
    shown = await view(context, lang, alert_id, 1)
    if shown is None:
        await send(update, context, "case_missing", lang)
        return
    values, keyboard = shown
    await send(update, context, "newcomers", lang, keyboard, **values)


async def page_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn the page of the list, in place."""
    query = update.callback_query
    alert_id, _, page = query.data.removeprefix(PAGE_PREFIX).partition(":")
    if not (alert_id.isdigit() and page.isdigit() and len(alert_id) <= 12 and len(page) <= 6):
        await button_expired(update, context)
        return
    lang = await chat_language(update, context)
    shown = await view(context, lang, int(alert_id), int(page))
    if shown is None:
        await button_expired(update, context)
        return
    await query.answer()
    values, keyboard = shown
    await edit_or_send(update, context, "newcomers", lang, keyboard, **values)


def handlers() -> list:
    return [CallbackQueryHandler(page_button, pattern=f"^{PAGE_PREFIX}")]
