"""/newstatement: an editor publishes a statement to the subscribers of the defenders it names.

The conversation: the text (or a .md/.txt/.html file), its title, date and
source link (``handlers.publishing.steps``), then the preview, the
defenders it links, its audience, and Publish (``handlers.publishing.preview``),
after which its progress is watched (``handlers.publishing.progress``).
/cancel, or half an hour of silence, drops the draft. The non-Telegram work
(reading files, storing, queuing) is ``statements``, shared with
``python bot.py publish``.

Registered before lookup: while a draft waits for text, the text is the
statement, not a name to search.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ContextTypes, ConversationHandler, filters

from handlers.publishing import preview, progress, steps
from handlers.shared.admin_access import admin_callback, admin_command, admin_message
from handlers.shared.admin_conversation import admin_conversation
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services

TIMEOUT_SECONDS = 30 * 60
PREFIX = steps.BUTTON_PREFIX
# New messages only: an edit of an earlier answer must not be taken as the next one.
NEW = filters.UpdateType.MESSAGE
TEXT = filters.TEXT & ~filters.COMMAND & NEW
CANCEL = filters.Regex(r"^/cancel(?:@\w+)?\s*$") & NEW


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Start a statement (a draft left open is dropped)."""
    await steps.drop_draft(context)
    await send(update, context, "publish_ask_body", await chat_language(update, context))
    return steps.BODY


async def typed_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The source link, then the preview."""
    state = await steps.typed_source(update, context)
    return state if state is not None else await preview.show_preview(update, context)


async def skipped_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """No source link, then the preview."""
    await steps.skipped_source(update, context)
    return await preview.show_preview(update, context)


async def timed_out(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say the draft was dropped after a long silence."""
    draft = await steps.drop_draft(context)
    if draft is None or not isinstance(update, Update) or update.effective_chat is None:
        return
    await send(
        update, context, "publish_timeout", draft.language, minutes=int(TIMEOUT_SECONDS // 60)
    )


async def closed_draft(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of a draft that was published, cancelled or timed out."""
    lang = await chat_language(update, context)
    await update.callback_query.answer(services(context).messages.label("draft_closed", lang))


def button(callback, pattern: str):
    return admin_callback(callback, pattern=f"^{PREFIX}{pattern}$")


def conversation() -> ConversationHandler:
    # One draft per admin; a stale button finds no state and is answered (``closed_draft``).
    # /cancel is Cancel's button: the draft and its stored row go (``preview.discard``).
    return admin_conversation(
        "newstatement",
        admin_command("newstatement", begin),
        {
            steps.BODY: [
                admin_message(TEXT, steps.got_text),
                # Beside other updates: reading a file must not hold anyone's reply.
                admin_message(filters.Document.ALL & NEW, steps.got_file, block=False),
                admin_message(~filters.COMMAND & NEW, steps.not_a_statement),
            ],
            steps.TITLE: [
                admin_message(TEXT, steps.typed_title),
                button(steps.kept_title, "keep_title"),
            ],
            steps.DATE: [
                admin_message(TEXT, steps.typed_date),
                button(steps.kept_date, "(keep_date|today)"),
            ],
            steps.SOURCE: [
                admin_message(TEXT, typed_source),
                button(skipped_source, "no_source"),
            ],
            steps.PREVIEW: [
                button(preview.publish_now, "go"),
                button(preview.change_defenders, "defenders"),
                button(preview.discard, "discard"),
            ],
            steps.DEFENDERS: [
                button(preview.toggle, "(toggle|page):.+"),
                button(preview.back_to_preview, "back"),
            ],
        },
        cancel=preview.discard,
        timed_out=timed_out,
        timeout=TIMEOUT_SECONDS,
    )


def setup(application: Application) -> None:
    """/cancel and Stop for running broadcasts: after the conversation, so a draft's
    /cancel drops the draft first."""
    registry = progress.broadcasts(application.bot_data)
    application.add_handlers(
        [
            admin_message(CANCEL & registry.users, progress.cancel_command),
            admin_callback(progress.stop_button, pattern=rf"^{progress.STOP_PREFIX}\d+$"),
            # Last: a button of a draft no longer open.
            admin_callback(closed_draft, pattern=f"^{PREFIX}"),
        ]
    )


def handlers() -> list:
    return [conversation()]
