"""Welcome, help and about: the texts a newcomer reads first."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from alerts.texts import NEWCOMERS_LINK
from handlers.reading.lookup import show_card
from handlers.reading.newcomers import show_newcomers
from handlers.reading.statements import send_statement
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services

STATEMENT_LINK = re.compile(r"statement-[0-9]{1,9}")
NEWCOMERS = re.compile(re.escape(NEWCOMERS_LINK) + r"[0-9]{1,12}")


def latest_confirmation(context: ContextTypes.DEFAULT_TYPE):
    cases = services(context).catalogue.ordered
    return max((case.status_confirmed for case in cases), default=services(context).today())


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user, or open what a deep link names (a card, a statement, the people
    new to the bot an alert named)."""
    lang = await chat_language(update, context)
    app = services(context)
    if context.args and STATEMENT_LINK.fullmatch(context.args[0]):
        # The "read in full" link under a shortened statement alert.
        await send_statement(update, context, int(context.args[0].removeprefix("statement-")))
        return
    if context.args:
        case = app.catalogue.get(context.args[0])
        if case is not None:
            await show_card(update, context, case, lang)
            return
        if NEWCOMERS.fullmatch(context.args[0]):
            alert_id = int(context.args[0].removeprefix(NEWCOMERS_LINK))
            await show_newcomers(update, context, alert_id)
            return
        await send(update, context, "case_missing", lang)
        return
    await send(update, context, "start", lang, count=len(app.catalogue))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what the bot can do."""
    await send(update, context, "help", await chat_language(update, context))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say where the data comes from and what is stored about the user."""
    lang = await chat_language(update, context)
    await send(update, context, "about", lang, latest_as_of=latest_confirmation(context))


def handlers() -> list:
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler("about", about),
    ]
