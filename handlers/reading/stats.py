"""/stats: how many tracked defenders are held, released, in exile."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from handlers.reading.start import latest_confirmation
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Count the cases by status and show the organisation's headline figures."""
    lang = await chat_language(update, context)
    app = services(context)
    await send(
        update,
        context,
        "stats",
        lang,
        counts=app.catalogue.count_by_status(),
        latest_as_of=latest_confirmation(context),
        organisation=app.stats["organisation"],
        figures=app.stats["figures"],
    )


def handlers() -> list:
    return [CommandHandler("stats", stats)]
