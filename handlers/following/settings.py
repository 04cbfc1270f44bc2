"""/settings: the chat's language, which kinds of alerts it gets, and how calendar alerts come.

Buttons carry ``set:<target>:<what>``: the target as in subscriptions (empty
for this chat, else a channel's id), ``what`` an alert kind or ``lang-<code>``.
Everything is on until someone turns it off; the message is edited in place.
The rows choosing a daily digest or single alerts, and the digest's hour, are
``handlers.following.alert_mode``'s.
"""

from __future__ import annotations

from datetime import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from alerts.send_times import offered_hours
from handlers.shared.errors import button_expired
from handlers.shared.permissions import Target, target_for, this_chat
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from languages import LANGUAGES
from storage import audience, chats, digests, subscriptions

# ``dg:<target>:<mode>`` and ``dh:<target>:<hour>``: answered by handlers.following.alert_mode.
MODE_PREFIX = "dg:"
HOUR_PREFIX = "dh:"
HOURS_PER_ROW = 5


def digest_time(alert_time: time, hour: int | None) -> time:
    """When a chat's digest goes: its hour, or BOT_ALERT_TIME when it chose none."""
    return alert_time if hour is None else time(hour)


def hour_buttons(target: Target, alert_time: time, hour: int | None) -> list[list]:
    """The hours a digest may come at; the alert time's own is the default (no choice)."""
    chosen = digest_time(alert_time, hour)
    buttons = []
    for offered in offered_hours(alert_time):
        at = alert_time if offered == alert_time.hour else time(offered)
        buttons.append(
            InlineKeyboardButton(
                ("• " if at == chosen else "") + at.strftime("%H:%M"),
                callback_data=f"{HOUR_PREFIX}{target.ref}:{offered}",
            )
        )
    return [buttons[i : i + HOURS_PER_ROW] for i in range(0, len(buttons), HOURS_PER_ROW)]


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
    choice = await digests.alert_mode(app.db, target.chat_id)
    over = app.settings.digest_over
    modes = [
        InlineKeyboardButton(
            ("• " if mode == choice.mode else "") + label("btn_alert_mode", lang, mode=mode),
            callback_data=f"{MODE_PREFIX}{target.ref}:{mode}",
        )
        for mode in digests.ALERT_MODES
    ]
    digest = audience.gets_digest(choice.mode, choice.broadly, choice.follows, over)
    alert_time = app.settings.alert_time
    # The hour matters only to a chat that gets the digest.
    hours = hour_buttons(target, alert_time, choice.hour) if digest else []
    values = {
        "language": chat_lang,
        "wants": settings.wants,
        "active": settings.active,
        "off_reason": settings.off_reason,
        "channel": target.channel,
        "mode": choice.mode,
        "digest": digest,
        "everyone": settings.subscribed_all,
        "broadly": choice.broadly,
        "follows": choice.follows,
        "over": over,
        "digest_time": digest_time(alert_time, choice.hour).strftime("%H:%M"),
        "zone": app.settings.timezone.key,
    }
    return values, InlineKeyboardMarkup([languages, *toggles, modes, *hours])


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
