"""Each webhook update handled once, however often Telegram posts it.

Telegram posts an update again when it does not get 200 in time: the
answer was lost, the bot was slow, or it stopped before answering. A
redelivery must not be handled again (two replies; a subscription toggled
twice is no toggle at all).

The order is what makes this hold. The webhook answers 200 only once the
update is handled, and the handled update's id is committed to the database
(``storage.handled_updates``) after its handling and before that 200:

- the bot stops or crashes while handling: no record and no 200, so
  Telegram posts it again and the next run handles it (at worst a reply
  sent twice, never an update lost);
- it stops after the record and before the 200: the redelivery finds the
  record and is answered 200 without handling;
- Telegram gives up waiting and posts it again while the first delivery is
  still being handled: the second waits for the first's outcome (the ids in
  hand are kept in memory), and neither handles it twice.

Recording before handling would lose an update to a crash in between: its
redelivery would find the id and be dropped unhandled.

Polling needs none of this: its offset confirms each update to Telegram
once, and its updates never pass through here.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime

import aiosqlite
from telegram import Update

from metrics import Metrics
from storage.handled_updates import record_handled, was_handled

log = logging.getLogger(__name__)


class HandledOnce:
    """Which webhook updates are in hand and which were handled; see the module docstring."""

    def __init__(
        self,
        db: Callable[[], aiosqlite.Connection],
        now: Callable[[], datetime],
        metrics: Metrics,
    ) -> None:
        self.db = db
        self.now = now
        self.metrics = metrics
        # Updates queued and not yet handled: their deliveries wait on these.
        self.in_hand: dict[int, asyncio.Future[bool]] = {}

    async def deliver(self, update_id: int, start: Callable[[], Awaitable[bool]]) -> bool:
        """Handle update ``update_id`` unless it was handled before; True once it is handled.

        ``start`` queues it for handling, or returns False when there is
        nothing to handle (an update the library cannot read); ``finished``
        reports the handling's end. False: the bot stopped before handling it.
        """
        earlier = self.in_hand.get(update_id)
        if earlier is not None:
            self.metrics.webhook_redelivered.inc()
            return await asyncio.shield(earlier)
        outcome: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.in_hand[update_id] = outcome
        try:
            if await self._handled_before(update_id):
                self.metrics.webhook_redelivered.inc()
                self._settle(update_id, True)
            elif not await start():
                self._settle(update_id, True)
        except BaseException:
            self._settle(update_id, False)
            raise
        return await asyncio.shield(outcome)

    async def finished(self, update: object, handled: bool) -> None:
        """The Application is done with ``update``: ``handled``, or stopped half-way."""
        if not isinstance(update, Update) or update.update_id not in self.in_hand:
            return  # not one of the webhook's
        try:
            if handled:
                await record_handled(self.db(), update.update_id, self.now())
        except (sqlite3.Error, ValueError) as error:  # ValueError: the connection is closed
            log.warning(
                "could not record update %d as handled (%s); if Telegram posts it again, "
                "it is handled again",
                update.update_id,
                error,
            )
        finally:
            # Whatever happened, its delivery is answered: the bot never leaves Telegram waiting.
            self._settle(update.update_id, handled)

    async def _handled_before(self, update_id: int) -> bool:
        try:
            return await was_handled(self.db(), update_id, self.now())
        except (sqlite3.Error, ValueError) as error:
            # Better handled twice than never.
            log.warning("could not check whether update %d was handled (%s)", update_id, error)
            return False

    def _settle(self, update_id: int, handled: bool) -> None:
        outcome = self.in_hand.pop(update_id, None)
        if outcome is not None and not outcome.done():
            outcome.set_result(handled)
