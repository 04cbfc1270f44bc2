"""Who hears an alert about a case: one rule (storage/audience.py), the same in every query.

Every combination of what decides it is one chat in one database: switched
on or off, the alert's kind switched off or not, following everyone, this
person, other people (none to three), each alert mode, this person muted or
not, and a region or a place followed (this person's, the others', none).
The people: this person, held in a place of their region; the others, held
elsewhere; and someone freed who was held in this person's place, from their
region (a place's followers hear of whoever is held there now, a region's of
everyone from it). Every fan-out and every count that names an audience
(single alerts, a day's calendar alerts and its digest, statements, the
editors' previews) is held to the rule said once more here in Python; and
the digest's SQL to its Python, ``gets_digest`` (what /settings says), for
every BOT_DIGEST_OVER around the counts.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest

from alerts.digest import queue_digest
from alerts.fanout import DigestDay, queue_alert
from cases.model import Detention, Place, Source
from storage import audience, digests, statement_audience
from storage import cases as case_store
from storage.db import connect
from tests.test_alerts_support import make_case
from tests.test_case_admin_support import case_bot, db_of
from tests.test_dashboard import fill

PERSON = "test-person"
OTHERS = ("other-1", "other-2", "other-3")
FREED = "freed-person"  # released; their case still names the place they were held in
KINDS = ("birthdays", "updates", "statements")
MODES = ("auto", "digest", "single")
DAY = date(2026, 5, 5)
# Where each person is from, and where they are (or, freed, were) held.
REGION = {PERSON: "homel", FREED: "homel", **dict.fromkeys(OTHERS, "brest")}
PLACE = {PERSON: "ik-1", FREED: "ik-1", **dict.fromkeys(OTHERS, "ik-2")}
HELD = {PERSON: True, FREED: False, **dict.fromkeys(OTHERS, True)}
# A region or a place the chat follows, if any: this person's, or the others'.
AREAS = (None, ("region", "homel"), ("region", "brest"), ("place", "ik-1"), ("place", "ik-2"))


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
    muted: bool  # this person muted (a name still beats it)
    area: tuple[str, str] | None  # a region or a place followed

    @property
    def follows(self) -> tuple[str, ...]:
        return ((PERSON,) if self.this_person else ()) + OTHERS[: self.others]

    @property
    def broadly(self) -> bool:
        return self.everyone or self.area is not None

    def follows_case(self, slug: str) -> bool:
        """By name; else broadly (everyone, the person's region, the place they are held
        in now) unless muted."""
        if slug in self.follows:
            return True
        if self.muted and slug == PERSON:
            return False
        return (
            self.everyone
            or self.area == ("region", REGION[slug])
            or (self.area == ("place", PLACE[slug]) and HELD[slug])
        )

    def hears(self, kind: str, about: tuple[str, ...] | None) -> bool:
        """The rule: active, wants the kind, follows a case the alert is about (an alert
        about no case in particular: follows anything; a statement naming nobody:
        follows everyone)."""
        if about is None:
            follows = self.broadly or bool(self.follows)
        elif not about:  # a statement that names nobody: whoever follows everyone
            follows = self.everyone
        else:
            follows = any(self.follows_case(slug) for slug in about)
        return self.active and self.off != kind and follows

    def gets_digest(self, over: int) -> bool:
        return audience.gets_digest(self.mode, self.broadly, len(self.follows), over)


SHAPES = [
    Shape(number, *values)
    for number, values in enumerate(
        itertools.product(
            (True, False),
            (None, *KINDS),
            (False, True),
            (False, True),
            range(4),
            MODES,
            (False, True),
            AREAS,
        ),
        start=1,
    )
]


def place(key: str) -> Place:
    return Place(key, {"en": key}, Source("p", "Places", "https://example.org/p"), DAY)


def person(slug: str):
    case = make_case(slug, name={"en": slug}, region=REGION[slug])
    status = "sentenced" if HELD[slug] else "released"
    return replace(
        case,
        status=status,
        released_on=None if HELD[slug] else date(2026, 3, 19),
        detention=Detention("src", date(2025, 1, 1), place_key=PLACE[slug]),
    )


@pytest.fixture
async def db(tmp_path):
    connection = await connect(tmp_path / "audience.sqlite3")
    await case_store.merge_cases(
        connection,
        [person(slug) for slug in (PERSON, *OTHERS, FREED)],
        places=[place("ik-1"), place("ik-2")],
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
        if shape.muted:
            await connection.execute(
                "INSERT INTO mutes (chat_id, slug) VALUES (?, ?)", (shape.id, PERSON)
            )
        if shape.area is not None:
            kind, key = shape.area
            table, column = (
                ("region_follows", "region")
                if kind == "region"
                else (
                    "place_follows",
                    "place_key",
                )
            )
            await connection.execute(
                f"INSERT INTO {table} (chat_id, {column}) VALUES (?, ?)", (shape.id, key)
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
    assert len(SHAPES) == 2 * 4 * 2 * 2 * 4 * 3 * 2 * 5
    for about in [(PERSON,), (FREED,), (OTHERS[0],)]:
        heard = chats(lambda shape, about=about: shape.hears("updates", about))
        assert 0 < len(heard) < len(SHAPES)
    # Each new way in and out of hearing is there: a mute, a name beating it, a region,
    # a place, and a place that no longer holds someone.
    muted = chats(lambda s: s.active and s.everyone and s.muted and not s.this_person)
    assert muted and not muted & chats(lambda s: s.hears("updates", (PERSON,)))
    named = chats(lambda s: s.muted and s.this_person and s.active and s.off is None)
    assert named and named <= chats(lambda s: s.hears("updates", (PERSON,)))
    by_place = chats(lambda s: s.area == ("place", "ik-1") and not s.everyone)
    assert by_place & chats(lambda s: s.hears("updates", (PERSON,)))
    assert not by_place & chats(lambda s: s.hears("updates", (FREED,)) and not s.follows)


@pytest.mark.parametrize("slug", [PERSON, FREED, OTHERS[1]])
async def test_alerts_one_by_one_reach_whoever_hears_them(db, slug):
    now = time.time()
    await db.execute("BEGIN")
    await queue_alert(db, "update", "case_update", DAY, slug=slug, payload={}, now=now)
    await queue_alert(db, "news", "statement", DAY, payload={}, now=now)
    await db.commit()
    assert await recipients(db, "update") == chats(lambda s: s.hears("updates", (slug,)))
    assert await recipients(db, "news") == chats(lambda s: s.hears("statements", None))


@pytest.mark.parametrize("slug", [PERSON, FREED])
async def test_the_editors_preview_counts_the_chats_an_alert_reaches(db, slug):
    expected = chats(lambda shape: shape.hears("updates", (slug,)))
    assert await audience.reach(db, slug, "want_updates") == len(expected)
    await db.execute("BEGIN")
    queued = await queue_alert(db, "update", "case_update", DAY, slug=slug, payload={})
    await db.commit()
    assert queued == len(expected)


@pytest.mark.parametrize("about", [(OTHERS[0], PERSON), (PERSON, FREED), (PERSON,), ()])
async def test_a_statement_reaches_the_followers_of_any_of_its_people_once(db, about):
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
    assert in_sql == chats(lambda shape: shape.gets_digest(over))
    # Both ways: some chats get a digest, some do not.
    assert 0 < len(in_sql) < len(SHAPES)


async def test_settings_say_what_fan_out_does(db):
    # /settings says it from what it reads of the chat, for every bound at once.
    for shape in SHAPES:
        choice = await digests.alert_mode(db, shape.id)
        assert (choice.mode, choice.follows, choice.broadly) == (
            shape.mode,
            len(shape.follows),
            shape.broadly,
        )
        for over in range(5):
            says = audience.gets_digest(choice.mode, choice.broadly, choice.follows, over)
            assert says == shape.gets_digest(over), shape


@pytest.mark.parametrize("over", range(5))
async def test_a_days_birthday_reaches_each_chat_once_alone_or_in_the_digest(db, over):
    day = DAY + timedelta(days=over)  # a day of its own for each bound: keys differ
    await db.execute("BEGIN")
    digest = DigestDay(day, over)
    await queue_alert(db, "birthday", "birthday", day, slug=PERSON, payload={}, digest=digest)
    await queue_digest(db, day, over)
    await db.commit()

    hears = chats(lambda shape: shape.hears("birthdays", (PERSON,)))
    digest_chats = chats(lambda shape: shape.gets_digest(over))
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


@pytest.mark.parametrize("slug", [PERSON, FREED, OTHERS[0]])
async def test_what_a_card_offers_to_mute_is_what_the_sql_hears_broadly(db, slug):
    # follows_broadly (a card's Mute) in Python, against the SQL, for the chats that
    # hear about the person only broadly if at all: no name, no mute, all switched on.
    case = next(case for case in await case_store.load_cases(db) if case.slug == slug)
    plain = [
        shape
        for shape in SHAPES
        if shape.active and shape.off is None and not shape.follows and not shape.muted
    ]
    rows = await db.execute_fetchall(
        f"SELECT id FROM chats WHERE {audience.hears('want_updates', audience.ABOUT_CASE)}",
        {"slug": slug},
    )
    heard = {row[0] for row in rows}
    for shape in plain:
        regions = {shape.area[1]} if shape.area and shape.area[0] == "region" else set()
        places = {shape.area[1]} if shape.area and shape.area[0] == "place" else set()
        says = audience.follows_broadly(case, shape.everyone, regions, places)
        assert says == (shape.id in heard), shape
    assert any(shape.id in heard for shape in plain)
    assert any(shape.id not in heard for shape in plain)
