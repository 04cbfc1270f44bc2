"""When the next broadcast message may go: the overall rate, each chat's pace, flood pauses.

Telegram counts messages in sliding windows: about 30 a second overall, one a
second in a chat, 20 a minute in a group or channel. Requests reach it with
some jitter, so pacing exactly at a limit would now and then land one over it
and earn a 429. The pacer therefore spaces messages evenly a few percent
below each limit and never lets idle time turn into a burst.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

# Fraction of each limit actually used: the rest absorbs request jitter.
HEADROOM = 0.97
PRIVATE_CHAT_GAP = 1.0 / HEADROOM  # one message a second in a chat
GROUP_CHAT_GAP = 60.0 / 20 / HEADROOM  # twenty a minute in a group or channel


class Pacer:
    def __init__(
        self,
        rate: float,
        *,
        private_gap: float = PRIVATE_CHAT_GAP,
        group_gap: float = GROUP_CHAT_GAP,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / (rate * HEADROOM)
        # How late a slot may be and still count as on schedule. Bounded so that
        # any `rate` consecutive slots still span more than a second: the
        # headroom buys (1 / HEADROOM - 1) s, about 31 ms, and this spends 20 at most.
        self.tolerance = min(self.interval / 4, 0.02)
        self.private_gap = private_gap
        self.group_gap = group_gap
        self.clock = clock
        self.sleep = sleep
        self.next_slot = 0.0
        self.paused_until = 0.0
        self.chat_free_at: dict[int, float] = {}
        self.in_flight: set[int] = set()

    async def next_turn(self) -> None:
        """Wait for the next overall slot and reserve it.

        The slot is reserved as soon as it comes, before the database is
        asked what to send, so time spent there does not stretch the spacing.
        A slot a little late keeps the schedule (sleeping always wakes a little
        late, and that must not shave the rate); a longer idle spell restarts
        it from now rather than banking slots for a burst.
        """
        while True:
            now = self.clock()
            ready_at = max(self.next_slot, self.paused_until)
            if now >= ready_at:
                break
            await self.sleep(ready_at - now)
        self.next_slot = max(self.next_slot, now - self.tolerance) + self.interval

    def pause(self, seconds: float) -> None:
        """Flood control answered: nothing goes out until it has passed."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    def busy_chats(self) -> list[int]:
        """Chats that must not get a message now: one in flight, or sent to too recently."""
        now = self.clock()
        for chat_id in [chat for chat, free_at in self.chat_free_at.items() if free_at <= now]:
            del self.chat_free_at[chat_id]
        return sorted(self.in_flight | self.chat_free_at.keys())

    def seconds_until_a_chat_frees(self) -> float | None:
        if not self.chat_free_at:
            return None
        return max(0.0, min(self.chat_free_at.values()) - self.clock())

    def chat_gap(self, chat_id: int) -> float:
        # Groups, supergroups and channels have negative ids.
        return self.group_gap if chat_id < 0 else self.private_gap

    def start(self, chat_id: int) -> None:
        self.in_flight.add(chat_id)
        self.chat_free_at[chat_id] = self.clock() + self.chat_gap(chat_id)

    def finish(self, chat_id: int) -> None:
        """The request is answered; the chat's gap counts from the answer, to be safe."""
        self.in_flight.discard(chat_id)
        self.chat_free_at[chat_id] = self.clock() + self.chat_gap(chat_id)
