"""A chat that floods the bot is told to slow down, once, and then not answered for a while.

Every chat has a token bucket: ``BURST`` updates at once, then ``PER_SECOND``
on average, which no person reaches by typing or pressing buttons. A chat
that empties it gets one "slow down" and is ignored for ``QUIET_FOR``
seconds: its updates stop here, before any handler reads the database or
renders a text, so a flood costs the bot little and other people's replies
stay fast. Only counts and times are kept, in memory, per chat id; never
what was sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, TypeHandler

from handlers.shared.replies import chat_language, send
from handlers.shared.services import services

BURST = 20
PER_SECOND = 5.0
QUIET_FOR = 60.0
# Before every other group, the admin menu's included.
FLOOD_GROUP = -20
GATE_KEY = "flood_gate"
# Chats tracked before idle ones are forgotten: a bucket refilled to the brim
# carries nothing worth keeping.
MAX_TRACKED = 10_000


class Verdict(Enum):
    ADMIT = "admit"
    WARN = "warn"  # the first update over the limit: say so, then ignore
    IGNORE = "ignore"


@dataclass
class Bucket:
    tokens: float
    filled_at: float
    quiet_until: float = 0.0


class FloodGate:
    """Token buckets per chat (or per user, for updates without a chat)."""

    def __init__(
        self,
        *,
        burst: int = BURST,
        per_second: float = PER_SECOND,
        quiet_for: float = QUIET_FOR,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.per_second = per_second
        self.quiet_for = quiet_for
        self.clock = clock
        self.buckets: dict[int, Bucket] = {}

    def admit(self, key: int) -> Verdict:
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) >= MAX_TRACKED:
                self._forget_idle(now)
            bucket = self.buckets[key] = Bucket(float(self.burst), now)
        if now < bucket.quiet_until:
            return Verdict.IGNORE
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.filled_at) * self.per_second)
        bucket.filled_at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ADMIT
        # Quiet for a while, then a full bucket again.
        bucket.quiet_until = now + self.quiet_for
        bucket.tokens, bucket.filled_at = float(self.burst), bucket.quiet_until
        return Verdict.WARN

    def _forget_idle(self, now: float) -> None:
        refill = self.burst / self.per_second
        for key in [
            key
            for key, bucket in self.buckets.items()
            if bucket.quiet_until <= now and now - bucket.filled_at >= refill
        ]:
            del self.buckets[key]


def gate(application: Application) -> FloodGate:
    """This Application's gate, made on first use (tests put one with their clock first)."""
    return application.bot_data.setdefault(GATE_KEY, FloodGate())


def flood_key(update: Update) -> int | None:
    """Whose update this is, for counting: the chat, else the user; None: not counted."""
    if update.my_chat_member is not None or update.chat_member is not None:
        return None  # Telegram's news about members, not something a person sent
    if update.channel_post is not None or update.edited_channel_post is not None:
        return None  # a channel's own posts, not written to the bot (and never to be answered)
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


async def check(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Let the update through, or stop it here (telling the chat once)."""
    if not isinstance(update, Update) or (key := flood_key(update)) is None:
        return
    verdict = gate(context.application).admit(key)
    if verdict is Verdict.ADMIT:
        return
    if verdict is Verdict.WARN:
        lang = await chat_language(update, context)
        minutes = max(1, round(gate(context.application).quiet_for / 60))
        if update.callback_query is not None:
            text = services(context).messages.label("slow_down_alert", lang, minutes=minutes)
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat is not None:
            await send(update, context, "slow_down", lang, minutes=minutes)
    raise ApplicationHandlerStop


def handler() -> TypeHandler:
    return TypeHandler(Update, check)
