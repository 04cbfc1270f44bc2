"""The audit log: what is recorded, how a change is summarised, and /audit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fakeapi.telegram_html import utf16_len
from storage import audit
from storage.audit import MISSING, Change, diff
from storage.db import connect, transaction

OWNER, EDITOR = 9001, 1001
AT = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # 12:30 in Minsk

BEFORE = {
    "slug": "marfa-rabkova",
    "name": {"en": "Marfa Rabkova", "ru": "Марфа Рабкова"},
    "status": "sentenced",
    "bio": {"en": "x" * 200},
    "events": [{"on": "2020-09-17"}],
}
AFTER = {
    "slug": "marfa-rabkova",
    "name": {"en": "Marfa Rabkova", "ru": "Марфа Рабкова", "be": "Марфа Рабкова"},
    "status": "released",
    "released_on": "2025-12-13",
    "bio": {"en": "y" * 200},
    "events": [{"on": "2020-09-17"}, {"on": "2025-12-13"}],
}


@pytest.fixture
async def db(tmp_path):
    connection = await connect(tmp_path / "audit.sqlite3")
    yield connection
    await connection.close()


def db_of(app):
    return app.bot_data["services"].db


# --- storage -----------------------------------------------------------------------


async def test_record_and_latest_round_trip(db):
    first = await audit.record(db, OWNER, "admins.add", EDITOR, after={"role": "editor"}, at=AT)
    second = await audit.record(
        db,
        EDITOR,
        "case.update",
        "marfa-rabkova",
        before={"released_on": None},
        after={"released_on": date(2025, 12, 13)},
        details={"source": "viasna"},
    )
    assert second > first
    newest, oldest = await audit.latest(db, 20)
    assert (oldest.id, oldest.at, oldest.actor_id, oldest.action, oldest.target) == (
        first,
        AT,
        OWNER,
        "admins.add",
        str(EDITOR),
    )
    assert oldest.before is None and oldest.after == {"role": "editor"}
    # Dates are kept as their ISO text; details come back as given.
    assert newest.after == {"released_on": "2025-12-13"}
    assert newest.details == {"source": "viasna"}
    assert [entry.id for entry in await audit.latest(db, 1)] == [second]


async def test_record_lands_with_the_change_or_not_at_all(db):
    with pytest.raises(RuntimeError):
        async with transaction(db):
            await audit.record(db, OWNER, "case.update", "x", before={"a": 1}, after={"a": 2})
            raise RuntimeError("the change itself failed")
    assert await audit.latest(db) == []


def test_diff_names_changed_fields_down_to_the_leaves():
    assert diff(BEFORE, AFTER) == [
        Change("bio.en", "x" * 200, "y" * 200),
        Change("events", BEFORE["events"], AFTER["events"]),
        Change("name.be", MISSING, "Марфа Рабкова"),
        Change("released_on", MISSING, "2025-12-13"),
        Change("status", "sentenced", "released"),
    ]
    assert diff(BEFORE, BEFORE) == []
    assert diff(None, None) == []
    assert diff(None, {"role": "editor"}) == [Change("role", MISSING, "editor")]
    assert diff({"role": "editor"}, None) == [Change("role", "editor", MISSING)]
    assert diff(1, 2) == [Change("", 1, 2)]


# --- /audit ------------------------------------------------------------------------


async def test_audit_shows_each_action_with_actor_target_and_changes(app, driver):
    await driver.send(f"/admins add {EDITOR}", user_id=OWNER)
    await audit.record(
        db_of(app),
        EDITOR,
        "case.update",
        "marfa-rabkova",
        BEFORE,
        AFTER,
        {"source": "viasna"},
        at=AT,
    )
    text = (await driver.send("/audit", user_id=EDITOR))[0].plain
    assert text.startswith("Audit log, newest first (2)")
    case_entry, add_entry = text.split("\n\n")[1:3]
    assert case_entry.splitlines() == [
        "25 November 2026, 12:30 · Event added",
        f"by {EDITOR} · target marfa-rabkova · source: viasna",
        "• bio.en",
        "• events",
        "• name.be: — → Марфа Рабкова",
        "• released_on: — → 2025-12-13",
        "• status: sentenced → released",
    ]
    assert "· Editor added" in add_entry
    assert f"by {OWNER} · target {EDITOR}" in add_entry
    assert "• role: — → editor" in add_entry


async def test_audit_shows_details_and_caps_long_change_lists(app, driver):
    before = {f"field{n:02}": n for n in range(15)}
    after = {f"field{n:02}": n + 1 for n in range(15)}
    await audit.record(
        db_of(app), OWNER, "statement.publish", "statement:7", before, after, {"chats": 120}
    )
    text = (await driver.send("/audit", user_id=OWNER))[0].plain
    assert "• field11: 11 → 12" in text and "field12" not in text
    assert "• … +3" in text
    assert "target statement:7 · chats: 120" in text


async def test_audit_shows_the_latest_twenty_split_safely(app, api, driver):
    long_value = {"en": "z" * 59}
    for number in range(25):
        before = {f"f{n}": long_value for n in range(12)}
        after = {f"f{n}": {"en": f"{number}" + "w" * 50} for n in range(12)}
        await audit.record(db_of(app), OWNER, "case.update", f"case-{number:02}", before, after)
    replies = await driver.send("/audit", user_id=OWNER)
    assert len(replies) > 1
    assert all(utf16_len(reply.plain) <= 4096 for reply in replies)
    text = "\n".join(reply.plain for reply in replies)
    assert "case-24" in text and "case-05" in text and "case-04" not in text
    assert text.index("case-24") < text.index("case-05")
    assert "(20)" in replies[0].plain


EMPTY = {
    "en": "The audit log is empty",
    "be": "Журнал дзеянняў пусты",
    "ru": "Журнал действий пуст",
    "pl": "Dziennik działań jest pusty",
}
HEADER = {
    "en": "Audit log",
    "be": "Журнал дзеянняў",
    "ru": "Журнал действий",
    "pl": "Dziennik działań",
}
ADDED = {
    "en": "Editor added",
    "be": "Дададзены рэдактар",
    "ru": "Добавлен редактор",
    "pl": "Dodano redaktora",
}
DATE = {"en": "November 2026", "be": "лістапада 2026", "ru": "ноября 2026", "pl": "listopada 2026"}


@pytest.mark.parametrize("lang", sorted(EMPTY))
async def test_audit_in_the_admins_language(app, driver, lang):
    replies = await driver.send("/audit", user_id=OWNER, language_code=lang)
    assert EMPTY[lang] in replies[0].plain
    await audit.record(db_of(app), OWNER, "admins.add", EDITOR, after={"role": "editor"}, at=AT)
    text = (await driver.send("/audit", user_id=OWNER, language_code=lang))[0].plain
    assert HEADER[lang] in text and ADDED[lang] in text and DATE[lang] in text


async def test_unknown_action_names_show_as_recorded(app, driver):
    await audit.record(db_of(app), OWNER, "some.<new>.action", None)
    text = (await driver.send("/audit", user_id=OWNER))[0].plain
    assert "· some.<new>.action" in text
    assert "target" not in text
