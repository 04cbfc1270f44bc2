"""Subscriptions that fit a life: mute one person while following everyone, follow a
region or a place of detention, choose the hour of the daily digest.

Through the real bot on the fake Bot API: what a subscriber does is pressed and
typed, what reaches them is read off the messages Telegram was asked to send.
5 May 2026 is everyone's birthday and the anniversary of their detention here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from alerts.fanout import queue_alert
from alerts.service import DAILY_JOB, DIGEST_HOUR_JOB, alert_service
from bot import command_import
from cases.files import write_cases
from cases.model import Detention, Place, Source
from fakeapi.harness import ChatDriver
from storage.db import connect, transaction
from tests.test_alerts_support import (
    ALL,
    Chat,
    Clock,
    WallClock,
    alert_bot,
    caught_up,
    make_case,
    prepare,
    rows,
    settle,
    texts,
)
from tests.test_channels import CHANNEL, OTHER, channel, registered  # noqa: F401 (fixtures)
from tests.test_forget import mentions

MINSK = ZoneInfo("Europe/Minsk")
DAY = date(2026, 5, 5)
USER = 1001


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MINSK)


def place(key: str, en: str, ru: str, region: str) -> Place:
    return Place(
        key, {"en": en, "ru": ru}, Source("p", "Places", "https://example.org/p"), DAY, region
    )


IK1 = place("ik-1", "Penal colony No. 1, Homel", "ИК-1, Гомель", "homel")
IK2 = place("ik-2", "Penal colony No. 2, Babruisk", "ИК-2, Бобруйск", "mahiliou")


def person(slug: str, name: str, region: str, place_key: str, **changes):
    case = make_case(slug, name={"en": name}, region=region, status_as_of="2026-04-25")
    detention = Detention("src", date(2026, 4, 25), place_key=place_key)
    return replace(case, detention=detention, **changes)


XENIA = person("xenia-homel", "Xenia Homelskaya", "homel", "ik-1")
YURY = person("yury-brest", "Yury Bresty", "brest", "ik-2")
ZOYA = person("zoya-homel", "Zoya Novaya", "homel", "ik-2")


async def tell(app, key: str, slug: str) -> None:
    """A statement about one person, as publishing queues it; its text is ``key``."""
    db = await connect(app.bot_data["services"].settings.db_path)
    try:
        async with transaction(db):
            await queue_alert(
                db,
                key,
                "statement",
                DAY,
                slug=slug,
                payload={"title": {"en": "Statement"}, "text": {"en": key}, "url": None},
            )
    finally:
        await db.close()
    alert_service(app).wake()


def heard(api, chat_id: int) -> list[str]:
    """The statements' texts a chat got (their last line), in order."""
    return [text.split("\n")[-1] for text in texts(api, chat_id) if text.startswith("📣")]


def said(records) -> list:
    return [record for record in records if record.method in ("sendMessage", "editMessageText")]


def toasts(records) -> list[str]:
    return [record.text for record in records if record.method == "answerCallbackQuery"]


async def run_the_day(app) -> None:
    [job] = app.job_queue.get_jobs_by_name(DAILY_JOB)
    await job.run(app)


# --- Mute one person ---------------------------------------------------------------


