"""/metrics counts what happened (lookups, deliveries, Telegram's 429s) and reads the database's
state (outbox, cases, staleness, the last daily run) at each scrape."""

from __future__ import annotations

from datetime import date

import pytest
from prometheus_client import generate_latest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from metrics import Metrics, delivery_outcome, metrics_of
from operations.gauges import refresh_gauges
from storage.db import connect
from tests.serving_support import polling_settings, sample, served
from tests.test_alerts_support import (
    Chat,
    make_case,
    prepare,
    queue_statements,
    settle,
)


def scrape(application) -> str:
    return generate_latest(metrics_of(application).registry).decode()


async def test_name_lookups_by_outcome(app, driver):
    await driver.send("/defender Бяляцкі")
    await driver.send("Bialacki")
    await driver.send("Nobody Whatsoever")
    await driver.send("/defender B")
    text = scrape(app)
    assert sample(text, 'casewatch_name_lookups_total{outcome="match"}') == 2
    assert sample(text, 'casewatch_name_lookups_total{outcome="none"}') == 1
    assert sample(text, 'casewatch_name_lookups_total{outcome="too_short"}') == 1


async def test_deliveries_by_outcome_and_flood_control(settings, api):
    await prepare(settings.db_path, [make_case()], [Chat(1), Chat(2), Chat(3)])
    api.block(3)
    api.fail_next("sendMessage", 502, chat_id=2)  # then sent on the retry
    async with served(polling_settings(settings), api) as (application, _, client):
        await queue_statements(settings.db_path, "statement:counted", app=application)
        await settle(application)
        # A 429 outside the sender counts too, with the wait Telegram asked for.
        api.fail_next("getChat", 429, retry_after=7)
        try:
            await application.bot.get_chat(1)
        except Exception as error:
            assert type(error).__name__ == "RetryAfter"
        text = (await client.get("/metrics")).text
    assert sample(text, 'casewatch_deliveries_total{outcome="sent"}') == 2
    assert sample(text, 'casewatch_deliveries_total{outcome="network_error"}') == 1
    assert sample(text, 'casewatch_deliveries_total{outcome="chat_gone"}') == 1
    assert sample(text, "casewatch_telegram_429_total") == 1
    assert sample(text, "casewatch_telegram_429_wait_seconds_total") == 7
    assert sample(text, 'casewatch_outbox_pending{kind="statement"}') is None  # all sent


async def test_database_gauges_read_at_scrape_time(settings):
    stale = make_case(status_as_of="2025-01-01")
    fresh = make_case(
        "fresh-one", status="released", status_as_of="2026-11-01", released_on="2026-10-30"
    )
    # Sourced long ago, but an editor confirmed it last week ("Still true"): not stale.
    confirmed = make_case(
        "confirmed-one", status_as_of="2025-01-01", status_confirmed_on="2026-11-18"
    )
    await prepare(settings.db_path, [stale, fresh, confirmed], [Chat(1), Chat(2)])
    await queue_statements(settings.db_path, "statement:a", "statement:b")
    metrics = Metrics()
    db = await connect(settings.db_path)
    try:
        await refresh_gauges(metrics, db, date(2026, 11, 25), stale_days=90)
        text = generate_latest(metrics.registry).decode()
        assert sample(text, 'casewatch_outbox_pending{kind="statement"}') == 2 * 2
        assert sample(text, 'casewatch_cases{status="sentenced"}') == 2
        assert sample(text, 'casewatch_cases{status="released"}') == 1
        assert sample(text, "casewatch_stale_cases") == 1
        assert sample(text, "casewatch_last_daily_run_timestamp_seconds") == 0
        assert sample(text, "casewatch_last_backup_timestamp_seconds") == 0
        # Sent since: the kind reads nothing rather than its old count.
        await db.execute("UPDATE deliveries SET state = 'sent'")
        await refresh_gauges(metrics, db, date(2026, 11, 25), stale_days=1000)
        text = generate_latest(metrics.registry).decode()
        assert sample(text, 'casewatch_outbox_pending{kind="statement"}') is None
        assert sample(text, "casewatch_stale_cases") == 0
    finally:
        await db.close()


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (None, "sent"),
        (RetryAfter(3), "flood_wait"),
        (ChatMigrated(-1001), "chat_migrated"),
        (Forbidden("Forbidden: bot was blocked by the user"), "chat_gone"),
        (BadRequest("Bad Request: message is too long"), "refused"),
        (TimedOut(), "network_error"),
        (NetworkError("Bad Gateway"), "network_error"),
        (RuntimeError("a bug"), "error"),
    ],
)
def test_delivery_outcomes(error, outcome):
    assert delivery_outcome(error) == outcome


def test_each_application_counts_alone(settings):
    from bot import build_application

    first, second = build_application(settings), build_application(settings)
    metrics_of(first).name_lookups.labels("match").inc()
    assert sample(scrape(second), 'casewatch_name_lookups_total{outcome="match"}') is None
