"""The bot's HTTP server: Telegram's webhook, /healthz and /metrics, on tornado.

Tornado is what python-telegram-bot's own webhook server runs on (its
``webhooks`` extra); this server adds the two monitoring paths beside the
webhook, which PTB's does not allow. A webhook request is checked before
its body is read: without Telegram's secret header it gets 403 and nothing
else happens; a body is at most 1 MiB (Telegram's updates are far
smaller). A body that is not an update gets 400; an update the library
cannot read gets 200 and is skipped, with one log line; an update gets 200
once it is handled, and one handled before is not handled again.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import socket
import sqlite3
from collections.abc import Awaitable, Callable

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from config import ConfigError
from metrics import Metrics
from operations.health import Health
from operations.redelivery import HandledOnce
from operations.telegram_link import TelegramContact, read_update, update_id_of

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES = 1024 * 1024
# A client that sends nothing for this long is dropped; a body must arrive in this time.
IDLE_SECONDS = 60.0
BODY_SECONDS = 10.0


class WebhookReceiver:
    """Turns Telegram's webhook requests into updates on the Application's queue.

    An update is answered once it is handled, and handled once however often
    Telegram posts it (``operations/redelivery.py`` says why in that order).
    """

    def __init__(
        self,
        application: Application,
        secret: str,
        contact: TelegramContact,
        metrics: Metrics,
        once: HandledOnce,
    ) -> None:
        self.application = application
        self.secret = secret.encode()
        self.contact = contact
        self.metrics = metrics
        self.once = once

    def secret_matches(self, given: str | None) -> bool:
        # Constant time: how much of a guess was right must not show in the timing.
        return given is not None and hmac.compare_digest(given.encode(), self.secret)

    def refuse(self, reason: str) -> None:
        self.metrics.webhook_refused.labels(reason).inc()

    async def accept(self, body: bytes) -> int:
        """The HTTP status for a posted ``body``: 200 once its update is handled (or was).

        400 (and nothing queued) if it holds no update. An update PTB cannot
        read is acknowledged (200), or Telegram would post it again and again,
        and skipped with one log line (``read_update``). 503 if the bot
        stopped before handling it: Telegram posts it again to the next run.
        """
        data = update_data(body)
        if data is None:
            self.refuse("body")
            return 400
        self.contact.heard()

        async def start() -> bool:
            update = read_update(data, self.application.bot, self.metrics)
            if update is None:
                return False
            await self.application.update_queue.put(update)
            return True

        handled = await self.once.deliver(data["update_id"], start)
        return 200 if handled else 503


def update_data(body: bytes) -> dict | None:
    """The JSON object ``body`` holds if it is an update (it has an update_id), else None."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON (or not UTF-8), or nested past Python's limit
        return None
    return data if update_id_of(data) is not None else None


@tornado.web.stream_request_body
class WebhookHandler(tornado.web.RequestHandler):
    """POST from Telegram: 200 once handled (or skipped), 403 without the secret, 400 for a
    bad body."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, receiver: WebhookReceiver) -> None:
        self.receiver = receiver
        self.chunks: list[bytes] = []

    def prepare(self) -> None:
        # Streaming: this runs on the headers, before any of the body is read.
        if not self.receiver.secret_matches(self.request.headers.get(SECRET_HEADER)):
            self.refuse(403, "secret")
            return
        declared = self.request.headers.get("Content-Length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            self.refuse(413, "body")
            return
        # A body sent in chunks without a length still stops at the limit.
        self.request.connection.set_max_body_size(MAX_BODY_BYTES)

    def refuse(self, status: int, reason: str) -> None:
        """Answer without reading the body; the connection cannot be used again after that."""
        self.receiver.refuse(reason)
        self.set_status(status)
        self.set_header("Connection", "close")
        self.finish()

    def data_received(self, chunk: bytes) -> None:
        if not self._finished:
            self.chunks.append(chunk)

    async def post(self) -> None:
        status = await self.receiver.accept(b"".join(self.chunks))
        if status != 200:
            self.send_error(status)
            return
        self.set_status(200)
        self.finish()


class HealthHandler(tornado.web.RequestHandler):
    def initialize(self, health: Health) -> None:
        self.health = health

    async def get(self) -> None:
        status, body = await self.health.report()
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))


class MetricsHandler(tornado.web.RequestHandler):
    def initialize(self, metrics: Metrics, refresh: Callable[[], Awaitable[None]]) -> None:
        self.metrics = metrics
        self.refresh = refresh

    async def get(self) -> None:
        try:
            await self.refresh()
        except (sqlite3.Error, ValueError, KeyError, TimeoutError) as error:
            # The counters are still worth having; /healthz says what is wrong.
            log.warning("metrics: the database gauges could not be read (%s)", error)
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(generate_latest(self.metrics.registry))


def web_application(
    health: Health,
    metrics: Metrics,
    refresh: Callable[[], Awaitable[None]],
    webhook: tuple[str, WebhookReceiver] | None = None,
) -> tornado.web.Application:
    """/healthz, /metrics, and with ``webhook`` (path, receiver) Telegram's webhook."""
    routes = [
        (r"/healthz", HealthHandler, {"health": health}),
        (r"/metrics", MetricsHandler, {"metrics": metrics, "refresh": refresh}),
    ]
    if webhook is not None:
        path, receiver = webhook
        routes.append((re.escape(path), WebhookHandler, {"receiver": receiver}))
    # Tornado's access log would be a line per request (Telegram's, the monitor's).
    return tornado.web.Application(routes, log_function=lambda handler: None)


class WebServer:
    def __init__(self, application: tornado.web.Application) -> None:
        self.http = HTTPServer(
            application,
            max_body_size=MAX_BODY_BYTES,
            idle_connection_timeout=IDLE_SECONDS,
            body_timeout=BODY_SECONDS,
        )
        self.sockets: list[socket.socket] = []

    def start(self, address: tuple[str, int], variable: str) -> int:
        """Listen on ``address``; return the port (``variable`` names it in an error)."""
        host, port = address
        try:
            self.sockets = bind_sockets(port, address=host)
        except (OSError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise ConfigError(variable, f"cannot listen on {host}:{port}: {reason}") from None
        self.http.add_sockets(self.sockets)
        return self.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.http.stop()
        await self.http.close_all_connections()
