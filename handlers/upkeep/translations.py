"""The entry of an /update in more languages, or a /setstatus note: the preview's buttons.

An editor writes the entry in their own language; the preview offers each
other language the bot speaks (skipping them is fine: readers then see it
with a mark naming its language). A button asks for that text; the answer
redoes the preview with it (``case_updates.preview``), and the old preview's
Confirm no longer works: only what the editor saw last can be saved.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import ContextTypes, ConversationHandler, filters

from cases.edits import MAX_EVENT_TEXT
from handlers.shared.admin_access import admin_callback, admin_message
from handlers.shared.admin_conversation import DraftKept, Said, admin_conversation
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from handlers.upkeep.case_admin import PLANS_KEY
from handlers.upkeep.case_updates import EDITS_KEY, TRANSLATE_PREFIX, preview
from languages import LANGUAGES

WAITING = 0
ASKED_KEY = "translation_asked"  # (preview token, language) while waiting for the text
# /cancel leaves the entry as it is (its preview can still be confirmed), and
# so does a long silence, without a word.
ASKED = DraftKept(
    ASKED_KEY, cancelled=Said("translation_ask", {"language": None, "limit": 0, "note": False})
)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Ask for the entry in the language of the button."""
    query = update.callback_query
    await query.answer()
    lang = await chat_language(update, context)
    token, _, language = query.data.removeprefix(TRANSLATE_PREFIX).partition(":")
    edit = context.user_data.get(EDITS_KEY, {}).get(token)
    if edit is None or language not in LANGUAGES:
        await send(update, context, "case_done", lang, result="expired")
        return ConversationHandler.END
    context.user_data[ASKED_KEY] = (token, language)
    _slug, request = edit
    await send(
        update,
        context,
        "translation_ask",
        lang,
        language=language,
        limit=MAX_EVENT_TEXT,
        note=request.action == "case.status",
    )
    return WAITING


async def take(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The entry in that language: the preview again, with it."""
    token, language = context.user_data.pop(ASKED_KEY)
    slug, request = context.user_data.get(EDITS_KEY, {}).pop(token, (None, None))
    context.user_data.get(PLANS_KEY, {}).pop(token, None)  # that preview is superseded
    case = services(context).catalogue.get(slug) if slug else None
    if case is None:
        await send(
            update, context, "case_done", await chat_language(update, context), result="expired"
        )
        return ConversationHandler.END
    text = update.effective_message.text.strip()
    kept = tuple(pair for pair in request.translations if pair[0] != language)
    await preview(update, context, case, replace(request, translations=(*kept, (language, text))))
    return ConversationHandler.END


def handlers() -> list:
    # Each button names its preview.
    return [
        admin_conversation(
            "update-translation",
            admin_callback(ask, pattern=f"^{TRANSLATE_PREFIX}"),
            {WAITING: [admin_message(filters.TEXT & ~filters.COMMAND, take)]},
            cancel=ASKED.cancel,
            timed_out=ASKED.time_out,
        )
    ]
