"""/update and /setstatus: a dated event or a new status for one case, previewed first.

The name is found with the same search people use; an ambiguous or
unknown name gets buttons to choose, and the request waits for the choice.
The preview shows the alert exactly as subscribers will get it and how many
chats that is; nothing is saved before Confirm (``handlers.upkeep.case_admin``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from alerts.case_changes import Plan
from cases.edit_words import EditProblem
from cases.edits import (
    StatusRequest,
    parse_setstatus,
    split_update,
    validated,
    with_event,
    with_status,
)
from cases.model import Case
from handlers.shared.admin_access import admin_callback, admin_command
from handlers.shared.choices import offer_choice
from handlers.shared.namesakes import lines_told_apart
from handlers.shared.replies import chat_language, send, send_parts
from handlers.shared.services import services
from handlers.upkeep.case_admin import (
    PLANS_KEY,
    alert_preview,
    confirm_keyboard,
    drop_buttons,
    keep,
)
from languages import LANGUAGES
from messages.case_texts import status_event
from storage.cases import MergeReport

PICK_PREFIX = "cadm:pick:"
REQUESTS_KEY = "case_admin_requests"
MAX_OPEN_REQUESTS = 5


# An /update's preview, by its plan's token: the case and the request, so a
# translation added afterwards (handlers/upkeep/translations.py) can redo it.
EDITS_KEY = "case_edit_previews"
TRANSLATE_PREFIX = "cadm:tr:"


@dataclass(frozen=True)
class EditRequest:
    action: str  # case.update | case.status
    name: str
    lang: str  # the event text is stored under the admin's language too
    text: str = ""
    url: str | None = None
    status: StatusRequest | None = None
    translations: tuple[tuple[str, str], ...] = ()  # (language, text) added after the command

    def languages_missing(self) -> list[str]:
        """The languages the entry may still be written in: English first, if it was not.

        An /update's entry is written in the editor's language with the
        command. A status change's timeline entry is standard wording in every
        language; the editor's note under it ("taken to Lithuania") is optional
        and starts in no language at all.
        """
        given = {language for language, _ in self.translations}
        if self.action == "case.update":
            given.add(self.lang)
        return [language for language in LANGUAGES if language not in given]


def command_text(update: Update) -> str:
    """What follows the command, line breaks kept (they may end the name)."""
    parts = (update.effective_message.text or "").split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


async def update_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Add a dated event to a case's timeline, after a preview."""
    lang = await chat_language(update, context)
    try:
        name, text, url = split_update(command_text(update), services(context).catalogue.search)
    except EditProblem as problem:
        await send(update, context, "case_problem", lang, problem=problem.key, **problem.values)
        return
    await resolve(update, context, EditRequest("case.update", name, lang, text=text, url=url))


async def setstatus_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Change a case's status, with its date and source, after a preview."""
    lang = await chat_language(update, context)
    try:
        request = parse_setstatus(command_text(update), services(context).today())
    except EditProblem as problem:
        await send(update, context, "case_problem", lang, problem=problem.key, **problem.values)
        return
    await resolve(update, context, EditRequest("case.status", request.name, lang, status=request))


async def resolve(update: Update, context: ContextTypes.DEFAULT_TYPE, request: EditRequest) -> None:
    """Preview at once for a single match; else offer the candidates (or the nearest
    names) as buttons, and keep the request until one is pressed."""
    catalogue = services(context).catalogue
    exact = catalogue.get(request.name.strip().lower())
    if exact is not None:  # a slug names one case whatever the search thinks
        await preview(update, context, exact, request)
        return
    result = catalogue.search(request.name)
    if result.kind == "match":
        await preview(update, context, catalogue.get(result.slugs[0]), request)
        return
    requests: dict[str, EditRequest] = context.user_data.setdefault(REQUESTS_KEY, {})
    while len(requests) >= MAX_OPEN_REQUESTS:
        requests.pop(next(iter(requests)))
    token = secrets.token_hex(4)
    requests[token] = request
    if result.kind == "choose":
        # Every namesake within reach, eight a page and each told apart, as /defender
        # offers them: an editor must never change the wrong one.
        prefix = f"{PICK_PREFIX}{token}:"
        await offer_choice(update, context, request.lang, request.name, result, prefix)
        return
    candidates = [catalogue.get(slug) for slug in result.suggestions]
    lines = lines_told_apart(services(context), request.lang, candidates)
    buttons = [
        [
            InlineKeyboardButton(
                lines[case.slug],
                callback_data=f"{PICK_PREFIX}{token}:{case.slug}",
            )
        ]
        for case in candidates
    ]
    await send(
        update,
        context,
        "case_pick",
        request.lang,
        InlineKeyboardMarkup(buttons) if buttons else None,
        kind=result.kind,
        query=request.name,
        names=[lines[case.slug] for case in candidates],
    )


