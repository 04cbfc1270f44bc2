"""What Telegram's refusal of a delivery means for the outbox.

``record_failure`` runs with the sender's lock held. The order of its checks
matters: BadRequest and TimedOut are subclasses of NetworkError, and only
the network-level failures are worth retrying.
"""

from __future__ import annotations

import datetime as dtm
import logging
import warnings
from dataclasses import dataclass

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


@dataclass(frozen=True)
class RetryPolicy:
    """How long network failures and Telegram's 5xx are retried, and how far apart."""

    give_up_after: float = 24 * 3600.0  # seconds from a delivery's first failure
    backoff_base: float = 2.0  # the shortest wait
    backoff_cap: float = 600.0  # the longest wait: ten minutes

    def wait(self, failing_for: float) -> float:
        """Wait as long as the delivery has been failing: the waits double, within bounds."""
        return min(self.backoff_cap, max(self.backoff_base, failing_for))


def is_network_failure(error: TelegramError) -> bool:
    """The network or Telegram's servers failed, not this message: worth trying again."""
    return not isinstance(error, RetryAfter | Forbidden | ChatMigrated | BadRequest)


async def record_failure(
    db: aiosqlite.Connection,
    delivery: Delivery,
    error: TelegramError,
    now: float,
    *,
    pacer: Pacer,
    policy: RetryPolicy,
) -> None:
    """Record what ``error`` means for the delivery: wait, retry, fail, or drop the chat."""
    if isinstance(error, RetryAfter):
        # Flood control is about the whole bot: everything waits, then this goes again.
        # The sender's requests reach Telegram once each (see alerts/rate_limits.py),
        # so this pause is the only wait the 429 costs.
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
        # NetworkError, TimedOut, 5xx and anything unforeseen: try again later, until
        # give_up_after has passed since the first failure. (A timed-out send may have
        # arrived: see the delivery guarantee.)
        failing_since = delivery.failing_since if delivery.failing_since is not None else now
        give_up_at = failing_since + policy.give_up_after
        if now >= give_up_at:
            hours = policy.give_up_after / 3600
            log.warning(
                "delivery %d failed for %.1f h, giving up: %s", delivery.id, hours, error.message
            )
            await deliveries.mark_failed(
                db, delivery.id, f"{error.message} (gave up after {hours:g} h)", now
            )
        else:
            # The last try lands on the deadline rather than past it.
            due_at = min(now + policy.wait(now - failing_since), give_up_at)
            await deliveries.retry_at(
                db, delivery.id, due_at, error.message, now, failing_since=failing_since
            )


async def move_chat(db, old_id: int, new_id: int) -> None:
    """A group became a supergroup: everything it had follows it to the new id."""
    # Its queue too, merged into the supergroup's if that has a row already.
    await channels.migrate_chat(db, old_id, new_id)
    log.info("chat migrated to a supergroup; subscriptions and queue moved")
