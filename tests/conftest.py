"""The real Application against the fake Bot API, on a fresh database per test."""

from __future__ import annotations

import asyncio
import types
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from telegram.ext._utils import networkloop

from alerts.service import AlertOptions
from bot import build_application
from config import Settings
from fakeapi.harness import ChatDriver
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI
from tests.test_alerts_support import daily_run_by_hand

# The day the tests live on: after the releases of 13 December 2025.
TODAY = date(2026, 11, 25)

# Hypothesis times each example (a 200 ms deadline) and the making of its data (the
# too_slow health check): a busy machine trips both. These tests check answers, never
# speed, so neither clock applies anywhere in the suite.
hypothesis_settings.register_profile(
    "casewatch", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("casewatch")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db_path=tmp_path / "casewatch.sqlite3", admins=frozenset({9001}))


@pytest.fixture
def api() -> FakeBotAPI:
    return FakeBotAPI()


@asynccontextmanager
async def running_bot(settings: Settings, api: FakeBotAPI, today: date = TODAY):
    """Build, initialise and start the bot as ``run`` would, then take it down."""
    # The alert service's clock too: on the real one, a run after 10:00 on a Monday
    # queued that day's weekly review for the owner at start-up, and some tests
    # then found a chats row they did not expect. Early on the tests' day, nothing
    # of the daily run is due.
    morning = datetime.combine(today, time(8, 0), tzinfo=settings.timezone)
    application = build_application(
        settings,
        request=FakeRequest(api),
        clock=lambda: today,
        rate_limit=False,
        alert_options=AlertOptions(now=lambda: morning),
    )
    await application.initialize()
    await application.post_init(application)
    await application.start()
    daily_run_by_hand(application)
    try:
        yield application
    finally:
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        await application.post_shutdown(application)


@pytest.fixture
async def app(settings, api):
    async with running_bot(settings, api) as application:
        yield application


@pytest.fixture
def driver(app, api) -> ChatDriver:
    """A user (id 1001, Telegram language en) in a private chat; raises handler errors."""
    return ChatDriver(app, api, raise_errors=True)


@pytest.fixture
def retry_waits(monkeypatch) -> list[float]:
    """The waits of PTB's network retry loop (polling's), recorded instead of slept.

    The loop's module reads ``asyncio.sleep`` through its own ``asyncio`` name; a
    copy of that namespace with another sleep changes nothing else."""
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        await asyncio.sleep(0.001 if seconds else 0)

    quick = types.SimpleNamespace(**{**vars(asyncio), "sleep": sleep})
    monkeypatch.setattr(networkloop, "asyncio", quick)
    return waited


@pytest.fixture
def with_settings(settings):
    """Settings with some fields changed: ``with_settings(language="ru")``."""
    return lambda **changes: replace(settings, **changes)
