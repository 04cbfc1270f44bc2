"""Who hears an alert about a case: one rule (storage/audience.py), the same in every query.

Every combination of what decides it is one chat in one database: switched
on or off, the alert's kind switched off or not, following everyone, this
person, other people (none to three), each alert mode. Every fan-out and
every count that names an audience (single alerts, a day's calendar alerts
and its digest, statements, the editors' previews) is held to the rule said
once more here in Python; and the digest's SQL to its Python, ``gets_digest``
(what /settings says), for every BOT_DIGEST_OVER around the counts.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from alerts.digest import queue_digest
from alerts.fanout import DigestDay, queue_alert
from storage import audience, digests, statement_audience, subscriptions
from storage import cases as case_store
from storage.db import connect
from tests.test_alerts_support import make_case
from tests.test_case_admin_support import case_bot, db_of
from tests.test_dashboard import fill

PERSON = "test-person"
OTHERS = ("other-1", "other-2", "other-3")
KINDS = ("birthdays", "updates", "statements")
MODES = ("auto", "digest", "single")
DAY = date(2026, 5, 5)


@dataclass(frozen=True)
class Shape:
    """What decides whether a chat hears an alert."""

    id: int
    active: bool
    off: str | None  # the one kind of alert switched off, if any
    everyone: bool
    this_person: bool
    others: int  # how many other people it follows one by one
    mode: str

    @property
    def follows(self) -> tuple[str, ...]:
        return ((PERSON,) if self.this_person else ()) + OTHERS[: self.others]

    def hears(self, kind: str, about: tuple[str, ...] | None) -> bool:
        """The rule: active, wants the kind, follows everyone or a case the alert is about
        (an alert about no case: anyone)."""
        if about is None:
            follows = self.everyone or bool(self.follows)
        else:
            follows = self.everyone or bool(set(about) & set(self.follows))
        return self.active and self.off != kind and follows


SHAPES = [
    Shape(number, *values)
    for number, values in enumerate(
        itertools.product(
            (True, False), (None, *KINDS), (False, True), (False, True), range(4), MODES
        ),
        start=1,
    )
]


@pytest.fixture
async def db(tmp_path):
    connection = await connect(tmp_path / "audience.sqlite3")
    await case_store.merge_cases(
        connection, [make_case(slug, name={"en": slug}) for slug in (PERSON, *OTHERS)]
    )
    created = datetime.now(UTC).isoformat()
    await connection.execute("BEGIN")
    for shape in SHAPES:
        wants = {f"want_{kind}": int(shape.off != kind) for kind in KINDS}
        await connection.execute(
            f"""INSERT INTO chats (id, language, kind, created_at, active, subscribed_all,
                                   alert_mode, {", ".join(wants)})
                VALUES (?, 'en', 'private', ?, ?, ?, ?, {", ".join("?" * len(wants))})""",
            (shape.id, created, shape.active, shape.everyone, shape.mode, *wants.values()),
        )
        await connection.executemany(
            "INSERT INTO subscriptions (chat_id, slug) VALUES (?, ?)",
            [(shape.id, slug) for slug in shape.follows],
        )
    await connection.commit()
    yield connection
    await connection.close()


async def recipients(db, key: str) -> set[int]:
    rows = await db.execute_fetchall(
        "SELECT chat_id FROM deliveries JOIN alerts ON alerts.id = alert_id WHERE key = ?", (key,)
    )
    return {row[0] for row in rows}


def chats(predicate) -> set[int]:
    return {shape.id for shape in SHAPES if predicate(shape)}


async def test_there_is_every_kind_of_chat_and_each_hears_or_not(db):
    # The product is what the other tests stand on: all of it, both ways.
    assert len(SHAPES) == 2 * 4 * 2 * 2 * 4 * 3
    heard = chats(lambda shape: shape.hears("updates", (PERSON,)))
    assert 0 < len(heard) < len(SHAPES)


async def test_alerts_one_by_one_reach_whoever_hears_them(db):
    now = time.time()
    await db.execute("BEGIN")
    await queue_alert(db, "update", "case_update", DAY, slug=PERSON, payload={}, now=now)
    await queue_alert(db, "news", "statement", DAY, payload={}, now=now)
    await db.commit()
    assert await recipients(db, "update") == chats(lambda s: s.hears("updates", (PERSON,)))
    assert await recipients(db, "news") == chats(lambda s: s.hears("statements", None))


async def test_the_editors_preview_counts_the_chats_an_alert_reaches(db):
    expected = chats(lambda shape: shape.hears("updates", (PERSON,)))
    assert await audience.reach(db, PERSON, "want_updates") == len(expected)
    await db.execute("BEGIN")
    queued = await queue_alert(db, "update", "case_update", DAY, slug=PERSON, payload={})
    await db.commit()
    assert queued == len(expected)


async def test_a_statement_reaches_the_followers_of_any_of_its_people_once(db):
    about = (OTHERS[0], PERSON)
    expected = chats(lambda shape: shape.hears("statements", about))
    counted = await statement_audience.audience(db, list(about))
    assert counted.total == len(expected)
    await db.execute("BEGIN")
    alert = await db.execute(
        """INSERT INTO alerts (key, kind, on_date, created_at, payload)
           VALUES ('statement:1', 'statement', ?, 'now', '{}')""",
        (DAY.isoformat(),),
    )
    queued = await statement_audience.fan_out_statement(db, alert.lastrowid, list(about), 60, 0)
    await db.commit()
    assert queued == len(expected)
    assert await recipients(db, "statement:1") == expected


@pytest.mark.parametrize("over", range(5))
async def test_the_digest_rule_in_sql_is_the_rule_in_python(db, over):
    in_sql = {
        row[0]
        for row in await db.execute_fetchall(
            f"SELECT id FROM chats WHERE {audience.DIGEST_CHAT}", {"over": over}
        )
    }
    in_python = chats(lambda s: audience.gets_digest(s.mode, s.everyone, len(s.follows), over))
    assert in_sql == in_python
    # Both ways: some chats get a digest, some do not.
    assert 0 < len(in_python) < len(SHAPES)
    # /settings says what fan-out does, from what it reads of the chat.
    for shape in SHAPES:
        mode, follows = await digests.alert_mode(db, shape.id)
        settings = await subscriptions.get_settings(db, shape.id)
        says = audience.gets_digest(mode, settings.subscribed_all, follows, over)
        assert says == (shape.id in in_sql), shape


@pytest.mark.parametrize("over", range(5))
async def test_a_days_birthday_reaches_each_chat_once_alone_or_in_the_digest(db, over):
    day = DAY + timedelta(days=over)  # a day of its own for each bound: keys differ
    await db.execute("BEGIN")
    digest = DigestDay(day, over)
    await queue_alert(db, "birthday", "birthday", day, slug=PERSON, payload={}, digest=digest)
    await queue_digest(db, day, over)
    await db.commit()

    def gets_digest(shape: Shape) -> bool:
        return audience.gets_digest(shape.mode, shape.everyone, len(shape.follows), over)

    hears = chats(lambda shape: shape.hears("birthdays", (PERSON,)))
    digest_chats = chats(gets_digest)
    assert await recipients(db, "birthday") == hears - digest_chats
    assert await recipients(db, f"digest:{day.isoformat()}") == hears & digest_chats
    for chat in hears & digest_chats:
        [item] = await digests.digest_items(db, chat, day, {"birthday": "want_birthdays"})
        assert item.slug == PERSON
    for chat in chats(lambda shape: not shape.hears("birthdays", (PERSON,)) and shape.active):
        assert await digests.digest_items(db, chat, day, {"birthday": "want_birthdays"}) == []


async def test_a_statement_counts_a_channel_apart_and_a_language_by_its_chats(db):
    # The preview's split by language and channel is of the same audience.
    await db.execute("UPDATE chats SET kind = 'channel', language = 'be' WHERE id % 2 = 0")
    counted = await statement_audience.audience(db, [PERSON])
    expected = chats(lambda shape: shape.hears("statements", (PERSON,)))
    assert counted.channels == len({chat for chat in expected if chat % 2 == 0})
    assert counted.by_language == {"en": len({chat for chat in expected if chat % 2})}


async def test_audience_counts_whom_a_case_alert_reaches(settings, api):
    async with case_bot(settings, api, chats=[]) as (app, _driver):
        await fill(db_of(app), time.time())
        # Chat 1 follows, 2 follows everything; 3 is active but switches updates off.
        await db_of(app).execute("UPDATE chats SET want_updates = 0 WHERE id = 3")
        assert await audience.reach(db_of(app), "test-person", "want_updates") == 2
        assert await audience.reach(db_of(app), "other-person", "want_updates") == 2
