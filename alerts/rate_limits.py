"""One owner for each flood-control wait: replies retry inside the limiter, broadcasts don't.

PTB's AIORateLimiter can retry a request that got a 429, after waiting the
retry_after Telegram asked for (holding back every request meanwhile). That
suits a reply: the user gets it a little late. A broadcast already has an
owner for that wait, the sender's Pacer, which pauses everything for the
retry_after and sends the message again. If the limiter retried a broadcast
message too, one 429 could cost its wait twice, once inside the limiter and
once more in the pacer when the limiter gives up.

So the sender marks its requests with ``BROADCAST`` (PTB's ``rate_limit_args``)
and the limiter makes exactly one attempt at them; the RetryAfter reaches the
sender, which waits once. Every other request retries as before.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import AIORateLimiter

# How often a reply that met flood control is tried again (after each wait).
REPLY_RETRIES = 3


class _Broadcast:
    """The rate_limit_args of a paced broadcast request: one attempt, no retry."""

    def __repr__(self) -> str:
        return "BROADCAST"


BROADCAST = _Broadcast()


class RateLimiter(AIORateLimiter):
    """AIORateLimiter whose retries are for replies only."""

    def __init__(self, reply_retries: int = REPLY_RETRIES) -> None:
        # The limiter's own default is used when a call gives no count: none, for broadcasts.
        super().__init__(max_retries=0)
        self.reply_retries = reply_retries

    async def process_request(
        self,
        callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ):
        # None: the limiter's default set above, a single attempt.
        retries = None if rate_limit_args is BROADCAST else rate_limit_args or self.reply_retries
        return await super().process_request(callback, args, kwargs, endpoint, data, retries)
