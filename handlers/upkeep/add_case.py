"""/addcase: a new case, one question at a time, checked and confirmed before it is saved.

The questions and their checks are ``cases.new_case``; this module
is the conversation. It ends with the summary: Confirm there is the same
commit as every other case change (``handlers.upkeep.case_admin``), so the new case
is audited and lands in the catalogue the same way. /cancel, or fifteen
minutes of silence, drops the draft.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, ConversationHandler, filters

from alerts.case_changes import Plan
from cases.edit_words import EditProblem
from cases.model import STATUSES
from cases.new_case import STEPS, Answers, finished, next_step, suggestion
from handlers.shared.admin_access import admin_callback, admin_command, admin_message
from handlers.shared.admin_conversation import DraftKept, Said, admin_conversation
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from handlers.upkeep.case_admin import confirm_keyboard, drop_buttons, keep
from storage.cases import MergeReport

ASKING = 0
DRAFT_KEY = "addcase"
BUTTON_PREFIX = "addcase:"
# /cancel, or a long silence, drops the draft.
DRAFT = DraftKept(
    DRAFT_KEY,
    cancelled=Said("addcase_done", {"result": "cancelled", "field": "", "message": ""}),
    timed_out=Said("addcase_done", {"result": "timeout", "field": "", "message": ""}),
    language=lambda state: state["lang"],
)


def answers(context: ContextTypes.DEFAULT_TYPE) -> Answers:
    app = services(context)
    lang = context.user_data[DRAFT_KEY]["lang"]
    return Answers(app.today(), lang, lambda slug: app.catalogue.get(slug) is not None)


def keyboard(context: ContextTypes.DEFAULT_TYPE, offered: str | None):
    """Buttons for the current question; their data names the step, so old ones are ignored."""
    state = context.user_data[DRAFT_KEY]
    step, lang, label = STEPS[state["step"]], state["lang"], services(context).messages.label
    prefix = f"{BUTTON_PREFIX}{state['step']}:"
    choices: list[tuple[str, str]] = []  # (button text, what pressing it answers)
    if step.key == "status":
        choices += [(label("status", lang, value=status), f"={status}") for status in STATUSES]
    if offered:
        choices.append((label("case_btn_use", lang, value=offered), "use"))
    if step.skippable:
        choices.append((label("case_btn_skip", lang), "skip"))
    rows = [[InlineKeyboardButton(text, callback_data=prefix + data)] for text, data in choices]
    return InlineKeyboardMarkup(rows) if rows else None


async def ask(
    update: Update, context: ContextTypes.DEFAULT_TYPE, problem: EditProblem | None = None
) -> int:
    """Ask the current question (again, with the reason, after a bad answer)."""
    state = context.user_data[DRAFT_KEY]
    step = STEPS[state["step"]]
    offered = suggestion(step.key, state["draft"], answers(context))
    state["offered"] = offered
    total = sum(1 for each in STEPS if each.when(state["draft"]))
    number = sum(1 for each in STEPS[: state["step"] + 1] if each.when(state["draft"]))
    await send(
        update,
        context,
        "addcase_ask",
        state["lang"],
        keyboard(context, offered),
        step=step.key,
        number=number,
        total=total,
        suggestion=offered,
        problem=problem.key if problem else None,
        values=problem.values if problem else {},
    )
    return ASKING


async def begin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Start a new case draft with the first question."""
    lang = await chat_language(update, context)
    context.user_data[DRAFT_KEY] = {"step": 0, "lang": lang, "draft": {}, "offered": None}
    return await ask(update, context)


async def take(update: Update, context: ContextTypes.DEFAULT_TYPE, answer: str | None) -> int:
    """Store an answer (None: skipped) and ask the next question, or show the summary."""
    state = context.user_data[DRAFT_KEY]
    if answer is not None:
        try:
            STEPS[state["step"]].read(state["draft"], answer, answers(context))
        except EditProblem as problem:
            return await ask(update, context, problem)
    following = next_step(state["draft"], state["step"])
    if following is None:
        return await summary(update, context)
    state["step"] = following
    return await ask(update, context)


async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """An answer typed by the admin."""
    return await take(update, context, update.effective_message.text)


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A button under the current question: a status, the suggestion, or Skip."""
    query = update.callback_query
    await query.answer()
    state = context.user_data[DRAFT_KEY]
    step_text, _, choice = query.data.removeprefix(BUTTON_PREFIX).partition(":")
    if step_text != str(state["step"]):
        return ASKING  # a button under an earlier question
    await drop_buttons(query)
    if choice == "skip" and STEPS[state["step"]].skippable:
        return await take(update, context, None)
    if choice == "use" and state["offered"]:
        return await take(update, context, state["offered"])
    return await take(update, context, choice.removeprefix("="))


async def summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The whole new case, with Confirm and Cancel; the draft becomes a plan."""
    state = context.user_data.pop(DRAFT_KEY)
    lang = state["lang"]
    try:
        case = finished(state["draft"], services(context).today())
    except EditProblem as problem:
        await send(update, context, "addcase_done", lang, result="invalid", **problem.values)
        return ConversationHandler.END
    token = keep(context, Plan("case.add", [case], MergeReport(added=[case.slug])))
    buttons = confirm_keyboard(context, lang, token)
    await send(update, context, "addcase_summary", lang, buttons, case=case)
    return ConversationHandler.END


def handlers() -> list:
    # Each button names its step, and a stale one is ignored.
    steps = {
        ASKING: [
            admin_message(filters.TEXT & ~filters.COMMAND, typed),
            admin_callback(pressed, pattern=f"^{BUTTON_PREFIX}"),
        ],
    }
    return [
        admin_conversation(
            "addcase",
            admin_command("addcase", begin),
            steps,
            cancel=DRAFT.cancel,
            timed_out=DRAFT.time_out,
        )
    ]
