"""A statement's broadcast as its admin sees it: progress, the report, and stopping it.

The alerts sender delivers the statement like any other alert; this module
only watches the deliveries of its alert. A message in the admin's chat is
edited every few seconds by a repeating job (one per broadcast, named after
the statement) until nothing is left to send, and then becomes the report.
/cancel, or the Stop button, drops the deliveries not yet sent; the few
already on their way finish.

/cancel reaches this module only from an admin with a broadcast running
(``Broadcasts.users``), so everywhere else it stays what other features make
of it, or the unknown-command hint.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes, filters

from handlers.shared.replies import chat_language, send
from handlers.shared.services import services
from statements.publishing import Published, alert_key
from storage import audit
from storage.db import transaction
from storage.statement_audience import Progress, alert_id_for, cancel_pending, progress

log = logging.getLogger(__name__)

PROGRESS_SECONDS = 3.0  # between edits: Telegram limits edits like messages
REGISTRY_KEY = "statement_broadcasts"
STOP_PREFIX = "publish:stop:"
CANCEL_ACTION = "statement.cancel"


@dataclass
class Broadcast:
    statement_id: int
    alert_id: int
    title: str
    total: int
    user_id: int
    chat_id: int
    language: str
    started: float  # time.monotonic()
    message_id: int | None = None
    stopped: bool = False
    shown: str = ""  # the text on the progress message now


class Broadcasts:
    """The broadcasts this process's admins started and are watching, by statement."""

    def __init__(self) -> None:
        self.running: dict[int, Broadcast] = {}
        # Admins with a broadcast running: the /cancel handler matches only them.
        self.users = filters.User(allow_empty=False)

    def add(self, broadcast: Broadcast) -> None:
        self.running[broadcast.statement_id] = broadcast
        self.users.add_user_ids(broadcast.user_id)

    def remove(self, broadcast: Broadcast) -> None:
        self.running.pop(broadcast.statement_id, None)
        if not self.of_user(broadcast.user_id):
            self.users.remove_user_ids(broadcast.user_id)

    def of_user(self, user_id: int) -> list[Broadcast]:
        return [item for item in self.running.values() if item.user_id == user_id]


def broadcasts(bot_data: dict) -> Broadcasts:
    return bot_data.setdefault(REGISTRY_KEY, Broadcasts())


def job_name(statement_id: int) -> str:
    return f"statement-progress-{statement_id}"


def eta_minutes(broadcast: Broadcast, state: Progress, configured_rate: float) -> int | None:
    """Whole minutes left at the pace seen so far (at the configured rate before any)."""
    elapsed = time.monotonic() - broadcast.started
    rate = state.done / elapsed if state.done and elapsed > 0 else configured_rate
    if rate <= 0:
        return None
    seconds = state.remaining / rate
    return 0 if seconds < 60 else math.ceil(seconds / 60)


def progress_text(context: ContextTypes.DEFAULT_TYPE, broadcast: Broadcast, state: Progress):
    """The progress (or, when nothing is left, the report) and its Stop button."""
    app = services(context)
    finished = state.remaining == 0
    text = app.messages.render(
        "publish_progress",
        broadcast.language,
        statement_id=broadcast.statement_id,
        title=broadcast.title,
        total=broadcast.total,
        sent=state.sent,
        failed=state.failed,
        unreachable=state.unreachable,
        cancelled=state.cancelled,
        remaining=state.remaining,
        eta_minutes=eta_minutes(broadcast, state, app.settings.broadcast_rate),
        finished=finished,
        stopped=broadcast.stopped or state.cancelled > 0,
    )
    if finished:
        return text, None
    label = app.messages.label("btn_stop_sending", broadcast.language)
    stop = InlineKeyboardButton(label, callback_data=f"{STOP_PREFIX}{broadcast.statement_id}")
    return text, InlineKeyboardMarkup([[stop]])


