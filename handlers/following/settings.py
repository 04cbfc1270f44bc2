"""/settings: the chat's language, which kinds of alerts it gets, and how calendar alerts come.

Buttons carry ``set:<target>:<what>``: the target as in subscriptions (empty
for this chat, else a channel's id), ``what`` an alert kind or ``lang-<code>``.
Everything is on until someone turns it off; the message is edited in place.
The row choosing a daily digest or single alerts is ``handlers.following.alert_mode``'s.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from handlers.shared.errors import button_expired
from handlers.shared.permissions import Target, target_for, this_chat
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from languages import LANGUAGES
from storage import audience, chats, digests, subscriptions

# ``dg:<target>:<mode>``: answered by handlers.following.alert_mode.
MODE_PREFIX = "dg:"


async def settings_view(
    context: ContextTypes.DEFAULT_TYPE, target: Target, lang: str
) -> tuple[dict, InlineKeyboardMarkup]:
    """The settings of ``target`` as text values and toggle buttons, in ``lang``."""
    app = services(context)
    settings = await subscriptions.get_settings(app.db, target.chat_id)
    # No row yet: the chat speaks whatever language it is being answered in.
    chat_lang = settings.language or lang
    label = app.messages.label
    languages = [
        InlineKeyboardButton(
            ("• " if code == chat_lang else "") + label("language_name", lang, code=code),
            callback_data=f"set:{target.ref}:lang-{code}",
        )
        for code in LANGUAGES
    ]
    toggles = [
        [
            InlineKeyboardButton(
                label("btn_alert_on" if wanted else "btn_alert_off", lang, kind=kind),
                callback_data=f"set:{target.ref}:{kind}",
            )
        ]
        for kind, wanted in settings.wants.items()
    ]
    mode, follows = await digests.alert_mode(app.db, target.chat_id)
    over = app.settings.digest_over
    modes = [
        InlineKeyboardButton(
            ("• " if choice == mode else "") + label("btn_alert_mode", lang, mode=choice),
            callback_data=f"{MODE_PREFIX}{target.ref}:{choice}",
        )
        for choice in digests.ALERT_MODES
    ]
    values = {
        "language": chat_lang,
        "wants": settings.wants,
        "active": settings.active,
        "off_reason": settings.off_reason,
        "channel": target.channel,
        "mode": mode,
        "digest": audience.gets_digest(mode, settings.subscribed_all, follows, over),
        "everyone": settings.subscribed_all,
        "follows": follows,
        "over": over,
        "alert_time": app.settings.alert_time,
    }
    return values, InlineKeyboardMarkup([languages, *toggles, modes])


async def settings_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show this chat's settings; anyone may look, only admins may change them."""
    lang = await chat_language(update, context)
    values, keyboard = await settings_view(context, this_chat(update), lang)
    await send(update, context, "settings", lang, keyboard, **values)


async def settings_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Change one setting and redraw the message."""
    query = update.callback_query
    _, ref, what = query.data.split(":", 2)
    code = what.removeprefix("lang-") if what.startswith("lang-") else None
    if code not in LANGUAGES and what not in subscriptions.ALERT_KINDS:
        await button_expired(update, context)
        return
    target = await target_for(update, context, ref)
    if target is None:
        return
    await query.answer()
    lang = await chat_language(update, context)
    db = services(context).db
    if code in LANGUAGES:
        await chats.set_language(db, target.chat_id, code, target.kind)
        if target.channel is None:
            # This chat's own language: the reply switches to it at once.
            context.chat_data["language"] = lang = code
    else:
        await subscriptions.ensure_chat(db, target.chat_id, lang, target.kind)
        wanted = (await subscriptions.get_settings(db, target.chat_id)).wants[what]
        await subscriptions.set_wanted(db, target.chat_id, what, not wanted)
    values, keyboard = await settings_view(context, target, lang)
    await edit_or_send(update, context, "settings", lang, keyboard, **values)


def handlers() -> list:
    return [
        CommandHandler("settings", settings_command),
        CallbackQueryHandler(settings_button, pattern=r"^set:-?\d*:"),
    ]
