"""Contact with Telegram: the bot's requests watched, updates read, start-up waiting.

``ObservedRequest`` wraps the transport PTB sends every call through. A
successful ``getUpdates`` (polling), ``getWebhookInfo`` (the webhook probe)
or ``getMe`` (start-up) is proof that Telegram answers, for /healthz; every
429 is counted
with the wait it asked for, whoever made the call (the alert sender, a
reply, PTB's rate limiter retrying).

``read_update`` turns one update's JSON into PTB's Update, or skips it with
one log line when PTB cannot read it (a field an older Bot API server, say
a self-hosted one behind ``BOT_API_URL``, does not send yet). ``UpdateReader``
is the bot, an ExtBot, whose getUpdates reads each update of a batch on its
own: PTB's reads the batch whole, so one such update failed the batch, which
was fetched again at once, forever, with a CRITICAL line quoting it each time.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ExtBot
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
# What a skipped update's log line may name as its kind: a field name, never a value.
_KIND = re.compile(r"[a-z_]{1,64}")


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


def read_update(data: object, bot: ExtBot, metrics: Metrics) -> Update | None:
    """The Update ``data`` holds, or None (logged in one line, and counted) if PTB cannot read it.

    The line names the update's id and kind and the exception's type, and
    nothing else: PTB's message may quote what a user wrote.
    """
    try:
        if not isinstance(data, dict):
            raise TypeError("an update is a JSON object")  # de_json reads null as no update
        update = Update.de_json(data, bot)
        bot.insert_callback_data(update)
        return update
    except Exception as error:  # whatever a field PTB does not expect makes its parser raise
        update_id, kind = update_id_of(data), kind_of(data)
        metrics.updates_skipped.labels(kind if kind in Update.ALL_TYPES else "other").inc()
        log.warning(
            "skipped update %s (%s): python-telegram-bot cannot read it (%s); not handled",
            update_id if update_id is not None else "without an id",
            kind,
            type(error).__name__,
        )
        return None


def update_id_of(data: object) -> int | None:
    found = data.get("update_id") if isinstance(data, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def kind_of(data: object) -> str:
    """An update's kind: the field beside update_id (message, callback_query, ...)."""
    if isinstance(data, dict):
        for key in data:
            if key != "update_id":
                return key if isinstance(key, str) and _KIND.fullmatch(key) else "unknown"
    return "unknown"


class UpdateReader(ExtBot):
    """An ExtBot whose getUpdates reads each update on its own and skips what it cannot read.

    The Updater confirms a batch by asking from its last update's id + 1; a
    skipped update after the last one read is confirmed by asking from past
    it at the next call, so it is fetched once, not again and again.
    """

    __slots__ = ("_metrics", "_skip_before")

    def __init__(self, metrics: Metrics, **options) -> None:
        super().__init__(**options)
        self._metrics = metrics
        self._skip_before: int | None = None

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | dtm.timedelta | None = None,
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
        api_kwargs: dict | None = None,
    ) -> tuple[Update, ...]:
        skip_before = self._skip_before
        if skip_before is not None and (offset is None or 0 <= offset < skip_before):
            offset = skip_before
        # The long poll's wait on top of the transport's read timeout, as Bot.get_updates adds it.
        if read_timeout is BaseRequest.DEFAULT_NONE:
            read_timeout = self._request[0].read_timeout  # the getUpdates transport's
        waiting = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else timeout
        batch = await self._post(
            "getUpdates",
            {
                "timeout": timeout,
                "offset": offset,
                "limit": limit,
                "allowed_updates": allowed_updates,
            },
            read_timeout=(read_timeout or 0) + (waiting or 0),
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            api_kwargs=api_kwargs,
        )
        updates = []
        for data in batch:
            update = read_update(data, self, self._metrics)
            if update is not None:
                updates.append(update)
                continue
            update_id = update_id_of(data)
            if update_id is not None and (skip_before is None or update_id >= skip_before):
                skip_before = self._skip_before = update_id + 1
        return tuple(updates)


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
