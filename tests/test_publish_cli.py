"""python bot.py publish FILE: stored and queued by the command, sent by the running bot."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import bot as bot_module
from fakeapi.harness import ChatDriver
from fakeapi.server import FakeBotAPI
from handlers.shared import statement_counts
from storage import audit
from tests.test_alerts_support import alert_bot, settle
from tests.test_statements_support import (
    EVERYONE,
    NAMED,
    SEED,
    Chat,
    clock,
    new,
    prepare,
    rows,
)

PROJECT = Path(__file__).parents[1]
CHATS = [
    Chat(101, "en", ("ales-bialiatski",)),
    Chat(102, "ru", ("nasta-loika", "marfa-rabkova")),
    Chat(103, "be", EVERYONE),
    Chat(104, "en", ("test-person",)),
    Chat(105, "en", ("marfa-rabkova",), wants_statements=False),
]


@pytest.fixture
def cli(settings, monkeypatch):
    """Run the command line in a thread of its own (it runs its own event loop)."""
    monkeypatch.setenv("BOT_DB", str(settings.db_path))

    async def run(*arguments: str) -> int:
        return await asyncio.to_thread(bot_module.main, ["publish", *arguments])

    return run


async def test_cli_publish_is_queued_then_sent_by_the_running_bot(
    settings, api, cli, capsys, monkeypatch
):
    monkeypatch.setattr(statement_counts, "COUNTS_TTL", 0.0)
    await prepare(settings.db_path, CHATS)
    async with alert_bot(settings, api, clock()) as app:
        reader = ChatDriver(app, api, user_id=2000, raise_errors=True)
        [card] = new(await reader.send("/defender Nasta Loika"))
        assert not any("Statements" in text for text in card.button_texts)
        status = await cli(str(SEED), "--source", "https://www.fidh.org/en/statement")
        assert status == 0
        out = capsys.readouterr().out
        assert "published statement 1" in out and "3 deliveries queued" in out
        assert ", ".join(NAMED) in out
        # Queued by another process: the bot's sender finds it at its next poll.
        await settle(app)
        for chat_id in (101, 102, 103):
            [message] = api.messages_to(chat_id)
            assert message.plain.startswith("📣 Belarus: Free the defenders of Viasna")
            assert message.plain.endswith(("Source", "Источник", "Крыніца"))
        assert api.messages_to(104) == [] and api.messages_to(105) == []
        [entry] = await audit.latest(app.bot_data["services"].db, 1)
        assert (entry.action, entry.actor_id, entry.target) == (
            "statement.publish",
            "cli",
            "statement:1",
        )
        [(created_by, source)] = await rows(app, "SELECT created_by, source_url FROM statements")
        assert created_by is None and source == "https://www.fidh.org/en/statement"
        # Cards show it (the counts are read again once their time to live has passed).
        [card] = new(await reader.send("/defender Nasta Loika"))
        assert "📄 Statements (1)" in card.button_texts


async def test_cli_options_override_the_file(settings, api, cli, tmp_path):
    await prepare(settings.db_path, CHATS)
    plain = tmp_path / "note.txt"
    plain.write_text("\n\nAn old title\n\nMarfa Rabkova must be freed.\n", encoding="utf-8")
    assert await cli(str(plain), "--title", "Free Marfa", "--date", "2026-01-02") == 0
    async with alert_bot(settings, api, clock()) as app:
        [row] = await rows(app, "SELECT title, on_date, body_html FROM statements")
        # A .txt's first line is its title: --title replaced it, and the line left the body.
        assert row == ("Free Marfa", "2026-01-02", "Marfa Rabkova must be freed.")
        await settle(app)
        assert len(api.messages_to(102)) == 1 and api.messages_to(101) == []


@pytest.mark.parametrize(
    ("name", "content", "arguments", "message"),
    [
        ("s.pdf", b"%PDF", (), "not a .md, .txt or .html file"),
        ("s.md", b"\n\n", (), "there is no text in it"),
        ("s.md", b"Title\n\nText.", ("--date", "someday"), "--date 'someday' is not a date"),
        ("s.md", b"Title\n\nText.", ("--source", "javascript:alert(1)"), "--source must be"),
        ("s.md", b"Title\n\nText.", ("--date", "2099-01-01"), "its date 2099-01-01 is after today"),
        ("s.md", b"Title\n14 July 2099\n\nText.", (), "its date 2099-07-14 is after today"),
        ("s.txt", b"Title\n\n" + b"x" * 524_288, (), "too big for a statement (at most 512 KB)"),
    ],
)
async def test_cli_refuses_and_publishes_nothing(
    settings, cli, capsys, tmp_path, name, content, arguments, message
):
    await prepare(settings.db_path, CHATS)
    path = tmp_path / name
    path.write_bytes(content)
    assert await cli(str(path), *arguments) == 1
    assert message in capsys.readouterr().err
    async with alert_bot(settings, FakeBotAPI(), clock()) as app:
        assert await rows(app, "SELECT count(*) FROM statements") == [(0,)]
        assert await rows(app, "SELECT count(*) FROM alerts") == [(0,)]


def test_the_real_command_line(tmp_path):
    # The entry point as a script would call it: argparse, exit status, stderr.
    missing = tmp_path / "missing.md"
    result = subprocess.run(
        [sys.executable, "bot.py", "publish", str(missing)],
        cwd=PROJECT,
        env={"BOT_DB": str(tmp_path / "db.sqlite3"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "publish failed, nothing published" in result.stderr and "missing.md" in result.stderr


async def test_the_same_text_twice_needs_again(settings, api, cli, capsys, tmp_path):
    await prepare(settings.db_path, CHATS)
    assert await cli(str(SEED)) == 0
    capsys.readouterr()
    with sqlite3.connect(settings.db_path) as db:  # as published before fingerprints were kept
        db.execute("UPDATE statements SET body_digest = NULL")
    # The same words, differently laid out: still the same statement.
    same = tmp_path / "again.md"
    text = SEED.read_text(encoding="utf-8")
    same.write_text(text.replace("\n\n", "\n\n\n").upper(), encoding="utf-8")
    assert await cli(str(same)) == 1
    error = capsys.readouterr().err
    assert "the same text was published as statement 1" in error
    assert "add --again" in error
    assert await cli(str(same), "--again") == 0
    async with alert_bot(settings, api, clock()) as app:
        assert await rows(app, "SELECT id FROM statements ORDER BY id") == [(1,), (2,)]
        await settle(app)
    assert len(api.messages_to(101)) == 2  # twice, as asked


async def test_cli_publish_may_say_the_statements_language(settings, api, cli, tmp_path):
    await prepare(settings.db_path, CHATS)
    statement = tmp_path / "zajava.md"
    statement.write_text("Волю палітвязням\n\nВызваліць усіх.\n", encoding="utf-8")
    assert await cli(str(statement), "--language", "be") == 0
    async with alert_bot(settings, api, clock()) as app:
        await settle(app)
        assert await rows(app, "SELECT language FROM statements") == [("be",)]
        # Chat 103 reads Belarusian: unmarked.
        [belarusian] = api.messages_to(103)
        assert belarusian.plain.startswith("📣 Волю палітвязням\n")
        # An editor may give it in other languages from /statement.
        admin = ChatDriver(app, api, user_id=9001, raise_errors=True)
        [shown] = new(await admin.send("/statement 1"))
        assert shown.button_texts == ["+ in English", "+ in Polish", "+ in Russian"]
        assert shown.plain.startswith("📣 Волю палітвязням (in Belarusian)\n")
