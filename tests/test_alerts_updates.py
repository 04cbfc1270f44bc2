"""Case updates: an import that changes a case tells its subscribers, inside the
import's transaction; a release is its own, most urgent kind; re-importing the
same file, or a routine re-confirmation, tells nobody anything."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alerts.kinds import KINDS
from alerts.updates import alert_kind, change_key, describe_change, queue_case_updates
from bot import command_import
from cases.files import write_cases
from cases.model import Case
from storage import cases as case_store
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

MINSK = ZoneInfo("Europe/Minsk")
# No calendar event for the test person on this day: only updates are sent.
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=MINSK)

RELEASED = {
    "status": "released",
    "status_as_of": "2025-05-30",
    "released_on": "2025-05-29",
    "events": [
        {"on": "2025-05-29", "text": {"en": "Pardoned and freed."}, "source": "src"},
    ],
}


def write(path: Path, cases: list[Case]) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        write_cases(cases, "yaml", stream)
    return path


async def test_release_reaches_subscribers_and_reimport_queues_nothing(settings, api, tmp_path):
    await prepare(
        settings.db_path,
        [make_case(), make_case("other-person", name={"en": "Other Person"})],
        [Chat(1), Chat(2, "ru", follows=ALL), Chat(3, follows=("other-person",))],
    )
    update_file = write(tmp_path / "update.yaml", [make_case(**RELEASED)])
    async with alert_bot(settings, api, Clock(NOW)) as app:
        await settle(app)
        # The import runs beside the bot, on its own connection, as the command does
        # from another process; the bot's sender finds the alert on its next poll.
        assert await command_import(settings, update_file) == 0
        await settle(app)
        assert await rows(app, "SELECT kind, slug, priority FROM alerts") == [
            ("release", "test-person", KINDS["release"].priority)
        ]
        assert texts(api, 1) == [
            "🕊 Test Person is free.\nStatus: released as of 30 May 2025\n"
            "Released on 29 May 2025, after 1,485 days in detention.\n"
            "• 29 May 2025: Pardoned and freed.\n\n"
            "Thank you to everyone who wrote letters and spoke up.\n"
            "Source: A source, 30 May 2025"
        ]
        assert texts(api, 2)[0].startswith("🕊 Тест Персона на свободе.")
        assert texts(api, 3) == []

        assert await command_import(settings, update_file) == 0
        await settle(app)
        assert await rows(app, "SELECT count(*) FROM alerts") == [(1,)]
        assert len(texts(api, 1)) == 1


async def test_new_event_and_transfer_make_a_case_update(settings, api, tmp_path):
    await prepare(settings.db_path, [make_case()], [Chat(1), Chat(2, wants={"updates": False})])
    changed = make_case(
        detention={
            "place": {"en": "Penal colony No. 2"},
            "address": "IK-2, Road 2, 230000",
            "source": "src",
            "as_of": "2025-05-20",
        },
        events=[
            {"on": "2025-05-20", "text": {"en": "Moved to a stricter colony."}, "source": "src"}
        ],
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await command_import(settings, write(tmp_path / "u.yaml", [changed])) == 0
        await settle(app)
    assert texts(api, 1) == [
        "🔔 Test Person: news in the case.\n"
        "Now held in: Penal colony No. 2\nLetters to: IK-2, Road 2, 230000\n"
        "• 20 May 2025: Moved to a stricter colony.\n"
        "Source: A source, 20 May 2025"
    ]
    assert texts(api, 2) == []  # updates switched off


async def test_status_and_dates_are_reported_in_each_language(settings, api, tmp_path):
    await prepare(settings.db_path, [make_case()], [Chat(1), Chat(2, "be"), Chat(3, "ru")])
    appeal = make_case(
        status_as_of="2025-05-25",
        sentence={
            "years": 6,
            "months": 6,
            "sentenced_on": "2022-03-03",
            "court": {"en": "Court"},
            "articles": ["342.1"],
            "source": "src",
            "as_of": "2025-05-25",
        },
    )
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await command_import(settings, write(tmp_path / "u.yaml", [appeal])) == 0
        await settle(app)
    assert texts(api, 1) == [
        "🔔 Test Person: news in the case.\n"
        "End of term: 5 November 2027 (was 5 May 2029)\n"
        "Term: 6 years 6 months (was 8 years)\n"
        "Source: A source, 25 May 2025"
    ]
    assert "Канец тэрміну: 5 лістапада 2027 (было: 5 мая 2029)" in texts(api, 2)[0]
    assert "Срок: 6 лет 6 месяцев (было: 8 лет)" in texts(api, 3)[0]


async def test_a_routine_reconfirmation_tells_nobody(settings, api, tmp_path):
    await prepare(settings.db_path, [make_case()], [Chat(1)])
    reconfirmed = make_case(status_as_of="2025-05-31")
    async with alert_bot(settings, api, Clock(NOW)) as app:
        assert await command_import(settings, write(tmp_path / "u.yaml", [reconfirmed])) == 0
        await settle(app)
        assert await rows(app, "SELECT count(*) FROM alerts") == [(0,)]
    assert texts(api, 1) == []


async def test_alerts_roll_back_with_a_failed_import(settings):
    await prepare(settings.db_path, [make_case()], [Chat(1)])
    db = await connect(settings.db_path)

    async def queue_then_fail(db, report):
        assert await queue_case_updates(db, report, today=date(2025, 6, 1)) == 1
        raise RuntimeError("the import broke after queuing")

    try:
        with pytest.raises(RuntimeError):
            await case_store.merge_cases(db, [make_case(**RELEASED)], on_merged=queue_then_fail)
        async with db.execute("SELECT count(*) FROM alerts") as cursor:
            assert tuple(await cursor.fetchone()) == (0,)
        async with db.execute("SELECT status FROM cases") as cursor:
            assert tuple(await cursor.fetchone()) == ("sentenced",)
    finally:
        await db.close()


def test_a_move_to_exile_is_a_release_and_keys_differ_per_change():
    before = make_case()
    exile = describe_change(before, make_case(status="in_exile", status_as_of="2025-05-30"))
    deceased = describe_change(before, make_case(status="deceased", status_as_of="2025-05-30"))
    assert exile["status"] == {"before": "sentenced", "after": "in_exile"}
    assert alert_kind(exile) == "release"
    # A death, and someone free held again, are never "news in the case", nor a release.
    assert alert_kind(deceased) == "death"
    free = make_case(status="released", status_as_of="2025-05-30", released_on="2025-05-29")
    assert alert_kind(describe_change(free, before)) == "re_arrest"
    assert alert_kind(describe_change(free, make_case(status="deceased"))) == "death"
    in_exile = make_case(status="in_exile", status_as_of="2025-06-30")
    assert alert_kind(describe_change(free, in_exile)) == "case_update"
    assert change_key("release", "x", exile) == change_key("release", "x", dict(exile))
    assert change_key("release", "x", exile) != change_key("death", "x", deceased)