async def test_following_everyone_a_chat_mutes_one_person_and_unmutes_them(settings, api):
    await prepare(settings.db_path, [XENIA, YURY], [], places=[IK1, IK2])
    async with alert_bot(settings, api, Clock(at(9))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        await driver.send("/subscribe all")
        [card] = await driver.send("/defender Xenia Homelskaya")
        assert card.button_texts[:2] == ["✓ Following everyone", "🔇 Mute"]
        pressed = await driver.press(card, "🔇 Mute")
        assert toasts(pressed) == [
            "Muted: Xenia Homelskaya. No alerts about this person in this chat; "
            "the rest keep coming."
        ]
        [turned] = [record for record in pressed if record.method == "editMessageReplyMarkup"]
        assert turned.button_texts[:2] == ["✓ Following everyone", "🔊 Unmute"]
        # Only the chat's id and the person's slug are kept.
        assert await rows(app, "SELECT * FROM mutes") == [(USER, "xenia-homel")]

        # One by one: nothing about her, the others as before.
        await tell(app, "about Xenia", "xenia-homel")
        await tell(app, "about Yury", "yury-brest")
        await settle(app)
        assert heard(api, USER) == ["about Yury"]

        # The day's digest (following everyone: a digest) leaves her out.
        await run_the_day(app)
        await settle(app)
        [digest] = [text for text in texts(api, USER) if text.startswith("📬")]
        assert "Yury Bresty turns 46" in digest and "Xenia" not in digest

        # /subscriptions shows her muted, with a button to unmute.
        [listed] = await driver.send("/subscriptions")
        assert "🔇 Muted, no alerts about them: Xenia Homelskaya" in listed.plain
        assert "🔊 Xenia Homelskaya" in listed.button_texts
        pressed = await driver.press(listed, "🔊 Xenia Homelskaya")
        [redrawn] = said(pressed)
        assert "Muted" not in redrawn.plain
        assert await rows(app, "SELECT * FROM mutes") == []
        await tell(app, "about Xenia again", "xenia-homel")
        await settle(app)
        assert heard(api, USER) == ["about Yury", "about Xenia again"]
        [card] = await driver.send("/defender Xenia Homelskaya")
        assert card.button_texts[:2] == ["✓ Following everyone", "🔇 Mute"]


async def test_a_name_beats_a_mute_and_a_card_of_someone_followed_by_name_offers_none(
    settings, api
):
    await prepare(settings.db_path, [XENIA, YURY], [], places=[IK1, IK2])
    async with alert_bot(settings, api, Clock(at(9))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        await driver.send("/subscribe Homel")
        [card] = await driver.send("/defender Xenia Homelskaya")
        # Heard through her region: Subscribe by name, or mute.
        assert card.button_texts[:2] == ["🔔 Subscribe", "🔇 Mute"]
        await driver.press(card, "🔇 Mute")
        await driver.send("/subscribe Xenia Homelskaya")
        assert await rows(app, "SELECT * FROM mutes") == []
        [card] = await driver.send("/defender Xenia Homelskaya")
        assert card.button_texts[0] == "🔕 Unsubscribe" and "🔇 Mute" not in card.button_texts
        [other] = await driver.send("/defender Yury Bresty")
        assert other.button_texts[0] == "🔔 Subscribe" and "🔇 Mute" not in other.button_texts
        # Unfollowed by name, she is still heard through her region: the reply says so.
        [answer] = await driver.send("/unsubscribe Xenia Homelskaya")
        assert answer.plain.startswith(
            "Unsubscribed from Xenia Homelskaya.\n"
            "It follows their region or place of detention, so alerts about Xenia Homelskaya "
            "keep coming.\nTo stop alerts about Xenia Homelskaya alone, tap 🔇 Mute under "
            "their card."
        )


async def test_in_a_group_only_admins_mute(settings, api):
    group, member = -4002, 1002
    await prepare(settings.db_path, [XENIA], [Chat(group, follows=ALL)], places=[IK1])
    api.set_member(group, member, "member")
    async with alert_bot(settings, api, Clock(at(9))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [card] = await driver.send(
            "/defender Xenia Homelskaya", chat_id=group, chat_type="group", user_id=member
        )
        pressed = await driver.press(card, "🔇 Mute", user_id=member)
        assert toasts(pressed) == ["Only this group's admins can change that."]
        assert await rows(app, "SELECT * FROM mutes") == []


# --- Follow a region ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "language", "reply"),
    [
        ("Homel", "en", "Done: this chat now follows Homel region."),
        (
            "Гомельская вобласць",
            "be",
            "Гатова: у гэтага чата новая падпіска — Гомельская вобласць.",
        ),
        ("Гомельская область", "ru", "Готово: у этого чата новая подписка — Гомельская область."),
        ("obwód homelski", "pl", "Gotowe: nowa subskrypcja tego czatu — obwód homelski."),
    ],
)
async def test_subscribe_understands_a_region(settings, api, words, language, reply):
    await prepare(settings.db_path, [XENIA, YURY], [], places=[IK1, IK2])
    async with alert_bot(settings, api, Clock(at(12))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [answer] = await driver.send(f"/subscribe {words}", language_code=language)
        assert answer.plain.startswith(reply)
        assert await rows(app, "SELECT * FROM region_follows") == [(USER, "homel")]


async def test_a_region_follower_hears_of_people_from_there_new_ones_included(
    settings, api, tmp_path
):
    await prepare(settings.db_path, [XENIA, YURY], [], places=[IK1, IK2])
    async with alert_bot(settings, api, Clock(at(12))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [answer] = await driver.send("/subscribe Homel")
        assert answer.plain.startswith(
            "Done: this chat now follows Homel region.\n"
            "Alerts come about everyone from there, people added later included."
        )
        await tell(app, "about Xenia", "xenia-homel")
        await tell(app, "about Yury", "yury-brest")
        await settle(app)
        assert heard(api, USER) == ["about Xenia"]

        # A case added there later is followed too.
        path = tmp_path / "new.yaml"
        with path.open("w", encoding="utf-8") as stream:
            write_cases([ZOYA], "yaml", stream)
        assert await command_import(settings, path) == 0
        await tell(app, "about Zoya", "zoya-homel")
        await settle(app)
        assert heard(api, USER) == ["about Xenia", "about Zoya"]

        [listed] = await driver.send("/subscriptions")
        assert listed.plain.startswith("This chat follows\n🗺 Homel region")
        await driver.press(listed, "✕ Homel region")
        assert await rows(app, "SELECT * FROM region_follows") == []


async def test_a_bare_minsk_asks_city_or_region(settings, api):
    await prepare(settings.db_path, [XENIA], [], places=[IK1])
    async with alert_bot(settings, api, Clock(at(12))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [question] = await driver.send("/subscribe Minsk")
        assert question.plain == "Which one do you mean? Tap it."
        assert question.button_texts == ["Minsk region", "Minsk"]
        pressed = await driver.press(question, "Minsk")
        assert said(pressed)[0].plain.startswith("Done: this chat now follows Minsk.")
        assert await rows(app, "SELECT * FROM region_follows") == [(USER, "minsk-city")]
        [answer] = await driver.send("/unsubscribe Minsk")
        assert answer.plain.startswith("This chat no longer follows Minsk.")
        assert await rows(app, "SELECT * FROM region_follows") == []


# --- Follow a place of detention ---------------------------------------------------


async def test_a_place_follower_hears_of_whoever_is_held_there_now(settings, api, tmp_path):
    await prepare(settings.db_path, [XENIA, YURY], [], places=[IK1, IK2])
    async with alert_bot(settings, api, Clock(at(12))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        # From /list: the place's view offers to follow it.
        [listing] = await driver.send("/list")
        [menu] = said(await driver.press(listing, "Place of detention ▾"))
        [view] = said(await driver.press(menu, "Penal colony No. 1, Homel (1)"))
        assert view.button_texts[-1] == "🔔 Follow this place"
        pressed = await driver.press(view, "🔔 Follow this place")
        assert toasts(pressed) == ["Following: Penal colony No. 1, Homel"]
        [turned] = said(pressed)
        assert turned.button_texts[-1] == "🔕 Stop following this place"
        assert await rows(app, "SELECT * FROM place_follows") == [(USER, "ik-1")]

        await tell(app, "about Xenia", "xenia-homel")
        await tell(app, "about Yury", "yury-brest")
        await settle(app)
        assert heard(api, USER) == ["about Xenia"]

        # Xenia is moved out to IK-2, Yury in to IK-1.
        moved = [
            replace(XENIA, detention=replace(XENIA.detention, place_key="ik-2")),
            replace(YURY, detention=replace(YURY.detention, place_key="ik-1")),
        ]
        path = tmp_path / "moved.yaml"
        with path.open("w", encoding="utf-8") as stream:
            write_cases(moved, "yaml", stream)
        assert await command_import(settings, path) == 0
        await settle(app)
        # The move's own news is of whoever is there now: Yury's arrival.
        updates = [text for text in texts(api, USER) if "Now held in" in text]
        assert len(updates) == 1 and updates[0].startswith("🔔 Yury Bresty")
        await tell(app, "about Xenia, moved out", "xenia-homel")
        await tell(app, "about Yury, moved in", "yury-brest")
        await settle(app)
        assert heard(api, USER) == ["about Xenia", "about Yury, moved in"]


async def test_subscribe_understands_a_place_by_its_name(settings, api):
    await prepare(settings.db_path, [XENIA, YURY], [], places=[IK1, IK2])
    async with alert_bot(settings, api, Clock(at(12))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [answer] = await driver.send("/subscribe ИК-2, Бобруйск", language_code="ru")
        assert answer.plain.startswith("Готово: у этого чата новая подписка — ИК-2, Бобруйск.")
        # Several places fit: the chat (Russian now) picks one.
        [question] = await driver.send("/subscribe penal colony")
        assert question.plain == "Что вы имеете в виду? Нажмите нужное."
        assert question.button_texts == ["ИК-1, Гомель", "ИК-2, Бобруйск"]
        await driver.press(question, "ИК-1, Гомель")
        assert await rows(app, "SELECT * FROM place_follows ORDER BY place_key") == [
            (USER, "ik-1"),
            (USER, "ik-2"),
        ]


# --- The digest's hour -------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "one digest a day, at 10:00 (Minsk time)."),
        ("be", "адна зводка ў дзень, а 10:00 (час: Мінск)."),
        ("ru", "одна сводка в день, в 10:00 (время: Минск)."),
        ("pl", "jedno zestawienie dziennie, o 10:00 (czas: Mińsk)."),
    ],
)
async def test_settings_show_the_digests_hour_and_its_zone_in_each_language(
    settings, api, language, line
):
    await prepare(settings.db_path, [XENIA], [Chat(USER, language, follows=ALL)], places=[IK1])
    async with alert_bot(settings, api, Clock(at(12))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [shown] = await driver.send("/settings")
        assert line in shown.plain
        assert shown.button_texts[-8:] == [
            "07:00",
            "08:00",
            "09:00",
            "• 10:00",
            "12:00",
            "15:00",
            "18:00",
            "21:00",
        ]
        pressed = await driver.press(shown, "08:00")
        [redrawn] = said(pressed)
        assert line.replace("10:00", "08:00") in redrawn.plain
        assert "• 08:00" in redrawn.button_texts and "10:00" in redrawn.button_texts
        assert await rows(app, "SELECT digest_hour FROM chats WHERE id = ?", USER) == [(8,)]
        # Back to the alert time's hour: no choice is kept, BOT_ALERT_TIME rules again.
        await driver.press(redrawn, "10:00")
        assert await rows(app, "SELECT digest_hour FROM chats WHERE id = ?", USER) == [(None,)]


async def test_a_digest_at_eight_goes_at_eight_once_across_a_restart(settings, api):
    early, default, late = USER, 2, 3
    chats = [Chat(early, follows=ALL), Chat(default, follows=ALL), Chat(late, follows=ALL)]
    await prepare(settings.db_path, [XENIA, YURY], chats, places=[IK1, IK2])
    db = await connect(settings.db_path)
    await db.execute("UPDATE chats SET digest_hour = 21 WHERE id = ?", (late,))
    await db.commit()
    await db.close()
    clock, wall = Clock(at(7, 30)), WallClock(at(7, 30).timestamp())
    api.clock = wall

    def digests(chat_id: int) -> list[float]:
        """When each of the chat's digests was sent, as hours of the day."""
        sent = [r for r in api.messages_to(chat_id) if r.plain.startswith("📬")]
        return [datetime.fromtimestamp(r.time, MINSK).hour for r in sent]

    async with alert_bot(settings, api, clock, wall_clock=wall) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        [shown] = await driver.send("/settings")
        await driver.press(shown, "08:00")
        # 08:00: the day is run for the chat that chose it, and only it hears now.
        clock.now, wall.now = at(8), at(8).timestamp()
        [eight] = [job for job in app.job_queue.get_jobs_by_name(DIGEST_HOUR_JOB) if job.data == 8]
        await eight.run(app)
        await caught_up(app, wall)
        assert [digests(chat) for chat in chats_of(chats)] == [[8], [], []]
        # Singles and the other digests wait for their hours.
        [(waiting,)] = await rows(
            app, "SELECT count(*) FROM deliveries WHERE state = 'pending' AND due_at > ?", wall.now
        )
        assert waiting == 2

    # A restart at nine sends nothing more.
    clock.now, wall.now = at(9), at(9).timestamp()
    async with alert_bot(settings, api, clock, wall_clock=wall) as app:
        await caught_up(app, wall)
        assert [digests(chat) for chat in chats_of(chats)] == [[8], [], []]
        # Ten: the alert time; the job finds the day run and queues nothing new.
        clock.now, wall.now = at(10), at(10).timestamp()
        await run_the_day(app)
        await caught_up(app, wall)
        assert [digests(chat) for chat in chats_of(chats)] == [[8], [10], []]
        clock.now, wall.now = at(21), at(21).timestamp()
        await caught_up(app, wall)
        assert [digests(chat) for chat in chats_of(chats)] == [[8], [10], [21]]
        assert await rows(app, "SELECT count(*) FROM alerts WHERE kind = 'digest'") == [(1,)]


def chats_of(chats: list[Chat]) -> list[int]:
    return [chat.id for chat in chats]


async def test_an_hour_chosen_after_the_run_moves_todays_digest(settings, api):
    later, sooner = USER, 1002
    chats = [Chat(later, follows=ALL), Chat(sooner, follows=ALL)]
    await prepare(settings.db_path, [XENIA], chats, places=[IK1])
    db = await connect(settings.db_path)
    await db.execute("UPDATE chats SET digest_hour = ? WHERE id = ?", (12, later))
    await db.execute("UPDATE chats SET digest_hour = ? WHERE id = ?", (21, sooner))
    await db.commit()
    await db.close()
    clock, wall = Clock(at(10)), WallClock(at(10).timestamp())
    api.clock = wall

    def digests(chat_id: int) -> list[int]:
        sent = [r for r in api.messages_to(chat_id) if r.plain.startswith("📬")]
        return [datetime.fromtimestamp(r.time, MINSK).hour for r in sent]

    async with alert_bot(settings, api, clock, wall_clock=wall) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        await run_the_day(app)
        await caught_up(app, wall)
        assert (digests(later), digests(sooner)) == ([], [])
        clock.now, wall.now = at(11), at(11).timestamp()
        [shown] = await driver.send("/settings", chat_id=later, user_id=later)
        await driver.press(shown, "18:00")
        # An hour already past: today's digest goes now.
        [shown] = await driver.send("/settings", chat_id=sooner, user_id=sooner)
        await driver.press(shown, "09:00")
        await caught_up(app, wall)
        assert (digests(later), digests(sooner)) == ([], [11])
        clock.now, wall.now = at(12), at(12).timestamp()
        await caught_up(app, wall)
        assert digests(later) == []
        clock.now, wall.now = at(18), at(18).timestamp()
        await caught_up(app, wall)
        assert (digests(later), digests(sooner)) == ([18], [11])


# --- /forget -----------------------------------------------------------------------


async def test_forget_erases_mutes_follows_and_the_digests_hour(settings, api):
    await prepare(settings.db_path, [XENIA], [], places=[IK1])
    async with alert_bot(settings, api, Clock(at(12))) as app:
        driver = ChatDriver(app, api, raise_errors=True)
        await driver.send("/subscribe all")
        await driver.send("/subscribe Homel")
        await driver.send("/subscribe IK-1")
        [card] = await driver.send("/defender Xenia Homelskaya")
        await driver.press(card, "🔇 Mute")
        [shown] = await driver.send("/settings")
        await driver.press(shown, "08:00")
        assert set(await mentions(app, USER)) == {
            "chats",
            "mutes",
            "region_follows",
            "place_follows",
        }
        [confirm] = await driver.send("/forget")
        await driver.press(confirm, "Erase everything")
        assert await mentions(app, USER) == {}


async def test_a_channels_digest_hour_and_a_region_are_chosen_from_a_private_chat(
    app,
    driver,
    registered,  # noqa: F811
):
    await driver.send("/channel subscribe @viasnanews Homel")
    assert await rows(app, "SELECT * FROM region_follows") == [(CHANNEL, "homel")]
    shown, listed = await driver.send("/channel settings @viasnanews")
    assert "🗺 Homel region" in listed.plain
    # Following a region, the channel gets the digest: its hour is offered.
    assert "one digest a day, at 10:00 (Minsk time)" in shown.plain
    pressed = await driver.press(shown, "21:00")
    assert toasts(pressed) == ["Daily digest at 21:00"]
    assert "one digest a day, at 21:00 (Minsk time)" in said(pressed)[0].plain
    assert await rows(app, "SELECT id, digest_hour FROM chats WHERE kind = 'channel'") == [
        (CHANNEL, 21)
    ]
    # A member of the channel who is no admin cannot press it for the channel.
    pressed = await driver.press(shown, "08:00", user_id=OTHER)
    assert await rows(app, "SELECT digest_hour FROM chats WHERE id = ?", CHANNEL) == [(21,)]
