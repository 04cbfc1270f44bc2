"""How a chat gets calendar alerts: automatic, one digest a day, or one message each.

The row of buttons under /settings (and /channel settings) carries
``dg:<target>:<mode>``, the target as every settings button has it. Only
those who may change the chat's settings may choose; the settings message is
redrawn in place.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from handlers.following.settings import MODE_PREFIX, settings_view
from handlers.shared.permissions import target_for
from handlers.shared.replies import chat_language, edit_or_send
from handlers.shared.services import services
from storage import digests, subscriptions

BUTTON = re.compile(rf"^{MODE_PREFIX}(-?\d*):({'|'.join(digests.ALERT_MODES)})$")


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


def handlers() -> list:
    return [CallbackQueryHandler(mode_button, pattern=BUTTON)]
