"""Shared pieces for the tests/test_alerts_*.py modules (no tests of its own).

The bot runs as in tests/conftest.py (the real Application on the fake Bot
API, a fresh database), with the alert service's clock pinned and its time
scales shrunk: per-chat gaps of milliseconds, polls every 20 ms, backoff
from 20 ms. Telegram's limits themselves are tested in the pacer's tests.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from telegram.request import BaseRequest

from alerts.daily import RUN_NAME
from alerts.fanout import queue_alert
from alerts.sender import SenderOptions
from alerts.service import DAILY_JOB, AlertOptions, alert_service
from alerts.sync_download import FetchOptions
from bot import build_application
from cases.codec import case_from_dict
from cases.model import Case, Place
from config import Settings
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI
from storage import cases as case_store
from storage.db import connect, transaction
from tests.waiting import PATIENCE, eventually

SLUG = "test-person"
ALL = "all"

# Most alert tests are about delivery, not stale statuses: with this, the test
# person's status (last confirmed on 2025-01-01) never holds an alert back.
# tests/test_stale_alerts.py passes the bot's real default instead.
NEVER_STALE = 36500

FAST = SenderOptions(
    concurrency=4,
    poll_interval=0.02,
    backoff_base=0.02,
    stop_timeout=30.0,  # a safety net: sends in flight here end in milliseconds
    private_gap=0.005,
    group_gap=0.005,
)


def make_case(slug: str = SLUG, **changes) -> Case:
    """A valid case (through the codec, as an import reads it); ``changes`` override fields."""
    data = {
        "slug": slug,
        "name": {"en": "Test Person", "be": "Тэст Асоба", "ru": "Тест Персона"},
        "status": "sentenced",
        "status_as_of": "2025-01-01",
        "status_source": "src",
        "birth_date": "1980-05-05",
        "detained_on": "2021-05-05",
        "sentence": {
            "years": 8,
            "months": 0,
            "sentenced_on": "2022-03-03",
            "court": {"en": "Court"},
            "articles": ["342.1"],
            "source": "src",
            "as_of": "2025-01-01",
        },
        "detention": {
            "place": {"en": "Penal colony No. 1"},
            "address": "IK-1, Street 1, 220000",
            "source": "src",
            "as_of": "2025-01-01",
        },
        "sources": [{"id": "src", "title": "A source", "url": "https://example.org/src"}],
    }
    data.update(changes)
    return case_from_dict(data, "test case")


@dataclass
class Chat:
    id: int
    language: str = "en"
    follows: tuple[str, ...] | str = (SLUG,)  # slugs, or ALL
    wants: dict[str, bool] = field(default_factory=dict)  # e.g. {"birthdays": False}
    active: bool = True
    # Calendar alerts: "auto" (a digest when following everyone or more than three),
    # "digest" or "single".
    mode: str = "auto"
    # The chat's kind as Telegram names it; None: private for a positive id, else a group.
    kind: str | None = None


async def prepare(
    db_path: Path, cases: list[Case], chats: list[Chat], places: list[Place] = ()
) -> None:
    """Cases (and the places they name) and subscribed chats in the database before the
    bot starts."""
    db = await connect(db_path)
    try:
        await case_store.merge_cases(db, cases, places=list(places))
        await db.execute("BEGIN")
        for chat in chats:
            wants = {f"want_{kind}": int(value) for kind, value in chat.wants.items()}
            columns = [
                "id",
                "language",
                "kind",
                "created_at",
                "active",
                "subscribed_all",
                "alert_mode",
                *wants,
            ]
            values = [
                chat.id,
                chat.language,
                chat.kind or ("private" if chat.id > 0 else "group"),
                datetime.now(UTC).isoformat(),
                int(chat.active),
                int(chat.follows == ALL),
                chat.mode,
                *wants.values(),
            ]
            marks = ", ".join("?" * len(values))
            await db.execute(f"INSERT INTO chats ({', '.join(columns)}) VALUES ({marks})", values)
            if chat.follows != ALL:
                await db.executemany(
                    "INSERT INTO subscriptions (chat_id, slug) VALUES (?, ?)",
                    [(chat.id, slug) for slug in chat.follows],
                )
        await db.commit()
    finally:
        await db.close()


async def last_ran(db_path, day: str) -> None:
    """The bot last ran the daily alerts for ``day``, then stopped."""
    db = await connect(db_path)
    try:
        await db.execute(
            "INSERT INTO runs (name, last_day, ran_at) VALUES (?, ?, ?)",
            (RUN_NAME, day, f"{day}T10:00:00+00:00"),
        )
        await db.commit()
    finally:
        await db.close()


class Clock:
    """The bot's local time, set by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class WallClock:
    """Unix seconds for the outbox (and the fake API's transcript), moved by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@asynccontextmanager
async def alert_bot(
    settings: Settings,
    api: FakeBotAPI,
    clock: Clock,
    *,
    sender: SenderOptions = FAST,
    rate_limit: bool = False,
    broadcast_rate: float = 1000,
    request: BaseRequest | None = None,
    stale_days: int = NEVER_STALE,
    wall_clock: WallClock | None = None,
    fetch: FetchOptions | None = None,
):
    """The real bot, started as ``run`` starts it (post_init included), then taken down.

    ``fetch``: how the list's fetch connects (tests/test_sync_fetch.py)."""
    settings = replace(
        settings,
        broadcast_rate=broadcast_rate,
        timezone=clock.now.tzinfo,
        stale_days=stale_days,
    )
    options = AlertOptions(sender=sender, now=clock)
    if wall_clock is not None:
        options = replace(options, wall_clock=wall_clock)
    application = build_application(
        settings,
        request=request or FakeRequest(api),
        clock=lambda: clock.now.date(),
        rate_limit=rate_limit,
        alert_options=options,
        fetch_options=fetch,
    )
    await application.initialize()
    await application.post_init(application)
    await application.start()
    daily_run_by_hand(application)
    try:
        yield application
    finally:
        await application.stop()
        await application.post_stop(application)
        await application.shutdown()
        await application.post_shutdown(application)


