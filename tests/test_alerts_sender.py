"""The pacer's arithmetic on a simulated clock, the outbox queries, and replies that
never wait behind a broadcast."""

from __future__ import annotations

import asyncio
import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alerts.fanout import queue_alert
from alerts.pacing import Pacer
from alerts.service import alert_service
from fakeapi.harness import ChatDriver
from storage import alerts as alert_store
from storage import deliveries
from storage.db import connect, transaction
from tests.interleaving import HeldRequest
from tests.test_alerts_support import (
    ALL,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    queue_statements,
    rows,
    settle,
    texts,
)
from tests.waiting import eventually

MINSK = ZoneInfo("Europe/Minsk")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=MINSK)


class SimulatedTime:
    """A clock that only moves when the pacer sleeps (oversleeping a little) or works."""

    def __init__(self, oversleep: float, seed: int = 0) -> None:
        self.now = 1000.0
        self.oversleep = oversleep
        self.random = random.Random(seed)

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + self.random.uniform(0, self.oversleep)


async def slots(pacer: Pacer, time: SimulatedTime, count: int, work: float = 0.0) -> list[float]:
    taken = []
    for _ in range(count):
        await pacer.next_turn()
        taken.append(time.now)
        time.now += time.random.uniform(0, work)  # reading the outbox, rendering
    return taken


def most_in_any_second(times: list[float]) -> int:
    return max(sum(1 for other in times if start <= other < start + 1.0) for start in times)


@settings(max_examples=60, deadline=None)
@given(
    rate=st.integers(1, 100),
    oversleep=st.floats(0, 0.05),
    work=st.floats(0, 0.05),
    seed=st.integers(0, 1000),
)
async def test_no_second_ever_holds_more_than_the_rate(rate, oversleep, work, seed):
    time = SimulatedTime(oversleep, seed)
    pacer = Pacer(rate, clock=time.clock, sleep=time.sleep)
    taken = await slots(pacer, time, 3 * rate + 5, work)
    assert most_in_any_second(taken) <= rate


async def test_the_rate_is_kept_up_despite_late_wake_ups():
    # asyncio wakes a millisecond or two late; that must not shave the rate.
    time = SimulatedTime(oversleep=0.002)
    pacer = Pacer(30, clock=time.clock, sleep=time.sleep)
    taken = await slots(pacer, time, 600)
    sustained = (len(taken) - 1) / (taken[-1] - taken[0])
    assert 0.95 * 30 <= sustained <= 30


async def test_a_request_that_left_late_holds_back_the_one_a_second_after_it():
    # The process stalled 60 ms between a turn and its request: Telegram saw it late,
    # and counts the thirty after it from then.
    time = SimulatedTime(oversleep=0)
    pacer = Pacer(30, clock=time.clock, sleep=time.sleep)
    turns = []
    for _ in range(31):
        turns.append(await pacer.next_turn())
        time.now += 0.002  # the usual round trip
        pacer.answered(turns[-1])
    stalled = turns[1]
    time.now = stalled.taken_at + 0.062  # ...answered 60 ms later than usual
    pacer.answered(stalled)
    assert pacer.left_at(stalled) == pytest.approx(stalled.taken_at + 0.060)
    time.now = turns[-1].taken_at
    later = [await pacer.next_turn() for _ in range(2)]
    # The 31st turn after the late request comes a second after it left, not before.
    assert later[0].taken_at >= pacer.left_at(stalled) + 1.0 - 1e-9
    sent = [pacer.left_at(turn) for turn in turns + later]
    assert most_in_any_second(sent) <= 30


async def test_a_flood_pause_holds_everything_back():
    time = SimulatedTime(oversleep=0)
    pacer = Pacer(30, clock=time.clock, sleep=time.sleep)
    await pacer.next_turn()
    paused_at = time.now
    pacer.pause(3)
    await pacer.next_turn()
    assert time.now >= paused_at + 3


