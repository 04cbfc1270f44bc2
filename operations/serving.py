"""The long-running bot: polling or webhook, the HTTP server beside it, a clean stop.

``run_bot`` is ``python bot.py run``: it takes the database's lock (one
bot per database) and checks the database (a bad one, or one another bot
runs on, stops the process at once, with one line), reaches Telegram
(waiting out a network outage with a line per attempt), then serves until
SIGINT or SIGTERM. ``serving`` is the part between start and stop, which the tests
drive directly.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from telegram import WebhookInfo
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ContextTypes

from alerts.service import alert_service
from config import ConfigError, Settings
from handlers.shared.services import SERVICES_KEY
from metrics import metrics_of
from operations.backups import DailyBackups
from operations.gauges import refresh_gauges
from operations.health import DATABASE_TIMEOUT, Health
from operations.redelivery import HandledOnce
from operations.telegram_link import (
    START_UP_BACKOFF,
    TelegramContact,
    contact_of,
    reach_telegram,
)
from operations.web import WebhookReceiver, WebServer, web_application
from storage.bot_lock import bot_lock
from storage.db import connect

log = logging.getLogger(__name__)

WEBHOOK_PROBE_JOB = "webhook-probe"
# Telegram posts only when there is an update; a quiet night would look like
# silence, so the webhook's state is asked for this often.
WEBHOOK_PROBE_SECONDS = 20
# Telegram's last error counts while this recent (it retries a failed delivery).
WEBHOOK_ERROR_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class Running:
    port: int | None  # where /healthz and /metrics (and the webhook) listen; None: nowhere
    health: Health


async def check_database(settings: Settings) -> None:
    """Open (and migrate) the database once: DatabaseUnavailable now, not after start-up."""
    db = await connect(settings.db_path)
    await db.close()


async def run_bot(
    application: Application, settings: Settings, backoff: Sequence[float] = START_UP_BACKOFF
) -> int:
    """Serve until SIGINT or SIGTERM; 0 after a clean stop.

    The database's lock is taken first, before the outbox or Telegram is
    touched: a second bot on one database stops here (storage/bot_lock.py).
    """
    with bot_lock(settings.db_path):
        return await _run(application, settings, backoff)


async def _run(application: Application, settings: Settings, backoff: Sequence[float]) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(stop_signal, stop.set)
    try:
        await check_database(settings)
        if not await reach_telegram(application, settings.api_url, stop, backoff=backoff):
            log.info("stopped before Telegram could be reached")
            return 0
        async with serving(application, settings):
            await stop.wait()
            log.info("stopping: in-flight alerts are allowed to finish")
    finally:
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(stop_signal)
    return 0


@asynccontextmanager
async def serving(application: Application, settings: Settings) -> AsyncIterator[Running]:
    """Start an initialised Application as ``run`` does; stop and shut it down on exit."""
    web: WebServer | None = None
    try:
        await application.post_init(application)
        await application.start()
        web, port = await _start_updates(application, settings)
        yield Running(port, _health(application, settings))
    finally:
        if web is not None:
            await web.stop()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
            await application.post_stop(application)
        await application.shutdown()
        await application.post_shutdown(application)


def _health(application: Application, settings: Settings) -> Health:
    return Health(
        settings,
        contact_of(application),
        alert_service(application),
        lambda: application.bot_data[SERVICES_KEY].db,
    )


async def _start_updates(
    application: Application, settings: Settings
) -> tuple[WebServer | None, int | None]:
    """Webhook or polling, the HTTP server, and the daily backup; the server and its port."""
    contact = contact_of(application)
    metrics = metrics_of(application)
    alerts = alert_service(application)
    services = application.bot_data[SERVICES_KEY]

    async def refresh() -> None:
        async with asyncio.timeout(DATABASE_TIMEOUT):
            await refresh_gauges(metrics, services.db, alerts.now().date(), settings.stale_days)

    if settings.backup_dir is not None:
        backups = DailyBackups(settings, lambda: services.db, alerts.now)
        await backups.start(application.job_queue)

    health = _health(application, settings)
    if settings.webhook_url:
        once = HandledOnce(lambda: services.db, alerts.now, metrics)
        application.update_processor.after_each = once.finished
        receiver = WebhookReceiver(application, settings.webhook_secret, contact, metrics, once)
        web = WebServer(
            web_application(health, metrics, refresh, (settings.webhook_path, receiver))
        )
        # Listening first: Telegram may post as soon as the webhook is set.
        port = web.start(settings.listen, "BOT_LISTEN")
        try:
            await application.bot.set_webhook(
                settings.webhook_url, secret_token=settings.webhook_secret
            )
        except BadRequest as error:
            await web.stop()
            raise ConfigError("BOT_WEBHOOK_URL", f"Telegram refused it: {error.message}") from None
        application.job_queue.run_repeating(
            _probe_webhook,
            interval=WEBHOOK_PROBE_SECONDS,
            first=0,
            name=WEBHOOK_PROBE_JOB,
            data=settings.webhook_url,
        )
        log.info(
            "webhook mode: Telegram posts to %s; listening on %s:%d (with /healthz, /metrics)",
            settings.webhook_url,
            settings.listen[0],
            port,
        )
        return web, port
    # PTB's default error callback logs a traceback per failed poll; one line
    # when contact is lost and one when it is back say the same.
    await application.updater.start_polling(error_callback=contact.lost)
    if settings.http_listen is None:
        log.info("polling Telegram for updates")
        return None, None
    web = WebServer(web_application(health, metrics, refresh))
    port = web.start(settings.http_listen, "BOT_HTTP")
    log.info(
        "polling Telegram for updates; /healthz and /metrics on %s:%d",
        settings.http_listen[0],
        port,
    )
    return web, port


async def _probe_webhook(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask Telegram how the webhook fares: proof of contact, and its last delivery error."""
    contact: TelegramContact = contact_of(context.application)
    try:
        info = await context.bot.get_webhook_info()
    except TelegramError as error:
        contact.lost(error)
        return
    problem = webhook_problem(info, context.job.data, datetime.now(UTC))
    if problem != contact.problem and problem is not None:
        log.warning("webhook: %s", problem)
    contact.problem = problem


def webhook_problem(info: WebhookInfo, url: str, now: datetime) -> str | None:
    """What is wrong with the webhook as Telegram sees it, or None."""
    if info.url != url:
        where = info.url or "nowhere"
        return f"Telegram's webhook points to {where}, not BOT_WEBHOOK_URL"
    failing = info.last_error_date is not None and now - info.last_error_date < WEBHOOK_ERROR_WINDOW
    if failing and info.pending_update_count:
        return f"Telegram cannot deliver updates to the webhook: {info.last_error_message}"
    return None
