"""A choice between people a name could mean: eight a page, each told apart.

/defender, /letter, /subscribe and the editors' /update ask the same way;
each passes the ``prefix`` its buttons carry before the slug (open the card,
the letter view, subscribe, edit). The names a choice offers are kept in
memory under a short token the page buttons carry (``pick:<token>:<page>``):
the text typed is never kept, and a choice lost to a restart asks for the
name again.

A name that names nobody for sure gets the people it may mean ("Did you
mean", ``offer_suggestions``), and a button that searches a list beyond the
bot's (BOT_NOT_FOUND_URL, Viasna's by default). A birth year or region typed
with the name that none of them fits is said first (``SearchResult.unmet``).
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from urllib.parse import quote

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from cases.search import MAX_CHOICES, SearchResult, name_part
from config import NOT_FOUND_LANGUAGES
from handlers.shared.namesakes import lines_told_apart
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, echo, edit_or_send, send
from handlers.shared.services import Services, services

PICK_PREFIX = "pick:"
CHOICES_KEY = "namesake_choices"
CHOICES_KEPT = 2000  # open choices kept, across all chats; the oldest go first


def choice_view(
    app: Services,
    lang: str,
    token: str,
    slugs: tuple[str, ...],
    page: int,
    prefix: str,
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
    prefix: str,
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
    values = {"total": total, "page": page, "pages": pages, **_unmet_values(update, query, result)}
    await send(update, context, "choose", lang, keyboard, **values)


async def offer_suggestions(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    lang: str,
    query: str,
    result: SearchResult,
    prefix: str,
) -> None:
    """Say whom a name that names nobody for sure may mean, likeliest first (their
    buttons open ``prefix`` + slug), or that nobody; and where else to search."""
    app = services(context)
    suggestions = [case for slug in result.suggestions if (case := app.catalogue.get(slug))]
    # Told apart like the people of a choice: near names are often namesakes.
    told_apart = lines_told_apart(app, lang, suggestions)
    lines = [told_apart[case.slug] for case in suggestions]
    rows = [
        [InlineKeyboardButton(line, callback_data=prefix + case.slug)]
        for line, case in zip(lines, suggestions, strict=True)
    ]
    values = _unmet_values(update, query, result)
    elsewhere = elsewhere_url(app.settings.not_found_url, lang, values["query"])
    if elsewhere:
        label = "🔎 " + app.messages.label("btn_search_elsewhere", lang)
        rows.append([InlineKeyboardButton(label, url=elsewhere)])
    keyboard = InlineKeyboardMarkup(rows) if rows else None
    await send(
        update,
        context,
        "not_found",
        lang,
        keyboard,
        suggestions=lines,
        elsewhere=bool(elsewhere),
        **values,
    )


def elsewhere_url(template: str | None, lang: str, query: str | None) -> str | None:
    """Where to search for ``query`` beyond the bot (BOT_NOT_FOUND_URL), in the reader's
    language where that list has it; the name URL-encoded, without the words of a
    question around it. None: no such list. ``query`` None (a group, where nothing
    typed is repeated): the list with no name."""
    if not template:
        return None
    name = " ".join(name_part(query or "").split())
    language = lang if lang in NOT_FOUND_LANGUAGES else "en"
    return template.format(lang=language, query=quote(name, safe=""))


def _unmet_values(update: Update, query: str, result: SearchResult) -> dict:
    """The query a reply may quote (the name alone when a year or region typed with it
    fits nobody) and what fits nobody."""
    unmet = result.unmet
    return {
        "query": echo(update, unmet.name if unmet else query),
        "unmet_year": unmet.year if unmet else None,
        "unmet_regions": list(unmet.regions) if unmet else [],
    }


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
    values |= {"unmet_year": None, "unmet_regions": []}
    await edit_or_send(update, context, "choose", lang, keyboard, **values)


def handlers() -> list:
    return [CallbackQueryHandler(pick_page, pattern=f"^{PICK_PREFIX}")]
