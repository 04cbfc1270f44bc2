"""The questions of /newstatement: the text or file, then title, date and source.

Each step answers with the next question; the conversation itself
(``handlers.publishing.conversation``) maps the returned state to the handlers that may
answer it. A value the admin types is checked here and asked again if wrong.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from cases.edit_words import is_today
from handlers.shared.button_titles import shorten
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from statements import publishing
from statements.dates import parse_date
from statements.documents import (
    Parsed,
    StatementFileError,
    check_name,
    read_file,
    size_limit,
)
from statements.documents import read_message as read_text
from statements.publishing import check_source, check_title

log = logging.getLogger(__name__)

BODY, TITLE, DATE, SOURCE, PREVIEW, DEFENDERS = range(6)
DRAFT_KEY = "statement_draft"
BUTTON_PREFIX = "publish:"


@dataclass
class Draft:
    """What the admin has given so far; kept in user_data until published or dropped."""

    language: str
    parsed: Parsed
    title: str | None = None
    on_date: date | None = None
    source_url: str | None = None
    slugs: list[str] = field(default_factory=list)
    statement_id: int | None = None  # stored once the preview is shown
    page: int = 1  # of the defenders' toggles


def draft_of(context: ContextTypes.DEFAULT_TYPE) -> Draft | None:
    return context.user_data.get(DRAFT_KEY)


async def drop_draft(context: ContextTypes.DEFAULT_TYPE) -> Draft | None:
    """Forget the draft; a stored one (the preview was shown) is deleted too."""
    draft = context.user_data.pop(DRAFT_KEY, None)
    if draft is not None and draft.statement_id is not None:
        await publishing.discard(services(context).db, draft.statement_id)
    return draft


def button(context: ContextTypes.DEFAULT_TYPE, lang: str, key: str, action: str, **values):
    label = services(context).messages.label(key, lang, **values)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=BUTTON_PREFIX + action)]]
    )


async def invalid(
    update: Update, context: ContextTypes.DEFAULT_TYPE, reason: str, **values
) -> None:
    limit_kb = size_limit(services(context).settings.max_file_bytes) // 1024
    lang = await chat_language(update, context)
    await send(update, context, "publish_invalid", lang, reason=reason, limit_kb=limit_kb, **values)


async def ask_title(update: Update, context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> int:
    file_title = draft.parsed.title
    keyboard = None
    if file_title and len(file_title) <= 200:
        keyboard = button(
            context, draft.language, "btn_keep_title", "keep_title", title=shorten(file_title)
        )
    else:
        file_title = None
    await send(
        update, context, "publish_ask_title", draft.language, keyboard, file_title=file_title
    )
    return TITLE


async def ask_date(update: Update, context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> int:
    file_date = draft.parsed.on_date
    if file_date is not None:
        keyboard = button(context, draft.language, "btn_keep_date", "keep_date", day=file_date)
    else:
        today = services(context).today()
        keyboard = button(context, draft.language, "btn_today", "today", day=today)
    await send(update, context, "publish_ask_date", draft.language, keyboard, file_date=file_date)
    return DATE


async def ask_source(update: Update, context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> int:
    keyboard = button(context, draft.language, "btn_no_source", "no_source")
    await send(update, context, "publish_ask_source", draft.language, keyboard)
    return SOURCE


async def begin_with(update: Update, context: ContextTypes.DEFAULT_TYPE, parsed: Parsed) -> int:
    draft = Draft(await chat_language(update, context), parsed)
    context.user_data[DRAFT_KEY] = draft
    return await ask_title(update, context, draft)


async def got_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The statement typed or pasted: its formatting comes as Telegram HTML."""
    try:
        parsed = read_text(update.effective_message.text_html)
    except StatementFileError as error:
        await invalid(update, context, error.reason)
        return BODY
    return await begin_with(update, context, parsed)


async def read_upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Parsed:
    """The uploaded .md, .txt or .html file, read in a thread beside other updates.

    Ruled out by its name or size before anything is downloaded; a failed
    download is ``StatementFileError("download")``, as any other refusal."""
    document = update.effective_message.document
    limit = size_limit(services(context).settings.max_file_bytes)
    check_name(document.file_name or "")
    if document.file_size and document.file_size > limit:
        raise StatementFileError("too_big")
    try:
        data = await (await document.get_file()).download_as_bytearray()
    except TelegramError as error:
        log.warning("could not download a statement file: %s", error)
        raise StatementFileError("download") from error
    return await asyncio.to_thread(read_file, document.file_name or "", bytes(data), limit)


async def got_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The statement as a file."""
    try:
        parsed = await read_upload(update, context)
    except StatementFileError as error:
        await invalid(update, context, error.reason)
        return BODY
    return await begin_with(update, context, parsed)


async def not_a_statement(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A photo, a sticker...: say what is expected."""
    await invalid(update, context, "not_text")
    return BODY


async def typed_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    draft = draft_of(context)
    try:
        draft.title = check_title(update.effective_message.text)
    except StatementFileError:
        await invalid(update, context, "title")
        return TITLE
    return await ask_date(update, context, draft)


async def typed_date(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    draft = draft_of(context)
    text, today = update.effective_message.text, services(context).today()
    on_date = today if is_today(text) else parse_date(text)
    if on_date is None:
        await invalid(update, context, "date")
        return DATE
    if on_date > today:
        await invalid(update, context, "future", day=on_date)
        return DATE
    draft.on_date = on_date
    return await ask_source(update, context, draft)


async def typed_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
    draft = draft_of(context)
    try:
        draft.source_url = check_source(update.effective_message.text.strip())
    except StatementFileError:
        await invalid(update, context, "source")
        return SOURCE
    return None  # the caller shows the preview


async def _pressed(update: Update) -> None:
    query = update.callback_query
    await query.answer()
    await query.edit_message_reply_markup(None)  # answered: the button has done its work


async def kept_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the file's title."""
    await _pressed(update)
    draft = draft_of(context)
    draft.title = check_title(draft.parsed.title or "")
    return await ask_date(update, context, draft)


async def kept_date(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Keep the file's date (not one after today), or take today's."""
    await _pressed(update)
    draft = draft_of(context)
    on_date = draft.parsed.on_date or services(context).today()
    if on_date > services(context).today():  # the file's own date line
        await invalid(update, context, "future", day=on_date)
        return DATE
    draft.on_date = on_date
    return await ask_source(update, context, draft)


async def skipped_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """No source link; the caller shows the preview."""
    await _pressed(update)
    draft_of(context).source_url = None
