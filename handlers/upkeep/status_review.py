"""Confirming stale statuses: the buttons under the editors' questions, and /review.

"Still true" confirms the status as of today: the case's
``status_confirmed_on`` becomes today, committed like every case change
(``case_admin.commit``): audited, and the case's alerts held back today
released in the same transaction, so they go out even when the answer
comes after the alert time. The button carries the status it was asked
about, and confirms nothing if the status changed since. "It changed"
answers with /setstatus filled in for the case. /review walks the stale
statuses, the longest unconfirmed first, one card at a time.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from alerts import service as alert_runtime  # the module: alerts.service imports handlers
from alerts.case_changes import Plan, StaleCases
from alerts.held import release_waiting
from alerts.texts import CONFIRM_PREFIX, confirm_buttons
from cases.edits import confirmed
from cases.facts import card_facts, stale_cases, status_age, status_check
from cases.model import Case, localised
from handlers.shared.admin_access import admin_callback, admin_command
from handlers.shared.replies import chat_language, send, send_parts
from handlers.shared.services import services
from handlers.upkeep.case_admin import commit
from storage import held_alerts as held_store
from storage.cases import MergeReport
from storage.db import transaction

REVIEW_PREFIX = "rvw:"
# The cases this editor passed over in the current /review ("Next", "It changed").
PASSED_KEY = "review_passed"


async def confirm(
    update: Update, context: ContextTypes.DEFAULT_TYPE, slug: str, check: str, lang: str
) -> bool:
    """Confirm the case's status as of today and say so; False when nothing was confirmed."""
    app = services(context)
    case = app.catalogue.get(slug)
    today = app.today()
    values = {"name": localised(case.name, lang) if case else slug, "today": today}
    if case is None:
        await send(update, context, "status_confirmed", lang, result="missing", **values)
        return False
    values.update(status=case.status, as_of=case.status_as_of)
    if status_check(case) != check:
        # Another editor or an import changed it after the question was asked.
        await send(update, context, "status_confirmed", lang, result="changed", **values)
        return False
    if case.status_confirmed_on == today:
        # Confirmed already: anything held back since (a daily run that read the
        # case just before the confirmation) goes out now all the same.
        async with transaction(app.db):
            queued = await release_waiting(
                app.db, case, today=today, stale_days=app.settings.stale_days
            )
        if queued:
            alert_runtime.alert_service(context.application).wake()
        await send(update, context, "status_confirmed", lang, result="already", **values)
        return True
    held = len(await held_store.waiting(app.db, [slug], today))
    after = confirmed(case, today)
    plan = Plan("case.confirm", [after], MergeReport(changed=[(case, after)]))
    try:
        _, queued = await commit(app, plan, update.effective_user.id, today)
    except StaleCases:
        await send(update, context, "status_confirmed", lang, result="changed", **values)
        return False
    if queued:
        alert_runtime.alert_service(context.application).wake()
    held = held if after.is_held else 0
    await send(update, context, "status_confirmed", lang, result="confirmed", held=held, **values)
    return True


async def changed(update: Update, context: ContextTypes.DEFAULT_TYPE, slug: str, lang: str):
    """Say how to set the new status of the case, with its slug filled in."""
    app = services(context)
    case = app.catalogue.get(slug)
    name = localised(case.name, lang) if case else slug
    await send(update, context, "status_change_help", lang, name=name, slug=slug, today=app.today())


async def question_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Still true or It changed, under a question or the weekly review."""
    query = update.callback_query
    await query.answer()
    lang = await chat_language(update, context)
    op, _, rest = query.data.removeprefix(CONFIRM_PREFIX).partition(":")
    slug, _, check = rest.partition(":")
    if op == "ok":
        await confirm(update, context, slug, check, lang)
    else:
        await changed(update, context, slug, lang)


async def review_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Go through the stale statuses, the longest unconfirmed first."""
    context.user_data[PASSED_KEY] = set()
    await show_next(update, context, await chat_language(update, context))


async def show_next(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str) -> None:
    """The next stale case's card with Still true, It changed and Next; or the end."""
    app = services(context)
    today, stale_days = app.today(), app.settings.stale_days
    passed = context.user_data.setdefault(PASSED_KEY, set())
    stale = stale_cases(app.catalogue.ordered, today, stale_days)
    left = [case for case in stale if case.slug not in passed]
    if not left:
        await send(update, context, "review_done", lang, stale=len(stale), stale_days=stale_days)
        return
    case = left[0]
    await send(
        update,
        context,
        "review_header",
        lang,
        left=len(left),
        name=localised(case.name, lang),
        days=status_age(case, today),
    )
    parts = app.messages.parts(
        "card", lang, case=case, facts=card_facts(case, lang, today, stale_days)
    )
    await send_parts(update, context, parts, review_keyboard(context, case, lang))


def review_keyboard(context: ContextTypes.DEFAULT_TYPE, case: Case, lang: str):
    messages = services(context).messages
    buttons = confirm_buttons(messages, lang, case.slug, status_check(case), prefix=REVIEW_PREFIX)
    next_button = InlineKeyboardButton(
        messages.label("btn_review_next", lang), callback_data=f"{REVIEW_PREFIX}next:{case.slug}"
    )
    return InlineKeyboardMarkup([buttons, [next_button]])


async def review_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button under a /review card: confirm and go on, say it changed, or pass."""
    query = update.callback_query
    await query.answer()
    lang = await chat_language(update, context)
    op, _, rest = query.data.removeprefix(REVIEW_PREFIX).partition(":")
    slug, _, check = rest.partition(":")
    passed = context.user_data.setdefault(PASSED_KEY, set())
    if op == "ok":
        if not await confirm(update, context, slug, check, lang):
            passed.add(slug)
    elif op == "chg":
        passed.add(slug)
        await changed(update, context, slug, lang)
        return  # the editor has a /setstatus to send; /review goes on afterwards
    else:
        passed.add(slug)
    await show_next(update, context, lang)


def handlers() -> list:
    return [
        admin_command("review", review_command),
        admin_callback(question_button, pattern=f"^{CONFIRM_PREFIX}(ok|chg):"),
        admin_callback(review_button, pattern=f"^{REVIEW_PREFIX}(ok|chg|next):"),
    ]
