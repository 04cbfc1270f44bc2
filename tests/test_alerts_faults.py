"""The sender when Telegram says no, through the fake Bot API's fault injection:
flood control, blocked and kicked chats, group migration, server errors,
timeouts and bad requests. Nothing is lost, nothing is sent twice (except a
timed-out send Telegram did act on: see README.md ("Alerts: what is guaranteed"))."""

from __future__ import annotations

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from alerts.fanout import queue_alert
from alerts.service import alert_service
from fakeapi.harness import ChatDriver
from storage.db import connect, transaction
from tests.test_alerts_support import (
    FAST,
    SLUG,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    queue_statements,
    rows,
    settle,
    states,
    texts,
)

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=MINSK)  # no calendar event: only what a test queues
GROUP, SUPERGROUP = -100, -1000000000100
CHATS = [Chat(1), Chat(2), Chat(3), Chat(4), Chat(GROUP)]


async def broadcast(app, settings, *keys: str, payload: dict | None = None) -> int:
    return await queue_statements(settings.db_path, *keys, payload=payload, app=app)


def said(key: str) -> str:
    return f"📣 Statement\n\n{key}"


def sends(api, chat_id: int | None = None) -> list:
    return [
        call
        for call in api.calls
        if call.method == "sendMessage" and chat_id in (None, call.params.get("chat_id"))
    ]


@pytest.fixture
async def prepared(settings):
    await prepare(settings.db_path, [make_case()], CHATS)
    return settings


@pytest.mark.parametrize("rate_limit", [False, True], ids=["plain", "AIORateLimiter"])
async def test_flood_control_waits_then_sends_each_message_once(prepared, api, rate_limit, caplog):
    api.fail_next("sendMessage", 429, retry_after=1, chat_id=3)
    caplog.set_level(logging.INFO, logger="telegram.ext.AIORateLimiter")
    async with alert_bot(prepared, api, Clock(NOW), rate_limit=rate_limit) as app:
        await broadcast(app, prepared, "first")
        await settle(app)
        assert await states(app) == {"sent": 5}
        # Flood control is not the message's fault: it does not use up an attempt.
        assert await rows(app, "SELECT DISTINCT attempts FROM deliveries") == [(1,)]
    assert all(texts(api, chat.id) == [said("first")] for chat in CHATS)
    [refused, resent] = sends(api, 3)
    assert refused.reply["error_code"] == 429
    assert resent.time - refused.time >= 0.99
    # Everything waited, not just the refused chat: only sends already in flight
    # when the 429 came back went out during the pause.
    during_pause = [call for call in sends(api) if 0 < call.time - refused.time < 0.99]
    assert len(during_pause) < FAST.concurrency
    # One wait, the sender's: PTB's rate limiter did not also retry it after a wait of its
    # own (counted as waits, not timed: a busy machine may take longer over the one).
    assert caplog.text.count("flood control: sending paused for 1 s") == 1
    assert "Retrying after" not in caplog.text


async def test_a_reply_that_meets_flood_control_is_retried_by_the_rate_limiter(prepared, api):
    api.fail_next("sendMessage", 429, retry_after=1, chat_id=5000)
    async with alert_bot(prepared, api, Clock(NOW), rate_limit=True) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [reply] = await driver.send("/defender Test Person", user_id=5000)
    assert reply.plain.startswith("Test Person")
    [refused, answered] = sends(api, 5000)
    assert refused.reply["error_code"] == 429 and answered.reply["ok"]
    assert answered.time - refused.time >= 0.99


async def test_a_blocked_chat_is_switched_off_and_its_queue_dropped(prepared, api):
    api.block(2)
    api.kick(GROUP)
    async with alert_bot(prepared, api, Clock(NOW)) as app:
        await broadcast(app, prepared, "first", "second")
        await settle(app)
        switched_off = await rows(app, "SELECT id, off_reason FROM chats WHERE active = 0")
        assert [chat_id for chat_id, _ in switched_off] == [GROUP, 2]
        assert switched_off[0][1].startswith("Forbidden: bot was kicked from the")
        assert switched_off[1][1] == "Forbidden: bot was blocked by the user"
        assert await states(app) == {"sent": 6, "dropped": 4}
        await broadcast(app, prepared, "third")  # a switched-off chat is not even queued
        await settle(app)
        assert await states(app) == {"sent": 9, "dropped": 4}
    assert len(sends(api, 2)) == 1  # tried once, never again
    assert texts(api, 1) == [said("first"), said("second"), said("third")]


