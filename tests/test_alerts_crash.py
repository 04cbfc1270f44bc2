"""kill -9 in the middle of a broadcast: the real bot, as a separate process
(``python bot.py run``) talking HTTP to the fake Bot API in this process.

After a restart every chat has the message at least once, and the chats that
have it twice are no more than the rows found 'sending' after the kill: the
guarantee of README.md ("Alerts: what is guaranteed").
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from alerts.sender import SenderOptions
from fakeapi.http import serve
from fakeapi.server import FakeBotAPI
from tests.test_alerts_support import Chat, make_case, prepare, queue_statements
from tests.waiting import PATIENCE, eventually

ROOT = Path(__file__).parents[1]
# Shaped like a token so config accepts it; nothing like a real one.
FAKE_TOKEN = "4242:test_token_not_a_real_one_0123456789"
CHATS = 300
KILL_AFTER = 60  # messages taken before the kill; the next ones are held in flight


class HoldingAPI(FakeBotAPI):
    """Takes the first ``taken`` messages, then holds every later one in flight (its
    HTTP request unanswered) until ``release()``: however fast the bot and however
    slow the machine, the broadcast is mid-way, with sends in flight, when it is killed.
    A message released after that counts as sent: Telegram may act on a request whose
    sender is gone."""

    def __init__(self, taken: int, **options) -> None:
        super().__init__(**options)
        self.taken = taken
        self.held = 0
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()

    def call(self, method: str, params: dict, files=None, token=None) -> tuple[int, dict]:
        if method == "sendMessage" and not self.released.is_set():
            with self.lock:
                hold = sum(record.method == "sendMessage" for record in self.sent) >= self.taken
                self.held += hold
            if hold:
                self.released.wait(2 * PATIENCE)
        return super().call(method, params, files, token)


def count(db_path: Path, sql: str) -> int:
    with sqlite3.connect(db_path) as db:
        return db.execute(sql).fetchone()[0]


def start_bot(
    tmp_path: Path, base_url: str, db_path: Path, log_name: str, rate: float = 100
) -> subprocess.Popen:
    env = {
        **os.environ,
        "BOT_TOKEN": FAKE_TOKEN,
        "BOT_API_URL": base_url.removesuffix("/bot"),
        "BOT_DB": str(db_path),
        "BOT_BROADCAST_RATE": str(rate),
    }
    log = (tmp_path / log_name).open("w")
    # cwd is the temporary directory, so no developer's .env is read.
    return subprocess.Popen(
        [sys.executable, str(ROOT / "bot.py"), "run"],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


async def queued_broadcast(db_path: Path, chats: int = CHATS) -> None:
    """Subscribed chats and one statement fanned out to them, before the bot starts."""
    # A released person has no calendar dates: the start-up catch-up adds nothing.
    case = make_case(status="released", released_on="2025-12-13")
    await prepare(db_path, [case], [Chat(chat_id) for chat_id in range(1, chats + 1)])
    await queue_statements(db_path, "statement:crash")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_kill_mid_broadcast_then_restart_loses_nothing_and_doubles_at_most_k(tmp_path):
    db_path = tmp_path / "casewatch.sqlite3"
    await queued_broadcast(db_path)
    api = HoldingAPI(KILL_AFTER, token=FAKE_TOKEN)
    server, base_url = serve(api)

    def received() -> Counter:
        with api.lock:
            return Counter(r.chat_id for r in api.sent if r.method == "sendMessage")

    bot = start_bot(tmp_path, base_url, db_path, "first.log")
    try:
        await eventually(lambda: api.held, f"the broadcast to reach message {KILL_AFTER}")
        bot.send_signal(signal.SIGKILL)
        bot.wait(PATIENCE)
        api.release()
        in_doubt = count(db_path, "SELECT count(*) FROM deliveries WHERE state = 'sending'")
        sent_before = count(db_path, "SELECT count(*) FROM deliveries WHERE state = 'sent'")
        assert sent_before < CHATS, "killed too late to test anything"

        bot = start_bot(tmp_path, base_url, db_path, "second.log")
        unsent = "SELECT count(*) FROM deliveries WHERE state != 'sent'"
        await eventually(lambda: count(db_path, unsent) == 0, "the broadcast to finish")
        bot.send_signal(signal.SIGTERM)  # a clean stop this time
        assert bot.wait(PATIENCE) == 0
    finally:
        api.release()
        if bot.poll() is None:
            bot.kill()
            bot.wait()
        server.shutdown()

    per_chat = received()
    assert set(per_chat) == set(range(1, CHATS + 1))  # everyone, at least once
    doubled = sum(times - 1 for times in per_chat.values())
    assert doubled <= in_doubt <= SenderOptions().concurrency
    logs = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()
    assert "were in flight when the bot last stopped" in logs or in_doubt == 0
    # The bot logged its requests and start-up, and the token is in none of it.
    assert "getMe" in logs or "Application started" in logs
    assert FAKE_TOKEN not in logs and FAKE_TOKEN.split(":")[1] not in logs
