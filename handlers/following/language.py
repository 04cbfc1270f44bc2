"""/language: the language of the bot in this chat, kept per chat.

In a group it is the group's language, so only its admins choose it (as with
/settings): anyone else gets the same refusal as for the other group settings.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from handlers.shared.errors import button_expired
from handlers.shared.permissions import group_admins_only
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from languages import LANGUAGES
from storage import chats


@group_admins_only
async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer every language the bot speaks as buttons."""
    lang = await chat_language(update, context)
    label = services(context).messages.label
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label("language_name", lang, code=code), callback_data=f"lang:{code}"
                )
                for code in LANGUAGES
            ]
        ]
    )
    await send(update, context, "language_prompt", lang, keyboard)


@group_admins_only
async def language_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store the chosen language for this chat."""
    query = update.callback_query
    code = query.data.removeprefix("lang:")
    if code not in LANGUAGES:
        await button_expired(update, context)
        return
    await query.answer()
    chat = update.effective_chat
    await chats.set_language(services(context).db, chat.id, code, chat.type)
    context.chat_data["language"] = code
    await edit_or_send(update, context, "language_set", code)


def handlers() -> list:
    return [
        CommandHandler("language", language_command),
        CallbackQueryHandler(language_button, pattern=r"^lang:"),
    ]
