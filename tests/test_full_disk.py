"""A full disk, for real: the bot's process may write no more than a given size to any file.

A limit on file size (RLIMIT_FSIZE; Python ignores SIGXFSZ, so a write past
it fails with EFBIG) is what a full disk is to SQLite: a write that does not
go through. Set on a child process (``python bot.py ...``) before it starts,
or on a running bot with ``prlimit``, it fails the same writes every time,
with no other process or file system disturbed.

- The running bot: a user's write fails ("Something went wrong"), /healthz
  fails ``storage`` and /metrics counts the failed write; once the limit is
  lifted, the next /healthz writes again and is green.
- Each command on a full disk is one line naming the file and what to do,
  exit code 2, and writes nothing: before, an import or a publish ended in a
  34-line traceback.
"""

from __future__ import annotations

import contextlib
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from bench.caseload import generate, place_records
from cases.files import write_cases
from fakeapi.http import serve
from fakeapi.server import FakeBotAPI
from storage import cases as case_store
from storage.db import connect
from tests.conftest import TODAY
from tests.process_support import ROOT, TOKEN, Finished, assert_one_line, environment
from tests.serving_support import sample
from tests.waiting import PATIENCE, eventually

# SQLite's shared memory beside a WAL database takes 32 KiB and must fit, or
# the database cannot even be opened for reading; the WAL's first frames fit
# too, and then every write fails: as on a disk with a few blocks left.
NEARLY_FULL = 32 * 1024
FOLLOWERS = 2000  # chats following everyone: a statement or a release queues a row for each
USER = 5005


def limited_to(size: int):
    def limit() -> None:  # in the child, before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, as a full disk's ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))

    return limit


def run_limited(runs: dict[str, tuple[list[str], dict[str, str]]], cwd: Path, size: int):
    """Run each ``python bot.py ARGS`` at once, each limited to files of ``size`` bytes."""
    started = {
        name: subprocess.Popen(
            [sys.executable, str(ROOT / "bot.py"), *arguments],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=limited_to(size),
        )
        for name, (arguments, env) in runs.items()
    }
    finished = {}
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=2 * PATIENCE)
        finished[name] = Finished(process.returncode, stdout, stderr)
    return finished


def person(case) -> str:
    return case.name["en"]


async def followed_database(path: Path) -> list:
    """The bundled cases, 300 generated ones and 2,000 chats following everyone, closed."""
    cases = generate(300, today=TODAY)
    db = await connect(path)
    try:
        await case_store.merge_cases(db, cases, places=place_records())
        await db.executemany(
            "INSERT INTO chats (id, language, created_at, subscribed_all) VALUES (?, 'en', 'x', 1)",
            [(chat_id,) for chat_id in range(1, FOLLOWERS + 1)],
        )
        await db.commit()
    finally:
        await db.close()
    return cases


