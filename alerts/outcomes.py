"""What Telegram's refusal of a delivery means for the outbox.

``record_failure`` runs with the sender's lock held. The order of its checks
matters: BadRequest and TimedOut are subclasses of NetworkError, and only
the network-level failures are worth retrying.
"""

from __future__ import annotations

import datetime as dtm
import logging
import warnings

import aiosqlite
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)

from alerts.pacing import Pacer
from storage import channels, deliveries
from storage.db import transaction
from storage.deliveries import Delivery

log = logging.getLogger(__name__)


def retry_seconds(error: RetryAfter) -> float:
    # PTB 22 warns when retry_after is read as an int; either form means seconds.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def record_failure(
    db: aiosqlite.Connection,
    delivery: Delivery,
    error: TelegramError,
    now: float,
    *,
    pacer: Pacer,
    max_attempts: int,
    backoff_base: float,
) -> None:
    """Record what ``error`` means for the delivery: wait, retry, fail, or drop the chat."""
    if isinstance(error, RetryAfter):
        # Flood control is about the whole bot: everything waits, then this goes again.
        # With PTB's AIORateLimiter on the bot, a 429 is first retried inside it
        # (holding back every request meanwhile) and only reaches us once it gives
        # up; either way the message goes once, after the wait Telegram asked for.
        # (rate_limit_args cannot switch those retries off per call in PTB 22.8:
        # 0 falls back to the limiter's default, and a dict is not accepted.)
        seconds = retry_seconds(error)
        pacer.pause(seconds)
        log.warning("flood control: sending paused for %.0f s", seconds)
        await deliveries.retry_at(
            db, delivery.id, now + seconds, str(error), now, counts_as_attempt=False
        )
    elif isinstance(error, Forbidden):
        # Blocked, kicked, deactivated: retrying would fail forever. The chat is
        # switched off (it comes back by using the bot again) and its queue dropped.
        async with transaction(db):
            await channels.switch(db, delivery.chat_id, False, error.message)
            dropped = await deliveries.drop_for_chat(db, delivery.chat_id, error.message, now)
        log.info("chat switched off (%s); %d deliveries dropped", error.message, dropped)
    elif isinstance(error, ChatMigrated):
        await move_chat(db, delivery.chat_id, error.new_chat_id)
        # The row followed the chat (ON UPDATE CASCADE); send it to the new id.
        await deliveries.retry_at(db, delivery.id, now, str(error), now, counts_as_attempt=False)
    elif isinstance(error, BadRequest):
        # Something about this one message; the rest of the queue is fine.
        log.warning("delivery %d refused: %s", delivery.id, error.message)
        await deliveries.mark_failed(db, delivery.id, error.message, now)
    else:
        # NetworkError, TimedOut, 5xx and anything unforeseen: try again later, a
        # bounded number of times. (A timed-out send may have arrived: see the
        # delivery guarantee.)
        attempts = delivery.attempts + 1  # the claim counted this one
        if attempts >= max_attempts:
            log.warning("delivery %d failed after %d attempts: %s", delivery.id, attempts, error)
            await deliveries.mark_failed(db, delivery.id, f"{error.message} (gave up)", now)
        else:
            delay = backoff_base * 2 ** (attempts - 1)
            await deliveries.retry_at(db, delivery.id, now + delay, error.message, now)


async def move_chat(db, old_id: int, new_id: int) -> None:
    """A group became a supergroup: everything it had follows it to the new id."""
    # Its queue too, merged into the supergroup's if that has a row already.
    await channels.migrate_chat(db, old_id, new_id)
    log.info("chat migrated to a supergroup; subscriptions and queue moved")
