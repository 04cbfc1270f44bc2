"""/letter NAME: the envelope, the rules that get a letter delivered, a greeting; card reminders.

The letter view (``cases.letters``) is also what the card's "Write a letter"
button and a card reminder's button open (``letter:<slug>``): the envelope,
with whose letters get through above it. Every rule in full, and then the
greetings, come as messages of their own with "How to write: the rules"
under it (``lrules:<slug>``), so each message stays short on a phone.
Someone not held, whose letters are barred, whose status is stale or whose
place of detention has no verified address gets no envelope, and the reason.

Under an envelope, a chat may ask to be reminded BOT_CARD_LEAD_DAYS before
the person's birthday (``rmd:+:<slug>``, off with ``rmd:-:<slug>``, or
``rmd:x:<slug>`` under a reminder). Only the chat's id and the case's slug
are stored; in a group, only its admins may change it.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from alerts.card_reminders import next_reminder
from alerts.texts import LETTER_PREFIX, REMINDER_PREFIX
from cases.letters import Letter, letter_for
from cases.model import Case, localised
from handlers.reading.lookup import CARD_PREFIX, answer_query
from handlers.shared.errors import button_expired
from handlers.shared.permissions import may_change_this_chat, refuse, this_chat
from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from storage import card_reminders, subscriptions

# ``lrules:<slug>``: every rule and the greetings, under the envelope.
RULES_PREFIX = "lrules:"


def letter_keyboard(
    context: ContextTypes.DEFAULT_TYPE,
    case: Case,
    lang: str,
    reminded: bool | None,
    envelope: bool = True,
) -> InlineKeyboardMarkup:
    """The rules (under an envelope), the reminder switch (when a birthday can be reminded
    of), and the card. ``reminded`` None: no reminder to offer, and no envelope."""
    app = services(context)
    label = app.messages.label
    rows = []
    if envelope:
        rows.append(
            [
                InlineKeyboardButton(
                    label("btn_letter_rules", lang), callback_data=RULES_PREFIX + case.slug
                )
            ]
        )
    if reminded is not None:
        lead = app.settings.card_lead_days
        key, op = ("btn_reminder_off", "-") if reminded else ("btn_reminder_on", "+")
        text = label(key, lang, days=lead)
        rows.append(
            [InlineKeyboardButton(text, callback_data=f"{REMINDER_PREFIX}{op}:{case.slug}")]
        )
    rows.append(
        [InlineKeyboardButton(label("btn_open_card", lang), callback_data=CARD_PREFIX + case.slug)]
    )
    return InlineKeyboardMarkup(rows)


async def show_letter(
    update: Update, context: ContextTypes.DEFAULT_TYPE, case: Case, lang: str
) -> None:
    """The envelope, rules and greetings for ``case``, or why there are none."""
    app = services(context)
    today = app.today()
    found = letter_for(case, app.letters, today, app.settings.stale_days)
    name = localised(case.name, lang)
    if not isinstance(found, Letter):
        keyboard = letter_keyboard(context, case, lang, None, envelope=False)
        source = case.source(case.status_source)
        await send(
            update,
            context,
            "letter_refused",
            lang,
            keyboard,
            refusal=found,
            name=name,
            source=source,
        )
        return
    reminded = None
    if next_reminder(case, today, app.settings.card_lead_days) is not None:
        reminded = await card_reminders.is_reminded(app.db, update.effective_chat.id, case.slug)
    await send(
        update,
        context,
        "letter",
        lang,
        letter_keyboard(context, case, lang, reminded),
        letter=found,
        name=name,
        detention_source=case.source(case.detention.source),
    )


async def rules_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every rule in full, then the greetings: two messages under the envelope."""
    query = update.callback_query
    app = services(context)
    case = app.catalogue.get(query.data.removeprefix(RULES_PREFIX))
    if case is None:  # no longer in the data, or never was
        await button_expired(update, context)
        return
    await query.answer()
    lang = await chat_language(update, context)
    found = letter_for(case, app.letters, app.today(), app.settings.stale_days)
    if not isinstance(found, Letter):
        # Freed, barred or stale since the envelope was drawn: say so, as /letter would.
        await show_letter(update, context, case, lang)
        return
    await send(update, context, "letter_rules", lang, letter=found, name=localised(case.name, lang))
    await send(update, context, "letter_greeting", lang, letter=found)


async def letter_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Find the person named after /letter and show their letter view."""
    query = " ".join(context.args or [])
    if not query.strip():
        await send(update, context, "letter_ask_name", await chat_language(update, context))
        return
    await answer_query(update, context, query, LETTER_PREFIX, show_letter)


async def letter_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open the letter view a button names (a card, a choice, a reminder)."""
    query = update.callback_query
    await query.answer()
    lang = await chat_language(update, context)
    case = services(context).catalogue.get(query.data.removeprefix(LETTER_PREFIX))
    if case is None:
        await send(update, context, "case_missing", lang)
        return
    await show_letter(update, context, case, lang)


async def reminder_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Switch this chat's birthday card reminder about one person on or off."""
    query = update.callback_query
    op, _, slug = query.data.removeprefix(REMINDER_PREFIX).partition(":")
    app = services(context)
    case = app.catalogue.get(slug)
    if op not in ("+", "-", "x") or case is None:
        await query.answer()
        return
    if not await may_change_this_chat(update, context):
        await refuse(update, context)
        return
    lang = await chat_language(update, context)
    target = this_chat(update)
    lead = app.settings.card_lead_days
    label = app.messages.label
    if op == "+":
        coming = next_reminder(case, app.today(), lead)
        if coming is None:  # freed, or the data changed since the view was drawn
            await query.answer()
            return
        await subscriptions.ensure_chat(app.db, target.chat_id, lang, target.kind)
        await card_reminders.remind(app.db, target.chat_id, slug)
        on, birthday = coming
        text = label("toast_reminder_on", lang, days=lead, on=on, birthday=birthday)
        await query.answer(text, show_alert=True)
    else:
        await card_reminders.stop(app.db, target.chat_id, slug)
        await query.answer(label("toast_reminder_off", lang))
    if op == "x":
        # Under a reminder: the card, the letter and the source stay a tap away, the
        # switch goes.
        shown = query.message.reply_markup if query.message is not None else None
        rows = [
            [button for button in row if button.callback_data != query.data]
            for row in (shown.inline_keyboard if shown is not None else ())
        ]
        rows = [row for row in rows if row] or [
            [
                InlineKeyboardButton(
                    label("btn_write_letter", lang), callback_data=LETTER_PREFIX + slug
                )
            ]
        ]
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows))
    else:
        keyboard = letter_keyboard(context, case, lang, op == "+")
        await query.edit_message_reply_markup(keyboard)


def handlers() -> list:
    return [
        CommandHandler("letter", letter_command),
        CallbackQueryHandler(letter_button, pattern=f"^{LETTER_PREFIX}"),
        CallbackQueryHandler(rules_button, pattern=f"^{RULES_PREFIX}"),
        CallbackQueryHandler(reminder_button, pattern=f"^{REMINDER_PREFIX}"),
    ]
