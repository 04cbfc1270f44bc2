"""Every way the bot's surroundings can be wrong gets one line and exit code 2, and the
process ends by itself.

A damaged, read-only, locked or misplaced database, a database from a newer
version, a ``.env`` that is not text, an export path that cannot be written,
a token Telegram refuses, no network at start-up: the real ``python bot.py``,
as an operator runs it, answers each with one line naming what to fix and
changes nothing. (Before, a damaged database printed a traceback and the
process then hung until killed: aiosqlite's thread outlived the error.)
"""

from __future__ import annotations

import signal
import socket
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from fakeapi.http import serve
from fakeapi.server import FakeBotAPI
from storage.db import connect
from tests.process_support import (
    TOKEN,
    assert_one_line,
    environment,
    lines_until,
    run_together,
    start,
)
from tests.waiting import PATIENCE, finished

DAMAGED = b"SQLite format 2\x00 this is no database at all" * 20
DATA = Path(__file__).parents[1] / "data" / "cases.yaml"


def files_in(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


async def good_database(path: Path) -> None:
    """A database as the bot leaves it: migrated, closed."""
    db = await connect(path)
    await db.close()


def test_every_command_answers_a_damaged_database_in_one_line(tmp_path):
    database = tmp_path / "casewatch.sqlite3"
    database.write_bytes(DAMAGED)
    # The console's own: run and console at once on one database are two bots, told so.
    console_database = tmp_path / "console.sqlite3"
    console_database.write_bytes(DAMAGED)
    statement = tmp_path / "statement.md"
    statement.write_text("# A statement\n\nText.\n", encoding="utf-8")
    before = files_in(tmp_path)
    env = environment(BOT_DB=str(database), BOT_TOKEN=TOKEN)
    commands = {
        "run": ["run"],
        "console": ["console"],
        "import": ["import", str(DATA)],
        "export": ["export", "--format", "csv"],
        "publish": ["publish", str(statement)],
        "backup": ["backup", str(tmp_path / "copy.sqlite3")],
    }
    envs = {"console": environment(BOT_DB=str(console_database), BOT_TOKEN=TOKEN)}
    results = run_together(
        {name: (args, tmp_path, envs.get(name, env), False) for name, args in commands.items()}
    )
    for name, result in results.items():
        assert_one_line(
            name,
            result,
            f"database error: BOT_DB={console_database if name == 'console' else database}: "
            "is not a SQLite database, or is damaged",
        )
    assert files_in(tmp_path) == before  # nothing written, nothing created


async def test_each_database_problem_is_named(tmp_path):
    newer = tmp_path / "newer" / "casewatch.sqlite3"
    newer.parent.mkdir()
    with closing(sqlite3.connect(newer)) as db:
        db.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        db.execute("INSERT INTO migrations VALUES ('9999_from_the_future', '2030-01-01')")
        db.commit()
    read_only_file = tmp_path / "ro-file" / "casewatch.sqlite3"
    read_only_file.parent.mkdir()
    await good_database(read_only_file)
    read_only_file.chmod(0o444)
    read_only_folder = tmp_path / "ro-folder" / "casewatch.sqlite3"
    read_only_folder.parent.mkdir()
    await good_database(read_only_folder)
    read_only_folder.parent.chmod(0o555)
    a_folder = tmp_path / "folder.sqlite3"
    a_folder.mkdir()
    untouched = (newer, read_only_file, read_only_folder)
    snapshots = {path: files_in(path.parent) for path in untouched}
    cases = {
        "missing folder": (tmp_path / "nowhere" / "casewatch.sqlite3", "its folder"),
        "a folder": (a_folder, "is a folder, not a database file"),
        "newer schema": (newer, "was written by a newer casewatch (migration 9999_from_the_future"),
        "read-only file": (read_only_file, "is read-only"),
        "read-only folder": (read_only_folder, "the bot must be able to write its folder"),
    }
    try:
        results = run_together(
            {
                name: (["import", str(DATA)], tmp_path, environment(BOT_DB=str(path)), True)
                for name, (path, _) in cases.items()
            }
        )
    finally:
        read_only_folder.parent.chmod(0o755)
    for name, (path, expected) in cases.items():
        assert_one_line(name, results[name], f"database error: BOT_DB={path}: ", expected)
    assert not (tmp_path / "nowhere").exists()
    for path, before in snapshots.items():
        assert files_in(path.parent) == before, path


def test_bad_env_file_unwritable_export_and_refused_token(tmp_path):
    bad_env = tmp_path / "bad-env"
    bad_env.mkdir()
    (bad_env / ".env").write_bytes(b"BOT_LANGUAGE=en\nno equals sign here\nBOT_ADMINS=\xff\xfe1\n")
    database = tmp_path / "casewatch.sqlite3"
    api = FakeBotAPI(token="4242:the_token_telegram_knows_0123456789")
    server, base_url = serve(api)
    env = environment(BOT_DB=str(database))
    try:
        results = run_together(
            {
                ".env": (["export"], bad_env, env, False),
                "export to nowhere": (
                    ["export", "--format", "csv", str(tmp_path / "no" / "cases.csv")],
                    tmp_path,
                    env,
                    False,
                ),
                "export to a folder": (["export", str(tmp_path)], tmp_path, env, False),
                "refused token": (
                    ["run"],
                    tmp_path,
                    environment(
                        BOT_DB=str(tmp_path / "bot.sqlite3"),
                        BOT_TOKEN=TOKEN,
                        BOT_API_URL=base_url.removesuffix("/bot"),
                    ),
                    False,
                ),
            }
        )
    finally:
        server.shutdown()
    assert_one_line(".env", results[".env"], "configuration error: .env: line 3 is not UTF-8 text")
    assert_one_line(
        "export to nowhere",
        results["export to nowhere"],
        f"export failed, nothing written: {tmp_path / 'no' / 'cases.csv'}: No such file",
    )
    assert_one_line("export to a folder", results["export to a folder"], f"{tmp_path} is a folder")
    refused = results["refused token"]
    assert refused.returncode == 2, refused.stderr
    last = refused.stderr.strip().splitlines()[-1]
    assert last == (
        "configuration error: BOT_TOKEN: Telegram refused this token; check it with @BotFather"
    )
    assert "Traceback" not in refused.stderr
    assert TOKEN not in refused.stderr and TOKEN.split(":")[1] not in refused.stderr
    # The failed exports wrote nothing, and did not even open (or fill) the database.
    assert not database.exists()
    assert not list((tmp_path / "bad-env").glob("*.sqlite3"))


async def test_no_network_at_start_up_is_a_line_per_attempt_then_a_clean_stop(tmp_path):
    # A port bound and never listened on, held for the test: every connection is
    # refused, as without a network, and nothing else can take the port meanwhile.
    with socket.socket() as nothing:
        nothing.bind(("127.0.0.1", 0))
        env = environment(
            BOT_DB=str(tmp_path / "casewatch.sqlite3"),
            BOT_TOKEN=TOKEN,
            BOT_API_URL=f"http://127.0.0.1:{nothing.getsockname()[1]}",
        )
        bot = start(["run"], tmp_path, env)
        try:
            lines = await lines_until(
                bot.stderr,
                lambda lines: sum("cannot reach Telegram" in line for line in lines) >= 2,
                "two attempts to reach Telegram",
            )
            bot.send_signal(signal.SIGTERM)
            _, rest = bot.communicate(timeout=PATIENCE)
            assert bot.returncode == 0
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
    log = "".join(lines) + rest
    attempts = [line for line in log.splitlines() if "cannot reach Telegram" in line]
    assert "trying again in 1 s" in attempts[0] and "trying again in 2 s" in attempts[1]
    assert "Traceback" not in log
    assert TOKEN.split(":")[1] not in log


@pytest.mark.parametrize("content", [b"\xff\xfe", b"BOT_TOKEN=\xc3\x28"])
def test_dotenv_that_is_not_text_names_the_file(tmp_path, content):
    from config import ConfigError, load_settings

    dotenv = tmp_path / ".env"
    dotenv.write_bytes(content)
    with pytest.raises(ConfigError, match=r"\.env: line 1 is not UTF-8 text$"):
        load_settings({}, dotenv=dotenv)


async def test_a_locked_database_is_named_after_the_busy_timeout(tmp_path):
    """Locked is waited out for the busy timeout (5 s in the bot; shortened here), then named."""
    from storage.db import DatabaseUnavailable

    locked = tmp_path / "casewatch.sqlite3"
    await good_database(locked)
    with closing(sqlite3.connect(locked)) as db:
        db.execute("PRAGMA journal_mode = DELETE")
    before = files_in(tmp_path)
    # Another program (the sqlite3 shell, say) holds it in an exclusive
    # transaction and does not let go. (Taken after the snapshot: closing any
    # file of the database in this process would release the lock, as POSIX has it.)
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailable) as raised:
            # The timeout is the behaviour here, made tiny; a hang is what the net catches.
            await finished(connect(locked, busy_timeout=0.3), "connect to give up")
    finally:
        holder.close()
    assert str(raised.value) == f"BOT_DB={locked}: is locked by another program (waited 0.3 s)"
    assert files_in(tmp_path) == before


async def test_a_failed_connect_leaves_no_thread_behind(tmp_path):
    """The cause of the old hang: aiosqlite's non-daemon thread outliving a failed connect."""
    import threading

    from storage.db import DatabaseUnavailable

    damaged = tmp_path / "casewatch.sqlite3"
    damaged.write_bytes(DAMAGED)

    def connection_threads() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if "connection_worker" in t.name and t.is_alive()]

    before = set(connection_threads())  # other tests' connections, not ours
    for path in (damaged, tmp_path / "nowhere" / "db.sqlite3"):
        with pytest.raises(DatabaseUnavailable):
            await connect(path)
    ours = [thread for thread in connection_threads() if thread not in before]
    for thread in ours:
        thread.join(timeout=PATIENCE)  # one that was closed ends at once; a leaked one never
    assert not any(thread.is_alive() for thread in ours)
