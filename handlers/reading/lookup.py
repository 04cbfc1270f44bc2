"""Finding a defender by name and showing the case card.

A choice between namesakes shows on each button what tells them apart
(``cases.namesakes``) and pages on eight at a time. The names a choice
offers are kept in memory under a short token the page buttons carry: the
text typed is never kept, and a choice lost to a restart asks for the name
again. /letter searches the same way; its buttons open the letter view
instead of the card (``prefix``).
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from cases.facts import card_facts
from cases.model import Case
from cases.search import MAX_CHOICES, SearchResult
from handlers.reading.card_buttons import card_keyboard
from handlers.shared.namesakes import lines_told_apart
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, echo, edit_or_send, send, send_parts
from handlers.shared.services import Services, services
from metrics import metrics_of

CARD_PREFIX = "card:"
PICK_PREFIX = "pick:"
CHOICES_KEY = "namesake_choices"
CHOICES_KEPT = 2000  # open choices kept, across all chats; the oldest go first


async def show_card(
    update: Update, context: ContextTypes.DEFAULT_TYPE, case: Case, lang: str
) -> None:
    """Send the case card (rendered once per person, language and day) with its buttons."""
    app = services(context)
    parts = app.card_parts(
        case,
        lang,
        lambda: app.messages.parts(
            "card",
            lang,
            case=case,
            facts=card_facts(case, lang, app.today(), app.settings.stale_days),
        ),
    )
    await send_parts(update, context, parts, card_keyboard(case, lang, context))


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
        suggestions = [app.catalogue.get(slug) for slug in result.suggestions]
        # Told apart like the people of a choice: near names are often namesakes.
        told_apart = lines_told_apart(app, lang, suggestions)
        lines = [told_apart[case.slug] for case in suggestions]
        buttons = [
            [InlineKeyboardButton(line, callback_data=prefix + case.slug)]
            for line, case in zip(lines, suggestions, strict=True)
        ]
        await send(
            update,
            context,
            "not_found",
            lang,
            InlineKeyboardMarkup(buttons) if buttons else None,
            query=echo(update, query),
            suggestions=lines,
        )


def choice_view(
    app: Services,
    lang: str,
    token: str,
    slugs: tuple[str, ...],
    page: int,
    prefix: str = CARD_PREFIX,
):
    """(page, pages, keyboard) of one page of a choice between people; a button opens
    ``prefix`` + slug."""
    cases = [case for slug in slugs if (case := app.catalogue.get(slug)) is not None]
    page, pages = clamp_page(len(cases), page, MAX_CHOICES)
    # Told apart among everyone in the choice, so a line reads the same on every page.
    lines = lines_told_apart(app, lang, cases)
    rows = [
        [InlineKeyboardButton(lines[case.slug], callback_data=prefix + case.slug)]
        for case in cases[(page - 1) * MAX_CHOICES : page * MAX_CHOICES]
    ]
    paging = paging_row(
        app.messages, lang, page, pages, lambda number: f"{PICK_PREFIX}{token}:{number}"
    )
    if paging:
        rows.append(paging)
    return page, pages, InlineKeyboardMarkup(rows)


def _kept_choices(context: ContextTypes.DEFAULT_TYPE) -> OrderedDict:
    return context.application.bot_data.setdefault(CHOICES_KEY, OrderedDict())


async def offer_choice(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    lang: str,
    query: str,
    result: SearchResult,
    prefix: str = CARD_PREFIX,
) -> None:
    """Ask which of several people is meant: eight a page, each told apart."""
    app = services(context)
    slugs = result.all_slugs or result.slugs
    kept = _kept_choices(context)
    token = secrets.token_urlsafe(6)
    kept[token] = (slugs, max(result.total, len(slugs)), prefix)
    while len(kept) > CHOICES_KEPT:
        kept.popitem(last=False)
    page, pages, keyboard = choice_view(app, lang, token, slugs, 1, prefix)
    total = max(result.total, len(slugs))
    values = {"query": echo(update, query), "total": total, "page": page, "pages": pages}
    await send(update, context, "choose", lang, keyboard, **values)


async def pick_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn a page of a choice between people."""
    callback = update.callback_query
    await callback.answer()
    lang = await chat_language(update, context)
    token, _, page = callback.data.removeprefix(PICK_PREFIX).partition(":")
    choice = _kept_choices(context).get(token)
    if choice is None or not page.isdigit():
        await send(update, context, "choice_expired", lang)
        return
    slugs, total, prefix = choice
    app = services(context)
    page, pages, keyboard = choice_view(app, lang, token, slugs, int(page), prefix)
    # The name typed is not kept, so later pages do not repeat it.
    values = {"query": None, "total": total, "page": page, "pages": pages}
    await edit_or_send(update, context, "choose", lang, keyboard, **values)


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
        CallbackQueryHandler(pick_page, pattern=f"^{PICK_PREFIX}"),
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, plain_text),
    ]
