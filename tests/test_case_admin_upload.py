"""A cases file sent to the bot: summary, Confirm, the import and its alerts; bad files."""

from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from bot import command_import
from cases.files import write_cases
from cases.model import Address, Place, Source
from config import Settings
from tests.test_alerts_support import prepare, settle, texts
from tests.test_case_admin_support import (
    CHATS,
    OTHER,
    OWNER,
    STRANGER,
    audit_entries,
    case_bot,
    make_case,
    nothing_queued,
    stored_case,
    stored_cases,
    upload,
    with_buttons,
)

MAX_FILE_BYTES = Settings().max_file_bytes  # BOT_MAX_FILE_MB's default, 5 MB
MOVED = make_case(
    detention={
        "place": {"en": "Penal colony No. 2", "ru": "Исправительная колония № 2"},
        "address": "IK-2, Road 2, 230000",
        "source": "src",
        "as_of": "2026-05-20",
    }
)
NEW = make_case("new-person", name={"en": "New Person", "be": "Новая Асоба"})


def file_of(cases, fmt: str) -> bytes:
    stream = io.StringIO()
    write_cases(cases, fmt, stream)
    return stream.getvalue().encode("utf-8")


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
async def test_good_file_is_summarised_then_imported_on_confirm(settings, api, fmt):
    async with case_bot(settings, api) as (app, driver):
        replies = await upload(driver, api, f"cases.{fmt}", file_of([MOVED, NEW, OTHER], fmt))
        summary = replies[-1]
        assert summary.plain == (
            f"cases.{fmt}: checked, nothing imported yet.\n\n"
            "New (1):\n• New Person (new-person)\n\n"
            "Changed (1):\n• Test Person (test-person): detention.address, detention.as_of, "
            "detention.place.en, detention.place.ru\n\n"
            "Unchanged: 1.\n"
            "Subscribers of 1 case will get an alert about the change.\n"
            "Import it?"
        )
        assert await stored_case(app, "new-person") is None  # nothing before Confirm

        done = await driver.press(summary, "✅ Confirm")
        assert done[-1].plain == "Imported: 1 added, 1 changed.\n2 alerts are on the way."
        await settle(app)
        assert texts(api, 1) == [
            "🔔 Test Person: news in the case.\n"
            "Now held in: Penal colony No. 2\nLetters to: IK-2, Road 2, 230000\n"
            "Source: A source, 20 May 2026"
        ]
        # The card and the search see the import at once.
        card = await driver.send("/defender Test Person")
        assert "Held in: Penal colony No. 2" in card[0].plain
        assert (await driver.send("New Person"))[0].plain.startswith("New Person")
        entries = await audit_entries(app)
        assert sorted((e.action, e.target, e.before is None) for e in entries) == [
            ("case.import", "new-person", True),
            ("case.import", "test-person", False),
        ]
        moved = next(entry for entry in entries if entry.target == "test-person")
        assert moved.after == await stored_case(app, "test-person")
        assert moved.details["file"] == f"cases.{fmt}"


BAD_YAML = """\
- slug: test-person
  name: {en: Test Person}
  status: sentenced
  status_as_of: 2025-01-01
  status_source: src
  sentence:
    years: ten
    months: 0
    sentenced_on: 2022-03-03
    court: {en: Court}
    articles: ["342.1"]
    source: src
    as_of: 2025-01-01
  sources:
    - {id: src, title: A source, url: "https://example.org/src"}
"""


async def test_bad_file_names_line_and_field_and_changes_nothing(settings, api):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        replies = await upload(driver, api, "cases.yaml", BAD_YAML.encode())
        assert replies[-1].plain == (
            "Nothing was imported: cases.yaml has a mistake on line 7.\n"
            'Field sentence.years: must be a whole number, got "ten"\n'
            "Fix it and send the file again; docs/case-format.md describes the format."
        )
        assert not replies[-1].reply_markup
        assert await stored_cases(app) == before
        assert await nothing_queued(app)
        assert await audit_entries(app) == []


@pytest.mark.parametrize(
    ("file_name", "content", "expected"),
    [
        ("notes.txt", b"hello", "“notes.txt” is not a cases file I can read"),
        (
            "big.csv",
            b"x" * (MAX_FILE_BYTES + 1),
            "big.csv is too big: the bot reads files of at most 5 MB (BOT_MAX_FILE_MB raises it)",
        ),
        (
            "latin1.yaml",
            "- slug: caf\xe9\n".encode("latin-1"),
            "latin1.yaml is not UTF-8 text (line 1)",
        ),
    ],
)
async def test_files_that_cannot_be_read_are_refused(settings, api, file_name, content, expected):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        replies = await upload(driver, api, file_name, content)
        assert expected in replies[-1].plain
        assert await stored_cases(app) == before


