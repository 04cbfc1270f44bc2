"""/list: every defender, a page at a time, filtered by status."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from cases.catalogue import STATUS_FILTERS
from cases.model import localised
from handlers.reading.lookup import CARD_PREFIX
from handlers.shared.errors import button_expired
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services

PAGE_SIZE = 8


def list_view(context: ContextTypes.DEFAULT_TYPE, lang: str, status_filter: str, page: int):
    app = services(context)
    cases = app.catalogue.filtered(status_filter)
    page, pages = clamp_page(len(cases), page, PAGE_SIZE)
    shown = cases[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    label = app.messages.label
    rows = [
        [InlineKeyboardButton(localised(case.name, lang), callback_data=CARD_PREFIX + case.slug)]
        for case in shown
    ]
    paging = paging_row(
        app.messages, lang, page, pages, lambda number: f"list:{status_filter}:{number}"
    )
    if paging:
        rows.append(paging)
    rows.append(
        [
            InlineKeyboardButton(
                ("• " if name == status_filter else "") + label("filter_name", lang, value=name),
                callback_data=f"list:{name}:1",
            )
            for name in STATUS_FILTERS
        ]
    )
    values = {
        "cases": shown,
        "total": len(cases),
        "page": page,
        "pages": pages,
        "status_filter": status_filter,
    }
    return values, InlineKeyboardMarkup(rows)


async def list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the first page of all defenders (or /list held|released|exile)."""
    lang = await chat_language(update, context)
    status_filter = (context.args or ["all"])[0].lower()
    if status_filter not in STATUS_FILTERS:
        status_filter = "all"
    values, keyboard = list_view(context, lang, status_filter, 1)
    await send(update, context, "list", lang, keyboard, **values)


async def list_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn the page or change the filter in place."""
    query = update.callback_query
    status_filter, _, page = query.data.removeprefix("list:").partition(":")
    if status_filter not in STATUS_FILTERS or not page.isdigit() or len(page) > 6:
        await button_expired(update, context)
        return
    await query.answer()
    lang = await chat_language(update, context)
    values, keyboard = list_view(context, lang, status_filter, int(page))
    await edit_or_send(update, context, "list", lang, keyboard, **values)


def handlers() -> list:
    return [
        CommandHandler("list", list_command),
        CallbackQueryHandler(list_button, pattern=r"^list:"),
    ]
