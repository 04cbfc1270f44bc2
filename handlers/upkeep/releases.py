"""/releases: a list of people released on one day, applied in one go.

The editor pastes the list (in one message or several), then gives the day,
the new status and the source. Every line is matched with the name search
(``cases.releases``) and the preview shows three groups: matched (name ->
card), uncertain (a button per possible case, and Skip), and not in the
data. Confirm releases every matched person still held in one transaction,
each with a timeline entry, an audit entry and one release alert
(``case_admin.commit``); nothing changes for the other lines. Applying the
same list again changes nothing: those people are free by then.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, ConversationHandler, filters

from alerts import service as alert_runtime  # the module: alerts.service imports handlers
from alerts.case_changes import Plan, StaleCases
from cases.edit_words import EditProblem, check_url, parse_date
from cases.model import RELEASED_STATUSES, localised
from cases.releases import (
    MAX_LINES,
    ReleaseLine,
    ReleaseRequest,
    changes,
    chosen,
    match_lines,
    names_in,
)
from handlers.shared.admin_access import admin_callback, admin_command, admin_message
from handlers.shared.admin_conversation import DraftKept, Said, admin_conversation
from handlers.shared.namesakes import lines_told_apart
from handlers.shared.replies import chat_language, edit_or_send, send
from handlers.shared.services import services
from handlers.upkeep.case_admin import commit, drop_buttons
from messages.case_texts import status_event
from storage.cases import MergeReport

LIST, DATE, STATUS, SOURCE = range(4)
DRAFT_KEY = "releases_draft"  # the list being asked for, in the conversation
PREVIEWS_KEY = "releases_previews"  # lists shown with Confirm, by token
STEP_PREFIX = "relstep:"
PREFIX = "rel:"
MAX_OPEN_PREVIEWS = 3
MAX_NOT_FOUND_SHOWN = 30  # the rest of a long list are counted, not listed


@dataclass
class Draft:
    lang: str
    names: list[tuple[int, str]] = field(default_factory=list)
    on: object = None  # a date once given
    status: str | None = None


# /cancel, or a long silence, drops the list being entered.
DRAFT = DraftKept(
    DRAFT_KEY,
    cancelled=Said("releases_done", {"result": "cancelled"}),
    timed_out=Said("releases_done", {"result": "timeout"}),
    language=lambda draft: draft.lang,
)


@dataclass
class Preview:
    lang: str
    lines: list[ReleaseLine]
    request: ReleaseRequest


def step_keyboard(context, lang: str, step: str):
    app, label = services(context), services(context).messages.label
    if step == "list_more":
        rows = [[InlineKeyboardButton(label("btn_next", lang), callback_data=f"{STEP_PREFIX}next")]]
    elif step == "date":
        today = app.today()
        text = label("btn_today", lang, day=today)
        rows = [[InlineKeyboardButton(text, callback_data=f"{STEP_PREFIX}today")]]
    elif step == "status":
        rows = [
            [
                InlineKeyboardButton(
                    label("status", lang, value=status), callback_data=f"{STEP_PREFIX}={status}"
                )
            ]
            for status in sorted(RELEASED_STATUSES)
        ]
    else:
        return None
    return InlineKeyboardMarkup(rows)


async def ask(update, context, step: str, problem: EditProblem | None = None, **values) -> None:
    lang = context.user_data[DRAFT_KEY].lang
    await send(
        update,
        context,
        "releases_ask",
        lang,
        step_keyboard(context, lang, step),
        step=step,
        problem=problem.key if problem else None,
        values={**(problem.values if problem else {}), **values},
    )


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Ask for the list of names."""
    context.user_data[DRAFT_KEY] = Draft(await chat_language(update, context))
    await ask(update, context, "list")
    return LIST


