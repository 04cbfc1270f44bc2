"""One connection, one writer at a time: handlers and jobs share the bot's connection.

A transaction spans awaits, so while an editor's Confirm waits between two
statements a job may run. Without turns its statements would land inside the
editor's transaction (and be undone with it), its own BEGIN would fail, and a
stray commit would commit half of the editor's change.
"""

from __future__ import annotations

import asyncio

import pytest

from alerts import updates
from storage import chats, subscriptions
from storage import db as storage_db
from storage.db import connect, transaction, write
from tests.interleaving import WatchedLock
from tests.test_alerts_support import settle
from tests.test_case_admin_support import OWNER, case_bot, db_of, rows, with_buttons
from tests.waiting import eventually, finished

TRANSFER = "/update Test Person | Transferred to penal colony No. 2 https://example.org/news/2"


class Refused(Exception):
    """A change given up after it began writing."""


async def languages(db) -> dict[int, str]:
    async with db.execute("SELECT id, language FROM chats ORDER BY id") as cursor:
        return {chat_id: language for chat_id, language in await cursor.fetchall()}


@pytest.fixture
def turns(monkeypatch) -> list[WatchedLock]:
    """The writer locks of the connections opened from now on, watched: who waits a turn."""
    locks = []

    class Watched(storage_db.Writer):
        def __init__(self) -> None:
            super().__init__()
            self.lock = WatchedLock()
            locks.append(self.lock)

    monkeypatch.setattr(storage_db, "Writer", Watched)
    return locks


def waits_a_turn(turns: list[WatchedLock], task: asyncio.Task) -> bool:
    return any(task in lock.waiting for lock in turns)


@pytest.fixture
async def db(tmp_path, turns):
    connection = await connect(tmp_path / "writers.sqlite3")
    yield connection
    await connection.close()


async def midway(db, inside: asyncio.Event, release: asyncio.Event, *, refuse: bool) -> None:
    """A transaction that writes, waits (as a handler awaits Telegram), then ends."""
    async with transaction(db):
        await subscriptions.ensure_chat(db, 1, "en", "private")
        inside.set()
        await release.wait()
        if refuse:
            raise Refused


async def while_midway(db, turns, other, *, refuse: bool) -> None:
    """Run ``other`` while a transaction of another task is open; let it end; wait for both."""
    inside, release = asyncio.Event(), asyncio.Event()
    holding = asyncio.create_task(midway(db, inside, release, refuse=refuse))
    await inside.wait()
    waiting = asyncio.create_task(other())
    # ``other`` goes as far as it may: to its first write, where it waits its turn.
    # (Were it let through, it would write at once and finish: the asserts tell.)
    await eventually(
        lambda: waits_a_turn(turns, waiting) or waiting.done(), "the other writer to wait"
    )
    release.set()
    results = await asyncio.gather(holding, waiting, return_exceptions=True)
    assert [type(result) for result in results] == [Refused if refuse else type(None), type(None)]


async def test_a_single_write_waits_for_the_open_transaction_and_survives_its_rollback(db, turns):
    async def set_language():
        await chats.set_language(db, 2, "be", "private")

    await while_midway(db, turns, set_language, refuse=True)
    # Chat 1 went with the refused transaction; chat 2's language was not part of it.
    assert await languages(db) == {2: "be"}


async def test_a_second_transaction_waits_its_turn(db, turns):
    async def subscribe_everyone():
        async with transaction(db):
            await subscriptions.ensure_chat(db, 2, "ru", "group")
            await subscriptions.subscribe_all(db, 2)

    await while_midway(db, turns, subscribe_everyone, refuse=False)
    assert await languages(db) == {1: "en", 2: "ru"}
    assert (await subscriptions.get_settings(db, 2)).subscribed_all


async def test_a_write_inside_the_tasks_own_transaction_is_part_of_it(db):
    with pytest.raises(Refused):
        async with transaction(db):
            await write(
                db, "INSERT INTO chats (id, language, kind, created_at) VALUES (7, 'en', '', '')"
            )
            raise Refused
    assert await languages(db) == {}


async def test_a_transaction_inside_a_transaction_is_refused_rather_than_waiting_forever(db):
    async with transaction(db):
        with pytest.raises(RuntimeError, match="inside a transaction"):
            async with transaction(db):
                pass
        await subscriptions.ensure_chat(db, 3, "en", "private")
    assert await languages(db) == {3: "en"}


async def test_a_job_writes_while_an_editor_confirms(settings, api, monkeypatch, turns):
    inside, release, job_done = asyncio.Event(), asyncio.Event(), asyncio.Event()
    job: list[asyncio.Task] = []
    queue_case_updates = updates.queue_case_updates

    async def queue_slowly(db, report, today):
        # Inside the Confirm's transaction: the case is saved, the alert not yet queued.
        inside.set()
        await release.wait()
        return await queue_case_updates(db, report, today=today)

    async def subscribe_job(context):
        job.append(asyncio.current_task())
        db = db_of(context.application)
        await subscriptions.unsubscribe_everything(db, 3)  # a transaction of its own
        await subscriptions.subscribe(db, 3, "test-person")  # a single statement
        await chats.set_language(db, 3, "be", "private")
        job_done.set()

    monkeypatch.setattr(updates, "queue_case_updates", queue_slowly)
    async with case_bot(settings, api) as (app, driver):
        preview = with_buttons(await driver.send(TRANSFER, user_id=OWNER))
        confirming = asyncio.create_task(driver.press(preview, "✅ Confirm"))
        await inside.wait()
        # However late a busy loop runs it (APScheduler drops a job a second late as missed).
        app.job_queue.run_once(
            subscribe_job, 0, name="writing-job", job_kwargs={"misfire_grace_time": None}
        )
        # The job runs into the open transaction and waits its turn there.
        await eventually(
            lambda: job and (waits_a_turn(turns, job[0]) or job[0].done()),
            "the job to reach its first write",
        )
        release.set()
        done = await confirming
        await finished(job_done.wait(), "the job's writes")
        assert done[-1].plain.startswith("Saved: Test Person.")
        assert driver.errors == []
        # The editor's change and its alert landed whole, and so did the job's writes.
        assert await rows(app, "SELECT kind FROM alerts") == [("case_update",)]
        assert await rows(app, "SELECT slug FROM subscriptions WHERE chat_id = 3") == [
            ("test-person",)
        ]
        assert await rows(app, "SELECT language FROM chats WHERE id = 3") == [("be",)]
        await settle(app)
