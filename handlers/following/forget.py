"""/forget: erase everything stored about this chat, after a confirmation.

The chat row goes, and with it (by cascade) its settings, subscriptions and
pending deliveries. Channels the chat registered stay registered for their
readers, but lose the link to this chat: any admin of a channel can take it
over with /channel add, or stop it with /channel remove before forgetting.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from handlers.shared.permissions import group_admins_only
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from storage import channels, subscriptions


@group_admins_only
async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask before erasing; say what will happen to channels this chat registered."""
    lang = await chat_language(update, context)
    app = services(context)
    managed = await channels.channels_of(app.db, update.effective_chat.id)
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    app.messages.label("btn_forget_yes", lang), callback_data="forget:yes"
                ),
                InlineKeyboardButton(
                    app.messages.label("btn_forget_no", lang), callback_data="forget:no"
                ),
            ]
        ]
    )
    await send(update, context, "forget_confirm", lang, keyboard, channels=len(managed))


@group_admins_only
async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Erase the chat (or keep it) and say which happened."""
    query = update.callback_query
    await query.answer()
    # Read the language before erasing it, so the goodbye is in the chat's language.
    lang = await chat_language(update, context)
    if query.data != "forget:yes":
        await edit_or_send(update, context, "forget_kept", lang)
        return
    unlinked = await subscriptions.forget_chat(services(context).db, update.effective_chat.id)
    # The in-memory copies (language, subscriptions) go too.
    context.chat_data.clear()
    await edit_or_send(update, context, "forgotten", lang, channels=unlinked)


def handlers() -> list:
    return [
        CommandHandler("forget", forget_command),
        CallbackQueryHandler(forget_button, pattern=r"^forget:(yes|no)$"),
    ]
