"""Finding a defender by name and showing the case card.

A choice between namesakes (``handlers.shared.choices``) shows on each
button what tells them apart (``cases.namesakes``) and pages on eight at a
time; a name that names nobody for sure gets "Did you mean" and a link to
search Viasna's list. /letter searches the same way; its buttons open the
letter view instead of the card (``prefix``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from alerts.texts import CARD_PREFIX  # alerts open cards too
from cases.facts import card_facts
from cases.model import Case
from handlers.shared.card_buttons import card_keyboard
from handlers.shared.choices import offer_choice, offer_suggestions
from handlers.shared.replies import chat_language, send, send_parts
from handlers.shared.services import services
from metrics import metrics_of


def card_parts(context: ContextTypes.DEFAULT_TYPE, case: Case, lang: str) -> list[str]:
    """The case card's message parts, rendered once per person, language and day."""
    app = services(context)
    return app.card_parts(
        case,
        lang,
        lambda: app.messages.parts(
            "card",
            lang,
            case=case,
            facts=card_facts(case, lang, app.today(), app.settings.stale_days),
        ),
    )


async def show_card(
    update: Update, context: ContextTypes.DEFAULT_TYPE, case: Case, lang: str
) -> None:
    """Send the case card with its buttons."""
    await send_parts(
        update, context, card_parts(context, case, lang), card_keyboard(case, lang, context)
    )


Show = Callable[[Update, ContextTypes.DEFAULT_TYPE, Case, str], Awaitable[None]]


async def answer_query(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    query: str,
    prefix: str = CARD_PREFIX,
    show: Show = show_card,
) -> None:
    """Search for ``query`` and answer with a card (or what ``show`` shows), a choice, or
    the nearest names; the buttons of a choice carry ``prefix`` and the slug."""
    lang = await chat_language(update, context)
    app = services(context)
    result = app.catalogue.search(query)
    metrics_of(context.application).name_lookups.labels(result.kind).inc()
    if result.kind in ("too_short", "too_long"):
        # Never echo a long text back: it is not a name, and may be anything.
        await send(update, context, result.kind, lang)
    elif result.kind == "match":
        await show(update, context, app.catalogue.get(result.slugs[0]), lang)
    elif result.kind == "choose":
        await offer_choice(update, context, lang, query, result, prefix)
    else:
        await offer_suggestions(update, context, lang, query, result, prefix)


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