def rows(path: Path, sql: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchone()[0]


async def test_every_command_on_a_full_disk_is_one_line_and_writes_nothing(tmp_path):
    original = tmp_path / "original.sqlite3"
    cases = await followed_database(original)
    more = tmp_path / "more.yaml"
    with more.open("w", encoding="utf-8") as stream:
        write_cases(generate(300, seed=7, today=TODAY), "yaml", stream, place_records())
    statement = tmp_path / "statement.md"
    statement.write_text("# Words for all\n\nAbout Ales Bialiatski.\n", encoding="utf-8")
    released = tmp_path / "released.txt"
    held = [case for case in cases if case.status == "detained"][:40]
    released.write_text("\n".join(person(case) for case in held) + "\n", encoding="utf-8")
    backup = tmp_path / "backup.sqlite3"
    shutil.copy(original, backup)
    commands = {
        "import": ["import", str(more)],
        "publish": ["publish", str(statement)],
        "releases": [
            "releases",
            str(released),
            "--date",
            "2026-11-20",
            "--source",
            "https://x.org",
        ],
        "export": ["export", "--format", "yaml", str(tmp_path / "all.yaml")],
        "backup": ["backup", str(tmp_path / "copy.sqlite3")],
        "restore": ["restore", str(backup)],
    }
    databases = {name: tmp_path / f"{name}.sqlite3" for name in commands}
    for database in databases.values():
        shutil.copy(original, database)
    counts = "SELECT (SELECT count(*) FROM cases) || '/' || (SELECT count(*) FROM deliveries)"
    before = rows(original, counts)
    results = run_limited(
        {
            name: (arguments, environment(BOT_DB=str(databases[name])))
            for name, arguments in commands.items()
        },
        tmp_path,
        NEARLY_FULL,
    )
    for name in ("import", "publish", "releases"):
        assert_one_line(
            name, results[name], f"database error: BOT_DB={databases[name]}: cannot be written"
        )
        assert "free space on its disk" in results[name].stderr
        assert rows(databases[name], counts) == before, name  # rolled back whole
    assert_one_line(
        "export",
        results["export"],
        f"export failed, nothing written: {tmp_path / 'all.yaml'}: File too large: "
        "free space on its disk",
    )
    assert_one_line(
        "backup",
        results["backup"],
        f"backup failed, nothing written: {tmp_path / 'copy.sqlite3'}: cannot be written",
    )
    assert_one_line(
        "restore",
        results["restore"],
        f"restore failed, nothing changed: {databases['restore']}.restoring: cannot be written",
    )
    # Nothing left behind: no partial export, copy or restore, the database untouched.
    leftovers = {path.name for path in tmp_path.iterdir()} - {
        *(path.name for path in databases.values()),
        *(path.name for path in (original, more, statement, released, backup)),
    }
    assert leftovers == set()
    assert rows(databases["restore"], counts) == before


async def test_healthz_fails_storage_while_the_disk_is_full_and_recovers_when_it_is_not(tmp_path):
    api = FakeBotAPI(token=TOKEN)
    server, base_url = serve(api)
    log_path = tmp_path / "bot.log"
    env = environment(
        BOT_DB=str(tmp_path / "casewatch.sqlite3"),
        BOT_TOKEN=TOKEN,
        BOT_API_URL=base_url.removesuffix("/bot"),
        BOT_HTTP="127.0.0.1:0",  # the system's choice; the bot logs the port it got
    )
    with log_path.open("w") as log:
        bot = subprocess.Popen(
            [sys.executable, str(ROOT / "bot.py"), "run"],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        listening = re.compile(r"/healthz and /metrics on 127\.0\.0\.1:(\d+)")
        found = await eventually(
            lambda: listening.search(log_path.read_text()), "the bot to listen"
        )
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{found[1]}", timeout=PATIENCE
        ) as client:

            async def healthy() -> bool:
                return (await client.get("/healthz")).status_code == 200

            await eventually(healthy, "a healthy bot")
            assert (await client.get("/healthz")).json()["checks"]["storage"] == {
                "ok": True,
                "detail": "writes get through",
            }

            # The disk fills up: no file of the bot's may grow by a byte.
            resource.prlimit(bot.pid, resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))
            api.push_update(subscribe_message())
            await eventually(lambda: api.messages_to(USER), "an answer to the user")
            assert api.messages_to(USER)[-1].text.startswith("Something went wrong")
            metrics = (await client.get("/metrics")).text
            failed = sample(metrics, "casewatch_db_write_failures_total")
            assert failed >= 1
            answer = await client.get("/healthz")
            assert answer.status_code == 503
            body = answer.json()
            assert body["failing"] == ["storage"]
            detail = body["checks"]["storage"]["detail"]
            assert detail.startswith("writes to the database fail since ")
            assert "disk I/O error; is its disk full or read-only?" in detail
            # /healthz tried a write of its own, which failed too.
            metrics = (await client.get("/metrics")).text
            assert sample(metrics, "casewatch_db_write_failures_total") == failed + 1

            # Space again: the next look writes, and all is well at once.
            resource.prlimit(
                bot.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY)
            )
            answer = await client.get("/healthz")
            assert answer.status_code == 200, answer.json()
            assert answer.json()["checks"]["storage"]["detail"] == "writes get through"
        bot.send_signal(signal.SIGTERM)
        assert bot.wait(PATIENCE) == 0
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.wait()
        server.shutdown()


def subscribe_message() -> dict:
    user = {"id": USER, "is_bot": False, "first_name": "A", "language_code": "en"}
    text = "/subscribe Ales Bialiatski"
    return {
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": USER, "type": "private", "first_name": "A"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len("/subscribe")}],
        }
    }
