"""The preview of /newstatement: the statement as subscribers will get it, whom it
names, whom it reaches; then Publish, Change defenders, its other languages
(``handlers.publishing.translations``) or Cancel.

The draft is stored when the preview is first shown, so the preview carries
the statement's real number; Cancel, /cancel or the timeout delete it.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, ConversationHandler

from alerts.service import alert_service
from cases.model import localised
from handlers.publishing.progress import cancel_command, start_progress
from handlers.publishing.steps import (
    BUTTON_PREFIX,
    DEFENDERS,
    DRAFT_KEY,
    PREVIEW,
    Draft,
    draft_of,
    drop_draft,
)
from handlers.shared.namesakes import names_told_apart
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, edit_or_send, send, send_parts
from handlers.shared.services import services
from handlers.shared.statement_counts import reload_counts
from handlers.shared.statement_languages import missing_languages, translate_rows
from languages import LANGUAGES
from statements import publishing
from statements import summary as statement_summary
from storage import statements as statement_store
from storage.statement_audience import audience
from storage.statements import Statement

TOGGLES_PER_PAGE = 8


def preview_keyboard(
    context: ContextTypes.DEFAULT_TYPE, lang: str, statement: Statement
) -> InlineKeyboardMarkup:
    """Publish, Change defenders, the statement's other languages (optional), Cancel."""
    messages = services(context).messages
    label = messages.label
    missing = missing_languages(statement.language, statement.translations)
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label("btn_publish", lang), callback_data=f"{BUTTON_PREFIX}go")],
            [
                InlineKeyboardButton(
                    label("btn_change_defenders", lang), callback_data=f"{BUTTON_PREFIX}defenders"
                )
            ],
            *translate_rows(messages, lang, statement.id, missing),
            [
                InlineKeyboardButton(
                    label("btn_discard", lang), callback_data=f"{BUTTON_PREFIX}discard"
                )
            ],
        ]
    )


