"""Finding a defender by name and showing the case card."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from cases.facts import card_facts
from cases.model import Case, localised
from handlers.reading.card_buttons import card_keyboard
from handlers.shared.replies import chat_language, send, send_parts
from handlers.shared.services import services
from metrics import metrics_of

CARD_PREFIX = "card:"


async def show_card(
    update: Update, context: ContextTypes.DEFAULT_TYPE, case: Case, lang: str
) -> None:
    """Send the case card (rendered once per person, language and day) with its buttons."""
    app = services(context)
    parts = app.card_parts(
        case,
        lang,
        lambda: app.messages.parts(
            "card", lang, case=case, facts=card_facts(case, lang, app.today())
        ),
    )
    await send_parts(update, context, parts, card_keyboard(case, lang, context))


async def answer_query(update: Update, context: ContextTypes.DEFAULT_TYPE, query: str) -> None:
    """Search for ``query`` and answer with a card, a choice, or the nearest names."""
    lang = await chat_language(update, context)
    app = services(context)
    result = app.catalogue.search(query)
    metrics_of(context.application).name_lookups.labels(result.kind).inc()
    if result.kind in ("too_short", "too_long"):
        # Never echo a long text back: it is not a name, and may be anything.
        await send(update, context, result.kind, lang)
    elif result.kind == "match":
        await show_card(update, context, app.catalogue.get(result.slugs[0]), lang)
    elif result.kind == "choose":
        buttons = [
            [
                InlineKeyboardButton(
                    localised(app.catalogue.get(slug).name, lang), callback_data=CARD_PREFIX + slug
                )
            ]
            for slug in result.slugs
        ]
        await send(update, context, "choose", lang, InlineKeyboardMarkup(buttons), query=query)
    else:
        suggestions = [app.catalogue.get(slug) for slug in result.suggestions]
        buttons = [
            [
                InlineKeyboardButton(
                    localised(case.name, lang), callback_data=CARD_PREFIX + case.slug
                )
            ]
            for case in suggestions
        ]
        await send(
            update,
            context,
            "not_found",
            lang,
            InlineKeyboardMarkup(buttons) if buttons else None,
            query=query,
            suggestions=[localised(case.name, lang) for case in suggestions],
        )


async def defender_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Look up the name given after /defender."""
    query = " ".join(context.args or [])
    if not query.strip():
        await send(update, context, "ask_name", await chat_language(update, context))
        return
    await answer_query(update, context, query)


async def plain_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat, any text is a name to look up."""
    await answer_query(update, context, update.effective_message.text)


async def card_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open the card a button names."""
    query = update.callback_query
    await query.answer()
    lang = await chat_language(update, context)
    case = services(context).catalogue.get(query.data.removeprefix(CARD_PREFIX))
    if case is None:
        await send(update, context, "case_missing", lang)
        return
    await show_card(update, context, case, lang)


def handlers() -> list:
    return [
        CommandHandler("defender", defender_command),
        CallbackQueryHandler(card_button, pattern=f"^{CARD_PREFIX}"),
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, plain_text),
    ]