async def start_progress(
    update: Update, context: ContextTypes.DEFAULT_TYPE, published: Published, title: str, lang: str
) -> None:
    """Post the progress message and schedule its updates."""
    broadcast = Broadcast(
        published.statement_id,
        published.alert_id,
        title,
        published.queued,
        update.effective_user.id,
        update.effective_chat.id,
        lang,
        time.monotonic(),
    )
    state = await progress(services(context).db, broadcast.alert_id)
    text, keyboard = progress_text(context, broadcast, state)
    message = await context.bot.send_message(broadcast.chat_id, text, reply_markup=keyboard)
    broadcast.message_id, broadcast.shown = message.message_id, text
    if state.remaining == 0:
        return  # nobody to send it to: the report is already complete
    broadcasts(context.bot_data).add(broadcast)
    for job in context.job_queue.get_jobs_by_name(job_name(broadcast.statement_id)):
        job.schedule_removal()
    context.job_queue.run_repeating(
        update_progress,
        interval=PROGRESS_SECONDS,
        first=PROGRESS_SECONDS,
        name=job_name(broadcast.statement_id),
        data=broadcast.statement_id,
    )


async def update_progress(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Edit the progress message; the last edit is the report."""
    registry = broadcasts(context.bot_data)
    broadcast = registry.running.get(context.job.data)
    if broadcast is None:
        context.job.schedule_removal()
        return
    state = await progress(services(context).db, broadcast.alert_id)
    text, keyboard = progress_text(context, broadcast, state)
    if state.remaining == 0:
        context.job.schedule_removal()
        registry.remove(broadcast)
    if text == broadcast.shown:
        return  # Telegram refuses an edit that changes nothing
    try:
        await context.bot.edit_message_text(
            text,
            chat_id=broadcast.chat_id,
            message_id=broadcast.message_id,
            reply_markup=keyboard,
        )
        broadcast.shown = text
    except BadRequest as error:
        if "not modified" not in error.message:
            log.warning("progress of statement %d not shown: %s", broadcast.statement_id, error)
    except TelegramError as error:
        # The admin's chat is not the broadcast: the sending goes on regardless.
        log.warning("progress of statement %d not shown: %s", broadcast.statement_id, error)


async def stop_sending(
    context: ContextTypes.DEFAULT_TYPE, statement_id: int, user_id: int
) -> Progress | None:
    """Drop the unsent deliveries of a statement (audited); None if it has no alert."""
    db = services(context).db
    alert_id = await alert_id_for(db, alert_key(statement_id))
    if alert_id is None:
        return None
    async with transaction(db):
        cancelled = await cancel_pending(db, alert_id, time.time())
        state = await progress(db, alert_id)
        if cancelled:
            await audit.record(
                db,
                user_id,
                CANCEL_ACTION,
                alert_key(statement_id),
                details={"cancelled": cancelled, "sent": state.sent},
            )
    broadcast = broadcasts(context.bot_data).running.get(statement_id)
    if broadcast is not None and cancelled:
        broadcast.stopped = True
    return state if cancelled else None


async def cancel_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel while a broadcast runs: stop it and say how far it got."""
    lang = await chat_language(update, context)
    user_id = update.effective_user.id
    for broadcast in broadcasts(context.bot_data).of_user(user_id):
        state = await stop_sending(context, broadcast.statement_id, user_id)
        if state is not None:
            await send(
                update,
                context,
                "publish_stopping",
                lang,
                statement_id=broadcast.statement_id,
                cancelled=state.cancelled,
                sent=state.sent,
            )


async def stop_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop sending (the button under the progress): works after a restart too."""
    query = update.callback_query
    statement_id = int(query.data.removeprefix(STOP_PREFIX))
    state = await stop_sending(context, statement_id, update.effective_user.id)
    lang = await chat_language(update, context)
    if state is None:
        await query.answer(services(context).messages.label("nothing_to_stop", lang))
        return
    await query.answer()
    await send(
        update,
        context,
        "publish_stopping",
        lang,
        statement_id=statement_id,
        cancelled=state.cancelled,
        sent=state.sent,
    )
