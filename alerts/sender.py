"""The sender: drains the deliveries outbox under Telegram's limits, forever.

One long-running task per bot. It wakes when this process queues work
(``wake``) and polls the database every ``poll_interval`` seconds for work
another process queued (``python bot.py import``). A few sends are in
flight at once so network latency does not cap the rate; the Pacer decides
when each may start.

Crash safety: a row is committed as 'sending' before its request and as
'sent' after Telegram's answer; each part of a long alert is recorded as it
goes. Rows still 'sending' at start-up are the ones whose last part's fate is
unknown; ``recover`` queues them again (see README.md ("Alerts: what is
guaranteed")). Network errors and 5xx are retried, waits doubling up to ten
minutes, until BOT_GIVE_UP_HOURS after a delivery's first failure
(``alerts.outcomes``); when Telegram answers again after an outage
(``alerts.outage``), what waited is due at once. Replies to users never pass
through here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosqlite
from telegram import Bot
from telegram.error import TelegramError

from alerts.outage import OutageWatch
from alerts.outcomes import RetryPolicy, is_network_failure, record_failure
from alerts.pacing import GROUP_CHAT_GAP, PRIVATE_CHAT_GAP, Pacer, Turn
from alerts.rate_limits import BROADCAST
from alerts.texts import Composed
from metrics import Metrics
from storage import deliveries
from storage.deliveries import Delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SenderOptions:
    concurrency: int = 4  # sends in flight; also the most a kill -9 can double
    poll_interval: float = 2.0  # seconds between looks for work queued elsewhere
    # Network errors and 5xx: retried until this long after a delivery's first failure
    # (the bot sets it from BOT_GIVE_UP_HOURS), waits doubling from base up to cap.
    give_up_after: float = 24 * 3600.0
    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    stop_timeout: float = 10.0  # how long stop() lets in-flight sends finish
    # Telegram's per-chat limits; only tests shrink them, to run in milliseconds.
    private_gap: float = PRIVATE_CHAT_GAP
    group_gap: float = GROUP_CHAT_GAP


class Sender:
    def __init__(
        self,
        bot: Bot,
        db: aiosqlite.Connection,
        rate: float,
        compose: Callable[[Delivery], Awaitable[Composed]],
        options: SenderOptions | None = None,
        *,
        wall_clock: Callable[[], float] = time.time,
        metrics: Metrics | None = None,
    ) -> None:
        self.bot = bot
        self.db = db
        self.compose = compose
        self.options = options or SenderOptions()
        self.wall_clock = wall_clock
        self.metrics = metrics or Metrics()
        self.pacer = Pacer(
            rate, private_gap=self.options.private_gap, group_gap=self.options.group_gap
        )
        self.retry = RetryPolicy(
            self.options.give_up_after, self.options.backoff_base, self.options.backoff_cap
        )
        self.outage = OutageWatch()
        # One attempt per request in the rate limiter, if there is one: the pacer owns
        # a 429's wait (alerts/rate_limits.py).
        self.limiter_args = (
            {"rate_limit_args": BROADCAST} if getattr(bot, "rate_limiter", None) else {}
        )
        # One connection, several tasks: the lock keeps one task's statements
        # out of another's transaction (a Forbidden switch-off, a migration).
        self.lock = asyncio.Lock()
        self.work = asyncio.Event()
        self.slots = asyncio.Semaphore(self.options.concurrency)
        self.in_flight: set[asyncio.Task] = set()
        self.stopping = False
        self.loop_task: asyncio.Task | None = None

    def wake(self) -> None:
        """New work was queued in this process: look now rather than at the next poll."""
        self.work.set()

    async def recover(self) -> int:
        """Queue again the rows a previous run left 'sending'; return how many."""
        async with self.lock:
            count = await deliveries.recover_sending(self.db, self.wall_clock())
        if count:
            log.warning(
                "%d deliveries were in flight when the bot last stopped; sending them again "
                "(each may arrive twice)",
                count,
            )
        return count

    def start(self) -> asyncio.Task:
        self.loop_task = asyncio.get_running_loop().create_task(self.run(), name="alert-sender")
        return self.loop_task

    async def run(self) -> None:
        while not self.stopping:
            await self.slots.acquire()
            try:
                # The turn is taken before the outbox is read, so time spent there does
                # not stretch the spacing; the pacer hears when the request was answered.
                turn = await self.pacer.next_turn()
                self.work.clear()  # before looking, so a wake() during the look is kept
                picked = await self._pick()
            except Exception:
                self.slots.release()
                log.exception("the alert sender could not read the outbox; retrying")
                await asyncio.sleep(self.options.poll_interval)
                continue
            if picked is None:
                self.slots.release()
                await self._idle()
                continue
            task = asyncio.get_running_loop().create_task(self.deliver(*picked, turn))
            self.in_flight.add(task)
            task.add_done_callback(self.in_flight.discard)

    async def _idle(self) -> None:
        timeout = self.options.poll_interval
        chat_frees = self.pacer.seconds_until_a_chat_frees()
        if chat_frees is not None:
            timeout = min(timeout, chat_frees + 0.001)
        # asyncio.timeout, not wait_for: wait_for wraps the wait in a new task on
        # 3.11, and a task born on every idle turn looks like handler work to
        # anything that waits for an update's tasks to settle.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self.work.wait()

    async def _pick(self) -> tuple[Delivery, Composed] | None:
        """The next delivery to send, claimed ('sending', committed) and rendered."""
        async with self.lock:
            while True:
                now = self.wall_clock()
                found = await deliveries.next_due(self.db, now, self.pacer.busy_chats())
                if not found:
                    return None
                delivery = found[0]
                if not delivery.chat_active:
                    # Switched off after fan-out (/forget, bot removed): nothing to send.
                    await deliveries.mark_dropped(
                        self.db, delivery.id, "chat switched off", now, source="pending"
                    )
                    continue
                try:
                    composed = await self.compose(delivery)
                except Exception as error:
                    log.exception("alert %d does not render", delivery.alert_id)
                    await deliveries.mark_failed(
                        self.db, delivery.id, f"render: {error!r}", now, source="pending"
                    )
                    continue
                if await deliveries.claim(self.db, delivery.id, now):
                    self.pacer.start(delivery.chat_id)
                    return delivery, composed

    async def deliver(self, delivery: Delivery, composed: Composed, turn: Turn) -> None:
        """Send a claimed delivery from its first missing part and record its fate.

        Frees its slot and chat when done. Each part Telegram takes is recorded
        before the next goes, so a failure, or a crash, repeats at most the part
        that was in flight.
        """
        parts = composed.parts
        first_message_id: int | None = None
        parts_sent = delivery.parts_sent
        answered = sent_all = False
        try:
            while parts_sent < len(parts):
                if parts_sent > delivery.parts_sent:
                    # A long alert: each further part is one more message in the chat.
                    await asyncio.sleep(self.pacer.chat_gap(delivery.chat_id))
                    turn = await self.pacer.next_turn()
                last = parts_sent == len(parts) - 1
                message = await self.bot.send_message(
                    chat_id=delivery.chat_id,
                    text=parts[parts_sent],
                    reply_markup=composed.keyboard if last else None,
                    **self.limiter_args,
                )
                self.pacer.answered(turn)
                answered = True
                parts_sent += 1
                first_message_id = first_message_id or message.message_id
                if not last:
                    async with self.lock:
                        await deliveries.record_part(
                            self.db, delivery.id, parts_sent, message.message_id, self.wall_clock()
                        )
            sent_all = True
            self.metrics.count_delivery()
            async with self.lock:
                recorded = await deliveries.mark_sent(
                    self.db, delivery.id, parts_sent, first_message_id, self.wall_clock()
                )
            if not recorded:
                log.warning("delivery %d was sent but had left 'sending' meanwhile", delivery.id)
        except TelegramError as error:
            self.metrics.count_delivery(error)
            now = self.wall_clock()
            if is_network_failure(error):
                self.outage.failed(delivery.chat_id, now)
            else:
                self.pacer.answered(turn)
                answered = True
            async with self.lock:
                await record_failure(
                    self.db, delivery, error, now, pacer=self.pacer, policy=self.retry
                )
        except Exception as error:
            log.exception("delivery %d failed unexpectedly", delivery.id)
            # Sent but not recorded (the database failed): the row stays 'sending' and
            # goes again after a restart, as the guarantee allows. Otherwise it failed.
            if not sent_all:
                self.metrics.count_delivery(error)
                async with self.lock:
                    await deliveries.mark_failed(
                        self.db, delivery.id, repr(error), self.wall_clock()
                    )
        finally:
            self.pacer.finish(delivery.chat_id)
            self.slots.release()
            if answered:
                await self._answered()
            self.wake()

    async def _answered(self) -> None:
        """Telegram answered: if that ends an outage, what waited it out is due now."""
        began = self.outage.answered()
        if began is None:
            return
        now = self.wall_clock()
        try:
            async with self.lock:
                due = await deliveries.due_again_now(self.db, began, now)
        except Exception:  # they still go, each at the end of its own wait
            log.exception("could not bring forward the deliveries that waited out the outage")
            return
        log.warning(
            "Telegram answers again after %.0f s of failures; %d deliveries due now",
            now - began,
            due,
        )

    async def stop(self) -> None:
        """Stop taking work; let in-flight sends finish (a while), then cancel them.

        A send cancelled here stays 'sending' and goes out again after restart.
        """
        self.stopping = True
        self.wake()
        if self.loop_task is not None:
            self.loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.loop_task
        if self.in_flight:
            _, late = await asyncio.wait(set(self.in_flight), timeout=self.options.stop_timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
