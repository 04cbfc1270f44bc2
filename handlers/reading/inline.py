"""Inline mode: "@bot Bial" in any chat offers case cards to share."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import ContextTypes, InlineQueryHandler
from telegram.helpers import create_deep_linked_url

from cases.facts import card_facts
from cases.model import localised
from cases.namesakes import distinctions
from handlers.shared.namesakes import namesake_label, place_namer
from handlers.shared.services import services
from messages.render import language_for

MAX_RESULTS = 10
# Cards change with the data and the date; a short cache keeps answers fresh.
CACHE_SECONDS = 300


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the cards whose names start with what is typed, each with a deep link back."""
    query = update.inline_query
    app = services(context)
    lang = language_for(query.from_user.language_code, app.settings.language)
    if query.query.strip():
        slugs = app.catalogue.index.complete(query.query, MAX_RESULTS)
        found = [app.catalogue.get(slug) for slug in slugs]
    else:
        # Nothing typed yet: the people still held come first.
        found = sorted(app.catalogue.ordered, key=lambda case: not case.is_held)[:MAX_RESULTS]
    # The same line as a choice in the chat: namesakes read apart here too.
    shown = distinctions(found, lang, place_namer(app, lang))
    results = []
    for case in found:
        facts = card_facts(case, lang, app.today(), app.settings.stale_days)
        link = create_deep_linked_url(context.bot.username, case.slug)
        results.append(
            InlineQueryResultArticle(
                id=case.slug,
                title=localised(case.name, lang),
                description=namesake_label(app, lang, shown[case.slug], detail_only=True),
                input_message_content=InputTextMessageContent(
                    app.messages.render("share_card", lang, case=case, facts=facts)
                ),
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton(app.messages.label("btn_open_in_bot", lang), url=link)]]
                ),
            )
        )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=False)


def handlers() -> list:
    return [InlineQueryHandler(inline_query)]
