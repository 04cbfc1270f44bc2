"""Every update counted by kind and timed from its arrival to the end of its handling.

The same wrapper tells whoever waits for an update (the webhook, which
answers Telegram once its update is handled: ``operations/redelivery.py``)
that its handling is over.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from metrics import Metrics


def update_kind(update: object) -> str:
    """message, callback_query, inline_query, my_chat_member, ...: the field the update carries."""
    if not isinstance(update, Update):
        return "other"
    for kind in Update.ALL_TYPES:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


class MeasuredUpdates(SimpleUpdateProcessor):
    """PTB's default processor (one update at a time), with a stopwatch around each update.

    It wraps the whole of ``Application.process_update``: every handler group,
    the replies they await, and error handlers, for updates that come from
    polling or the webhook.
    """

    def __init__(self, metrics: Metrics, max_concurrent_updates: int = 1) -> None:
        super().__init__(max_concurrent_updates)
        self.metrics = metrics
        # Awaited after each update with whether it was handled (False: the
        # bot stopped half-way); set in webhook mode.
        self.after_each: Callable[[object, bool], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self.metrics.updates.labels(update_kind(update)).inc()
        started = time.perf_counter()
        handled = True  # a handler's error is handled too: an error handler answered it
        try:
            await coroutine
        except asyncio.CancelledError:
            handled = False
            raise
        finally:
            self.metrics.reply_seconds.observe(time.perf_counter() - started)
            if self.after_each is not None:
                await self.after_each(update, handled)