def linked_cases(context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> list:
    """The linked defenders still in the catalogue (an import may remove one meanwhile)."""
    found = (services(context).catalogue.get(slug) for slug in draft.slugs)
    return [case for case in found if case is not None]


async def summary_values(
    context: ContextTypes.DEFAULT_TYPE, draft: Draft, statement: Statement, more: bool
) -> dict:
    app = services(context)
    reach = await audience(app.db, draft.slugs)
    names = [localised(case.name, draft.language) for case in linked_cases(context, draft)]
    languages = [
        {
            "name": app.messages.label("language_name", draft.language, code=code),
            "count": reach.by_language[code],
        }
        for code in LANGUAGES
        if reach.by_language.get(code)
    ]
    # The same words published before: said above Publish, which stays the admin's call.
    earlier = await publishing.earlier_twin(app.db, draft.parsed.body_html, draft.statement_id)
    return {
        "earlier": earlier,
        "statement_id": draft.statement_id,
        "more": more,
        "names": names,
        "total": reach.total,
        "languages": languages,
        "channels": reach.channels,
        "written_in": statement.language,
        "given": sorted(statement.translations),
        "missing": missing_languages(statement.language, statement.translations),
    }


async def stored(context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> Statement:
    """The draft as stored, with the languages editors gave it since."""
    return await statement_store.get_statement(
        services(context).db, draft.statement_id, drafts=True
    )


async def show_preview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Store the draft, then show it as subscribers will see it, and what publishing does."""
    app = services(context)
    draft = draft_of(context)
    draft.slugs = publishing.mentioned(app.catalogue, draft.parsed.body_html, draft.title)
    draft.statement_id = await publishing.save_draft(
        app.db,
        draft.title,
        draft.on_date,
        draft.source_url,
        draft.parsed.body_html,
        draft.slugs,
        update.effective_user.id,
        draft.language,
    )
    statement = await stored(context, draft)
    alert_payload = statement_summary.statement_payload(statement, app.messages)
    # The very render the sender uses for a chat in the admin's language.
    await send_parts(
        update, context, statement_summary.render(app.messages, alert_payload, draft.language)
    )
    values = await summary_values(context, draft, statement, alert_payload["more"])
    await send(
        update,
        context,
        "publish_summary",
        draft.language,
        preview_keyboard(context, draft.language, statement),
        **values,
    )
    return PREVIEW


def defenders_keyboard(context: ContextTypes.DEFAULT_TYPE, draft: Draft) -> InlineKeyboardMarkup:
    """Linked defenders first, then everyone else, a page at a time."""
    app = services(context)
    label = app.messages.label
    lang = draft.language
    linked = linked_cases(context, draft)
    others = [case for case in app.catalogue.ordered if case.slug not in draft.slugs]
    everyone = linked + others
    draft.page, pages = clamp_page(len(everyone), draft.page, TOGGLES_PER_PAGE)
    shown = everyone[(draft.page - 1) * TOGGLES_PER_PAGE : draft.page * TOGGLES_PER_PAGE]
    # Told apart among everyone, so a namesake reads the same on every page.
    names = names_told_apart(app, lang, shown, among=everyone)
    rows = [
        [
            InlineKeyboardButton(
                label("btn_linked", lang, name=names[case.slug])
                if case.slug in draft.slugs
                else names[case.slug],
                callback_data=f"{BUTTON_PREFIX}toggle:{case.slug}",
            )
        ]
        for case in shown
    ]
    paging = paging_row(
        app.messages, lang, draft.page, pages, lambda number: f"{BUTTON_PREFIX}page:{number}"
    )
    if paging:
        rows.append(paging)
    rows.append(
        [
            InlineKeyboardButton(
                label("btn_back_to_preview", lang), callback_data=f"{BUTTON_PREFIX}back"
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


async def show_defenders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    draft = draft_of(context)
    await edit_or_send(
        update,
        context,
        "publish_defenders",
        draft.language,
        defenders_keyboard(context, draft),
        statement_id=draft.statement_id,
        linked=len(draft.slugs),
    )
    return DEFENDERS


async def change_defenders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Change defenders: the toggles replace the summary."""
    await update.callback_query.answer()
    return await show_defenders(update, context)


async def toggle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Link or unlink one defender; turn the page of toggles."""
    query = update.callback_query
    await query.answer()
    draft = draft_of(context)
    app = services(context)
    action, _, value = query.data.removeprefix(BUTTON_PREFIX).partition(":")
    if action == "page" and value.isdigit():
        draft.page = int(value)
    elif action == "toggle" and app.catalogue.get(value) is not None:
        if value in draft.slugs:
            draft.slugs.remove(value)
        else:
            draft.slugs.append(value)
        await publishing.relink(app.db, draft.statement_id, draft.slugs)
    return await show_defenders(update, context)


async def back_to_preview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Back from the toggles: the summary again, with the new audience."""
    await update.callback_query.answer()
    draft = draft_of(context)
    statement = await stored(context, draft)
    more = statement_summary.statement_payload(statement, services(context).messages)["more"]
    values = await summary_values(context, draft, statement, more)
    await edit_or_send(
        update,
        context,
        "publish_summary",
        draft.language,
        preview_keyboard(context, draft.language, statement),
        **values,
    )
    return PREVIEW


# Set while Publish runs (user_data: the admin's own), so a /cancel then is the broadcast's.
PUBLISHING_KEY = "statement_publishing"


async def publish_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Publish: store, queue for every chat once, audit, and watch it go out."""
    query = update.callback_query
    await query.answer()
    await query.edit_message_reply_markup(None)
    draft = context.user_data.pop(DRAFT_KEY, None)
    if draft is None or draft.statement_id is None:
        return ConversationHandler.END
    # Until this returns, the conversation is open: a /cancel meanwhile reaches its
    # fallback (``discard``), which must stop the broadcast, not the draft.
    context.user_data[PUBLISHING_KEY] = True
    try:
        app = services(context)
        published = await publishing.publish(
            app.db, draft.statement_id, app.messages, update.effective_user.id
        )
        if published is None:  # pressed twice, or discarded meanwhile
            return ConversationHandler.END
        alert_service(context.application).wake()
        await reload_counts(context)
        await start_progress(update, context, published, draft.title, draft.language)
        await offer_languages(update, context, published.statement_id, draft.language)
        return ConversationHandler.END
    finally:
        context.user_data.pop(PUBLISHING_KEY, None)


async def offer_languages(
    update: Update, context: ContextTypes.DEFAULT_TYPE, statement_id: int, lang: str
) -> None:
    """After Publish: the languages the statement may still be given in, one button each."""
    app = services(context)
    statement = await statement_store.get_statement(app.db, statement_id)
    missing = missing_languages(statement.language, statement.translations)
    if not missing:
        return
    rows = translate_rows(app.messages, lang, statement_id, missing)
    await send(
        update,
        context,
        "statement_languages",
        lang,
        InlineKeyboardMarkup(rows),
        statement_id=statement_id,
        written_in=statement.language,
        given=sorted(statement.translations),
    )


async def discard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Cancel (button or /cancel): the draft and its stored row go."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    if context.user_data.get(PUBLISHING_KEY) and update.callback_query is None:
        # Publish has the draft and its broadcast is going out; the conversation ends
        # only when Publish has finished answering: this /cancel is the broadcast's.
        await cancel_command(update, context)
        return ConversationHandler.END
    draft = await drop_draft(context)
    lang = draft.language if draft else await chat_language(update, context)
    await send(update, context, "publish_discarded", lang)
    return ConversationHandler.END
