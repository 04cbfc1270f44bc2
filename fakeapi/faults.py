"""Failures on demand: scripted error replies, lost replies and flood control."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from fakeapi.errors import ApiError

# The calls Telegram's flood control counts: each one puts a message in a chat.
RATE_LIMITED = frozenset(
    {"sendmessage", "senddocument", "sendphoto", "copymessage", "forwardmessage"}
)


@dataclass
class Plan:
    """One scripted outcome for the next ``times`` matching calls."""

    method: str | None  # lower-cased; None matches every method
    chat_id: int | str | None
    times: int
    error: ApiError | None = None  # None: the reply is lost instead (a timeout)
    delivered: bool = False  # for a lost reply: whether Telegram acted on the call anyway
    after: int = 0  # matching calls to let through before the plan applies

    def matches(self, method: str, params: dict) -> bool:
        if self.times <= 0:
            return False
        if self.method is not None and self.method != method.lower():
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id


def take(plans: list[Plan], method: str, params: dict) -> Plan | None:
    """The first plan that applies to this call, used up by one."""
    for plan in plans:
        if plan.matches(method, params):
            if plan.after > 0:
                plan.after -= 1
                continue
            plan.times -= 1
            if plan.times == 0:
                plans.remove(plan)
            return plan
    return None


class RateLimiter:
    """Telegram's published limits as sliding windows; a send over any limit gets a 429."""

    def __init__(self, per_second: int, per_chat_per_second: int, per_group_per_minute: int):
        if min(per_second, per_chat_per_second, per_group_per_minute) < 1:
            raise ValueError("every limit must allow at least one send")
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.per_group_per_minute = per_group_per_minute
        self.everything: deque[float] = deque()
        self.per_chat: dict[object, deque[float]] = {}
        self.per_group: dict[object, deque[float]] = {}

    def admit(self, chat_id: object, now: float) -> None:
        """Count the send, or raise the 429 Telegram would answer."""
        chat_log = self.per_chat.setdefault(chat_id, deque())
        checks = [
            (self.everything, 1.0, self.per_second),
            (chat_log, 1.0, self.per_chat_per_second),
        ]
        is_group = isinstance(chat_id, int) and chat_id < 0
        if is_group:
            group_log = self.per_group.setdefault(chat_id, deque())
            checks.append((group_log, 60.0, self.per_group_per_minute))
        wait = 0.0
        for log, window, allowed in checks:
            while log and log[0] <= now - window:
                log.popleft()
            if len(log) >= allowed:
                wait = max(wait, log[len(log) - allowed] + window - now)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise ApiError(429, parameters={"retry_after": retry_after})
        for log, _, _ in checks:
            log.append(now)
