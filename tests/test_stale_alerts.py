"""No alert about a person goes out on a stale status: held back, the editors asked, confirmed.

The bot runs with its real rule (BOT_STALE_DAYS 90) and an injected clock
moved forward day by day. Two people are held and share a birthday and a
detention anniversary on Tuesday 5 May 2026: one whose status was confirmed
ten days earlier, one confirmed 300 days earlier. A third, free, shares them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from alerts import daily
from alerts.fanout import queue_alert
from alerts.service import DAILY_JOB
from alerts.updates import queue_after_merge
from fakeapi.harness import ChatDriver
from storage import admins as admin_store
from storage import cases as case_store
from storage import held_alerts as held_store
from storage.db import connect, transaction
from tests.test_alerts_support import (
    ALL,
    Chat,
    Clock,
    alert_bot,
    make_case,
    prepare,
    rows,
    settle,
    texts,
)
from tests.test_case_admin_support import audit_entries, stored_case, upload
from tests.test_case_admin_upload import file_of

MINSK = ZoneInfo("Europe/Minsk")
OWNER, EDITOR = 9001, 1001
STALE_DAYS = 90
DAY = date(2026, 5, 5)  # born 5 May 1980, detained 5 May 2021: a birthday and an anniversary
FRESH = make_case(
    "fresh-person", name={"en": "Fresh Person", "ru": "Свежая Персона"}, status_as_of="2026-04-25"
)
STALE = make_case(
    "stale-person", name={"en": "Stale Person", "ru": "Старая Персона"}, status_as_of="2025-07-09"
)
FREE = make_case(
    "free-person",
    name={"en": "Free Person"},
    status="released",
    status_as_of="2026-04-25",
    released_on="2026-03-19",
)
# Chat 1 follows everyone, one alert at a time (tests/test_digests.py has the digest's
# side); chat 2 (Russian) the stale person alone.
CHATS = [Chat(1, follows=ALL, mode="single"), Chat(2, "ru", follows=("stale-person",))]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MINSK)


async def run_the_day(app) -> None:
    [job] = app.job_queue.get_jobs_by_name(DAILY_JOB)
    await job.run(app)
    await settle(app)


def said(records) -> list:
    """The messages among what the bot did (not the answer to a button press)."""
    return [record for record in records if record.method == "sendMessage"]


def first_lines(api, chat_id: int) -> list[str]:
    return [text.split("\n")[0] for text in texts(api, chat_id)]


async def test_a_stale_status_holds_the_alert_until_an_editor_confirms_it(settings, api):
    await prepare(settings.db_path, [FRESH, STALE, FREE], CHATS)
    clock = Clock(at(date(2026, 5, 2), 10, 30))  # three days ahead, after the alert time
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        # Three days ahead: the editors are asked about the stale person alone.
        [ahead] = api.messages_to(OWNER)
        assert ahead.plain == (
            "⏳ 5 May 2026: alerts about Stale Person will be held back unless the status is "
            "confirmed; by then it will be 300 days old.\n"
            "• birthday: turns 46\n"
            "• 5 years since the detention\n"
            "Status: serving a sentence, last confirmed on 9 July 2025.\n"
            "\n"
            "Still true: they go out on the day as planned. It changed: set the new status."
        )
        assert ahead.button_texts == ["✅ Still true", "✏️ It changed"]
        assert texts(api, 1) == texts(api, 2) == []

        # The days go by (4 May, a Monday, brings the weekly review) ...
        for day in (3, 4):
            clock.now = at(date(2026, 5, day), 10, 0)
            await run_the_day(app)
        # ... to the day: the recently confirmed person's alerts go out; the stale one's wait.
        clock.now = at(DAY, 10, 0)
        await run_the_day(app)
        assert first_lines(api, 1) == [
            "🎂 Fresh Person turns 46 today, behind bars.",
            "🗓 Fresh Person: detained 5 years ago today.",
        ]
        assert texts(api, 2) == []
        assert await rows(app, "SELECT key, state FROM held_alerts ORDER BY key") == [
            ("birthday:stale-person:2026-05-05", "held"),
            ("detention_anniversary:stale-person:2026-05-05", "held"),
        ]
        # ... and the editors are asked again, on the day.
        on_the_day = api.messages_to(OWNER)[-1]
        assert on_the_day.plain.startswith(
            "⏸ Held back today: alerts about Stale Person, whose status was last confirmed "
            "300 days ago.\n"
        )
        # Asked three days ahead, reviewed on Monday, asked on the day: nothing more.
        assert len(api.messages_to(OWNER)) == 3

        # Confirmed in the evening, long after the alert time: they go out as planned.
        clock.now = at(DAY, 18, 30)
        [reply] = said(await ChatDriver(app, api).press(on_the_day, "✅ Still true"))
        assert reply.plain == (
            "✅ Confirmed: Stale Person is still serving a sentence, as of today, 5 May 2026.\n"
            "The 2 alerts held back today go out now."
        )
        await settle(app)
        assert first_lines(api, 1)[2:] == [
            "🎂 Stale Person turns 46 today, behind bars.",
            "🗓 Stale Person: detained 5 years ago today.",
        ]
        assert first_lines(api, 2) == [
            "🎂 Старая Персона: сегодня день рождения, 46 лет, за решёткой.",
            "🗓 Старая Персона: сегодня 5 лет со дня задержания.",
        ]
        # The free person shares the dates and got nothing, ever.
        assert not any("Free Person" in text for text in texts(api, 1))
        assert (await stored_case(app, "stale-person"))["status_confirmed_on"] == "2026-05-05"
        [entry] = await audit_entries(app)
        assert (entry.actor_id, entry.action, entry.target) == (
            OWNER,
            "case.confirm",
            "stale-person",
        )
        assert [(c.field, c.new) for c in entry.changes] == [("status_confirmed_on", "2026-05-05")]

        # A second tap (the question of three days ago) confirms and sends nothing more.
        [again] = said(await ChatDriver(app, api).press(ahead, "✅ Still true"))
        assert again.plain == "Stale Person: the status was already confirmed today. Nothing to do."
        await settle(app)
    # Nor does a restart the same day.
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
    assert len(texts(api, 1)) == 4 and len(texts(api, 2)) == 2
    assert await _alert_keys(settings) == [
        "birthday:fresh-person:2026-05-05",
        "birthday:stale-person:2026-05-05",
        "confirm_status:stale-person:2026-05-05:ahead",
        "confirm_status:stale-person:2026-05-05:day",
        "detention_anniversary:fresh-person:2026-05-05",
        "detention_anniversary:stale-person:2026-05-05",
        "status_review:2026-05-04",
    ]


async def _alert_keys(settings) -> list[str]:
    db = await connect(settings.db_path)
    try:
        async with db.execute("SELECT key FROM alerts ORDER BY key") as cursor:
            return [row[0] for row in await cursor.fetchall()]
    finally:
        await db.close()


async def test_held_alerts_survive_a_restart_and_go_to_every_editor(settings, api):
    await prepare(settings.db_path, [STALE], CHATS)
    db = await connect(settings.db_path)
    await admin_store.grant(db, EDITOR, OWNER)
    await db.close()
    clock = Clock(at(DAY, 10, 30))
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
    assert texts(api, 1) == []
    # Owner and editor are both asked, each in their own chat.
    [asked_owner] = api.messages_to(OWNER)
    [asked_editor] = api.messages_to(EDITOR)
    assert asked_owner.text == asked_editor.text
    clock.now = at(DAY, 15, 0)
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        assert texts(api, 1) == []  # still held after the restart
        await ChatDriver(app, api).press(asked_editor, "✅ Still true")
        await settle(app)
        assert len(texts(api, 1)) == 2
        # The owner's tap on the same question changes nothing more.
        await ChatDriver(app, api).press(asked_owner, "✅ Still true")
        await settle(app)
    assert len(texts(api, 1)) == 2


async def test_an_alert_never_confirmed_is_not_sent_and_admin_shows_it(settings, api):
    await prepare(settings.db_path, [STALE], CHATS)
    clock = Clock(at(DAY, 10, 30))
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        [asked] = api.messages_to(OWNER)
        admin = ChatDriver(app, api)
        dashboard = (await admin.send("/admin", user_id=OWNER))[0].plain
        assert (
            "• 5 May 2026, birthday, Stale Person: waiting for an editor to confirm the status "
            "today\n" in dashboard
        )
        # The next day: the day passed unconfirmed, so those alerts are never sent.
        clock.now = at(date(2026, 5, 6), 10, 0)
        await run_the_day(app)
        await admin.press(asked, "✅ Still true")  # a day late: confirms the status, no more
        await settle(app)
        assert texts(api, 1) == texts(api, 2) == []
        dashboard = (await admin.send("/admin", user_id=OWNER))[-1].plain
        assert "Held back (a stale status, last 30 days):\n" in dashboard
        assert (
            "• 5 May 2026, anniversary of the detention, Stale Person: not sent: nobody "
            "confirmed the status that day\n" in dashboard
        )
        assert await rows(app, "SELECT DISTINCT state FROM held_alerts") == [("expired",)]


async def test_it_changed_leads_to_setstatus_and_a_release_drops_the_held_alerts(settings, api):
    await prepare(settings.db_path, [STALE], CHATS)
    clock = Clock(at(DAY, 10, 30))
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        admin = ChatDriver(app, api, raise_errors=True)
        [asked] = api.messages_to(OWNER)
        [help_text] = said(await admin.press(asked, "✏️ It changed"))
        assert help_text.plain.startswith(
            "What is the status of Stale Person now? Send it with the date and the source"
        )
        assert "/setstatus stale-person released 2026-05-05 https://" in help_text.plain
        preview = await admin.send(
            "/setstatus stale-person released 2026-05-04 https://example.org/freed",
            user_id=OWNER,
        )
        await admin.press(preview[-1], "✅ Confirm")
        await settle(app)
        # One release alert, with how long the person was held; no birthday behind bars.
        [released] = texts(api, 1)
        assert released.startswith(
            "🕊 Stale Person is free.\nStatus: released as of 4 May 2026\n"
            "Released on 4 May 2026, after 1,825 days in detention.\n"
        )
        assert await rows(app, "SELECT DISTINCT state FROM held_alerts") == [("dropped",)]


async def test_an_import_restating_the_status_confirms_it(settings, api):
    await prepare(settings.db_path, [STALE], CHATS)
    clock = Clock(at(DAY, 10, 30))
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        admin = ChatDriver(app, api, raise_errors=True)
        restated = replace(STALE, status_as_of=date(2026, 5, 4))
        summary = await upload(admin, api, "cases.yaml", file_of([restated], "yaml"))
        await admin.press(summary[-1], "✅ Confirm")
        await settle(app)
        assert first_lines(api, 1) == [
            "🎂 Stale Person turns 46 today, behind bars.",
            "🗓 Stale Person: detained 5 years ago today.",
        ]


async def test_a_release_takes_unsent_calendar_alerts_off_the_queue(settings):
    # A birthday "behind bars" queued in the morning, a release imported before it went out.
    await prepare(settings.db_path, [STALE], CHATS)
    db = await connect(settings.db_path)
    try:
        async with transaction(db):
            await queue_alert(
                db, "birthday:stale-person:2026-05-05", "birthday", DAY, slug=STALE.slug
            )
        freed = replace(STALE, status="released", status_as_of=DAY, released_on=DAY)
        hook = _after_merge(DAY)
        await case_store.merge_cases(db, [freed], on_merged=hook)
        async with db.execute(
            "SELECT a.kind, d.state, d.error FROM deliveries d JOIN alerts a "
            "ON a.id = d.alert_id ORDER BY a.kind, d.chat_id"
        ) as cursor:
            found = [tuple(row) for row in await cursor.fetchall()]
    finally:
        await db.close()
    assert found == [
        ("birthday", "dropped", "not held"),
        ("birthday", "dropped", "not held"),
        ("release", "pending", None),
        ("release", "pending", None),
    ]


def _after_merge(day: date):
    async def hook(db, report):
        return await queue_after_merge(db, report, today=day, stale_days=STALE_DAYS)

    return hook


async def test_the_weekly_review_and_review_walk_the_stalest_first(settings, api):
    older = make_case(
        "older-person",
        name={"en": "Older Person"},
        status_as_of="2025-01-10",
        birth_date="1975-09-01",
        detained_on="2021-09-01",
    )
    monday = date(2026, 5, 4)
    await prepare(settings.db_path, [FRESH, STALE, older, FREE], CHATS)
    clock = Clock(at(monday, 10, 30))
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        # Stale Person's alerts of tomorrow are asked about too; then the review.
        asked, review = api.messages_to(OWNER)
        assert asked.plain.startswith("⏳ 5 May 2026: alerts about Stale Person")
        assert review.plain == (
            "🗂 Weekly review: 2 statuses have not been confirmed for more than 90 days.\n"
            "1. Older Person: serving a sentence, last confirmed on 10 January 2025, 479 days ago\n"
            "2. Stale Person: serving a sentence, last confirmed on 9 July 2025, 299 days ago\n"
            "\n"
            "✅ if the status still holds today, ✏️ if it changed. /review goes through every "
            "stale status, one card at a time."
        )
        assert review.button_texts == [
            "✅ 1. Still true",
            "✏️ 1. It changed",
            "✅ 2. Still true",
            "✏️ 2. It changed",
        ]
        admin = ChatDriver(app, api, raise_errors=True)
        [confirmed] = said(await admin.press(review, "✅ 2. Still true"))
        assert confirmed.plain.startswith("✅ Confirmed: Stale Person is still serving a sentence")

        # /review: what is still stale, one card at a time.
        header, card = await admin.send("/review", user_id=OWNER)
        assert header.plain == (
            "🗂 Review: 1 stale status left. Older Person: last confirmed 479 days ago."
        )
        assert card.plain.startswith("Older Person\n")
        assert "⚠️ Last confirmed on 10 January 2025, 479 days ago: it may have changed." in (
            card.plain
        )
        assert card.button_texts == ["✅ Still true", "✏️ It changed", "⏭ Next"]
        done = await admin.press(card, "⏭ Next")
        assert done[-1].plain == "That is all for now: 1 stale status is left for later."
        header, card = await admin.send("/review", user_id=OWNER)
        confirmed, finished = said(await admin.press(card, "✅ Still true"))
        assert confirmed.plain.startswith("✅ Confirmed: Older Person is still serving a sentence")
        assert finished.plain == (
            "✅ Every status was confirmed within the last 90 days: nothing to review."
        )
        assert (await stored_case(app, "older-person"))["status_confirmed_on"] == "2026-05-04"


async def test_an_import_hook_releases_todays_held_alerts_once(settings):
    # What `python bot.py import` runs inside its transaction: a file restating the
    # status with a newer status_as_of lets today's held alerts go, under their keys.
    await prepare(settings.db_path, [STALE], CHATS)
    db = await connect(settings.db_path)
    try:
        async with transaction(db):
            for kind in ("birthday", "detention_anniversary"):
                key = f"{kind}:stale-person:2026-05-05"
                await held_store.hold(db, key, kind, STALE.slug, DAY, {"name": STALE.name})
        restated = replace(STALE, status_as_of=date(2026, 5, 4))
        for _ in range(2):  # the same file imported twice
            await case_store.merge_cases(db, [restated], on_merged=_after_merge(DAY))
        async with db.execute(
            "SELECT a.kind, count(*) FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
            "GROUP BY a.kind ORDER BY a.kind"
        ) as cursor:
            queued = [tuple(row) for row in await cursor.fetchall()]
        async with db.execute("SELECT DISTINCT state FROM held_alerts") as cursor:
            states = [row[0] for row in await cursor.fetchall()]
    finally:
        await db.close()
    # Chat 1 follows everyone, chat 2 the stale person: two deliveries of each, once.
    assert queued == [("birthday", 2), ("detention_anniversary", 2)]
    assert states == ["sent"]


async def test_a_confirmation_during_the_daily_run_is_not_lost(settings, monkeypatch):
    # The run read the cases (stale) just before an editor's "Still true" landed:
    # it reads the case again before holding anything back, and sends.
    confirmed = replace(STALE, status_confirmed_on=DAY)
    await prepare(settings.db_path, [confirmed], CHATS)
    db = await connect(settings.db_path)

    async def read_before_the_confirmation(_db):
        return [STALE]

    monkeypatch.setattr(daily.case_store, "load_cases", read_before_the_confirmation)
    try:
        await daily.run_day(db, DAY, policy=daily.StatusPolicy(stale_days=STALE_DAYS))
        async with db.execute("SELECT count(*) FROM held_alerts") as cursor:
            [(held,)] = await cursor.fetchall()
        async with db.execute("SELECT kind FROM alerts ORDER BY kind") as cursor:
            kinds = [row[0] for row in await cursor.fetchall()]
    finally:
        await db.close()
    assert held == 0
    assert kinds == ["birthday", "detention_anniversary"]
