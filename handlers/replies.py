"""Sending rendered messages: language choice, splitting, buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers.services import services
from messages.render import language_for
from storage import chats

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def chat_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The chat's chosen language, else the user's Telegram language, else the default."""
    cached = context.chat_data.get("language") if context.chat_data is not None else None
    if cached:
        return cached
    app = services(context)
    chosen = None
    if update.effective_chat is not None:
        chosen = await chats.get_language(app.db, update.effective_chat.id)
    if chosen and context.chat_data is not None:
        context.chat_data["language"] = chosen
    if chosen:
        return chosen
    user = update.effective_user
    return language_for(user.language_code if user else None, app.settings.language)


async def send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    key: str,
    lang: str,
    keyboard: InlineKeyboardMarkup | None = None,
    **values,
) -> None:
    """Render ``key`` and send it to the chat, split if long; buttons go on the last part."""
    parts = services(context).messages.parts(key, lang, **values)
    for number, text in enumerate(parts, start=1):
        await context.bot.send_message(
            chat_id=update.effective_chat.id,
            text=text,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
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
    query = update.callback_query
    parts = services(context).messages.parts(key, lang, **values)
    if query is None or query.message is None or len(parts) > 1:
        await send(update, context, key, lang, keyboard, **values)
        return
    if query.message.text_html == parts[0] and query.message.reply_markup == keyboard:
        return  # Telegram refuses an edit that changes nothing.
    await query.edit_message_text(
        parts[0],
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        reply_markup=keyboard,
    )
