"""One message a day: a chat that follows everyone, or more than BOT_DIGEST_OVER people,
gets the day's calendar alerts as one digest, exactly once, without anyone whose status
is stale; releases and case updates still come at once.

5 May 2026 is the test people's birthday and the anniversary of their detention
(tests/test_alerts_support.py); the clock is injected and the daily job run by hand.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from alerts import daily
from alerts.digest import digest_parts
from alerts.service import alert_service
from bench.caseload import generate, place_records
from bot import command_import
from fakeapi.harness import ChatDriver
from fakeapi.telegram_html import parse_html, utf16_len
from messages.render import Messages
from storage import cases as case_store
from storage import deliveries
from storage.db import connect
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
from tests.test_alerts_updates import RELEASED, write
from tests.test_channels import CHANNEL, channel, registered  # noqa: F401 (fixtures)
from tests.test_stale_alerts import FRESH, STALE, at, run_the_day, said

DAY = date(2026, 5, 5)
OWNER = 9001


def person(number: int, **changes):
    """One of many people detained on 5 May 2021 and born on 5 May: all their dates fall today."""
    return make_case(
        f"person-{number:03d}",
        name={"en": f"Person {number:03d}", "be": f"Асоба {number:03d}"},
        status_as_of="2026-04-25",
        **changes,
    )


PEOPLE = [person(number) for number in range(1, 6)]
# Held since 2023: only the anniversary of sentencing and the end of the term are today.
LATER = make_case(
    "later-person",
    name={"en": "Later Person"},
    status_as_of="2026-04-25",
    birth_date="1990-01-01",
    detained_on="2023-01-01",
    sentence={
        "years": 3,
        "months": 0,
        "sentenced_on": "2024-05-05",
        "court": {"en": "Court"},
        "articles": ["342.1"],
        "source": "src",
        "as_of": "2026-04-25",
        "ends_on": "2026-05-05",
    },
)


async def digests_of(app, chat_id: int) -> list[tuple]:
    return await rows(
        app,
        """SELECT a.key, d.state FROM deliveries AS d JOIN alerts AS a ON a.id = d.alert_id
           WHERE d.chat_id = ? AND a.kind = 'digest' ORDER BY a.key""",
        chat_id,
    )


async def test_a_follower_of_everyone_gets_one_digest_birthdays_first(settings, api):
    chats = [
        Chat(1, follows=ALL),  # everyone: a digest
        Chat(2, follows=(PEOPLE[0].slug,)),  # one person: one message each
        Chat(3, follows=tuple(case.slug for case in PEOPLE[:4])),  # four, more than three
        Chat(4, follows=tuple(case.slug for case in PEOPLE[:3])),  # three: not more than three
        Chat(5, "be", follows=ALL),
    ]
    await prepare(settings.db_path, [*PEOPLE, LATER], chats)
    clock = Clock(at(DAY, 9))
    async with alert_bot(settings, api, clock) as app:
        await run_the_day(app)
        [digest] = texts(api, 1)
        # Each date with the source of the person's status and its day.
        cited = " (source, 25 April 2026)"
        assert digest == (
            "📬 Today, 5 May 2026: 12 dates about the people this chat follows.\n"
            "\n"
            "🎂 Birthdays\n"
            + "".join(
                f"• Person {n:03d} turns 46 today, behind bars.{cited}\n"
                "  IK-1, Street 1, 220000 (Penal colony No. 1)\n"
                for n in range(1, 6)
            )
            + "\n🗓 Anniversaries of detention\n"
            + "".join(
                f"• Person {n:03d}: detained 5 years ago today.{cited}\n" for n in range(1, 6)
            )
            + "\n⚖️ Anniversaries of sentencing\n"
            f"• Later Person: sentenced 2 years ago today.{cited}\n"
            "\n📅 Ends of term\n"
            f"• Later Person: by the sentence, the term ends today.{cited}\n"
            "\n/letter and a name: the envelope and the rules that get a letter delivered. "
            "One message per alert instead: /settings."
        )
        # Every name is a link to the person's card in the bot, in a private chat too: a
        # digest has no button for each.
        [record] = api.messages_to(1)
        cards = [entity["url"] for entity in record.entities if "?start=" in entity.get("url", "")]
        assert cards == [
            *(f"https://t.me/casewatch_bot?start=person-{n:03d}" for n in range(1, 6)),
            *(f"https://t.me/casewatch_bot?start=person-{n:03d}" for n in range(1, 6)),
            "https://t.me/casewatch_bot?start=later-person",
            "https://t.me/casewatch_bot?start=later-person",
        ]
        assert texts(api, 5)[0].startswith("📬 Сёння, 5 мая 2026: 12 дат пра тых")
        assert [len(texts(api, chat)) for chat in (2, 3, 4)] == [2, 1, 6]
        assert texts(api, 3)[0].startswith("📬 Today, 5 May 2026: 8 dates")

        # The job again, a catch-up, a restart: the same day is not told twice.
        await run_the_day(app)
        await alert_service(app).catch_up()
        await settle(app)
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        assert await digests_of(app, 1) == [("digest:2026-05-05", "sent")]
    assert [len(texts(api, chat)) for chat in (1, 2, 3, 4, 5)] == [1, 2, 1, 6, 1]


async def test_bot_digest_over_sets_how_many_people_make_a_digest(settings, api):
    chats = [Chat(1, follows=tuple(case.slug for case in PEOPLE[:2]))]
    await prepare(settings.db_path, PEOPLE, chats)
    clock = Clock(at(DAY, 9))
    async with alert_bot(replace(settings, digest_over=1), api, clock) as app:
        await run_the_day(app)
    [digest] = texts(api, 1)
    assert digest.startswith("📬 Today, 5 May 2026: 4 dates")


async def test_releases_and_case_updates_still_come_at_once(settings, api, tmp_path):
    await prepare(settings.db_path, [make_case()], [Chat(1, follows=ALL)])
    clock = Clock(at(date(2026, 6, 1), 12))
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        update = write(tmp_path / "u.yaml", [make_case(**RELEASED)])
        assert await command_import(settings, update) == 0
        await settle(app)
    [release] = texts(api, 1)
    assert release.startswith("🕊 Test Person is free.")


async def test_a_long_digest_splits_cleanly_and_is_one_delivery(settings, api):
    crowd = [person(number) for number in range(1, 121)]
    await prepare(settings.db_path, crowd, [Chat(1, follows=ALL)])
    clock = Clock(at(DAY, 9))
    async with alert_bot(settings, api, clock) as app:
        await run_the_day(app)
        assert await digests_of(app, 1) == [("digest:2026-05-05", "sent")]
    parts = api.messages_to(1)
    assert len(parts) > 1
    # Each part fits one message and breaks between lines, never inside one.
    assert all(utf16_len(part.plain) <= 4096 for part in parts)
    lines = [line for part in parts for line in part.plain.split("\n")]
    birthdays = [line for line in lines if "turns 46 today, behind bars." in line]
    detained = [line for line in lines if "detained 5 years ago today." in line]
    assert birthdays == [
        f"• Person {n:03d} turns 46 today, behind bars. (source, 25 April 2026)"
        for n in range(1, 121)
    ]
    assert len(detained) == 120
    # Birthdays first: every birthday comes before the first anniversary.
    assert lines.index(birthdays[-1]) < lines.index(detained[0])


async def test_a_stale_person_is_left_out_and_reaches_the_digest_once_confirmed(settings, api):
    await prepare(settings.db_path, [FRESH, STALE], [Chat(1, follows=ALL)])
    clock = Clock(at(DAY, 9))
    async with alert_bot(settings, api, clock, stale_days=90) as app:
        await run_the_day(app)
        [digest] = texts(api, 1)
        assert "Fresh Person turns 46" in digest and "Stale Person" not in digest
        assert digest.startswith("📬 Today, 5 May 2026: 2 dates")
        # The editors are asked, as for single alerts.
        question = api.messages_to(OWNER)[-1]
        assert question.plain.startswith("⏸ Held back today: alerts about Stale Person")

        # Confirmed after the digest went: what was held reaches the digest chat, once.
        clock.now = at(DAY, 15)
        editor = ChatDriver(app, api, raise_errors=True)
        said(await editor.press(question, "✅ Still true"))
        await settle(app)
        assert [text.split("\n")[0] for text in texts(api, 1)[1:]] == [
            "🎂 Stale Person turns 46 today, behind bars.",
            "🗓 Stale Person: detained 5 years ago today.",
        ]
        await editor.press(question, "✅ Still true")
        await run_the_day(app)
        await settle(app)
    assert len(texts(api, 1)) == 3


async def test_a_digest_in_flight_at_a_crash_goes_again_once(settings, api):
    await prepare(settings.db_path, PEOPLE, [Chat(1, follows=ALL)])
    db = await connect(settings.db_path)
    try:
        await daily.run_day(db, DAY)
        # Killed while sending it: the row is 'sending', the fate unknown.
        await db.execute("UPDATE deliveries SET state = 'sending' WHERE chat_id = 1")
        await db.commit()
    finally:
        await db.close()
    clock = Clock(at(DAY, 11))
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        assert alert_service(app).recovered == 1
    async with alert_bot(settings, api, clock) as app:
        await settle(app)
        assert await digests_of(app, 1) == [("digest:2026-05-05", "sent")]
    assert len(texts(api, 1)) == 1


async def test_someone_freed_after_the_run_is_left_out_of_the_digest(settings):
    await prepare(settings.db_path, PEOPLE[:2], [Chat(1, follows=ALL)])
    db = await connect(settings.db_path)
    try:
        await daily.run_day(db, DAY)
        [delivery] = await deliveries.next_due(db, 1e12, [])
        freed = replace(PEOPLE[0], status="released", released_on=DAY, detention=None)
        cases = {PEOPLE[0].slug: freed, PEOPLE[1].slug: PEOPLE[1]}

        async def case_of(slug):
            return cases[slug]

        [text] = await digest_parts(Messages(), db, delivery, case_of)
        assert "Person 001" not in text and "Person 002</b> turns 46" in text
        cases[PEOPLE[1].slug] = replace(freed, slug=PEOPLE[1].slug)
        assert await digest_parts(Messages(), db, delivery, case_of) == []
    finally:
        await db.close()


async def test_settings_choose_a_digest_or_one_message_each(app, driver):
    await driver.send("/subscribe Rabkova")
    [settings] = await driver.send("/settings")
    assert (
        "📨 Calendar alerts (birthdays, anniversaries, days behind bars, ends of term): "
        "one message each.\nAutomatic: a digest while this chat follows everyone or more "
        "than 3 people; it follows 1 now." in settings.plain
    )
    records = await driver.press(settings, "Daily digest")
    assert [r.text for r in records if r.method == "answerCallbackQuery"] == [
        "Calendar alerts: one digest a day"
    ]
    [redrawn] = [r for r in records if r.method == "editMessageText"]
    assert (
        "📬 Calendar alerts (birthdays, anniversaries, days behind bars, ends of term): "
        "one digest a day, at 10:00 (Minsk time).\nChosen for this chat" in redrawn.plain
    )
    modes = redrawn.button_texts.index("Automatic")
    assert redrawn.button_texts[modes : modes + 3] == ["Automatic", "• Daily digest", "One by one"]
    assert await rows(app, "SELECT alert_mode FROM chats WHERE id = 1001") == [("digest",)]
    await driver.press(redrawn, "One by one")
    assert await rows(app, "SELECT alert_mode FROM chats WHERE id = 1001") == [("single",)]


async def test_only_a_groups_admins_choose_its_digest(app, api, driver):
    group = -4002
    api.set_member(group, 1002, "member")
    [settings] = await driver.send("/settings", chat_id=group, chat_type="group", user_id=1002)
    records = await driver.press(settings, "Daily digest", user_id=1002)
    assert [r.text for r in records] == ["Only this group's admins can change that."]
    assert await rows(app, "SELECT * FROM chats") == []


async def test_channel_settings_choose_the_channels_digest(app, driver, registered):  # noqa: F811
    replies = await driver.send("/channel settings @viasnanews")
    assert replies[0].plain.startswith("Settings of Viasna <news> & more")
    await driver.press(replies[0], "One by one")
    assert await rows(app, "SELECT id, alert_mode FROM chats WHERE kind = 'channel'") == [
        (CHANNEL, "single")
    ]


async def test_generated_caseload_a_follower_of_everyone_gets_one_digest_a_day(settings):
    """bench/caseload.py's 1,200 people over a week: one digest a day, every day."""
    first = date(2026, 12, 1)
    week = [first + timedelta(days=n) for n in range(7)]
    await prepare(settings.db_path, generate(1200), [], places=place_records())
    db = await connect(settings.db_path)
    messages = Messages()
    try:
        await db.execute(
            "INSERT INTO chats (id, language, created_at, subscribed_all) VALUES (1, 'en', 'x', 1)"
        )
        await db.commit()
        by_slug = {case.slug: case for case in await case_store.load_cases(db)}

        async def case_of(slug):
            return by_slug.get(slug)

        per_day = []
        for day in week:
            await daily.run_day(db, day)
            due = [d for d in await deliveries.next_due(db, 1e12, [], limit=10_000)]
            per_day.append(len(due))
            [digest] = due
            assert (digest.kind, digest.on_date) == ("digest", day)
            parts = await digest_parts(messages, db, digest, case_of)
            assert parts
            for part in parts:
                plain, _ = parse_html(part)  # Telegram HTML, as the fake API checks it
                assert utf16_len(plain) <= 4096
            # As the sender does: claimed, then recorded as sent.
            assert await deliveries.claim(db, digest.id, 0.0)
            assert await deliveries.mark_sent(db, digest.id, len(parts), 1, 0.0)
    finally:
        await db.close()
    assert per_day == [1] * 7