async def test_too_big_file_is_not_even_downloaded(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        await upload(driver, api, "big.yaml", b"x" * (MAX_FILE_BYTES + 1))
        assert not [call for call in api.calls if call.method == "getFile"]


async def test_same_data_again_has_nothing_to_import(settings, api):
    async with case_bot(settings, api) as (_app, driver):
        replies = await upload(driver, api, "same.yaml", file_of([make_case(), OTHER], "yaml"))
        assert replies[-1].plain.endswith(
            "Unchanged: 2.\nNothing to import: the database already holds every case exactly as "
            "in the file."
        )
        assert not replies[-1].reply_markup


async def test_a_strangers_file_imports_nothing(settings, api):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        replies = await upload(driver, api, "cases.yaml", file_of([NEW], "yaml"), user_id=STRANGER)
        assert replies == []
        assert not [call for call in api.calls if call.method == "getFile"]
        assert await stored_cases(app) == before


async def test_cancelled_import_changes_nothing(settings, api):
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        replies = await upload(driver, api, "cases.yaml", file_of([MOVED, NEW], "yaml"))
        done = await driver.press(with_buttons(replies), "✖️ Cancel")
        assert done[-1].plain == "Cancelled: nothing was changed."
        assert await stored_cases(app) == before
        assert await nothing_queued(app)


def test_the_fake_api_serves_uploads_as_telegram_does(api):
    document = api.add_upload("a.yaml", b"- x\n")
    status, reply = api.call("getFile", {"file_id": document["file_id"]})
    assert status == 200 and reply["result"]["file_size"] == 4
    assert api.download("123:TEST", reply["result"]["file_path"]) == (200, b"- x\n")
    assert api.download("123:TEST", "documents/nothing.yaml")[0] == 404
    assert api.call("getFile", {"file_id": "nope"}) == (
        400,
        {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"},
    )


async def test_a_file_with_places_moves_people_into_a_shared_record(settings, api):
    colony = Place(
        key="ik-2",
        name={"en": "Penal colony No. 2", "ru": "Исправительная колония № 2"},
        source=Source("ik-2", "Places register", "https://example.org/places/ik-2"),
        as_of=date(2026, 5, 1),
        region="mahiliou",
        address=Address(["IK-2", "Road 2"], "230000"),
    )
    keyed = make_case(
        detention={"place": "ik-2", "source": "src", "as_of": "2026-05-20"}, region="mahiliou"
    )
    stream = io.StringIO()
    write_cases([keyed], "yaml", stream, [colony])
    async with case_bot(settings, api) as (app, driver):
        replies = await upload(driver, api, "cases.yaml", stream.getvalue().encode("utf-8"))
        summary = replies[-1]
        assert (
            "Places of detention: 1 new or changed; every card that names it shows the change."
            in summary.plain
        )
        done = await driver.press(summary, "✅ Confirm")
        assert done[-1].plain.startswith("Imported: 0 added, 1 changed.")
        await settle(app)
        # The alert names the place and the address from its record.
        assert texts(api, 1) == [
            "🔔 Test Person: news in the case.\n"
            "Now held in: Penal colony No. 2\nLetters to: IK-2, Road 2, 230000\n"
            "Source: A source, 20 May 2026"
        ]
        card = (await driver.send("/defender Test Person"))[0].plain
        assert "Letters to: IK-2, Road 2, 230000, as of 1 May 2026, Places register" in card
        entries = await audit_entries(app)
        assert ("case.import", "place:ik-2") in {(e.action, e.target) for e in entries}


def outcome(db_path) -> dict:
    """What applying a file left in the database, whoever applied it: the cases, the alerts
    and whom they are for, and the audit entries (who wrote them, apart)."""
    with sqlite3.connect(db_path) as db:
        return {
            "cases": db.execute("SELECT slug, record FROM cases ORDER BY slug").fetchall(),
            "alerts": db.execute(
                "SELECT key, kind, slug, payload FROM alerts ORDER BY key"
            ).fetchall(),
            "deliveries": db.execute(
                """SELECT alerts.key, deliveries.chat_id FROM deliveries
                   JOIN alerts ON alerts.id = deliveries.alert_id ORDER BY 1, 2"""
            ).fetchall(),
            "audit": [
                (action, target, before, after, json.loads(details))
                for action, target, before, after, details in db.execute(
                    """SELECT action, target, before, after, details FROM audit_log
                       ORDER BY target"""
                )
            ],
            "actors": {row[0] for row in db.execute("SELECT actor_id FROM audit_log")},
        }


async def test_the_command_line_imports_a_file_as_confirm_under_an_upload_does(
    settings, api, tmp_path
):
    content = file_of([MOVED, NEW, OTHER], "yaml")
    async with case_bot(settings, api) as (_app, driver):
        summary = (await upload(driver, api, "cases.yaml", content))[-1]
        await driver.press(summary, "✅ Confirm")
    uploaded = outcome(settings.db_path)
    assert uploaded["actors"] == {OWNER}

    # The same database, the same file, from the command line.
    (tmp_path / "files").mkdir()
    path = tmp_path / "files" / "cases.yaml"
    path.write_bytes(content)
    beside = replace(settings, db_path=tmp_path / "beside.sqlite3")
    await prepare(beside.db_path, [make_case(), OTHER], CHATS)
    assert await command_import(beside, path) == 0
    imported = outcome(beside.db_path)
    assert imported["actors"] == {"cli"}
    assert imported | {"actors": None} == uploaded | {"actors": None}
    assert [entry[:2] for entry in imported["audit"]] == [
        ("case.import", "new-person"),
        ("case.import", "test-person"),
    ]
    assert imported["audit"][1][4] == {"file": "cases.yaml", "deliveries": 2}
