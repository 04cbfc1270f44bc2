"""The daily run: calendar events become alerts once a day, caught up at start-up,
never before the alert time, never twice; each chat's settings and language honoured."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from alerts.daily import RUN_NAME
from alerts.service import DAILY_JOB, alert_service
from tests.test_alerts_support import (
    ALL,
    SLUG,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    rows,
    settle,
    states,
    texts,
)

MINSK = ZoneInfo("Europe/Minsk")
# 5 May 2026: the test person's 46th birthday and the 5th anniversary of detention.
DAY = date(2026, 5, 5)
AFTER_ALERT_TIME = datetime(2026, 5, 5, 11, 0, tzinfo=MINSK)
BEFORE_ALERT_TIME = datetime(2026, 5, 5, 9, 59, tzinfo=MINSK)


async def test_start_up_catches_up_when_the_alert_time_has_passed(settings, api):
    await prepare(settings.db_path, [make_case()], [Chat(1, "en"), Chat(2, "be"), Chat(3, "ru")])
    async with alert_bot(settings, api, Clock(AFTER_ALERT_TIME)) as app:
        await settle(app)
        assert await rows(app, "SELECT name, last_day FROM runs") == [(RUN_NAME, "2026-05-05")]
        # Birthdays outrank anniversaries, so each chat hears of the birthday first.
        assert [text.split("\n")[0] for text in texts(api, 1)] == [
            "🎂 Test Person turns 46 today, behind bars.",
            "🗓 Test Person: detained 5 years ago today.",
        ]
        assert texts(api, 2)[0].startswith("🎂 Тэст Асоба: сёння дзень нараджэння, 46 гадоў")
        assert texts(api, 3)[1].startswith("🗓 Тест Персона: сегодня 5 лет со дня задержания")
        assert "IK-1, Street 1, 220000" in texts(api, 1)[0]  # where to send the card
        assert await states(app) == {"sent": 6}


async def test_nothing_before_the_alert_time_then_the_daily_job_sends(settings, api):
    await prepare(settings.db_path, [make_case()], [Chat(1)])
    clock = Clock(BEFORE_ALERT_TIME)
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        assert texts(api, 1) == []
        assert await rows(app, "SELECT * FROM runs") == []
        assert await rows(app, "SELECT * FROM alerts") == []

        [job] = app.job_queue.get_jobs_by_name(DAILY_JOB)
        trigger_time = job.job.trigger.fields  # APScheduler CronTrigger: hour, minute
        assert job.job.misfire_grace_time is None  # a late run still runs
        assert str(job.job.trigger.timezone) == "Europe/Minsk"
        assert {f.name: str(f) for f in trigger_time}["hour"] == "10"

        clock.now = datetime(2026, 5, 5, 10, 0, tzinfo=MINSK)
        await job.run(app)
        await settle(app)
        assert len(texts(api, 1)) == 2


async def test_running_the_day_again_sends_nothing_more(settings, api):
    # Chat 2 follows everyone: its two alerts come as the day's one digest.
    await prepare(settings.db_path, [make_case()], [Chat(1), Chat(2, follows=ALL)])
    clock = Clock(AFTER_ALERT_TIME)
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        [job] = app.job_queue.get_jobs_by_name(DAILY_JOB)
        await job.run(app)
        await alert_service(app).catch_up()
        # Even with the run's record lost (a crash before it was written), the
        # alert keys stop a second send.
        await rows(app, "DELETE FROM runs")
        await alert_service(app).catch_up()
        await settle(app)
    # A restart the same day: the run is recorded, nothing is owed.
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        assert await rows(app, "SELECT count(*) FROM alerts") == [(3,)]
    assert len(texts(api, 1)) == 2
    assert len(texts(api, 2)) == 1


async def test_the_next_day_is_a_new_run(settings, api):
    await prepare(settings.db_path, [make_case()], [Chat(1)])
    clock = Clock(AFTER_ALERT_TIME)
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        # 1,826 days on 5 May 2026: the 2,000th day falls on 26 October 2026.
        clock.now = datetime(2026, 10, 26, 10, 0, tzinfo=MINSK)
        await app.job_queue.get_jobs_by_name(DAILY_JOB)[0].run(app)
        await settle(app)
        assert await rows(app, "SELECT last_day FROM runs") == [("2026-10-26",)]
    assert texts(api, 1)[-1].startswith("⛓ Test Person: 2,000 days behind bars today")


async def test_each_chat_gets_only_what_it_asked_for(settings, api):
    other = make_case(
        "other-person",
        name={"en": "Other Person"},
        birth_date="1990-01-01",
        detained_on="2022-01-01",
    )
    chats = [
        Chat(1, wants={"birthdays": False}),
        Chat(2, wants={"anniversaries": False}),
        Chat(3, follows=ALL),
        Chat(4, follows=("other-person",)),  # another case: nothing today
        Chat(5, active=False),  # blocked the bot earlier
        Chat(6, follows=ALL, wants={"birthdays": False, "anniversaries": False}),
        Chat(-100, follows=(SLUG, "other-person")),  # a group
        Chat(7, follows=ALL, mode="single"),  # everyone, one message each
        Chat(8, follows=(SLUG,), mode="digest", wants={"birthdays": False}),
    ]
    await prepare(settings.db_path, [make_case(), other], chats)
    async with alert_bot(settings, api, Clock(AFTER_ALERT_TIME)) as app:
        await settle(app)
    first_lines = {chat.id: [text.split()[0] for text in texts(api, chat.id)] for chat in chats}
    assert first_lines == {
        1: ["🗓"],
        2: ["🎂"],
        3: ["📬"],  # everyone: the day's digest
        4: [],
        5: [],
        6: [],  # a digest of nothing it wants is no digest
        -100: ["🎂", "🗓"],
        7: ["🎂", "🗓"],
        8: ["📬"],
    }
    # Each digest lists what that chat wants and follows, and nothing else.
    assert "Birthdays" in texts(api, 3)[0] and "Birthdays" not in texts(api, 8)[0]
    assert "Other Person" not in texts(api, 8)[0]
