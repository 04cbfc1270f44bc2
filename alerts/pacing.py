"""When the next broadcast message may go: the overall rate, each chat's pace, flood pauses.

Telegram counts messages in sliding windows: about 30 a second overall, one a
second in a chat, 20 a minute in a group or channel. Requests reach it with
some jitter, so pacing exactly at a limit would now and then land one over it
and earn a 429. The pacer therefore spaces messages evenly a few percent
below each limit and never lets idle time turn into a burst.

A request can also leave late: the process stalls (a busy host) between its
turn and the socket. Then the schedule, which kept its phase, would put the
next ``rate`` requests within a second of that late one. So the pacer also
watches when requests were answered: a request answered late is taken to have
arrived late, and the one ``rate`` turns after it waits until a second has
passed since then. (A 429 costs a whole second of sending; this costs a few
milliseconds, and only after a stall.)
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

# Fraction of each limit actually used: the rest absorbs request jitter.
HEADROOM = 0.97
PRIVATE_CHAT_GAP = 1.0 / HEADROOM  # one message a second in a chat
GROUP_CHAT_GAP = 60.0 / 20 / HEADROOM  # twenty a minute in a group or channel


class Turn:
    """One request's place in the schedule: when it was let go, and when it was answered."""

    __slots__ = ("answered_at", "taken_at")

    def __init__(self, taken_at: float) -> None:
        self.taken_at = taken_at
        self.answered_at: float | None = None


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
        # headroom buys (1 / HEADROOM - 1) s, about 31 ms, and this spends 10 at
        # most, leaving 20 for the requests' own jitter on their way to Telegram.
        self.tolerance = min(self.interval / 4, 0.01)
        # The last ``rate`` turns: a new one waits a second after the oldest left.
        self.window: deque[Turn] = deque(maxlen=max(1, math.floor(rate)))
        self.fastest_round_trip = math.inf
        self.private_gap = private_gap
        self.group_gap = group_gap
        self.clock = clock
        self.sleep = sleep
        self.next_slot = 0.0
        self.paused_until = 0.0
        self.chat_free_at: dict[int, float] = {}
        self.in_flight: set[int] = set()

    async def next_turn(self) -> Turn:
        """Wait for the next overall slot and reserve it; the request goes right away.

        A slot a little late keeps the schedule (sleeping always wakes a little
        late, and that must not shave the rate); a longer idle spell restarts
        it from now rather than banking slots for a burst. Give the turn back
        to ``answered`` when Telegram answers the request.
        """
        while True:
            now = self.clock()
            ready_at = max(self.next_slot, self.paused_until)
            if len(self.window) == self.window.maxlen:
                ready_at = max(ready_at, self.left_at(self.window[0]) + 1.0)
            if now >= ready_at:
                break
            await self.sleep(ready_at - now)
        self.next_slot = max(self.next_slot, now - self.tolerance) + self.interval
        turn = Turn(now)
        self.window.append(turn)
        return turn

    def answered(self, turn: Turn) -> None:
        """Telegram answered the request of ``turn`` (with anything but a network error)."""
        turn.answered_at = self.clock()
        self.fastest_round_trip = min(self.fastest_round_trip, turn.answered_at - turn.taken_at)

    def left_at(self, turn: Turn) -> float:
        """The latest the turn's request can have left: an answer later than the fastest
        round trip says it left that much later than its turn (a stall of this process,
        a new connection, the network on the way there)."""
        if turn.answered_at is None:
            return turn.taken_at
        return max(turn.taken_at, turn.answered_at - self.fastest_round_trip)

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
