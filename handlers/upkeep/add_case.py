"""/addcase: a new case, one question at a time, checked and confirmed before it is saved.

The questions and their checks are ``cases.new_case``; this module
is the conversation. It ends with the summary: Confirm there is the same
commit as every other case change (``handlers.upkeep.case_admin``), so the new case
is audited and lands in the catalogue the same way. /cancel, or fifteen
minutes of silence, drops the draft.

Someone held is asked their place of detention: the stored places as
buttons, eight a page, narrowed by what the editor types, or New place; a
new place is saved with the case, in the same commit.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes, ConversationHandler, filters

from alerts.case_changes import Plan
from cases.edit_words import EditProblem
from cases.model import STATUSES, attach_places, localised
from cases.new_case import ADD_PLACE, STEPS, Answers, find_places, finished, next_step, suggestion
from handlers.shared.admin_access import admin_callback, admin_command, admin_message
from handlers.shared.admin_conversation import DraftKept, Said, admin_conversation
from handlers.shared.button_titles import shorten
from handlers.shared.paging import clamp_page, paging_row
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from handlers.upkeep.case_admin import confirm_keyboard, drop_buttons, keep
from storage.cases import MergeReport

ASKING = 0
DRAFT_KEY = "addcase"
BUTTON_PREFIX = "addcase:"
PLACES_PER_PAGE = 8
# The questions a "Today" button answers (a birth or a detention is rarely today).
TODAY_STEPS = frozenset({"status_date", "released_on"})
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
    return Answers(
        app.today(),
        lang,
        lambda slug: app.catalogue.get(slug) is not None,
        app.catalogue.places,
    )


def place_rows(context: ContextTypes.DEFAULT_TYPE, prefix: str) -> list[list[InlineKeyboardButton]]:
    """The stored places a page at a time (those the typed words found, if any)."""
    state, app = context.user_data[DRAFT_KEY], services(context)
    lang = state["lang"]
    query = state.get("place_query")
    if query:
        places = find_places(app.catalogue.places, query, lang)
    else:
        places = sorted(
            app.catalogue.places.values(), key=lambda place: localised(place.name, lang).casefold()
        )
    page, pages = clamp_page(len(places), state.get("place_page", 1), PLACES_PER_PAGE)
    state["place_page"] = page
    shown = places[(page - 1) * PLACES_PER_PAGE : page * PLACES_PER_PAGE]
    rows = [
        [
            InlineKeyboardButton(
                shorten(localised(place.name, lang)), callback_data=f"{prefix}={place.key}"
            )
        ]
        for place in shown
    ]
    paging = paging_row(app.messages, lang, page, pages, lambda number: f"{prefix}page:{number}")
    return [*rows, paging] if paging else rows


def keyboard(context: ContextTypes.DEFAULT_TYPE, offered: str | None):
    """Buttons for the current question; their data names the step, so old ones are ignored."""
    state = context.user_data[DRAFT_KEY]
    step, lang, label = STEPS[state["step"]], state["lang"], services(context).messages.label
    prefix = f"{BUTTON_PREFIX}{state['step']}:"
    rows: list[list[InlineKeyboardButton]] = []
    choices: list[tuple[str, str]] = []  # (button text, what pressing it answers)
    if step.key == "status":
        choices += [(label("status", lang, value=status), f"={status}") for status in STATUSES]
    if step.key == "place":
        rows += place_rows(context, prefix)
        choices.append((label("case_btn_new_place", lang), "new"))
    if step.key in TODAY_STEPS:
        choices.append((label("btn_today", lang, day=services(context).today()), "today"))
    if offered:
        choices.append((label("case_btn_use", lang, value=offered), "use"))
    if step.skippable:
        choices.append((label("case_btn_skip", lang), "skip"))
    rows += [[InlineKeyboardButton(text, callback_data=prefix + data)] for text, data in choices]
    return InlineKeyboardMarkup(rows) if rows else None


async def ask(
    update: Update, context: ContextTypes.DEFAULT_TYPE, problem: EditProblem | None = None
) -> int:
    """Ask the current question (again, with the reason, after a bad answer)."""
    state = context.user_data[DRAFT_KEY]
    step = STEPS[state["step"]]
    if step.key == "place":
        # Several places fit the words typed: those are the buttons; else all of them.
        found = problem is not None and problem.key == "places_found"
        state["place_query"] = problem.values["given"] if found else None
        state["place_page"] = 1
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
    """A button under the current question: a status, a place or a page of them, New
    place, Today, the suggestion, or Skip."""
    query = update.callback_query
    await query.answer()
    state = context.user_data[DRAFT_KEY]
    step_text, _, choice = query.data.removeprefix(BUTTON_PREFIX).partition(":")
    if step_text != str(state["step"]):
        return ASKING  # a button under an earlier question
    if choice.startswith("page:") and choice[5:].isdigit():
        state["place_page"] = int(choice[5:])
        await query.edit_message_reply_markup(keyboard(context, state["offered"]))
        return ASKING
    await drop_buttons(query)
    if choice == "skip" and STEPS[state["step"]].skippable:
        return await take(update, context, None)
    if choice == "use" and state["offered"]:
        return await take(update, context, state["offered"])
    if choice == "new":
        return await take(update, context, ADD_PLACE)
    if choice == "today":
        return await take(update, context, "today")
    return await take(update, context, choice.removeprefix("="))


async def summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The whole new case, with Confirm and Cancel; the draft becomes a plan."""
    state = context.user_data.pop(DRAFT_KEY)
    lang = state["lang"]
    app = services(context)
    try:
        case, place = finished(state["draft"], app.today())
    except EditProblem as problem:
        await send(update, context, "addcase_done", lang, result="invalid", **problem.values)
        return ConversationHandler.END
    places = [place] if place else []
    expected = MergeReport(added=[case.slug], places_added=[place.key for place in places])
    token = keep(context, Plan("case.add", [case], expected, places=places))
    # The summary shows the place's name and address, as the card will.
    attach_places([case], {**app.catalogue.places, **{place.key: place for place in places}})
    buttons = confirm_keyboard(context, lang, token)
    await send(update, context, "addcase_summary", lang, buttons, case=case, new_place=place)
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
