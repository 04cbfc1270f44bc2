"""Outages lose nothing: Telegram down for hours, a chat Telegram keeps failing, a long
alert cut off half-way. The outbox runs on a clock the test moves from one due
time to the next (``live_until``), so hours pass in milliseconds and every wait
is exact; the fake Bot API's transcript is stamped with the same clock."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from alerts.service import DAILY_JOB, alert_service
from handlers.shared.services import SERVICES_KEY
from operations.health import Health
from operations.telegram_link import contact_of
from storage import deliveries
from storage.db import connect
from tests.test_alerts_support import (
    FAST,
    Chat,
    Clock,
    WallClock,
    alert_bot,
    live_until,
    make_case,
    prepare,
    queue_statements,
    rows,
    states,
    texts,
)
from tests.waiting import eventually

MINSK = ZoneInfo("Europe/Minsk")
# The test person's birthday (05-05), an hour before the daily alerts (10:00).
BEFORE_ALERT_TIME = datetime(2026, 5, 5, 9, 0, tzinfo=MINSK)
CHATS = [Chat(1), Chat(2), Chat(3), Chat(4), Chat(-100)]
# Production's waits: from 2 s, doubling, ten minutes at most.
REAL_WAITS = replace(FAST, backoff_base=2.0, backoff_cap=600.0)
HOUR = 3600.0


def send_times(api, chat_id: int, saying: str = "") -> list[float]:
    """When the bot tried to send the chat a message (``saying`` something)."""
    return [
        call.time
        for call in api.calls
        if call.method == "sendMessage"
        and call.params.get("chat_id") == chat_id
        and saying in call.params.get("text", "")
    ]


def waits(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


@pytest.fixture
def wall(api) -> WallClock:
    # From now on: fan-out stamps rows with the real time, and the outbox's clock
    # only ever moves forward from there.
    clock = WallClock(time.time())
    api.clock = clock
    return clock


def health_of(app) -> Health:
    """/healthz as the running bot answers it."""
    return Health(
        app.bot_data[SERVICES_KEY].settings,
        contact_of(app),
        alert_service(app),
        lambda: app.bot_data[SERVICES_KEY].db,
    )


@pytest.mark.usefixtures("retry_waits")  # polling retries at once, without PTB's waits
@pytest.mark.parametrize("unreachable", [False, True], ids=["502", "unreachable"])
async def test_telegram_down_across_the_alert_time_loses_nothing(settings, api, wall, unreachable):
    await prepare(settings.db_path, [make_case()], CHATS)
    clock = Clock(BEFORE_ALERT_TIME)
    async with alert_bot(settings, api, clock, sender=REAL_WAITS, wall_clock=wall) as app:
        service = alert_service(app)
        health = health_of(app)
        contact_of(app).clock = wall  # how long Telegram has been silent, on the test's clock
        await app.updater.start_polling(poll_interval=0, timeout=0)
        await eventually(lambda: contact_of(app).last_heard is not None, "a first poll")
        assert (await health.report())[0] == 200
        api.go_down(unreachable=unreachable)
        went_down = wall.now
        # The alert time passes while Telegram is down: the daily run queues the birthday.
        clock.now += timedelta(hours=1, minutes=5)
        wall.now += 65 * 60
        [daily] = app.job_queue.get_jobs_by_name(DAILY_JOB)
        await daily.run(app)
        # An import seven minutes later: its retries keep another rhythm.
        await live_until(app, wall, wall.now + 7 * 60)
        await queue_statements(settings.db_path, "statement", app=app)

        await live_until(app, wall, went_down + 5 * HOUR)
        # A birthday and an anniversary of the detention, and the statement, for 5 chats:
        assert await states(app) == {"pending": 15}  # nothing given up, nothing lost
        assert service.telegram_down_since() is not None
        status, body = await health.report()
        assert status == 503 and body["failing"] == ["telegram"]
        tries = send_times(api, 1, saying="Statement")
        assert len(tries) > 20  # it kept trying...
        assert max(waits(tries)) == pytest.approx(600)  # ...at most ten minutes apart
        assert waits(tries)[:4] == [pytest.approx(2), pytest.approx(2), 4, 8]

        api.come_back()
        back = wall.now
        await live_until(app, wall, float("inf"))
        assert await states(app) == {"sent": 15}
        assert service.telegram_down_since() is None
        await eventually(lambda: contact_of(app).seconds_since_heard() == 0, "polling to resume")
        assert (await health.report())[0] == 200
        await app.updater.stop()
        # Within ten minutes of its return, and the first success brought every waiting
        # delivery forward rather than each waiting out its own backoff.
        [(first_sent, last_sent)] = await rows(
            app, "SELECT min(updated_at), max(updated_at) FROM deliveries"
        )
        assert first_sent == last_sent <= back + 600
    for chat in CHATS:
        received = texts(api, chat.id)
        assert len(received) == 3  # each once
        assert any("turns 46 today" in text for text in received)
        assert "📣 Statement\n\nstatement" in received


async def test_a_chat_telegram_keeps_failing_is_retried_until_the_deadline(settings, api, wall):
    await prepare(settings.db_path, [make_case()], CHATS)
    api.fail_next("sendMessage", 502, chat_id=1, times=2)
    api.fail_next("sendMessage", 500, chat_id=4, times=10**6)
    settings = replace(settings, give_up_hours=1)
    async with alert_bot(
        settings, api, Clock(BEFORE_ALERT_TIME), sender=REAL_WAITS, wall_clock=wall
    ) as app:
        await queue_statements(settings.db_path, "statement", app=app)
        await live_until(app, wall, float("inf"))
        assert await rows(
            app,
            "SELECT chat_id, state, attempts, error FROM deliveries "
            "WHERE chat_id IN (1, 4) ORDER BY chat_id",
        ) == [
            (1, "sent", 3, None),
            (4, "failed", 16, "Internal Server Error (gave up after 1 h)"),
        ]
        assert alert_service(app).telegram_down_since() is None  # one chat is no outage
    assert texts(api, 1) == ["📣 Statement\n\nstatement"]
    # Each wait as long as the failures so far, from 2 s up to 10 min; the last try
    # on the deadline, an hour after the first failure.
    tries = send_times(api, 4)
    offsets = [time - tries[0] for time in tries]
    doubling = [0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
    ten_minutes_apart = [1624, 2224, 2824, 3424]
    assert offsets == [*doubling, *ten_minutes_apart, 3600]


def long_statement(paragraphs: int = 3) -> dict:
    """A statement whose text needs ``paragraphs`` messages of Telegram's 4096."""
    text = "\n\n".join(f"Paragraph {n}. " + "word " * 700 for n in range(1, paragraphs + 1))
    return {"title": {"en": "Long"}, "text": {"en": text}, "url": None}


