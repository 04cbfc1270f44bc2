"""Unknown commands and unexpected errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from handlers.shared.replies import chat_language, send

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a command nobody handles with a hint."""
    await send(update, context, "unknown_command", await chat_language(update, context))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (without user texts) and tell the user something went wrong."""
    log.error("handler failed: %r", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await send(update, context, "error", await chat_language(update, context))
        except Exception:  # the error reply itself failed: logging it is all we can do
            log.exception("could not report the error to the chat")


def handlers() -> list:
    # Last in the order: only commands no other handler took reach it.
    return [MessageHandler(filters.COMMAND, unknown_command)]
