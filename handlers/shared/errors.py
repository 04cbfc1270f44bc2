"""Unknown commands, buttons that no longer apply, and unexpected errors."""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers.shared.replies import chat_language, send
from handlers.shared.services import services

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a command nobody handles with a hint."""
    await send(update, context, "unknown_command", await chat_language(update, context))


async def button_expired(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button whose data means nothing now (old, forged, or not for this user).

    The query is answered, so the button stops spinning, and nothing changes.
    Handlers that read a button's data call this when the data does not hold up.
    """
    lang = await chat_language(update, context)
    await update.callback_query.answer(services(context).messages.label("button_expired", lang))


async def no_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press that carries no data: PTB would offer it to every button handler."""
    query = update.callback_query
    if query is not None and not query.data and not query.game_short_name:
        await button_expired(update, context)
        raise ApplicationHandlerStop


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (without user texts) and tell the user something went wrong.

    Never in a channel: every reader of the channel would see it.
    """
    log.error("handler failed: %r", context.error, exc_info=context.error)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None and chat.type != Chat.CHANNEL:
        try:
            await send(update, context, "error", await chat_language(update, context))
        except Exception:  # the error reply itself failed: logging it is all we can do
            log.exception("could not report the error to the chat")


def early_handlers() -> list:
    """For a group ahead of the features: what no feature should ever see."""
    return [TypeHandler(Update, no_data)]


def handlers() -> list:
    # Last in the order: only commands and buttons no other handler took reach them
    # (an admin's button pressed by someone else among them).
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        CallbackQueryHandler(button_expired),
    ]
