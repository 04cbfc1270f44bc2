"""Sending rendered messages: language choice, splitting, buttons."""

from __future__ import annotations

from telegram import Chat, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from handlers.shared.services import services
from messages.render import language_for
from storage import chats

LANGUAGE_KEY = "language"


async def chat_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The chat's chosen language, else the user's Telegram language, else the default."""
    app = services(context)
    chosen = await stored_language(update, context)
    if chosen:
        return chosen
    user = update.effective_user
    return language_for(user.language_code if user else None, app.settings.language)


async def stored_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The language stored for this chat, read once and then kept in chat_data.

    chat_data remembers "no choice" too (None), so a chat that never chose a
    language costs no database query per message. Whatever changes the stored
    language (or forgets the chat) must update ``chat_data[LANGUAGE_KEY]``.
    """
    chat = update.effective_chat
    if chat is None or context.chat_data is None:
        return None
    if LANGUAGE_KEY not in context.chat_data:
        context.chat_data[LANGUAGE_KEY] = await chats.get_language(services(context).db, chat.id)
    return context.chat_data[LANGUAGE_KEY]


def echo(update: Update, typed: str) -> str | None:
    """What the user typed, for a reply that may quote it: None outside a private chat.

    Quoted in a group or channel, someone's words would stand in the bot's
    voice before everyone there (``/defender x». BREAKING: ... «x``); the reply
    says "Nobody by that name" instead. A template quotes what it gets through
    the ``typed`` filter (messages/quoting.py): short, on one line, visible.
    """
    chat = update.effective_chat
    return typed if chat is not None and chat.type == Chat.PRIVATE else None


async def send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    key: str,
    lang: str,
    keyboard: InlineKeyboardMarkup | None = None,
    **values,
) -> None:
    """Render ``key`` and send it to the chat, split if long; buttons go on the last part."""
    await send_parts(
        update, context, services(context).messages.parts(key, lang, **values), keyboard
    )


async def send_parts(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    parts: list[str],
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """Send rendered parts in order; buttons go on the last one."""
    for number, text in enumerate(parts, start=1):
        await context.bot.send_message(
            chat_id=update.effective_chat.id,
            text=text,
            reply_markup=keyboard if number == len(parts) else None,
        )


async def edit_or_send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    key: str,
    lang: str,
    keyboard: InlineKeyboardMarkup | None = None,
    **values,
) -> None:
    """Replace the message a button was pressed on when the text fits one message."""
    await edit_or_send_parts(
        update, context, services(context).messages.parts(key, lang, **values), keyboard
    )


async def edit_or_send_parts(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    parts: list[str],
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    query = update.callback_query
    if query is None or query.message is None or len(parts) > 1:
        await send_parts(update, context, parts, keyboard)
        return
    if query.message.text_html == parts[0] and query.message.reply_markup == keyboard:
        return  # Telegram refuses an edit that changes nothing.
    await query.edit_message_text(parts[0], reply_markup=keyboard)
