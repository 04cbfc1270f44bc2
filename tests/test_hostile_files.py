"""Hostile and oversized files, as an attacker or a careless editor would send them:
through ``python bot.py import`` and ``publish`` and through an editor's upload in
Telegram. Each is one clear line, takes bounded memory and work, changes nothing, and
keeps no one's reply waiting.

The work is bounded as work, never by the clock: the command, or the bot's reading of an
upload, runs in a process of its own under a memory and a CPU limit (tests/limits.py).
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from telegram import Update

from cases.files import write_cases
from handlers.publishing import steps as statement_steps
from handlers.upkeep import case_upload
from tests.interleaving import held
from tests.limits import OverLimit, call_limited, limited
from tests.test_alerts_support import make_case
from tests.test_case_admin_support import case_bot, stored_cases, upload
from tests.test_statements_support import upload as statement_upload
from tests.waiting import PATIENCE, eventually

ROOT = Path(__file__).parents[1]

# 352 bytes that PyYAML's own loader grows to gigabytes: nine levels of nine aliases.
BILLION_LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + BILLION_LAUGHS
# Aliases inside a case's own fields, where a reader might look last.
ALIASED_CASE = "- &x {slug: bomb, name: {en: [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]}}\n"
NESTED_YAML = "[" * 100_000 + "]" * 100_000
NESTED_BLOCKS = "".join(f"{' ' * depth}k:\n" for depth in range(1_000))
NESTED_JSON = "[" * 200_000 + "]" * 200_000
NESTED_CSV_JSON = "slug,name.en,status,status_as_of,status_source,sources\n" + (
    'x-y,X,detained,2025-01-01,s,"' + "[" * 200_000 + "]" * 200_000 + '"\n'
)

HOSTILE_CASES = {
    "bomb.yaml": (BILLION_LAUGHS, "uses an alias (*name): write the value out"),
    "aliased.yaml": (ALIASED_CASE, "uses an alias"),
    "brackets.yaml": (NESTED_YAML, "nest"),
    "blocks.yaml": (NESTED_BLOCKS, "nested too deeply"),
    "brackets.json": (NESTED_JSON, "nested too deeply"),
    "nested.csv": (NESTED_CSV_JSON, "sources"),
    "huge.yaml": ("# padding\n" * 600_000, "files of up to 5 MB are read"),
}


@dataclass
class Run:
    status: int
    stderr: str


def run_bot(tmp_path: Path, *arguments: str) -> Run:
    """``python bot.py ...`` in a process of its own, within the limits of tests/limits.py."""
    env = {"PATH": "/usr/bin:/bin", "BOT_DB": str(tmp_path / "casewatch.sqlite3")}
    finished = subprocess.run(
        limited([sys.executable, str(ROOT / "bot.py"), *arguments]),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=PATIENCE,  # a hang (a pipe opened for ever) fails the test, not the run
    )
    over = finished.returncode < 0 or "MemoryError" in finished.stderr
    assert not over, (
        f"{arguments[0]}: over its limits (exit {finished.returncode})\n{finished.stderr}"
    )
    return Run(finished.returncode, finished.stderr)


def cases_in(db_path: Path) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT slug, record FROM cases ORDER BY slug").fetchall()


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Path:
    """A database the bundled cases were exported from (export seeds an empty one)."""
    folder = tmp_path_factory.mktemp("seeded")
    assert run_bot(folder, "export", "--format", "json", str(folder / "all.json")).status == 0
    return folder / "casewatch.sqlite3"


@pytest.mark.parametrize("name", sorted(HOSTILE_CASES))
def test_a_hostile_cases_file_through_the_command_line(tmp_path, seeded_db, name):
    text, expected = HOSTILE_CASES[name]
    db_path = tmp_path / "casewatch.sqlite3"
    db_path.write_bytes(seeded_db.read_bytes())
    before = cases_in(db_path)
    hostile = tmp_path / name
    hostile.write_text(text, encoding="utf-8")

    run = run_bot(tmp_path, "import", str(hostile))

    assert run.status == 1
    [line] = run.stderr.splitlines()  # one clear line, no traceback
    assert line.startswith(f"import failed, nothing written: {name}")
    assert expected in line
    assert cases_in(db_path) == before


HOSTILE_STATEMENTS = {
    # Formatting nested a hundred thousand deep, closed by tags never opened.
    "nested.html": "<h1>Nested</h1>" + "<b><i>" * 30_000 + "x" + "</u></s>" * 30_000,
    # Tags that never end: HTMLParser used to rescan the rest of the file for each.
    "unclosed.html": "<h1>Unclosed</h1>" + "<a " * 150_000,
    # A run of brackets: each one used to scan to the end for its "]".
    "brackets.md": "Brackets\n\n" + "[" * 500_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_STATEMENTS))
def test_a_hostile_statement_file_through_the_command_line(tmp_path, seeded_db, name):
    db_path = tmp_path / "casewatch.sqlite3"
    db_path.write_bytes(seeded_db.read_bytes())
    hostile = tmp_path / name
    hostile.write_text(HOSTILE_STATEMENTS[name], encoding="utf-8")

    run = run_bot(tmp_path, "publish", str(hostile))

    # Harmless once made safe: it is published as the text it is, within the limits.
    assert run.status == 0, run.stderr
    with sqlite3.connect(db_path) as db:
        [(body,)] = db.execute("SELECT body_html FROM statements").fetchall()
    assert body.count("<b>") <= 8  # nesting capped


def huge_file(path: Path, start: bytes) -> Path:
    """A file of a thousand megabytes that begin with ``start``, the rest a hole (sparse):
    read whole, it would take the command over its memory limit three times."""
    with path.open("wb") as file:
        file.write(start)
        file.truncate(1_000_000_000)
    return path


def test_an_oversized_statement_is_refused_unread(tmp_path, seeded_db):
    db_path = tmp_path / "casewatch.sqlite3"
    db_path.write_bytes(seeded_db.read_bytes())
    big = huge_file(tmp_path / "big.md", b"Title\n\n" + b"word " * 200_000)
    run = run_bot(tmp_path, "publish", str(big))
    assert run.status == 1
    assert run.stderr.strip() == (
        f"publish failed, nothing published: {big}: too big for a statement (at most 512 KB)"
    )


def test_an_oversized_release_list_is_refused_unread(tmp_path, seeded_db):
    db_path = tmp_path / "casewatch.sqlite3"
    db_path.write_bytes(seeded_db.read_bytes())
    names = huge_file(tmp_path / "names.txt", b"Ales Bialiatski\n" * 400_000)
    run = run_bot(
        tmp_path, "releases", str(names), "--date", "2025-12-13", "--source", "https://x.org/a"
    )
    assert run.status == 1
    assert run.stderr.strip() == (
        f"releases failed, nothing changed: {names}: is 1000.0 MB; files of up to 5 MB are read"
    )


@pytest.mark.parametrize("kind", ["device", "pipe"])
@pytest.mark.parametrize(
    ("command", "name", "failed"),
    [
        (["import"], "cases.yaml", "import failed, nothing written: cases.yaml"),
        (["publish"], "statement.md", "publish failed, nothing published: {path}"),
        (
            ["releases", "--date", "2025-12-13", "--source", "https://x.org/a"],
            "names.txt",
            "releases failed, nothing changed: {path}",
        ),
    ],
)
def test_a_path_that_is_not_a_file_is_refused_unread(
    tmp_path, seeded_db, kind, command, name, failed
):
    # A size is only a claim: /dev/zero says 0 bytes and never ends; a pipe with
    # no writer would hold the open for ever.
    db_path = tmp_path / "casewatch.sqlite3"
    db_path.write_bytes(seeded_db.read_bytes())
    path = tmp_path / name
    if kind == "device":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(path)
    before = cases_in(db_path)
    action, *options = command
    run = run_bot(tmp_path, action, str(path), *options)
    assert run.status == 1
    [line] = run.stderr.splitlines()
    assert line.startswith(failed.format(path=path)), line
    assert line.endswith("is not a regular file"), line
    assert cases_in(db_path) == before


@dataclass
class Limited:
    """A function the bot runs in a worker thread, run instead in a process of its own
    within the limits: how often it ran, and what went over."""

    calls: int = 0
    over: list[OverLimit] = field(default_factory=list)


def in_limited_process(monkeypatch, module, name: str) -> Limited:
    function = getattr(module, name)
    record = Limited()

    def run(*args):
        record.calls += 1
        try:
            return call_limited(function, *args)
        except OverLimit as error:
            record.over.append(error)
            raise

    monkeypatch.setattr(module, name, run)
    return record


@pytest.mark.parametrize("name", ["bomb.yaml", "aliased.yaml", "brackets.json", "blocks.yaml"])
async def test_a_hostile_upload_is_one_clear_answer(settings, api, monkeypatch, name):
    text, expected = HOSTILE_CASES[name]
    reading = in_limited_process(monkeypatch, case_upload, "read_caseload_text")
    async with case_bot(settings, api) as (app, driver):
        before = await stored_cases(app)
        [answer] = await upload(driver, api, name, text.encode())
        assert (reading.calls, reading.over) == (1, [])
        assert answer.plain.startswith(f"Nothing was imported: {name} has a mistake")
        assert expected in answer.plain
        assert await stored_cases(app) == before


def big_cases_file(count: int) -> bytes:
    """A valid file of ``count`` cases, most of the size the bot accepts."""
    stream = io.StringIO()
    write_cases([make_case("person-00000")], "yaml", stream)
    one = stream.getvalue()  # the same case under another slug each time: quick to make
    return "".join(one.replace("person-00000", f"person-{n:05d}") for n in range(count)).encode()


async def test_other_people_are_answered_while_an_upload_is_read(settings, api, monkeypatch):
    content = big_cases_file(4_000)
    assert 2_000_000 < len(content) < settings.max_file_bytes
    # The file's reading is held (in its worker thread) until the reader has the answer:
    # an answer that waited for the upload would never come.
    reading = held(monkeypatch, case_upload, "read_caseload_text")
    async with case_bot(settings, api) as (app, _driver):
        document = api.add_upload("big.yaml", content, "application/x-yaml")
        message = {
            "message_id": api.next_message_id(9001),
            "date": int(api.clock()),
            "chat": {"id": 9001, "type": "private", "first_name": "Admin"},
            "from": {"id": 9001, "is_bot": False, "first_name": "Admin", "language_code": "en"},
            "document": document,
        }
        # Both through the bot's own update queue, one after the other, as polling
        # delivers them: the upload first.
        await app.update_queue.put(await updated(app, api, {"message": message}))
        try:
            # ...and while its file is being read, someone looks up a defender.
            await eventually(reading.entered.is_set, "the upload's file to be read")
            lookup = reader_update(api, 4242, "/defender Test Person")
            await app.update_queue.put(await updated(app, api, lookup))
            await eventually(lambda: api.messages_to(4242), "the answer to /defender")
        finally:
            reading.release()
        await eventually(lambda: api.messages_to(9001), "the upload's summary")
    assert api.messages_to(4242)[0].plain.startswith("Test Person")
    assert api.messages_to(9001)[-1].plain.startswith("big.yaml: checked, nothing imported yet")


async def updated(app, api, update: dict) -> Update:
    return Update.de_json({"update_id": api.next_update_id(), **update}, app.bot)


def reader_update(api, user_id: int, text: str) -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "R", "language_code": "en"}
    return {
        "message": {
            "message_id": api.next_message_id(user_id),
            "date": int(api.clock()),
            "chat": {"id": user_id, "type": "private", "first_name": "R"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        }
    }


@pytest.mark.parametrize("name", sorted(HOSTILE_STATEMENTS))
async def test_a_hostile_statement_upload_is_read_with_bounded_work(
    settings, api, monkeypatch, name
):
    reading = in_limited_process(monkeypatch, statement_steps, "read_file")
    async with case_bot(settings, api) as (_app, driver):
        await driver.send("/newstatement", user_id=9001)
        [ask_title] = await statement_upload(
            driver, name, HOSTILE_STATEMENTS[name].encode(), user_id=9001
        )
    assert (reading.calls, reading.over) == (1, [])
    # Made safe, it is a statement like any other: the next question is its title.
    assert "title" in ask_title.plain.lower()
