"""What every case-editing command shares: a planned change, its preview, its commit.

/update, /setstatus, /addcase and a cases-file upload each build a ``Plan``
and show it with Confirm and Cancel; the plan waits in the admin's
user_data under a short token that the buttons carry. Confirm applies it
(``alerts.case_changes``, as the command line does): the cases, the alerts
they cause and the audit entries land together or not at all, and never
over a change made since the preview.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from datetime import date

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from alerts import service as alert_runtime  # the module: alerts.service imports handlers
from alerts.case_changes import Plan, StaleCases, apply_plan
from alerts.kinds import kind_of
from alerts.texts import alert_parts
from alerts.updates import change_alert
from cases.model import Case, localised
from handlers.shared.admin_access import admin_callback
from handlers.shared.replies import chat_language, send
from handlers.shared.services import Services, services
from storage import audience
from storage.cases import MergeReport
from storage.deliveries import Delivery

PLAN_PREFIX = "cadm:"
PLANS_KEY = "case_admin_plans"
# An admin rarely has more than one change open; old ones just expire.
MAX_OPEN_PLANS = 5


def keep(context: ContextTypes.DEFAULT_TYPE, plan: Plan) -> str:
    """Store the plan for its buttons; return the token they carry."""
    plans: dict[str, Plan] = context.user_data.setdefault(PLANS_KEY, {})
    while len(plans) >= MAX_OPEN_PLANS:
        plans.pop(next(iter(plans)))
    token = secrets.token_hex(4)
    plans[token] = plan
    return token


def confirm_keyboard(context: ContextTypes.DEFAULT_TYPE, lang: str, token: str):
    label = services(context).messages.label
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    label("case_btn_confirm", lang), callback_data=f"{PLAN_PREFIX}ok:{token}"
                ),
                InlineKeyboardButton(
                    label("case_btn_cancel", lang), callback_data=f"{PLAN_PREFIX}no:{token}"
                ),
            ]
        ]
    )


async def alert_preview(
    app: Services, before: Case, after: Case, lang: str
) -> tuple[str | None, list[str], int]:
    """(alert kind, the alert exactly as a chat in ``lang`` will get it, chats it will reach).

    The sender renders from the stored payload (a JSON round trip) and the
    catalogue's case, which is ``after`` once committed; so does this.
    """
    alert = change_alert(before, after, app.today())
    if alert is None:
        return None, [], 0
    kind, _, change = alert
    payload = json.loads(json.dumps(change, ensure_ascii=False, sort_keys=True))
    delivery = Delivery(0, 0, 0, lang, True, 0, kind, after.slug, app.today(), payload)
    reached = await audience.reach(app.db, after.slug, kind_of(kind).want_column)
    return kind, alert_parts(app.messages, delivery, after), reached


async def commit(app: Services, plan: Plan, actor_id: int, today: date) -> tuple[MergeReport, int]:
    """Apply the plan (``alerts.case_changes``: cases, alerts and audit in one transaction).

    Returns the merge report and the deliveries queued; StaleCases if the
    cases moved since the preview (nothing is written then).
    """
    report, queued = await apply_plan(
        app.db, plan, actor_id, today=today, stale_days=app.settings.stale_days
    )
    # Cards, search and the sender's texts read the catalogue: it must show the change now.
    await app.reload_catalogue(off_loop=False)
    return report, queued


async def drop_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the message a button was pressed on, so it is pressed once.

    The plan is already taken out of user_data, so a second press finds
    nothing either way; Telegram refusing the edit (a message too old to
    edit) must not stop the work.
    """
    if query.message is not None and query.message.reply_markup is not None:
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(None)


async def plan_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Confirm or cancel a planned case change."""
    query = update.callback_query
    await query.answer()
    _, verb, token = query.data.split(":", 2)
    plan = context.user_data.get(PLANS_KEY, {}).pop(token, None)
    await drop_buttons(query)
    lang = await chat_language(update, context)
    if plan is None:
        await send(update, context, "case_done", lang, result="expired")
        return
    if verb != "ok":
        await send(update, context, "case_done", lang, result="cancelled")
        return
    app = services(context)
    try:
        report, queued = await commit(app, plan, update.effective_user.id, app.today())
    except StaleCases:
        await send(update, context, "case_done", lang, result="stale")
        return
    if queued:
        alert_runtime.alert_service(context.application).wake()
    names = [localised(case.name, lang) for case in plan.incoming]
    await send(
        update,
        context,
        "case_done",
        lang,
        result="saved",
        action=plan.action,
        name=names[0] if len(names) == 1 else "",
        slug=plan.incoming[0].slug if len(names) == 1 else "",
        added=len(report.added),
        changed=len(report.changed),
        queued=queued,
    )


def handlers() -> list:
    return [admin_callback(plan_button, pattern=f"^{PLAN_PREFIX}(ok|no):")]
