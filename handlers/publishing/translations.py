"""A statement in another language: its "+ in …" buttons, the text and the title asked for.

An editor writes a statement in their language (``handlers.publishing``); its
preview, the message after Publish and the statement itself when an editor
reads it offer each other language, one button each, all optional, as
/update's entry does (``handlers.upkeep.translations``). A button asks for the
text (a message, its formatting kept, or a .md, .txt or .html file) and then
the title (a file's own title is taken); the statement then carries that
language (``statements.publishing.translate``): a draft publishes with it, and
a published statement's deliveries not sent yet carry it, as /statement does
from then on. /cancel, or a long silence, leaves the statement as it was.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, ConversationHandler, filters

from handlers.publishing.steps import DRAFT_KEY, read_upload
from handlers.shared.admin_access import admin_callback, admin_message
from handlers.shared.admin_conversation import DraftKept, Said, admin_conversation
from handlers.shared.errors import button_expired
from handlers.shared.replies import chat_language, send, send_parts
from handlers.shared.services import services
from handlers.shared.statement_languages import (
    TRANSLATE_PREFIX,
    missing_languages,
    translate_rows,
)
from statements import publishing
from statements import summary as statement_summary
from statements.documents import (
    StatementFileError,
    read_message,
    size_limit,
)
from statements.publishing import check_title
from storage import statements as statement_store
from storage.statements import Translation

log = logging.getLogger(__name__)

TEXT, TITLE = range(2)
ASKED_KEY = "statement_translation"  # {"id", "language", "lang", "body"} while asking
NEW = filters.UpdateType.MESSAGE
PATTERN = rf"^{TRANSLATE_PREFIX}\d{{1,9}}:[a-z]{{2,3}}$"
# /cancel, or a long silence, leaves the statement as it was, and says so.
ASKED = DraftKept(
    ASKED_KEY,
    cancelled=Said("statement_translation", {"step": "dropped", "language": None}),
    timed_out=Said("statement_translation", {"step": "dropped", "language": None}),
    language=lambda asked: asked["lang"],
)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A "+ in …" button: ask for the statement's text in that language."""
    query = update.callback_query
    number, _, language = query.data.removeprefix(TRANSLATE_PREFIX).partition(":")
    statement = await statement_store.get_statement(services(context).db, int(number), drafts=True)
    if statement is None or language not in missing_languages(statement.language, ()):
        await button_expired(update, context)  # gone, or forged
        return ConversationHandler.END
    await query.answer()
    lang = await chat_language(update, context)
    context.user_data[ASKED_KEY] = {
        "id": statement.id,
        "language": language,
        "lang": lang,
        "body": None,
    }
    await send(
        update,
        context,
        "statement_translation",
        lang,
        step="text",
        language=language,
        statement_id=statement.id,
        limit_kb=size_limit(services(context).settings.max_file_bytes) // 1024,
    )
    return TEXT


async def refused(update: Update, context: ContextTypes.DEFAULT_TYPE, reason: str) -> None:
    limit_kb = size_limit(services(context).settings.max_file_bytes) // 1024
    lang = context.user_data[ASKED_KEY]["lang"]
    await send(update, context, "publish_invalid", lang, reason=reason, limit_kb=limit_kb)


async def ask_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    asked = context.user_data[ASKED_KEY]
    await send(
        update,
        context,
        "statement_translation",
        asked["lang"],
        step="title",
        language=asked["language"],
    )
    return TITLE


async def got_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The text in that language, as a message: its formatting kept (and made safe)."""
    try:
        parsed = read_message(update.effective_message.text_html)
    except StatementFileError as error:
        await refused(update, context, error.reason)
        return TEXT
    context.user_data[ASKED_KEY]["body"] = parsed.body_html
    return await ask_title(update, context)


async def got_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The text as a file; its title, if it has one."""
    try:
        parsed = await read_upload(update, context)
    except StatementFileError as error:
        await refused(update, context, error.reason)
        return TEXT
    context.user_data[ASKED_KEY]["body"] = parsed.body_html
    if parsed.title and len(parsed.title) <= publishing.MAX_TITLE:
        return await save(update, context, check_title(parsed.title))
    return await ask_title(update, context)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A photo, a sticker...: say what is expected."""
    await refused(update, context, "not_text")
    return TEXT


async def got_title(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    try:
        title = check_title(update.effective_message.text)
    except StatementFileError:
        await refused(update, context, "title")
        return TITLE
    return await save(update, context, title)


async def save(update: Update, context: ContextTypes.DEFAULT_TYPE, title: str) -> int:
    """Store it; show the statement as that language's readers get it, and what is left."""
    asked = context.user_data.pop(ASKED_KEY)
    app = services(context)
    statement_id, language, lang = asked["id"], asked["language"], asked["lang"]
    done = await publishing.translate(
        app.db,
        statement_id,
        language,
        Translation(title, asked["body"]),
        app.messages,
        update.effective_user.id,
    )
    statement = await statement_store.get_statement(app.db, statement_id, drafts=True)
    if done is None or statement is None:
        await send(update, context, "statement_missing", lang, statement_id=statement_id)
        return ConversationHandler.END
    # The very render the sender uses for a chat in that language.
    payload = statement_summary.statement_payload(statement, app.messages)
    await send_parts(update, context, statement_summary.render(app.messages, payload, language))
    missing = missing_languages(statement.language, statement.translations)
    rows = translate_rows(app.messages, lang, statement_id, missing)
    await send(
        update,
        context,
        "statement_translation",
        lang,
        InlineKeyboardMarkup(rows) if rows else None,
        step="saved",
        language=language,
        statement_id=statement_id,
        published=done.published,
        waiting=done.waiting,
        draft_open=_draft_open(context, statement_id),
    )
    return ConversationHandler.END


def _draft_open(context: ContextTypes.DEFAULT_TYPE, statement_id: int) -> bool:
    """Whether /newstatement's preview of this statement still waits for Publish."""
    draft = context.user_data.get(DRAFT_KEY)
    return draft is not None and draft.statement_id == statement_id


def handlers() -> list:
    # Each button names its statement and language; a stale one finds the statement's
    # languages as they are now.
    text = filters.TEXT & ~filters.COMMAND & NEW
    return [
        admin_conversation(
            "statement-translation",
            admin_callback(ask, pattern=PATTERN),
            {
                TEXT: [
                    admin_message(text, got_text),
                    admin_message(filters.Document.ALL & NEW, got_file, block=False),
                    admin_message(~filters.COMMAND & NEW, not_text),
                ],
                TITLE: [admin_message(text, got_title)],
            },
            cancel=ASKED.cancel,
            timed_out=ASKED.time_out,
        )
    ]
