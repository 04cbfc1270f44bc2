"""A webhook update Telegram posts again is handled once.

Telegram posts an update again when it gets no 200 in time: the answer was
lost, the bot was slow, or it stopped before answering. The bot answers
once the update is handled and keeps the ids it handled in its database, so
a redelivery, in the same run or after a restart, is acknowledged and not
handled again: one reply, one toggle.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import datetime, timedelta

import httpx
import pytest

from fakeapi.request import FakeRequest
from metrics import metrics_of
from operations.web import SECRET_HEADER
from storage.db import connect
from storage.handled_updates import record_handled, was_handled
from tests.serving_support import MINSK, SECRET, sample, served, update, webhook_settings
from tests.test_alerts_support import Clock
from tests.waiting import eventually, finished

HOOK = "/casewatch/hook"
CHAT = 1001


def post(client: httpx.AsyncClient, body: dict):
    return client.post(HOOK, json=body, headers={SECRET_HEADER: SECRET})


def redelivered(application) -> float:
    found = metrics_of(application).registry.get_sample_value("casewatch_webhook_redelivered_total")
    return found or 0


class HeldReplies:
    """The bot's sendMessage calls wait until ``release()``: a handling held half-way."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reached = asyncio.Event()
        self.gate = asyncio.Event()
        original = FakeRequest.do_request

        async def do_request(request, url, *args, **kwargs):
            if url.endswith("/sendMessage"):
                self.reached.set()
                await self.gate.wait()
            return await original(request, url, *args, **kwargs)

        monkeypatch.setattr(FakeRequest, "do_request", do_request)

    def release(self) -> None:
        self.gate.set()


async def test_an_update_posted_again_is_answered_once_across_restarts(settings, api):
    webhook = webhook_settings(settings)
    subscribe = update(7, "/subscribe bialiatski")
    async with served(webhook, api) as (application, _, client):
        assert (await post(client, subscribe)).status_code == 200
        assert (await post(client, subscribe)).status_code == 200
        assert len(api.messages_to(CHAT)) == 1
        assert redelivered(application) == 1

    # The same database, a new run: Telegram posts it once more.
    async with served(webhook, api) as (application, _, client):
        assert (await post(client, subscribe)).status_code == 200
        metrics = (await client.get("/metrics")).text
        # Still subscribed: a second handling would have been a second toggle or reply.
        assert (await post(client, update(8, "/subscriptions"))).status_code == 200
    assert sample(metrics, "casewatch_webhook_redelivered_total") == 1
    assert sample(metrics, 'casewatch_updates_total{kind="message"}') is None
    first, listing = api.messages_to(CHAT)
    assert "Bialiatski" in first.plain
    assert "Bialiatski" in listing.plain


async def test_a_redelivery_during_the_handling_waits_for_it(settings, api, monkeypatch):
    held = HeldReplies(monkeypatch)
    async with served(webhook_settings(settings), api) as (application, _, client):
        try:
            first = asyncio.create_task(post(client, update(7, "/start")))
            await finished(held.reached.wait(), "the handling to reach its reply")
            # Telegram gave up waiting for the answer and posts the update again.
            second = asyncio.create_task(post(client, update(7, "/start")))
            await eventually(lambda: redelivered(application) == 1, "the second delivery")
            assert not first.done() and not second.done()  # no 200 before the handling ends
        finally:
            held.release()  # a failed test must not leave the stop waiting for the handling
        assert (await first).status_code == 200
        assert (await second).status_code == 200
    [reply] = api.messages_to(CHAT)
    assert reply.plain.startswith("Hello. This bot follows")


async def test_an_update_handled_as_the_bot_stopped_is_not_handled_again(
    settings, api, monkeypatch
):
    """SIGTERM mid-handling: the handling ends, Telegram never got its 200, and posts again."""
    held = HeldReplies(monkeypatch)
    webhook = webhook_settings(settings)
    async with AsyncExitStack() as stack:
        application, _, client = await stack.enter_async_context(served(webhook, api))
        first = asyncio.create_task(post(client, update(7, "/start")))
        await finished(held.reached.wait(), "the handling to reach its reply")
        stopping = asyncio.create_task(stack.aclose())
        try:
            await eventually(lambda: first.done(), "the stop to drop the connection")
        finally:
            held.release()
            await stopping
    with pytest.raises(httpx.HTTPError):
        first.result()
    assert len(api.messages_to(CHAT)) == 1

    async with served(webhook, api) as (application, _, client):
        assert (await post(client, update(7, "/start"))).status_code == 200
        assert redelivered(application) == 1
    assert len(api.messages_to(CHAT)) == 1


async def test_an_id_handled_over_a_day_ago_is_a_new_update(settings, api):
    """After a week without updates Telegram may start its ids anew; an old id hides nothing."""
    webhook = webhook_settings(settings)
    morning = datetime(2026, 11, 25, 9, 0, tzinfo=MINSK)
    async with served(webhook, api, Clock(morning)) as (_, _, client):
        assert (await post(client, update(7, "/start"))).status_code == 200
    async with served(webhook, api, Clock(morning + timedelta(hours=25))) as (app, _, client):
        assert (await post(client, update(7, "/start"))).status_code == 200
        assert redelivered(app) == 0
    assert len(api.messages_to(CHAT)) == 2


async def test_polling_keeps_no_ids(settings, api):
    """Polling's offset confirms each update once: no write per update for it."""
    api.push_update(update(7, "/start"))
    async with served(settings, api):
        await eventually(lambda: api.messages_to(CHAT), "the bot to answer")
    db = await connect(settings.db_path)
    try:
        async with db.execute("SELECT count(*) FROM handled_updates") as cursor:
            assert tuple(await cursor.fetchone()) == (0,)
    finally:
        await db.close()


async def test_the_ids_kept_are_a_day_s_and_a_bounded_number(tmp_path):
    db = await connect(tmp_path / "casewatch.sqlite3")
    try:
        morning = datetime(2026, 11, 25, 9, 0, tzinfo=MINSK)
        for update_id in range(1, 151):
            await record_handled(db, update_id, morning, keep_ids=100)
        async with db.execute("SELECT min(update_id), count(*) FROM handled_updates") as cursor:
            assert tuple(await cursor.fetchone()) == (51, 100)  # the newest 100
        assert await was_handled(db, 150, morning + timedelta(hours=23))
        assert not await was_handled(db, 150, morning + timedelta(hours=25))
        await record_handled(db, 151, morning + timedelta(hours=25), keep_ids=100)
        async with db.execute("SELECT update_id FROM handled_updates") as cursor:
            assert [tuple(row) for row in await cursor.fetchall()] == [(151,)]  # a day: gone
    finally:
        await db.close()
