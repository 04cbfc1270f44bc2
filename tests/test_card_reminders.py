"""Birthday card reminders arrive BOT_CARD_LEAD_DAYS ahead, once, only where asked for.

Aliaksandr Kavaliou (tests/test_letters.py), held in IK-9, turns 48 on
12 March 2027. The bot's clock is moved day by day and its daily job run, as
at the alert time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fakeapi.harness import ChatDriver
from storage import card_reminders, channels
from storage.db import connect
from tests.test_alerts_support import (
    Chat,
    Clock,
    alert_bot,
    last_ran,
    prepare,
    rows,
    settle,
    texts,
)
from tests.test_letters import COLONY, WRITABLE, person, said
from tests.test_stale_alerts import at, run_the_day

BIRTHDAY = date(2027, 3, 12)
VIASNA_2023 = "https://spring96.org/ru/news/111691"
OWNER = 9001
# Chat 1 asked for reminders; chat 2 follows the person, and asked for nothing more.
CHATS = [Chat(1, follows=()), Chat(2, follows=(WRITABLE.slug,))]


async def remind(db_path, chat_id: int, slug: str) -> None:
    db = await connect(db_path)
    try:
        await card_reminders.remind(db, chat_id, slug)
    finally:
        await db.close()


async def days(app, clock: Clock, *days: date) -> None:
    for day in days:
        clock.now = at(day, 10)
        await run_the_day(app)


async def test_the_reminder_comes_lead_days_ahead_once_and_only_where_asked(settings, api):
    await prepare(settings.db_path, [WRITABLE], CHATS, places=[COLONY])
    await remind(settings.db_path, 1, WRITABLE.slug)
    clock = Clock(at(date(2027, 2, 24), 9))
    async with alert_bot(settings, api, clock) as app:
        await days(app, clock, date(2027, 2, 25))
        assert texts(api, 1) == []
        await days(app, clock, date(2027, 2, 26))
        [reminder] = api.messages_to(1)
        # Beside the reminder and its "Write a letter": whose letters are handed over at
        # all, in its short form, with Viasna's report and its date.
        assert reminder.plain == (
            "🎂 Aliaksandr Kavaliou turns 48 on 12 March 2027, in 14 days: post a card today, "
            "so it arrives on time.\n"
            "ИК-9, ул. Добролюбова, 16, г. Горки, 213410\n"
            "⚠️ After sentencing, political prisoners get letters only from close relatives: "
            "a letter from a stranger will most likely not be handed over. as of 17 May 2023, "
            "Viasna: how and why political prisoners’ letters are blocked (May 2023)\n"
            "The envelope and the rules that get a letter delivered: Write a letter, below.\n"
            "Source: A source, 4 November 2026"
        )
        assert VIASNA_2023 in links(reminder)
        assert reminder.button_texts == [
            "📇 Open card",
            "✉️ Write a letter",
            "🔗 Source",
            "🔕 Stop these reminders",
        ]
        # The same day again (a restart, a catch-up), and the next days: nothing more.
        await days(app, clock, date(2027, 2, 26), date(2027, 2, 27), BIRTHDAY)
        assert len(texts(api, 1)) == 1
        # The follower got the birthday itself, and no reminder.
        assert [text.split("\n")[0] for text in texts(api, 2)] == [
            "🎂 Aliaksandr Kavaliou turns 48 today, behind bars."
        ]

        driver = ChatDriver(app, api, raise_errors=True)
        [letter] = said(await driver.press(reminder, "✉️ Write a letter"))
        assert letter.plain.startswith("✉️ A letter to Aliaksandr Kavaliou\n")
        records = await driver.press(reminder, "🔕 Stop these reminders")
        assert [r.text for r in records if r.method == "answerCallbackQuery"] == [
            "Reminder stopped."
        ]
        # The switch goes; the card, the letter and the source stay.
        assert api.message(1, reminder.message_id)["reply_markup"]["inline_keyboard"] == [
            [
                {"text": "📇 Open card", "callback_data": f"card:{WRITABLE.slug}"},
                {"text": "✉️ Write a letter", "callback_data": f"letter:{WRITABLE.slug}"},
            ],
            [{"text": "🔗 Source", "url": "https://example.org/src"}],
        ]
        assert await rows(app, "SELECT * FROM card_reminders") == []


def links(message) -> set[str]:
    return {entity["url"] for entity in message.entities if entity["type"] == "text_link"}


async def test_a_reminder_about_someone_awaiting_trial_carries_the_remand_prisons_rule(
    settings, api
):
    """Before a verdict, Viasna's words on remand prisons, in the chat's language."""
    awaiting = person(status="detained", sentence=None)
    await prepare(settings.db_path, [awaiting], [Chat(1, language="be", follows=())], [COLONY])
    await remind(settings.db_path, 1, awaiting.slug)
    clock = Clock(at(date(2027, 2, 25), 9))
    async with alert_bot(settings, api, clock) as app:
        await days(app, clock, date(2027, 2, 26))
        [reminder] = api.messages_to(1)
    lines = reminder.plain.split("\n")
    assert lines[2] == (
        "⚠️ У СІЗА лісты блакуюць адвольна: камусьці даходзяць амаль усе лісты, камусьці "
        "амаль нічога. станам на 17 мая 2023, «Вясна»: як і навошта палітвязням блакуюць "
        "перапіску (травень 2023)"
    )
    assert "толькі ад блізкіх сваякоў" not in reminder.plain  # that is after a verdict
    assert VIASNA_2023 in links(reminder)
    assert reminder.button_texts == [
        "📇 Адкрыць картку",
        "✉️ Напісаць ліст",
        "🔗 Крыніца",
        "🔕 Больш не нагадваць",
    ]


async def test_the_lead_is_bot_card_lead_days(settings, api):
    await prepare(settings.db_path, [WRITABLE], CHATS, places=[COLONY])
    await remind(settings.db_path, 1, WRITABLE.slug)
    clock = Clock(at(date(2027, 2, 24), 9))
    async with alert_bot(replace(settings, card_lead_days=10), api, clock) as app:
        await days(app, clock, date(2027, 2, 26), date(2027, 3, 1))
        assert texts(api, 1) == []
        await days(app, clock, date(2027, 3, 2))
        assert texts(api, 1)[0].startswith(
            "🎂 Aliaksandr Kavaliou turns 48 on 12 March 2027, in 10 days:"
        )


async def test_a_stale_status_holds_the_reminder_until_an_editor_confirms(settings, api):
    stale = person(status_as_of="2026-10-01")  # 148 days old on the reminder's day
    await prepare(settings.db_path, [stale], CHATS, places=[COLONY])
    await remind(settings.db_path, 1, stale.slug)
    clock = Clock(at(date(2027, 2, 25), 9))
    async with alert_bot(settings, api, clock, stale_days=90) as app:
        await days(app, clock, date(2027, 2, 26))
        assert texts(api, 1) == []
        assert await rows(app, "SELECT key, state FROM held_alerts") == [
            (f"card_reminder:{stale.slug}:2027-03-12", "held")
        ]
        question = api.messages_to(OWNER)[-1]
        assert question.plain.startswith(
            "⏸ Held back today: alerts about Aliaksandr Kavaliou, whose status was last "
            "confirmed 148 days ago.\n"
            "• a reminder to post a birthday card: turns 48 in 14 days\n"
        )
        driver = ChatDriver(app, api, raise_errors=True)
        await driver.press(question, "✅ Still true")
        await settle(app)
        assert len(texts(api, 1)) == 1 and texts(api, 2) == []
        await driver.press(question, "✅ Still true")  # twice: nothing more
        await settle(app)
        assert len(texts(api, 1)) == 1


async def test_editors_are_asked_three_days_before_a_stale_reminder_is_due(settings, api):
    stale = person(status_as_of="2026-10-01")
    await prepare(settings.db_path, [stale], CHATS, places=[COLONY])
    await remind(settings.db_path, 1, stale.slug)
    clock = Clock(at(date(2027, 2, 21), 9))

    def asks():
        """What editors were asked ahead (⏳) or on the day (⏸), not the weekly review."""
        return [m for m in api.messages_to(OWNER) if m.plain.startswith(("⏳", "⏸"))]

    async with alert_bot(settings, api, clock, stale_days=90) as app:
        await days(app, clock, date(2027, 2, 22))
        assert asks() == []  # four days before the reminder: not yet
        await days(app, clock, date(2027, 2, 23))
        [question] = asks()
        assert question.plain.startswith(
            "⏳ 26 February 2027: alerts about Aliaksandr Kavaliou will be held back unless "
            "the status is confirmed; by then it will be 148 days old.\n"
            "• a reminder to post a birthday card: turns 48 in 14 days\n"
        )
        await days(app, clock, date(2027, 2, 24), date(2027, 2, 25))
        assert asks() == [question]  # asked once ahead
        driver = ChatDriver(app, api, raise_errors=True)
        await driver.press(question, "✅ Still true")
        await days(app, clock, date(2027, 2, 26))
        # Confirmed ahead: the reminder goes out on its day, and nobody is asked again.
        assert texts(api, 1)[0].startswith("🎂 Aliaksandr Kavaliou turns 48 on 12 March 2027")
        assert asks() == [question]


async def test_nobody_is_reminded_of_the_birthday_of_someone_free(settings, api):
    freed = person(status="released", released_on="2027-01-10", detention=None)
    await prepare(settings.db_path, [freed], CHATS, places=[COLONY])
    await remind(settings.db_path, 1, freed.slug)
    clock = Clock(at(date(2027, 2, 25), 9))
    async with alert_bot(settings, api, clock) as app:
        await days(app, clock, date(2027, 2, 26))
        assert texts(api, 1) == []
        assert await rows(app, "SELECT count(*) FROM alerts") == [(0,)]


async def test_a_groups_reminders_follow_it_to_its_supergroup(settings):
    group, supergroup = -500, -1009876543210
    await prepare(
        settings.db_path,
        [WRITABLE, person("second-person", name={"en": "Second Person"})],
        [Chat(group, follows=()), Chat(supergroup, follows=())],
        places=[COLONY],
    )
    await remind(settings.db_path, group, WRITABLE.slug)
    await remind(settings.db_path, group, "second-person")
    await remind(settings.db_path, supergroup, WRITABLE.slug)
    db = await connect(settings.db_path)
    try:
        # The supergroup was known already: the group's reminders merge into it.
        assert await channels.migrate_chat(db, group, supergroup)
        async with db.execute("SELECT chat_id, slug FROM card_reminders ORDER BY slug") as cursor:
            assert [tuple(row) for row in await cursor.fetchall()] == [
                (supergroup, WRITABLE.slug),
                (supergroup, "second-person"),
            ]
    finally:
        await db.close()


async def test_a_reminder_missed_while_the_bot_was_down_comes_late_with_the_days_left(
    settings, api
):
    await prepare(settings.db_path, [WRITABLE], CHATS, places=[COLONY])
    await remind(settings.db_path, 1, WRITABLE.slug)
    await last_ran(settings.db_path, "2027-02-24")
    # Down on 26 February, the reminder's day: caught up on the 27th, 13 days ahead.
    async with alert_bot(settings, api, Clock(at(date(2027, 2, 27), 11))) as app:
        await settle(app)
    [reminder] = texts(api, 1)
    assert reminder.startswith(
        "🎂 Aliaksandr Kavaliou turns 48 on 12 March 2027, in 13 days: post a card today"
    )


async def test_no_reminder_is_caught_up_for_a_birthday_already_come(settings, api):
    await prepare(settings.db_path, [WRITABLE], CHATS, places=[COLONY])
    await remind(settings.db_path, 1, WRITABLE.slug)
    await last_ran(settings.db_path, "2027-03-08")
    # Reminders two days ahead, due on 10 March; the bot is back on the birthday itself.
    two_days = replace(settings, card_lead_days=2)
    async with alert_bot(two_days, api, Clock(at(BIRTHDAY, 11))) as app:
        await settle(app)
        assert await rows(app, "SELECT last_day FROM runs") == [("2027-03-12",)]
    assert texts(api, 1) == []
    assert [text.split("\n")[0] for text in texts(api, 2)] == [
        "🎂 Aliaksandr Kavaliou turns 48 today, behind bars."
    ]
