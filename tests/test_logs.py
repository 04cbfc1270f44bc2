"""Logs: a line per meaningful event, as text or one JSON object a line, never a secret."""

from __future__ import annotations

import io
import json
import logging
import re
import signal
import sys

import httpx

from config import Settings
from fakeapi.http import serve
from fakeapi.server import FakeBotAPI
from operations.logs import formatter_for, setup_logging
from tests.process_support import TOKEN, environment, lines_until, start
from tests.serving_support import SECRET, update
from tests.waiting import PATIENCE, eventually

WEBHOOK = "https://bot.example.org/hook"
LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+) ")


def logged(settings: Settings, *, exception: Exception | None = None) -> str:
    """One record through the configured formatter: a message that quotes the secrets."""
    record = logging.LogRecord(
        "httpx",
        logging.WARNING,
        __file__,
        1,
        "POST %s failed (secret %s)",
        (f"https://api.telegram.org/bot{TOKEN}/getMe", SECRET),
        None,
    )
    if exception is not None:
        try:
            raise exception
        except Exception:
            record.exc_info = sys.exc_info()
    return formatter_for(settings).format(record)


def test_text_lines_never_hold_the_token_or_the_secret():
    settings = Settings(token=TOKEN, webhook_secret=SECRET)
    line = logged(settings, exception=ConnectionError(f"no route to bot{TOKEN}"))
    assert "POST https://api.telegram.org/bot<redacted>/getMe failed (secret <redacted>)" in line
    assert "ConnectionError: no route to bot<redacted>" in line  # the traceback too
    assert TOKEN not in line and TOKEN.split(":")[1] not in line and SECRET not in line


def test_json_lines_are_one_object_each_and_redacted():
    settings = Settings(token=TOKEN, webhook_secret=SECRET, log_format="json")
    line = logged(settings, exception=ValueError(f"half a token: {TOKEN.split(':')[1]}"))
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "httpx"
    assert entry["message"] == (
        "POST https://api.telegram.org/bot<redacted>/getMe failed (secret <redacted>)"
    )
    assert entry["exception"].endswith("ValueError: half a token: <redacted>")
    assert entry["time"].endswith("+00:00")
    assert TOKEN.split(":")[1] not in line and SECRET not in line


def test_the_libraries_chatter_is_below_the_bar():
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging(Settings(), stream)
    try:
        logging.getLogger("apscheduler.executors.default").info('Running job "reload"')
        logging.getLogger("tornado.access").info("200 GET /healthz")
        logging.getLogger("alerts.service").info("daily alerts for 2026-11-25: 3 queued")
        logging.getLogger("apscheduler.scheduler").warning("a job was missed")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "daily alerts for 2026-11-25" in lines[0] and "a job was missed" in lines[1]


async def test_the_real_bot_in_webhook_mode_logs_json(tmp_path):
    """python bot.py run, webhook mode, JSON logs: set up, answer one update, stop cleanly."""
    api = FakeBotAPI(token=TOKEN)
    server, base_url = serve(api)
    env = environment(
        BOT_TOKEN=TOKEN,
        BOT_API_URL=base_url.removesuffix("/bot"),
        BOT_DB=str(tmp_path / "casewatch.sqlite3"),
        BOT_WEBHOOK_URL=WEBHOOK,
        BOT_WEBHOOK_SECRET=SECRET,
        BOT_LISTEN="127.0.0.1:0",  # the system picks the port; the bot's log says which
        BOT_LOG_FORMAT="json",
    )
    bot = start(["run"], tmp_path, env)
    try:
        first = await lines_until(
            bot.stderr,
            lambda lines: lines and LISTENING.search(lines[-1]),
            "the bot to say where it listens",
        )
        port = LISTENING.search(first[-1])[1]
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", timeout=PATIENCE
        ) as client:
            health = await client.get("/healthz")
            assert health.status_code == 200, health.text
            assert (await client.post("/hook", json=update(1, "/start"))).status_code == 403
            answer = await client.post(
                "/hook",
                json=update(2, "/start"),
                headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
            assert answer.status_code == 200
            await eventually(lambda: api.messages_to(1001), "the reply")
        bot.send_signal(signal.SIGTERM)
        _, rest = bot.communicate(timeout=PATIENCE)
        assert bot.returncode == 0, rest
    finally:
        if bot.poll() is None:
            bot.kill()
            bot.communicate()
        server.shutdown()
    stderr = "".join(first) + rest
    assert api.webhook_url == WEBHOOK and api.webhook_secret == SECRET
    assert len(api.messages_to(1001)) == 1  # the forged update reached no handler
    entries = [json.loads(line) for line in stderr.splitlines()]  # every line is JSON
    messages = [entry["message"] for entry in entries]
    assert any(m.startswith(f"webhook mode: Telegram posts to {WEBHOOK}") for m in messages)
    assert not any("Running job" in m or "executed successfully" in m for m in messages)
    assert TOKEN.split(":")[1] not in stderr and SECRET not in stderr
    assert all(entry["level"] in ("INFO", "WARNING") for entry in entries), messages
