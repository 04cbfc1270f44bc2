"""How a chat gets calendar alerts: automatic, one digest a day, or one message each;
and the hour of its digest.

The row of buttons under /settings (and /channel settings) carries
``dg:<target>:<mode>``, the target as every settings button has it; the hours
``dh:<target>:<hour>`` (the alert time's own hour: the default, no choice
stored). Only those who may change the chat's settings may choose; the
settings message is redrawn in place. A new hour moves today's digest, if it
is still waiting.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from alerts.send_times import offered_hours
from alerts.service import alert_service
from handlers.following.settings import HOUR_PREFIX, MODE_PREFIX, digest_time, settings_view
from handlers.shared.errors import button_expired
from handlers.shared.permissions import target_for
from handlers.shared.replies import chat_language, edit_or_send
from handlers.shared.services import services
from storage import digests, subscriptions

BUTTON = re.compile(rf"^{MODE_PREFIX}(-?\d*):({'|'.join(digests.ALERT_MODES)})$")
HOUR_BUTTON = re.compile(rf"^{HOUR_PREFIX}(-?\d*):(\d{{1,2}})$")


async def mode_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store the chosen way of getting calendar alerts and redraw the settings."""
    query = update.callback_query
    ref, mode = BUTTON.match(query.data).groups()
    target = await target_for(update, context, ref)
    if target is None:
        return
    lang = await chat_language(update, context)
    app = services(context)
    await subscriptions.ensure_chat(app.db, target.chat_id, lang, target.kind)
    await digests.set_alert_mode(app.db, target.chat_id, mode)
    await query.answer(app.messages.label("toast_alert_mode", lang, mode=mode))
    values, keyboard = await settings_view(context, target, lang)
    await edit_or_send(update, context, "settings", lang, keyboard, **values)


async def hour_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store the hour the daily digest comes at and redraw the settings."""
    query = update.callback_query
    ref, hour_text = HOUR_BUTTON.match(query.data).groups()
    app = services(context)
    alert_time = app.settings.alert_time
    if int(hour_text) not in offered_hours(alert_time):
        await button_expired(update, context)
        return
    target = await target_for(update, context, ref)
    if target is None:
        return
    lang = await chat_language(update, context)
    # The alert time's own hour is no choice: the chat follows BOT_ALERT_TIME.
    hour = None if int(hour_text) == alert_time.hour else int(hour_text)
    await subscriptions.ensure_chat(app.db, target.chat_id, lang, target.kind)
    await digests.set_digest_hour(app.db, target.chat_id, hour)
    await alert_service(context.application).digest_hour_chosen(app.db, target.chat_id, hour)
    at = digest_time(alert_time, hour).strftime("%H:%M")
    await query.answer(app.messages.label("toast_digest_hour", lang, time=at))
    values, keyboard = await settings_view(context, target, lang)
    await edit_or_send(update, context, "settings", lang, keyboard, **values)


def handlers() -> list:
    return [
        CallbackQueryHandler(mode_button, pattern=BUTTON),
        CallbackQueryHandler(hour_button, pattern=HOUR_BUTTON),
    ]
