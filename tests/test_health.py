"""/healthz while polling (on BOT_HTTP): 200 when all is well, 503 naming what is not.

Each failure is made the way it happens: Telegram falls silent, the day's
alert time passes without its run, the sender's loop dies, the database
stops answering, a backup fails. The clocks are the test's.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

from alerts.service import alert_service
from operations.backups import DailyBackups
from operations.telegram_link import contact_of
from tests.serving_support import MINSK, polling_settings, sample, served
from tests.test_alerts_support import (
    Chat,
    Clock,
    last_ran,
    make_case,
    prepare,
    queue_statements,
)
from tests.waiting import eventually


async def health(client) -> tuple[int, dict]:
    answer = await client.get("/healthz")
    assert answer.headers["content-type"] == "application/json"
    return answer.status_code, answer.json()


async def test_all_parts_working_is_200(settings, api):
    async with served(polling_settings(settings), api) as (application, running, client):
        assert running.port
        status, body = await health(client)
        assert status == 200, body
        assert body == {
            "status": "ok",
            "failing": [],
            "checks": {
                "database": {"ok": True, "detail": "answers"},
                "storage": {"ok": True, "detail": "writes get through"},
                "telegram": body["checks"]["telegram"],
                "sender": {"ok": True, "detail": "running"},
                "daily_run": {"ok": True, "detail": "last run for no day yet"},
            },
        }
        assert body["checks"]["telegram"]["ok"]
        assert application.updater.running  # it polls


async def test_telegram_silent_for_a_minute(settings, api):
    async with served(polling_settings(settings), api) as (application, _, client):
        contact = contact_of(application)
        contact.last_heard -= 61  # the last answer was a minute and a second ago
        status, body = await health(client)
        assert status == 503
        assert body["failing"] == ["telegram"]
        assert body["checks"]["telegram"]["detail"].startswith("no answer from Telegram for 6")


async def test_the_daily_run_overdue(settings, api):
    clock = Clock(datetime(2026, 11, 25, 9, 0, tzinfo=MINSK))
    async with served(polling_settings(settings), api, clock) as (application, _, client):
        assert (await health(client))[0] == 200
        clock.now = datetime(2026, 11, 25, 10, 5, tzinfo=MINSK)  # within the grace
        assert (await health(client))[0] == 200
        clock.now = datetime(2026, 11, 25, 10, 11, tzinfo=MINSK)  # the job never ran
        status, body = await health(client)
        assert status == 503
        assert body["failing"] == ["daily_run"]
        assert body["checks"]["daily_run"]["detail"] == (
            "today's run at 10:00 has not happened (last: never)"
        )
        await alert_service(application).catch_up()  # the run, late
        assert (await health(client))[0] == 200


async def test_a_clock_gone_back_still_owes_today(settings, api):
    # The clock was two days ahead when the bot last ran, then set right.
    await prepare(settings.db_path, [], [])
    await last_ran(settings.db_path, "2026-11-27")
    clock = Clock(datetime(2026, 11, 25, 9, 0, tzinfo=MINSK))
    async with served(polling_settings(settings), api, clock) as (application, _, client):
        assert (await health(client))[0] == 200
        clock.now = datetime(2026, 11, 25, 10, 11, tzinfo=MINSK)  # the job never ran
        status, body = await health(client)
        assert status == 503
        assert body["checks"]["daily_run"]["detail"] == (
            "today's run at 10:00 has not happened (last: 2026-11-27)"
        )
        await alert_service(application).catch_up()  # the run, late
        assert (await health(client))[0] == 200


async def test_a_dead_sender(settings, api):
    async with served(polling_settings(settings), api) as (application, _, client):
        loop_task = alert_service(application).sender.loop_task
        loop_task.cancel()
        await asyncio.gather(loop_task, return_exceptions=True)
        status, body = await health(client)
        assert status == 503
        assert body["failing"] == ["sender"]


async def test_a_database_that_does_not_answer(settings, api):
    async with served(polling_settings(settings), api) as (application, _, client):
        await application.bot_data["services"].db.close()
        status, body = await health(client)
        assert status == 503
        assert body["failing"] == ["database"]
        # What needs the database is not asked; the rest is still reported.
        assert set(body["checks"]) == {"database", "telegram", "sender"}
        # /metrics still answers, with what it has.
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200
        assert sample(metrics.text, "casewatch_reply_seconds_count") == 0


async def test_a_failed_backup(settings, api, tmp_path):
    not_a_folder = tmp_path / "backups"
    not_a_folder.write_text("a file where the folder should be")
    settings = replace(polling_settings(settings), backup_dir=not_a_folder)
    clock = Clock(datetime(2026, 11, 25, 9, 0, tzinfo=MINSK))
    async with served(settings, api, clock) as (application, _, client):
        status, body = await health(client)
        assert (status, body["checks"]["backup"]) == (200, {"ok": True, "detail": "none yet"})
        services = application.bot_data["services"]
        backups = DailyBackups(settings, lambda: services.db, clock)
        assert await backups.run() is None
        status, body = await health(client)
        assert status == 503
        assert body["failing"] == ["backup"]
        assert body["checks"]["backup"]["detail"].startswith(
            "the backup at 2026-11-25 06:00 UTC failed: "
        )


async def test_messages_failing_while_updates_still_come_in(settings, api):
    # Telegram hands out updates, but sending to chats fails with 502s: the bot
    # still hears Telegram, and nothing reaches anyone.
    await prepare(settings.db_path, [make_case()], [Chat(1), Chat(2), Chat(3), Chat(4)])
    async with served(polling_settings(settings), api) as (application, _, client):
        assert (await health(client))[0] == 200
        api.fail_next("sendMessage", 502, times=10**6)
        await queue_statements(settings.db_path, "statement", app=application)
        service = alert_service(application)
        await eventually(lambda: service.telegram_down_since() is not None, "an outage seen")
        status, body = await health(client)
        assert status == 503
        assert body["failing"] == ["telegram"]
        assert body["checks"]["telegram"]["detail"].startswith("messages to chats have failed for")
        api.stop_failing()
        await eventually(lambda: len(api.messages_to(4)) == 1, "the statement delivered")

        # The sender learns of the success a moment after Telegram recorded the message.
        async def healthy() -> bool:
            return (await health(client))[0] == 200

        await eventually(healthy, "/healthz green once messages go through")