async def test_a_long_alert_whose_later_part_fails_resumes_at_that_part(settings, api, wall):
    await prepare(settings.db_path, [make_case()], [Chat(1)])
    api.fail_next("sendMessage", 502, chat_id=1, after=1)  # the second part
    async with alert_bot(
        settings, api, Clock(BEFORE_ALERT_TIME), sender=REAL_WAITS, wall_clock=wall
    ) as app:
        await queue_statements(settings.db_path, "long", payload=long_statement(), app=app)
        await live_until(app, wall, float("inf"))
        assert await rows(app, "SELECT state, parts_sent, message_id FROM deliveries") == [
            ("sent", 3, 1)
        ]
    received = texts(api, 1)
    assert [text.split(".")[0].split()[-2:] for text in received] == [
        ["Paragraph", "1"],
        ["Paragraph", "2"],
        ["Paragraph", "3"],
    ]


async def test_after_a_crash_a_long_alert_resends_only_the_part_in_doubt(settings, api, wall):
    await prepare(settings.db_path, [make_case()], [Chat(1)])
    await queue_statements(settings.db_path, "long", payload=long_statement())
    db = await connect(settings.db_path)
    try:
        # Killed while the second part was on its way: the first is recorded.
        await db.execute(
            "UPDATE deliveries SET state = 'sending', parts_sent = 1, message_id = 7, attempts = 1"
        )
    finally:
        await db.close()
    async with alert_bot(
        settings, api, Clock(BEFORE_ALERT_TIME), sender=REAL_WAITS, wall_clock=wall
    ) as app:
        assert alert_service(app).recovered == 1
        await live_until(app, wall, float("inf"))
        assert await rows(app, "SELECT state, parts_sent, message_id FROM deliveries") == [
            ("sent", 3, 7)
        ]
    assert [text.split(".")[0].split()[-1] for text in texts(api, 1)] == ["2", "3"]


async def test_a_row_that_left_sending_is_not_overwritten(settings):
    await prepare(settings.db_path, [make_case()], [Chat(1)])
    await queue_statements(settings.db_path, "s")
    db = await connect(settings.db_path)
    try:
        [(row_id,)] = await (await db.execute("SELECT id FROM deliveries")).fetchall()
        assert await deliveries.claim(db, row_id, 1.0)
        # Meanwhile /forget (or a block) dropped the chat's queue.
        await deliveries.drop_for_chat(db, 1, "forgotten", 2.0)
        assert not await deliveries.mark_sent(db, row_id, 1, 55, 3.0)
        assert not await deliveries.retry_at(db, row_id, 9.0, "502", 3.0)
        assert not await deliveries.mark_failed(db, row_id, "400", 3.0)
        assert not await deliveries.record_part(db, row_id, 1, 55, 3.0)
        row = await (await db.execute("SELECT state, error, message_id FROM deliveries")).fetchone()
        assert tuple(row) == ("dropped", "forgotten", None)
    finally:
        await db.close()