async def pick_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The admin chose which case they meant."""
    query = update.callback_query
    await query.answer()
    token, _, slug = query.data.removeprefix(PICK_PREFIX).partition(":")
    request = context.user_data.get(REQUESTS_KEY, {}).pop(token, None)
    await drop_buttons(query)
    lang = await chat_language(update, context)
    case = services(context).catalogue.get(slug)
    if request is None or case is None:
        await send(update, context, "case_done", lang, result="expired")
        return
    await preview(update, context, case, request)


def changed_case(context: ContextTypes.DEFAULT_TYPE, case: Case, request: EditRequest) -> Case:
    today = services(context).today()
    if request.status is not None:
        # The change goes on the timeline too, written in every language.
        entry = status_event(services(context).messages, case.status, request.status.status)
        after = with_status(case, request.status, today, entry)
        return validated(with_note(after, request), today)
    translations = dict(request.translations)
    if request.url is not None:
        after = with_event(
            case, request.text, request.lang, today, request.url, translations=translations
        )
        return validated(after, today)
    # No link given: the entry cites the editors, with a link to this bot.
    editors = f"https://t.me/{context.bot.username}"
    messages = services(context).messages
    title = {
        language: messages.label("editors_source", language, bot=context.bot.username)
        for language in LANGUAGES
    }
    after = with_event(
        case, request.text, request.lang, today, editors, title, translations=translations
    )
    return validated(after, today)


def with_note(case: Case, request: EditRequest) -> Case:
    """The status change's note, if the editor wrote one, under it on the timeline.

    Dated and sourced like the change itself. Written in a language other than
    English, it stands for English too until an English note is given, as an
    /update's entry does.
    """
    notes = dict(request.translations)
    if not notes:
        return case
    language = "en" if "en" in notes else next(iter(notes))
    status = request.status
    return with_event(case, notes[language], language, status.on, status.url, translations=notes)


async def preview(
    update: Update, context: ContextTypes.DEFAULT_TYPE, case: Case, request: EditRequest
) -> None:
    """Show the change and its alert, with Confirm and Cancel."""
    lang = request.lang
    try:
        after = changed_case(context, case, request)
        if after == case:
            raise EditProblem("no_change")
    except EditProblem as problem:
        await send(update, context, "case_problem", lang, problem=problem.key, **problem.values)
        return
    app = services(context)
    kind, parts, audience = await alert_preview(app, case, after, lang)
    details = {"alert": kind} if kind else {}
    token = keep(
        context, Plan(request.action, [after], MergeReport(changed=[(case, after)]), details)
    )
    keyboard = confirm_keyboard(context, lang, token)
    # The entry in the other languages (for a status change, a note under it),
    # one button each: skipping them is fine.
    if request.action == "case.update" or after.status != case.status:
        edits = context.user_data.setdefault(EDITS_KEY, {})
        edits[token] = (case.slug, request)
        for old in [key for key in edits if key not in context.user_data[PLANS_KEY]]:
            edits.pop(old)  # their plans expired
        label = app.messages.label
        button_label = "btn_add_translation" if request.action == "case.update" else "btn_add_note"
        offer = [
            InlineKeyboardButton(
                label(button_label, lang, code=language),
                callback_data=f"{TRANSLATE_PREFIX}{token}:{language}",
            )
            for language in request.languages_missing()
        ]
        if offer:
            keyboard = InlineKeyboardMarkup([*keyboard.inline_keyboard, offer])
    await send(
        update,
        context,
        "case_preview",
        lang,
        None if parts else keyboard,
        action=request.action,
        before=case,
        after=after,
        text=request.text,
        translations=list(request.translations),
        url=request.url,
        kind=kind,
        audience=audience,
        today=app.today(),
    )
    if parts:
        await send_parts(update, context, parts, keyboard)


def handlers() -> list:
    return [
        admin_command("update", update_command),
        admin_command("setstatus", setstatus_command),
        admin_callback(pick_button, pattern=f"^{PICK_PREFIX}"),
    ]
