"""The bot served as ``python bot.py run`` serves it, in this process, with an HTTP client."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from alerts.service import AlertOptions
from bot import build_application
from config import Settings
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI
from operations.serving import serving
from tests.test_alerts_support import FAST, Clock, daily_run_by_hand
from tests.waiting import PATIENCE

MINSK = ZoneInfo("Europe/Minsk")
SECRET = "a-webhook-secret-of-32-characters"
WEBHOOK_URL = "https://bot.example.org/casewatch/hook"
LOOPBACK = ("127.0.0.1", 0)  # a free port on this machine only


def webhook_settings(settings: Settings) -> Settings:
    return replace(settings, webhook_url=WEBHOOK_URL, webhook_secret=SECRET, listen=LOOPBACK)


def polling_settings(settings: Settings) -> Settings:
    return replace(settings, http_listen=LOOPBACK)


@asynccontextmanager
async def served(settings: Settings, api: FakeBotAPI, clock: Clock | None = None):
    """(application, running, client): the bot started by ``serving``, and a client of its port."""
    clock = clock or Clock(datetime(2026, 11, 25, 9, 0, tzinfo=MINSK))
    settings = replace(settings, timezone=clock.now.tzinfo)
    application = build_application(
        settings,
        request=FakeRequest(api),
        clock=lambda: clock.now.date(),
        rate_limit=False,
        alert_options=AlertOptions(sender=FAST, now=clock),
    )
    await application.initialize()
    async with serving(application, settings) as running:
        daily_run_by_hand(application)
        if running.port is None:  # polling without BOT_HTTP: nothing to talk to
            yield application, running, None
            return
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{running.port}", timeout=PATIENCE
        ) as client:
            yield application, running, client


def update(update_id: int, text: str, chat_id: int = 1001) -> dict:
    """A private message as Telegram posts it to a webhook."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Alice", "language_code": "en"}
    message = {
        "message_id": update_id,
        "date": 1_790_000_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Alice"},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


def sample(metrics_text: str, name: str) -> float | None:
    """The value of one sample (``name`` with its labels, as Prometheus prints it), or None."""
    for line in metrics_text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return None
