"""No day is lost: the days the daily run missed are run late, oldest first, each alert
marked with its day; days too old are reported to the editors; a clock that went back is
told to the log and the editors and never costs today's run.

The bot runs as ``run`` starts it, with an injected clock (tests/test_alerts_support.py);
the last day run is written into ``runs`` as a bot stopped that day would have left it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from alerts.catch_up import owed_days
from alerts.service import DAILY_JOB
from tests.test_alerts_support import (
    ALL,
    Chat,
    Clock,
    alert_bot,
    last_ran,
    make_case,
    prepare,
    rows,
    settle,
    texts,
)

MINSK = ZoneInfo("Europe/Minsk")
OWNER = 9001  # BOT_ADMINS in tests/conftest.py
STALE_DAYS = 90


def at(day: int, hour: int = 11) -> datetime:
    """A moment in May 2026, by default after the alert time (10:00)."""
    return datetime(2026, 5, day, hour, 0, tzinfo=MINSK)


def person(slug: str, name: str, born: str, detained: str, **changes):
    """Someone held, their status confirmed lately (so no alert waits for an editor)."""
    fields = {"status_as_of": "2026-04-25", **changes}
    return make_case(
        slug,
        name={"en": name, "be": f"{name} (be)", "pl": f"{name} (pl)"},
        birth_date=born,
        detained_on=detained,
        **fields,
    )


# 5 May: Anna's 46th birthday and the 5th anniversary of her detention.
ANNA = person("anna", "Anna", "1980-05-05", "2021-05-05")
# 6 May: Boris turns 30.
BORIS = person("boris", "Boris", "1996-05-06", "2022-01-01")
# 8 May: Cyril turns 40.
CYRIL = person("cyril", "Cyril", "1986-05-08", "2022-01-01")
# 5 May too, but freed on 5 May, recorded before the day was caught up.
FREED = person(
    "freed",
    "Freed Person",
    "1980-05-05",
    "2021-05-05",
    status="released",
    released_on="2026-05-05",
    status_as_of="2026-05-05",
)
# 5 May too, but his status was last confirmed long before: stale on his day.
STALE = make_case(
    "stale", name={"en": "Stale Person"}, birth_date="1980-05-05", detained_on="2021-05-05"
)
PEOPLE = [ANNA, BORIS, CYRIL, FREED, STALE]
CHATS = [
    Chat(1, follows=ALL, mode="single"),  # everyone, one message per alert
    Chat(2, "be", follows=("anna", "boris")),
    Chat(3, "pl", follows=ALL),  # everyone: the day's digest
]


def first_lines(api, chat_id: int) -> list[str]:
    return [text.split("\n")[0] for text in texts(api, chat_id)]


# --- which days are owed (pure) -------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "last_day", "catch_up_days", "days", "missed", "ahead"),
    [
        # A first run ever owes today alone, once the alert time has passed.
        (at(5), None, 3, [5], [], None),
        (at(5, 9), None, 3, [], [], None),
        # Today done: nothing; before the alert time, the missed days at once.
        (at(5), "2026-05-05", 3, [], [], None),
        (at(5, 9), "2026-05-03", 3, [4], [], None),
        (at(5), "2026-05-03", 3, [4, 5], [], None),
        # Down five days: three caught up, the two oldest reported.
        (at(10), "2026-05-04", 3, [7, 8, 9, 10], [5, 6], None),
        (at(10), "2026-05-04", 0, [10], [5, 6, 7, 8, 9], None),
        # The clock went back: today still runs, and says so.
        (at(5), "2026-05-07", 3, [5], [], 7),
        (at(5, 9), "2026-05-07", 3, [], [], 7),
    ],
)
def test_owed_days(now, last_day, catch_up_days, days, missed, ahead):
    last = date.fromisoformat(last_day) if last_day else None
    owed = owed_days(now, time(10, 0), last, catch_up_days)
    assert [day.day for day in owed.days] == days
    assert [day.day for day in owed.missed] == missed
    assert (owed.ahead.day if owed.ahead else None) == ahead


# --- through the bot ------------------------------------------------------------------


async def test_a_bot_down_over_two_days_sends_both_days_once_oldest_first(settings, api):
    await prepare(settings.db_path, PEOPLE, CHATS)
    await last_ran(settings.db_path, "2026-05-04")  # then down from the evening of 4 May
    clock = Clock(at(6))
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        assert await rows(app, "SELECT last_day FROM runs") == [("2026-05-06",)]
    # Yesterday's alerts first, marked with their day; then today's.
    assert first_lines(api, 1) == [
        "🎂 5 May, yesterday: Anna turned 46, behind bars.",
        "🗓 5 May, yesterday: 5 years since Anna was detained.",
        "🎂 Boris turns 30 today, behind bars.",
    ]
    assert first_lines(api, 2) == [
        "🎂 5 мая, учора: Anna (be): дзень нараджэння, 46 гадоў, за кратамі.",
        "🗓 5 мая, учора: Anna (be): 5 гадоў з дня затрымання.",
        "🎂 Boris (be): сёння дзень нараджэння, 30 гадоў, за кратамі.",
    ]
    [yesterday, today] = texts(api, 3)
    assert yesterday.startswith("📬 5 maja, wczoraj: 2 daty dotyczące osób")
    assert "Anna (pl): 46. urodziny za kratami." in yesterday
    assert today.startswith("📬 Dziś, 6 maja 2026: 1 data")
    # Nobody hears of the freed person, nor of the stale one (held on his own day,
    # then expired: a confirmation today could not send a day gone by).
    everything = "\n".join(texts(api, 1) + texts(api, 3))
    assert "Freed" not in everything and "Stale" not in everything
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        assert await rows(app, "SELECT key, state FROM held_alerts ORDER BY key") == [
            ("birthday:stale:2026-05-05", "expired"),
            ("detention_anniversary:stale:2026-05-05", "expired"),
        ]
        # The editors are asked nothing about a day gone by.
        assert not any(text.startswith("⏸") for text in texts(api, OWNER))

        # A restart the same day, even with both days' records lost (a crash right
        # after queuing), sends nothing twice.
        await rows(app, "UPDATE runs SET last_day = '2026-05-04'")
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        assert await rows(app, "SELECT last_day FROM runs") == [("2026-05-06",)]
    assert [len(texts(api, chat.id)) for chat in CHATS] == [3, 3, 2]


async def test_days_older_than_the_catch_up_window_are_reported_not_sent(settings, api):
    await prepare(settings.db_path, PEOPLE, CHATS)
    await last_ran(settings.db_path, "2026-05-04")
    clock = Clock(at(10))  # down from 5 to 9 May: five days
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
        assert await rows(app, "SELECT last_day FROM runs") == [("2026-05-10",)]
    # 7 to 9 May are caught up (BOT_CATCH_UP_DAYS 3): Cyril's birthday on the 8th.
    assert first_lines(api, 1) == ["🎂 8 May, 2 days ago: Cyril turned 40, behind bars."]
    assert texts(api, 2) == []  # Anna's and Boris's days were too long ago
    # 5 and 6 May are not sent: the editors learn what was due then.
    [report] = [text for text in texts(api, OWNER) if text.startswith("⏭")]
    assert report == (
        "⏭ Never sent: the alerts of 5 May 2026 to 6 May 2026.\n"
        "The daily run did not happen on the day (the bot was stopped, or its clock was "
        "wrong), and a missed day is caught up only within 3 days (BOT_CATCH_UP_DAYS).\n"
        "5 alerts were due:\n"
        "• 5 May 2026: Anna, birthday: turns 46\n"
        "• 5 May 2026: Stale Person, birthday: turns 46\n"
        "• 5 May 2026: Anna, 5 years since the detention\n"
        "• 5 May 2026: Stale Person, 5 years since the detention\n"
        "• 6 May 2026: Boris, birthday: turns 30"
    )
    # A restart tells the editors nothing twice.
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
    assert sum(text.startswith("⏭") for text in texts(api, OWNER)) == 1
    assert len(texts(api, 1)) == 1


async def test_a_clock_gone_back_warns_and_still_runs_today(settings, api, caplog):
    await prepare(settings.db_path, PEOPLE, CHATS)
    # The clock was two days ahead when the bot last ran: it ran 7 May early.
    await last_ran(settings.db_path, "2026-05-07")
    clock = Clock(at(5, 9))  # set right again: 5 May, before the alert time
    with caplog.at_level(logging.WARNING, logger="alerts"):
        async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
            await settle(app)
            [warning] = [r for r in caplog.records if "clock went back" in r.getMessage()]
            assert warning.levelno == logging.ERROR
            assert "already ran for 2026-05-07, and today is 2026-05-05" in warning.getMessage()
            assert texts(api, OWNER) == [
                "⏰ The clock went back. The daily alerts have already run for 7 May 2026, "
                "but here it is 5 May 2026.\n"
                "Alerts for the days up to 7 May 2026 may have gone out before their day. "
                "Today's go out all the same, and nothing is sent twice. "
                "Check the server's clock and BOT_TIMEZONE."
            ]
            assert texts(api, 1) == []

            # The alert time: today runs, though a later day is recorded.
            clock.now = at(5, 10)
            await app.job_queue.get_jobs_by_name(DAILY_JOB)[0].run(app)
            await settle(app)
            assert first_lines(api, 1) == [
                "🎂 Anna turns 46 today, behind bars.",
                "🗓 Anna: detained 5 years ago today.",
            ]
            assert await rows(app, "SELECT last_day FROM runs") == [("2026-05-05",)]
    # The next day comes round again: it runs as any day, and the editors hear nothing more.
    clock.now = at(6)
    async with alert_bot(settings, api, clock, stale_days=STALE_DAYS) as app:
        await settle(app)
    assert first_lines(api, 1)[2:] == ["🎂 Boris turns 30 today, behind bars."]
    assert sum(text.startswith("⏰") for text in texts(api, OWNER)) == 1
