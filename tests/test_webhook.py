"""Webhook mode: the real server on a loopback port, a real HTTP client, the fake Bot API.

Telegram posts updates to BOT_WEBHOOK_URL's path with the secret header; the
bot answers 200 and handles them. Without the right secret a request gets
403 and never reaches a handler; a body that is not an update gets 400.
"""

from __future__ import annotations

import socket
from dataclasses import replace

import httpx
import pytest

from config import ConfigError
from operations.serving import WEBHOOK_PROBE_JOB
from operations.web import SECRET_HEADER
from tests.serving_support import (
    SECRET,
    WEBHOOK_URL,
    sample,
    served,
    update,
    webhook_settings,
)
from tests.waiting import finished

HOOK = "/casewatch/hook"


async def handled(application) -> None:
    """Wait until every update the server queued has been handled."""
    await finished(application.update_queue.join(), "the queued updates to be handled")


async def test_start_up_sets_the_webhook_with_its_secret(settings, api):
    async with served(webhook_settings(settings), api):
        [call] = [call for call in api.calls if call.method == "setWebhook"]
        assert call.params["url"] == WEBHOOK_URL
        assert call.params["secret_token"] == SECRET
        assert api.webhook_url == WEBHOOK_URL
        assert not any(call.method == "getUpdates" for call in api.calls)  # no polling


async def test_an_update_with_the_secret_is_answered(settings, api):
    async with served(webhook_settings(settings), api) as (application, _, client):
        answer = await client.post(HOOK, json=update(1, "/start"), headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200
        await handled(application)
        [reply] = api.messages_to(1001)
        assert reply.plain.startswith("Hello. This bot follows the cases")


@pytest.mark.parametrize(
    "headers", [{}, {SECRET_HEADER: "not-the-secret-at-all-000000000000"}, {SECRET_HEADER: ""}]
)
async def test_without_the_right_secret_nothing_happens(settings, api, headers):
    async with served(webhook_settings(settings), api) as (application, _, client):
        before = len(api.calls)
        answer = await client.post(HOOK, json=update(1, "/start"), headers=headers)
        assert answer.status_code == 403
        assert application.update_queue.qsize() == 0
        await handled(application)
        assert api.sent == []  # no handler ran: nothing was said to anyone
        assert [call.method for call in api.calls[before:]] in ([], ["getWebhookInfo"])
        metrics = (await client.get("/metrics")).text
        assert sample(metrics, 'casewatch_webhook_refused_total{reason="secret"}') == 1
        assert sample(metrics, 'casewatch_updates_total{kind="message"}') is None


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2, 3]", b'{"message": {}}', b'{"update_id": "x"}', b"\xff" * 10]
)
async def test_a_body_that_is_no_update_gets_400(settings, api, body):
    async with served(webhook_settings(settings), api) as (application, _, client):
        answer = await client.post(
            HOOK, content=body, headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        )
        assert answer.status_code == 400
        await handled(application)
        assert api.sent == []


async def test_other_paths_and_methods(settings, api):
    async with served(webhook_settings(settings), api) as (_, _, client):
        assert (await client.get(HOOK, headers={SECRET_HEADER: SECRET})).status_code == 405
        assert (await client.post("/hook", headers={SECRET_HEADER: SECRET})).status_code == 404


async def test_a_body_over_a_megabyte_is_not_read(settings, api):
    async with served(webhook_settings(settings), api) as (application, _, client):
        too_big = b'{"update_id": 1, "padding": "' + b"x" * (2 * 1024 * 1024) + b'"}'
        try:
            answer = await client.post(HOOK, content=too_big, headers={SECRET_HEADER: SECRET})
            assert answer.status_code == 413
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
            pass  # or the server hangs up before the client has finished sending
        await handled(application)
        assert api.sent == []
        metrics = (await client.get("/metrics")).text
        assert sample(metrics, 'casewatch_webhook_refused_total{reason="body"}') == 1


async def test_healthz_and_metrics_on_the_webhook_server(settings, api):
    async with served(webhook_settings(settings), api) as (application, _, client):
        await client.post(HOOK, json=update(1, "/start"), headers={SECRET_HEADER: SECRET})
        await handled(application)
        health = await client.get("/healthz")
        assert health.status_code == 200, health.text
        assert health.json()["status"] == "ok"
        assert set(health.json()["checks"]) == {
            "database",
            "storage",
            "telegram",
            "sender",
            "daily_run",
        }
        metrics = await client.get("/metrics")
        assert metrics.headers["content-type"].startswith("text/plain")
        text = metrics.text
        assert sample(text, 'casewatch_updates_total{kind="message"}') == 1
        assert sample(text, "casewatch_reply_seconds_count") == 1
        assert (
            sample(text, 'casewatch_cases{status="in_exile"}') == 5
        )  # the bundled cases, all free
        assert sample(text, "casewatch_stale_cases") is not None
        assert sample(text, "casewatch_last_daily_run_timestamp_seconds") == 0  # 9:00: not yet


async def test_the_probe_reports_what_telegram_says_about_the_webhook(settings, api):
    async with served(webhook_settings(settings), api) as (application, _, client):
        [probe] = application.job_queue.get_jobs_by_name(WEBHOOK_PROBE_JOB)
        await probe.run(application)
        assert (await client.get("/healthz")).status_code == 200
        # Telegram cannot reach the server (a proxy down) and updates pile up.
        api.push_update(update(7, "hello"))
        api.fail_webhook_delivery("Connection refused")
        await probe.run(application)
        answer = await client.get("/healthz")
        assert answer.status_code == 503
        assert answer.json()["failing"] == ["telegram"]
        assert (
            "cannot deliver updates to the webhook: Connection refused"
            in (answer.json()["checks"]["telegram"]["detail"])
        )
        # Someone pointed the webhook elsewhere (another copy of the bot, say).
        api.webhook_url = "https://elsewhere.example.org/hook"
        await probe.run(application)
        detail = (await client.get("/healthz")).json()["checks"]["telegram"]["detail"]
        assert "points to https://elsewhere.example.org/hook" in detail


async def test_polling_again_removes_the_webhook(settings, api):
    async with served(webhook_settings(settings), api):
        assert api.webhook_url == WEBHOOK_URL
    async with served(settings, api) as (application, running, _):
        assert running.port is None  # polling without BOT_HTTP: no server
        assert application.updater.running
        assert api.webhook_url == ""


async def test_a_port_in_use_is_one_line_naming_the_variable(settings, api):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = replace(webhook_settings(settings), listen=("127.0.0.1", port))
        with pytest.raises(ConfigError) as raised:
            async with served(busy, api):
                pass
    assert str(raised.value).startswith(f"BOT_LISTEN: cannot listen on 127.0.0.1:{port}: ")
    assert "in use" in str(raised.value)