async def test_chats_are_spaced_and_groups_more_so():
    time = SimulatedTime(oversleep=0)
    pacer = Pacer(30, clock=time.clock, sleep=time.sleep)
    pacer.start(1)
    pacer.start(-100)
    assert pacer.busy_chats() == [-100, 1]
    pacer.finish(1)
    pacer.finish(-100)
    time.now += 1.0
    assert pacer.busy_chats() == [-100, 1]  # a second is not quite enough: headroom
    time.now += 0.05
    assert pacer.busy_chats() == [-100]
    time.now += 2.1
    assert pacer.busy_chats() == []  # twenty a minute: one per ~3.1 s


async def test_the_outbox_gives_the_most_urgent_first_and_skips_busy_chats(settings):
    await prepare(settings.db_path, [make_case()], [Chat(1), Chat(2), Chat(3, follows=ALL)])
    db = await connect(settings.db_path)
    try:
        async with transaction(db):
            await queue_alert(
                db,
                "b",
                "birthday",
                date(2026, 5, 5),
                slug="test-person",
                payload={"years": 46, "days": None, "name": {"en": "T"}},
                now=1.0,
            )
            await queue_alert(
                db, "r", "release", date(2026, 5, 6), slug="test-person", payload={}, now=2.0
            )
        due = await deliveries.next_due(db, now=10.0, busy_chats=[2], limit=10)
        assert [(d.kind, d.chat_id) for d in due] == [
            ("release", 1),
            ("release", 3),
            ("birthday", 1),
            ("birthday", 3),
        ]
        assert await deliveries.next_due(db, now=0.5, busy_chats=[]) == []  # not yet due
    finally:
        await db.close()


async def test_a_reply_does_not_wait_for_a_broadcast(settings, api):
    await prepare(settings.db_path, [make_case()], [Chat(chat_id) for chat_id in range(1, 41)])
    # The broadcast's last message stays in flight until the reply is in: however
    # fast or slow the machine, the broadcast is still going when someone writes.
    last = HeldRequest(
        api, lambda method, params: method == "sendMessage" and params["chat_id"] == 40
    )
    async with alert_bot(settings, api, Clock(NOW), broadcast_rate=20, request=last) as app:
        await queue_statements(settings.db_path, "s", app=app)

        driver = ChatDriver(app, api, raise_errors=True)
        # In a task: the harness would also wait for the held send the update saw start.
        asking = asyncio.create_task(driver.send("/defender Test Person", user_id=5000))
        await eventually(lambda: api.messages_to(5000), "a reply during the broadcast")
        [(unsent,)] = await rows(app, "SELECT count(*) FROM deliveries WHERE state != 'sent'")
        assert unsent > 0
        last.release()
        [reply] = await asking
        assert reply.plain.startswith("Test Person")
        await settle(app)
    assert all(len(texts(api, chat_id)) == 1 for chat_id in range(1, 41))


async def test_start_up_resends_what_was_in_flight_and_fans_out_leftovers(settings, api):
    await prepare(settings.db_path, [make_case()], [Chat(1), Chat(2)])
    payload = {"title": {"en": "T"}, "text": {"en": "x"}, "url": None}
    db = await connect(settings.db_path)
    try:
        async with transaction(db):
            # Killed mid-send last time: chat 1's row is 'sending', chat 2's was sent.
            await queue_alert(
                db, "s1", "statement", date(2026, 6, 1), slug="test-person", payload=payload
            )
            await db.execute("UPDATE deliveries SET state = 'sending' WHERE chat_id = 1")
            await db.execute("UPDATE deliveries SET state = 'sent' WHERE chat_id = 2")
            # Stored by code that only inserts alerts: fanned out at start-up.
            await alert_store.add_alert(
                db, "s2", "statement", date(2026, 6, 1), slug="test-person", payload=payload
            )
    finally:
        await db.close()
    async with alert_bot(settings, api, Clock(NOW)) as app:
        await settle(app)
        assert alert_service(app).recovered == 1
        assert await rows(app, "SELECT fanned_out FROM alerts ORDER BY id") == [(1,), (1,)]
    assert len(texts(api, 1)) == 2
    assert len(texts(api, 2)) == 1
