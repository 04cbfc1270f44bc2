"""One bot per database: a second ``run`` (or ``console``) on a running bot's BOT_DB stops in
one line naming the first, and the commands made to work beside a running bot still do.

Before, the second bot started, took the first one's in-flight deliveries for
crashed ones ("3 deliveries were in flight"), sent them again, and both sent
at the full rate; its getUpdates also took turns with the first one's.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fakeapi.http import serve
from fakeapi.server import FakeBotAPI
from storage.backups import BackupRefused, restore
from storage.bot_lock import BotRunning, bot_lock, lock_path
from storage.db import connect
from tests.process_support import ROOT, TOKEN, assert_one_line, environment, run_together
from tests.waiting import PATIENCE, eventually

DATA = ROOT / "data" / "cases.yaml"
USER = 5005


def start_message(text: str) -> dict:
    user = {"id": USER, "is_bot": False, "first_name": "A", "language_code": "en"}
    return {
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": USER, "type": "private", "first_name": "A"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        }
    }


def count(path: Path, sql: str) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchone()[0]


async def test_a_second_bot_stops_in_one_line_and_import_backup_export_work_beside_the_first(
    tmp_path,
):
    database = tmp_path / "casewatch.sqlite3"
    api = FakeBotAPI(token=TOKEN)
    server, base_url = serve(api)
    env = environment(
        BOT_DB=str(database), BOT_TOKEN=TOKEN, BOT_API_URL=base_url.removesuffix("/bot")
    )
    log_path = tmp_path / "first.log"
    with log_path.open("w") as log:
        first = subprocess.Popen(
            [sys.executable, str(ROOT / "bot.py"), "run"],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        await eventually(
            lambda: "polling Telegram for updates" in log_path.read_text(), "the first bot"
        )
        assert lock_path(database).read_text() == f"{first.pid}\n"
        backup = tmp_path / "backup.sqlite3"
        results = run_together(
            {
                "second run": (["run"], tmp_path, env, False),
                "console": (["console"], tmp_path, env, False),
                "import": (["import", str(DATA)], tmp_path, env, False),
                "backup": (["backup", str(backup)], tmp_path, env, False),
                "export": (["export", "--format", "csv"], tmp_path, env, False),
            }
        )
        for name in ("second run", "console"):
            assert_one_line(
                name,
                results[name],
                f"database error: BOT_DB={database}: is in use by another bot (pid {first.pid}; ",
                "stop it first",
            )
        for name in ("import", "backup", "export"):
            assert results[name].returncode == 0, f"{name}: {results[name].stderr}"
        assert results["import"].stdout.startswith(f"imported {DATA}: ")
        assert results["export"].stdout.startswith("slug,")
        # restore needs the bot stopped: refused, in one line, naming it.
        restored = run_together({"restore": (["restore", str(backup)], tmp_path, env, False)})
        assert_one_line(
            "restore",
            restored["restore"],
            f"restore refused, nothing changed: BOT_DB={database} is in use by a running bot "
            f"(pid {first.pid}): stop the bot first",
        )
        assert not list(tmp_path.glob("*.before-restore-*"))

        # The first bot went on as if nothing happened: it answers, and it alone.
        api.push_update(start_message("/start"))
        await eventually(lambda: api.messages_to(USER), "the first bot's answer")
        first.send_signal(signal.SIGTERM)
        assert first.wait(PATIENCE) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        server.shutdown()
    assert len(api.messages_to(USER)) == 1
    assert not lock_path(database).exists()  # let go at the clean stop
    # Stopped, the database can be restored.
    finished = run_together({"restore": (["restore", str(backup)], tmp_path, env, False)})
    assert finished["restore"].returncode == 0, finished["restore"].stderr


async def test_the_lock_is_one_holder_at_a_time_and_restore_waits_for_it(tmp_path):
    database = tmp_path / "casewatch.sqlite3"
    db = await connect(database)
    await db.close()
    backup = tmp_path / "backup.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(database)) as source,
        contextlib.closing(sqlite3.connect(backup)) as target,
    ):
        source.backup(target)
    with bot_lock(database):
        with pytest.raises(BotRunning) as second, bot_lock(database):
            pass
        assert second.value.pid == os.getpid()  # this process: the message says which
        with pytest.raises(BackupRefused, match=r"is in use by a running bot \(pid \d+\)"):
            restore(backup, database, "now")
    assert not lock_path(database).exists()
    # Let go: the next one takes it, and a lock file a killed bot left behind stops no one.
    lock_path(database).write_text("12345\n")
    with bot_lock(database):
        assert lock_path(database).read_text().strip().isdigit()
    assert restore(backup, database, "later") is not None
    assert count(database, "SELECT count(*) FROM migrations") > 0
