"""Welcome, help, about and /id: the texts a newcomer reads first."""

from __future__ import annotations

import re

from telegram import Chat, Update
from telegram.ext import CommandHandler, ContextTypes

from alerts.texts import LETTER_LINK, NEWCOMERS_LINK
from handlers.reading.letters import show_letter
from handlers.reading.lookup import show_card
from handlers.reading.newcomers import show_newcomers
from handlers.reading.statements import send_statement
from handlers.shared.admin_access import gate_of
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services

STATEMENT_LINK = re.compile(r"statement-[0-9]{1,9}")
NEWCOMERS = re.compile(re.escape(NEWCOMERS_LINK) + r"[0-9]{1,12}")


def latest_confirmation(context: ContextTypes.DEFAULT_TYPE):
    cases = services(context).catalogue.ordered
    return max((case.status_confirmed for case in cases), default=services(context).today())


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user, or open what a deep link names (a card, a person's letter view, a
    statement, the people new to the bot an alert named)."""
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
        letter_of = app.catalogue.get(context.args[0].removeprefix(LETTER_LINK))
        if context.args[0].startswith(LETTER_LINK) and letter_of is not None:
            # "Write a letter" under an alert in a group or a channel.
            await show_letter(update, context, letter_of, lang)
            return
        if NEWCOMERS.fullmatch(context.args[0]):
            alert_id = int(context.args[0].removeprefix(NEWCOMERS_LINK))
            await show_newcomers(update, context, alert_id)
            return
        await send(update, context, "case_missing", lang)
        return
    await send(update, context, "start", lang, count=len(app.catalogue))


def staff_commands(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[str, ...]:
    """The editor's (and owner's) commands, in their menu's order; none for anyone else.

    Only in the private chat with the bot, where those commands work.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != Chat.PRIVATE:
        return ()
    return gate_of(context).commands_for(user.id)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what the bot can do; an editor's own commands too."""
    lang = await chat_language(update, context)
    commands = staff_commands(update, context)
    label = services(context).messages.label
    staff = [(name, label(f"cmd_{name}", lang)) for name in commands]
    owner = bool(commands) and gate_of(context).is_owner(update.effective_user.id)
    await send(update, context, "help", lang, staff=staff, owner=owner)


async def whoami(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the user their id and this chat's (read from the message, never stored)."""
    lang = await chat_language(update, context)
    chat, message = update.effective_chat, update.effective_message
    # An anonymous group admin writes as the group: Telegram gives no user of theirs.
    anonymous = message is not None and message.sender_chat is not None
    user = None if anonymous else update.effective_user
    admin_gate = gate_of(context)
    await send(
        update,
        context,
        "whoami",
        lang,
        user_id=user.id if user else None,
        chat_id=chat.id,
        private=chat.type == Chat.PRIVATE,
        owner=user is not None and admin_gate.is_owner(user.id),
        editor=user is not None and admin_gate.is_admin(user.id),
    )


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say where the data comes from and what is stored about the user."""
    lang = await chat_language(update, context)
    await send(update, context, "about", lang, latest_as_of=latest_confirmation(context))


def handlers() -> list:
    return [
        CommandHandler("start", start),
        CommandHandler("help", help_command),
        CommandHandler(("id", "whoami"), whoami),
        CommandHandler("about", about),
    ]
