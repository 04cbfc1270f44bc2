"""The bot's Prometheus metrics: one registry per Application, served at /metrics.

Counters and the latency histogram move where things happen (an update
handled, a name looked up, a delivery attempted, a 429 from Telegram); the
gauges that describe the database (the outbox, cases by status, the last
daily run and backup) are set from it just before each scrape
(``operations/web.py``). A registry of its own, not prometheus_client's
global one, so each Application (and each test) counts alone.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application

METRICS_KEY = "metrics"
# Seconds: a reply is quick under 0.25 s; more than 5 s is felt as broken.
REPLY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.updates = Counter(
            "casewatch_updates", "Updates from Telegram, by kind", ["kind"], registry=registry
        )
        self.reply_seconds = Histogram(
            "casewatch_reply_seconds",
            "Time from an update's arrival to the end of its handling (replies sent)",
            buckets=REPLY_BUCKETS,
            registry=registry,
        )
        self.name_lookups = Counter(
            "casewatch_name_lookups",
            "Name searches, by outcome (match, choose, none, too_short)",
            ["outcome"],
            registry=registry,
        )
        self.deliveries = Counter(
            "casewatch_deliveries",
            "Alert delivery attempts, by outcome",
            ["outcome"],
            registry=registry,
        )
        self.flood_control = Counter(
            "casewatch_telegram_429",
            "Answers 429 Too Many Requests from Telegram",
            registry=registry,
        )
        self.flood_wait_seconds = Counter(
            "casewatch_telegram_429_wait_seconds",
            "Seconds Telegram's 429 answers asked the bot to wait, added up",
            registry=registry,
        )
        self.updates_skipped = Counter(
            "casewatch_updates_skipped",
            "Updates python-telegram-bot could not read, skipped unanswered, by kind",
            ["kind"],
            registry=registry,
        )
        self.webhook_redelivered = Counter(
            "casewatch_webhook_redelivered",
            "Updates Telegram posted again once they were handled or in hand: not handled again",
            registry=registry,
        )
        self.webhook_refused = Counter(
            "casewatch_webhook_refused",
            "Webhook requests refused, by reason (secret, body)",
            ["reason"],
            registry=registry,
        )
        self.outbox_pending = Gauge(
            "casewatch_outbox_pending",
            "Deliveries waiting to be sent, by alert kind",
            ["kind"],
            registry=registry,
        )
        self.db_write_failures = Counter(
            "casewatch_db_write_failures",
            "Writes to the database that failed for the file's sake (disk full, I/O error, locked)",
            registry=registry,
        )
        self.cases = Gauge("casewatch_cases", "Cases by status", ["status"], registry=registry)
        self.stale_cases = Gauge(
            "casewatch_stale_cases",
            "Cases whose status was last confirmed more than BOT_STALE_DAYS ago",
            registry=registry,
        )
        self.last_daily_run = Gauge(
            "casewatch_last_daily_run_timestamp_seconds",
            "When the daily alert run last finished (Unix time; 0: never)",
            registry=registry,
        )
        self.last_backup = Gauge(
            "casewatch_last_backup_timestamp_seconds",
            "When the last good daily backup was made (Unix time; 0: never)",
            registry=registry,
        )

    def count_delivery(self, error: BaseException | None = None) -> None:
        """One delivery attempt: sent when ``error`` is None, else what the error was."""
        self.deliveries.labels(delivery_outcome(error)).inc()

    def count_flood_wait(self, seconds: float) -> None:
        self.flood_control.inc()
        self.flood_wait_seconds.inc(max(seconds, 0.0))


def delivery_outcome(error: BaseException | None) -> str:
    """The label of an attempt's outcome; subclasses before their bases (BadRequest is a
    NetworkError in PTB)."""
    if error is None:
        return "sent"
    for kind, label in (
        (RetryAfter, "flood_wait"),
        (ChatMigrated, "chat_migrated"),
        (Forbidden, "chat_gone"),
        (BadRequest, "refused"),
        (NetworkError, "network_error"),
        (TelegramError, "telegram_error"),
    ):
        if isinstance(error, kind):
            return label
    return "error"


def metrics_of(application: Application) -> Metrics:
    """The Application's metrics (made on first use, so any Application has them)."""
    found = application.bot_data.get(METRICS_KEY)
    if found is None:
        found = application.bot_data[METRICS_KEY] = Metrics()
    return found
