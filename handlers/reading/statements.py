"""/statements and /statement: published statements, and the list a card's button opens.

Reading is public. A statement is sent whole, split into as many messages
as it needs, in the reader's language where an editor gave it, else as
written, marked with its language; ``/statement_12`` (what a delivered
summary shows, tappable in any chat) and the ``statement:12`` button do the
same as ``/statement 12``. Under it, an editor in their private chat finds the
languages it may still be given in (``handlers.shared.statement_languages``).
"""

from __future__ import annotations

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from cases.model import localised
from handlers.shared.admin_access import gate_of
from handlers.shared.button_titles import shorten
from handlers.shared.errors import button_expired
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from handlers.shared.statement_counts import LIST_PREFIX
from handlers.shared.statement_languages import missing_languages, translate_rows
from statements.summary import texts
from storage import statements as statement_store
from storage.statements import Statement

PAGE_SIZE = 5
READ_PREFIX = "statement:"
EVERYONE = "*"  # the list filter for statements about anyone (no slug is "*")
SHORTCUT = filters.Regex(r"^/statement_(\d{1,9})(?:@\w+)?\s*$")


async def list_view(context: ContextTypes.DEFAULT_TYPE, lang: str, slug: str, page: int):
    app = services(context)
    about = None if slug == EVERYONE else slug
    total = await statement_store.count_published(app.db, about)
    page, pages = clamp_page(total, page, PAGE_SIZE)
    items = await statement_store.latest(
        app.db, PAGE_SIZE, (page - 1) * PAGE_SIZE, about, language=lang
    )
    label = app.messages.label
    rows = [
        [
            InlineKeyboardButton(
                label("btn_statement", lang, title=shorten(item.title), day=item.on_date),
                callback_data=f"{READ_PREFIX}{item.id}",
            )
        ]
        for item in items
    ]
    paging = paging_row(
        app.messages, lang, page, pages, lambda number: f"{LIST_PREFIX}{slug}:{number}"
    )
    if paging:
        rows.append(paging)
    case = app.catalogue.get(about) if about else None
    values = {
        "items": items,
        "page": page,
        "pages": pages,
        "total": total,
        "person": localised(case.name, lang) if case else None,
    }
    return values, InlineKeyboardMarkup(rows) if rows else None


async def statements_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the latest statements (/statements 2: the second page)."""
    lang = await chat_language(update, context)
    args = context.args or []
    page = int(args[0]) if args and args[0].isdigit() else 1
    values, keyboard = await list_view(context, lang, EVERYONE, page)
    await send(update, context, "statements", lang, keyboard, **values)


async def list_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn a page of the list, or open the list for one defender (from a card)."""
    query = update.callback_query
    slug, _, page = query.data.removeprefix(LIST_PREFIX).rpartition(":")
    known = slug == EVERYONE or services(context).catalogue.get(slug) is not None
    if not known or not page.isdigit() or len(page) > 6:
        await button_expired(update, context)  # a defender no longer listed, or forged
        return
    await query.answer()
    lang = await chat_language(update, context)
    values, keyboard = await list_view(context, lang, slug, int(page))
    if page == "0":
        await send(update, context, "statements", lang, keyboard, **values)
    else:
        await edit_or_send(update, context, "statements", lang, keyboard, **values)


async def send_statement(
    update: Update, context: ContextTypes.DEFAULT_TYPE, statement_id: int
) -> None:
    """The statement whole, as many messages as it takes."""
    lang = await chat_language(update, context)
    app = services(context)
    statement = await statement_store.get_statement(app.db, statement_id)
    if statement is None:
        await send(update, context, "statement_missing", lang, statement_id=statement_id)
        return
    names = [
        localised(case.name, lang)
        for case in map(app.catalogue.get, statement.slugs)
        if case is not None
    ]
    title, body = texts(
        statement.title, statement.body_html, statement.language, statement.translations
    )
    await send(
        update,
        context,
        "statement",
        lang,
        editors_keyboard(update, context, statement, lang),
        statement=statement,
        title=title,
        body=body,
        names=names,
    )


def editors_keyboard(
    update: Update, context: ContextTypes.DEFAULT_TYPE, statement: Statement, lang: str
) -> InlineKeyboardMarkup | None:
    """For an editor in their private chat: the languages the statement may still be given in."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat.type != Chat.PRIVATE or not gate_of(context).is_admin(user.id):
        return None
    missing = missing_languages(statement.language, statement.translations)
    rows = translate_rows(services(context).messages, lang, statement.id, missing)
    return InlineKeyboardMarkup(rows) if rows else None


async def statement_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the statement whose number follows /statement."""
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 9:
        await send(update, context, "statement_usage", await chat_language(update, context))
        return
    await send_statement(update, context, int(args[0]))


async def statement_shortcut(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/statement_12, as a delivered summary shows it: the same as /statement 12."""
    await send_statement(update, context, int(context.matches[0].group(1)))


async def read_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Read in full: the statement a button names."""
    query = update.callback_query
    await query.answer()
    await send_statement(update, context, int(query.data.removeprefix(READ_PREFIX)))


def handlers() -> list:
    return [
        CommandHandler("statements", statements_command),
        CommandHandler("statement", statement_command),
        MessageHandler(SHORTCUT & filters.UpdateType.MESSAGE, statement_shortcut),
        CallbackQueryHandler(list_button, pattern=rf"^{LIST_PREFIX}"),
        CallbackQueryHandler(read_button, pattern=rf"^{READ_PREFIX}\d{{1,9}}$"),
    ]
