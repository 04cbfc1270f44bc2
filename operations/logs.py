"""Log lines for people, or for a log collector (one JSON object a line), never with a secret.

One line per meaningful event: the libraries' chatter about every scheduler
run (about 35,000 lines a day from the five-second reload job alone) and
every HTTP request is kept below the level the bot logs at.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from config import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers that speak on every request or every job run: only their warnings are news.
CHATTY = ("httpx", "apscheduler", "tornado.access")
REDACTED = "<redacted>"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


class Redacting(logging.Formatter):
    """Formats with ``inner``, then blanks every secret wherever it appears.

    Applied to the finished line, so the message, its arguments and a
    traceback (an httpx error carries the URL, and the URL the token) are
    all covered, in either format. The characters of a token or a webhook
    secret need no escaping in JSON, so replacing inside a JSON line is safe.
    """

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self.inner = inner
        # Longest first: the whole token before its secret half.
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        line = self.inner.format(record)
        for secret in self.secrets:
            line = line.replace(secret, REDACTED)
        return line


def secrets_of(settings: Settings) -> list[str]:
    """What must never be logged: the token (and its secret half alone), the webhook secret."""
    found = []
    if settings.token:
        found += [settings.token, settings.token.partition(":")[2]]
    if settings.webhook_secret:
        found.append(settings.webhook_secret)
    return found


def formatter_for(settings: Settings) -> logging.Formatter:
    inner = JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT)
    return Redacting(inner, secrets_of(settings))


def setup_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Log to standard error at INFO, in the configured format, secrets blanked."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter_for(settings))
    logging.basicConfig(handlers=[handler], level=logging.INFO, force=True)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