async def take_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A part of the list: its names are added; more may follow."""
    draft: Draft = context.user_data[DRAFT_KEY]
    offset = draft.names[-1][0] if draft.names else 0
    names = [(offset + number, name) for number, name in names_in(update.effective_message.text)]
    if not names:
        await ask(update, context, "list", EditProblem("no_names"))
        return LIST
    if len(draft.names) + len(names) > MAX_LINES:
        await ask(update, context, "list", EditProblem("too_many", limit=MAX_LINES))
        return LIST
    draft.names += names
    await ask(update, context, "list_more", count=len(draft.names))
    return LIST


async def list_done(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Next: the list is complete."""
    await update.callback_query.answer()
    await drop_buttons(update.callback_query)
    await ask(update, context, "date")
    return DATE


async def take_date(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The day of the release, typed or Today."""
    draft: Draft = context.user_data[DRAFT_KEY]
    today = services(context).today()
    if update.callback_query is not None:
        await update.callback_query.answer()
        await drop_buttons(update.callback_query)
        draft.on = today
    else:
        try:
            draft.on = parse_date(update.effective_message.text.strip(), today)
        except EditProblem as problem:
            await ask(update, context, "date", problem)
            return DATE
    await ask(update, context, "status")
    return STATUS


async def take_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Released, or in exile."""
    query = update.callback_query
    await query.answer()
    status = query.data.removeprefix(f"{STEP_PREFIX}=")
    if status not in RELEASED_STATUSES:
        return STATUS
    await drop_buttons(query)
    context.user_data[DRAFT_KEY].status = status
    await ask(update, context, "source")
    return SOURCE


async def take_source(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The link to the report; then the matches, with Confirm."""
    draft: Draft = context.user_data[DRAFT_KEY]
    try:
        url = check_url(update.effective_message.text.strip())
    except EditProblem as problem:
        await ask(update, context, "source", problem)
        return SOURCE
    context.user_data.pop(DRAFT_KEY)
    catalogue = services(context).catalogue
    preview = Preview(
        draft.lang,
        match_lines(draft.names, catalogue.search, catalogue.get),
        ReleaseRequest(draft.on, draft.status, url),
    )
    previews: dict[str, Preview] = context.user_data.setdefault(PREVIEWS_KEY, {})
    while len(previews) >= MAX_OPEN_PREVIEWS:
        previews.pop(next(iter(previews)))
    token = secrets.token_hex(4)
    previews[token] = preview
    await show(update, context, token, preview)
    return ConversationHandler.END


def planned(context, preview: Preview):
    """Who the list releases now, and whose release the data refuses (and why)."""
    app = services(context)
    messages = app.messages

    def entry(case):
        return status_event(messages, case.status, preview.request.status)

    return changes(preview.lines, preview.request, app.catalogue.get, app.today(), entry)


async def show(update, context, token: str, preview: Preview, edit: bool = False) -> None:
    """The three groups, buttons for the first unresolved uncertain line, Confirm and Cancel."""
    app = services(context)
    lang, label = preview.lang, app.messages.label

    def name(slug: str) -> str:
        return localised(app.catalogue.get(slug).name, lang)

    def told_apart(slugs) -> dict[str, str]:
        # Uncertain lines are mostly namesakes: each button says who it is.
        return lines_told_apart(app, lang, [app.catalogue.get(slug) for slug in slugs])

    plan = planned(context, preview)
    matched = [
        {
            "text": line.text,
            "name": name(line.slug),
            "slug": line.slug,
            "kind": "refused" if line.slug in plan.refused else line.kind,
            "why": plan.refused.get(line.slug, ""),
        }
        for line in preview.lines
        if line.kind in ("matched", "free", "repeated")
    ]
    uncertain = [line for line in preview.lines if line.kind == "uncertain"]
    undecided = [line for line in preview.lines if line.kind in ("uncertain", "skipped")]
    not_found = [line.text for line in preview.lines if line.kind == "not_found"]
    pairs = plan.pairs
    rows = []
    if uncertain:
        line = uncertain[0]
        index = preview.lines.index(line)
        lines = told_apart(line.candidates)
        rows += [
            [
                InlineKeyboardButton(
                    lines[slug], callback_data=f"{PREFIX}pick:{token}:{index}:{slug}"
                )
            ]
            for slug in line.candidates
        ]
        skip = label("case_btn_skip", lang)
        rows.append([InlineKeyboardButton(skip, callback_data=f"{PREFIX}skip:{token}:{index}")])
    rows.append(
        [
            InlineKeyboardButton(
                label("btn_apply_releases", lang, count=len(pairs)),
                callback_data=f"{PREFIX}ok:{token}",
            ),
            InlineKeyboardButton(
                label("case_btn_cancel", lang), callback_data=f"{PREFIX}no:{token}"
            ),
        ]
    )
    values = {
        "request": preview.request,
        "matched": matched,
        "uncertain": [
            {
                "text": line.text,
                "names": list(told_apart(line.candidates).values()),
                "skipped": line.kind == "skipped",
            }
            for line in undecided
        ],
        "not_found": not_found[:MAX_NOT_FOUND_SHOWN],
        "more_not_found": max(0, len(not_found) - MAX_NOT_FOUND_SHOWN),
        "changing": len(pairs),
    }
    reply = edit_or_send if edit else send
    await reply(update, context, "releases_preview", lang, InlineKeyboardMarkup(rows), **values)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A choice for an uncertain line, Skip, Confirm or Cancel."""
    query = update.callback_query
    await query.answer()
    op, _, rest = query.data.removeprefix(PREFIX).partition(":")
    token, _, more = rest.partition(":")
    previews: dict[str, Preview] = context.user_data.get(PREVIEWS_KEY, {})
    preview = previews.get(token)
    if preview is None:
        await drop_buttons(query)
        lang = await chat_language(update, context)
        await send(update, context, "releases_done", lang, result="expired")
        return
    if op in ("pick", "skip"):
        index_text, _, slug = more.partition(":")
        index = int(index_text) if index_text.isdigit() else -1
        if not 0 <= index < len(preview.lines) or preview.lines[index].kind != "uncertain":
            return  # pressed twice, or an older preview's button
        line = preview.lines[index]
        catalogue = services(context).catalogue
        if op == "pick" and slug in line.candidates and catalogue.get(slug) is not None:
            preview.lines[index] = chosen(line, slug, catalogue.get)
        else:
            preview.lines[index] = replace(line, kind="skipped")
        await show(update, context, token, preview, edit=True)
        return
    previews.pop(token)
    await drop_buttons(query)
    if op != "ok":
        await send(update, context, "releases_done", preview.lang, result="cancelled")
        return
    await apply(update, context, preview)


async def apply(update: Update, context: ContextTypes.DEFAULT_TYPE, preview: Preview) -> None:
    """Release every matched person still held, in one transaction."""
    app = services(context)
    pairs = planned(context, preview).pairs
    if not pairs:
        await send(update, context, "releases_done", preview.lang, result="nothing")
        return
    request = preview.request
    details = {"date": request.on.isoformat(), "status": request.status, "url": request.url}
    plan = Plan("case.releases", [after for _, after in pairs], MergeReport(changed=pairs), details)
    try:
        report, queued = await commit(app, plan, update.effective_user.id, app.today())
    except StaleCases:
        await send(update, context, "releases_done", preview.lang, result="stale")
        return
    if queued:
        alert_runtime.alert_service(context.application).wake()
    names = [localised(after.name, preview.lang) for _, after in report.changed]
    await send(
        update, context, "releases_done", preview.lang, result="saved", names=names, queued=queued
    )


def handlers() -> list:
    text = filters.TEXT & ~filters.COMMAND
    # Each button names its step.
    steps = {
        LIST: [
            admin_message(text, take_list),
            admin_callback(list_done, pattern=f"^{STEP_PREFIX}next$"),
        ],
        DATE: [
            admin_message(text, take_date),
            admin_callback(take_date, pattern=f"^{STEP_PREFIX}today$"),
        ],
        STATUS: [admin_callback(take_status, pattern=f"^{STEP_PREFIX}=")],
        SOURCE: [admin_message(text, take_source)],
    }
    conversation = admin_conversation(
        "releases",
        admin_command("releases", begin),
        steps,
        cancel=DRAFT.cancel,
        timed_out=DRAFT.time_out,
    )
    return [conversation, admin_callback(button, pattern=f"^{PREFIX}(pick|skip|ok|no):")]