def daily_run_by_hand(application) -> None:
    """The daily run's job stays scheduled (tests read its trigger) but never fires by the
    machine's clock: a test alive at 10:00 in Minsk would have a day run in the middle of
    it. A test runs a day by calling the job (``job.run(app)``), its clock set."""
    for job in application.job_queue.get_jobs_by_name(DAILY_JOB):
        job.job.pause()


async def rows(app, sql: str, *params) -> list[tuple]:
    async with app.bot_data["services"].db.execute(sql, params) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


async def settle(app, timeout: float = PATIENCE) -> None:
    """Wait until the outbox holds nothing pending or sending and no send is in flight."""
    sender = alert_service(app).sender

    async def settled() -> bool:
        [(unsent,)] = await rows(
            app, "SELECT count(*) FROM deliveries WHERE state IN ('pending', 'sending')"
        )
        return unsent == 0 and not sender.in_flight

    await eventually(settled, "the outbox to empty", timeout=timeout)


async def caught_up(app, wall: WallClock) -> None:
    """Wait until the sender has done everything due by ``wall``'s time."""
    sender = alert_service(app).sender

    async def done() -> bool:
        [(busy,)] = await rows(
            app,
            "SELECT count(*) FROM deliveries "
            "WHERE state = 'sending' OR (state = 'pending' AND due_at <= ?)",
            wall.now,
        )
        return busy == 0 and not sender.in_flight

    await eventually(done, f"the deliveries due by {wall.now} to be done")


async def next_due(app) -> float | None:
    [(due_at,)] = await rows(app, "SELECT min(due_at) FROM deliveries WHERE state = 'pending'")
    return due_at


async def live_until(app, wall: WallClock, until: float) -> None:
    """Move the outbox's clock from one due time to the next, doing what falls due at
    each, until ``until`` or until nothing is left to do."""
    await caught_up(app, wall)
    while (due_at := await next_due(app)) is not None and due_at <= until:
        wall.now = max(wall.now, due_at)
        await caught_up(app, wall)
    if until != float("inf"):
        wall.now = max(wall.now, until)


def texts(api: FakeBotAPI, chat_id: int) -> list[str]:
    return [record.plain for record in api.messages_to(chat_id)]


async def states(app) -> dict[str, int]:
    return dict(await rows(app, "SELECT state, count(*) FROM deliveries GROUP BY state"))


async def queue_statements(db_path: Path, *keys: str, payload: dict | None = None, app=None) -> int:
    """Queue statements about the test person in one transaction, as an import would.

    Each says its key unless ``payload`` is given; with ``app`` its sender wakes.
    """
    db = await connect(db_path)
    queued = 0
    try:
        async with transaction(db):
            for key in keys:
                queued += await queue_alert(
                    db,
                    key,
                    "statement",
                    date(2026, 6, 1),
                    slug=SLUG,
                    payload=payload
                    or {"title": {"en": "Statement"}, "text": {"en": key}, "url": None},
                )
    finally:
        await db.close()
    if app is not None:
        alert_service(app).wake()
    return queued