async def test_a_migrated_group_moves_with_its_subscriptions_and_gets_the_message(prepared, api):
    api.migrate(GROUP, SUPERGROUP)
    async with alert_bot(prepared, api, Clock(NOW)) as app:
        await broadcast(app, prepared, "first")
        await settle(app)
        assert await rows(app, "SELECT chat_id FROM subscriptions WHERE chat_id < 0") == [
            (SUPERGROUP,)
        ]
        assert await rows(app, "SELECT chat_id, state FROM deliveries WHERE chat_id < 0") == [
            (SUPERGROUP, "sent")
        ]
        await broadcast(app, prepared, "second")
        await settle(app)
    assert texts(api, SUPERGROUP) == [said("first"), said("second")]
    assert len(sends(api, GROUP)) == 1


async def test_a_migration_into_a_known_supergroup_merges_without_doubling(settings, api):
    await prepare(
        settings.db_path,
        [make_case(), make_case("other-person")],
        [Chat(GROUP), Chat(SUPERGROUP, follows=("other-person", SLUG))],
    )
    api.migrate(GROUP, SUPERGROUP)
    async with alert_bot(settings, api, Clock(NOW)) as app:
        await broadcast(app, settings, "first")
        await settle(app)
        assert await rows(app, "SELECT id FROM chats") == [(SUPERGROUP,)]
        assert await rows(app, "SELECT slug FROM subscriptions ORDER BY slug") == [
            ("other-person",),
            (SLUG,),
        ]
    assert texts(api, SUPERGROUP) == [said("first")]


async def test_a_timeout_is_retried(prepared, api):
    api.timeout_next("sendMessage", chat_id=3)
    async with alert_bot(prepared, api, Clock(NOW)) as app:
        await broadcast(app, prepared, "first")
        await settle(app)
        assert await states(app) == {"sent": 5}
    assert texts(api, 3) == [said("first")]
    lost, answered = sends(api, 3)
    assert lost.reply is None and answered.reply["ok"]


async def test_a_timeout_after_telegram_acted_is_the_documented_double(prepared, api):
    # Telegram took the message but the answer was lost: at-least-once resends it.
    api.timeout_next("sendMessage", chat_id=3, delivered=True)
    async with alert_bot(prepared, api, Clock(NOW)) as app:
        await broadcast(app, prepared, "first")
        await settle(app)
    assert texts(api, 3) == [said("first")] * 2


async def test_a_bad_request_fails_that_delivery_only(prepared, api):
    api.fail_next("sendMessage", 400, "Bad Request: message is too long", chat_id=4)
    async with alert_bot(prepared, api, Clock(NOW)) as app:
        await broadcast(app, prepared, "first", "second")
        await settle(app)
        assert await rows(app, "SELECT state, error FROM deliveries WHERE state != 'sent'") == [
            ("failed", "Message is too long")
        ]
    assert texts(api, 4) == [said("second")]
    assert all(len(texts(api, chat.id)) == 2 for chat in CHATS if chat.id != 4)


async def test_an_alert_that_does_not_render_fails_and_the_rest_go_on(prepared, api):
    async with alert_bot(prepared, api, Clock(NOW)) as app:
        await broadcast(app, prepared, "broken", payload={"title": {"en": "No text"}})
        await broadcast(app, prepared, "fine")
        await settle(app)
        failed = await rows(app, "SELECT error FROM deliveries WHERE state = 'failed'")
        assert len(failed) == 5
        assert all(error.startswith("render:") for (error,) in failed)
    assert all(texts(api, chat.id) == [said("fine")] for chat in CHATS)


async def test_a_chat_switched_off_after_fan_out_is_skipped(prepared, api):
    async with alert_bot(prepared, api, Clock(NOW)) as app:
        db = await connect(prepared.db_path)
        try:
            async with transaction(db):
                payload = {"title": {"en": "Statement"}, "text": {"en": "first"}, "url": None}
                await queue_alert(
                    db, "first", "statement", date(2026, 6, 1), slug=SLUG, payload=payload
                )
                # Between fan-out and sending, the chat is switched off (/forget, kicked).
                await db.execute("UPDATE chats SET active = 0 WHERE id = 1")
        finally:
            await db.close()
        alert_service(app).wake()
        await settle(app)
        assert await rows(app, "SELECT state, error FROM deliveries WHERE chat_id = 1") == [
            ("dropped", "chat switched off")
        ]
    assert texts(api, 1) == []
    assert texts(api, 2) == [said("first")]
