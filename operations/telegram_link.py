"""Whether Telegram answers: the bot's requests watched, and start-up waiting for the network.

``ObservedRequest`` wraps the transport PTB sends every call through. A
successful ``getUpdates`` (polling), ``getWebhookInfo`` (the webhook probe)
or ``getMe`` (start-up) is proof that Telegram answers, for /healthz; every
429 is counted
with the wait it asked for, whoever made the call (the alert sender, a
reply, PTB's rate limiter retrying).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from config import ConfigError
from metrics import Metrics

log = logging.getLogger(__name__)

CONTACT_KEY = "telegram_contact"
# Calls whose success shows Telegram is there and will hand the bot its updates
# (getMe: at start-up, before the first long poll has returned).
PROOF_OF_CONTACT = ("getupdates", "getwebhookinfo", "getme")
# Waits between attempts to reach Telegram at start-up: quick at first, then once a minute.
START_UP_BACKOFF = (1, 2, 4, 8, 15, 30, 60)


class TelegramContact:
    """When the bot last heard from Telegram; logs once when contact is lost and once back."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_heard: float | None = None
        self.lost_since: float | None = None
        self.problem: str | None = None  # what Telegram says is wrong (the webhook's last error)

    def heard(self) -> None:
        now = self.clock()
        if self.lost_since is not None:
            log.info("Telegram answers again after %.0f s", now - self.lost_since)
            self.lost_since = None
        self.last_heard = now

    def lost(self, error: Exception) -> None:
        """A call that proves contact failed (PTB's polling error callback, too)."""
        if self.lost_since is None:
            log.warning("lost contact with Telegram (%s); retrying", describe(error))
            self.lost_since = self.clock()

    def seconds_since_heard(self) -> float | None:
        return None if self.last_heard is None else self.clock() - self.last_heard


def contact_of(application: Application) -> TelegramContact:
    """The Application's record of contact with Telegram (made on first use)."""
    found = application.bot_data.get(CONTACT_KEY)
    if found is None:
        found = application.bot_data[CONTACT_KEY] = TelegramContact()
    return found


def describe(error: BaseException) -> str:
    """An error in a few words, for one log line."""
    return f"{type(error).__name__}: {error}"


class ObservedRequest(BaseRequest):
    """A BaseRequest that passes everything to ``inner`` and watches the answers."""

    __slots__ = ("contact", "inner", "metrics")

    def __init__(self, inner: BaseRequest, contact: TelegramContact, metrics: Metrics) -> None:
        self.inner = inner
        self.contact = contact
        self.metrics = metrics

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, payload = await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if status == 429:
            self.metrics.count_flood_wait(retry_after(payload))
        elif status == 200 and url.rsplit("/", 1)[-1].lower() in PROOF_OF_CONTACT:
            self.contact.heard()
        return status, payload


def retry_after(payload: bytes) -> float:
    """The wait a 429 answer asks for, in seconds (0 when it does not say)."""
    try:
        return float(json.loads(payload)["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return 0.0


async def reach_telegram(
    application: Application,
    api_url: str,
    stop: asyncio.Event,
    *,
    backoff: Sequence[float] = START_UP_BACKOFF,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> bool:
    """Initialise the Application (its first call is getMe), waiting out a network outage.

    Returns False if ``stop`` was set while waiting. A token Telegram refuses
    is a ConfigError: waiting would not help. (PTB's own message for that
    error quotes the token, so it is never passed on.)
    """
    attempt = 0
    while not stop.is_set():
        try:
            await application.initialize()
            return True
        except InvalidToken:
            raise ConfigError(
                "BOT_TOKEN", "Telegram refused this token; check it with @BotFather"
            ) from None
        except (NetworkError, TelegramError, OSError) as error:
            delay = backoff[min(attempt, len(backoff) - 1)]
            attempt += 1
            log.warning(
                "cannot reach Telegram at %s (%s); trying again in %g s",
                api_url,
                describe(error),
                delay,
            )
            if sleep is not None:
                await sleep(delay)
            else:
                await wait_or_stop(stop, delay)
    return False


async def wait_or_stop(stop: asyncio.Event, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            await stop.wait()
    except TimeoutError:
        pass
