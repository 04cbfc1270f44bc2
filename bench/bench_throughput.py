"""Updates per second: the whole bot against a bare PTB handler, same fake Bot API.

Both run in this process on the in-process fake Bot API (which parses the HTML
of every message as Telegram would). The bare handler answers every update
with the very message the bot sends for a card (the same HTML and the same
buttons), so the ratio measures what casewatch adds: search, the chat's
language and subscriptions, templates, splitting.

    .venv/bin/python bench/bench_throughput.py [updates]
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, MessageHandler, filters

from bot import build_application
from config import Settings
from fakeapi.request import FakeRequest
from fakeapi.server import FakeBotAPI

QUERIES = [
    "Бяляцкі",
    "/defender Stefanovich",
    "marfa rabkova",
    "Лойка",
    "/defender Labkovich",
    "Nasta Lojka",
    "Беляцкий",
    "/list",
    "Valancin Stefanovič",
    "/start",
]


def update(number: int, text: str) -> dict:
    user = {"id": 10_000 + number % 500, "is_bot": False, "first_name": "U", "language_code": "en"}
    message = {
        "message_id": number,
        "date": 0,
        "chat": {"id": user["id"], "type": "private"},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": number, "message": message}


async def measure(application: Application, count: int) -> float:
    updates = [
        Update.de_json(update(n, QUERIES[n % len(QUERIES)]), application.bot)
        for n in range(1, count + 1)
    ]
    started = time.perf_counter()
    for item in updates:
        await application.process_update(item)
    return count / (time.perf_counter() - started)


async def whole_bot(folder: str, count: int):
    api = FakeBotAPI()
    settings = Settings(db_path=Path(folder) / "bench.sqlite3")
    application = build_application(settings, request=FakeRequest(api), rate_limit=False)
    await application.initialize()
    await application.post_init(application)
    await measure(application, 50)  # warm caches, as a running bot would have
    rate = await measure(application, count)
    card = next(record for record in api.sent if record.text and "Sources" in record.text)
    await application.post_stop(application)
    await application.shutdown()
    await application.post_shutdown(application)
    return rate, card


async def bare_bot(card, count: int) -> float:
    api = FakeBotAPI()
    request = FakeRequest(api)
    application = Application.builder().token("1:bench").request(request).build()

    async def reply(update, context):
        await context.bot.send_message(
            update.effective_chat.id, card.text, parse_mode=ParseMode.HTML, reply_markup=markup
        )

    markup = InlineKeyboardMarkup.de_json(card.reply_markup, None)
    application.add_handler(MessageHandler(filters.ALL, reply))
    await application.initialize()
    await measure(application, 50)
    rate = await measure(application, count)
    await application.shutdown()
    return rate


async def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rounds = 3
    bot_rates, bare_rates = [], []
    # Alternate the two, so a busy moment on the machine hurts both alike.
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as folder:
            bot_rate, card = await whole_bot(folder, count)
        bot_rates.append(bot_rate)
        bare_rates.append(await bare_bot(card, count))
    bot_rate, bare_rate = statistics.median(bot_rates), statistics.median(bare_rates)
    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}")
    print(f"updates per run: {count}, median of {rounds} alternating runs")
    print(f"whole bot:        {bot_rate:8.0f} updates/s")
    print(f"bare PTB handler: {bare_rate:8.0f} updates/s")
    print(f"ratio: {bot_rate / bare_rate:.2f} (target >= 0.80)")


if __name__ == "__main__":
    asyncio.run(main())
